import { useEffect, useRef, useState } from 'react';
import { DEFAULT_ENGINE_ID, type ArgsOf, type EngineCandidate, type EngineEntry } from '../../../../shared/api';
import { unwrap } from '../../api/client';
import { EngineScope, useEngineScopes } from '../../api/engineScope';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useEngineCandidates, useEngines, useEngineStatus } from '../../app/queries';
import { useUi } from '../../app/uiStore';
import { DOT_WORDS, dotState } from './EngineSwitcher';
import {
  candidateArgs,
  checkEngineForm,
  EMPTY_ENGINE_FORM,
  isTcpHost,
  type EngineForm,
  type EngineFormField,
} from './engineForm';
import './engines.css';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const SOURCE_LABEL: Readonly<Record<EngineEntry['source'], string>> = {
  environment: 'Found at start',
  added: 'Added',
};

/** Adds an engine and refreshes the lists that show engines; answers the new entry or throws the engine's error. */
function useAddEngine(): (args: ArgsOf<'engines.add'>) => Promise<EngineEntry> {
  const scopes = useEngineScopes();
  return async (args) => {
    const entry = unwrap(await scopes.raw.engines.add(args));
    await scopes.global.invalidateQueries({ queryKey: ['engines'] });
    return entry;
  };
}

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

function EngineRow({ entry, active }: { readonly entry: EngineEntry; readonly active: boolean }) {
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

function PathField({
  id,
  label,
  value,
  error,
  onChange,
}: {
  readonly id: EngineFormField;
  readonly label: string;
  readonly value: string;
  readonly error: string | undefined;
  readonly onChange: (value: string) => void;
}) {
  const strata = useEngineScopes().raw;
  const desktop = strata.files.mode === 'desktop';
  const choose = async (): Promise<void> => {
    const path = await strata.files.chooseOpenPath({ title: label });
    if (path !== null) onChange(path);
  };
  return (
    <>
      <label htmlFor={`engine-${id}`}>{label}</label>
      <div className="engine-path">
        <input
          id={`engine-${id}`}
          className="input"
          value={value}
          placeholder="/path/to/file.pem"
          aria-invalid={error !== undefined}
          onChange={(event) => onChange(event.target.value)}
        />
        {desktop ? (
          <button
            type="button"
            className="button"
            aria-label={`Choose ${label}`}
            onClick={() => void choose().catch(() => undefined)}
          >
            Choose…
          </button>
        ) : null}
      </div>
      {error === undefined ? null : <span className="field-error">{error}</span>}
    </>
  );
}

function AddEngineForm() {
  const add = useAddEngine();
  const [form, setForm] = useState<EngineForm>(EMPTY_ENGINE_FORM);
  const [errors, setErrors] = useState<Readonly<Partial<Record<EngineFormField | 'form', string>>>>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const [added, setAdded] = useState<EngineEntry | undefined>(undefined);
  const set = <K extends keyof EngineForm>(key: K, value: EngineForm[K]): void => {
    setForm((previous) => ({ ...previous, [key]: value }));
  };
  const tcp = isTcpHost(form.host);

  const submit = async (): Promise<void> => {
    setFailure(undefined);
    setAdded(undefined);
    const check = checkEngineForm(form);
    if (!check.ok) {
      setErrors(check.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      setAdded(await add(check.args));
      setForm(EMPTY_ENGINE_FORM);
    } catch (caught) {
      setFailure(messageOf(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="engine-form"
      aria-label="Add engine"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <label htmlFor="engine-name">Name</label>
      <input
        id="engine-name"
        className="input"
        value={form.name}
        placeholder="Build box"
        aria-invalid={errors.name !== undefined}
        onChange={(event) => set('name', event.target.value)}
      />
      {errors.name === undefined ? null : <span className="field-error">{errors.name}</span>}
      <label htmlFor="engine-host">Address</label>
      <input
        id="engine-host"
        className="input"
        value={form.host}
        placeholder="unix:///var/run/docker.sock, tcp://host:2376, ssh://user@host"
        aria-invalid={errors.host !== undefined}
        aria-describedby="engine-host-help"
        onChange={(event) => set('host', event.target.value)}
      />
      <span id="engine-host-help" className="muted" style={{ gridColumn: 2 }}>
        unix:///path/to/docker.sock · tcp://host:2376 (with TLS files) · ssh://user@host
      </span>
      {errors.host === undefined ? null : <span className="field-error">{errors.host}</span>}
      {tcp ? (
        <>
          <span />
          <label className="checkbox">
            <input type="checkbox" checked={form.useTls} onChange={(event) => set('useTls', event.target.checked)} />
            Use TLS
          </label>
          {form.useTls ? (
            <>
              <PathField
                id="caFile"
                label="CA certificate"
                value={form.caFile}
                error={errors.caFile}
                onChange={(v) => set('caFile', v)}
              />
              <PathField
                id="certFile"
                label="Client certificate"
                value={form.certFile}
                error={errors.certFile}
                onChange={(v) => set('certFile', v)}
              />
              <PathField
                id="keyFile"
                label="Client key"
                value={form.keyFile}
                error={errors.keyFile}
                onChange={(v) => set('keyFile', v)}
              />
              <span />
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={form.verify}
                  onChange={(event) => set('verify', event.target.checked)}
                />
                Verify the engine&apos;s certificate
              </label>
            </>
          ) : null}
        </>
      ) : null}
      {errors.form === undefined ? null : <span className="field-error">{errors.form}</span>}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add engine'}
        </button>
      </div>
      {failure === undefined ? null : (
        <div style={{ gridColumn: 2 }}>
          <ErrorNotice>Could not add the engine: {failure}</ErrorNotice>
        </div>
      )}
      {added === undefined ? null : (
        <p className="notice" role="status" style={{ gridColumn: 2 }}>
          Added {added.name}.{' '}
          <button type="button" className="button button-small" onClick={() => useUi.getState().setEngine(added.id)}>
            Show {added.name}
          </button>
        </p>
      )}
    </form>
  );
}

function CandidateRow({ candidate }: { readonly candidate: EngineCandidate }) {
  const add = useAddEngine();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const onAdd = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await add(candidateArgs(candidate));
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr aria-label={candidate.description}>
      <td>{candidate.description}</td>
      <td className="cell-host">{candidate.host}</td>
      <td>
        {candidate.added ? (
          <button type="button" className="button button-small" disabled>
            Added
          </button>
        ) : (
          <button
            type="button"
            className="button button-small"
            disabled={busy}
            aria-label={`Add ${candidate.description}`}
            onClick={() => void onAdd()}
          >
            Add
          </button>
        )}
        {error === undefined ? null : <ErrorNotice>{error}</ErrorNotice>}
      </td>
    </tr>
  );
}

/** Engine view, "Engines": every engine Strata talks to, adding and removing them, and those found here. */
export function EnginesSection() {
  const engines = useEngines();
  const candidates = useEngineCandidates();
  const engineId = useUi((s) => s.engineId);
  const manage = useUi((s) => s.manageEngines);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!manage) return;
    ref.current?.scrollIntoView?.({ block: 'start' });
    useUi.getState().setManageEngines(false);
  }, [manage]);

  return (
    <section className="engines-section" aria-labelledby="engines-title" ref={ref}>
      <h2 id="engines-title">Engines</h2>
      {engines.error !== null ? (
        <ErrorNotice>Could not list the engines: {engines.error.message}</ErrorNotice>
      ) : engines.data === undefined ? (
        <p className="notice">Listing the engines…</p>
      ) : (
        <table className="engines-table" aria-label="Engines">
          <thead>
            <tr>
              <th>Name</th>
              <th>Address</th>
              <th>Kind</th>
              <th>TLS</th>
              <th>Source</th>
              <th>Status</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {engines.data.map((entry) => (
              <EngineRow key={entry.id} entry={entry} active={entry.id === engineId} />
            ))}
          </tbody>
        </table>
      )}
      <h3>Add engine</h3>
      <AddEngineForm />
      <h3>Found on this machine</h3>
      {candidates.error !== null ? (
        <ErrorNotice>Could not look for engines: {candidates.error.message}</ErrorNotice>
      ) : candidates.data === undefined ? (
        <p className="notice">Looking for engines…</p>
      ) : candidates.data.length === 0 ? (
        <p className="muted">No docker contexts, Podman socket or default socket found.</p>
      ) : (
        <table className="engines-table" aria-label="Found on this machine">
          <tbody>
            {candidates.data.map((candidate) => (
              <CandidateRow key={`${candidate.source}|${candidate.host}`} candidate={candidate} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
