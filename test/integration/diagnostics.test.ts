/**
 * engine.diagnostics on the lab engine, through the hub and the dispatcher as IPC and the browser server call it:
 * the versions are the engine's own (GET /version on its socket), and secrets fed in on the way (a registry login
 * with the lab's auth registry, a pull that sends X-Registry-Auth, an added engine with a password in its address, a
 * log line with an Authorization header, env values) do not come out.
 */
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnosticsSchema, type JobInfo, type StrataEvent } from '../../shared/api';
import { createEngineHub, type EngineHub } from '../../electron/engine/host/hub';
import { createMemoryLogger, type MemoryLogger } from '../../electron/engine/host/logger';
import { memorySecretStore } from '../../electron/engine/host/secrets';
import { startAuthRegistry, type AuthRegistry } from '../lab/auth-registry';
import { labInfo, type LabInfo } from '../lab/context';
import { caller } from './engine-helpers';

const ENV_SECRET = 'env-Secret-Value-42';
const ADDRESS_PASSWORD = 'Addr3ssPassw0rd';
const BEARER = 'eyJhbGciOiJIUzI1NiJ9.bearer.payload';

let lab: LabInfo;
let auth: AuthRegistry;
let root: string;
let hub: EngineHub;
let logger: MemoryLogger;
const events: StrataEvent[] = [];

/** The engine's own answer to GET /version, on its socket. */
function engineVersion(socketPath: string): Promise<{ Version: string; ApiVersion: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: '/version', method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(JSON.parse(body) as { Version: string; ApiVersion: string }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function jobEnd(jobId: string, timeoutMs = 60_000): Promise<JobInfo> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`job ${jobId} did not end`)), timeoutMs);
    const check = (): void => {
      const end = events.find((e) => e.type === 'job.end' && e.job.id === jobId);
      if (end?.type === 'job.end') {
        clearTimeout(timer);
        unsubscribe();
        resolve(end.job);
      }
    };
    const unsubscribe = hub.onEvent(check);
    check();
  });
}

beforeAll(async () => {
  lab = labInfo();
  auth = await startAuthRegistry();
  root = mkdtempSync(join(tmpdir(), 'strata-diagnostics-'));
  logger = createMemoryLogger();
  hub = createEngineHub({
    settingsDir: join(root, 'settings'),
    appVersion: '0.0.0-test',
    serviceOptions: {
      host: lab.dockerHost,
      env: { DOCKER_CONFIG: join(root, 'docker'), NPM_TOKEN: ENV_SECRET },
      homeDir: root,
      requestTimeoutMs: 20_000,
      secrets: memorySecretStore(),
      logger,
    },
    discover: { rootfulPodmanSocket: join(root, 'none.sock'), defaultSocket: join(root, 'none2.sock') },
  });
  hub.onEvent((event) => events.push(event));
}, 120_000);

afterAll(async () => {
  await hub.close();
  await auth.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('engine.diagnostics on the lab engine', () => {
  it('reports the engine’s own versions, the failures on the way, and no secret', async () => {
    const call = caller(hub);
    // A registry login that is stored, then a pull that sends those credentials (X-Registry-Auth) and fails.
    await call('registries.login', { registry: auth.registry, username: auth.username, password: auth.password });
    const { jobId } = (await call('images.pull', { reference: `${auth.registry}/t-diag/none:1` })) as {
      jobId: string;
    };
    expect((await jobEnd(jobId)).state).toBe('failed');
    // An engine with a password in its address, which does not answer.
    const added = (await call('engines.add', {
      name: 'With password',
      host: `tcp://admin:${ADDRESS_PASSWORD}@127.0.0.1:1`,
    })) as { id: string };
    logger.warn(`proxy answered 407 to Authorization: Bearer ${BEARER}`, { headers: { Authorization: BEARER } });

    const report = diagnosticsSchema.parse(await call('engine.diagnostics', {}));
    const version = await engineVersion(lab.socketPath);

    expect(report.app.version).toBe('0.0.0-test');
    expect(report.platform.node).toBe(process.versions.node);
    const [local, other] = report.engines;
    expect(local).toMatchObject({
      engineId: 'default',
      kind: 'unix',
      address: lab.dockerHost,
      tls: false,
      state: 'connected',
      serverVersion: version.Version,
      apiVersion: version.ApiVersion,
    });
    expect(local?.recent.some((r) => r.message === 'job failed' || r.message === 'engine request failed')).toBe(true);
    expect(other).toMatchObject({
      engineId: added.id,
      kind: 'tcp',
      address: 'tcp://127.0.0.1:1',
      state: 'unreachable',
    });
    expect(report.recent.map((r) => r.message)).toContain('proxy answered 407 to Authorization: [redacted] [redacted]');

    const text = JSON.stringify(report);
    for (const secret of [auth.password, ADDRESS_PASSWORD, 'admin', BEARER, ENV_SECRET]) {
      expect(text, secret).not.toContain(secret);
    }
    // Nor in the log the report was made from.
    expect(JSON.stringify(logger.records)).not.toContain(auth.password);
  }, 120_000);
});
