/** Remove or untag many images with one confirm and a per-item result. TODO: not built yet. */
import type { DialogState } from '../../app/uiStore';

export function RemoveManyDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'removeMany' }> }) {
  void dialog;
  return null;
}
