import { describe, expect, it } from 'vitest';
import { toLayerGraph, type GraphImageInput } from '../../../../shared/graph';
import {
  DEPTH_SPACING,
  MAX_RADIUS,
  MIN_RADIUS,
  defaultCollapsed,
  findImage,
  layoutLayerGraph,
  nodesInView,
  radiusOf,
  type LayerLayout,
} from './layout';

/** An image whose layers are the given chain IDs (diff ID = chain ID), each labelled by a RUN step of `size` bytes. */
function img(imageId: string, repoTags: readonly string[], chain: readonly string[], sizes: readonly number[] = []) {
  return {
    imageId,
    repoTags,
    layers: chain.map((chainId, i) => ({ diffId: chainId, chainId, size: sizes[i] ?? 1000, stepIndex: i })),
    steps: chain.map((chainId, i) => ({ instruction: `RUN make ${chainId}`, size: sizes[i] ?? 1000 })),
  } satisfies GraphImageInput;
}

const NONE = { collapsed: new Set<string>() };

function node(layout: LayerLayout, chainId: string) {
  const found = layout.nodes.find((n) => n.chainId === chainId);
  if (!found) throw new Error(`no node ${chainId}`);
  return found;
}

describe('layoutLayerGraph', () => {
  it('puts a single image in a row, one depth step apart, with its marker on the last layer', () => {
    const layout = layoutLayerGraph(toLayerGraph([img('i1', ['one:1'], ['a', 'b', 'c'])]), NONE);
    expect(layout.nodes.map((n) => n.chainId)).toEqual(['a', 'b', 'c']);
    expect(layout.nodes.map((n) => n.x)).toEqual([0, DEPTH_SPACING, 2 * DEPTH_SPACING]);
    expect(new Set(layout.nodes.map((n) => n.y)).size).toBe(1);
    expect(layout.edges.map((e) => [e.from, e.to])).toEqual([
      ['a', 'b'],
      ['b', 'c'],
    ]);
    expect(node(layout, 'c').markers.map((m) => m.name)).toEqual(['one:1']);
    expect(node(layout, 'a').markers).toEqual([]);
  });

  it('branches two images that share a base, without overlapping rows', () => {
    const graph = toLayerGraph([img('i1', ['app:1'], ['base', 'app']), img('i2', ['tool:1'], ['base', 'tool'])]);
    const layout = layoutLayerGraph(graph, NONE);
    const app = node(layout, 'app');
    const tool = node(layout, 'tool');
    expect(app.x).toBe(tool.x);
    // Each of the two rows has a label, a size line and one marker: 3 lines of 16 px, plus margin.
    expect(Math.abs(app.y - tool.y)).toBeGreaterThanOrEqual(3 * 16);
    const base = node(layout, 'base');
    expect(base.y).toBeGreaterThan(Math.min(app.y, tool.y));
    expect(base.y).toBeLessThan(Math.max(app.y, tool.y));
  });

  it('marks an image whose tip is an inner node, and lists several images on one tip', () => {
    const graph = toLayerGraph([
      img('i1', ['app:1', 'app:latest'], ['base', 'app']),
      img('i2', ['app-debug:1'], ['base', 'app', 'debug']),
      img('i3', ['copy:1'], ['base', 'app']),
    ]);
    const layout = layoutLayerGraph(graph, NONE);
    const app = node(layout, 'app');
    expect(app.markers.map((m) => m.name)).toEqual(['app:1', 'copy:1']);
    expect(app.markers[0]?.tags).toEqual(['app:1', 'app:latest']);
    // One line per marker, below each other.
    expect((app.markers[1]?.y ?? 0) - (app.markers[0]?.y ?? 0)).toBe(16);
    expect(node(layout, 'debug').markers.map((m) => m.name)).toEqual(['app-debug:1']);
  });

  it('lays out unrelated images (a forest) as separate rows from x = 0', () => {
    const graph = toLayerGraph([img('i1', ['a:1'], ['a1']), img('i2', ['b:1'], ['b1', 'b2'])]);
    const layout = layoutLayerGraph(graph, NONE);
    expect(node(layout, 'a1').x).toBe(0);
    expect(node(layout, 'b1').x).toBe(0);
    expect(node(layout, 'a1').y).not.toBe(node(layout, 'b1').y);
    expect(layout.edges).toHaveLength(1);
  });

  it('hides the descendants of a collapsed node and counts what is hidden', () => {
    const graph = toLayerGraph([
      img('i1', ['app:1'], ['base', 'app']),
      img('i2', ['debug:1'], ['base', 'app', 'debug']),
      img('i3', ['tool:1'], ['base', 'tool']),
    ]);
    const layout = layoutLayerGraph(graph, { collapsed: new Set(['app']) });
    expect(layout.nodes.map((n) => n.chainId)).toEqual(['base', 'app', 'tool']);
    expect(layout.edges.some((e) => e.to === 'debug')).toBe(false);
    const app = node(layout, 'app');
    expect(app.collapsed).toBe(true);
    expect(app.hiddenLayers).toBe(1);
    expect(app.hiddenImages).toBe(1);
    // Collapsing a leaf changes nothing.
    const leaf = layoutLayerGraph(graph, { collapsed: new Set(['tool']) });
    expect(node(leaf, 'tool').collapsed).toBe(false);
    expect(leaf.nodes).toHaveLength(4);
  });

  it('sizes nodes by bytes on a square-root scale, with a minimum for 0 or unknown', () => {
    expect(radiusOf(null, 100)).toBe(MIN_RADIUS);
    expect(radiusOf(0, 100)).toBe(MIN_RADIUS);
    expect(radiusOf(100, 100)).toBe(MAX_RADIUS);
    expect(radiusOf(25, 100)).toBeCloseTo(MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) / 2);
    const layout = layoutLayerGraph(toLayerGraph([img('i1', ['x:1'], ['big', 'empty'], [4_000_000, 0])]), NONE);
    expect(node(layout, 'big').radius).toBe(MAX_RADIUS);
    expect(node(layout, 'empty').radius).toBe(MIN_RADIUS);
  });

  it('bounds every node', () => {
    const graph = toLayerGraph([
      img('i1', ['app:1'], ['base', 'app']),
      img('i2', ['tool:1'], ['base', 'tool', 't2']),
      img('i3', ['z:1'], ['z']),
    ]);
    const { nodes, bounds } = layoutLayerGraph(graph, NONE);
    for (const n of nodes) {
      expect(n.x - n.radius).toBeGreaterThanOrEqual(bounds.x);
      expect(n.x + n.radius).toBeLessThanOrEqual(bounds.x + bounds.width);
      expect(n.y - n.radius).toBeGreaterThanOrEqual(bounds.y);
      expect(n.y + n.radius).toBeLessThanOrEqual(bounds.y + bounds.height);
    }
    expect(layoutLayerGraph(toLayerGraph([]), NONE)).toEqual({
      nodes: [],
      edges: [],
      bounds: { x: 0, y: 0, width: 0, height: 0 },
    });
  });
});

describe('defaultCollapsed', () => {
  const graph = toLayerGraph([
    img('i1', ['a:1'], ['r', 'a1', 'a2', 'a3']),
    img('i2', ['b:1'], ['r', 'b1', 'b2', 'b3']),
  ]);

  it('collapses nothing in a small graph', () => {
    expect(defaultCollapsed(graph).collapsed.size).toBe(0);
    expect(defaultCollapsed(graph).depth).toBeNull();
  });

  it('collapses at the deepest depth that keeps the graph under the limit', () => {
    // Depth 0: 1 layer, depth 1: 2, depth 2: 2 → 5 layers up to depth 2.
    const { collapsed, depth } = defaultCollapsed(graph, 5);
    expect(depth).toBe(2);
    expect([...collapsed].sort()).toEqual(['a2', 'b2']);
    expect(layoutLayerGraph(graph, { collapsed }).nodes).toHaveLength(5);
  });
});

describe('findImage', () => {
  const graph = toLayerGraph([
    img('sha256:111', ['lab/app:1.0', 'lab/app:latest'], ['a']),
    img('sha256:222', ['lab/app-debug:1.0'], ['a', 'b']),
  ]);
  it('prefers an exact tag, then a prefix, then any part', () => {
    expect(findImage(graph, 'lab/app')?.imageId).toBe('sha256:111');
    expect(findImage(graph, 'lab/app-debug')?.imageId).toBe('sha256:222');
    expect(findImage(graph, 'LAB/APP:latest')?.imageId).toBe('sha256:111');
    expect(findImage(graph, 'debug')?.imageId).toBe('sha256:222');
    expect(findImage(graph, 'nope')).toBeUndefined();
    expect(findImage(graph, '  ')).toBeUndefined();
  });
});

describe('nodesInView', () => {
  // Ten unrelated one-layer images: ten rows at x = 0.
  const graph = toLayerGraph(
    Array.from({ length: 10 }, (_, i) => img(`i${i}`, [`img${i}:1`], [`layer${String(i).padStart(2, '0')}`])),
  );
  const layout = layoutLayerGraph(graph, NONE);

  it('keeps what the viewport (plus margin) shows and drops the rest', () => {
    const ys = layout.nodes.map((n) => n.y).sort((a, b) => a - b);
    const first = ys[0] ?? 0;
    // A 100 px high viewport whose top is the first row, at zoom 1, no margin.
    const shown = nodesInView(layout, { x: 0, y: -first, k: 1 }, { width: 800, height: 100 }, 0);
    expect(shown.size).toBeGreaterThan(0);
    expect(shown.size).toBeLessThan(10);
    for (const n of layout.nodes) expect(shown.has(n.chainId)).toBe(n.y - first <= 100);
    // Zoomed far out, everything is in view.
    expect(nodesInView(layout, { x: 0, y: 0, k: 0.01 }, { width: 800, height: 600 }).size).toBe(10);
    // Panned far away, nothing.
    expect(nodesInView(layout, { x: 100_000, y: 0, k: 1 }, { width: 800, height: 600 }).size).toBe(0);
  });
});
