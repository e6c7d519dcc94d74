/**
 * What the pull and push progress reducers share: reading stream fields, a shown fraction that never moves
 * backwards, and the contract's view of a per-layer state.
 */
import type { JobProgress, LayerProgress } from '../../../shared/api';

/** Stream fields, read with the accessors of core/answers.ts. */
export { byteCountOrUndefined as num, textOrUndefined as str } from '../core/answers';

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

/** Bytes for progress messages, in decimal units as the docker CLI prints them: `812 B`, `4.9 MB`. */
export function humanBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit] ?? 'TB'}`;
}
