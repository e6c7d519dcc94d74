/** Run a container from an image (`docker run`), validated before the call. */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { toErrorShape, type ErrorShape } from '../../../../shared/errors';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { Dialog } from '../../ui/Dialog';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Field, inputClass } from '../../ui/Field';
import { useUi, type DialogState } from '../../app/uiStore';
import {
  checkRunForm,
  initialRunForm,
  RESTART_POLICIES,
  type PortRow,
  type RestartPolicy,
  type RunForm,
  type VolumeRow,
} from './runForm';
import { PortRows, VolumeRows } from './RunRows';
import { formatArgv, splitShellWords } from './shellWords';
import './containers.css';

/** What a shell line splits into, shown under the field. */
function argvHint(line: string, empty: string): ReactNode {
  const split = splitShellWords(line);
  if (!split.ok) return undefined;
  if (split.argv.length === 0) return empty;
  return (
    <>
      argv: <span className="run-argv">{formatArgv(split.argv)}</span>
    </>
  );
}

type TextKey = 'image' | 'name' | 'command' | 'entrypoint' | 'maxRetries' | 'workingDir' | 'user';

export function RunDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'run' }> }) {
  const strata = useStrata();
  const queryClient = useQueryClient();
  const { closeDialog, openContainer } = useUi.getState();
  const [form, setForm] = useState<RunForm>(() => initialRunForm(dialog.image));
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | undefined>(undefined);
  const check = checkRunForm(form);
  // An attached run answers when the container exits: if the dialog was closed meanwhile, do not navigate then.
  const open = useRef(true);
  useEffect(() => {
    open.current = true;
    return () => {
      open.current = false;
    };
  }, []);
  // The image field starts empty when not pre-filled: say so only after a first submit.
  const errors = touched
    ? check.errors
    : Object.fromEntries(Object.entries(check.errors).filter(([k]) => k !== 'image'));
  const update = (patch: Partial<RunForm>): void => setForm((previous) => ({ ...previous, ...patch }));
  const updatePort = (index: number, patch: Partial<PortRow>): void =>
    update({ ports: form.ports.map((row, i) => (i === index ? { ...row, ...patch } : row)) });
  const updateVolume = (index: number, patch: Partial<VolumeRow>): void =>
    update({ volumes: form.volumes.map((row, i) => (i === index ? { ...row, ...patch } : row)) });

  const submit = async (): Promise<void> => {
    setTouched(true);
    if (!check.ok || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const result = unwrap(await strata.containers.run(check.args));
      await queryClient.invalidateQueries({ queryKey: ['containers'] });
      if (!open.current) return;
      closeDialog();
      openContainer({ id: result.id, name: result.name, ...(form.detach ? {} : { tab: 'logs' as const }) });
    } catch (caught) {
      setError(toErrorShape(caught));
      await queryClient.invalidateQueries({ queryKey: ['containers'] });
    } finally {
      setBusy(false);
    }
  };

  const text = (
    key: TextKey,
    label: string,
    options: { readonly placeholder?: string; readonly hint?: ReactNode } = {},
  ) => {
    const value = form[key];
    return (
      <Field id={`run-${key}`} label={label} wrap error={errors[key]} hint={options.hint}>
        {(control) => (
          <input
            {...control}
            className={inputClass('input input-wide', errors[key])}
            value={value}
            onChange={(event) => update({ [key]: event.target.value })}
            placeholder={options.placeholder}
            autoComplete="off"
            spellCheck={false}
          />
        )}
      </Field>
    );
  };

  const lines = (key: 'env' | 'labels', label: string, placeholder: string, hint: string) => (
    <Field id={`run-${key}`} label={label} wrap error={errors[key]} hint={hint}>
      {(control) => (
        <textarea
          {...control}
          className={inputClass('input', errors[key])}
          value={form[key]}
          onChange={(event) => update({ [key]: event.target.value })}
          placeholder={placeholder}
          spellCheck={false}
        />
      )}
    </Field>
  );

  const rowError = (prefix: string, index: number, fields: readonly string[]): string | undefined =>
    fields.map((f) => errors[`${prefix}.${index}.${f}`]).find((e) => e !== undefined);

  return (
    <Dialog
      label="Run container"
      title="Run a container"
      onClose={closeDialog}
      footer={
        <>
          <span className="spacer" />
          <button type="button" className="button" onClick={closeDialog}>
            Cancel
          </button>
          <button
            type="submit"
            form="run-form"
            className="button button-primary"
            disabled={busy || (touched && !check.ok)}
          >
            {busy ? (form.detach ? 'Starting…' : 'Running…') : 'Run'}
          </button>
        </>
      }
    >
      <form
        id="run-form"
        className="run-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <div className="run-grid">
          {text('image', 'Image', { placeholder: 'repo:tag' })}
          {text('name', 'Name', { placeholder: 'optional', hint: 'Empty: the engine picks one.' })}
        </div>
        {text('command', 'Command', {
          placeholder: `sh -c 'echo hello'`,
          hint: argvHint(form.command, "Empty: the image's CMD."),
        })}
        {text('entrypoint', 'Entrypoint', {
          placeholder: 'optional',
          hint: argvHint(form.entrypoint, "Empty: the image's ENTRYPOINT."),
        })}
        {lines('env', 'Environment', 'NAME=value', 'NAME=value, one a line.')}

        <PortRows
          rows={form.ports}
          rowError={(index, fields) => rowError('ports', index, fields)}
          onRow={updatePort}
          onRows={(ports) => update({ ports })}
        />
        <VolumeRows
          rows={form.volumes}
          rowError={(index, fields) => rowError('volumes', index, fields)}
          onRow={updateVolume}
          onRows={(volumes) => update({ volumes })}
        />

        <div className="run-grid">
          <Field id="run-restart" label="Restart policy" wrap>
            {(control) => (
              <select
                {...control}
                className="input input-wide"
                value={form.restartPolicy}
                onChange={(event) => update({ restartPolicy: event.target.value as RestartPolicy })}
              >
                {RESTART_POLICIES.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {form.restartPolicy === 'on-failure' || errors.maxRetries !== undefined
            ? text('maxRetries', 'Max retries', { placeholder: 'unlimited' })
            : null}
        </div>
        <div>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={form.autoRemove}
              onChange={(event) => update({ autoRemove: event.target.checked })}
              aria-invalid={errors.autoRemove !== undefined}
              aria-describedby="run-autoRemove-hint"
            />
            Remove the container when it exits (auto-remove)
          </label>
          {errors.autoRemove === undefined ? null : (
            <p id="run-autoRemove-hint" className="field-error">
              {errors.autoRemove}
            </p>
          )}
        </div>
        <div className="run-grid">
          {text('workingDir', 'Working directory', { placeholder: "the image's" })}
          {text('user', 'User', { placeholder: 'name, uid or user:group' })}
        </div>
        {lines('labels', 'Labels', 'key=value', 'key=value, one a line.')}
        <label className="checkbox">
          <input type="checkbox" checked={form.tty} onChange={(event) => update({ tty: event.target.checked })} />
          Allocate a TTY
        </label>
        <div className="run-row" role="radiogroup" aria-label="Run mode">
          <label className="checkbox">
            <input
              type="radio"
              name="run-mode"
              checked={form.detach}
              onChange={(event) => {
                if (event.target.checked) update({ detach: true });
              }}
            />
            Detached (open the container)
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name="run-mode"
              checked={!form.detach}
              onChange={(event) => {
                if (event.target.checked) update({ detach: false });
              }}
            />
            Attached (wait for it and show its log)
          </label>
        </div>
        {errors.form === undefined ? null : <p className="field-error">{errors.form}</p>}
      </form>
      {error === undefined ? null : (
        <ErrorNotice>
          Could not run {form.image.trim()}: {error.message}
        </ErrorNotice>
      )}
    </Dialog>
  );
}
