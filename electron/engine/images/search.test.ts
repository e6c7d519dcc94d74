import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, startFakeEngine, type FakeEngine } from '../../../test/fixtures/engine/fake-engine';
import { HUB_UNREACHABLE_MESSAGE, searchError } from '../core/operation-errors';
import { toSearchResults } from './search';
import { createEngineService, type EngineService } from '../host/service';

const fixtures = join(__dirname, '../../../test/fixtures/engine');
const recorded = (file: string): string => readFileSync(join(fixtures, file), 'utf8');

describe('search results', () => {
  it('maps name, description, stars, official and automated from a Docker Hub answer', () => {
    expect(toSearchResults(JSON.parse(recorded('search-alpine.json')))).toEqual([
      {
        name: 'alpine',
        description:
          'A minimal Docker image based on Alpine Linux with a complete package index and only 5 MB in size!',
        stars: 11234,
        official: true,
        automated: false,
      },
      {
        name: 'someone/alpine-tools',
        description: '<b>tools</b> & things',
        stars: 42,
        official: false,
        automated: true,
      },
      { name: 'bare/alpine', description: '', stars: 0, official: false, automated: false },
    ]);
  });

  it('skips entries without a name and tolerates missing fields', () => {
    expect(toSearchResults([{ description: 'x' }, null, { name: 'a' }])).toEqual([
      { name: 'a', description: '', stars: 0, official: false, automated: false },
    ]);
    expect(() => toSearchResults({ message: 'x' })).toThrow(/not a list/);
  });

  it('turns the engine answer without internet into the one clear message', () => {
    const error = searchError(500, recorded('search-offline-500.json'), 'alpine');
    expect(error.code).toBe('engine_error');
    expect(error.message).toBe(HUB_UNREACHABLE_MESSAGE);
    expect(error.message).toBe(
      'Docker Hub search needs the engine to reach index.docker.io, and it could not (no internet connection or DNS). Images already on this engine are unaffected.',
    );
    expect(error.detail).toContain('no such host');
  });
});

describe('images.search on a recorded engine', () => {
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

  it('asks the engine with term and limit and returns the rows', async () => {
    engine.route('GET', '/images/search', (_req, res) => json(res, 200, JSON.parse(recorded('search-alpine.json'))));
    const rows = await service.handlers['images.search']({ term: ' alpine ', limit: 5 });
    expect(rows.map((r) => r.name)).toEqual(['alpine', 'someone/alpine-tools', 'bare/alpine']);
    expect(engine.seen[0]?.url).toBe('/images/search?term=alpine&limit=5');
  });

  it('fails with the clear message when the engine cannot reach Docker Hub', async () => {
    engine.route('GET', '/images/search', (_req, res) =>
      json(res, 500, JSON.parse(recorded('search-offline-500.json'))),
    );
    await expect(service.handlers['images.search']({ term: 'alpine', limit: 25 })).rejects.toMatchObject({
      code: 'engine_error',
      message: HUB_UNREACHABLE_MESSAGE,
    });
  });
});
