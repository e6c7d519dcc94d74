import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type RefObject,
} from 'react';
import { flushSync } from 'react-dom';
import { select, zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3';
import { pathOf } from '../../../../shared/graph';
import { useEngineStatus } from '../../app/queries';
import { useUi } from '../../app/uiStore';
import { formatBytes, shortId } from '../../lib/format';
import { EngineUnavailable } from '../engine/EngineUnavailable';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { downloadBlob, exportSize, serializeGraphSvg, svgToPng } from './exportGraph';
import { CANVAS_ABOVE, DEFAULT_FAR_COLORS, drawFarView } from './farView';
import { LayerDetails } from './LayerDetails';
import { defaultCollapsed, findImage, MAX_RADIUS, nodesInView, type LayerLayout, type PositionedNode } from './layout';
import { useLayerGraph, useLayerLayout } from './useLayerGraph';

/** Below this zoom, layer labels are hidden (level of detail); below MARKERS_MIN, image markers too. */
const LABELS_MIN = 0.5;
const MARKERS_MIN = 0.3;
const LABEL_CHARS = 30;
/** Above this many visible layers, only those in (or near) the viewport are rendered. */
export const CULL_ABOVE = 400;

/** What the rendered DOM depends on: the zoom bands of the level of detail and, for a culled graph, the layers shown. */
interface View {
  readonly transform: ZoomTransform;
  readonly viewport: { readonly width: number; readonly height: number };
}

function zoomBand(k: number): number {
  return k >= LABELS_MIN ? 2 : k >= MARKERS_MIN ? 1 : 0;
}

function sameMembers(a: ReadonlySet<string> | null, b: ReadonlySet<string> | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.size !== b.size) return false;
  for (const id of a) if (!b.has(id)) return false;
  return true;
}

/** The step instruction as a node label: one line, truncated. */
export function nodeLabel(label: string | null): string {
  if (label === null) return 'Unlabelled layer';
  const line = label.replace(/\s+/g, ' ').trim();
  if (line === '') return 'No instruction';
  return line.length > LABEL_CHARS ? `${line.slice(0, LABEL_CHARS - 1)}…` : line;
}

function sizeLine(node: PositionedNode): string {
  const bytes = node.layer.bytes === null ? 'size unknown' : formatBytes(node.layer.bytes);
  return node.layer.shared ? `${bytes} · ${node.layer.usedBy.length} images` : bytes;
}

function markerText(name: string, tags: readonly string[]): string {
  return tags.length > 1 ? `▸ ${name} (+${tags.length - 1} tags)` : `▸ ${name}`;
}

const requestFrame = (callback: () => void): number =>
  typeof requestAnimationFrame === 'function' ? requestAnimationFrame(callback) : window.setTimeout(callback, 16);
const cancelFrame = (handle: number): void =>
  typeof cancelAnimationFrame === 'function' ? cancelAnimationFrame(handle) : window.clearTimeout(handle);

function onActivate(action: () => void) {
  return (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      action();
    }
  };
}

interface GraphCanvasProps {
  readonly layout: LayerLayout;
  readonly onPath: ReadonlySet<string>;
  readonly searching: boolean;
  readonly selected: string | undefined;
  readonly onSelect: (chainId: string) => void;
  readonly onToggle: (chainId: string) => void;
  /** The layers to render; null for all of them. */
  readonly shown: ReadonlySet<string> | null;
}

function Legend() {
  return (
    <ul className="graph-legend" aria-label="Legend">
      <li>
        <svg width="14" height="14" aria-hidden="true">
          <circle cx="7" cy="7" r="6" className="graph-node-circle is-unique" />
        </svg>
        Used by one image
      </li>
      <li>
        <svg width="14" height="14" aria-hidden="true">
          <circle cx="7" cy="7" r="6" className="graph-node-circle is-shared" />
        </svg>
        Shared by several images
      </li>
      <li>
        <span className="graph-legend-marker" aria-hidden="true">
          ▸
        </span>
        Image (its last layer)
      </li>
      <li className="muted">Area shows the layer&apos;s size</li>
    </ul>
  );
}

/** The SVG. React owns every element; d3 only computes the layout and turns wheel/drag into a zoom transform. */
function GraphCanvas({
  layout,
  onPath,
  searching,
  selected,
  onSelect,
  onToggle,
  shown,
  svgRef,
  zoomLayerRef,
  zoomLevel,
  farRef,
}: GraphCanvasProps & {
  readonly svgRef: RefObject<SVGSVGElement | null>;
  /** Set when the far-zoomed view is drawn on this canvas instead of in the SVG. */
  readonly farRef: RefObject<HTMLCanvasElement | null> | null;
  readonly zoomLayerRef: RefObject<SVGGElement | null>;
  /** The zoom the level of detail follows (the transform itself is set on the zoom layer directly, per frame). */
  readonly zoomLevel: number;
}) {
  const openHistory = useUi((s) => s.openHistory);
  const showLabels = zoomLevel >= LABELS_MIN;
  const showMarkers = zoomLevel >= MARKERS_MIN;
  const dim = (id: string): boolean => searching && !onPath.has(id);
  if (farRef !== null) {
    const count = shown === null ? layout.nodes.length : shown.size;
    return (
      <div className="graph-stage">
        <svg ref={svgRef} className="graph-svg" role="group" aria-label="Layer graph">
          <g data-zoom-layer="" ref={zoomLayerRef} />
        </svg>
        <canvas
          ref={farRef}
          className="graph-canvas"
          role="img"
          aria-label={`Overview of ${count} layers: zoom in to read and select them`}
        />
      </div>
    );
  }
  return (
    <div className="graph-stage">
      <svg ref={svgRef} className="graph-svg" role="group" aria-label="Layer graph">
        <g data-zoom-layer="" ref={zoomLayerRef}>
          <g className="graph-edges">
            {(shown === null ? layout.edges : layout.edges.filter((e) => shown.has(e.to) || shown.has(e.from))).map(
              (edge) => (
                <path
                  key={edge.to}
                  d={edge.d}
                  className={`graph-edge${onPath.has(edge.to) ? ' is-path' : ''}${dim(edge.to) ? ' is-dimmed' : ''}`}
                />
              ),
            )}
          </g>
          {(shown === null ? layout.nodes : layout.nodes.filter((n) => shown.has(n.chainId))).map((node) => {
            const inPath = onPath.has(node.chainId);
            const classes = [
              'graph-node',
              inPath ? 'is-path' : '',
              dim(node.chainId) ? 'is-dimmed' : '',
              selected === node.chainId ? 'is-selected' : '',
            ]
              .filter(Boolean)
              .join(' ');
            const label = nodeLabel(node.layer.label);
            const textX = node.x + MAX_RADIUS + 6;
            const lines = 2 + node.markers.length;
            const top = node.y - (lines * 16) / 2;
            return (
              <g key={node.chainId} className={classes}>
                <g
                  role="button"
                  tabIndex={0}
                  aria-label={`Layer ${shortId(node.chainId)}: ${label}`}
                  aria-current={inPath ? 'true' : undefined}
                  aria-pressed={selected === node.chainId}
                  data-chain-id={node.chainId}
                  data-on-path={inPath ? 'true' : undefined}
                  className="graph-node-hit"
                  onClick={() => onSelect(node.chainId)}
                  onDoubleClick={() => onToggle(node.chainId)}
                  onKeyDown={onActivate(() => onSelect(node.chainId))}
                >
                  <circle
                    cx={node.x}
                    cy={node.y}
                    r={node.radius}
                    className={`graph-node-circle ${node.layer.shared ? 'is-shared' : 'is-unique'}`}
                  />
                  {node.collapsed ? (
                    <text x={node.x} y={node.y + node.radius + 12} className="graph-badge" textAnchor="middle">
                      {`+${node.hiddenLayers}`}
                    </text>
                  ) : null}
                  {showLabels ? (
                    <>
                      <text x={textX} y={top + 12} className="graph-label">
                        {label}
                      </text>
                      <text x={textX} y={top + 28} className="graph-size">
                        {sizeLine(node)}
                      </text>
                    </>
                  ) : null}
                </g>
                {showMarkers
                  ? node.markers.map((marker) => (
                      <text
                        key={marker.imageId}
                        role="button"
                        tabIndex={0}
                        aria-label={`Image ${marker.name}`}
                        data-image-id={marker.imageId}
                        x={marker.x}
                        y={marker.y + 12}
                        className="graph-marker"
                        onClick={() => openHistory({ imageId: marker.imageId, label: marker.name })}
                        onKeyDown={onActivate(() => openHistory({ imageId: marker.imageId, label: marker.name }))}
                      >
                        <title>{marker.tags.length > 0 ? marker.tags.join('\n') : marker.imageId}</title>
                        {markerText(marker.name, marker.tags)}
                      </text>
                    ))
                  : null}
              </g>
            );
          })}
        </g>
      </svg>
    </div>
  );
}

/** The Layers view: every local image's layers as one forest, shared layers shown once. */
export function LayersView() {
  const status = useEngineStatus();
  const model = useLayerGraph();
  const { graph, error, isLoading } = model;
  const search = useUi((s) => s.graphSearch);
  const setSearch = useUi((s) => s.setGraphSearch);
  const selected = useUi((s) => s.graphSelected);
  const selectLayer = useUi((s) => s.selectLayer);
  const chosenCollapsed = useUi((s) => s.graphCollapsed);
  const setCollapsed = useUi((s) => s.setGraphCollapsed);

  const svgRef = useRef<SVGSVGElement | null>(null);
  const zoomRef = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const fittedRef = useRef(false);
  const zoomLayerRef = useRef<SVGGElement | null>(null);
  const farRef = useRef<HTMLCanvasElement | null>(null);
  /** The live zoom transform: applied to the zoom layer at once, without a render. */
  const transformRef = useRef<ZoomTransform>(zoomIdentity);
  /** The view the DOM was last rendered for: renders follow zooming at most once a frame, and only when needed. */
  const [view, setView] = useState<View>({ transform: zoomIdentity, viewport: { width: 800, height: 600 } });
  const [renderAll, setRenderAll] = useState(false);
  const [exportError, setExportError] = useState<string | undefined>(undefined);

  const defaults = useMemo(() => (graph === undefined ? undefined : defaultCollapsed(graph)), [graph]);
  const collapsed = useMemo(
    () => chosenCollapsed ?? defaults?.collapsed ?? new Set<string>(),
    [chosenCollapsed, defaults],
  );
  const match = useMemo(() => (graph === undefined ? undefined : findImage(graph, search)), [graph, search]);
  const onPath = useMemo(
    () => new Set(graph === undefined || match === undefined ? [] : pathOf(graph, match.imageId).map((n) => n.chainId)),
    [graph, match],
  );
  // A found image's path is shown even through collapsed layers.
  const shownCollapsed = useMemo(() => {
    if (onPath.size === 0) return collapsed;
    return new Set([...collapsed].filter((id) => !onPath.has(id) || id === match?.tip));
  }, [collapsed, onPath, match]);
  const { layout, pending } = useLayerLayout(model, shownCollapsed);

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
    farSceneRef.current = { layout, onPath, searching: match !== undefined };
    if (far) drawFar();
  }, [far, layout, onPath, match, drawFar]);
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

  const connected = status.data?.state === 'connected';
  const hasSvg = connected && layout !== undefined && layout.nodes.length > 0;

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

  const toggle = useCallback(
    (chainId: string) => {
      const next = new Set(collapsed);
      if (next.has(chainId)) next.delete(chainId);
      else if ((graph?.nodes.get(chainId)?.children.length ?? 0) > 0) next.add(chainId);
      setCollapsed(next);
    },
    [collapsed, graph, setCollapsed],
  );

  const exportSvgText = (): string | undefined => {
    const svg = svgRef.current;
    if (svg === null || layout === undefined) return undefined;
    const background = getComputedStyle(svg).backgroundColor || '#ffffff';
    // Render every layer for the file, then go back to what the viewport needs.
    if (shown !== null) flushSync(() => setRenderAll(true));
    try {
      return serializeGraphSvg(svg, layout.bounds, background);
    } finally {
      if (shown !== null) setRenderAll(false);
    }
  };
  const exportSvg = () => {
    const text = exportSvgText();
    if (text !== undefined) downloadBlob(new Blob([text], { type: 'image/svg+xml' }), 'strata-layers.svg');
  };
  const exportPng = async () => {
    const text = exportSvgText();
    if (text === undefined || layout === undefined) return;
    setExportError(undefined);
    try {
      const { width, height } = exportSize(layout.bounds);
      downloadBlob(await svgToPng(text, width, height), 'strata-layers.png');
    } catch (e) {
      setExportError(e instanceof Error ? e.message : String(e));
    }
  };

  const selectedNode = selected === undefined ? undefined : graph?.nodes.get(selected);

  let body;
  if (!connected) {
    body = <EngineUnavailable status={status.data} error={status.error} />;
  } else if (error !== null && graph === undefined) {
    body = (
      <div className="empty-state" role="alert">
        <h2>Could not read the layers</h2>
        <p>{error.message}</p>
      </div>
    );
  } else if (isLoading) {
    body = <p className="notice">Loading layers…</p>;
  } else if (graph === undefined || layout === undefined) {
    body = (
      <p className="notice" role="status" aria-label="Layout progress">
        {pending === null ? 'Loading layers…' : `Laying out ${pending} layers…`}
      </p>
    );
  } else if (layout.nodes.length === 0) {
    body = (
      <div className="empty-state">
        <h2>No layers</h2>
        <p>There are no images with layers on this engine.</p>
      </div>
    );
  } else {
    body = (
      <div className="graph-body">
        <div className="graph-main">
          <div className="graph-notes">
            <Legend />
            {defaults?.depth !== null && defaults?.depth !== undefined && chosenCollapsed === undefined ? (
              <p className="notice" role="note">
                {graph.nodes.size} layers: showing the first {defaults.depth + 1} layers of each chain. Double-click a
                layer or use Expand all to see more.
              </p>
            ) : null}
            {pending === null ? null : (
              <p className="muted" role="status" aria-label="Layout progress">
                Laying out {pending} layers…
              </p>
            )}
            {search.trim() === '' ? null : (
              <p className="muted graph-search-status" role="status" aria-label="Search result">
                {match === undefined
                  ? `No image matches “${search.trim()}”.`
                  : `${match.name}: ${onPath.size} ${onPath.size === 1 ? 'layer' : 'layers'} from the base up.`}
              </p>
            )}
            {exportError === undefined ? null : <ErrorNotice>{exportError}</ErrorNotice>}
          </div>
          <GraphCanvas
            layout={layout}
            onPath={onPath}
            searching={match !== undefined}
            selected={selected}
            onSelect={selectLayer}
            onToggle={toggle}
            shown={shown}
            svgRef={svgRef}
            zoomLayerRef={zoomLayerRef}
            zoomLevel={view.transform.k}
            farRef={far ? farRef : null}
          />
        </div>
        {selectedNode === undefined ? null : (
          <LayerDetails
            graph={graph}
            layer={selectedNode}
            collapsed={collapsed.has(selectedNode.chainId)}
            onToggle={() => toggle(selectedNode.chainId)}
            onClose={() => selectLayer(undefined)}
          />
        )}
      </div>
    );
  }

  return (
    <section className="view" aria-labelledby="layers-title">
      <header className="view-header">
        <h1 id="layers-title">Layers</h1>
        {graph === undefined ? null : (
          <span className="muted count">
            {graph.nodes.size} layers · {graph.images.length} images
          </span>
        )}
        <div className="toolbar">
          <input
            type="search"
            className="input filter-input"
            aria-label="Find image"
            placeholder="Find image"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
          <button type="button" className="button" onClick={() => fit()} disabled={!hasSvg}>
            Fit to view
          </button>
          {collapsed.size > 0 ? (
            <button type="button" className="button" onClick={() => setCollapsed(new Set())} disabled={!hasSvg}>
              Expand all
            </button>
          ) : null}
          <button type="button" className="button" onClick={exportSvg} disabled={!hasSvg}>
            Export SVG
          </button>
          <button type="button" className="button" onClick={() => void exportPng()} disabled={!hasSvg}>
            Export PNG
          </button>
        </div>
      </header>
      {body}
    </section>
  );
}
