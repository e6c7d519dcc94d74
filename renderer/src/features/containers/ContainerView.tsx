/** One container: overview (key fields), logs, stats, filesystem changes, raw inspect; actions and commit. */
import { useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ContainerAction, ContainerDetails } from '../../../../shared/api';
import { StrataError, type ErrorShape } from '../../../../shared/errors';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { useContainers, useEngineConnected } from '../../app/queries';
import { queryKeys } from '../../app/queryKeys';
import { useUi, type ContainerTab, type ContainerTarget } from '../../app/uiStore';
import { formatExact, shortId } from '../../lib/format';
import { EnvAndLabels, KeyFields, RawJson } from '../details/DetailParts';
import { ChangesTab } from './ChangesTab';
import {
  actionsFor,
  formatArgv,
  formatMount,
  formatPort,
  hasLiveProcess,
  isZeroTime,
  restartPolicyText,
} from './containerDetailsModel';
import { LogsTab } from './LogsTab';
import { StatsTab } from './StatsTab';
import '../details/details.css';
import './containerDetails.css';

const TABS: readonly { readonly id: ContainerTab; readonly label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'logs', label: 'Logs' },
  { id: 'stats', label: 'Stats' },
  { id: 'changes', label: 'Changes' },
  { id: 'raw', label: 'Raw JSON' },
];

const ACTION_LABELS: Readonly<Record<ContainerAction, string>> = {
  start: 'Start',
  stop: 'Stop',
  restart: 'Restart',
  pause: 'Pause',
  unpause: 'Unpause',
  kill: 'Kill',
  remove: 'Remove…',
};
const BUTTON_ACTIONS: readonly ContainerAction[] = ['start', 'stop', 'restart', 'pause', 'unpause', 'kill'];

const toShape = (caught: unknown): ErrorShape =>
  caught instanceof StrataError
    ? caught.toShape()
    : { code: 'internal', message: caught instanceof Error ? caught.message : String(caught) };

const none = <span className="muted">none</span>;
const text = (value: string): ReactNode => (value === '' ? none : value);

function useContainerDetails(containerId: string) {
  const strata = useStrata();
  const connected = useEngineConnected();
  return useQuery({
    queryKey: queryKeys.containerInspect(containerId),
    queryFn: async () => unwrap(await strata.containers.inspect({ container: containerId })),
    enabled: connected,
  });
}

function StateBadge({ details }: { readonly details: ContainerDetails }) {
  const words = details.health === null ? details.state : `${details.state} (${details.health})`;
  return (
    <span className={`badge state-badge state-${details.state}`} aria-label={`State: ${words}`}>
      {words}
    </span>
  );
}

function Actions({ details, onRemoved }: { readonly details: ContainerDetails; readonly onRemoved: () => void }) {
  const strata = useStrata();
  const queryClient = useQueryClient();
  const { openDialog } = useUi.getState();
  const [busy, setBusy] = useState<ContainerAction | undefined>(undefined);
  const [error, setError] = useState<ErrorShape | undefined>(undefined);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [removeVolumes, setRemoveVolumes] = useState(false);
  const allowed = actionsFor(details.state);
  const running = details.state === 'running' || details.state === 'paused' || details.state === 'restarting';

  const run = async (action: ContainerAction): Promise<void> => {
    setBusy(action);
    setError(undefined);
    try {
      unwrap(
        await strata.containers.action(
          action === 'remove'
            ? { container: details.id, action, force: running, removeVolumes }
            : { container: details.id, action },
        ),
      );
      if (action === 'remove') {
        onRemoved();
      } else {
        await queryClient.invalidateQueries({ queryKey: queryKeys.containers() });
      }
    } catch (caught) {
      setError(toShape(caught));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div className="container-actions">
      <div className="toolbar" role="toolbar" aria-label="Container actions">
        {BUTTON_ACTIONS.map((action) => (
          <button
            key={action}
            type="button"
            className={`button button-small${action === 'kill' ? ' button-danger' : ''}`}
            disabled={busy !== undefined || !allowed.has(action)}
            onClick={() => void run(action)}
          >
            {busy === action ? `${ACTION_LABELS[action]}…` : ACTION_LABELS[action]}
          </button>
        ))}
        <button
          type="button"
          className="button button-small button-danger"
          disabled={busy !== undefined || !allowed.has('remove')}
          onClick={() => setConfirmRemove(true)}
        >
          {ACTION_LABELS.remove}
        </button>
        <button
          type="button"
          className="button button-small"
          onClick={() => openDialog({ kind: 'commit', container: details.id })}
        >
          Commit…
        </button>
      </div>
      {confirmRemove ? (
        <div className="notice remove-confirm" role="group" aria-label="Remove container">
          <p>
            Remove the container <strong>{details.name}</strong> ({shortId(details.id)})
            {running ? '? It is running: it will be killed first.' : '?'}
          </p>
          <label className="checkbox">
            <input type="checkbox" checked={removeVolumes} onChange={(e) => setRemoveVolumes(e.target.checked)} />
            Also remove its anonymous volumes
          </label>
          <div className="remove-actions">
            <button
              type="button"
              className="button button-danger"
              disabled={busy !== undefined}
              onClick={() => void run('remove')}
            >
              {running ? 'Force remove' : 'Remove'}
            </button>
            <button type="button" className="button" onClick={() => setConfirmRemove(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {error === undefined ? null : (
        <div className="notice notice-error" role="alert">
          <p>{error.message}</p>
        </div>
      )}
    </div>
  );
}

function timeText(time: string | null, never: string): ReactNode {
  if (time === null || isZeroTime(time)) return <span className="muted">{never}</span>;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? time : formatExact(ms);
}

function Overview({ details }: { readonly details: ContainerDetails }) {
  const fields: readonly (readonly [string, ReactNode])[] = [
    ['ID', <code key="id">{details.id}</code>],
    ['Image', `${details.image} (${shortId(details.imageId)})`],
    ['Created', timeText(details.created, 'unknown')],
    ['Started', timeText(details.startedAt, 'never')],
    ['Finished', timeText(details.finishedAt, 'not yet')],
    ['State', details.state],
    ['Exit code', details.exitCode === null ? none : String(details.exitCode)],
    ['Error', details.error === null || details.error === '' ? none : details.error],
    ['Health', details.health ?? none],
    ['Command', details.command.length === 0 ? none : <code key="cmd">{formatArgv(details.command)}</code>],
    ['Entrypoint', details.entrypoint.length === 0 ? none : <code key="ep">{formatArgv(details.entrypoint)}</code>],
    ['Working dir', text(details.workingDir)],
    ['User', text(details.user)],
    ['TTY', details.tty ? 'yes' : 'no'],
    [
      'Ports',
      details.ports.length === 0 ? (
        none
      ) : (
        <ul className="plain-list">
          {details.ports.map((p) => (
            <li key={formatPort(p)}>{formatPort(p)}</li>
          ))}
        </ul>
      ),
    ],
    [
      'Mounts',
      details.mounts.length === 0 ? (
        none
      ) : (
        <ul className="plain-list">
          {details.mounts.map((m) => (
            <li key={`${m.destination}`}>{formatMount(m)}</li>
          ))}
        </ul>
      ),
    ],
    ['Restart policy', restartPolicyText(details)],
    ['Auto-remove', details.autoRemove ? 'yes' : 'no'],
    ['Network mode', text(details.networkMode)],
  ];
  return (
    <div className="details-body">
      <section className="details-section" aria-labelledby="container-fields-title">
        <h2 id="container-fields-title">State and settings</h2>
        <KeyFields fields={fields} />
      </section>
      <EnvAndLabels idPrefix="container-" env={details.env} labels={details.labels} />
    </div>
  );
}

function ContainerPicker() {
  const containers = useContainers();
  const { openContainer } = useUi.getState();
  const list = containers.data ?? [];
  return (
    <div className="empty-state container-picker">
      <h2>Choose a container</h2>
      <p>Open a container from the Containers view, or pick one here.</p>
      {containers.error !== null ? <p role="alert">{containers.error.message}</p> : null}
      {list.length === 0 ? null : (
        <ul className="plain-list" aria-label="Containers">
          {[...list]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((c) => (
              <li key={c.id}>
                <button
                  type="button"
                  className="button button-quiet container-pick"
                  onClick={() => openContainer({ id: c.id, name: c.name })}
                >
                  {c.name}
                </button>{' '}
                <span className="muted">
                  {c.image} — {c.status}
                </span>
              </li>
            ))}
        </ul>
      )}
    </div>
  );
}

function ContainerDetailsPanel({ target }: { readonly target: ContainerTarget }) {
  const details = useContainerDetails(target.id);
  const queryClient = useQueryClient();
  const { setView, openDetails } = useUi.getState();
  const [tab, setTab] = useState<ContainerTab>(target.tab ?? 'overview');
  const data = details.data;
  const gone = details.error instanceof StrataError && details.error.code === 'not_found';
  const title = data?.name ?? target.name;

  const backToList = (): void => {
    setView('containers');
    void queryClient.invalidateQueries({ queryKey: queryKeys.containers() });
  };

  let body: ReactNode;
  if (gone) {
    body = (
      <div className="empty-state" role="alert">
        <h2>{target.name} is gone</h2>
        <p>The container is no longer on the engine.</p>
        <button type="button" className="button" onClick={backToList}>
          Back to Containers
        </button>
      </div>
    );
  } else if (data === undefined) {
    body =
      details.error === null ? (
        <p className="notice">Loading {target.name}…</p>
      ) : (
        <div className="empty-state" role="alert">
          <h2>Could not read {target.name}</h2>
          <p>{details.error.message}</p>
        </div>
      );
  } else {
    body = (
      <>
        <div className="container-tabs" role="tablist" aria-label="Container">
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`container-tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls="container-tab-panel"
              className={`container-tab${tab === t.id ? ' is-active' : ''}`}
              onClick={() => setTab(t.id)}
            >
              {t.label}
            </button>
          ))}
        </div>
        {details.error === null ? null : (
          <div className="notice notice-error" role="alert">
            <p>Could not refresh: {details.error.message}</p>
          </div>
        )}
        <div
          className="container-tab-panel"
          role="tabpanel"
          id="container-tab-panel"
          aria-labelledby={`container-tab-${tab}`}
        >
          {tab === 'overview' ? <Overview details={data} /> : null}
          {tab === 'logs' ? <LogsTab container={data.id} tty={data.tty} live={hasLiveProcess(data.state)} /> : null}
          {tab === 'stats' ? <StatsTab container={data.id} state={data.state} /> : null}
          {tab === 'changes' ? <ChangesTab containerId={data.id} /> : null}
          {tab === 'raw' ? <RawJson raw={data.raw} /> : null}
        </div>
      </>
    );
  }

  return (
    <section className="view" aria-labelledby="container-title">
      <header className="view-header container-header">
        <h1 id="container-title">{title}</h1>
        {data === undefined || gone ? null : (
          <>
            <StateBadge details={data} />
            <button
              type="button"
              className="button button-quiet container-image-link"
              title={`Open the image ${data.image}`}
              onClick={() => openDetails({ imageId: data.imageId, label: data.image })}
            >
              {data.image}
            </button>
            <Actions details={data} onRemoved={backToList} />
          </>
        )}
      </header>
      <div className="view-body container-body">{body}</div>
    </section>
  );
}

export function ContainerView() {
  const target = useUi((s) => s.containerTarget);
  if (target === undefined) {
    return (
      <section className="view" aria-labelledby="container-title">
        <header className="view-header">
          <h1 id="container-title">Container</h1>
        </header>
        <div className="view-body details-scroll">
          <ContainerPicker />
        </div>
      </section>
    );
  }
  return <ContainerDetailsPanel key={`${target.id}|${target.tab ?? ''}`} target={target} />;
}
