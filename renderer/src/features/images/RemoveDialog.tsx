import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ErrorShape } from '../../../../shared/errors';
import { StrataError } from '../../../../shared/errors';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { Dialog } from '../../ui/Dialog';
import { queryKeys } from '../../app/queryKeys';
import { useUi, type DialogState } from '../../app/uiStore';

/** Confirms removing one repo:tag (or a dangling image); offers "Force remove" when the engine refuses. */
export function RemoveDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'remove' }> }) {
  const target = dialog.target;
  const strata = useStrata();
  const queryClient = useQueryClient();
  const { closeDialog, select } = useUi.getState();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | undefined>(undefined);

  const remove = async (force: boolean): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      unwrap(
        await strata.images.remove(
          force ? { reference: target.reference, force: true } : { reference: target.reference },
        ),
      );
      select(undefined);
      closeDialog();
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.images() }),
        queryClient.invalidateQueries({ queryKey: queryKeys.engineInfo() }),
      ]);
    } catch (caught) {
      setError(
        caught instanceof StrataError
          ? caught.toShape()
          : { code: 'internal', message: caught instanceof Error ? caught.message : String(caught) },
      );
      setBusy(false);
    }
  };

  const conflict = error?.code === 'conflict';

  return (
    <Dialog
      label="Remove image"
      title={`Remove ${target.label}?`}
      onClose={closeDialog}
      footer={
        <>
          <span className="spacer" />
          <button type="button" className="button" onClick={closeDialog}>
            Cancel
          </button>
          {conflict ? (
            <button type="button" className="button button-danger" disabled={busy} onClick={() => void remove(true)}>
              Force remove
            </button>
          ) : (
            <button type="button" className="button button-danger" disabled={busy} onClick={() => void remove(false)}>
              Remove
            </button>
          )}
        </>
      }
    >
      {target.tagCount > 1 ? (
        <p>
          This image has {target.tagCount} tags. Only the tag <strong>{target.label}</strong> is removed; the image and
          its other tags stay.
        </p>
      ) : (
        <p>
          <strong>{target.label}</strong> will be removed from the engine, along with its layers that no other image
          uses.
        </p>
      )}
      {error === undefined ? null : (
        <div className="notice notice-error" role="alert">
          <p>{error.message}</p>
          {error.detail === undefined || error.message.includes(error.detail) ? null : (
            <p className="muted">{error.detail}</p>
          )}
          {conflict ? (
            <p>Force remove asks the engine to remove it anyway, even though a container uses the image.</p>
          ) : null}
        </div>
      )}
    </Dialog>
  );
}
