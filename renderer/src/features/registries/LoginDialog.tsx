/** Log in to a registry: checked against its /v2/ endpoint by the service, then kept (encrypted, or for the session). */
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { registryHostSchema, type CredentialStorage } from '../../../../shared/api';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { queryKeys } from '../../app/queryKeys';
import { Dialog } from '../../ui/Dialog';
import { useUi, type DialogState } from '../../app/uiStore';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Field, inputClass } from '../../ui/Field';
import './registries.css';

/** Where the password will be kept, said before it is typed (no keyring on Linux: for this session only). */
export function storageHint(storage: CredentialStorage | undefined): string {
  const checked = 'Checked against the registry first';
  if (storage === undefined) return `${checked}.`;
  if (storage.stored === 'encrypted') return `${checked}, then kept encrypted with the system keychain.`;
  if (storage.reason !== undefined) {
    return `${checked}. Kept for this session only, not saved: ${storage.reason}. Log in again after Strata restarts.`;
  }
  return `${checked}, then kept in memory until Strata quits.`;
}

export function LoginDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'login' }> }) {
  const strata = useStrata();
  const queryClient = useQueryClient();
  const closeDialog = useUi((s) => s.closeDialog);
  const [registry, setRegistry] = useState(dialog.registry ?? '');
  const [username, setUsername] = useState('');
  // The password lives in this component only, and only until the dialog closes.
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const storage = useQuery({
    queryKey: queryKeys.registryStorage(),
    queryFn: async () => unwrap(await strata.registries.storage({})),
  });

  const hostCheck = registryHostSchema.safeParse(registry.trim());
  const invalidReason = registry === '' || hostCheck.success ? undefined : hostCheck.error.issues[0]?.message;
  const canSubmit = hostCheck.success && username !== '' && password !== '' && !busy;

  const submit = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      unwrap(await strata.registries.login({ registry: registry.trim(), username, password }));
      setPassword('');
      closeDialog();
      await queryClient.invalidateQueries({ queryKey: ['registries'] });
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
      setBusy(false);
    }
  };

  return (
    <Dialog
      label="Log in to a registry"
      title="Log in to a registry"
      onClose={closeDialog}
      footer={
        <>
          <span className="spacer" />
          <button type="button" className="button" onClick={closeDialog}>
            Cancel
          </button>
          <button type="submit" form="login-form" className="button button-primary" disabled={!canSubmit}>
            {busy ? 'Checking…' : 'Log in'}
          </button>
        </>
      }
    >
      <form
        id="login-form"
        className="login-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (canSubmit) void submit();
        }}
      >
        <Field id="login-registry" label="Registry" error={invalidReason} wrap>
          {(control) => (
            <input
              {...control}
              className={inputClass('input input-wide', invalidReason)}
              value={registry}
              onChange={(event) => setRegistry(event.target.value)}
              placeholder="registry.example.com or 127.0.0.1:5000"
              autoComplete="off"
              spellCheck={false}
            />
          )}
        </Field>
        <Field id="login-username" label="User name" wrap>
          {(control) => (
            <input
              {...control}
              className="input input-wide"
              value={username}
              onChange={(event) => setUsername(event.target.value)}
              autoComplete="username"
              spellCheck={false}
            />
          )}
        </Field>
        <Field id="login-password" label="Password or access token" hint={storageHint(storage.data)} wrap>
          {(control) => (
            <input
              {...control}
              type="password"
              className="input input-wide"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              autoComplete="current-password"
            />
          )}
        </Field>
      </form>
      {error === undefined ? null : <ErrorNotice>{error}</ErrorNotice>}
    </Dialog>
  );
}
