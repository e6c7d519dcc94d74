/**
 * What the pull and push progress reducers share: reading stream fields, a shown fraction that never moves
 * backwards, and the contract's view of a per-layer state.
 */
import type { JobProgress, LayerProgress } from '../../shared/api';

/** A finite, non-negative number, or undefined. */
export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** One layer's counters as a reducer keeps them (reducers may keep more). */
export interface LayerCounters {
  readonly id: string;
  readonly status: string;
  readonly current: number;
  readonly total: number;
  readonly done: boolean;
}

/** The part of a pull or push state the contract shows. */
export interface LayerStreamState {
  readonly layers: ReadonlyMap<string, LayerCounters>;
  readonly lastMessage: string;
  /** Highest fraction shown so far: progress never moves backwards. */
  readonly shownFraction: number | null;
}

/** Raises the shown fraction to `fraction` (never lowers it); an unknown fraction leaves the state as it is. */
export function withShownFraction<S extends { readonly shownFraction: number | null }>(
  state: S,
  fraction: number | null,
): S {
  if (fraction === null) return state;
  const shown = state.shownFraction === null ? fraction : Math.max(state.shownFraction, fraction);
  return { ...state, shownFraction: shown };
}

/** The contract's view of a per-layer state. */
export function layerJobProgress(state: LayerStreamState): JobProgress {
  const layers: LayerProgress[] = [...state.layers.values()].map((layer) => ({
    id: layer.id,
    status: layer.status,
    current: layer.current,
    total: layer.total,
    done: layer.done,
  }));
  return { fraction: state.shownFraction, message: state.lastMessage, layers };
}
