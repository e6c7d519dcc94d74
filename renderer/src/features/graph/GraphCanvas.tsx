/**
 * The layer graph's SVG: edges, layer nodes and image markers, or, far zoomed out on a very large graph, the canvas
 * the far view is drawn on. React owns every element; the zoom transform is set on the zoom layer by
 * useGraphViewport.
 */
import type { KeyboardEvent, RefObject } from 'react';
import { useUi } from '../../app/uiStore';
import { formatBytes, shortId } from '../../lib/format';
import { MAX_RADIUS, type LayerLayout, type PositionedNode } from './layout';
import { LABELS_MIN, MARKERS_MIN } from './levelOfDetail';

const LABEL_CHARS = 30;

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

/** The SVG. React owns every element; d3 only computes the layout and turns wheel/drag into a zoom transform. */
export function GraphCanvas({
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
