import { useState } from 'react';
import type { ImageHistory } from '../../../../shared/api';
import type { HistoryOrder } from '../../app/uiStore';
import { formatBytes, formatExact, formatRelative } from '../../lib/format';
import { CopyButton } from './CopyButton';
import { madeLayerText, oneLine, stepItems, stepText } from './historyViewModel';

export interface StepsTableProps {
  readonly history: ImageHistory;
  readonly order: HistoryOrder;
  readonly now: number;
}

const COLUMN_COUNT = 5;

/** Every build step: created, the instruction (expandable to the full command, copyable), size, layer, comment. */
export function StepsTable({ history, order, now }: StepsTableProps) {
  // Expanded steps by index into `steps` (oldest first), so the order toggle keeps them open.
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(() => new Set());
  const toggle = (index: number): void =>
    setExpanded((previous) => {
      const next = new Set(previous);
      if (!next.delete(index)) next.add(index);
      return next;
    });

  const items = stepItems(history, order);

  return (
    <table className="history-table steps-table" aria-label="History">
      <colgroup>
        <col className="col-created" />
        <col className="col-step" />
        <col className="col-size" />
        <col className="col-layer" />
        <col className="col-comment" />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">Created</th>
          <th scope="col">Step</th>
          <th scope="col" className="cell-numeric">
            Size
          </th>
          <th scope="col">Layer</th>
          <th scope="col">Comment</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => {
          if (item.kind === 'boundary') {
            return (
              <tr key="boundary" className="history-boundary" data-testid="base-boundary">
                <td colSpan={COLUMN_COUNT}>
                  <span className="history-boundary-text">{item.text}</span>
                </td>
              </tr>
            );
          }
          const { step, index } = item;
          const number = index + 1;
          const open = expanded.has(index);
          const text = oneLine(stepText(step));
          return (
            <tr
              key={index}
              className={`history-step${step.madeLayer === false ? ' is-empty' : ''}${open ? ' is-expanded' : ''}`}
              aria-label={`Step ${number}: ${text}`}
            >
              <td title={formatExact(step.created * 1000)}>{formatRelative(step.created * 1000, now)}</td>
              <td>
                <div className="step-cell">
                  <span className="step-text" title={text}>
                    {text}
                  </span>
                  <button
                    type="button"
                    className="button button-small button-quiet"
                    aria-expanded={open}
                    aria-label={`${open ? 'Collapse' : 'Expand'} step ${number}`}
                    onClick={() => toggle(index)}
                  >
                    {open ? 'Collapse' : 'Expand'}
                  </button>
                  <CopyButton text={step.createdBy} label={`Copy step ${number} command`} />
                </div>
                {open ? (
                  <pre className="step-full" aria-label={`Step ${number} command`}>
                    {step.createdBy === '' ? '(no command recorded)' : step.createdBy}
                  </pre>
                ) : null}
              </td>
              <td className="cell-numeric">{formatBytes(step.size)}</td>
              <td className={step.madeLayer === null ? 'muted' : undefined}>{madeLayerText(step)}</td>
              <td className="cell-wrap">{step.comment}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
