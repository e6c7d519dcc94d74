/**
 * A real OpenSSH server on 127.0.0.1 for the ssh:// engine tests: Debian's sshd (openssh-server, installed by
 * .ci/run), started from a config and keys in a fresh temp dir, logging in only with a key made here, and pointing
 * `docker` at the engine it is given (sshd's SetEnv), so `ssh … docker system dial-stdio` reaches that engine as it
 * would on a remote machine. Needs root (sshd switches to the user who logs in); `sshServerMissing()` says why not.
 *
 * The client side stands in for the user's ~/.ssh/config: `clientPath(profile)` is a PATH whose `ssh` runs the real
 * /usr/bin/ssh with `-F` a config of that profile (its key and known_hosts), so the user's own ssh files are never
 * read or written. Stopped by its recorded pid only.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './lab';
import { terminate } from './proc';

const SSHD = '/usr/sbin/sshd';
const SSH = '/usr/bin/ssh';
const SSH_KEYGEN = '/usr/bin/ssh-keygen';

/** How the client side is set up. */
export type SshProfile =
  /** The key sshd accepts, and sshd's host key in known_hosts. */
  | 'trusted'
  /** The accepted key, but known_hosts is empty: BatchMode refuses the unknown host key. */
  | 'unknown-host'
  /** A key sshd does not accept, with the host key known. */
  | 'wrong-key';

export interface SshServer {
  readonly port: number;
  /** A PATH whose first `ssh` uses the given profile (then the process's PATH). */
  readonly clientPath: (profile: SshProfile) => string;
  /** The sshd log (for a failure's message). */
  readonly log: () => string;
  readonly stop: () => Promise<void>;
}

/** Why the real-sshd tests cannot run here, or undefined when they can. */
export function sshServerMissing(): string | undefined {
  if (!existsSync(SSHD) || !existsSync(SSH) || !existsSync(SSH_KEYGEN)) {
    return `no OpenSSH server and client here (${SSHD}, ${SSH}); .ci/run installs openssh-server`;
  }
  if (process.getuid?.() !== 0) return 'sshd must start as root to log a user in';
  return undefined;
}

function keygen(path: string): void {
  execFileSync(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', 'strata-test', '-f', path], { stdio: 'ignore' });
}

async function waitForListen(port: number, pidFile: string, logFile: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open && existsSync(pidFile)) return;
    if (Date.now() > deadline) {
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
      throw new Error(`sshd did not start listening on 127.0.0.1:${port}: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts sshd for `dockerHost` (`unix://…`) and resolves once it listens. */
export async function startSshServer(dockerHost: string): Promise<SshServer> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-sshd-'));
  const port = await freePort();
  const hostKey = join(dir, 'host_key');
  const userKey = join(dir, 'user_key');
  const otherKey = join(dir, 'other_key');
  for (const key of [hostKey, userKey, otherKey]) keygen(key);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${userKey}.pub`));
  const pidFile = join(dir, 'sshd.pid');
  const logFile = join(dir, 'sshd.log');
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${pidFile}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'UsePAM no',
      // The keys live in a temp dir, not in a home whose modes sshd would check.
      'StrictModes no',
      // The remote `docker` reaches the engine under test, as a remote machine's docker reaches its own.
      `SetEnv DOCKER_HOST=${dockerHost} DOCKER_CONFIG=${join(dir, 'docker-config')}`,
      '',
    ].join('\n'),
  );
  // sshd's privilege separation needs this directory; the package's service scripts make it, which never ran here.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  execFileSync(SSHD, ['-t', '-f', config], { stdio: 'pipe' });
  await new Promise<void>((resolve, reject) => {
    const child = spawn(SSHD, ['-f', config, '-E', logFile], { stdio: 'ignore' });
    child.once('error', reject);
    // Without -D sshd forks into the background and the first process exits once it listens.
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`sshd exited with ${code}`))));
  });
  await waitForListen(port, pidFile, logFile);

  const knownHost = `[127.0.0.1]:${port} ${readFileSync(`${hostKey}.pub`, 'utf8').trim()}\n`;
  const clientPath = (profile: SshProfile): string => {
    const home = join(dir, `client-${profile}`);
    const bin = join(home, 'bin');
    if (!existsSync(bin)) {
      mkdirSync(bin, { recursive: true });
      const knownHosts = join(home, 'known_hosts');
      writeFileSync(knownHosts, profile === 'unknown-host' ? '' : knownHost);
      const sshConfig = join(home, 'ssh_config');
      writeFileSync(
        sshConfig,
        [
          'Host *',
          `  IdentityFile ${profile === 'wrong-key' ? otherKey : userKey}`,
          '  IdentitiesOnly yes',
          '  IdentityAgent none',
          `  UserKnownHostsFile ${knownHosts}`,
          '  GlobalKnownHostsFile /dev/null',
          '',
        ].join('\n'),
      );
      const wrapper = join(bin, 'ssh');
      writeFileSync(wrapper, `#!/bin/sh\nexec ${SSH} -F '${sshConfig}' "$@"\n`);
      chmodSync(wrapper, 0o755);
    }
    return `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`;
  };

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : NaN;
    if (Number.isInteger(pid) && pid > 1) await terminate(pid, 5_000);
    rmSync(dir, { recursive: true, force: true });
  };
  return { port, clientPath, log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''), stop };
}
