import { describe, expect, it } from 'vitest';
import { METHOD_NAMES, api, type Handlers } from './api';
import { buildBridge } from './bridge';
import { createDispatch } from './dispatch';
import { StrataError } from './errors';

function handlers(calls: string[]): Handlers {
  const record =
    (name: string, value: unknown) =>
    (args: unknown): Promise<never> => {
      calls.push(`${name} ${JSON.stringify(args)}`);
      return Promise.resolve(value as never);
    };
  // Every method answers a recorded value; the ones the tests below look at are spelled out.
  const others = Object.fromEntries(METHOD_NAMES.map((name) => [name, record(name, {})])) as unknown as Handlers;
  return {
    ...others,
    'engine.ping': record('engine.ping', {}),
    'engine.info': record('engine.info', {}),
    'images.list': record('images.list', []),
    'images.inspect': record('images.inspect', {}),
    'images.history': record('images.history', {}),
    'layers.graph': record('layers.graph', []),
    'images.remove': record('images.remove', { reference: 'x', untagged: ['x'], deleted: [] }),
    'images.pull': record('images.pull', { jobId: 'j1' }),
    'jobs.list': record('jobs.list', []),
    'jobs.cancel': () => Promise.reject(new StrataError('not_found', 'There is no job j9.')),
  };
}

describe('the contract table', () => {
  it('names every method domain.verb, and flags pull as a job', () => {
    for (const name of METHOD_NAMES) expect(name).toMatch(/^[a-z]+\.[a-z][A-Za-z]*$/);
    expect(api['images.pull'].job).toBe(true);
    expect(api['images.list'].job).toBe(false);
    const jobs = METHOD_NAMES.filter((name) => api[name].job);
    expect(jobs.sort()).toEqual(
      [
        'images.pull',
        'images.push',
        'images.build',
        'images.save',
        'images.load',
        'images.import',
        'images.prune',
        'containers.export',
        'disk.cleanup',
      ].sort(),
    );
  });
});

describe('createDispatch', () => {
  it('passes validated arguments to the handler and wraps the result', async () => {
    const calls: string[] = [];
    const dispatch = createDispatch(handlers(calls));
    await expect(dispatch('images.remove', { reference: 'lab/app:1.0', force: true })).resolves.toEqual({
      ok: true,
      value: { reference: 'x', untagged: ['x'], deleted: [] },
    });
    expect(calls).toEqual(['images.remove {"reference":"lab/app:1.0","force":true}']);
  });

  it('hands the handler the parsed arguments, with the schema defaults filled in, not the raw ones', async () => {
    const calls: string[] = [];
    const dispatch = createDispatch(handlers(calls));
    const outcome = await dispatch('images.build', { contextPath: '/srv/app' });
    expect(outcome.ok).toBe(true);
    expect(calls).toHaveLength(1);
    const received = JSON.parse((calls[0] ?? '').replace(/^images\.build /, '')) as unknown;
    expect(received).toEqual({
      contextPath: '/srv/app',
      dockerfile: 'Dockerfile',
      tags: [],
      buildArgs: {},
      noCache: false,
      pull: false,
    });
  });

  it.each([
    ['uppercase', 'Lab/App'],
    ['spaces', 'lab app'],
    ['a 129-character tag', `lab:${'t'.repeat(129)}`],
    ['a query string', 'x?force=true'],
    ['empty', ''],
  ])('rejects %s before the handler runs', async (_what, reference) => {
    const calls: string[] = [];
    const dispatch = createDispatch(handlers(calls));
    const outcome = await dispatch('images.remove', { reference });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.code).toBe('invalid_argument');
      expect(outcome.error.message).toContain('not a valid image reference');
    }
    expect(calls).toEqual([]);
  });

  it('rejects unknown methods, extra arguments and wrong types', async () => {
    const calls: string[] = [];
    const dispatch = createDispatch(handlers(calls));
    expect(await dispatch('images.nuke', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await dispatch('toString', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await dispatch('images.list', { all: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    expect(await dispatch('images.remove', { reference: 'a', force: 'yes' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    expect(calls).toEqual([]);
  });

  it('carries a handler error across as its shape', async () => {
    const dispatch = createDispatch(handlers([]));
    expect(await dispatch('jobs.cancel', { jobId: 'j9' })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'There is no job j9.' },
    });
  });
});

describe('routing a call to an engine', () => {
  it('goes to the default engine unless the call names another, and checks the name', async () => {
    const calls: string[] = [];
    const byEngine = { default: handlers(calls), lab2: handlers(calls) };
    const seen: string[] = [];
    const dispatch = createDispatch((engineId) => {
      seen.push(engineId);
      const table = byEngine[engineId as keyof typeof byEngine] as Handlers | undefined;
      if (table === undefined) throw new StrataError('not_found', `There is no engine "${engineId}" in Strata.`);
      return table;
    });
    expect((await dispatch('images.list', {})).ok).toBe(true);
    expect((await dispatch('images.list', {}, 'lab2')).ok).toBe(true);
    expect(seen).toEqual(['default', 'lab2']);
    expect(await dispatch('images.list', {}, 'gone')).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'There is no engine "gone" in Strata.' },
    });
    expect(await dispatch('images.list', {}, '../x')).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(seen).toEqual(['default', 'lab2', 'gone']);
  });
});

describe('buildBridge', () => {
  it('has one frozen function per method, grouped by domain', async () => {
    const seen: string[] = [];
    const bridge = buildBridge(
      (method, args) => {
        seen.push(`${method} ${JSON.stringify(args)}`);
        return Promise.resolve({ ok: true, value: null });
      },
      { subscribe: () => () => undefined },
    );
    await bridge.images.list({});
    await bridge.jobs.cancel({ jobId: 'j1' });
    // `events` holds both the push subscription and the events.* methods.
    await bridge.events.list({ limit: 5 });
    expect(typeof bridge.events.subscribe).toBe('function');
    expect(seen).toEqual(['images.list {}', 'jobs.cancel {"jobId":"j1"}', 'events.list {"limit":5}']);
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.isFrozen(bridge.images)).toBe(true);
    expect(Object.isFrozen(bridge.events)).toBe(true);
    expect(Object.isFrozen(bridge.files)).toBe(true);
    const count = Object.entries(bridge)
      .filter(([domain]) => domain !== 'files')
      .reduce((n, [, verbs]) => n + Object.keys(verbs as object).filter((verb) => verb !== 'subscribe').length, 0);
    expect(count).toBe(METHOD_NAMES.length);
  });
});
