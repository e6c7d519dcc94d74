import { useEffect, useRef, useState } from 'react';
import type { EngineCandidate } from '../../../../shared/api';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useEngineCandidates, useEngines } from '../../app/queries';
import { useUi } from '../../app/uiStore';
import { AddEngineForm } from './AddEngineForm';
import { EngineRow } from './EngineRow';
import { candidateArgs } from './engineForm';
import { messageOf, useAddEngine } from './useAddEngine';
import './engines.css';

function CandidateRow({ candidate }: { readonly candidate: EngineCandidate }) {
  const add = useAddEngine();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const onAdd = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await add(candidateArgs(candidate));
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr aria-label={candidate.description}>
      <td>{candidate.description}</td>
      <td className="cell-host">{candidate.host}</td>
      <td>
        {candidate.added ? (
          <button type="button" className="button button-small" disabled>
            Added
          </button>
        ) : (
          <button
            type="button"
            className="button button-small"
            disabled={busy}
            aria-label={`Add ${candidate.description}`}
            onClick={() => void onAdd()}
          >
            Add
          </button>
        )}
        {error === undefined ? null : <ErrorNotice>{error}</ErrorNotice>}
      </td>
    </tr>
  );
}

/** Engine view, "Engines": every engine Strata talks to, adding and removing them, and those found here. */
export function EnginesSection() {
  const engines = useEngines();
  const candidates = useEngineCandidates();
  const engineId = useUi((s) => s.engineId);
  const manage = useUi((s) => s.manageEngines);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!manage) return;
    ref.current?.scrollIntoView?.({ block: 'start' });
    useUi.getState().setManageEngines(false);
  }, [manage]);

  return (
    <section className="engines-section" aria-labelledby="engines-title" ref={ref}>
      <h2 id="engines-title">Engines</h2>
      {engines.error !== null ? (
        <ErrorNotice>Could not list the engines: {engines.error.message}</ErrorNotice>
      ) : engines.data === undefined ? (
        <p className="notice">Listing the engines…</p>
      ) : (
        <table className="engines-table" aria-label="Engines">
          <thead>
            <tr>
              <th>Name</th>
              <th>Address</th>
              <th>Kind</th>
              <th>TLS</th>
              <th>Source</th>
              <th>Status</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {engines.data.map((entry) => (
              <EngineRow key={entry.id} entry={entry} active={entry.id === engineId} />
            ))}
          </tbody>
        </table>
      )}
      <h3>Add engine</h3>
      <AddEngineForm />
      <h3>Found on this machine</h3>
      {candidates.error !== null ? (
        <ErrorNotice>Could not look for engines: {candidates.error.message}</ErrorNotice>
      ) : candidates.data === undefined ? (
        <p className="notice">Looking for engines…</p>
      ) : candidates.data.length === 0 ? (
        <p className="muted">No docker contexts, Podman socket or default socket found.</p>
      ) : (
        <table className="engines-table" aria-label="Found on this machine">
          <tbody>
            {candidates.data.map((candidate) => (
              <CandidateRow key={`${candidate.source}|${candidate.host}`} candidate={candidate} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
