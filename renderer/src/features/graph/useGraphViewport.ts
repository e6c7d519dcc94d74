/**
 * The layer graph's viewport: d3 turns wheel and drag into a zoom transform set on the zoom layer directly, each
 * frame; the view renders again only when the level of detail or, for a large graph, the culled set of layers
 * changes. Far zoomed out on a very large graph the far view is drawn on a canvas. Also fits the graph to the view.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { select, zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3';
import { CANVAS_ABOVE, DEFAULT_FAR_COLORS, drawFarView } from './farView';
import { nodesInView, type LayerLayout } from './layout';
import { CULL_ABOVE, LABELS_MIN, MARKERS_MIN, sameMembers, zoomBand, type View } from './levelOfDetail';

const requestFrame = (callback: () => void): number =>
  typeof requestAnimationFrame === 'function' ? requestAnimationFrame(callback) : window.setTimeout(callback, 16);
const cancelFrame = (handle: number): void =>
  typeof cancelAnimationFrame === 'function' ? cancelAnimationFrame(handle) : window.clearTimeout(handle);

export interface GraphViewportOptions {
  readonly layout: LayerLayout | undefined;
  /** The found image's path, drawn highlighted in the far view. */
  readonly onPath: ReadonlySet<string>;
  /** An image is found: the rest of the graph is dimmed. */
  readonly searching: boolean;
  /** Render every layer (for an export), not only those in view. */
  readonly renderAll: boolean;
  /** The SVG is mounted: the engine is connected and the layout has layers. */
  readonly hasSvg: boolean;
}

/** The refs the graph's SVG, zoom layer and far-view canvas take, the rendered view, and `fit`. */
export function useGraphViewport({ layout, onPath, searching, renderAll, hasSvg }: GraphViewportOptions) {
  const svgRef = useRef<SVGSVGElement | null>(null);
  const zoomRef = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const fittedRef = useRef(false);
  const zoomLayerRef = useRef<SVGGElement | null>(null);
  const farRef = useRef<HTMLCanvasElement | null>(null);
  /** The live zoom transform: applied to the zoom layer at once, without a render. */
  const transformRef = useRef<ZoomTransform>(zoomIdentity);
  /** The view the DOM was last rendered for: renders follow zooming at most once a frame, and only when needed. */
  const [view, setView] = useState<View>({ transform: zoomIdentity, viewport: { width: 800, height: 600 } });

  // Level of detail at size: a big graph renders what the viewport shows (export renders everything).
  const shown = useMemo(
    () =>
      layout === undefined || renderAll || layout.nodes.length <= CULL_ABOVE
        ? null
        : nodesInView(layout, view.transform, view.viewport),
    [layout, renderAll, view],
  );
  // Far zoomed out with thousands of layers in view, the canvas draws them (the SVG would stall every pan frame).
  const far =
    layout !== undefined &&
    !renderAll &&
    view.transform.k < MARKERS_MIN &&
    (shown === null ? layout.nodes.length : shown.size) > CANVAS_ABOVE;
  const farSceneRef = useRef<{
    layout: LayerLayout | undefined;
    onPath: ReadonlySet<string>;
    searching: boolean;
  }>({ layout: undefined, onPath: new Set(), searching: false });
  /** Draws the far view from the live transform, if it is showing. */
  const drawFar = useCallback(() => {
    const canvas = farRef.current;
    const svg = svgRef.current;
    const { layout: current, onPath: path, searching } = farSceneRef.current;
    if (canvas === null || svg === null || current === undefined) return;
    const ctx = canvas.getContext('2d');
    if (ctx === null) return;
    const width = svg.clientWidth || 800;
    const height = svg.clientHeight || 600;
    const pixelRatio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * pixelRatio)) canvas.width = Math.round(width * pixelRatio);
    if (canvas.height !== Math.round(height * pixelRatio)) canvas.height = Math.round(height * pixelRatio);
    const style = getComputedStyle(svg);
    const colors = {
      ...DEFAULT_FAR_COLORS,
      edge: style.getPropertyValue('--border-strong').trim() || DEFAULT_FAR_COLORS.edge,
      path: style.getPropertyValue('--accent').trim() || DEFAULT_FAR_COLORS.path,
    };
    drawFarView(ctx, {
      layout: current,
      transform: transformRef.current,
      width,
      height,
      pixelRatio,
      onPath: path,
      searching,
      colors,
    });
  }, []);
  useEffect(() => {
    farSceneRef.current = { layout, onPath, searching };
    if (far) drawFar();
  }, [far, layout, onPath, searching, drawFar]);
  // What the per-frame zoom handler compares against, kept current after every render.
  const renderedRef = useRef<{
    layout: LayerLayout | undefined;
    shown: ReadonlySet<string> | null;
    renderAll: boolean;
  }>({ layout: undefined, shown: null, renderAll: false });
  useEffect(() => {
    renderedRef.current = { layout, shown, renderAll };
  }, [layout, shown, renderAll]);
  // A zoom layer that was just (re)mounted takes the live transform.
  useLayoutEffect(() => {
    zoomLayerRef.current?.setAttribute('transform', transformRef.current.toString());
  });

  useEffect(() => {
    const svg = svgRef.current;
    if (!hasSvg || svg === null) return undefined;
    // Once a frame at most: render again only if the level of detail or the culled set of layers changes.
    let frame: number | null = null;
    const update = () => {
      frame = null;
      drawFar();
      const rect = svg.getBoundingClientRect();
      const next: View = {
        transform: transformRef.current,
        viewport: { width: rect.width || 800, height: rect.height || 600 },
      };
      const rendered = renderedRef.current;
      setView((prev) => {
        if (zoomBand(prev.transform.k) !== zoomBand(next.transform.k)) return next;
        const { layout: current } = rendered;
        if (current === undefined || rendered.renderAll || current.nodes.length <= CULL_ABOVE) return prev;
        return sameMembers(rendered.shown, nodesInView(current, next.transform, next.viewport)) ? prev : next;
      });
    };
    const behavior = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.05, 4])
      .extent(function extent(this: SVGSVGElement) {
        const rect = this.getBoundingClientRect();
        return [
          [0, 0],
          [rect.width || 800, rect.height || 600],
        ];
      })
      .on('zoom', (event: { transform: ZoomTransform; sourceEvent: unknown }) => {
        transformRef.current = event.transform;
        zoomLayerRef.current?.setAttribute('transform', event.transform.toString());
        if (event.sourceEvent === null || event.sourceEvent === undefined) {
          // A jump made by the view itself (fit, first view): show its detail at once.
          if (frame !== null) cancelFrame(frame);
          update();
        } else if (frame === null) {
          frame = requestFrame(update);
        }
      });
    zoomRef.current = behavior;
    const selection = select(svg);
    selection.call(behavior).on('dblclick.zoom', null);
    return () => {
      if (frame !== null) cancelFrame(frame);
      selection.on('.zoom', null);
      zoomRef.current = null;
    };
  }, [hasSvg, drawFar]);

  /** Fits the whole graph; `readable` (the first view) instead shows its top-left corner when fitting would make
   * the labels unreadable. */
  const fit = useCallback(
    (readable = false) => {
      const svg = svgRef.current;
      const behavior = zoomRef.current;
      if (svg === null || behavior === null || layout === undefined) return;
      const rect = svg.getBoundingClientRect();
      const width = rect.width || 800;
      const height = rect.height || 600;
      const { bounds } = layout;
      const k = Math.min(1.5, (0.92 * width) / Math.max(bounds.width, 1), (0.92 * height) / Math.max(bounds.height, 1));
      const x = (width - bounds.width * k) / 2 - bounds.x * k;
      const y = (height - bounds.height * k) / 2 - bounds.y * k;
      if (readable && k < LABELS_MIN) {
        const r = 0.75;
        behavior.transform(select(svg), zoomIdentity.translate(20 - bounds.x * r, 20 - bounds.y * r).scale(r));
        return;
      }
      behavior.transform(select(svg), zoomIdentity.translate(x, y).scale(k));
    },
    [layout],
  );

  useEffect(() => {
    if (hasSvg && !fittedRef.current) {
      fittedRef.current = true;
      fit(true);
    }
  }, [hasSvg, fit]);

  return { svgRef, zoomLayerRef, farRef, view, shown, far, fit };
}
