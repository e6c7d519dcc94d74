/** One row of the Containers table: checkbox, name, image, state, created, ports, command, size and actions. */
import type { ContainerAction, ContainerSummary } from '../../../../shared/api';
import { useUi } from '../../app/uiStore';
import { formatBytes, formatExact, formatRelative } from '../../lib/format';
import { ACTION_LABELS, actionsFor, containerLabel, formatPorts } from './containersViewModel';

export interface ContainerRowProps {
  readonly container: ContainerSummary;
  readonly checked: boolean;
  readonly onCheck: (checked: boolean) => void;
  readonly sized: ContainerSummary | undefined;
  readonly sizesAsked: boolean;
  readonly now: number;
  readonly busy: ContainerAction | undefined;
  readonly onAction: (action: ContainerAction | 'rename' | 'logs') => void;
}

function SizeCell({
  sized,
  sizesAsked,
}: {
  readonly sized: ContainerSummary | undefined;
  readonly sizesAsked: boolean;
}) {
  if (sized?.sizeRw === null || sized?.sizeRw === undefined) {
    return <span className="muted">{sizesAsked && sized === undefined ? '…' : '—'}</span>;
  }
  const virtual = sized.sizeRootFs === null ? '' : ` (virtual ${formatBytes(sized.sizeRootFs)})`;
  return (
    <span title={`Writable layer ${sized.sizeRw} bytes${virtual}`}>
      {formatBytes(sized.sizeRw)}
      {virtual === '' ? null : <span className="muted">{virtual}</span>}
    </span>
  );
}

export function ContainerRow({
  container: c,
  checked,
  onCheck,
  sized,
  sizesAsked,
  now,
  busy,
  onAction,
}: ContainerRowProps) {
  const label = containerLabel(c);
  const ports = formatPorts(c.ports);
  const { openContainer, openDetails } = useUi.getState();
  return (
    <tr aria-label={label} data-state={c.state} className="container-row">
      <td className="ctr-check">
        <input
          type="checkbox"
          aria-label={`Select ${label}`}
          checked={checked}
          onChange={(event) => onCheck(event.target.checked)}
        />
      </td>
      <td className="cell-text">
        <button
          type="button"
          className="link-button"
          title={c.id}
          onClick={() => openContainer({ id: c.id, name: label })}
        >
          {label}
        </button>
      </td>
      <td className="cell-text">
        <button
          type="button"
          className="link-button"
          title={c.imageId}
          aria-label={`Image ${c.image} of ${label}`}
          onClick={() => openDetails({ imageId: c.imageId, label: c.image })}
        >
          {c.image}
        </button>
      </td>
      <td className="cell-state">
        <span className="state-line">
          <span className={`state-badge state-${c.state}`}>{c.state}</span>
          {c.health === null ? null : <span className={`health-badge health-${c.health}`}>{c.health}</span>}
        </span>
        <span className="muted status-text">{c.status}</span>
      </td>
      <td className="cell-created" title={formatExact(c.created * 1000)}>
        {formatRelative(c.created * 1000, now)}
      </td>
      <td className="cell-ports">
        {ports.length === 0 ? <span className="muted">—</span> : ports.map((p) => <div key={p}>{p}</div>)}
      </td>
      <td className="cell-mono cell-command" title={c.command}>
        {c.command}
      </td>
      <td className="cell-numeric">
        <SizeCell sized={sized} sizesAsked={sizesAsked} />
      </td>
      <td className="ctr-actions">
        {busy !== undefined ? <span className="muted">{ACTION_LABELS[busy]}…</span> : null}
        {actionsFor(c.state).map((action) => (
          <button
            key={action}
            type="button"
            className="button button-small button-quiet"
            disabled={busy !== undefined}
            aria-label={`${ACTION_LABELS[action]} ${label}`}
            onClick={() => onAction(action)}
          >
            {action === 'stop' || action === 'remove' ? `${ACTION_LABELS[action]}…` : ACTION_LABELS[action]}
          </button>
        ))}
        <button
          type="button"
          className="button button-small button-quiet"
          aria-label={`Rename ${label}`}
          onClick={() => onAction('rename')}
        >
          Rename…
        </button>
        <button
          type="button"
          className="button button-small button-quiet"
          aria-label={`Logs of ${label}`}
          onClick={() => onAction('logs')}
        >
          Logs
        </button>
      </td>
    </tr>
  );
}
