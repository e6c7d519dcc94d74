/** Push a tag, as a job with per-layer progress. TODO: not built yet. */
import type { DialogState } from '../../app/uiStore';

export function PushDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'push' }> }) {
  void dialog;
  return null;
}
