/** An engine or registry error in the Registries view; a 401 from a registry offers "Log in…" to it. */
import { StrataError } from '../../../../shared/errors';
import { useUi } from '../../app/uiStore';

export function RegistryErrorNotice({ error, registry }: { readonly error: unknown; readonly registry: string }) {
  const openDialog = useUi((s) => s.openDialog);
  const message = error instanceof Error ? error.message : String(error);
  const unauthorized = error instanceof StrataError && error.code === 'registry_unauthorized';
  return (
    <div className="notice notice-error" role="alert">
      {message}
      {unauthorized ? (
        <>
          {' '}
          <button type="button" className="button button-small" onClick={() => openDialog({ kind: 'login', registry })}>
            Log in…
          </button>
        </>
      ) : null}
    </div>
  );
}
