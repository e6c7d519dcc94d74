/** Prune images with a true preview. TODO: not built yet. */
import type { DialogState } from '../../app/uiStore';

export function PruneDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'prune' }> }) {
  void dialog;
  return null;
}
