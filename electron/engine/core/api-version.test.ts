import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, startFakeEngine, type FakeEngine } from '../../../test/fixtures/engine/fake-engine';
import {
  NEWEST_API,
  apiAtLeast,
  compareApi,
  compatibilityNotes,
  negotiateApi,
  usesContainerdStore,
} from './api-version';
import { EngineClient } from './client';

describe('API version negotiation', () => {
  it('compares versions numerically', () => {
    expect(compareApi('1.41', '1.9')).toBeGreaterThan(0);
    expect(compareApi('1.41', '1.41')).toBe(0);
    expect(compareApi('1.40', '1.41')).toBeLessThan(0);
    expect(apiAtLeast('1.42', '1.42')).toBe(true);
    expect(apiAtLeast('1.41', '1.42')).toBe(false);
    expect(apiAtLeast(undefined, '1.0')).toBe(false);
  });

  it("speaks the engine's own version when Strata knows it", () => {
    expect(negotiateApi('1.41', '1.12')).toEqual({
      version: '1.41',
      engineApi: '1.41',
      engineMinApi: '1.12',
      note: null,
    });
    expect(negotiateApi('1.52', '1.44').version).toBe('1.52');
  });

  it('caps a newer engine at the newest version Strata was checked against', () => {
    const negotiated = negotiateApi('1.57', '1.44');
    expect(negotiated.version).toBe(NEWEST_API);
    expect(negotiated.note).toBeNull();
  });

  it("goes up to an engine's minimum when that is above Strata's newest, and says so", () => {
    const negotiated = negotiateApi('1.70', '1.60');
    expect(negotiated.version).toBe('1.60');
    expect(negotiated.note).toMatch(/accepts API 1\.60 or newer only/);
  });

  it('explains an engine older than 1.41 instead of failing', () => {
    const negotiated = negotiateApi('1.40', '1.12');
    expect(negotiated.version).toBe('1.40');
    expect(negotiated.note).toMatch(/older than 1\.41 \(Docker Engine 20\.10\)/);
  });

  it('sends unversioned requests when the engine does not say', () => {
    expect(negotiateApi(undefined, undefined).version).toBeUndefined();
    expect(negotiateApi('banana', undefined).version).toBeUndefined();
  });
});

describe('a client that negotiates', () => {
  let engine: FakeEngine;
  beforeEach(async () => {
    engine = await startFakeEngine();
    engine.route('GET', '/images/json', (_req, res) => json(res, 200, []));
  });
  afterEach(async () => {
    await engine.close();
  });

  const client = () =>
    new EngineClient({
      connection: { kind: 'unix', socketPath: engine.socketPath },
      address: engine.host,
      requestTimeoutMs: 2000,
      negotiate: true,
    });

  it('asks once, then sends every request with the version both sides speak', async () => {
    engine.route('GET', '/version', (_req, res) => json(res, 200, { ApiVersion: '1.57', MinAPIVersion: '1.44' }));
    const c = client();
    await Promise.all([
      c.json({ method: 'GET', path: '/images/json' }),
      c.json({ method: 'GET', path: '/images/json' }),
    ]);
    await c.json({ method: 'GET', path: '/images/json' });
    expect(engine.versionQuestions.count).toBe(1);
    expect(engine.seen.map((r) => `${r.apiVersion ?? '-'} ${r.url}`)).toEqual([
      `${NEWEST_API} /images/json`,
      `${NEWEST_API} /images/json`,
      `${NEWEST_API} /images/json`,
    ]);
    c.close();
  });

  it("speaks the lab engine's 1.41, and unversioned when the engine does not say", async () => {
    engine.route('GET', '/version', (_req, res) => json(res, 200, { ApiVersion: '1.41', MinAPIVersion: '1.12' }));
    const c = client();
    await c.json({ method: 'GET', path: '/images/json' });
    expect(engine.seen[0]?.apiVersion).toBe('1.41');
    expect((await c.apiVersions()).version).toBe('1.41');
    c.close();

    engine.route('GET', '/version', (_req, res) => json(res, 500, { message: 'no' }));
    const other = client();
    await other.json({ method: 'GET', path: '/images/json' });
    expect(engine.seen[1]?.apiVersion).toBeUndefined();
    other.close();
  });

  it('asks again after the engine was unreachable (it may have been upgraded)', async () => {
    engine.route('GET', '/version', (_req, res) => json(res, 200, { ApiVersion: '1.41', MinAPIVersion: '1.12' }));
    const socketPath = engine.socketPath;
    const c = client();
    await c.json({ method: 'GET', path: '/images/json' });
    await engine.close();
    await expect(c.json({ method: 'GET', path: '/images/json' })).rejects.toMatchObject({ code: 'engine_unreachable' });
    engine = await startFakeEngine(socketPath);
    engine.route('GET', '/version', (_req, res) => json(res, 200, { ApiVersion: '1.52', MinAPIVersion: '1.44' }));
    engine.route('GET', '/images/json', (_req, res) => json(res, 200, []));
    await c.json({ method: 'GET', path: '/images/json' });
    expect(engine.versionQuestions.count).toBe(1);
    expect(engine.seen[0]?.apiVersion).toBe('1.52');
    c.close();
  });
});

describe('what works differently', () => {
  it('tells the containerd image store from /info', () => {
    expect(usesContainerdStore({ DriverStatus: [['driver-type', 'io.containerd.snapshotter.v1']] })).toBe(true);
    expect(usesContainerdStore({ DriverStatus: [['Backing Filesystem', 'extfs']] })).toBe(false);
    expect(usesContainerdStore({})).toBe(false);
  });

  it('has nothing to say about the lab engine (1.41, classic store)', () => {
    expect(compatibilityNotes(negotiateApi('1.41', '1.12'), false)).toEqual([]);
  });

  it('explains volume cleanup, OCI saves and the containerd store on a current engine', () => {
    const topics = compatibilityNotes(negotiateApi('1.52', '1.44'), true).map((n) => n.topic);
    expect(topics).toEqual(['Volume cleanup', 'Save', 'Image store']);
    expect(compatibilityNotes(negotiateApi('1.40', '1.12'), false).map((n) => n.topic)).toEqual(['API version']);
  });
});
