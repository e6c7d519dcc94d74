/** A table with one block of rows per engine (All engines mode of Images and Containers), each in its engine's scope. */
import type { ReactNode } from 'react';
import type { EngineEntry } from '../../../../shared/api';
import { EngineScope } from '../../api/engineScope';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useEngines } from '../../app/queries';
import './engines.css';

export function AllEnginesTable({
  label,
  headings,
  rows,
  children,
}: {
  /** "Images on all engines". */
  readonly label: string;
  /** The column headings after Engine (an empty string for the actions column). */
  readonly headings: readonly { readonly text: string; readonly numeric?: boolean }[];
  /** One engine's rows (a tbody), rendered inside that engine's scope. */
  readonly rows: (entry: EngineEntry) => ReactNode;
  /** Below the table (dialogs). */
  readonly children?: ReactNode;
}) {
  const engines = useEngines();
  if (engines.error !== null) return <ErrorNotice>Could not list the engines: {engines.error.message}</ErrorNotice>;
  if (engines.data === undefined) return <p className="notice">Listing the engines…</p>;
  return (
    <div className="view-scroll">
      <table className="engines-table" aria-label={label}>
        <thead>
          <tr>
            <th>Engine</th>
            {headings.map((heading, index) =>
              heading.text === '' ? (
                <th key={index}>
                  <span className="visually-hidden">Actions</span>
                </th>
              ) : (
                <th key={index} className={heading.numeric === true ? 'cell-numeric' : undefined}>
                  {heading.text}
                </th>
              ),
            )}
          </tr>
        </thead>
        {engines.data.map((entry) => (
          <EngineScope key={entry.id} engineId={entry.id}>
            {rows(entry)}
          </EngineScope>
        ))}
      </table>
      {children}
    </div>
  );
}
