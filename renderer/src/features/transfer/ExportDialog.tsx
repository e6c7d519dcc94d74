/** Export a container's filesystem to a tar. TODO: not built yet. */
import type { DialogState } from '../../app/uiStore';

export function ExportDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'export' }> }) {
  void dialog;
  return null;
}
