/** Tag an image: add any number of tags (each checked as it is typed); untag one of its current tags. */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { StrataError, type ErrorShape } from '../../../../shared/errors';
import { isImageId, parseReference } from '../../../../shared/reference';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { Dialog } from '../../ui/Dialog';
import { Field } from '../../ui/Field';
import { useImages } from '../../app/queries';
import { queryKeys } from '../../app/queryKeys';
import { useUi, type DialogState } from '../../app/uiStore';
import './selection.css';

/** Why a new tag is not acceptable, or undefined when it is (blank fields are skipped, not errors). */
export function tagProblem(input: string): string | undefined {
  const text = input.trim();
  if (text === '') return undefined;
  const parsed = parseReference(text);
  if (!parsed.ok) return parsed.reason;
  if (isImageId(text) || isImageId(parsed.value.name)) {
    return `"${text}" is an image ID; a tag is a name, for example "team/app:v1".`;
  }
  if (parsed.value.digest !== undefined) {
    return `"${text}" is a digest; a tag cannot hold one, use for example "${parsed.value.name}:v1".`;
  }
  return undefined;
}

const toShape = (caught: unknown): ErrorShape =>
  caught instanceof StrataError
    ? caught.toShape()
    : { code: 'internal', message: caught instanceof Error ? caught.message : String(caught) };

interface TagField {
  readonly id: number;
  readonly value: string;
}

export function TagDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'tag' }> }) {
  const strata = useStrata();
  const queryClient = useQueryClient();
  const images = useImages();
  const { closeDialog } = useUi.getState();
  const [fields, setFields] = useState<readonly TagField[]>([{ id: 0, value: '' }]);
  const [nextId, setNextId] = useState(1);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | undefined>(undefined);
  const [added, setAdded] = useState<readonly string[]>([]);
  const [confirmUntag, setConfirmUntag] = useState<string | undefined>(undefined);

  const image = images.data?.find((candidate) => candidate.id === dialog.imageId);
  const currentTags = (image?.repoTags ?? []).filter((t) => t !== '<none>:<none>' && t !== '<none>@<none>');

  const problems = fields.map((field) => tagProblem(field.value));
  const tags = fields.map((field) => field.value.trim()).filter((value) => value !== '');
  const canTag = !busy && tags.length > 0 && problems.every((problem) => problem === undefined);

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: queryKeys.images() }),
      queryClient.invalidateQueries({ queryKey: queryKeys.engineInfo() }),
    ]);

  const submit = async (): Promise<void> => {
    if (!canTag) return;
    setBusy(true);
    setError(undefined);
    try {
      const result = unwrap(await strata.images.tag({ reference: dialog.imageId, tags }));
      setAdded(result.tagged);
      setFields([{ id: nextId, value: '' }]);
      setNextId(nextId + 1);
    } catch (caught) {
      setError(toShape(caught));
    } finally {
      setBusy(false);
      await refresh();
    }
  };

  const untag = async (tag: string): Promise<void> => {
    setBusy(true);
    setError(undefined);
    setConfirmUntag(undefined);
    try {
      unwrap(await strata.images.remove({ reference: tag }));
      if (currentTags.length <= 1) closeDialog();
    } catch (caught) {
      setError(toShape(caught));
    } finally {
      setBusy(false);
      await refresh();
    }
  };

  return (
    <Dialog
      label="Tag image"
      title={`Tag ${dialog.label}`}
      onClose={closeDialog}
      footer={
        <>
          <span className="spacer" />
          <button type="button" className="button" onClick={closeDialog}>
            Close
          </button>
          <button type="submit" form="tag-form" className="button button-primary" disabled={!canTag}>
            {busy ? 'Tagging…' : tags.length > 1 ? `Add ${tags.length} tags` : 'Add tag'}
          </button>
        </>
      }
    >
      <section aria-label="Current tags">
        <h3>Current tags</h3>
        {currentTags.length === 0 ? (
          <p className="muted">This image has no tags.</p>
        ) : (
          <ul className="result-list">
            {currentTags.map((tag) => (
              <li key={tag}>
                <span className="result-ref">{tag}</span>
                <span className="spacer" />
                {confirmUntag === tag ? (
                  <>
                    <span role="alert">This is the last tag: the image will be removed.</span>
                    <button
                      type="button"
                      className="button button-small button-danger"
                      disabled={busy}
                      onClick={() => void untag(tag)}
                    >
                      Remove image
                    </button>
                    <button type="button" className="button button-small" onClick={() => setConfirmUntag(undefined)}>
                      Keep
                    </button>
                  </>
                ) : (
                  <button
                    type="button"
                    className="button button-small"
                    aria-label={`Untag ${tag}`}
                    disabled={busy}
                    onClick={() => (currentTags.length <= 1 ? setConfirmUntag(tag) : void untag(tag))}
                  >
                    Untag
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <form
        id="tag-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <h3>New tags</h3>
        <div className="tag-inputs">
          {fields.map((field, index) => {
            const problem = problems[index];
            const errorId = `tag-error-${field.id}`;
            return (
              <div key={field.id} className="tag-input-row">
                <div className="field">
                  <Field
                    id={`tag-input-${field.id}`}
                    label={`New tag ${index + 1}`}
                    labelClassName="visually-hidden"
                    error={problem}
                    errorId={errorId}
                  >
                    {(control) => (
                      <input
                        {...control}
                        className="input"
                        placeholder="repo[:tag], e.g. 127.0.0.1:5000/team/app:v1"
                        value={field.value}
                        spellCheck={false}
                        autoComplete="off"
                        onChange={(event) => {
                          const value = event.target.value;
                          setFields((current) => current.map((f) => (f.id === field.id ? { ...f, value } : f)));
                        }}
                      />
                    )}
                  </Field>
                </div>
                {fields.length > 1 ? (
                  <button
                    type="button"
                    className="button button-small"
                    aria-label={`Remove field ${index + 1}`}
                    onClick={() => setFields((current) => current.filter((f) => f.id !== field.id))}
                  >
                    −
                  </button>
                ) : null}
              </div>
            );
          })}
        </div>
        <button
          type="button"
          className="button button-small"
          onClick={() => {
            setFields((current) => [...current, { id: nextId, value: '' }]);
            setNextId(nextId + 1);
          }}
        >
          Add another tag
        </button>
      </form>
      {added.length === 0 ? null : <p role="status">Added {added.join(', ')}.</p>}
      {error === undefined ? null : (
        <div className="notice notice-error" role="alert">
          <p>{error.message}</p>
        </div>
      )}
    </Dialog>
  );
}
