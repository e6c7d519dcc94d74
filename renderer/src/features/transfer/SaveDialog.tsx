/** Save images to a .tar / .tar.gz (file dialog on the desktop, a download in browser mode). TODO: not built yet. */
import type { DialogState } from '../../app/uiStore';

export function SaveDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'save' }> }) {
  void dialog;
  return null;
}
