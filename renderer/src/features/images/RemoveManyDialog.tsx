/** Remove or untag many images with one confirm and a per-item result. */
import { useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ImageSummary, RemoveManyItem } from '../../../../shared/api';
import { StrataError, type ErrorShape } from '../../../../shared/errors';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { Dialog } from '../../ui/Dialog';
import { useImages } from '../../app/queries';
import { queryKeys } from '../../app/queryKeys';
import { useUi, type DialogState } from '../../app/uiStore';
import './selection.css';

type Items = Extract<DialogState, { kind: 'removeMany' }>['items'];

const realTags = (image: ImageSummary): readonly string[] =>
  image.repoTags.filter((t) => t !== '<none>:<none>' && t !== '<none>@<none>');

/**
 * References whose removal takes the image with it: a dangling image (removed by ID), or the last of
 * the listed tags of an image when every one of its tags is listed.
 */
export function lastTagReferences(items: Items, images: readonly ImageSummary[] | undefined): ReadonlySet<string> {
  const result = new Set<string>();
  if (images === undefined) return result;
  const byId = new Map(images.map((image) => [image.id, image]));
  const listed = new Set(items.map((item) => item.reference));
  const seen = new Set<string>();
  for (let i = items.length - 1; i >= 0; i -= 1) {
    const item = items[i];
    if (item === undefined || seen.has(item.imageId)) continue;
    const image = byId.get(item.imageId);
    if (image === undefined) continue;
    const tags = realTags(image);
    if (item.reference === item.imageId || tags.every((tag) => listed.has(tag))) {
      result.add(item.reference);
      seen.add(item.imageId);
    }
  }
  return result;
}

function describe(item: RemoveManyItem): { readonly word: string; readonly text: string; readonly ok: boolean } {
  if (!item.ok) return { word: 'failed', text: item.error.message, ok: false };
  if (item.result.deleted.length > 0) return { word: 'removed', text: 'the image was removed', ok: true };
  return { word: 'untagged', text: 'the tag was removed; the image stays', ok: true };
}

const toShape = (caught: unknown): ErrorShape =>
  caught instanceof StrataError
    ? caught.toShape()
    : { code: 'internal', message: caught instanceof Error ? caught.message : String(caught) };

export function RemoveManyDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'removeMany' }> }) {
  const strata = useStrata();
  const queryClient = useQueryClient();
  const images = useImages();
  const { closeDialog } = useUi.getState();
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<readonly RemoveManyItem[] | undefined>(undefined);
  const [error, setError] = useState<ErrorShape | undefined>(undefined);
  const lastTags = useMemo(() => lastTagReferences(dialog.items, images.data), [dialog.items, images.data]);

  const labelOf = (reference: string): string =>
    dialog.items.find((item) => item.reference === reference)?.label ?? reference;

  const run = async (references: string[], withForce: boolean): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const answer = unwrap(await strata.images.removeMany(withForce ? { references, force: true } : { references }));
      setResults((previous) => {
        if (previous === undefined) return answer;
        const next = new Map(answer.map((item) => [item.reference, item]));
        return previous.map((item) => next.get(item.reference) ?? item);
      });
    } catch (caught) {
      setError(toShape(caught));
    } finally {
      setBusy(false);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.images() }),
        queryClient.invalidateQueries({ queryKey: queryKeys.engineInfo() }),
      ]);
    }
  };

  const inUse = (results ?? []).filter((item) => !item.ok && item.error.code === 'conflict');
  const failedCount = (results ?? []).filter((item) => !item.ok).length;
  const count = dialog.items.length;

  const footer =
    results === undefined ? (
      <>
        <label className="checkbox">
          <input type="checkbox" checked={force} onChange={(event) => setForce(event.target.checked)} />
          Force (also remove images that containers use)
        </label>
        <span className="spacer" />
        <button type="button" className="button" onClick={closeDialog}>
          Cancel
        </button>
        <button
          type="button"
          className="button button-danger"
          disabled={busy}
          onClick={() =>
            void run(
              dialog.items.map((item) => item.reference),
              force,
            )
          }
        >
          {busy ? 'Removing…' : `Remove ${count}`}
        </button>
      </>
    ) : (
      <>
        <span className="spacer" />
        {inUse.length > 0 ? (
          <button
            type="button"
            className="button button-danger"
            disabled={busy}
            onClick={() =>
              void run(
                inUse.map((item) => item.reference),
                true,
              )
            }
          >
            Force remove the {inUse.length} that {inUse.length === 1 ? 'is' : 'are'} in use
          </button>
        ) : null}
        <button type="button" className="button" onClick={closeDialog}>
          Close
        </button>
      </>
    );

  return (
    <Dialog
      label="Remove images"
      title={results === undefined ? `Remove ${count} ${count === 1 ? 'image' : 'images'}?` : 'Remove images: results'}
      onClose={closeDialog}
      footer={footer}
    >
      {results === undefined ? (
        <>
          <p>Each of these is untagged; an image goes too when its last tag goes.</p>
          <ul className="result-list" aria-label="To remove">
            {dialog.items.map((item) => (
              <li key={item.reference}>
                <span className="result-ref">{item.label}</span>
                {lastTags.has(item.reference) ? (
                  <span className="muted">last tag: the image is removed</span>
                ) : (
                  <span className="muted">untag only</span>
                )}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <>
          <p role="status">
            {failedCount === 0
              ? `All ${results.length} done.`
              : `${results.length - failedCount} of ${results.length} done; ${failedCount} failed.`}
          </p>
          <ul className="result-list" aria-label="Results">
            {results.map((item) => {
              const shown = describe(item);
              return (
                <li key={item.reference} aria-label={`${labelOf(item.reference)}: ${shown.word}`}>
                  <span className="result-ref">{labelOf(item.reference)}</span>
                  <strong className={shown.ok ? 'result-ok' : 'result-failed'}>{shown.word}</strong>
                  <span>{shown.text}</span>
                </li>
              );
            })}
          </ul>
        </>
      )}
      {error === undefined ? null : (
        <div className="notice notice-error" role="alert">
          <p>{error.message}</p>
        </div>
      )}
    </Dialog>
  );
}
