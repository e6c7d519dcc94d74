import { useState } from 'react';
import { DEFAULT_ENGINE_ID, type EngineEntry } from '../../../../shared/api';
import { unwrap } from '../../api/client';
import { EngineScope, useEngineScopes } from '../../api/engineScope';
import { useEngineStatus } from '../../app/queries';
import { useUi } from '../../app/uiStore';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { DOT_WORDS, dotState } from './EngineSwitcher';
import { messageOf } from './useAddEngine';

const SOURCE_LABEL: Readonly<Record<EngineEntry['source'], string>> = {
  environment: 'Found at start',
  added: 'Added',
};

function EngineStatusCell() {
  const status = useEngineStatus();
  const dot = dotState(status.data, status.error);
  const version = status.data?.state === 'connected' ? status.data.serverVersion : undefined;
  return (
    <span className="engine-status">
      <span className={`engine-dot engine-dot-${dot}`} aria-hidden="true" />
      {DOT_WORDS[dot]}
      {version === undefined ? null : <span className="muted"> · {version}</span>}
    </span>
  );
}

/** One engine of the Engines table: its address, kind, status, and showing or removing it. */
export function EngineRow({ entry, active }: { readonly entry: EngineEntry; readonly active: boolean }) {
  const scopes = useEngineScopes();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  const remove = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      unwrap(await scopes.raw.engines.remove({ id: entry.id }));
      if (useUi.getState().engineId === entry.id) useUi.getState().setEngine(DEFAULT_ENGINE_ID);
      await scopes.global.invalidateQueries({ queryKey: ['engines'] });
      scopes.forget(entry.id);
    } catch (caught) {
      setError(messageOf(caught));
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <tr aria-label={entry.name} aria-current={active ? 'true' : undefined}>
      <td>
        {entry.name}
        {active ? <span className="muted"> (shown)</span> : null}
      </td>
      <td className="cell-host">{entry.host}</td>
      <td>{entry.kind}</td>
      <td>{entry.tls ? 'TLS' : '—'}</td>
      <td>{SOURCE_LABEL[entry.source]}</td>
      <td>
        <EngineScope engineId={entry.id}>
          <EngineStatusCell />
        </EngineScope>
      </td>
      <td>
        {!active ? (
          <button type="button" className="button button-small" onClick={() => useUi.getState().setEngine(entry.id)}>
            Show
          </button>
        ) : null}
        {!entry.removable ? null : confirming ? (
          <span role="group" aria-label={`Confirm removing ${entry.name}`}>
            <span>Remove {entry.name} from Strata? The engine itself is not touched. </span>
            <button
              type="button"
              className="button button-small button-danger"
              disabled={busy}
              onClick={() => void remove()}
            >
              {busy ? 'Removing…' : 'Remove'}
            </button>
            <button type="button" className="button button-small" disabled={busy} onClick={() => setConfirming(false)}>
              Keep
            </button>
          </span>
        ) : (
          <button
            type="button"
            className="button button-small button-quiet"
            aria-label={`Remove ${entry.name}`}
            onClick={() => setConfirming(true)}
          >
            Remove
          </button>
        )}
        {error === undefined ? null : <ErrorNotice>{error}</ErrorNotice>}
      </td>
    </tr>
  );
}
