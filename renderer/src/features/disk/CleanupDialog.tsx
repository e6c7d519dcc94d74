import type { DialogState } from '../../app/uiStore';

/** Cleanup in one place: pick parts, see exactly what goes and the bytes freed, then what the engine reclaimed. */
export function CleanupDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'cleanup' }> }) {
  void dialog;
  return null;
}
