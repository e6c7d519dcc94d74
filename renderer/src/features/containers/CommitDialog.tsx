/** Commit a container to an image: repo:tag, author, message, Dockerfile changes (each line checked), pause. */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { Dialog } from '../../ui/Dialog';
import { useContainers } from '../../app/queries';
import { useUi, type DialogState } from '../../app/uiStore';
import { expectedRepoTag } from '../images/viewModel';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Field, inputClass } from '../../ui/Field';
import { canCommit, checkCommitForm, toCommitArgs, type CommitForm } from './commitForm';
import './commit.css';

export function CommitDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'commit' }> }) {
  const strata = useStrata();
  const queryClient = useQueryClient();
  const containers = useContainers();
  const { closeDialog, setHighlight, setView } = useUi.getState();
  const [form, setForm] = useState<CommitForm>({
    container: dialog.container ?? '',
    reference: '',
    author: '',
    message: '',
    changes: '',
    pause: true,
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const errors = checkCommitForm(form);
  const update = (patch: Partial<CommitForm>): void => setForm((prev) => ({ ...prev, ...patch }));
  const list = containers.data ?? [];
  const known = list.some((c) => c.name === form.container || c.id === form.container);

  const submit = async (): Promise<void> => {
    if (!canCommit(form) || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const result = unwrap(await strata.images.commit(toCommitArgs(form)));
      await queryClient.invalidateQueries({ queryKey: ['images'] });
      setHighlight((result.reference === null ? undefined : expectedRepoTag(result.reference)) ?? result.imageId);
      closeDialog();
      setView('images');
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      label="Commit container"
      title="Commit a container to an image"
      onClose={closeDialog}
      footer={
        <>
          <span className="spacer" />
          <button type="button" className="button" onClick={closeDialog}>
            Cancel
          </button>
          <button
            type="submit"
            form="commit-form"
            className="button button-primary"
            disabled={!canCommit(form) || busy}
          >
            {busy ? 'Committing…' : 'Commit'}
          </button>
        </>
      }
    >
      <form
        id="commit-form"
        className="commit-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <div>
          <Field
            id="commit-container"
            label="Container"
            hint={containers.isSuccess && list.length === 0 ? 'There are no containers on this engine.' : undefined}
          >
            {(control) => (
              <select
                {...control}
                className="input input-wide"
                value={form.container}
                onChange={(event) => update({ container: event.target.value })}
              >
                <option value="">{containers.isPending ? 'Loading containers…' : 'Choose a container'}</option>
                {form.container !== '' && !known ? <option value={form.container}>{form.container}</option> : null}
                {list.map((c) => (
                  <option key={c.id} value={c.name === '' ? c.id : c.name}>
                    {c.name === '' ? c.id.slice(0, 12) : c.name} — {c.image} ({c.state})
                  </option>
                ))}
              </select>
            )}
          </Field>
          {containers.isError ? (
            <p className="field-error">Could not list containers: {containers.error.message}</p>
          ) : null}
        </div>

        <Field
          id="commit-reference"
          label="Image name"
          wrap
          error={errors.reference}
          hint="repo[:tag]; leave empty for an untagged image."
        >
          {(control) => (
            <input
              {...control}
              className={inputClass('input input-wide', errors.reference)}
              value={form.reference}
              onChange={(event) => update({ reference: event.target.value })}
              placeholder="myapp:snapshot"
              autoComplete="off"
              spellCheck={false}
            />
          )}
        </Field>

        <Field id="commit-author" label="Author" wrap>
          {(control) => (
            <input
              {...control}
              className="input input-wide"
              value={form.author}
              onChange={(event) => update({ author: event.target.value })}
              placeholder="Name <email>"
            />
          )}
        </Field>

        <Field id="commit-message" label="Message" wrap>
          {(control) => (
            <input
              {...control}
              className="input input-wide"
              value={form.message}
              onChange={(event) => update({ message: event.target.value })}
            />
          )}
        </Field>

        <div>
          <label className="field-label" htmlFor="commit-changes">
            Dockerfile changes
          </label>
          <textarea
            id="commit-changes"
            className={`input commit-changes${errors.changes.length === 0 ? '' : ' is-invalid'}`}
            value={form.changes}
            onChange={(event) => update({ changes: event.target.value })}
            placeholder={'CMD ["/app/run"]\nLABEL version=2'}
            spellCheck={false}
            aria-invalid={errors.changes.length > 0}
            aria-describedby="commit-changes-hint"
          />
          {errors.changes.length === 0 ? (
            <p id="commit-changes-hint" className="field-hint">
              One instruction per line: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR,
              HEALTHCHECK or SHELL.
            </p>
          ) : (
            <ul id="commit-changes-hint" className="field-error commit-change-errors">
              {errors.changes.map((e) => (
                <li key={e.line}>
                  Line {e.line} ({e.text}): {e.reason}
                </li>
              ))}
            </ul>
          )}
        </div>

        <label className="checkbox">
          <input type="checkbox" checked={form.pause} onChange={(e) => update({ pause: e.target.checked })} />
          Pause the container while committing
        </label>
      </form>
      {error === undefined ? null : <ErrorNotice>The commit failed: {error}</ErrorNotice>}
    </Dialog>
  );
}
