/**
 * A second registry v2 for tests of logging in: the Debian `docker-registry` on 127.0.0.1:<free port>, no TLS,
 * with htpasswd auth for one fixed test user. Its data lives in its own temp dir; it is stopped by its pid.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ensureTools, freePort, registryStatus, spawnRegistry } from './lab';
import { terminate } from './proc';

export const AUTH_REGISTRY_USER = 'strata-test';
export const AUTH_REGISTRY_PASSWORD = 'lab-secret-pw';
/** bcrypt (cost 5) of AUTH_REGISTRY_PASSWORD, made once with python3's crypt.METHOD_BLOWFISH. */
const HTPASSWD_HASH = '$2b$05$9MgTNTDKQXim4zEOLkkDge0wnFw4p6lt0sj4XW3q7X7EjJaFgNs8q';

export interface AuthRegistry {
  /** `127.0.0.1:PORT` */
  readonly registry: string;
  readonly username: string;
  readonly password: string;
  readonly pid: number;
  /** Stops the registry (by pid) and removes its temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

export async function startAuthRegistry(): Promise<AuthRegistry> {
  const program = ensureTools().registry;
  const dir = mkdtempSync(join(tmpdir(), 'strata-auth-registry-'));
  await mkdir(join(dir, 'data'), { recursive: true });
  await writeFile(join(dir, 'htpasswd'), `${AUTH_REGISTRY_USER}:${HTPASSWD_HASH}\n`);
  const config = join(dir, 'config.yml');
  const log = join(dir, 'registry.log');
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    await writeFile(
      config,
      [
        'version: 0.1',
        'log:',
        '  level: warn',
        '  accesslog:',
        '    disabled: true',
        'storage:',
        '  filesystem:',
        `    rootdirectory: ${join(dir, 'data')}`,
        'auth:',
        '  htpasswd:',
        '    realm: strata-test',
        `    path: ${join(dir, 'htpasswd')}`,
        'http:',
        `  addr: 127.0.0.1:${port}`,
        `  secret: auth-registry-${port}`,
        '',
      ].join('\n'),
    );
    const { pid, exited } = await spawnRegistry(program, config, log, dir);
    for (const start = Date.now(); !exited() && Date.now() - start < 20_000;) {
      if ((await registryStatus(port)) === 401) {
        let stopped = false;
        return {
          registry: `127.0.0.1:${port}`,
          username: AUTH_REGISTRY_USER,
          password: AUTH_REGISTRY_PASSWORD,
          pid,
          stop: async () => {
            if (stopped) return;
            stopped = true;
            await terminate(pid, 5000);
            rmSync(dir, { recursive: true, force: true });
          },
        };
      }
      await delay(100);
    }
    await terminate(pid, 5000);
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error('the auth registry (docker-registry with htpasswd) did not start');
}
