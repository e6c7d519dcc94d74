/**
 * ssh://user@host engines, the way the docker CLI reaches them: one `ssh … -- docker system dial-stdio` child per
 * connection, HTTP spoken over its stdin/stdout. The ssh binary is looked up on PATH (the one of the environment the
 * engine was resolved from, so tests can put a stand-in first). BatchMode: ssh never asks for a password or a host key
 * confirmation here; the errors say what to run in a terminal instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { Duplex } from 'node:stream';
import { StrataError } from '../../../shared/errors';

export interface SshTarget {
  readonly user: string | undefined;
  readonly host: string;
  readonly port: number | undefined;
  /** The engine's socket on the remote machine when the address names one (`ssh://me@box/run/docker.sock`). */
  readonly remoteSocket: string | undefined;
  /** PATH to find `ssh` on; undefined: the process's PATH. */
  readonly searchPath: string | undefined;
}

/** A login name: what ssh's `-l` and a remote account take, nothing a shell or ssh option parser reads. */
const SSH_USER = /^[A-Za-z0-9._][A-Za-z0-9._-]*$/;
/** The remote socket of `ssh://host/path`: it goes into the remote command line, so only plain path characters. */
const REMOTE_SOCKET = /^\/[A-Za-z0-9._+/-]*$/;
/** A word the remote shell reads as itself (no quoting needed). */
const PLAIN_WORD = /^[A-Za-z0-9._/:=@+-]+$/;

/**
 * A word of the remote command as the remote POSIX shell must read it: ssh joins the words after the host with spaces
 * and hands them to the login shell, so anything but plain characters goes in single quotes (a quote inside as '\'').
 */
export function remoteShellWord(word: string): string {
  return PLAIN_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `ssh://[user@]host[:port][/socket]`; throws invalid_argument for anything else. */
export function parseSshHost(raw: string): Omit<SshTarget, 'searchPath'> & { readonly address: string } {
  const match = /^ssh:\/\/(?:([^@/\s:]+)@)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?(\/\S*)?$/.exec(
    raw.trim(),
  );
  if (match !== null && match[1] !== undefined && !SSH_USER.test(match[1])) {
    throw new StrataError(
      'invalid_argument',
      `"${raw}" has a user name ssh cannot take; use letters, digits, ".", "_" and "-", as in ssh://deploy@host.`,
    );
  }
  if (match?.[4] !== undefined && !REMOTE_SOCKET.test(match[4])) {
    throw new StrataError(
      'invalid_argument',
      `"${raw}" names a remote socket path with characters Strata does not send to a remote shell; use a plain path such as ssh://me@host/run/docker.sock (letters, digits, "/", ".", "_", "-", "+").`,
    );
  }
  if (match === null) {
    throw new StrataError(
      'invalid_argument',
      `"${raw}" is not an ssh address; use ssh://user@host or ssh://user@host:port.`,
    );
  }
  const user = match[1];
  const hostText = match[2] ?? '';
  const host = hostText.startsWith('[') ? hostText.slice(1, -1) : hostText;
  const port = match[3] === undefined ? undefined : Number(match[3]);
  if (port !== undefined && (port <= 0 || port > 65535)) {
    throw new StrataError('invalid_argument', `"${raw}" has an invalid port; use ssh://user@host:port.`);
  }
  if (host.startsWith('-') || (user?.startsWith('-') ?? false)) {
    throw new StrataError('invalid_argument', `"${raw}" is not an ssh address; a host cannot start with "-".`);
  }
  const path = match[4];
  const remoteSocket = path === undefined || path === '/' ? undefined : path;
  const address = `ssh://${user === undefined ? '' : `${user}@`}${hostText}${port === undefined ? '' : `:${port}`}${
    remoteSocket ?? ''
  }`;
  return { user, host, port, remoteSocket, address };
}

/**
 * The argv after `ssh`: BatchMode, port and user as options, `--` before the host, then the remote command, every word
 * of it quoted for the remote shell (the socket path is also restricted by parseSshHost).
 */
export function sshArguments(target: Omit<SshTarget, 'searchPath'>): readonly string[] {
  const remote = target.remoteSocket === undefined ? [] : ['--host', `unix://${target.remoteSocket}`];
  return [
    '-o',
    'BatchMode=yes',
    '-o',
    'ConnectTimeout=15',
    ...(target.port === undefined ? [] : ['-p', String(target.port)]),
    ...(target.user === undefined ? [] : ['-l', target.user]),
    '--',
    target.host,
    ...['docker', ...remote, 'system', 'dial-stdio'].map(remoteShellWord),
  ];
}

function who(target: Omit<SshTarget, 'searchPath'>): string {
  return `${target.user === undefined ? '' : `${target.user}@`}${target.host}`;
}

/** Maps how an ssh child failed (spawn error, exit code, stderr) to a message a user can act on. */
export function sshError(
  target: Omit<SshTarget, 'searchPath'>,
  failure: { readonly spawnError?: NodeJS.ErrnoException; readonly exitCode?: number | null; readonly stderr?: string },
): StrataError {
  const login = who(target);
  const stderr = (failure.stderr ?? '').trim();
  const detail = stderr === '' ? undefined : stderr.slice(-2000);
  if (failure.spawnError !== undefined) {
    if (failure.spawnError.code === 'ENOENT') {
      return new StrataError(
        'engine_unreachable',
        `ssh is not installed (no "ssh" program on PATH); install the OpenSSH client to reach ssh://${login}.`,
        failure.spawnError.message,
      );
    }
    return new StrataError('engine_unreachable', `ssh could not be started: ${failure.spawnError.message}`);
  }
  const lower = stderr.toLowerCase();
  const inTerminal = `run "ssh ${login}" once in a terminal (to accept the host key and check the login), then try again`;
  if (/host key verification failed|remote host identification has changed|no .* host key is known/.test(lower)) {
    return new StrataError('engine_unreachable', `ssh refused the host key of ${target.host}; ${inTerminal}.`, detail);
  }
  if (/permission denied|authentication failed|too many authentication failures/.test(lower)) {
    return new StrataError(
      'engine_unreachable',
      `ssh could not log in to ${login} without a password prompt; load your key into ssh-agent or ${inTerminal}.`,
      detail,
    );
  }
  if (/could not resolve hostname|name or service not known/.test(lower)) {
    return new StrataError(
      'engine_unreachable',
      `ssh cannot resolve the host "${target.host}"; check the address.`,
      detail,
    );
  }
  if (
    /connection refused|connection timed out|no route to host|network is unreachable|operation timed out/.test(lower)
  ) {
    return new StrataError(
      'engine_unreachable',
      `ssh cannot connect to ${target.host}${target.port === undefined ? '' : `:${target.port}`}; check that the machine is up and runs an ssh server.`,
      detail,
    );
  }
  if (
    failure.exitCode === 127 ||
    /docker: (command )?not found|command not found|no such file or directory/.test(lower) ||
    /unknown command "dial-stdio"|is not a docker command/.test(lower)
  ) {
    return new StrataError(
      'engine_unreachable',
      `${login} has no usable docker command (Strata runs "docker system dial-stdio" there); install Docker on it.`,
      detail,
    );
  }
  if (/cannot connect to the docker daemon|is the docker daemon running/.test(lower)) {
    return new StrataError('engine_unreachable', `Docker is not running on ${target.host}; start it there.`, detail);
  }
  return new StrataError(
    'engine_unreachable',
    `the ssh connection to ${login} ended (ssh exit code ${failure.exitCode ?? 'unknown'})${stderr === '' ? '' : `: ${stderr.split('\n').pop() ?? ''}`}`,
    detail,
  );
}

/** A socket-like stream over one ssh child: writes go to its stdin, its stdout is what we read. */
class SshStream extends Duplex {
  private readonly child: ChildProcess;
  private stderr = '';
  private failed = false;

  constructor(child: ChildProcess, target: Omit<SshTarget, 'searchPath'>) {
    super();
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) child.stdout?.pause();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-8000);
    });
    child.stdin?.on('error', () => undefined); // EPIPE after the child died: reported through 'exit'
    child.once('error', (error: NodeJS.ErrnoException) => {
      this.failed = true;
      this.destroy(sshError(target, { spawnError: error }));
    });
    // 'close': exited and its pipes drained, so a failure is reported with all of its stderr, never as a bare EOF.
    child.once('close', (code) => {
      if (this.destroyed || this.failed) return;
      if (code === 0) {
        this.push(null);
        return;
      }
      this.failed = true;
      this.destroy(sshError(target, { exitCode: code, stderr: this.stderr }));
    });
  }

  override _read(): void {
    this.child.stdout?.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const stdin = this.child.stdin;
    if (stdin === null || stdin.destroyed) {
      callback(new StrataError('engine_unreachable', 'the ssh connection is closed'));
      return;
    }
    stdin.write(chunk, encoding, () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.child.stdin?.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    callback(error);
  }

  // What node:http asks of a socket; a pipe to a child has nothing to tune.
  setKeepAlive(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setTimeout(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

/** Opens one connection: spawns ssh and answers the stream (spawn failures arrive as the stream's error). */
export function openSshStream(target: SshTarget): Duplex {
  const env = target.searchPath === undefined ? process.env : { ...process.env, PATH: target.searchPath };
  const child = spawn('ssh', [...sshArguments(target)], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  return new SshStream(child, target);
}

/** An http.Agent whose every connection is a fresh ssh child (kept alive between requests like a socket). */
export function createSshAgent(target: SshTarget): http.Agent {
  const agent = new http.Agent({ keepAlive: true, maxFreeSockets: 2 });
  // node:http accepts any Duplex from createConnection (documented); the cast is only for the typings' net.Socket.
  (agent as unknown as { createConnection: () => Duplex }).createConnection = () => openSshStream(target);
  return agent;
}
