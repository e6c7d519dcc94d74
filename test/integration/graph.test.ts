/**
 * The layer graph of the seeded lab, built from `images.history` answers of the real engine: one root (lab/base's
 * imported layer), the app branch (lab/app's tags on one node, lab/app-debug one layer above), the tool branch,
 * lab/scratchpad and the dangling image each on their own branch. Expectations come from `docker image inspect`
 * (RootFS layers, chain IDs computed here as the OCI image spec says), never from hard-coded hashes.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageHistory } from '../../shared/api';
import { dependentsOf, pathOf, toLayerGraph, type LayerGraph, type LayerNode } from '../../shared/graph';
import { createEngineService, type EngineService } from '../../electron/engine/host/service';
import { labDocker, labInfo, type LabInfo } from '../lab/context';

const SCRATCHPAD = 'lab/scratchpad:1';

interface Inspected {
  readonly id: string;
  readonly repoTags: readonly string[];
  readonly chainIds: readonly string[];
}

function chainIdsOf(diffIds: readonly string[]): string[] {
  const chain: string[] = [];
  for (const diffId of diffIds) {
    const previous = chain[chain.length - 1];
    chain.push(
      previous === undefined ? diffId : `sha256:${createHash('sha256').update(`${previous} ${diffId}`).digest('hex')}`,
    );
  }
  return chain;
}

async function inspect(lab: LabInfo, reference: string): Promise<Inspected> {
  const [raw] = JSON.parse(await labDocker(lab, ['image', 'inspect', reference])) as {
    Id: string;
    RepoTags: string[] | null;
    RootFS: { Layers: string[] };
  }[];
  if (!raw) throw new Error(`docker image inspect ${reference} answered nothing`);
  return { id: raw.Id, repoTags: raw.RepoTags ?? [], chainIds: chainIdsOf(raw.RootFS.Layers) };
}

function nodeOf(graph: LayerGraph, chainId: string | undefined): LayerNode {
  const node = chainId === undefined ? undefined : graph.nodes.get(chainId);
  if (!node) throw new Error(`no layer ${chainId} in the graph`);
  return node;
}

function tipOf(image: Inspected): string {
  const tip = image.chainIds[image.chainIds.length - 1];
  if (tip === undefined) throw new Error(`${image.id} has no layers`);
  return tip;
}

let lab: LabInfo;
let service: EngineService;

beforeAll(() => {
  lab = labInfo();
  service = createEngineService({ host: lab.dockerHost, env: {} });
});
afterAll(async () => {
  await service.close();
});

describe('layer graph of the seeded lab', () => {
  let expected: Record<'base' | 'app' | 'appDebug' | 'tool' | 'toolExtra' | 'scratchpad' | 'dangling', Inspected>;
  let histories: ImageHistory[];
  let graph: LayerGraph;

  beforeAll(async () => {
    const references = {
      base: lab.images.base,
      app: lab.images.app,
      appDebug: lab.images.appDebug,
      tool: lab.images.tool,
      toolExtra: lab.images.toolExtra,
      scratchpad: SCRATCHPAD,
      dangling: lab.images.danglingId,
    } as const;
    const entries = Object.entries(references) as [keyof typeof references, string][];
    expected = Object.fromEntries(
      await Promise.all(entries.map(async ([key, reference]) => [key, await inspect(lab, reference)] as const)),
    ) as typeof expected;
    // Asked for by reference, the way the view asks; lab/app by each of its tags (one image, still one marker).
    const asked = [...entries.map(([, reference]) => reference), ...lab.images.appTags];
    histories = await Promise.all(asked.map((reference) => service.handlers['images.history']({ reference })));
    graph = toLayerGraph(histories);
  });

  it('has every seeded layer once, under one root: lab/base’s imported layer', () => {
    const { base } = expected;
    expect(base.chainIds).toHaveLength(1);
    const allChainIds = new Set(Object.values(expected).flatMap((image) => image.chainIds));
    expect(new Set(graph.nodes.keys())).toEqual(allChainIds);
    expect(graph.roots).toEqual([tipOf(base)]);

    const root = nodeOf(graph, tipOf(base));
    expect(root).toMatchObject({ parent: null, depth: 0, images: [base.id], shared: true });
    expect(new Set(root.usedBy)).toEqual(new Set(Object.values(expected).map((image) => image.id)));
    expect(root.usedBy).toHaveLength(7);
    // Four branches grow from the root: app, tool, scratchpad, the dangling image.
    const { app, tool, scratchpad, dangling } = expected;
    expect(new Set(root.children)).toEqual(new Set([app, tool, scratchpad, dangling].map((i) => i.chainIds[1])));
    expect(root.children).toHaveLength(4);
  });

  it('puts lab/app’s three tags on one node and lab/app-debug one layer above it', () => {
    const { base, app, appDebug } = expected;
    const appImage = graph.imagesById.get(app.id);
    expect(new Set(appImage?.repoTags)).toEqual(new Set(lab.images.appTags));
    expect(graph.images.filter((image) => image.imageId === app.id)).toHaveLength(1);
    expect(appImage?.path).toEqual(app.chainIds);
    expect(nodeOf(graph, tipOf(app)).images).toEqual([app.id]);

    expect(appDebug.chainIds.slice(0, app.chainIds.length)).toEqual(app.chainIds);
    expect(appDebug.chainIds).toHaveLength(app.chainIds.length + 1);
    const debugTip = nodeOf(graph, tipOf(appDebug));
    expect(debugTip).toMatchObject({
      parent: tipOf(app),
      depth: app.chainIds.length,
      images: [appDebug.id],
      usedBy: [appDebug.id],
      shared: false,
      children: [],
    });
    // Every layer of the app branch above the root is used by lab/app and lab/app-debug only.
    for (const chainId of app.chainIds.slice(base.chainIds.length)) {
      expect(new Set(nodeOf(graph, chainId).usedBy)).toEqual(new Set([app.id, appDebug.id]));
    }
    expect(dependentsOf(graph, app.id).map((image) => image.imageId)).toEqual([appDebug.id]);
    expect(dependentsOf(graph, appDebug.id)).toEqual([]);
  });

  it('keeps lab/tool and lab/tool-extra on a branch of their own', () => {
    const { app, tool, toolExtra } = expected;
    expect(tool.chainIds[1]).not.toBe(app.chainIds[1]);
    expect(toolExtra.chainIds.slice(0, tool.chainIds.length)).toEqual(tool.chainIds);
    expect(toolExtra.chainIds).toHaveLength(tool.chainIds.length + 1);
    expect(nodeOf(graph, tipOf(tool))).toMatchObject({
      images: [tool.id],
      children: [tipOf(toolExtra)],
      shared: true,
    });
    expect(new Set(nodeOf(graph, tipOf(tool)).usedBy)).toEqual(new Set([tool.id, toolExtra.id]));
    expect(nodeOf(graph, tipOf(toolExtra))).toMatchObject({
      parent: tipOf(tool),
      images: [toolExtra.id],
      usedBy: [toolExtra.id],
      children: [],
    });
    expect(dependentsOf(graph, tool.id).map((image) => image.imageId)).toEqual([toolExtra.id]);
  });

  it('gives lab/scratchpad and the dangling image (its first draft) a branch each, from the root', () => {
    const { base, scratchpad, dangling } = expected;
    for (const image of [scratchpad, dangling]) {
      expect(image.chainIds).toHaveLength(2);
      expect(nodeOf(graph, tipOf(image))).toMatchObject({
        parent: tipOf(base),
        depth: 1,
        images: [image.id],
        usedBy: [image.id],
        shared: false,
        children: [],
      });
    }
    expect(tipOf(scratchpad)).not.toBe(tipOf(dangling));
    const danglingImage = graph.imagesById.get(dangling.id);
    expect(danglingImage).toMatchObject({ tagged: false, repoTags: [] });
    expect(danglingImage?.name).toBe(dangling.id.replace(/^sha256:/, '').slice(0, 12));
    expect(graph.images.map((image) => image.name).slice(-1)).toEqual([danglingImage?.name]);
  });

  it('labels the layers with the Dockerfile steps that made them (classic builder: exact mapping)', () => {
    const { app, appDebug, toolExtra, scratchpad } = expected;
    for (const history of histories) expect(history.mapping.kind).toBe('exact');
    expect(nodeOf(graph, app.chainIds[1]).label).toBe("RUN mkdir -p /app && echo 'lab app 1.0' > /app/version.txt");
    expect(nodeOf(graph, tipOf(appDebug)).label).toBe("RUN echo 'debug build' > /app/debug.txt");
    expect(nodeOf(graph, tipOf(toolExtra)).label).toBe("RUN echo 'extra plugin' > /opt/tool/extra.txt");
    expect(nodeOf(graph, tipOf(scratchpad)).label).toBe("RUN echo 'scratchpad, second draft' > /scratchpad.txt");
    for (const node of pathOf(graph, appDebug.id)) expect(node.bytes).not.toBeNull();
  });
});

describe('an image pulled from the lab registry', () => {
  it('merges with the local build where its layers are the same, and branches where they are not', async () => {
    const reference = lab.remote.small;
    const wasThere = await labDocker(lab, ['image', 'inspect', reference]).then(
      () => true,
      () => false,
    );
    try {
      if (!wasThere) await labDocker(lab, ['pull', '-q', reference]);
      const [base, remote, app] = await Promise.all([
        inspect(lab, lab.images.base),
        inspect(lab, reference),
        inspect(lab, lab.images.app),
      ]);
      const histories = await Promise.all(
        [reference, lab.images.base, lab.images.app].map((r) => service.handlers['images.history']({ reference: r })),
      );
      const graph = toLayerGraph(histories);

      expect(remote.chainIds[0]).toBe(tipOf(base));
      expect(graph.roots).toEqual([tipOf(base)]);
      const root = nodeOf(graph, tipOf(base));
      expect(new Set(root.usedBy)).toEqual(new Set([base.id, remote.id, app.id]));
      expect(new Set(root.children)).toEqual(new Set([remote.chainIds[1], app.chainIds[1]]));
      expect(graph.imagesById.get(remote.id)?.path).toEqual(remote.chainIds);
      expect(nodeOf(graph, tipOf(remote))).toMatchObject({ images: [remote.id], usedBy: [remote.id] });
    } finally {
      if (!wasThere) await labDocker(lab, ['rmi', reference]).catch(() => undefined);
    }
  });
});
