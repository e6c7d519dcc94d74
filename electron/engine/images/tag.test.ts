/** images.tag and images.removeMany over recorded engine answers (the lab covers the real engine). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StrataError } from '../../../shared/errors';
import { json, startFakeEngine, type FakeEngine } from '../../../test/fixtures/engine/fake-engine';
import { createEngineService, type EngineService } from '../host/service';
import { tagTarget } from './tag';

const ID = `sha256:${'a'.repeat(64)}`;
let engine: FakeEngine;
let home: string;
let service: EngineService;

beforeEach(async () => {
  engine = await startFakeEngine();
  home = mkdtempSync(join(tmpdir(), 'strata-home-'));
  service = createEngineService({
    host: engine.host,
    env: {},
    homeDir: home,
    requestTimeoutMs: 2_000,
    watchEvents: false,
  });
});
afterEach(async () => {
  await service.close();
  await engine.close();
  rmSync(home, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<StrataError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StrataError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

const engineCalls = () => engine.seen.filter((r) => !r.url.startsWith('/_ping'));

describe('tagTarget', () => {
  it('splits repo and tag, defaulting to latest, registry host:port kept', () => {
    expect(tagTarget('127.0.0.1:5000/team/app:v1')).toEqual({ ok: true, repo: '127.0.0.1:5000/team/app', tag: 'v1' });
    expect(tagTarget('team/app')).toEqual({ ok: true, repo: 'team/app', tag: 'latest' });
  });
  it('refuses digests and image IDs', () => {
    expect(tagTarget(`app@sha256:${'b'.repeat(64)}`)).toMatchObject({ ok: false, reason: /digest/ });
    expect(tagTarget(ID)).toMatchObject({ ok: false, reason: /image ID/ });
    expect(tagTarget('c'.repeat(64))).toMatchObject({ ok: false, reason: /image ID/ });
  });
});

describe('images.tag', () => {
  it('posts one tag call per tag with repo and tag split, and lists them normalised', async () => {
    engine.route('POST', /^\/images\/.+\/tag$/, (_req, res) => {
      res.writeHead(201);
      res.end();
    });
    const result = await service.handlers['images.tag']({
      reference: 'lab/app:1.0',
      tags: ['t/x:1', '127.0.0.1:5000/t/y'],
    });
    expect(result).toEqual({ reference: 'lab/app:1.0', tagged: ['t/x:1', '127.0.0.1:5000/t/y:latest'] });
    const urls = engineCalls().map((r) => `${r.method} ${r.url}`);
    expect(urls).toEqual([
      'POST /images/lab/app:1.0/tag?repo=t%2Fx&tag=1',
      'POST /images/lab/app:1.0/tag?repo=127.0.0.1%3A5000%2Ft%2Fy&tag=latest',
    ]);
  });

  it('refuses a digest tag before any engine request', async () => {
    const error = await rejection(
      service.handlers['images.tag']({ reference: 'lab/app:1.0', tags: ['ok/x:1', `x@sha256:${'d'.repeat(64)}`] }),
    );
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toMatch(/Nothing was tagged.*digest/);
    expect(engineCalls()).toEqual([]);
  });

  it('says which tags were added and which failed when a later one fails (a 500 for a bad name)', async () => {
    engine.route('POST', /^\/images\/.+\/tag$/, (_req, res, url) => {
      if (url.searchParams.get('repo') === 't/bad') json(res, 500, { message: 'invalid reference format' });
      else {
        res.writeHead(201);
        res.end();
      }
    });
    const error = await rejection(
      service.handlers['images.tag']({ reference: 'lab/app:1.0', tags: ['t/good:1', 't/bad:1', 't/later:1'] }),
    );
    expect(error.message).toContain('added "t/good:1", "t/later:1"');
    expect(error.message).toContain('failed "t/bad:1"');
    expect(error.message).toContain('invalid reference format');
  });

  it('names the image when it does not exist', async () => {
    engine.route('POST', /^\/images\/.+\/tag$/, (_req, res) => json(res, 404, { message: 'No such image: nope:1' }));
    const error = await rejection(service.handlers['images.tag']({ reference: 'nope:1', tags: ['t/x:1'] }));
    expect(error.code).toBe('not_found');
    expect(error.message).toContain('"nope:1"');
  });
});

describe('images.removeMany', () => {
  it('removes each reference in order and keeps going after an in-use failure', async () => {
    engine.route('DELETE', /^\/images\//, (_req, res, url) => {
      if (url.pathname === '/images/t/used:1') {
        json(res, 409, {
          message:
            'conflict: unable to remove repository reference "t/used:1" (must force) - container 0123 is using its referenced image 4567',
        });
      } else json(res, 200, [{ Untagged: decodeURIComponent(url.pathname.slice(8)) }, { Deleted: ID }]);
    });
    const results = await service.handlers['images.removeMany']({ references: ['t/a:1', 't/used:1', 't/b:1'] });
    expect(results.map((r) => [r.reference, r.ok])).toEqual([
      ['t/a:1', true],
      ['t/used:1', false],
      ['t/b:1', true],
    ]);
    const failed = results[1];
    expect(failed?.ok === false && failed.error.code).toBe('conflict');
    expect(failed?.ok === false && failed.error.message).toContain('t/used:1');
    expect(results[0]?.ok === true && results[0].result).toEqual({
      reference: 't/a:1',
      untagged: ['t/a:1'],
      deleted: [ID],
    });
    expect(engineCalls().map((r) => r.url)).toEqual([
      '/images/t/a:1?force=false&noprune=false',
      '/images/t/used:1?force=false&noprune=false',
      '/images/t/b:1?force=false&noprune=false',
    ]);
  });

  it('explains removing by ID an image with several tags, naming the count and listing them', async () => {
    engine.route('DELETE', /^\/images\//, (_req, res) =>
      json(res, 409, {
        message: `conflict: unable to delete ${ID.slice(7, 19)} (must be forced) - image is referenced in multiple repositories`,
      }),
    );
    engine.route('GET', `/images/${ID}/json`, (_req, res) =>
      json(res, 200, { Id: ID, RepoTags: ['t/x:1', 't/x:2', 't/y:1'] }),
    );
    const [item] = await service.handlers['images.removeMany']({ references: [ID] });
    expect(item?.ok).toBe(false);
    if (item?.ok !== false) return;
    expect(item.error.code).toBe('conflict');
    expect(item.error.message).toContain(`"${ID}"`);
    expect(item.error.message).toContain('it has 3 tags; remove each tag, or all of them at once');
    expect(item.error.detail).toContain('tag: t/y:1');
  });

  it('images.remove maps the same conflict readably', async () => {
    engine.route('DELETE', /^\/images\//, (_req, res) =>
      json(res, 409, {
        message: 'conflict: unable to delete abc (must be forced) - image is referenced in multiple repositories',
      }),
    );
    const error = await rejection(service.handlers['images.remove']({ reference: ID }));
    expect(error.code).toBe('conflict');
    expect(error.message).toContain('remove each tag, or all of them at once');
  });
});
