import { describe, expect, it } from 'vitest';
import { toLayerGraph } from '../../../../shared/graph';
import { graphImage, hex } from '../../testing/fakeBridge';
import { DEFAULT_FAR_COLORS, drawFarView, type FarContext } from './farView';
import { layoutLayerGraph } from './layout';

/** A 2D context that records what was drawn. */
function recorder() {
  const calls: string[] = [];
  const arcs: { x: number; y: number; r: number; alpha: number }[] = [];
  const strokes: { style: string; width: number; alpha: number }[] = [];
  const ctx = {
    strokeStyle: '',
    fillStyle: '',
    lineWidth: 1,
    globalAlpha: 1,
    setTransform: (...args: number[]) => calls.push(`setTransform(${args.join(',')})`),
    clearRect: () => calls.push('clearRect'),
    beginPath: () => calls.push('beginPath'),
    moveTo: () => undefined,
    bezierCurveTo: () => calls.push('curve'),
    arc(x: number, y: number, r: number) {
      arcs.push({ x, y, r, alpha: ctx.globalAlpha });
    },
    stroke() {
      strokes.push({ style: String(ctx.strokeStyle), width: ctx.lineWidth, alpha: ctx.globalAlpha });
    },
    fill: () => calls.push('fill'),
  };
  return { ctx: ctx as unknown as FarContext, calls, arcs, strokes };
}

const DATA = [
  graphImage(hex('a'), ['lab/app:1.0'], ['base', 'app'], ['', 'COPY x']),
  graphImage(hex('d'), ['lab/app-debug:1.0'], ['base', 'app', 'debug'], ['', 'COPY x', 'RUN debug']),
  graphImage(hex('c'), ['lab/tool:1.0'], ['base', 'tool'], ['', 'RUN apk add']),
];
const layout = layoutLayerGraph(toLayerGraph(DATA), { collapsed: new Set() });
const scene = {
  layout,
  transform: { x: 100, y: 300, k: 0.1 },
  width: 800,
  height: 600,
  pixelRatio: 2,
  onPath: new Set<string>(),
  searching: false,
  colors: DEFAULT_FAR_COLORS,
};

describe('drawFarView', () => {
  it('clears the canvas, then draws every layer in view and every edge, in a few draw calls', () => {
    const { ctx, calls, arcs, strokes } = recorder();
    expect(drawFarView(ctx, scene)).toBe(4);
    expect(calls.slice(0, 3)).toEqual(['setTransform(2,0,0,2,0,0)', 'clearRect', 'setTransform(0.2,0,0,0.2,200,600)']);
    expect(calls.filter((c) => c === 'curve')).toHaveLength(3);
    expect(arcs.map((a) => [a.x, a.y])).toEqual(layout.nodes.map((n) => [n.x, n.y]));
    // Far out, a layer is still at least 1.5 screen pixels wide; lines are screen pixels too.
    expect(Math.min(...arcs.map((a) => a.r * scene.transform.k))).toBeGreaterThanOrEqual(1.5);
    expect(strokes[0]).toEqual({ style: DEFAULT_FAR_COLORS.edge, width: 10, alpha: 1 });
    // One edge path, then one path per look of node (shared base, unique layers).
    expect(strokes).toHaveLength(3);
  });

  it('skips what is outside the viewport', () => {
    const { ctx, arcs } = recorder();
    const far = { ...scene, transform: { x: -100_000, y: -100_000, k: 1 } };
    expect(drawFarView(ctx, far)).toBe(0);
    expect(arcs).toHaveLength(0);
  });

  it('draws the found path highlighted and dims the rest', () => {
    const { ctx, arcs, strokes } = recorder();
    drawFarView(ctx, { ...scene, onPath: new Set(['base', 'app', 'debug']), searching: true });
    const byPos = (id: string) => {
      const node = layout.nodes.find((n) => n.chainId === id)!;
      return arcs.find((a) => a.x === node.x && a.y === node.y);
    };
    expect(byPos('debug')?.alpha).toBe(1);
    expect(byPos('tool')?.alpha).toBe(0.25);
    expect(strokes.some((s) => s.style === DEFAULT_FAR_COLORS.path && s.width === 30 && s.alpha === 1)).toBe(true);
  });
});
