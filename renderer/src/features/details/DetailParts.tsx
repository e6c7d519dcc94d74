/** Parts the Details views share (image and container): a key/value table and the raw inspect answer with search. */
import { useMemo, useState } from 'react';
import { CopyButton } from '../history/CopyButton';
import { splitEnv, splitMatches } from './jsonSearch';
import type { ReactNode } from 'react';

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

/** The key fields of an image or container, as a description list. */
export function KeyFields({ fields }: { readonly fields: readonly (readonly [string, ReactNode])[] }) {
  return (
    <dl className="details-fields" aria-label="Key fields">
      {fields.map(([name, value]) => (
        <div key={name} className="details-field">
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The Environment and Labels sections (untrusted text, shown as text). */
export function EnvAndLabels({
  idPrefix,
  env,
  labels,
}: {
  readonly idPrefix: string;
  readonly env: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}) {
  return (
    <>
      <section className="details-section" aria-labelledby={`${idPrefix}env-title`}>
        <h2 id={`${idPrefix}env-title`}>Environment</h2>
        <KeyValueTable label="Environment" rows={env.map(splitEnv)} />
      </section>
      <section className="details-section" aria-labelledby={`${idPrefix}labels-title`}>
        <h2 id={`${idPrefix}labels-title`}>Labels</h2>
        <KeyValueTable label="Labels" rows={Object.entries(labels).sort(([a], [b]) => a.localeCompare(b))} />
      </section>
    </>
  );
}
