/** Search Docker Hub through the engine, and pull a result. TODO: not built yet. */
import type { DialogState } from '../../app/uiStore';

export function SearchDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'search' }> }) {
  void dialog;
  return null;
}
