import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StrataError } from '../../../shared/errors';
import { EngineClient } from './client';
import { parseSshHost, remoteShellWord, sshArguments, sshError } from './ssh';

describe('parseSshHost and sshArguments', () => {
  it('builds the argv the docker CLI uses: BatchMode, port and user as options, the host after --', () => {
    const target = parseSshHost('ssh://deploy@build-box.example:2222');
    expect(target).toMatchObject({ user: 'deploy', host: 'build-box.example', port: 2222, remoteSocket: undefined });
    expect(target.address).toBe('ssh://deploy@build-box.example:2222');
    expect(sshArguments(target)).toEqual([
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=15',
      '-p',
      '2222',
      '-l',
      'deploy',
      '--',
      'build-box.example',
      'docker',
      'system',
      'dial-stdio',
    ]);
  });

  it('leaves out what the address does not say, and passes a remote socket to docker', () => {
    expect(sshArguments(parseSshHost('ssh://box'))).toEqual([
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=15',
      '--',
      'box',
      'docker',
      'system',
      'dial-stdio',
    ]);
    const withSocket = parseSshHost('ssh://me@[::1]/run/user/1000/docker.sock');
    expect(withSocket).toMatchObject({ host: '::1', remoteSocket: '/run/user/1000/docker.sock' });
    expect(sshArguments(withSocket).slice(-5)).toEqual([
      'docker',
      '--host',
      'unix:///run/user/1000/docker.sock',
      'system',
      'dial-stdio',
    ]);
  });

  it('refuses what is not an ssh address, including option injection', () => {
    for (const bad of ['ssh://', 'ssh://me@', 'ssh://-oProxyCommand=evil', 'ssh://me@host:99999', 'ssh://a b']) {
      expect(() => parseSshHost(bad), bad).toThrow(StrataError);
    }
  });
});

describe('the remote command line (a shell on the remote host reads it)', () => {
  it('refuses a socket path or user that would put shell syntax into the remote command', () => {
    const hostile = [
      'ssh://me@host/run/docker.sock;touch${IFS}pwned;',
      'ssh://me@host/run/$(touch pwned)',
      'ssh://me@host/run/`touch pwned`',
      'ssh://me@host/run/docker.sock|sh',
      "ssh://me@host/run/it's",
      'ssh://me@host/run/a&&b',
      'ssh://me@host/run/<x',
      'ssh://me;touch@host',
      'ssh://$(id)@host',
    ];
    for (const address of hostile) {
      expect(() => parseSshHost(address), address).toThrow(StrataError);
    }
    expect(() => parseSshHost('ssh://me@host/run/docker.sock;touch${IFS}pwned;')).toThrow(/remote socket path/);
    expect(parseSshHost('ssh://deploy.bot_1@host/var/run/docker-1.2+x.sock').remoteSocket).toBe(
      '/var/run/docker-1.2+x.sock',
    );
  });

  it('quotes every remote word so a POSIX shell reads it back unchanged, whatever it holds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-ssh-quote-'));
    try {
      const words = [
        'docker',
        'unix:///run/docker.sock',
        '/run/docker.sock;touch ${IFS}pwned;',
        "it's",
        '$(touch pwned)',
        '`touch pwned`',
        'a b\tc\n"d"',
        "''",
        '',
      ];
      for (const word of words) {
        const printed = execFileSync('sh', ['-c', `printf %s ${remoteShellWord(word)}`], { cwd: dir }).toString();
        expect(printed, word).toBe(word);
      }
      expect(existsSync(join(dir, 'pwned'))).toBe(false);
      expect(remoteShellWord('dial-stdio')).toBe('dial-stdio');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends a socket path that slipped past the grammar as one quoted word', () => {
    const args = sshArguments({
      user: 'me',
      host: 'box',
      port: undefined,
      remoteSocket: '/run/docker.sock;touch pwned',
    });
    expect(args.slice(-5)).toEqual([
      'docker',
      '--host',
      "'unix:///run/docker.sock;touch pwned'",
      'system',
      'dial-stdio',
    ]);
  });
});

describe('sshError', () => {
  const target = parseSshHost('ssh://me@box');
  it('says how to fix each way ssh fails', () => {
    const enoent = Object.assign(new Error('spawn ssh ENOENT'), { code: 'ENOENT' });
    expect(sshError(target, { spawnError: enoent }).message).toMatch(/^ssh is not installed/);
    expect(sshError(target, { exitCode: 255, stderr: 'Host key verification failed.\n' }).message).toBe(
      'ssh refused the host key of box; run "ssh me@box" once in a terminal (to accept the host key and check the login), then try again.',
    );
    expect(sshError(target, { exitCode: 255, stderr: 'me@box: Permission denied (publickey).' }).message).toMatch(
      /could not log in to me@box without a password prompt.*run "ssh me@box" once in a terminal/,
    );
    expect(sshError(target, { exitCode: 127, stderr: 'sh: 1: docker: not found' }).message).toMatch(
      /^me@box has no usable docker command/,
    );
    expect(
      sshError(target, { exitCode: 255, stderr: 'ssh: Could not resolve hostname box: Name or service not known' })
        .message,
    ).toMatch(/cannot resolve the host "box"/);
    const other = sshError(target, { exitCode: 3, stderr: 'something odd\nlast words' });
    expect(other.code).toBe('engine_unreachable');
    expect(other.message).toMatch(/exit code 3.*last words/);
  });
});

describe('an EngineClient over ssh (a stand-in ssh script)', () => {
  let dir: string;

  function fakeSsh(name: string, body: string): string {
    const binDir = mkdtempSync(join(dir, `${name}-`));
    writeFileSync(join(binDir, 'ssh'), `#!/bin/sh\n${body}\n`);
    chmodSync(join(binDir, 'ssh'), 0o755);
    return binDir;
  }

  function clientWith(searchPath: string): EngineClient {
    return new EngineClient({
      connection: { kind: 'ssh', ...parseSshHost('ssh://me@box'), searchPath },
      address: 'ssh://me@box',
      requestTimeoutMs: 5000,
    });
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-ssh-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('speaks HTTP over the child’s stdin and stdout', async () => {
    const binDir = fakeSsh(
      'ok',
      [
        // Reads the request line, answers once, then waits for stdin to close like dial-stdio.
        'read -r line',
        'printf "HTTP/1.1 200 OK\\r\\nContent-Type: text/plain\\r\\nContent-Length: 2\\r\\nConnection: close\\r\\n\\r\\nOK"',
        'exec cat > /dev/null',
      ].join('\n'),
    );
    const client = clientWith(binDir);
    const res = await client.request({ method: 'GET', path: '/_ping', unversioned: true });
    client.close();
    expect(res.status).toBe(200);
    expect(res.body).toBe('OK');
  });

  it('fails with the plain reason when ssh refuses the host key', async () => {
    const binDir = fakeSsh('hostkey', 'echo "Host key verification failed." >&2\nexit 255');
    const client = clientWith(binDir);
    const error = await client.request({ method: 'GET', path: '/_ping', unversioned: true }).catch((e: unknown) => e);
    client.close();
    expect(error).toBeInstanceOf(StrataError);
    expect((error as StrataError).code).toBe('engine_unreachable');
    expect((error as StrataError).message).toMatch(/ssh refused the host key of box; run "ssh me@box" once/);
  });

  it('says ssh is not installed when there is none on PATH', async () => {
    const client = clientWith(join(dir, 'empty-path'));
    const error = await client.request({ method: 'GET', path: '/_ping', unversioned: true }).catch((e: unknown) => e);
    client.close();
    expect((error as StrataError).message).toMatch(/^ssh is not installed/);
  });
});
