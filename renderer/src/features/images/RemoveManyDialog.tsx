/** Remove or untag many images with one confirm and a per-item result. */
import { useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ImageSummary, RemoveManyItem } from '../../../../shared/api';
import { StrataError, type ErrorShape } from '../../../../shared/errors';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { BatchResults } from '../../ui/BatchResults';
import { Dialog } from '../../ui/Dialog';
import { useBatchAction } from '../../ui/useBatchAction';
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
  const lastTags = useMemo(() => lastTagReferences(dialog.items, images.data), [dialog.items, images.data]);

  const labelOf = (reference: string): string =>
    dialog.items.find((item) => item.reference === reference)?.label ?? reference;

  const { busy, results, error, run } = useBatchAction<RemoveManyItem, boolean>({
    call: async (keys, withForce) => {
      const references = [...keys];
      return unwrap(await strata.images.removeMany(withForce ? { references, force: true } : { references }));
    },
    keyOf: (item) => item.reference,
    settle: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.images() }),
        queryClient.invalidateQueries({ queryKey: queryKeys.engineInfo() }),
      ]),
    toError: toShape,
  });

  const inUse = (results ?? []).filter((item) => !item.ok && item.error.code === 'conflict');
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
        <BatchResults
          rows={results.map((item) => {
            const shown = describe(item);
            const label = labelOf(item.reference);
            return { key: item.reference, label, word: shown.word, ok: shown.ok, detail: shown.text };
          })}
        />
      )}
      {error === undefined ? null : (
        <div className="notice notice-error" role="alert">
          <p>{error.message}</p>
        </div>
      )}
    </Dialog>
  );
}
