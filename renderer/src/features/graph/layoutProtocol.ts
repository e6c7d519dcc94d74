/**
 * The messages between the Layers view and its layout worker, and the worker's handler as a plain function.
 *
 * A large graph is modelled (`toLayerGraph`) and laid out (`layoutLayerGraph`) off the main thread. The first request
 * for some engine data carries the data; the worker keeps the graph it built, so a later request (collapse, expand,
 * search) carries only the collapsed set. Every request has an id; the view ignores any answer but the latest.
 * No DOM here: this module runs in the worker and in unit tests.
 */
import { toLayerGraph, type LayerGraph } from '../../../../shared/graph';
import type { GraphImageData } from '../../../../shared/api';
import { defaultCollapsed, layoutLayerGraph, type LayerLayout, type PositionedNode } from './layout';

/** Above this many distinct layers the graph is modelled and laid out in a worker; smaller ones stay synchronous. */
export const WORKER_ABOVE = 1500;

export interface LayoutRequest {
  readonly id: number;
  /** The engine data; null to lay out the graph built from the data of an earlier request. */
  readonly images: readonly GraphImageData[] | null;
  /** Chain IDs of the collapsed layers; null for the graph's default (`defaultCollapsed`). */
  readonly collapsed: readonly string[] | null;
}

/** A positioned node without its layer: the main thread already holds the graph and links them again. */
export type WireNode = Omit<PositionedNode, 'layer'>;

export interface WireLayout {
  readonly nodes: readonly WireNode[];
  readonly edges: LayerLayout['edges'];
  readonly bounds: LayerLayout['bounds'];
}

export type LayoutResponse =
  | {
      readonly id: number;
      readonly ok: true;
      /** The graph, when the request carried images; null when it reused the worker's graph. */
      readonly graph: LayerGraph | null;
      /** The collapsed set this layout used. */
      readonly collapsed: readonly string[];
      readonly layout: WireLayout;
    }
  | { readonly id: number; readonly ok: false; readonly message: string };

/** How many distinct layers this data holds (shared layers count once). */
export function countLayers(images: readonly GraphImageData[]): number {
  const chains = new Set<string>();
  for (const image of images) for (const layer of image.layers) chains.add(layer.chainId);
  return chains.size;
}

/** Whether this data is laid out in a worker: only when it is large and the platform has workers. */
export function shouldUseWorker(
  images: readonly GraphImageData[],
  workersAvailable: boolean = typeof Worker !== 'undefined',
): boolean {
  return workersAvailable && countLayers(images) > WORKER_ABOVE;
}

function toWire(layout: LayerLayout): WireLayout {
  return {
    nodes: layout.nodes.map(({ layer: _layer, ...rest }) => rest),
    edges: layout.edges,
    bounds: layout.bounds,
  };
}

/** Links the nodes of a layout that crossed the worker boundary to the main thread's graph again. */
export function fromWire(wire: WireLayout, graph: LayerGraph): LayerLayout {
  const nodes: PositionedNode[] = [];
  for (const node of wire.nodes) {
    const layer = graph.nodes.get(node.chainId);
    if (layer === undefined) throw new Error(`The layout names a layer the graph does not have: ${node.chainId}`);
    nodes.push({ ...node, layer });
  }
  return { nodes, edges: wire.edges, bounds: wire.bounds };
}

/** The worker's message handler: keeps the last graph it built between requests. */
export function createLayoutHandler(): (request: LayoutRequest) => LayoutResponse {
  let current: LayerGraph | undefined;
  return (request) => {
    try {
      const graph = request.images === null ? current : toLayerGraph(request.images);
      if (graph === undefined) return { id: request.id, ok: false, message: 'No layer data to lay out yet.' };
      current = graph;
      const collapsed = request.collapsed === null ? defaultCollapsed(graph).collapsed : new Set(request.collapsed);
      const layout = layoutLayerGraph(graph, { collapsed });
      return {
        id: request.id,
        ok: true,
        graph: request.images === null ? null : graph,
        collapsed: [...collapsed],
        layout: toWire(layout),
      };
    } catch (error) {
      return { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  };
}
