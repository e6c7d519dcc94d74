/** Build an image from a context folder; the log streams step by step. TODO: not built yet. */
import type { DialogState } from '../../app/uiStore';

export function BuildDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'build' }> }) {
  void dialog;
  return null;
}
