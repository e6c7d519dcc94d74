/** Log in to a registry. TODO: not built yet. */
import type { DialogState } from '../../app/uiStore';

export function LoginDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'login' }> }) {
  void dialog;
  return null;
}
