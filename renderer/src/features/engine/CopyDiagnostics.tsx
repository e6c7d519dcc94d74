import { useState } from 'react';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { formatDiagnostics } from './diagnosticsText';
import { messageOf } from './useAddEngine';

type CopyState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'busy' }
  | { readonly kind: 'copied' }
  | { readonly kind: 'failed'; readonly message: string }
  /** The report was made but the clipboard would not take it: shown to copy by hand. */
  | { readonly kind: 'manual'; readonly text: string; readonly reason: string };

/** "Copy diagnostics": versions, endpoints and last errors (no secrets) on the clipboard, for a bug report. */
export function CopyDiagnostics() {
  const strata = useStrata();
  const [state, setState] = useState<CopyState>({ kind: 'idle' });

  const copy = async (): Promise<void> => {
    setState({ kind: 'busy' });
    let text: string;
    try {
      text = formatDiagnostics(unwrap(await strata.engine.diagnostics({})));
    } catch (caught) {
      setState({ kind: 'failed', message: messageOf(caught) });
      return;
    }
    const clipboard = (navigator as Partial<Navigator>).clipboard;
    if (clipboard?.writeText === undefined) {
      setState({ kind: 'manual', text, reason: 'The clipboard is not available here.' });
      return;
    }
    try {
      await clipboard.writeText(text);
      setState({ kind: 'copied' });
    } catch (caught) {
      setState({ kind: 'manual', text, reason: `The clipboard refused the text (${messageOf(caught)}).` });
    }
  };

  return (
    <div className="diagnostics">
      <button
        type="button"
        className="button"
        disabled={state.kind === 'busy'}
        title="Versions, endpoints and the last errors, without secrets, for a bug report"
        onClick={() => void copy()}
      >
        {state.kind === 'busy' ? 'Collecting…' : 'Copy diagnostics'}
      </button>
      {state.kind === 'copied' ? (
        <span className="muted" role="status">
          Copied
        </span>
      ) : null}
      {state.kind === 'failed' ? <ErrorNotice>Could not collect the diagnostics: {state.message}</ErrorNotice> : null}
      {state.kind === 'manual' ? (
        <div className="diagnostics-manual">
          <p className="notice" role="status">
            {state.reason} Select the text below and copy it.
          </p>
          <textarea
            className="input diagnostics-text"
            aria-label="Diagnostics"
            readOnly
            rows={12}
            value={state.text}
            onFocus={(event) => event.target.select()}
          />
        </div>
      ) : null}
    </div>
  );
}
