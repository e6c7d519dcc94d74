/** Load images from a tar, listing what was loaded. TODO: not built yet. */
import type { DialogState } from '../../app/uiStore';

export function LoadDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'load' }> }) {
  void dialog;
  return null;
}
