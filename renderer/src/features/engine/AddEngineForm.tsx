import { useState } from 'react';
import type { EngineEntry } from '../../../../shared/api';
import { useEngineScopes } from '../../api/engineScope';
import { useUi } from '../../app/uiStore';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { checkEngineForm, EMPTY_ENGINE_FORM, isTcpHost, type EngineForm, type EngineFormField } from './engineForm';
import { messageOf, useAddEngine } from './useAddEngine';

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

/** "Add engine": a name and an address (unix, tcp with TLS files, ssh), checked before it is sent. */
export function AddEngineForm() {
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
