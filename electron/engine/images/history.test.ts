import { describe, expect, it } from 'vitest';
import { StrataError } from '../../../shared/errors';
import { chainIdsOf, createHistoryReader, mapBounded, toHistoryEntries, type GetJson } from './history';

// sha256 of "a", "b", "c", and the chain IDs computed with sha256sum (printf '%s %s' prev diff | sha256sum).
const A = 'sha256:ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb';
const B = 'sha256:3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d';
const C = 'sha256:2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6';
const CHAIN_AB = 'sha256:51c0c8ace48498d6f5fee6b0592cc06f2da0f3cbe09c5a34a97dce85c3889676';
const DANGLING = `sha256:${'d'.repeat(64)}`;
const CHAIN_ABC = 'sha256:2fce7f8ce91bcf0a1428b36e1024639fdbd9469eea762dba98aa749631885106';

describe('chainIdsOf', () => {
  it('follows the OCI image spec', () => {
    expect(chainIdsOf([])).toEqual([]);
    expect(chainIdsOf([A])).toEqual([A]);
    expect(chainIdsOf([A, B, C])).toEqual([A, CHAIN_AB, CHAIN_ABC]);
  });
});

describe('toHistoryEntries', () => {
  it('turns the newest-first answer oldest first and drops <none> tags', () => {
    const entries = toHistoryEntries([
      { Id: 'sha256:2', Created: 20, CreatedBy: '/bin/sh -c #(nop)  CMD ["sh"]', Size: 0, Comment: '', Tags: ['x:1'] },
      { Id: '<missing>', Created: 10, CreatedBy: '', Size: 42, Comment: 'Imported from -', Tags: null },
    ]);
    expect(entries).toEqual([
      { id: '<missing>', created: 10, createdBy: '', size: 42, comment: 'Imported from -', tags: [] },
      { id: 'sha256:2', created: 20, createdBy: '/bin/sh -c #(nop)  CMD ["sh"]', size: 0, comment: '', tags: ['x:1'] },
    ]);
    expect(() => toHistoryEntries({ message: 'nope' })).toThrow(StrataError);
  });
});

describe('mapBounded', () => {
  it('never runs more than the limit at once and keeps the order', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapBounded(
      Array.from({ length: 30 }, (_, i) => i),
      8,
      async (i) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 1));
        running--;
        return i * 2;
      },
    );
    expect(peak).toBe(8);
    expect(out).toEqual(Array.from({ length: 30 }, (_, i) => i * 2));
  });
});

/** A recorded-style engine: base (1 layer, imported), app FROM base (+1), and an untagged image. */
function engine() {
  const images: Record<string, { tags: string[]; layers: string[]; history: unknown[] }> = {
    'sha256:base': {
      tags: ['lab/base:latest'],
      layers: [A],
      history: [{ Id: 'sha256:base', Created: 1, CreatedBy: '', Size: 4_000_000, Comment: 'Imported from -' }],
    },
    'sha256:app': {
      tags: ['lab/app:stable', 'lab/app:1.0'],
      layers: [A, B],
      history: [
        { Id: 'sha256:app', Created: 3, CreatedBy: '/bin/sh -c #(nop)  CMD ["cat"]', Size: 0, Comment: '' },
        { Id: '<missing>', Created: 2, CreatedBy: '/bin/sh -c echo hi > /f', Size: 3, Comment: '' },
        { Id: 'sha256:base', Created: 1, CreatedBy: '', Size: 4_000_000, Comment: 'Imported from -' },
      ],
    },
    [DANGLING]: {
      tags: [],
      layers: [A, C],
      history: [],
    },
  };
  const calls: string[] = [];
  const byName = (ref: string): string | undefined =>
    Object.keys(images).find((id) => id === ref || (images[id]?.tags.includes(ref) ?? false));
  const getJson: GetJson = async (path, context) => {
    calls.push(path);
    await Promise.resolve();
    if (path === '/images/json') {
      return Object.entries(images).map(([id, image]) => ({
        Id: id,
        RepoTags: image.tags.length === 0 ? ['<none>:<none>'] : image.tags,
      }));
    }
    const match = /^\/images\/(.+)\/(json|history)$/.exec(path);
    const id = match?.[1] === undefined ? undefined : byName(decodeURIComponent(match[1]));
    const image = id === undefined ? undefined : images[id];
    if (id === undefined || image === undefined) {
      throw new StrataError('not_found', `No image "${context.reference ?? ''}" on this engine.`);
    }
    if (match?.[2] === 'history') return image.history;
    return { Id: id, RepoTags: image.tags, RootFS: { Type: 'layers', Layers: image.layers } };
  };
  return { images, calls, getJson };
}

describe('createHistoryReader', () => {
  it('answers steps oldest first, layers with chain IDs and steps, the base and who shares what', async () => {
    const fake = engine();
    const reader = createHistoryReader({ engineId: 'default', getJson: fake.getJson });
    const history = await reader.read('lab/app:1.0');
    expect(history.imageId).toBe('sha256:app');
    expect(history.repoTags).toEqual(['lab/app:stable', 'lab/app:1.0']);
    expect(history.steps.map((s) => [s.instruction, s.madeLayer, s.layerIndex])).toEqual([
      ['', true, 0],
      ['RUN echo hi > /f', true, 1],
      ['CMD ["cat"]', false, null],
    ]);
    expect(history.mapping.kind).toBe('exact');
    expect(history.layers).toEqual([
      { diffId: A, chainId: A, size: 4_000_000, stepIndex: 0, sharedWith: ['lab/base:latest', 'dddddddddddd'] },
      { diffId: B, chainId: CHAIN_AB, size: 3, stepIndex: 1, sharedWith: [] },
    ]);
    expect(history.base).toEqual({ imageId: 'sha256:base', name: 'lab/base:latest', layerCount: 1 });
  });

  it('does not fetch content-addressed data twice, and forgets images that are gone', async () => {
    const fake = engine();
    const reader = createHistoryReader({ engineId: 'default', getJson: fake.getJson });
    await reader.read('lab/app:1.0');
    fake.calls.length = 0;
    const again = await reader.read('lab/app:1.0');
    // Only what can change: the reference's inspect (tags move) and the list (names).
    expect(fake.calls.sort()).toEqual(['/images/json', '/images/lab/app:1.0/json'].sort());
    expect(again.layers[0]?.sharedWith).toEqual(['lab/base:latest', 'dddddddddddd']);

    delete fake.images[DANGLING];
    const after = await reader.read('lab/app:1.0');
    expect(after.layers[0]?.sharedWith).toEqual(['lab/base:latest']);
    expect([...reader.cachedIds()].sort()).toEqual(['sha256:app', 'sha256:base']);
  });

  it('skips an image removed between the list and its inspect', async () => {
    const fake = engine();
    const getJson: GetJson = async (path, context) => {
      if (path.includes('dddddddddddd')) throw new StrataError('not_found', 'gone');
      return fake.getJson(path, context);
    };
    const reader = createHistoryReader({ engineId: 'default', getJson });
    const history = await reader.read('lab/app:1.0');
    expect(history.layers[0]?.sharedWith).toEqual(['lab/base:latest']);
  });

  it('answers not_found for an unknown image, and tries again after a failure', async () => {
    const fake = engine();
    let fail = true;
    const getJson: GetJson = async (path, context) => {
      if (fail && path.endsWith('/history')) throw new StrataError('engine_unreachable', 'down');
      return fake.getJson(path, context);
    };
    const reader = createHistoryReader({ engineId: 'default', getJson });
    await expect(reader.read('nope:1')).rejects.toMatchObject({ code: 'not_found' });
    await expect(reader.read('lab/app:1.0')).rejects.toMatchObject({ code: 'engine_unreachable' });
    fail = false;
    await expect(reader.read('lab/app:1.0')).resolves.toMatchObject({ imageId: 'sha256:app' });
  });
});

describe('createHistoryReader().graph', () => {
  it('answers every listed image with its chain and labelled steps, as images.history labels them', async () => {
    const fake = engine();
    const reader = createHistoryReader({ engineId: 'default', getJson: fake.getJson });
    const graph = await reader.graph();
    expect(graph.map((image) => image.imageId)).toEqual(['sha256:app', 'sha256:base', DANGLING]);
    const app = graph.find((image) => image.imageId === 'sha256:app');
    expect(app).toEqual({
      imageId: 'sha256:app',
      repoTags: ['lab/app:stable', 'lab/app:1.0'],
      layers: [
        { diffId: A, chainId: A, size: 4_000_000, stepIndex: 0 },
        { diffId: B, chainId: CHAIN_AB, size: 3, stepIndex: 1 },
      ],
      steps: [
        { instruction: '', size: 4_000_000 },
        { instruction: 'RUN echo hi > /f', size: 3 },
        { instruction: 'CMD ["cat"]', size: 0 },
      ],
    });
    // No history for the dangling image: its layers stay unlabelled, its <none> tag is dropped.
    expect(graph.find((image) => image.imageId === DANGLING)).toEqual({
      imageId: DANGLING,
      repoTags: [],
      layers: [
        { diffId: A, chainId: A, size: null, stepIndex: null },
        { diffId: C, chainId: chainIdsOf([A, C])[1], size: null, stepIndex: null },
      ],
      steps: [],
    });

    const history = await reader.read('lab/app:1.0');
    expect(app?.layers).toEqual(
      history.layers.map(({ diffId, chainId, size, stepIndex }) => ({ diffId, chainId, size, stepIndex })),
    );
    expect(app?.steps).toEqual(history.steps.map(({ instruction, size }) => ({ instruction, size })));
  });

  it('reads only the list on a second call, and forgets images that are gone', async () => {
    const fake = engine();
    const reader = createHistoryReader({ engineId: 'default', getJson: fake.getJson });
    await reader.graph();
    expect(fake.calls.filter((path) => path !== '/images/json')).toHaveLength(6);
    fake.calls.length = 0;
    const again = await reader.graph();
    expect(fake.calls).toEqual(['/images/json']);
    expect(again).toHaveLength(3);

    delete fake.images[DANGLING];
    const after = await reader.graph();
    expect(after.map((image) => image.imageId)).toEqual(['sha256:app', 'sha256:base']);
    expect([...reader.cachedIds()].sort()).toEqual(['sha256:app', 'sha256:base']);
  });

  it('skips an image removed between the list and its inspect or history, and fails on other errors', async () => {
    const fake = engine();
    const getJson: GetJson = async (path, context) => {
      if (path === '/images/sha256:app/history') throw new StrataError('not_found', 'gone');
      if (path.includes('dddddddddddd')) throw new StrataError('not_found', 'gone');
      return fake.getJson(path, context);
    };
    const reader = createHistoryReader({ engineId: 'default', getJson });
    expect((await reader.graph()).map((image) => image.imageId)).toEqual(['sha256:base']);

    const down: GetJson = async (path, context) => {
      if (path.endsWith('/history')) throw new StrataError('engine_unreachable', 'down');
      return fake.getJson(path, context);
    };
    await expect(createHistoryReader({ engineId: 'default', getJson: down }).graph()).rejects.toMatchObject({
      code: 'engine_unreachable',
    });
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const many = Array.from({ length: 40 }, (_, i) => `sha256:${String(i).padStart(64, '0')}`);
    let running = 0;
    let peak = 0;
    const getJson: GetJson = async (path) => {
      if (path === '/images/json') return many.map((id) => ({ Id: id, RepoTags: [] }));
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 1));
      running--;
      if (path.endsWith('/history')) return [{ Id: '', Created: 1, CreatedBy: '', Size: 1, Comment: '' }];
      return { RootFS: { Layers: [A] } };
    };
    const graph = await createHistoryReader({ engineId: 'default', getJson, concurrency: 8 }).graph();
    expect(graph).toHaveLength(40);
    expect(peak).toBe(8);
  });
});
