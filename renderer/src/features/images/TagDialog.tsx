/** Tag an image: add any number of tags; untag one. TODO: not built yet. */
import type { DialogState } from '../../app/uiStore';

export function TagDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'tag' }> }) {
  void dialog;
  return null;
}
