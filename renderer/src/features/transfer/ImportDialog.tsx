/** Import a rootfs tarball as a new image. TODO: not built yet. */
import type { DialogState } from '../../app/uiStore';

export function ImportDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'import' }> }) {
  void dialog;
  return null;
}
