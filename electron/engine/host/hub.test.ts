/**
 * The engine hub without an engine: services on sockets that do not exist (no events watched), real settings files
 * in temp dirs. What needs an engine answering is in test/integration/engines.test.ts.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineEntry } from '../../../shared/api';
import { createDispatch } from '../../../shared/dispatch';
import { StrataError } from '../../../shared/errors';
import { contextDirName } from '../core/endpoint';
import { createEngineHub, slugOf, type EngineHub } from './hub';
import { createEngineService, type EngineService } from './service';

let dir: string;
let hubs: EngineHub[];
let closedServices: string[];

function hub(settingsDir = join(dir, 'settings'), onProblem?: (message: string) => void): EngineHub {
  const created = createEngineHub({
    settingsDir,
    serviceOptions: {
      host: `unix://${join(dir, 'default.sock')}`,
      env: { DOCKER_CONFIG: join(dir, 'docker') },
      homeDir: dir,
      watchEvents: false,
    },
    discover: { rootfulPodmanSocket: join(dir, 'none.sock'), defaultSocket: join(dir, 'none2.sock') },
    createService: (options) => {
      const service: EngineService = createEngineService(options);
      return {
        ...service,
        close: async () => {
          closedServices.push(service.engineId);
          await service.close();
        },
      };
    },
    ...(onProblem === undefined ? {} : { onProblem }),
  });
  hubs.push(created);
  return created;
}

function call(h: EngineHub) {
  const dispatch = createDispatch((engineId) => h.handlersFor(engineId));
  return async (method: string, args: unknown, engine?: string): Promise<unknown> => {
    const outcome = await dispatch(method, args, engine);
    if (!outcome.ok) throw StrataError.fromShape(outcome.error);
    return outcome.value;
  };
}

async function failure(promise: Promise<unknown>): Promise<StrataError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as StrataError,
  );
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-hub-'));
  hubs = [];
  closedServices = [];
});

afterEach(async () => {
  await Promise.allSettled(hubs.map((h) => h.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('the engine hub', () => {
  it('holds the default engine, answers not_found for any other', async () => {
    const h = hub();
    const c = call(h);
    expect(await c('engines.list', {})).toEqual([
      {
        id: 'default',
        name: `unix://${join(dir, 'default.sock')}`,
        host: `unix://${join(dir, 'default.sock')}`,
        kind: 'unix',
        tls: false,
        source: 'environment',
        removable: false,
      },
    ]);
    const error = await failure(c('images.list', {}, 'nope'));
    expect(error.code).toBe('not_found');
    expect(error.message).toBe('There is no engine "nope" in Strata; it may have been removed.');
    expect((await failure(c('images.list', {}, 'Not An Id'))).code).toBe('invalid_argument');
  });

  it('adds engines with slug ids, lists them in order, and writes engines.json privately and atomically', async () => {
    const settings = join(dir, 'settings');
    const h = hub(settings);
    const c = call(h);
    const a = (await c('engines.add', { name: 'Build box!', host: `unix://${join(dir, 'a.sock')}` })) as EngineEntry;
    const b = (await c('engines.add', { name: 'Remote', host: 'ssh://me@remote.example:2200' })) as EngineEntry;
    expect(a.id).toMatch(/^build-box-[0-9a-f]{6}$/);
    expect(b).toMatchObject({ name: 'Remote', kind: 'ssh', host: 'ssh://me@remote.example:2200', source: 'added' });
    expect(((await c('engines.list', {})) as EngineEntry[]).map((e) => e.id)).toEqual(['default', a.id, b.id]);
    // Calls go to the named engine's own service.
    expect(await c('engine.ping', {}, a.id)).toMatchObject({ engineId: a.id, state: 'unreachable' });

    const file = join(settings, 'engines.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      version: 1,
      engines: [
        { id: a.id, name: 'Build box!', host: `unix://${join(dir, 'a.sock')}` },
        { id: b.id, name: 'Remote', host: 'ssh://me@remote.example:2200' },
      ],
    });
    expect(readdirSync(settings)).toEqual(['engines.json']);
  });

  it('refuses engines it could never open or that are already there', async () => {
    const c = call(hub());
    const code = async (args: unknown): Promise<string> => (await failure(c('engines.add', args))).code;
    expect(await code({ name: 'Pipe', host: 'npipe:////./pipe/docker_engine' })).toBe('invalid_argument');
    expect(await code({ name: 'Bad port', host: 'tcp://box:0' })).toBe('invalid_argument');
    expect(await code({ name: 'Bad ssh', host: 'ssh://-oProxyCommand=x' })).toBe('invalid_argument');
    expect(await code({ name: 'TLS on unix', host: 'unix:///x.sock', tls: { caFile: '/etc/hostname' } })).toBe(
      'invalid_argument',
    );
    expect(await code({ name: 'No file', host: 'tcp://box:2376', tls: { caFile: join(dir, 'missing.pem') } })).toBe(
      'invalid_argument',
    );
    writeFileSync(join(dir, 'not-a-cert.pem'), 'hello');
    const notPem = await failure(
      c('engines.add', { name: 'Not PEM', host: 'tcp://box:2376', tls: { caFile: join(dir, 'not-a-cert.pem') } }),
    );
    expect(notPem.message).toBe(
      `The TLS CA certificate file ${join(dir, 'not-a-cert.pem')} does not hold a PEM certificate.`,
    );
    expect(await code({ name: 'Same', host: `unix://${join(dir, 'default.sock')}` })).toBe('conflict');
    await c('engines.add', { name: 'One', host: 'tcp://box:2375' });
    expect(await code({ name: ' one ', host: 'tcp://other:2375' })).toBe('conflict');
    expect(await code({ name: 'Two', host: 'tcp://box' })).toBe('conflict');
  });

  it('removes an added engine (closing its service), never the default one', async () => {
    const h = hub();
    const c = call(h);
    const a = (await c('engines.add', { name: 'Gone soon', host: 'tcp://box:2375' })) as EngineEntry;
    expect((await failure(c('engines.remove', { id: 'default' }))).code).toBe('conflict');
    expect(await c('engines.remove', { id: a.id })).toEqual({ removed: true });
    expect(closedServices).toEqual([a.id]);
    expect((await failure(c('engine.ping', {}, a.id))).code).toBe('not_found');
    expect(await c('engines.remove', { id: a.id })).toEqual({ removed: false });
    expect(JSON.parse(readFileSync(join(dir, 'settings', 'engines.json'), 'utf8'))).toEqual({
      version: 1,
      engines: [],
    });
    await h.close();
    expect(closedServices).toEqual([a.id, 'default']);
  });

  it('brings the added engines back in a new hub on the same folder', async () => {
    const first = call(hub());
    const a = (await first('engines.add', { name: 'Kept', host: 'tcp://box:2375' })) as EngineEntry;
    const again = call(hub());
    expect(((await again('engines.list', {})) as EngineEntry[]).map((e) => [e.id, e.name])).toEqual([
      ['default', `unix://${join(dir, 'default.sock')}`],
      [a.id, 'Kept'],
    ]);
  });

  it('reports a corrupt or foreign engines.json once and starts with the default engine only', () => {
    for (const [name, text, expected] of [
      ['broken', '{"version":1,"engines":[', /is not valid JSON/],
      ['foreign', '{"version":7,"engines":"all of them"}', /is not a Strata engine list/],
    ] as const) {
      const settings = join(dir, name);
      mkdirSync(settings);
      writeFileSync(join(settings, 'engines.json'), text);
      const problems: string[] = [];
      const h = hub(settings, (message) => problems.push(message));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(expected);
      expect(h.settingsProblem).toBe(problems[0]);
      expect(h.engines().map((e) => e.id)).toEqual(['default']);
    }
  });

  it('cancels a job only on the engine that has it: an unknown job is not_found', async () => {
    const c = call(hub());
    await c('engines.add', { name: 'Other', host: 'tcp://box:2375' });
    expect(await c('jobs.list', {})).toEqual([]);
    expect((await failure(c('jobs.cancel', { jobId: 'job-other-x-1' }))).code).toBe('not_found');
  });

  it('offers the docker contexts and marks the one already added', async () => {
    const meta = join(dir, 'docker', 'contexts', 'meta', contextDirName('remote'));
    mkdirSync(meta, { recursive: true });
    writeFileSync(
      join(meta, 'meta.json'),
      JSON.stringify({ Name: 'remote', Endpoints: { docker: { Host: 'ssh://me@remote.example' } } }),
    );
    const broken = join(dir, 'docker', 'contexts', 'meta', contextDirName('broken'));
    mkdirSync(broken, { recursive: true });
    writeFileSync(join(broken, 'meta.json'), '{');
    const c = call(hub());
    expect(await c('engines.discover', {})).toEqual([
      {
        name: 'remote',
        host: 'ssh://me@remote.example',
        kind: 'ssh',
        tls: null,
        source: 'docker-context',
        description: 'docker context "remote"',
        added: false,
      },
    ]);
    await c('engines.add', { name: 'Remote', host: 'ssh://me@remote.example' });
    expect(await c('engines.discover', {})).toMatchObject([{ name: 'remote', added: true }]);
  });
});

describe('slugOf', () => {
  it('makes a valid id part of any name', () => {
    expect(slugOf('Build box!')).toBe('build-box');
    expect(slugOf('  ')).toBe('engine');
    expect(slugOf('default')).toBe('engine');
    expect(slugOf('Ünïcödé ЖЖ')).toBe('unicode');
    expect(slugOf('x'.repeat(100))).toHaveLength(40);
  });
});
