/** Start, stop or remove the checked containers with one confirm, then one result per container. */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ContainerAction, ContainerActionItem } from '../../../../shared/api';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { BatchResults } from '../../ui/BatchResults';
import { Dialog } from '../../ui/Dialog';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useBatchAction } from '../../ui/useBatchAction';
import { ACTION_LABELS, needsForce } from './containersViewModel';
import { DEFAULT_STOP_TIMEOUT, parseTimeout, TimeoutField } from './TimeoutField';
import type { ContainerItem } from './useContainerAction';

export type BatchAction = Extract<ContainerAction, 'start' | 'stop' | 'remove'>;

function describeItem(action: BatchAction, item: ContainerActionItem): { readonly word: string; readonly ok: boolean } {
  if (!item.ok) return { word: 'failed', ok: false };
  if (!item.changed) return { word: action === 'start' ? 'already running' : 'already stopped', ok: true };
  return { word: action === 'start' ? 'started' : action === 'stop' ? 'stopped' : 'removed', ok: true };
}

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
  const seconds = parseTimeout(timeout);
  const verb = ACTION_LABELS[action];
  const count = items.length;
  const labelOf = (ref: string): string => items.find((i) => i.id === ref || i.label === ref)?.label ?? ref;

  const { busy, results, error, run } = useBatchAction<ContainerActionItem, boolean>({
    call: async (ids, withForce) => {
      const options =
        action === 'stop'
          ? { timeoutSeconds: seconds ?? 10 }
          : action === 'remove'
            ? { removeVolumes, force: withForce }
            : {};
      return unwrap(await strata.containers.actionMany({ containers: [...ids], action, ...options }));
    },
    keyOf: (item) => item.container,
    settle: () => queryClient.invalidateQueries({ queryKey: ['containers'] }),
  });

  // Containers a remove failed on because they run: offered a forced retry.
  const running = new Set(items.filter((i) => needsForce(i.state)).map((i) => i.id));
  const retryForce =
    action === 'remove'
      ? (results ?? []).filter((r) => !r.ok && (running.has(r.container) || r.error.code === 'conflict'))
      : [];

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
        <BatchResults
          rows={results.map((item) => {
            const shown = describeItem(action, item);
            return {
              key: item.container,
              label: labelOf(item.container),
              word: shown.word,
              ok: shown.ok,
              detail: item.ok ? undefined : item.error.message,
            };
          })}
        />
      )}
      {error === undefined ? null : <ErrorNotice>{error.message}</ErrorNotice>}
    </Dialog>
  );
}
