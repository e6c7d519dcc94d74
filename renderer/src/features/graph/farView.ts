/**
 * The far-zoomed level of detail of a very large graph, drawn on a canvas: at that zoom there are no labels or
 * markers to read, and thousands of SVG elements make every pan frame slow. Drawn again each animation frame from
 * the live zoom transform, only the nodes and edges in the viewport.
 */
import { MAX_RADIUS, type LayerLayout } from './layout';

/** Above this many layers in view at a zoom without labels, the graph is drawn on a canvas instead of in SVG. */
export const CANVAS_ABOVE = 2500;

export interface FarColors {
  readonly edge: string;
  readonly path: string;
  readonly unique: readonly [fill: string, stroke: string];
  readonly shared: readonly [fill: string, stroke: string];
}

export const DEFAULT_FAR_COLORS: FarColors = {
  edge: '#a0a7b4',
  path: '#2f6fed',
  unique: ['#9db8f5', '#2f6fed'],
  shared: ['#f5c07a', '#b06000'],
};

/** The part of a 2D context the drawing uses (a recording fake in unit tests). */
export type FarContext = Pick<
  CanvasRenderingContext2D,
  | 'setTransform'
  | 'clearRect'
  | 'beginPath'
  | 'moveTo'
  | 'bezierCurveTo'
  | 'arc'
  | 'stroke'
  | 'fill'
  | 'strokeStyle'
  | 'fillStyle'
  | 'lineWidth'
  | 'globalAlpha'
>;

export interface FarScene {
  readonly layout: LayerLayout;
  readonly transform: { readonly x: number; readonly y: number; readonly k: number };
  /** CSS pixels. */
  readonly width: number;
  readonly height: number;
  readonly pixelRatio: number;
  /** The found image's path, drawn highlighted while everything else is dimmed. */
  readonly onPath: ReadonlySet<string>;
  readonly searching: boolean;
  readonly colors: FarColors;
}

/** Draws the scene; returns how many nodes were in view and drawn. */
export function drawFarView(ctx: FarContext, scene: FarScene): number {
  const { layout, transform: t, width, height, pixelRatio: r, onPath, searching, colors } = scene;
  ctx.setTransform(r, 0, 0, r, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.setTransform(r * t.k, 0, 0, r * t.k, r * t.x, r * t.y);
  const pad = MAX_RADIUS;
  const left = -t.x / t.k - pad;
  const right = (width - t.x) / t.k + pad;
  const top = -t.y / t.k - pad;
  const bottom = (height - t.y) / t.k + pad;
  const positions = new Map<string, { readonly x: number; readonly y: number }>();
  for (const node of layout.nodes) positions.set(node.chainId, node);

  // Edges: one path for the ordinary ones, one for the found path.
  for (const highlighted of [false, true]) {
    if (highlighted && onPath.size === 0) continue;
    ctx.beginPath();
    ctx.globalAlpha = searching && !highlighted ? 0.25 : 1;
    ctx.strokeStyle = highlighted ? colors.path : colors.edge;
    // Widths in screen pixels, whatever the zoom.
    ctx.lineWidth = (highlighted ? 3 : 1) / t.k;
    for (const edge of layout.edges) {
      if (onPath.has(edge.to) !== highlighted) continue;
      const from = positions.get(edge.from);
      const to = positions.get(edge.to);
      if (from === undefined || to === undefined) continue;
      if (Math.max(from.x, to.x) < left || Math.min(from.x, to.x) > right) continue;
      if (Math.max(from.y, to.y) < top || Math.min(from.y, to.y) > bottom) continue;
      const midX = (from.x + to.x) / 2;
      ctx.moveTo(from.x, from.y);
      ctx.bezierCurveTo(midX, from.y, midX, to.y, to.x, to.y);
    }
    ctx.stroke();
  }

  // Nodes: one path per look (shared or not, on the found path or not), so a frame is a handful of draw calls.
  let drawn = 0;
  // However far out, a layer stays a visible dot.
  const minRadius = 1.5 / t.k;
  const buckets = new Map<string, { shared: boolean; path: boolean; nodes: LayerLayout['nodes'][number][] }>();
  for (const node of layout.nodes) {
    if (node.x < left || node.x > right || node.y < top || node.y > bottom) continue;
    drawn += 1;
    const path = onPath.has(node.chainId);
    const key = `${node.layer.shared ? 's' : 'u'}${path ? 'p' : ''}`;
    let bucket = buckets.get(key);
    if (bucket === undefined) {
      bucket = { shared: node.layer.shared, path, nodes: [] };
      buckets.set(key, bucket);
    }
    bucket.nodes.push(node);
  }
  ctx.lineWidth = 1 / t.k;
  for (const bucket of buckets.values()) {
    const [fill, stroke] = bucket.shared ? colors.shared : colors.unique;
    ctx.globalAlpha = searching && !bucket.path ? 0.25 : 1;
    ctx.beginPath();
    for (const node of bucket.nodes) {
      const radius = Math.max(node.radius, minRadius);
      ctx.moveTo(node.x + radius, node.y);
      ctx.arc(node.x, node.y, radius, 0, 2 * Math.PI);
    }
    ctx.fillStyle = fill;
    ctx.fill();
    ctx.strokeStyle = bucket.path ? colors.path : stroke;
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
  return drawn;
}
