/**
 * engine.diagnostics without an engine: addresses made safe, log records attributed and capped, versions and state
 * from each engine's ping, and secrets fed in from every side (an address with a password, a registry login, env
 * values, a log line with an Authorization header) that must not come out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diagnosticsSchema, type Diagnostics, type EngineEntry, type EngineStatus } from '../../../shared/api';
import { createDispatch } from '../../../shared/dispatch';
import { StrataError } from '../../../shared/errors';
import { collectDiagnostics, diagnosticAddress, DIAGNOSTIC_RECENT, type DiagnosticEngine } from './diagnostics';
import { createEngineHub, type EngineHub } from './hub';
import { createMemoryLogger, type LogRecord } from './logger';
import { memorySecretStore } from './secrets';

const entry = (over: Partial<EngineEntry>): EngineEntry => ({
  id: 'default',
  name: 'Local',
  host: 'unix:///var/run/docker.sock',
  kind: 'unix',
  tls: false,
  source: 'environment',
  removable: false,
  ...over,
});

const connected = (engineId: string): EngineStatus => ({
  engineId,
  state: 'connected',
  endpoint: { kind: 'unix', address: 'unix:///var/run/docker.sock', source: 'default', tls: false },
  serverVersion: '27.3.1',
  apiVersion: '1.47',
  checkedAt: '2026-01-01T00:00:00.000Z',
});

const record = (over: Partial<LogRecord>): LogRecord => ({
  time: '2026-01-01T00:00:00.000Z',
  level: 'warn',
  msg: 'engine request failed',
  fields: {},
  ...over,
});

const PLATFORM: Diagnostics['platform'] = { os: 'linux', osRelease: '6.1', arch: 'x64', node: '20.19.0' };

describe('diagnosticAddress', () => {
  it('keeps what tells the endpoint apart, never a user, password, query or fragment', () => {
    expect(diagnosticAddress('unix:///var/run/docker.sock')).toBe('unix:///var/run/docker.sock');
    expect(diagnosticAddress('tcp://alice:hunter2@10.0.0.5:2376')).toBe('tcp://10.0.0.5:2376');
    expect(diagnosticAddress('tcp://10.0.0.5:2376/?token=abc#x')).toBe('tcp://10.0.0.5:2376');
    expect(diagnosticAddress('ssh://alice@box.example:2222/run/user/1000/docker.sock')).toBe(
      'ssh://user@box.example:2222',
    );
    expect(diagnosticAddress('ssh://alice:pw1234@box')).toBe('ssh://user@box');
    expect(diagnosticAddress('ssh://box')).toBe('ssh://box');
    expect(diagnosticAddress('npipe:////./pipe/docker_engine')).toBe('npipe:////./pipe/docker_engine');
    expect(diagnosticAddress('(docker context) ?token=abc')).toBe('(docker context)');
  });
});

describe('collectDiagnostics', () => {
  it('reports each engine with its versions and state, and its own last warnings and errors, capped', async () => {
    const engines: DiagnosticEngine[] = [
      { entry: entry({}), ping: () => Promise.resolve(connected('default')) },
      {
        entry: entry({ id: 'box', host: 'ssh://alice@box', kind: 'ssh', source: 'added', removable: true }),
        ping: () => Promise.reject(new StrataError('engine_unreachable', 'ssh could not reach ssh://alice@box')),
      },
      {
        entry: entry({ id: 'slow', host: 'tcp://10.0.0.9:2376', kind: 'tcp', tls: true }),
        ping: () => new Promise<EngineStatus>(() => undefined),
      },
    ];
    const recent: LogRecord[] = [
      record({ level: 'info', msg: 'engine connected', fields: { engineId: 'default' } }),
      ...Array.from({ length: 25 }, (_, i) =>
        record({ msg: `failure ${i}`, fields: { engineId: 'default', method: 'GET', path: '/x', status: 404 } }),
      ),
      record({ level: 'error', msg: 'job failed', fields: { engineId: 'box', kind: 'pull' } }),
      record({ msg: 'settings unreadable', fields: { file: 'engines.json' } }),
      record({ msg: 'from a removed engine', fields: { engineId: 'gone' } }),
    ];
    const report = await collectDiagnostics({
      appVersion: '1.2.3',
      engines,
      recent,
      pingTimeoutMs: 50,
      platform: PLATFORM,
    });

    expect(diagnosticsSchema.parse(report)).toEqual(report);
    expect(report.app.version).toBe('1.2.3');
    expect(report.platform).toEqual(PLATFORM);
    const [local, box, slow] = report.engines;
    expect(local).toMatchObject({
      engineId: 'default',
      kind: 'unix',
      address: 'unix:///var/run/docker.sock',
      tls: false,
      state: 'connected',
      serverVersion: '27.3.1',
      apiVersion: '1.47',
    });
    expect(local?.error).toBeUndefined();
    expect(local?.recent).toHaveLength(DIAGNOSTIC_RECENT);
    expect(local?.recent[0]).toEqual({
      time: '2026-01-01T00:00:00.000Z',
      level: 'warn',
      message: 'failure 5',
      fields: { method: 'GET', path: '/x', status: '404' },
    });
    expect(local?.recent.at(-1)?.message).toBe('failure 24');
    expect(box).toMatchObject({
      engineId: 'box',
      kind: 'ssh',
      address: 'ssh://user@box',
      state: 'unreachable',
      error: 'ssh could not reach ssh://user@box',
    });
    expect(box?.recent.map((r) => [r.level, r.message, r.fields])).toEqual([['error', 'job failed', { kind: 'pull' }]]);
    expect(slow).toMatchObject({ state: 'unreachable', tls: true, address: 'tcp://10.0.0.9:2376' });
    expect(slow?.error).toMatch(/did not answer/);
    expect(report.recent.map((r) => r.message)).toEqual(['settings unreadable', 'from a removed engine']);
    expect(report.recent[1]?.fields).toEqual({ engineId: 'gone' });
    expect(JSON.stringify(report)).not.toContain('alice');
  });

  it('scrubs records that were never redacted, and quoted addresses without a scheme', async () => {
    const report = await collectDiagnostics({
      engines: [
        {
          entry: entry({ id: 'tcp1', host: 'tcp://bob:Sw0rdfish@10.1.1.1:2375', kind: 'tcp' }),
          ping: () => Promise.reject(new Error('getaddrinfo ENOTFOUND bob:Sw0rdfish@10.1.1.1')),
        },
      ],
      recent: [
        record({
          msg: 'registry said no to Authorization: Bearer tok.en.value',
          fields: {
            engineId: 'tcp1',
            headers: { Authorization: 'Basic YWxpY2U6cHc=' },
            note: 'X-Registry-Auth: eyJhbGci',
          },
        }),
      ],
      platform: PLATFORM,
    });
    const text = JSON.stringify(report);
    for (const secret of ['Sw0rdfish', 'bob', 'tok.en.value', 'YWxpY2U6cHc=', 'eyJhbGci']) {
      expect(text).not.toContain(secret);
    }
    expect(report.engines[0]?.address).toBe('tcp://10.1.1.1:2375');
    expect(report.engines[0]?.error).toMatch(/getaddrinfo ENOTFOUND 10\.1\.1\.1$/);
    expect(report.app.version).toBe('unknown');
  });
});

describe('engine.diagnostics through the hub', () => {
  let dir: string;
  let hubs: EngineHub[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-diag-'));
    hubs = [];
  });
  afterEach(async () => {
    await Promise.allSettled(hubs.map((h) => h.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers app, platform and every engine, and no secret fed in comes out', async () => {
    const logger = createMemoryLogger();
    const secrets = memorySecretStore();
    await secrets.set({ registry: 'registry.example', username: 'carol', password: 'R3gistryPassw0rd' });
    const hub = createEngineHub({
      settingsDir: join(dir, 'settings'),
      appVersion: '9.8.7',
      serviceOptions: {
        host: `unix://${join(dir, 'default.sock')}`,
        env: { DOCKER_CONFIG: join(dir, 'docker'), GITHUB_TOKEN: 'ghp_EnvSecretValue', HTTP_PROXY: 'http://u:EnvPw@p' },
        homeDir: dir,
        watchEvents: false,
        requestTimeoutMs: 2_000,
        secrets,
        logger,
      },
      discover: { rootfulPodmanSocket: join(dir, 'none.sock'), defaultSocket: join(dir, 'none2.sock') },
    });
    hubs.push(hub);
    const dispatch = createDispatch((engineId) => hub.handlersFor(engineId));
    const call = async (method: string, args: unknown, engine?: string): Promise<unknown> => {
      const outcome = await dispatch(method, args, engine);
      if (!outcome.ok) throw StrataError.fromShape(outcome.error);
      return outcome.value;
    };

    const added = (await call('engines.add', { name: 'Remote', host: 'tcp://alice:S3cretPass@127.0.0.1:1' })) as {
      id: string;
    };
    // A registry login (refused: nothing listens there) with a password, and a log line carrying headers.
    await expect(
      call('registries.login', { registry: '127.0.0.1:1', username: 'dave', password: 'L0ginPassw0rd' }),
    ).rejects.toBeInstanceOf(StrataError);
    logger.child({ engineId: added.id }).warn('push refused; request had Authorization: Bearer abc.def.ghi', {
      headers: { Authorization: 'Basic ZGF2ZTpwdw==', 'X-Registry-Auth': 'eyJ1c2VybmFtZSI6ImRhdmUifQ==' },
    });
    // The engine does not answer: its failed ping is logged too.
    await call('engine.ping', {}, added.id);

    const report = diagnosticsSchema.parse(await call('engine.diagnostics', {}, added.id));
    expect(report.app.version).toBe('9.8.7');
    expect(report.platform.node).toBe(process.versions.node);
    expect(report.engines.map((e) => [e.engineId, e.kind, e.address, e.state])).toEqual([
      ['default', 'unix', `unix://${join(dir, 'default.sock')}`, 'unreachable'],
      [added.id, 'tcp', 'tcp://127.0.0.1:1', 'unreachable'],
    ]);
    const remote = report.engines[1];
    expect(remote?.recent.map((r) => r.message)).toContain(
      'push refused; request had Authorization: [redacted] [redacted]',
    );
    expect(remote?.recent.some((r) => r.message === 'engine unreachable')).toBe(true);

    const text = JSON.stringify(report);
    for (const secret of [
      'S3cretPass',
      'alice',
      'R3gistryPassw0rd',
      'L0ginPassw0rd',
      'carol',
      'abc.def.ghi',
      'ZGF2ZTpwdw==',
      'eyJ1c2VybmFtZSI6ImRhdmUifQ==',
      'ghp_EnvSecretValue',
      'EnvPw',
    ]) {
      expect(text, secret).not.toContain(secret);
    }
  });
});
