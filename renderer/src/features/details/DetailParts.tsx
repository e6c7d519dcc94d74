/** Parts the Details views share (image and container): a key/value table and the raw inspect answer with search. */
import { useMemo, useState } from 'react';
import { CopyButton } from '../history/CopyButton';
import { splitMatches } from './jsonSearch';

/** Untrusted keys and values, shown as text. */
export function KeyValueTable({
  label,
  rows,
}: {
  readonly label: string;
  readonly rows: readonly (readonly [string, string])[];
}) {
  if (rows.length === 0) return <p className="muted">No {label.toLowerCase()}.</p>;
  return (
    <table className="kv-table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Key</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([key, value], index) => (
          <tr key={`${key}-${index}`}>
            <th scope="row">{key}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The engine's inspect answer as JSON, searchable (matches highlighted, counted) and copyable. */
export function RawJson({ raw }: { readonly raw: unknown }) {
  const [query, setQuery] = useState('');
  const json = useMemo(() => JSON.stringify(raw, null, 2) ?? 'null', [raw]);
  const segments = useMemo(() => splitMatches(json, query), [json, query]);
  const matches = segments.filter((segment) => segment.match).length;
  return (
    <section className="details-section" aria-labelledby="raw-title">
      <div className="raw-head">
        <h2 id="raw-title">Raw JSON</h2>
        <input
          type="search"
          className="input"
          aria-label="Search the raw JSON"
          placeholder="Search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
        <span className="muted" role="status">
          {query === '' ? '' : `${matches} ${matches === 1 ? 'match' : 'matches'}`}
        </span>
        <CopyButton text={json} label="Copy the raw JSON" />
      </div>
      <pre className="raw-json" data-testid="raw-json">
        {segments.map((segment, index) =>
          segment.match ? <mark key={index}>{segment.text}</mark> : <span key={index}>{segment.text}</span>,
        )}
      </pre>
    </section>
  );
}
