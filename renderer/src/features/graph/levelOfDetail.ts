/**
 * The graph's level of detail: the zoom bands below which labels and image markers are hidden, and the size above
 * which only the layers in (or near) the viewport are rendered.
 */
import type { ZoomTransform } from 'd3';

/** Below this zoom, layer labels are hidden (level of detail); below MARKERS_MIN, image markers too. */
export const LABELS_MIN = 0.5;
export const MARKERS_MIN = 0.3;
/** Above this many visible layers, only those in (or near) the viewport are rendered. */
export const CULL_ABOVE = 400;

/** What the rendered DOM depends on: the zoom bands of the level of detail and, for a culled graph, the layers shown. */
export interface View {
  readonly transform: ZoomTransform;
  readonly viewport: { readonly width: number; readonly height: number };
}

export function zoomBand(k: number): number {
  return k >= LABELS_MIN ? 2 : k >= MARKERS_MIN ? 1 : 0;
}

export function sameMembers(a: ReadonlySet<string> | null, b: ReadonlySet<string> | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.size !== b.size) return false;
  for (const id of a) if (!b.has(id)) return false;
  return true;
}
