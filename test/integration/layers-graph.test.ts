/**
 * layers.graph against the lab engine: what it adds to images.history (whose graph is checked in graph.test.ts) —
 * it covers every image `docker images` lists (and no intermediate image of the classic builder), it labels every
 * image exactly as images.history does, its layers are the engine's RootFS layers, and a second call asks the engine
 * for the list only. Expectations come from the docker CLI, never from hard-coded hashes.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type GraphImageData } from '../../shared/api';
import { createDispatch } from '../../shared/dispatch';
import { singleEngineHost } from '../../electron/engine/host/single-engine';
import { toLayerGraph } from '../../shared/graph';
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

/** `docker images [-a] --no-trunc -q`, deduplicated (an image with several tags is listed once per tag). */
async function idsByCli(all: boolean): Promise<Set<string>> {
  const out = await labDocker(lab, ['images', ...(all ? ['-a'] : []), '--no-trunc', '-q']);
  return new Set(
    out
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== ''),
  );
}

function chainIdsOf(diffIds: readonly string[]): string[] {
  const chain: string[] = [];
  for (const diffId of diffIds) {
    const previous = chain.at(-1);
    chain.push(
      previous === undefined ? diffId : `sha256:${createHash('sha256').update(`${previous} ${diffId}`).digest('hex')}`,
    );
  }
  return chain;
}

async function idOf(reference: string): Promise<string> {
  return (await labDocker(lab, ['image', 'inspect', '--format', '{{.Id}}', reference])).trim();
}

/**
 * The requests a call made: without the service's own event stream (`/events`) and its one API version question
 * (`/version`), which can start in the same moment as the first call.
 */
function callRequests(records: readonly { readonly method: string; readonly path: string }[]): string[] {
  return records
    .filter((r) => !r.path.startsWith('/events') && r.path !== '/version')
    .map((r) => `${r.method} ${r.path}`);
}

describe('layers.graph on the lab engine', () => {
  let answer: GraphImageData[];
  let requestsOfFirstCall: string[];

  beforeAll(async () => {
    const before = sut.requests.length;
    // Through the dispatcher, as the renderer asks; the answer must fit the contract's result schema.
    const outcome = await createDispatch(singleEngineHost(sut.service).handlers)('layers.graph', {});
    if (!outcome.ok) throw new Error(`layers.graph failed: ${outcome.error.message}`);
    answer = api['layers.graph'].result.parse(outcome.value);
    requestsOfFirstCall = callRequests(sut.requests.slice(before));
  });

  it('answers every image `docker images` lists, once each, and no intermediate image', async () => {
    const [listed, all] = await Promise.all([idsByCli(false), idsByCli(true)]);
    const ids = answer.map((image) => image.imageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids)).toEqual(listed);

    // Every seeded image is there, by ID, with its tags (lab/app's three on one entry; none for the dangling one).
    const seeded = [lab.images.base, lab.images.app, lab.images.appDebug, lab.images.tool, lab.images.toolExtra];
    for (const reference of [...seeded, 'lab/scratchpad:1', lab.images.danglingId]) {
      expect(ids, reference).toContain(await idOf(reference));
    }
    const app = answer.find((image) => image.repoTags.includes(lab.images.app));
    expect(new Set(app?.repoTags)).toEqual(new Set(lab.images.appTags));
    expect(answer.find((image) => image.imageId === lab.images.danglingId)?.repoTags).toEqual([]);

    // The classic builder's intermediate images (`docker images -a` only) are not part of the graph.
    const intermediate = [...all].filter((id) => !listed.has(id));
    for (const id of intermediate) expect(ids).not.toContain(id);
  });

  it('gives each image the engine’s RootFS layers with OCI chain IDs', async () => {
    const out = await labDocker(lab, ['image', 'inspect', ...answer.map((image) => image.imageId)]);
    const inspected = JSON.parse(out) as { Id: string; RootFS: { Layers: string[] } }[];
    expect(inspected).toHaveLength(answer.length);
    for (const raw of inspected) {
      const image = answer.find((candidate) => candidate.imageId === raw.Id);
      expect(
        image?.layers.map((layer) => layer.diffId),
        raw.Id,
      ).toEqual(raw.RootFS.Layers);
      expect(
        image?.layers.map((layer) => layer.chainId),
        raw.Id,
      ).toEqual(chainIdsOf(raw.RootFS.Layers));
    }
  });

  it('labels every image’s layers and steps exactly as images.history does', async () => {
    for (const image of answer) {
      const history = await sut.service.handlers['images.history']({ reference: image.imageId });
      expect(image, image.imageId).toEqual({
        imageId: history.imageId,
        repoTags: history.repoTags,
        layers: history.layers.map(({ diffId, chainId, size, stepIndex }) => ({ diffId, chainId, size, stepIndex })),
        steps: history.steps.map(({ instruction, size }) => ({ instruction, size })),
      });
    }
    // The seeded images were built by the classic builder: every layer is labelled with its step.
    const debug = answer.find((image) => image.repoTags.includes(lab.images.appDebug));
    expect(debug?.layers.every((layer) => layer.stepIndex !== null)).toBe(true);
    expect(debug?.steps.at(-2)?.instruction).toBe("RUN echo 'debug build' > /app/debug.txt");
  });

  it('makes one tree from lab/base’s imported layer, with a tip for every image', () => {
    const graph = toLayerGraph(answer);
    const base = answer.find((image) => image.repoTags.includes(lab.images.base));
    expect(graph.roots).toEqual([base?.layers[0]?.chainId]);
    expect(graph.images).toHaveLength(answer.length);
    for (const image of answer) {
      expect(graph.imagesById.get(image.imageId)?.path).toEqual(image.layers.map((layer) => layer.chainId));
    }
  });

  it('reads each image’s inspect and history once, then only the list', async () => {
    // The first call: the list, then one inspect and one history per image, never twice.
    const perImage = requestsOfFirstCall.filter((request) => request !== 'GET /images/json');
    expect(requestsOfFirstCall.filter((request) => request === 'GET /images/json')).toHaveLength(1);
    expect(new Set(perImage).size).toBe(perImage.length);
    expect(perImage.sort()).toEqual(
      answer.flatMap((image) => [`GET /images/${image.imageId}/json`, `GET /images/${image.imageId}/history`]).sort(),
    );

    const before = sut.requests.length;
    const again = await sut.service.handlers['layers.graph']({});
    expect(callRequests(sut.requests.slice(before))).toEqual(['GET /images/json']);
    expect(again).toEqual(answer);
  });

  it('follows a new tag and its removal on the next call', async () => {
    const tag = 'lab/graph-retag:1';
    await labDocker(lab, ['tag', lab.images.tool, tag]);
    try {
      const tool = await idOf(lab.images.tool);
      const tagged = await sut.service.handlers['layers.graph']({});
      expect(tagged.find((image) => image.imageId === tool)?.repoTags).toContain(tag);
    } finally {
      await labDocker(lab, ['rmi', tag]);
    }
    const untagged = await sut.service.handlers['layers.graph']({});
    expect(untagged.flatMap((image) => image.repoTags)).not.toContain(tag);
    expect(untagged).toHaveLength(answer.length);
  });
});
