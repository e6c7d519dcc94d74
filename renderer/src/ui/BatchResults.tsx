import type { ReactNode } from 'react';

/** One item's outcome: its name, a word ("removed", "failed") and what to say about it. */
export interface BatchResultRow {
  readonly key: string;
  readonly label: string;
  readonly word: string;
  readonly ok: boolean;
  readonly detail?: ReactNode;
}

/** The results of a batch action: how many went through, then one line per item. */
export function BatchResults({ rows }: { readonly rows: readonly BatchResultRow[] }) {
  const failed = rows.filter((row) => !row.ok).length;
  return (
    <>
      <p role="status">
        {failed === 0
          ? `All ${rows.length} done.`
          : `${rows.length - failed} of ${rows.length} done; ${failed} failed.`}
      </p>
      <ul className="result-list" aria-label="Results">
        {rows.map((row) => (
          <li key={row.key} aria-label={`${row.label}: ${row.word}`}>
            <span className="result-ref">{row.label}</span>
            <strong className={row.ok ? 'result-ok' : 'result-failed'}>{row.word}</strong>
            {row.detail === undefined ? null : <span>{row.detail}</span>}
          </li>
        ))}
      </ul>
    </>
  );
}
