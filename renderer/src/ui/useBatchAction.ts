import { useState } from 'react';
import { toErrorShape, type ErrorShape } from '../../../shared/errors';

export interface BatchActionOptions<Item, Options> {
  /** Runs the action over these keys and answers one item per key. */
  readonly call: (keys: readonly string[], options: Options) => Promise<readonly Item[]>;
  /** The key an answered item is for (a container, an image reference). */
  readonly keyOf: (item: Item) => string;
  /** After each run, failed or not (refresh the lists). */
  readonly settle?: () => Promise<unknown>;
  /** How a thrown error is shown; `toErrorShape` by default. */
  readonly toError?: (caught: unknown) => ErrorShape;
}

export interface BatchAction<Item, Options> {
  readonly busy: boolean;
  /** Undefined until the first run answers: the dialog shows its confirm, then the results. */
  readonly results: readonly Item[] | undefined;
  /** A run that failed as a whole (the call threw). */
  readonly error: ErrorShape | undefined;
  /** Runs over `keys`; a rerun over some of them (a forced retry) replaces just their results, in place. */
  readonly run: (keys: readonly string[], options: Options) => Promise<void>;
}

/** One action over many items with one confirm and a result per item (batch remove, start, stop). */
export function useBatchAction<Item, Options>({
  call,
  keyOf,
  settle,
  toError = toErrorShape,
}: BatchActionOptions<Item, Options>): BatchAction<Item, Options> {
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<readonly Item[] | undefined>(undefined);
  const [error, setError] = useState<ErrorShape | undefined>(undefined);

  const run = async (keys: readonly string[], options: Options): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await call(keys, options);
      setResults((previous) => {
        if (previous === undefined) return answer;
        const next = new Map(answer.map((item) => [keyOf(item), item]));
        return previous.map((item) => next.get(keyOf(item)) ?? item);
      });
    } catch (caught) {
      setError(toError(caught));
    } finally {
      setBusy(false);
      await settle?.();
    }
  };

  return { busy, results, error, run };
}
