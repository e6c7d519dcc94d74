import type { DialogState } from '../../app/uiStore';

/** Run a container from an image (`docker run`), validated before the call. */
export function RunDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'run' }> }) {
  void dialog;
  return null;
}
