import { useEffect, useRef, useState } from 'react';

export interface CopyButtonProps {
  /** The text put on the clipboard. */
  readonly text: string;
  /** The accessible name: "Copy step 3 command". */
  readonly label: string;
}

type CopyState = 'idle' | 'copied' | 'failed';

const FEEDBACK_MS = 1500;

/** Copies `text` to the clipboard; says "Copied" (or "Copy failed") for a moment. */
export function CopyButton({ text, label }: CopyButtonProps) {
  const [state, setState] = useState<CopyState>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => () => clearTimeout(timer.current), []);

  const settle = (next: CopyState): void => {
    setState(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), FEEDBACK_MS);
  };

  const copy = async (): Promise<void> => {
    try {
      // Missing outside a secure context; then the copy fails visibly instead of throwing away.
      const clipboard = (navigator as Partial<Navigator>).clipboard;
      if (clipboard === undefined) throw new Error('no clipboard');
      await clipboard.writeText(text);
      settle('copied');
    } catch {
      settle('failed');
    }
  };

  return (
    <button
      type="button"
      className={`button button-small button-quiet copy-button${state === 'failed' ? ' is-failed' : ''}`}
      aria-label={label}
      onClick={() => void copy()}
    >
      <span aria-live="polite">{state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}</span>
    </button>
  );
}
