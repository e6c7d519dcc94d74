/**
 * images.history against the lab engine: the seeded images (test/lab/lab.ts, classic builder) give exact
 * step-to-layer mappings, the instructions of their Dockerfiles, chain IDs as the OCI spec defines them,
 * the expected base-image tree and shared layers; bad input never reaches the engine.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageHistory } from '../../shared/api';
import { createDispatch } from '../../shared/dispatch';
import { singleEngineHost } from '../../electron/engine/host/single-engine';
import { labDocker, labInfo, type LabInfo } from '../lab/context';
import { serviceOn, type ServiceUnderTest } from './engine-helpers';

let lab: LabInfo;
let sut: ServiceUnderTest;

beforeAll(() => {
  lab = labInfo();
  sut = serviceOn(lab.dockerHost);
});
afterAll(async () => {
  await sut.close();
});

const history = (reference: string): Promise<ImageHistory> => sut.service.handlers['images.history']({ reference });

/** Diff IDs as `docker inspect` shows them, and chain IDs computed here from them (OCI image spec). */
async function layersByCli(reference: string): Promise<{ diffIds: string[]; chainIds: string[] }> {
  const out = await labDocker(lab, ['image', 'inspect', '--format', '{{json .RootFS.Layers}}', reference]);
  const diffIds = JSON.parse(out) as string[];
  const chainIds: string[] = [];
  for (const diffId of diffIds) {
    const previous = chainIds.at(-1);
    chainIds.push(
      previous === undefined
        ? diffId
        : `sha256:${createHash('sha256').update(`${previous} ${diffId}`, 'utf8').digest('hex')}`,
    );
  }
  return { diffIds, chainIds };
}

async function idOf(reference: string): Promise<string> {
  return (await labDocker(lab, ['image', 'inspect', '--format', '{{.Id}}', reference])).trim();
}

describe('images.history on the lab images', () => {
  it('lab/app-debug:1.0: every step of its Dockerfiles, oldest first, each layer labelled with its step', async () => {
    const debug = await history(lab.images.appDebug);
    expect(debug.imageId).toBe(await idOf(lab.images.appDebug));
    expect(debug.repoTags).toEqual([lab.images.appDebug]);
    expect(debug.mapping.kind).toBe('exact');
    expect(debug.mapping.note).toMatch(/^Each layer is labelled with the step that made it/);

    // The import of lab/base, then lab/app's Dockerfile, then lab/app-debug's (classic builder records).
    expect(debug.steps.map((step) => step.instruction)).toEqual([
      '',
      'LABEL org.opencontainers.image.title=Lab app org.opencontainers.image.version=1.0',
      "RUN mkdir -p /app && echo 'lab app 1.0' > /app/version.txt",
      'WORKDIR /app',
      'CMD ["cat" "/app/version.txt"]',
      'ENV LAB_DEBUG=1',
      "RUN echo 'debug build' > /app/debug.txt",
      'CMD ["cat" "/app/debug.txt"]',
    ]);
    expect(debug.steps[0]?.comment).toBe('strata lab busybox rootfs');
    expect(debug.steps.map((step) => step.madeLayer)).toEqual([true, false, true, false, false, false, true, false]);
    expect(debug.steps.map((step) => step.layerIndex)).toEqual([0, null, 1, null, null, null, 2, null]);
    // Oldest first: created never goes back in time.
    const created = debug.steps.map((step) => step.created);
    expect([...created].sort((a, b) => a - b)).toEqual(created);
    // The full command is there as the engine reports it.
    expect(debug.steps[6]?.createdBy).toBe("/bin/sh -c echo 'debug build' > /app/debug.txt");

    const cli = await layersByCli(lab.images.appDebug);
    expect(debug.layers.map((layer) => layer.diffId)).toEqual(cli.diffIds);
    expect(debug.layers.map((layer) => layer.chainId)).toEqual(cli.chainIds);
    expect(debug.layers.map((layer) => layer.stepIndex)).toEqual([0, 2, 6]);
    for (const layer of debug.layers) {
      expect(layer.size).toBe(debug.steps[layer.stepIndex ?? -1]?.size);
      expect(layer.size).toBeGreaterThan(0);
    }
  });

  it('lab/app-debug:1.0: its base is lab/app, and the base layer is shared by every other lab image', async () => {
    const debug = await history(lab.images.appDebug);
    const app = await layersByCli(lab.images.app);
    expect(debug.base).toEqual({
      imageId: await idOf(lab.images.app),
      name: 'lab/app:1.0',
      layerCount: app.diffIds.length,
    });
    expect(lab.images.appTags).toContain(debug.base?.name);

    const everyOther = [
      'lab/app:1.0',
      lab.images.base,
      lab.images.tool,
      lab.images.toolExtra,
      'lab/scratchpad:1',
      lab.images.danglingId.replace(/^sha256:/, '').slice(0, 12),
    ];
    expect(debug.layers[0]?.sharedWith).toEqual(expect.arrayContaining(everyOther));
    expect(debug.layers[0]?.sharedWith).not.toContain(lab.images.appDebug);
    expect(debug.layers[1]?.sharedWith).toEqual(['lab/app:1.0']);
    expect(debug.layers[2]?.sharedWith).toEqual([]);
  });

  it('lab/base:latest (imported): one layer, one step, mapping exact, no base', async () => {
    const base = await history(lab.images.base);
    const cli = await layersByCli(lab.images.base);
    expect(base.steps).toHaveLength(1);
    expect(base.steps[0]).toMatchObject({
      createdBy: '',
      instruction: '',
      comment: 'strata lab busybox rootfs',
      madeLayer: true,
      layerIndex: 0,
    });
    expect(base.layers).toHaveLength(1);
    expect(base.layers[0]).toMatchObject({ diffId: cli.diffIds[0], chainId: cli.diffIds[0], stepIndex: 0 });
    expect(base.layers[0]?.size).toBeGreaterThan(0);
    expect(base.mapping.kind).toBe('exact');
    expect(base.base).toBeNull();
  });

  it('the seeded images form the expected tree of base images', async () => {
    const expected: Record<string, string | null> = {
      [lab.images.base]: null,
      [lab.images.app]: lab.images.base,
      'lab/app:stable': lab.images.base,
      [lab.images.appDebug]: 'lab/app:1.0',
      [lab.images.tool]: lab.images.base,
      [lab.images.toolExtra]: lab.images.tool,
      'lab/scratchpad:1': lab.images.base,
      [lab.images.danglingId]: lab.images.base,
    };
    const actual: Record<string, string | null> = {};
    for (const reference of Object.keys(expected)) {
      const answer = await history(reference);
      expect(answer.mapping.kind, reference).toBe('exact');
      actual[reference] = answer.base?.name ?? null;
    }
    expect(actual).toEqual(expected);
    expect((await history(lab.images.danglingId)).repoTags).toEqual([]);
  });

  it('asks the engine again only for what can change (the tag and the list)', async () => {
    await history(lab.images.toolExtra);
    const before = sut.requests.length;
    const again = await history(lab.images.toolExtra);
    expect(again.base?.name).toBe(lab.images.tool);
    expect(
      sut.requests
        .slice(before)
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ).toEqual(['GET /images/json', `GET /images/${lab.images.toolExtra}/json`].sort());
  });
});

describe('images.history refuses what it cannot answer', () => {
  it('rejects invalid references before any engine call, directly and through the dispatcher', async () => {
    const dispatch = createDispatch(singleEngineHost(sut.service).handlers);
    const before = sut.requests.length;
    for (const reference of ['Lab/App:1.0', 'lab app', '', 'lab/app:1.0?force=true', '../../containers/json']) {
      await expect(history(reference), JSON.stringify(reference)).rejects.toMatchObject({ code: 'invalid_argument' });
      const outcome = await dispatch('images.history', { reference });
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.error.code).toBe('invalid_argument');
    }
    expect(sut.requests.slice(before)).toEqual([]);
  });

  it('answers not_found with a readable message for an unknown image', async () => {
    await expect(history('lab/nope:1.0')).rejects.toMatchObject({
      code: 'not_found',
      message: 'No image "lab/nope:1.0" on this engine.',
    });
  });
});
