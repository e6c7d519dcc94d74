import { useMemo, useState } from 'react';
import type { ContainerAction, ContainerSummary, EngineEntry } from '../../../../shared/api';
import type { ErrorShape } from '../../../../shared/errors';
import { EngineScope } from '../../api/engineScope';
import { AllEnginesTable } from '../engine/AllEnginesTable';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useContainers, useEngineStatus } from '../../app/queries';
import { formatExact, formatRelative } from '../../lib/format';
import { describeStatus } from '../engine/engineViewModel';
import '../engine/engines.css';
import { RemoveContainerDialog, StopDialog } from './ContainerActionDialogs';
import { useContainerAction, type ContainerItem } from './useContainerAction';
import { ACTION_LABELS, actionsFor, containerLabel, filterContainers } from './containersViewModel';

const COLUMNS = 6;

type EngineDialog = { readonly kind: 'stop' | 'remove'; readonly item: ContainerItem; readonly engineId: string };

const toItem = (c: ContainerSummary): ContainerItem => ({ id: c.id, label: containerLabel(c), state: c.state });

/** One engine's containers (its own containers.list, in its client); actions go to that engine. */
function EngineContainerRows({
  entry,
  filter,
  now,
  onDialog,
}: {
  readonly entry: EngineEntry;
  readonly filter: { readonly text: string; readonly runningOnly: boolean };
  readonly now: number;
  readonly onDialog: (dialog: EngineDialog) => void;
}) {
  const status = useEngineStatus();
  const containers = useContainers();
  const act = useContainerAction();
  const [failure, setFailure] = useState<{ readonly text: string; readonly error: ErrorShape } | undefined>(undefined);
  const shown = useMemo(() => filterContainers(containers.data ?? [], filter), [containers.data, filter]);

  let problem: string | undefined;
  if (containers.data === undefined) {
    if (containers.error !== null) problem = `Could not list containers: ${containers.error.message}`;
    else if ((status.data !== undefined && status.data.state !== 'connected') || status.error !== null) {
      problem = describeStatus(status.data, status.error).headline;
    }
  }
  if (problem !== undefined || containers.data === undefined) {
    return (
      <tbody aria-label={entry.name}>
        <tr aria-label={problem === undefined ? undefined : `${entry.name}: error`}>
          <td className="engine-column">{entry.name}</td>
          {problem === undefined ? (
            <td colSpan={COLUMNS - 1} className="muted">
              Loading containers…
            </td>
          ) : (
            <td colSpan={COLUMNS - 1} className="engine-group-error" role="alert">
              {problem}
            </td>
          )}
        </tr>
      </tbody>
    );
  }

  const run = async (c: ContainerSummary, action: ContainerAction): Promise<void> => {
    setFailure(undefined);
    const item = toItem(c);
    const error = await act(item, action);
    if (error !== undefined) setFailure({ text: `Could not ${action} ${item.label} on ${entry.name}`, error });
  };

  return (
    <tbody aria-label={entry.name}>
      {failure === undefined ? null : (
        <tr>
          <td colSpan={COLUMNS}>
            <ErrorNotice>
              {failure.text}: {failure.error.message}
            </ErrorNotice>
          </td>
        </tr>
      )}
      {shown.map((c) => {
        const label = containerLabel(c);
        return (
          <tr key={c.id} aria-label={`${label} on ${entry.name}`}>
            <td className="engine-column" title={entry.host}>
              {entry.name}
            </td>
            <td>{label}</td>
            <td title={c.imageId}>{c.image}</td>
            <td title={c.status}>{c.state}</td>
            <td title={formatExact(c.created * 1000)}>{formatRelative(c.created * 1000, now)}</td>
            <td>
              {actionsFor(c.state).map((action) => (
                <button
                  key={action}
                  type="button"
                  className="button button-small button-quiet"
                  aria-label={`${ACTION_LABELS[action]} ${label} on ${entry.name}`}
                  onClick={() => {
                    if (action === 'stop' || action === 'remove') {
                      onDialog({ kind: action, item: toItem(c), engineId: entry.id });
                    } else void run(c, action);
                  }}
                >
                  {ACTION_LABELS[action]}
                </button>
              ))}
            </td>
          </tr>
        );
      })}
    </tbody>
  );
}

/** Containers of every engine in one table with an Engine column; an engine that fails says so in one line. */
export function AllEnginesContainers({
  filter,
  now,
}: {
  readonly filter: { readonly text: string; readonly runningOnly: boolean };
  readonly now: number;
}) {
  const [dialog, setDialog] = useState<EngineDialog | undefined>(undefined);
  const close = (): void => setDialog(undefined);
  return (
    <AllEnginesTable
      label="Containers on all engines"
      headings={[{ text: 'Name' }, { text: 'Image' }, { text: 'State' }, { text: 'Created' }, { text: '' }]}
      rows={(entry) => <EngineContainerRows entry={entry} filter={filter} now={now} onDialog={setDialog} />}
    >
      {dialog === undefined ? null : (
        <EngineScope engineId={dialog.engineId}>
          {dialog.kind === 'stop' ? (
            <StopDialog item={dialog.item} onClose={close} />
          ) : (
            <RemoveContainerDialog item={dialog.item} onClose={close} />
          )}
        </EngineScope>
      )}
    </AllEnginesTable>
  );
}
