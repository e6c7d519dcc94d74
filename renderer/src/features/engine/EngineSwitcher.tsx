import { useEffect } from 'react';
import { DEFAULT_ENGINE_ID, type EngineEntry, type EngineStatus } from '../../../../shared/api';
import { EngineScope } from '../../api/engineScope';
import { useEngines, useEngineStatus } from '../../app/queries';
import { useUi } from '../../app/uiStore';
import './engines.css';

export type DotState = 'ok' | 'error' | 'pending';

export function dotState(status: EngineStatus | undefined, error: unknown): DotState {
  if (status === undefined) return error === null || error === undefined ? 'pending' : 'error';
  return status.state === 'connected' ? 'ok' : 'error';
}

const DOT_TEXT: Readonly<Record<DotState, string>> = { ok: '●', error: '○', pending: '◌' };
export const DOT_WORDS: Readonly<Record<DotState, string>> = {
  ok: 'connected',
  error: 'not reachable',
  pending: 'checking',
};

/** One engine in the switcher, with its own status (engine.ping of that engine, cached in its client). */
function EngineOption({ entry }: { readonly entry: Pick<EngineEntry, 'id' | 'name'> }) {
  const status = useEngineStatus();
  const dot = dotState(status.data, status.error);
  return (
    <option value={entry.id} title={`${entry.name}: ${DOT_WORDS[dot]}`}>
      {`${DOT_TEXT[dot]} ${entry.name}`}
    </option>
  );
}

/** The active engine's status dot, next to the switcher. */
function ActiveDot() {
  const status = useEngineStatus();
  const dot = dotState(status.data, status.error);
  return <span className={`engine-dot engine-dot-${dot}`} aria-hidden="true" title={DOT_WORDS[dot]} />;
}

/** Title bar: which engine every view shows; lists engines.list with a status dot each. */
export function EngineSwitcher() {
  const engines = useEngines();
  const engineId = useUi((s) => s.engineId);
  const { setEngine, openManageEngines } = useUi.getState();
  const list = engines.data;

  // The chosen engine was removed (here or in another window), or a stored choice is gone: back to the default.
  const missing = list !== undefined && !list.some((e) => e.id === engineId);
  useEffect(() => {
    if (missing) setEngine(DEFAULT_ENGINE_ID);
  }, [missing, setEngine]);

  // Until the list answers (or if it cannot), the active engine is still shown.
  const entries: readonly Pick<EngineEntry, 'id' | 'name'>[] =
    list === undefined || missing ? [{ id: engineId, name: engineId }] : list;

  return (
    <div className="engine-switcher">
      <ActiveDot />
      <select
        className="input engine-select"
        aria-label="Active engine"
        value={engineId}
        onChange={(event) => setEngine(event.target.value)}
      >
        {entries.map((entry) => (
          <EngineScope key={entry.id} engineId={entry.id}>
            <EngineOption entry={entry} />
          </EngineScope>
        ))}
      </select>
      <button type="button" className="button button-quiet button-small" onClick={openManageEngines}>
        Manage engines…
      </button>
    </div>
  );
}
