/** Search Docker Hub through the engine, and pull a result (the Pull dialog follows the pull). */
import { useState, type FormEvent } from 'react';
import type { ResultOf } from '../../../../shared/api';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { Dialog } from '../../ui/Dialog';
import { useUi, type DialogState } from '../../app/uiStore';
import { ErrorNotice } from '../../ui/ErrorNotice';
import './search.css';

type SearchRows = ResultOf<'images.search'>;

type SearchState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'searching'; readonly term: string }
  | { readonly kind: 'results'; readonly term: string; readonly rows: SearchRows }
  | { readonly kind: 'failed'; readonly term: string; readonly message: string };

const LIMIT = 25;

export function SearchDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'search' }> }) {
  void dialog;
  const strata = useStrata();
  const closeDialog = useUi((s) => s.closeDialog);
  const [term, setTerm] = useState('');
  const [search, setSearch] = useState<SearchState>({ kind: 'idle' });
  const [pulling, setPulling] = useState<string | undefined>(undefined);
  const [pullError, setPullError] = useState<string | undefined>(undefined);

  const trimmed = term.trim();
  const canSearch = trimmed !== '' && search.kind !== 'searching';

  const run = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!canSearch) return;
    setSearch({ kind: 'searching', term: trimmed });
    setPullError(undefined);
    try {
      const rows = unwrap(await strata.images.search({ term: trimmed, limit: LIMIT }));
      setSearch({ kind: 'results', term: trimmed, rows });
    } catch (error) {
      setSearch({ kind: 'failed', term: trimmed, message: error instanceof Error ? error.message : String(error) });
    }
  };

  const pull = async (name: string): Promise<void> => {
    setPulling(name);
    setPullError(undefined);
    try {
      const { jobId } = unwrap(await strata.images.pull({ reference: name }));
      const ui = useUi.getState();
      ui.setPullReference(name);
      ui.setPullJob(jobId);
      // In place of this dialog: one dialog at a time.
      ui.openDialog({ kind: 'pull' });
    } catch (error) {
      setPullError(`Could not start the pull of ${name}: ${error instanceof Error ? error.message : String(error)}`);
      setPulling(undefined);
    }
  };

  return (
    <Dialog
      label="Search Docker Hub"
      title="Search Docker Hub"
      onClose={closeDialog}
      footer={
        <>
          <span className="spacer" />
          <button type="button" className="button" onClick={closeDialog}>
            Close
          </button>
        </>
      }
    >
      <form className="search-form" onSubmit={(event) => void run(event)}>
        <label className="field-label" htmlFor="search-term">
          Search term
        </label>
        <div className="search-row">
          <input
            id="search-term"
            className="input input-wide"
            type="search"
            value={term}
            onChange={(event) => setTerm(event.target.value)}
            placeholder="nginx, postgres, alpine…"
            autoComplete="off"
            spellCheck={false}
            maxLength={256}
          />
          <button type="submit" className="button button-primary" disabled={!canSearch}>
            {search.kind === 'searching' ? 'Searching…' : 'Search'}
          </button>
        </div>
      </form>

      {search.kind === 'failed' ? <ErrorNotice>{search.message}</ErrorNotice> : null}
      {pullError === undefined ? null : <ErrorNotice>{pullError}</ErrorNotice>}
      {search.kind === 'results' && search.rows.length === 0 ? (
        <p className="notice" role="status">
          No images on Docker Hub match “{search.term}”.
        </p>
      ) : null}
      {search.kind === 'results' && search.rows.length > 0 ? (
        <div className="search-results-wrap">
          <table className="search-results" aria-label="Search results">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Description</th>
                <th scope="col" className="search-stars">
                  Stars
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {search.rows.map((row) => (
                <tr key={row.name}>
                  <td className="search-name">
                    <span className="cell-mono">{row.name}</span>
                    {row.official ? <span className="badge search-badge">Official</span> : null}
                    {row.automated ? <span className="badge search-badge">Automated</span> : null}
                  </td>
                  <td className="search-description">{row.description}</td>
                  <td className="search-stars">{row.stars.toLocaleString('en-US')}</td>
                  <td>
                    <button
                      type="button"
                      className="button"
                      aria-label={`Pull ${row.name}`}
                      disabled={pulling !== undefined}
                      onClick={() => void pull(row.name)}
                    >
                      {pulling === row.name ? 'Starting…' : 'Pull'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Dialog>
  );
}
