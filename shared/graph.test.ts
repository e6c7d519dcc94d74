import { describe, expect, it } from 'vitest';
import type { ImageHistory } from './api';
import {
  dependentsOf,
  pathOf,
  subtreeBytes,
  toLayerGraph,
  type GraphImageInput,
  type LayerGraph,
  type LayerNode,
} from './graph';
import { shortImageId } from './names';

// ---------------------------------------------------------------------------------------------------------------
// Hand-written engine data

// Web Crypto rather than node:crypto: shared/ (tests included) runs without Node.
async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return `sha256:${Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/** A diff ID standing for a layer's content. */
function diff(content: string): Promise<string> {
  return sha256(`layer content: ${content}`);
}

/** OCI chain IDs: ChainID(1) = DiffID(1), ChainID(n) = sha256(ChainID(n-1) + " " + DiffID(n)). */
async function chainIdsOf(diffIds: readonly string[]): Promise<string[]> {
  const chain: string[] = [];
  for (const diffId of diffIds) {
    const previous = chain[chain.length - 1];
    chain.push(previous === undefined ? diffId : await sha256(`${previous} ${diffId}`));
  }
  return chain;
}

interface StepSpec {
  readonly instruction: string;
  readonly size?: number;
  /** The content of the layer the step made; absent for a step that made none. */
  readonly layer?: string;
}

/**
 * An image as `images.history` describes it. With `unlabelled`, the layers are not mapped to steps (as when the
 * count of layer-making steps does not match the RootFS layers).
 */
async function image(
  name: string,
  repoTags: readonly string[],
  steps: readonly StepSpec[],
  options: { readonly unlabelled?: boolean } = {},
): Promise<GraphImageInput> {
  const layerSteps = steps.flatMap((step, index) => (step.layer === undefined ? [] : [{ step, index }]));
  const diffIds = await Promise.all(layerSteps.map(({ step }) => diff(step.layer ?? '')));
  const chainIds = await chainIdsOf(diffIds);
  return {
    imageId: await sha256(`image: ${name}`),
    repoTags,
    steps: steps.map((step) => ({ instruction: step.instruction, size: step.size ?? 0 })),
    layers: layerSteps.map(({ step, index }, i) => ({
      diffId: diffIds[i] ?? '',
      chainId: chainIds[i] ?? '',
      size: options.unlabelled ? null : (step.size ?? 0),
      stepIndex: options.unlabelled ? null : index,
    })),
  };
}

const BASE_STEPS: readonly StepSpec[] = [
  { instruction: 'ADD file:0a1b2c in /', size: 1_000_000, layer: 'busybox rootfs' },
  { instruction: 'CMD ["sh"]' },
];
const APP_STEPS: readonly StepSpec[] = [
  ...BASE_STEPS,
  { instruction: 'LABEL title="app"' },
  { instruction: "RUN mkdir -p /app && echo 'app 1.0' > /app/version.txt", size: 120, layer: 'app files' },
  { instruction: 'WORKDIR /app' },
  { instruction: 'CMD ["cat", "/app/version.txt"]' },
];
const APP_DEBUG_STEPS: readonly StepSpec[] = [
  ...APP_STEPS,
  { instruction: 'ENV DEBUG=1' },
  { instruction: "RUN echo 'debug' > /app/debug.txt", size: 40, layer: 'debug file' },
];
const TOOL_STEPS: readonly StepSpec[] = [
  ...BASE_STEPS,
  { instruction: "RUN mkdir -p /opt/tool && echo 'tool' > /opt/tool/v.txt", size: 300, layer: 'tool files' },
];

const base = await image('base', ['lab/base:latest'], BASE_STEPS);
const app = await image('app', ['lab/app:1.0', 'lab/app:latest', 'lab/app:stable'], APP_STEPS);
const appDebug = await image('app-debug', ['lab/app-debug:1.0'], APP_DEBUG_STEPS);
const tool = await image('tool', ['lab/tool:1.0'], TOOL_STEPS);

function node(graph: LayerGraph, chainId: string | undefined): LayerNode {
  const found = chainId === undefined ? undefined : graph.nodes.get(chainId);
  if (!found) throw new Error(`no node ${chainId}`);
  return found;
}

function tipOf(input: GraphImageInput): string {
  const last = input.layers[input.layers.length - 1];
  if (!last) throw new Error(`${input.imageId} has no layers`);
  return last.chainId;
}

function namesOf(graph: LayerGraph, imageIds: readonly string[]): string[] {
  return imageIds.map((id) => graph.imagesById.get(id)?.name ?? `?${id}`);
}

// ---------------------------------------------------------------------------------------------------------------

describe('toLayerGraph', () => {
  it('a single image: one chain from root to tip, labelled by the steps that made layers', async () => {
    const graph = toLayerGraph([app]);
    const [rootId, tipId] = await chainIdsOf([await diff('busybox rootfs'), await diff('app files')]);

    expect(graph.roots).toEqual([rootId]);
    expect(graph.order).toEqual([rootId, tipId]);
    expect(graph.nodes.size).toBe(2);
    expect(node(graph, rootId)).toEqual({
      chainId: rootId,
      diffId: await diff('busybox rootfs'),
      parent: null,
      children: [tipId],
      depth: 0,
      bytes: 1_000_000,
      label: 'ADD file:0a1b2c in /',
      images: [],
      usedBy: [app.imageId],
      shared: false,
    });
    expect(node(graph, tipId)).toEqual({
      chainId: tipId,
      diffId: await diff('app files'),
      parent: rootId,
      children: [],
      depth: 1,
      bytes: 120,
      label: "RUN mkdir -p /app && echo 'app 1.0' > /app/version.txt",
      images: [app.imageId],
      usedBy: [app.imageId],
      shared: false,
    });
    expect(graph.images).toEqual([
      {
        imageId: app.imageId,
        repoTags: ['lab/app:1.0', 'lab/app:latest', 'lab/app:stable'],
        name: 'lab/app:1.0',
        tagged: true,
        tip: tipId,
        path: [rootId, tipId],
      },
    ]);
    expect(pathOf(graph, app.imageId).map((n) => n.label)).toEqual([
      'ADD file:0a1b2c in /',
      "RUN mkdir -p /app && echo 'app 1.0' > /app/version.txt",
    ]);
  });

  it('two images sharing a base share its node; the branches hang below it', async () => {
    const graph = toLayerGraph([tool, app]);
    const rootId = await diff('busybox rootfs');
    const root = node(graph, rootId);

    expect(graph.roots).toEqual([rootId]);
    expect(graph.nodes.size).toBe(3);
    expect(root.shared).toBe(true);
    expect(namesOf(graph, root.usedBy)).toEqual(['lab/app:1.0', 'lab/tool:1.0']);
    expect(root.images).toEqual([]);
    // Children are ordered by the first image using them (lab/app before lab/tool), whatever the input order.
    expect(root.children).toEqual([tipOf(app), tipOf(tool)]);
    expect(node(graph, tipOf(tool))).toMatchObject({
      parent: rootId,
      depth: 1,
      images: [tool.imageId],
      usedBy: [tool.imageId],
      shared: false,
      label: "RUN mkdir -p /opt/tool && echo 'tool' > /opt/tool/v.txt",
    });
    expect(graph.order).toEqual([rootId, tipOf(app), tipOf(tool)]);
  });

  it('is the same graph whatever the order of its input', () => {
    const inputs = [base, app, appDebug, tool];
    const expected = toLayerGraph(inputs);
    expect(toLayerGraph([...inputs].reverse())).toEqual(expected);
    expect(toLayerGraph([tool, base, appDebug, app])).toEqual(expected);
  });

  it('an image whose chain is a prefix of another: its marker sits on an inner node', async () => {
    const graph = toLayerGraph([appDebug, base, app]);
    const [rootId, appTip, debugTip] = await chainIdsOf([
      await diff('busybox rootfs'),
      await diff('app files'),
      await diff('debug file'),
    ]);

    expect(tipOf(base)).toBe(rootId);
    expect(tipOf(app)).toBe(appTip);
    expect(tipOf(appDebug)).toBe(debugTip);
    expect(graph.order).toEqual([rootId, appTip, debugTip]);
    expect(node(graph, rootId).images).toEqual([base.imageId]);
    expect(node(graph, rootId).children).toEqual([appTip]);
    expect(node(graph, appTip).images).toEqual([app.imageId]);
    expect(node(graph, appTip).children).toEqual([debugTip]);
    expect(node(graph, debugTip).images).toEqual([appDebug.imageId]);
    expect(namesOf(graph, node(graph, rootId).usedBy)).toEqual(['lab/app-debug:1.0', 'lab/app:1.0', 'lab/base:latest']);
    expect(namesOf(graph, node(graph, appTip).usedBy)).toEqual(['lab/app-debug:1.0', 'lab/app:1.0']);
    expect(node(graph, appTip).shared).toBe(true);
    expect(node(graph, debugTip).shared).toBe(false);
    expect(graph.imagesById.get(app.imageId)?.path).toEqual([rootId, appTip]);
    expect(pathOf(graph, appDebug.imageId).map((n) => n.depth)).toEqual([0, 1, 2]);
  });

  it('merges identical layers of images built separately, but only at the same place in the chain', async () => {
    // Built elsewhere and pulled: same content from the root up, different history (and no step mapping).
    const pulled = await image(
      'pulled',
      ['registry.example/app:2'],
      [
        { instruction: '', layer: 'busybox rootfs' },
        { instruction: '', layer: 'app files' },
        { instruction: '', layer: 'v2 files' },
      ],
      { unlabelled: true },
    );
    // The same content as app's second layer, but directly on the root: a different chain.
    const elsewhere = await image(
      'elsewhere',
      ['other/app:1'],
      [{ instruction: 'ADD app.tar /', size: 120, layer: 'app files' }],
    );
    const graph = toLayerGraph([app, pulled, elsewhere]);
    const [rootId, appTip, pulledTip] = await chainIdsOf([
      await diff('busybox rootfs'),
      await diff('app files'),
      await diff('v2 files'),
    ]);

    expect(graph.nodes.size).toBe(4);
    expect(graph.roots).toEqual([rootId, await diff('app files')]);
    expect(namesOf(graph, node(graph, rootId).usedBy)).toEqual(['lab/app:1.0', 'registry.example/app:2']);
    expect(namesOf(graph, node(graph, appTip).usedBy)).toEqual(['lab/app:1.0', 'registry.example/app:2']);
    expect(node(graph, appTip).children).toEqual([pulledTip]);
    expect(node(graph, pulledTip).images).toEqual([pulled.imageId]);
    // The merged nodes keep the labels the local build's history gives them.
    expect(node(graph, appTip).label).toBe("RUN mkdir -p /app && echo 'app 1.0' > /app/version.txt");
    expect(node(graph, pulledTip).label).toBeNull();

    const lone = node(graph, tipOf(elsewhere));
    expect(lone.diffId).toBe(node(graph, appTip).diffId);
    expect(lone.chainId).not.toBe(appTip);
    expect(lone).toMatchObject({ parent: null, depth: 0, usedBy: [elsewhere.imageId], shared: false });
    expect(lone.label).toBe('ADD app.tar /');
  });

  it('an imported image with one layer: a root that is also a tip', async () => {
    const imported = await image(
      'imported',
      ['lab/base:latest'],
      [{ instruction: '', size: 2_400_000, layer: 'imported rootfs' }],
    );
    const graph = toLayerGraph([imported]);
    const rootId = await diff('imported rootfs');
    expect(graph.roots).toEqual([rootId]);
    expect(node(graph, rootId)).toEqual({
      chainId: rootId,
      diffId: rootId,
      parent: null,
      children: [],
      depth: 0,
      bytes: 2_400_000,
      // The step is known, it just has no instruction (docker import leaves created_by empty).
      label: '',
      images: [imported.imageId],
      usedBy: [imported.imageId],
      shared: false,
    });
  });

  it('steps that made no layer make no node; labels come from the steps that did, 0-byte layers included', async () => {
    const built = await image(
      'built',
      ['lab/built:1'],
      [
        { instruction: 'ADD file:abc in /', size: 500, layer: 'rootfs' },
        { instruction: 'ENV PATH=/bin' },
        { instruction: 'LABEL a=b' },
        { instruction: 'RUN make', size: 700, layer: 'make output' },
        { instruction: 'WORKDIR /srv' },
        { instruction: 'RUN true', size: 0, layer: 'nothing changed' },
        { instruction: 'CMD ["serve"]' },
      ],
    );
    const graph = toLayerGraph([built]);
    expect(graph.nodes.size).toBe(3);
    expect(pathOf(graph, built.imageId).map((n) => [n.label, n.bytes])).toEqual([
      ['ADD file:abc in /', 500],
      ['RUN make', 700],
      ['RUN true', 0],
    ]);
  });

  it('unlabelled mapping: layers without labels or sizes, unless another image labels the same layer', async () => {
    const opaque = await image('opaque', ['lab/opaque:1'], APP_STEPS, { unlabelled: true });
    const alone = toLayerGraph([opaque]);
    expect(pathOf(alone, opaque.imageId).map((n) => [n.label, n.bytes])).toEqual([
      [null, null],
      [null, null],
    ]);

    // Same layers as app (same chain IDs): app's exact mapping labels them, whatever the order of the input.
    const together = toLayerGraph([opaque, app]);
    expect(pathOf(together, opaque.imageId).map((n) => [n.label, n.bytes])).toEqual([
      ['ADD file:0a1b2c in /', 1_000_000],
      ["RUN mkdir -p /app && echo 'app 1.0' > /app/version.txt", 120],
    ]);
    expect(node(together, tipOf(app)).images).toEqual([app.imageId, opaque.imageId]);
  });

  it('a layer labelled by several histories takes the first image’s label, an empty one giving way', async () => {
    const imported = await image('imported', ['lab/a-imported:1'], [{ instruction: '', size: 9, layer: 'same' }]);
    const rebuilt = await image(
      'rebuilt',
      ['lab/b-rebuilt:1'],
      [{ instruction: 'ADD rootfs.tar /', size: 9, layer: 'same' }],
    );
    const copied = await image('copied', ['lab/c-copied:1'], [{ instruction: 'COPY . /', size: 9, layer: 'same' }]);
    const rootId = await diff('same');
    expect(node(toLayerGraph([copied, rebuilt, imported]), rootId).label).toBe('ADD rootfs.tar /');
    expect(node(toLayerGraph([copied, imported]), rootId).label).toBe('COPY . /');
    expect(node(toLayerGraph([imported]), rootId).label).toBe('');
  });

  it('several tags of one image: one marker on one node', () => {
    const graph = toLayerGraph([app]);
    const tip = node(graph, tipOf(app));
    expect(tip.images).toEqual([app.imageId]);
    expect(graph.imagesById.get(app.imageId)?.repoTags).toEqual(['lab/app:1.0', 'lab/app:latest', 'lab/app:stable']);

    // The same image asked for by two of its tags is still one image.
    const byTwoTags = toLayerGraph([
      { ...app, repoTags: ['lab/app:1.0'] },
      { ...app, repoTags: ['lab/app:stable', 'lab/app:1.0'] },
    ]);
    expect(byTwoTags.images).toHaveLength(1);
    expect(byTwoTags.images[0]?.repoTags).toEqual(['lab/app:1.0', 'lab/app:stable']);
    expect(node(byTwoTags, tipOf(app)).images).toEqual([app.imageId]);
    expect(node(byTwoTags, tipOf(app)).usedBy).toEqual([app.imageId]);
  });

  it('names an untagged image by its short ID and orders it after the tagged ones', async () => {
    const dangling = await image('dangling', ['<none>:<none>'], [...BASE_STEPS, { instruction: 'RUN x', layer: 'x' }]);
    const graph = toLayerGraph([dangling, tool, base]);
    expect(graph.images.map((i) => i.name)).toEqual([
      'lab/base:latest',
      'lab/tool:1.0',
      shortImageId(dangling.imageId),
    ]);
    expect(graph.imagesById.get(dangling.imageId)).toMatchObject({ tagged: false, repoTags: [] });
    expect(shortImageId(dangling.imageId)).toMatch(/^[0-9a-f]{12}$/);
    expect(node(graph, await diff('busybox rootfs')).children).toEqual([tipOf(tool), tipOf(dangling)]);
  });

  it('keeps an image without layers, with no tip and no node', async () => {
    const empty = await image('empty', ['lab/empty:1'], [{ instruction: 'LABEL only=metadata' }]);
    const graph = toLayerGraph([empty, base]);
    expect(graph.imagesById.get(empty.imageId)).toMatchObject({ tip: null, path: [] });
    expect(graph.nodes.size).toBe(1);
    expect(pathOf(graph, empty.imageId)).toEqual([]);
    expect(dependentsOf(graph, empty.imageId)).toEqual([]);
  });

  it('takes an images.history answer as it is', async () => {
    const history: ImageHistory = {
      engineId: 'default',
      imageId: base.imageId,
      repoTags: ['lab/base:latest'],
      steps: [
        {
          id: base.imageId,
          created: 1_700_000_000,
          createdBy: '',
          instruction: '',
          size: 1000,
          comment: 'imported',
          tags: ['lab/base:latest'],
          madeLayer: true,
          layerIndex: 0,
        },
      ],
      layers: [{ diffId: await diff('r'), chainId: await diff('r'), size: 1000, stepIndex: 0, sharedWith: [] }],
      mapping: { kind: 'exact', note: 'each layer names its step' },
      base: null,
    };
    const graph = toLayerGraph([history]);
    expect(node(graph, await diff('r'))).toMatchObject({ bytes: 1000, images: [base.imageId] });
  });
});

const sameLayers = await image('app-meta', ['lab/app-meta:1'], [...APP_STEPS, { instruction: 'ENV ONLY=metadata' }]);

describe('dependentsOf', () => {
  const graph = toLayerGraph([base, app, appDebug, tool, sameLayers]);

  it('lists the images whose chain strictly extends the image’s chain', () => {
    expect(dependentsOf(graph, base.imageId).map((i) => i.name)).toEqual([
      'lab/app-debug:1.0',
      'lab/app-meta:1',
      'lab/app:1.0',
      'lab/tool:1.0',
    ]);
    // lab/app-meta has exactly lab/app's layers: it is not built on lab/app as far as layers tell.
    expect(dependentsOf(graph, app.imageId).map((i) => i.name)).toEqual(['lab/app-debug:1.0']);
    expect(dependentsOf(graph, sameLayers.imageId).map((i) => i.name)).toEqual(['lab/app-debug:1.0']);
  });

  it('is empty for a leaf and for an unknown image', async () => {
    expect(dependentsOf(graph, appDebug.imageId)).toEqual([]);
    expect(dependentsOf(graph, tool.imageId)).toEqual([]);
    expect(dependentsOf(graph, await sha256('not here'))).toEqual([]);
  });
});

describe('subtreeBytes', () => {
  it('adds a layer and everything built on it', async () => {
    const graph = toLayerGraph([base, app, appDebug, tool]);
    expect(subtreeBytes(graph, tipOf(appDebug))).toBe(40);
    expect(subtreeBytes(graph, tipOf(app))).toBe(120 + 40);
    expect(subtreeBytes(graph, tipOf(base))).toBe(1_000_000 + 120 + 40 + 300);
    expect(subtreeBytes(graph, await sha256('unknown'))).toBe(0);
  });

  it('counts layers of unknown size as 0', async () => {
    const opaque = await image('opaque', ['lab/opaque:1'], TOOL_STEPS, { unlabelled: true });
    const graph = toLayerGraph([opaque]);
    expect(subtreeBytes(graph, tipOf(opaque))).toBe(0);
  });
});
