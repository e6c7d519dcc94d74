/** The logging engine client against a fake engine: failed requests are logged without headers, query or body. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StrataError } from '../../../shared/errors';
import { json, startFakeEngine, type FakeEngine } from '../../../test/fixtures/engine/fake-engine';
import { createMemoryLogger, type MemoryLogger } from './logger';
import { LoggingEngineClient } from './request-log';

const AUTH = 'Bearer sEcReT.jwt.value';
const REGISTRY_AUTH = 'eyJ1c2VybmFtZSI6ImFsaWNlIiwicGFzc3dvcmQiOiJodW50ZXIyIn0=';

let fake: FakeEngine;
let log: MemoryLogger;
let client: LoggingEngineClient;

beforeEach(async () => {
  fake = await startFakeEngine();
  log = createMemoryLogger();
  client = new LoggingEngineClient(
    { connection: { kind: 'unix', socketPath: fake.socketPath }, address: fake.host, requestTimeoutMs: 1_000 },
    log.child({ engineId: 'default' }),
  );
  fake.route('GET', '/images/json', (_req, res) => json(res, 200, []));
  fake.route('POST', '/images/lab%2Fapp:1/push', (_req, res) => json(res, 401, { message: 'unauthorized' }));
  fake.route('GET', '/build', (_req, res) => json(res, 500, { message: 'boom' }));
});
afterEach(async () => {
  client.close();
  await fake.close();
});

const everything = (): string => JSON.stringify(log.records) + JSON.stringify(log.recent());

describe('LoggingEngineClient', () => {
  it('logs a failed request with method, path and status, never a header value, the query or the body', async () => {
    const res = await client.request({
      method: 'POST',
      path: '/images/lab%2Fapp:1/push',
      query: { tag: '1', password: 'QueryPassw0rd' },
      headers: { Authorization: AUTH, 'X-Registry-Auth': REGISTRY_AUTH },
      body: { password: 'BodyPassw0rd' },
    });
    expect(res.status).toBe(401);
    // The engine did get the headers: they were sent, just not logged.
    expect(fake.seen.at(-1)?.headers['x-registry-auth']).toBe(REGISTRY_AUTH);

    expect(log.records).toHaveLength(1);
    const [record] = log.records;
    expect(record).toMatchObject({
      level: 'warn',
      msg: 'engine request failed',
      fields: { engineId: 'default', method: 'POST', path: '/images/lab%2Fapp:1/push', status: 401 },
    });
    expect(typeof record?.fields['durationMs']).toBe('number');
    expect(log.recent()).toEqual(log.records);
    for (const secret of ['sEcReT.jwt.value', REGISTRY_AUTH, 'QueryPassw0rd', 'BodyPassw0rd', 'unauthorized']) {
      expect(everything()).not.toContain(secret);
    }
  });

  it('logs a failed stream too, and nothing for a request that succeeds', async () => {
    await client.request({ method: 'GET', path: '/images/json', headers: { Authorization: AUTH } });
    expect(log.records).toEqual([]);

    const res = await client.stream({ method: 'GET', path: '/build', headers: { 'X-Registry-Config': REGISTRY_AUTH } });
    res.stream.resume();
    expect(res.status).toBe(500);
    expect(log.records.map((r) => [r.level, r.fields['method'], r.fields['path'], r.fields['status']])).toEqual([
      ['warn', 'GET', '/build', 500],
    ]);
    expect(everything()).not.toContain(REGISTRY_AUTH);
  });

  it('logs a request the engine never answered with its error code, and a cancelled one only at debug', async () => {
    await fake.close();
    await expect(
      client.request({ method: 'GET', path: '/info', headers: { Authorization: AUTH } }),
    ).rejects.toBeInstanceOf(StrataError);
    expect(log.records.map((r) => [r.level, r.msg, r.fields['method'], r.fields['path'], r.fields['code']])).toEqual([
      ['warn', 'engine request failed', 'GET', '/info', 'engine_unreachable'],
    ]);

    const aborted = new AbortController();
    aborted.abort();
    await expect(client.request({ method: 'GET', path: '/info', signal: aborted.signal })).rejects.toBeDefined();
    expect(log.records.at(-1)?.level).toBe('debug');
    expect(log.recent()).toHaveLength(1);
    expect(everything()).not.toContain('sEcReT.jwt.value');
    fake = await startFakeEngine();
  });
});
