/** The Containers view's small dialogs: stop (timeout), remove (volumes, force), rename, and a batch action. */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import {
  containerNameSchema,
  type ArgsOf,
  type ContainerAction,
  type ContainerActionItem,
} from '../../../../shared/api';
import { toErrorShape, type ErrorShape } from '../../../../shared/errors';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { Dialog } from '../../ui/Dialog';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { ACTION_LABELS, needsForce } from './containersViewModel';

/** What a dialog acts on: the engine ID (what the call takes), the name shown, and its state. */
export interface ContainerItem {
  readonly id: string;
  readonly label: string;
  readonly state: string;
}

type ActionOptions = Omit<ArgsOf<'containers.action'>, 'container' | 'action'>;

/** containers.action, then the list refreshed; resolves to the error shape when it failed. */
export function useContainerAction(): (
  item: ContainerItem,
  action: ContainerAction,
  options?: ActionOptions,
) => Promise<ErrorShape | undefined> {
  const strata = useStrata();
  const queryClient = useQueryClient();
  return async (item, action, options = {}) => {
    try {
      unwrap(await strata.containers.action({ container: item.id, action, ...options }));
      return undefined;
    } catch (caught) {
      return toErrorShape(caught);
    } finally {
      await queryClient.invalidateQueries({ queryKey: ['containers'] });
    }
  };
}

const DEFAULT_STOP_TIMEOUT = '10';

/** Parses the timeout field: whole seconds 0..3600, else undefined. */
function parseTimeout(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return n <= 3600 ? n : undefined;
}

function TimeoutField({ value, onChange }: { readonly value: string; readonly onChange: (v: string) => void }) {
  const valid = parseTimeout(value) !== undefined;
  return (
    <div>
      <label className="field-label" htmlFor="stop-timeout">
        Timeout (seconds)
      </label>
      <input
        id="stop-timeout"
        className={`input${valid ? '' : ' is-invalid'}`}
        inputMode="numeric"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={!valid}
        aria-describedby="stop-timeout-hint"
      />
      <p id="stop-timeout-hint" className={valid ? 'field-hint' : 'field-error'}>
        {valid
          ? 'The engine sends SIGTERM, waits this long, then kills it.'
          : 'A whole number of seconds from 0 to 3600.'}
      </p>
    </div>
  );
}

interface SingleProps {
  readonly item: ContainerItem;
  readonly onClose: () => void;
}

/** Stop one container, asking for the timeout first. */
export function StopDialog({ item, onClose }: SingleProps) {
  const act = useContainerAction();
  const [timeout, setTimeoutText] = useState(DEFAULT_STOP_TIMEOUT);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | undefined>(undefined);
  const seconds = parseTimeout(timeout);
  const submit = async (): Promise<void> => {
    if (seconds === undefined) return;
    setBusy(true);
    setError(undefined);
    const failed = await act(item, 'stop', { timeoutSeconds: seconds });
    setBusy(false);
    if (failed === undefined) onClose();
    else setError(failed);
  };
  return (
    <Dialog
      label="Stop container"
      title={`Stop ${item.label}?`}
      onClose={onClose}
      footer={
        <>
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form="stop-form"
            className="button button-primary"
            disabled={busy || seconds === undefined}
          >
            {busy ? 'Stopping…' : 'Stop'}
          </button>
        </>
      }
    >
      <form
        id="stop-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <TimeoutField value={timeout} onChange={setTimeoutText} />
      </form>
      {error === undefined ? null : (
        <ErrorNotice>
          Could not stop {item.label}: {error.message}
        </ErrorNotice>
      )}
    </Dialog>
  );
}

/** Remove one container: confirm, with its anonymous volumes or not, and force for a running one. */
export function RemoveContainerDialog({ item, onClose }: SingleProps) {
  const act = useContainerAction();
  const mustForce = needsForce(item.state);
  const [removeVolumes, setRemoveVolumes] = useState(false);
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | undefined>(undefined);
  const submit = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    const failed = await act(item, 'remove', { removeVolumes, force });
    setBusy(false);
    if (failed === undefined) onClose();
    else setError(failed);
  };
  return (
    <Dialog
      label="Remove container"
      title={`Remove ${item.label}?`}
      onClose={onClose}
      footer={
        <>
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={busy || (mustForce && !force)}
            onClick={() => void submit()}
          >
            {busy ? 'Removing…' : 'Remove'}
          </button>
        </>
      }
    >
      <p>The container and its writable layer are deleted; this cannot be undone.</p>
      {mustForce ? (
        <p className="notice notice-warning">
          {item.label} is {item.state}: it must be forced (killed first) to be removed.
        </p>
      ) : null}
      <label className="checkbox">
        <input type="checkbox" checked={removeVolumes} onChange={(event) => setRemoveVolumes(event.target.checked)} />
        Also remove its anonymous volumes
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={force} onChange={(event) => setForce(event.target.checked)} />
        Force (kills it first)
      </label>
      {error === undefined ? null : (
        <ErrorNotice>
          Could not remove {item.label}: {error.message}
        </ErrorNotice>
      )}
    </Dialog>
  );
}

/** Rename one container; the new name is checked before the call. */
export function RenameDialog({ item, onClose }: SingleProps) {
  const strata = useStrata();
  const queryClient = useQueryClient();
  const [name, setName] = useState(item.label);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | undefined>(undefined);
  const check = containerNameSchema.safeParse(name.trim());
  const problem = check.success ? undefined : (check.error.issues[0]?.message ?? 'Not a container name.');
  const unchanged = name.trim() === item.label;
  const submit = async (): Promise<void> => {
    if (!check.success || unchanged) return;
    setBusy(true);
    setError(undefined);
    try {
      unwrap(await strata.containers.rename({ container: item.id, name: check.data }));
      onClose();
    } catch (caught) {
      setError(toErrorShape(caught));
    } finally {
      setBusy(false);
      await queryClient.invalidateQueries({ queryKey: ['containers'] });
    }
  };
  return (
    <Dialog
      label="Rename container"
      title={`Rename ${item.label}`}
      onClose={onClose}
      footer={
        <>
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form="rename-form"
            className="button button-primary"
            disabled={busy || problem !== undefined || unchanged}
          >
            {busy ? 'Renaming…' : 'Rename'}
          </button>
        </>
      }
    >
      <form
        id="rename-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <label className="field-label" htmlFor="rename-name">
          New name
        </label>
        <input
          id="rename-name"
          className={`input input-wide${problem === undefined ? '' : ' is-invalid'}`}
          value={name}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => setName(event.target.value)}
          aria-invalid={problem !== undefined}
          aria-describedby="rename-hint"
        />
        <p id="rename-hint" className={problem === undefined ? 'field-hint' : 'field-error'}>
          {problem ?? 'Letters, digits, "_", "." and "-", starting with a letter or digit.'}
        </p>
      </form>
      {error === undefined ? null : (
        <ErrorNotice>
          Could not rename {item.label}: {error.message}
        </ErrorNotice>
      )}
    </Dialog>
  );
}

export type BatchAction = Extract<ContainerAction, 'start' | 'stop' | 'remove'>;

function describeItem(action: BatchAction, item: ContainerActionItem): { readonly word: string; readonly ok: boolean } {
  if (!item.ok) return { word: 'failed', ok: false };
  if (!item.changed) return { word: action === 'start' ? 'already running' : 'already stopped', ok: true };
  return { word: action === 'start' ? 'started' : action === 'stop' ? 'stopped' : 'removed', ok: true };
}

/** Start, stop or remove the checked containers with one confirm, then one result per container. */
export function BatchActionDialog({
  action,
  items,
  onClose,
}: {
  readonly action: BatchAction;
  readonly items: readonly ContainerItem[];
  readonly onClose: () => void;
}) {
  const strata = useStrata();
  const queryClient = useQueryClient();
  const [timeout, setTimeoutText] = useState(DEFAULT_STOP_TIMEOUT);
  const [removeVolumes, setRemoveVolumes] = useState(false);
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<readonly ContainerActionItem[] | undefined>(undefined);
  const [error, setError] = useState<ErrorShape | undefined>(undefined);
  const seconds = parseTimeout(timeout);
  const verb = ACTION_LABELS[action];
  const count = items.length;
  const labelOf = (ref: string): string => items.find((i) => i.id === ref || i.label === ref)?.label ?? ref;

  const run = async (ids: readonly string[], withForce: boolean): Promise<void> => {
    setBusy(true);
    setError(undefined);
    const options =
      action === 'stop'
        ? { timeoutSeconds: seconds ?? 10 }
        : action === 'remove'
          ? { removeVolumes, force: withForce }
          : {};
    try {
      const answer = unwrap(await strata.containers.actionMany({ containers: [...ids], action, ...options }));
      setResults((previous) => {
        if (previous === undefined) return answer;
        const next = new Map(answer.map((item) => [item.container, item]));
        return previous.map((item) => next.get(item.container) ?? item);
      });
    } catch (caught) {
      setError(toErrorShape(caught));
    } finally {
      setBusy(false);
      await queryClient.invalidateQueries({ queryKey: ['containers'] });
    }
  };

  // Containers a remove failed on because they run: offered a forced retry.
  const running = new Set(items.filter((i) => needsForce(i.state)).map((i) => i.id));
  const retryForce =
    action === 'remove'
      ? (results ?? []).filter((r) => !r.ok && (running.has(r.container) || r.error.code === 'conflict'))
      : [];
  const failedCount = (results ?? []).filter((r) => !r.ok).length;

  const footer =
    results === undefined ? (
      <>
        <span className="spacer" />
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className={`button ${action === 'remove' ? 'button-danger' : 'button-primary'}`}
          disabled={busy || (action === 'stop' && seconds === undefined)}
          onClick={() =>
            void run(
              items.map((i) => i.id),
              force,
            )
          }
        >
          {busy ? `${verb}…` : `${verb} ${count}`}
        </button>
      </>
    ) : (
      <>
        <span className="spacer" />
        {retryForce.length > 0 ? (
          <button
            type="button"
            className="button button-danger"
            disabled={busy}
            onClick={() =>
              void run(
                retryForce.map((r) => r.container),
                true,
              )
            }
          >
            Force remove the {retryForce.length} that {retryForce.length === 1 ? 'is' : 'are'} running
          </button>
        ) : null}
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </>
    );

  const noun = count === 1 ? 'container' : 'containers';
  return (
    <Dialog
      label={`${verb} containers`}
      title={results === undefined ? `${verb} ${count} ${noun}?` : `${verb} containers: results`}
      onClose={onClose}
      footer={footer}
    >
      {results === undefined ? (
        <>
          <ul className="result-list" aria-label={`To ${action}`}>
            {items.map((item) => (
              <li key={item.id}>
                <span className="result-ref">{item.label}</span>
                <span className="muted">{item.state}</span>
              </li>
            ))}
          </ul>
          {action === 'stop' ? <TimeoutField value={timeout} onChange={setTimeoutText} /> : null}
          {action === 'remove' ? (
            <>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={removeVolumes}
                  onChange={(event) => setRemoveVolumes(event.target.checked)}
                />
                Also remove their anonymous volumes
              </label>
              <label className="checkbox">
                <input type="checkbox" checked={force} onChange={(event) => setForce(event.target.checked)} />
                Force (kills running ones first)
              </label>
            </>
          ) : null}
        </>
      ) : (
        <>
          <p role="status">
            {failedCount === 0
              ? `All ${results.length} done.`
              : `${results.length - failedCount} of ${results.length} done; ${failedCount} failed.`}
          </p>
          <ul className="result-list" aria-label="Results">
            {results.map((item) => {
              const shown = describeItem(action, item);
              const label = labelOf(item.container);
              return (
                <li key={item.container} aria-label={`${label}: ${shown.word}`}>
                  <span className="result-ref">{label}</span>
                  <strong className={shown.ok ? 'result-ok' : 'result-failed'}>{shown.word}</strong>
                  {item.ok ? null : <span>{item.error.message}</span>}
                </li>
              );
            })}
          </ul>
        </>
      )}
      {error === undefined ? null : <ErrorNotice>{error.message}</ErrorNotice>}
    </Dialog>
  );
}
