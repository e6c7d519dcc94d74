/** Commit a container to an image. TODO: not built yet. */
import type { DialogState } from '../../app/uiStore';

export function CommitDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'commit' }> }) {
  void dialog;
  return null;
}
