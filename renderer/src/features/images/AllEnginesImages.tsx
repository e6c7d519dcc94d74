import { useMemo } from 'react';
import type { EngineEntry } from '../../../../shared/api';
import { AllEnginesTable } from '../engine/AllEnginesTable';
import { useEngineStatus, useImages } from '../../app/queries';
import { useUi } from '../../app/uiStore';
import { formatBytes, formatExact, formatRelative } from '../../lib/format';
import { describeStatus } from '../engine/engineViewModel';
import '../engine/engines.css';
import type { SortState } from '../../app/imageSort';
import { filterRows, sortRows, toImageRows, type RowFilter } from './viewModel';

const COLUMNS = 7;

/** One engine's rows: its own images.list (cached in that engine's client), or one line saying why there are none. */
function EngineImageRows({
  entry,
  filter,
  sort,
  now,
}: {
  readonly entry: EngineEntry;
  readonly filter: RowFilter;
  readonly sort: SortState;
  readonly now: number;
}) {
  const status = useEngineStatus();
  const images = useImages();
  const rows = useMemo(
    () => sortRows(filterRows(toImageRows(images.data ?? []), filter), sort),
    [images.data, filter, sort],
  );

  let problem: string | undefined;
  if (images.data === undefined) {
    if (images.error !== null) problem = `Could not list images: ${images.error.message}`;
    else if (status.data !== undefined && status.data.state !== 'connected') {
      problem = describeStatus(status.data, status.error).headline;
    } else if (status.error !== null) problem = describeStatus(status.data, status.error).headline;
  }
  if (problem !== undefined) {
    return (
      <tbody aria-label={entry.name}>
        <tr aria-label={`${entry.name}: error`}>
          <td className="engine-column">{entry.name}</td>
          <td colSpan={COLUMNS - 1} className="engine-group-error" role="alert">
            {problem}
          </td>
        </tr>
      </tbody>
    );
  }
  if (images.data === undefined) {
    return (
      <tbody aria-label={entry.name}>
        <tr>
          <td className="engine-column">{entry.name}</td>
          <td colSpan={COLUMNS - 1} className="muted">
            Loading images…
          </td>
        </tr>
      </tbody>
    );
  }
  return (
    <tbody aria-label={entry.name}>
      {rows.map((row) => {
        const name = row.dangling ? row.shortId : row.repoTag;
        return (
          <tr key={row.key} aria-label={`${name} on ${entry.name}`}>
            <td className="engine-column" title={entry.host}>
              {entry.name}
            </td>
            <td className={row.repository === '<none>' ? 'is-none' : undefined}>{row.repository}</td>
            <td className={row.tag === '<none>' ? 'is-none' : undefined}>{row.tag}</td>
            <td className="cell-mono" title={row.imageId}>
              {row.shortId}
            </td>
            <td title={formatExact(row.created * 1000)}>{formatRelative(row.created * 1000, now)}</td>
            <td className="cell-numeric">{formatBytes(row.size)}</td>
            <td>
              <button
                type="button"
                className="button button-small button-quiet"
                aria-label={`Remove ${name} on ${entry.name}`}
                onClick={() =>
                  useUi.getState().openDialog({
                    kind: 'remove',
                    target: {
                      imageId: row.imageId,
                      reference: row.removeReference,
                      label: `${name} on ${entry.name}`,
                      tagCount: row.tagCount,
                      engineId: entry.id,
                    },
                  })
                }
              >
                Remove
              </button>
            </td>
          </tr>
        );
      })}
    </tbody>
  );
}

/** Images of every engine in one table with an Engine column; an engine that fails says so in its own line. */
export function AllEnginesImages({
  filter,
  sort,
  now,
}: {
  readonly filter: RowFilter;
  readonly sort: SortState;
  readonly now: number;
}) {
  return (
    <AllEnginesTable
      label="Images on all engines"
      headings={[
        { text: 'Repository' },
        { text: 'Tag' },
        { text: 'Image ID' },
        { text: 'Created' },
        { text: 'Size', numeric: true },
        { text: '' },
      ]}
      rows={(entry) => <EngineImageRows entry={entry} filter={filter} sort={sort} now={now} />}
    />
  );
}
