/**
 * Where each layer of the graph goes on screen: a pure function of the layer graph and the collapsed set.
 *
 * Depth runs left to right (a layer's parent is to its left), siblings stack top to bottom. d3-hierarchy's tree layout
 * places the forest under a synthetic root that is never drawn. No DOM here, so this can move to a worker.
 */
import { hierarchy, tree, type HierarchyNode } from 'd3';
import type { LayerGraph, LayerNode } from '../../../../shared/graph';

/** Horizontal distance between depths. */
export const DEPTH_SPACING = 280;
/** Height of one text line next to a node (label, size, one image marker). */
export const LINE_HEIGHT = 16;
export const MIN_RADIUS = 5;
export const MAX_RADIUS = 22;
/** Above this many layers the graph starts collapsed below some depth. */
export const LARGE_GRAPH = 2000;

export interface ImageMarker {
  readonly imageId: string;
  /** The image's first tag, or its short ID. */
  readonly name: string;
  /** Every real tag (may be empty for an untagged image). */
  readonly tags: readonly string[];
  /** Top-left of the marker's text line, in graph coordinates. */
  readonly x: number;
  readonly y: number;
}

export interface PositionedNode {
  readonly chainId: string;
  readonly layer: LayerNode;
  readonly x: number;
  readonly y: number;
  readonly radius: number;
  readonly collapsed: boolean;
  /** Layers hidden under this node because it is collapsed (0 when expanded or a leaf). */
  readonly hiddenLayers: number;
  /** Images whose tip is hidden under this node. */
  readonly hiddenImages: number;
  /** Images whose last layer is this one. */
  readonly markers: readonly ImageMarker[];
}

export interface PositionedEdge {
  readonly from: string;
  readonly to: string;
  /** An SVG path (a horizontal link curve). */
  readonly d: string;
}

export interface Bounds {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface LayerLayout {
  /** Visible nodes, in the graph's order. */
  readonly nodes: readonly PositionedNode[];
  readonly edges: readonly PositionedEdge[];
  /** Box around every node, its label and its markers. */
  readonly bounds: Bounds;
}

export interface LayoutOptions {
  readonly collapsed: ReadonlySet<string>;
}

/** Node radius: area grows with bytes (square-root scale); unknown or 0 bytes get the minimum. */
export function radiusOf(bytes: number | null, maxBytes: number): number {
  if (bytes === null || bytes <= 0 || maxBytes <= 0) return MIN_RADIUS;
  return MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * Math.sqrt(Math.min(bytes, maxBytes) / maxBytes);
}

interface TreeDatum {
  readonly chainId: string | null;
  readonly children: readonly TreeDatum[];
}

/** Label line + size line + one line per image marker. */
function linesOf(layer: LayerNode): number {
  return 2 + layer.images.length;
}

/** Half the height a node needs on its own row. */
function halfExtent(layer: LayerNode | undefined): number {
  if (!layer) return 0;
  return Math.max(MAX_RADIUS, (linesOf(layer) * LINE_HEIGHT) / 2) + 6;
}

/** Counts the layers below a node and the image tips among them. */
function hiddenBelow(graph: LayerGraph, chainId: string): { layers: number; images: number } {
  let layers = 0;
  let images = 0;
  const stack = [...(graph.nodes.get(chainId)?.children ?? [])];
  while (stack.length > 0) {
    const id = stack.pop();
    const node = id === undefined ? undefined : graph.nodes.get(id);
    if (!node) continue;
    layers += 1;
    images += node.images.length;
    stack.push(...node.children);
  }
  return { layers, images };
}

/** Lays out the graph; collapsed nodes keep their place and hide everything built on them. */
export function layoutLayerGraph(graph: LayerGraph, options: LayoutOptions): LayerLayout {
  const { collapsed } = options;
  const build = (chainId: string): TreeDatum => {
    const layer = graph.nodes.get(chainId);
    const children = layer && !collapsed.has(chainId) ? layer.children.map(build) : [];
    return { chainId, children };
  };
  const root = hierarchy<TreeDatum>({ chainId: null, children: graph.roots.map(build) }, (d) => [...d.children]);

  const unit = LINE_HEIGHT;
  const layerOf = (n: HierarchyNode<TreeDatum>): LayerNode | undefined =>
    n.data.chainId === null ? undefined : graph.nodes.get(n.data.chainId);
  const positioned = tree<TreeDatum>()
    .nodeSize([unit, DEPTH_SPACING])
    .separation((a, b) => (halfExtent(layerOf(a)) + halfExtent(layerOf(b)) + (a.parent === b.parent ? 0 : 12)) / unit)(
    root,
  );

  let maxBytes = 0;
  for (const layer of graph.nodes.values()) maxBytes = Math.max(maxBytes, layer.bytes ?? 0);

  const nodes: PositionedNode[] = [];
  const edges: PositionedEdge[] = [];
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const positions = new Map<string, { x: number; y: number }>();

  positioned.each((n) => {
    const layer = layerOf(n);
    if (!layer) return;
    // The synthetic root sits at depth 0: real roots start at x = 0.
    const x = (n.depth - 1) * DEPTH_SPACING;
    const y = n.x;
    positions.set(layer.chainId, { x, y });
  });

  for (const chainId of graph.order) {
    const pos = positions.get(chainId);
    const layer = graph.nodes.get(chainId);
    if (!pos || !layer) continue;
    const radius = radiusOf(layer.bytes, maxBytes);
    const isCollapsed = collapsed.has(chainId) && layer.children.length > 0;
    const hidden = isCollapsed ? hiddenBelow(graph, chainId) : { layers: 0, images: 0 };
    const textX = pos.x + MAX_RADIUS + 6;
    const firstMarkerY = pos.y - (linesOf(layer) * LINE_HEIGHT) / 2 + 2 * LINE_HEIGHT;
    const markers = layer.images.flatMap((imageId, i) => {
      const image = graph.imagesById.get(imageId);
      if (!image) return [];
      return [{ imageId, name: image.name, tags: image.repoTags, x: textX, y: firstMarkerY + i * LINE_HEIGHT }];
    });
    nodes.push({
      chainId,
      layer,
      x: pos.x,
      y: pos.y,
      radius,
      collapsed: isCollapsed,
      hiddenLayers: hidden.layers,
      hiddenImages: hidden.images,
      markers,
    });
    const half = halfExtent(layer);
    minX = Math.min(minX, pos.x - MAX_RADIUS);
    maxX = Math.max(maxX, pos.x + DEPTH_SPACING - 10);
    minY = Math.min(minY, pos.y - half);
    maxY = Math.max(maxY, pos.y + half);

    const parent = layer.parent === null ? undefined : positions.get(layer.parent);
    if (parent && layer.parent !== null) {
      const midX = (parent.x + pos.x) / 2;
      edges.push({
        from: layer.parent,
        to: chainId,
        d: `M${parent.x},${parent.y}C${midX},${parent.y} ${midX},${pos.y} ${pos.x},${pos.y}`,
      });
    }
  }

  const bounds =
    nodes.length === 0
      ? { x: 0, y: 0, width: 0, height: 0 }
      : { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
  return { nodes, edges, bounds };
}

/**
 * The collapsed set a graph starts with: nothing when it is small; when it has more than `limit` layers, every node
 * at the deepest depth that keeps at most `limit` layers visible, so the first view stays responsive.
 */
export function defaultCollapsed(
  graph: LayerGraph,
  limit: number = LARGE_GRAPH,
): { readonly collapsed: ReadonlySet<string>; readonly depth: number | null } {
  if (graph.nodes.size <= limit) return { collapsed: new Set(), depth: null };
  const perDepth: number[] = [];
  for (const layer of graph.nodes.values()) perDepth[layer.depth] = (perDepth[layer.depth] ?? 0) + 1;
  let depth = 0;
  let shown = perDepth[0] ?? 0;
  while (depth + 1 < perDepth.length && shown + (perDepth[depth + 1] ?? 0) <= limit) {
    depth += 1;
    shown += perDepth[depth] ?? 0;
  }
  const collapsed = new Set<string>();
  for (const layer of graph.nodes.values()) {
    if (layer.depth === depth && layer.children.length > 0) collapsed.add(layer.chainId);
  }
  return { collapsed, depth };
}

/** The first image whose name or one of whose tags matches the query: exact match first, then containing it. */
export function findImage(graph: LayerGraph, query: string): LayerGraph['images'][number] | undefined {
  const q = query.trim().toLowerCase();
  if (q === '') return undefined;
  const names = (image: LayerGraph['images'][number]): string[] =>
    [image.name, ...image.repoTags, image.imageId].map((s) => s.toLowerCase());
  return (
    graph.images.find((image) => names(image).some((n) => n === q || n === `${q}:latest`)) ??
    graph.images.find((image) => names(image).some((n) => n.startsWith(q))) ??
    graph.images.find((image) => names(image).some((n) => n.includes(q)))
  );
}

/**
 * The nodes worth rendering at this zoom: those inside the viewport (plus a margin, in screen pixels) and the nodes
 * an edge to them starts from. `transform` maps graph coordinates to the screen: screen = graph * k + (x, y).
 */
export function nodesInView(
  layout: LayerLayout,
  transform: { readonly x: number; readonly y: number; readonly k: number },
  viewport: { readonly width: number; readonly height: number },
  margin = 200,
): ReadonlySet<string> {
  const left = (-margin - transform.x) / transform.k;
  const right = (viewport.width + margin - transform.x) / transform.k;
  const top = (-margin - transform.y) / transform.k;
  const bottom = (viewport.height + margin - transform.y) / transform.k;
  const shown = new Set<string>();
  for (const node of layout.nodes) {
    // A node's label and markers reach one depth step to its right.
    if (node.x + DEPTH_SPACING >= left && node.x - MAX_RADIUS <= right && node.y >= top && node.y <= bottom) {
      shown.add(node.chainId);
    }
  }
  return shown;
}
