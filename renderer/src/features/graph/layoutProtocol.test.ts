import { describe, expect, it } from 'vitest';
import { toLayerGraph } from '../../../../shared/graph';
import { graphImage, hex } from '../../testing/fakeBridge';
import { defaultCollapsed, layoutLayerGraph } from './layout';
import {
  countLayers,
  createLayoutHandler,
  fromWire,
  shouldUseWorker,
  WORKER_ABOVE,
  type LayoutResponse,
} from './layoutProtocol';

/** `images` unrelated images of `depth` layers each. */
function forest(images: number, depth: number) {
  return Array.from({ length: images }, (_, i) =>
    graphImage(
      hex(`f${i}`),
      [`big/img${i}:1`],
      Array.from({ length: depth }, (_, j) => `chain-${i}-${j}`),
      Array.from({ length: depth }, (_, j) => `RUN step ${j}`),
    ),
  );
}

const SMALL = [
  graphImage(hex('a'), ['lab/app:1.0'], ['base', 'app'], ['', 'COPY x'], [100, 20]),
  graphImage(hex('d'), ['lab/app-debug:1.0'], ['base', 'app', 'debug'], ['', 'COPY x', 'RUN debug'], [100, 20, 5]),
  graphImage(hex('b'), ['lab/base:latest'], ['base'], [''], [100]),
];

function ok(response: LayoutResponse): Extract<LayoutResponse, { ok: true }> {
  if (!response.ok) throw new Error(`expected an answer, got: ${response.message}`);
  return response;
}

describe('the layout path', () => {
  it('counts distinct layers: a base shared by many images counts once', () => {
    expect(countLayers(SMALL)).toBe(3);
    expect(countLayers(forest(10, 5))).toBe(50);
  });

  it('uses the worker only above WORKER_ABOVE layers, and only where workers exist', () => {
    const atLimit = forest(WORKER_ABOVE / 50, 50);
    const above = forest(WORKER_ABOVE / 50 + 1, 50);
    expect(countLayers(atLimit)).toBe(WORKER_ABOVE);
    expect(shouldUseWorker(SMALL, true)).toBe(false);
    expect(shouldUseWorker(atLimit, true)).toBe(false);
    expect(shouldUseWorker(above, true)).toBe(true);
    expect(shouldUseWorker(above, false)).toBe(false);
    // The unit environment has no Worker: the default is the synchronous path.
    expect(shouldUseWorker(above)).toBe(false);
  });
});

describe('the worker handler', () => {
  it('answers the first request with the graph and the layout the main thread would compute', () => {
    const handle = createLayoutHandler();
    const answer = ok(handle({ id: 7, images: SMALL, collapsed: [] }));
    expect(answer.id).toBe(7);
    const graph = toLayerGraph(SMALL);
    const expected = layoutLayerGraph(graph, { collapsed: new Set() });
    expect(answer.graph?.nodes.size).toBe(3);
    expect(answer.graph?.images.map((i) => i.name)).toEqual(graph.images.map((i) => i.name));
    // Nodes cross without their layer; the rest is the same layout.
    expect(answer.layout.nodes.every((n) => !('layer' in n))).toBe(true);
    expect(answer.layout.nodes.map((n) => [n.chainId, n.x, n.y])).toEqual(
      expected.nodes.map((n) => [n.chainId, n.x, n.y]),
    );
    expect(answer.layout.edges).toEqual(expected.edges);
    expect(answer.layout.bounds).toEqual(expected.bounds);
  });

  it('survives a structured clone, and fromWire links every node to its layer again', () => {
    const handle = createLayoutHandler();
    const answer = ok(structuredClone(handle({ id: 1, images: SMALL, collapsed: [] })));
    if (answer.graph === null) throw new Error('no graph');
    const layout = fromWire(answer.layout, answer.graph);
    expect(layout.nodes.map((n) => n.layer.label)).toEqual(['', 'COPY x', 'RUN debug']);
    expect(layout.nodes[0]?.layer).toBe(answer.graph.nodes.get('base'));
    expect(layout.nodes[0]?.markers.map((m) => m.name)).toEqual(['lab/base:latest']);
  });

  it('lays out the graph it kept when a request carries only a collapsed set', () => {
    const handle = createLayoutHandler();
    ok(handle({ id: 1, images: SMALL, collapsed: [] }));
    const answer = ok(handle({ id: 2, images: null, collapsed: ['app'] }));
    expect(answer.graph).toBeNull();
    expect(answer.collapsed).toEqual(['app']);
    expect(answer.layout.nodes.map((n) => n.chainId)).toEqual(['base', 'app']);
    expect(answer.layout.nodes.find((n) => n.chainId === 'app')).toMatchObject({ collapsed: true, hiddenLayers: 1 });
  });

  it('uses the default collapsed set when asked for none, and says which set it used', () => {
    const big = forest(50, 50);
    const answer = ok(createLayoutHandler()({ id: 1, images: big, collapsed: null }));
    const expected = defaultCollapsed(toLayerGraph(big));
    expect(new Set(answer.collapsed)).toEqual(expected.collapsed);
    expect(answer.layout.nodes).toHaveLength(2000);
  });

  it('answers an error, not a throw, when it has no graph yet', () => {
    const answer = createLayoutHandler()({ id: 3, images: null, collapsed: [] });
    expect(answer).toEqual({ id: 3, ok: false, message: 'No layer data to lay out yet.' });
  });

  it('fromWire refuses a layout that names a layer the graph does not have', () => {
    const answer = ok(createLayoutHandler()({ id: 1, images: SMALL, collapsed: [] }));
    expect(() => fromWire(answer.layout, toLayerGraph(SMALL.slice(2)))).toThrow(/does not have/);
  });
});
