/** The Containers view's small dialogs for one container: stop (timeout), remove (volumes, force), rename. */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { containerNameSchema } from '../../../../shared/api';
import { toErrorShape, type ErrorShape } from '../../../../shared/errors';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { Dialog } from '../../ui/Dialog';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Field, inputClass } from '../../ui/Field';
import { needsForce } from './containersViewModel';
import { DEFAULT_STOP_TIMEOUT, parseTimeout, TimeoutField } from './TimeoutField';
import { useContainerAction, type ContainerItem } from './useContainerAction';

interface SingleProps {
  readonly item: ContainerItem;
  readonly onClose: () => void;
}

/** Stop one container, asking for the timeout first. */
export function StopDialog({ item, onClose }: SingleProps) {
  const act = useContainerAction();
  const [timeout, setTimeoutText] = useState(DEFAULT_STOP_TIMEOUT);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | undefined>(undefined);
  const seconds = parseTimeout(timeout);
  const submit = async (): Promise<void> => {
    if (seconds === undefined) return;
    setBusy(true);
    setError(undefined);
    const failed = await act(item, 'stop', { timeoutSeconds: seconds });
    setBusy(false);
    if (failed === undefined) onClose();
    else setError(failed);
  };
  return (
    <Dialog
      label="Stop container"
      title={`Stop ${item.label}?`}
      onClose={onClose}
      footer={
        <>
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form="stop-form"
            className="button button-primary"
            disabled={busy || seconds === undefined}
          >
            {busy ? 'Stopping…' : 'Stop'}
          </button>
        </>
      }
    >
      <form
        id="stop-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <TimeoutField value={timeout} onChange={setTimeoutText} />
      </form>
      {error === undefined ? null : (
        <ErrorNotice>
          Could not stop {item.label}: {error.message}
        </ErrorNotice>
      )}
    </Dialog>
  );
}

/** Remove one container: confirm, with its anonymous volumes or not, and force for a running one. */
export function RemoveContainerDialog({ item, onClose }: SingleProps) {
  const act = useContainerAction();
  const mustForce = needsForce(item.state);
  const [removeVolumes, setRemoveVolumes] = useState(false);
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | undefined>(undefined);
  const submit = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    const failed = await act(item, 'remove', { removeVolumes, force });
    setBusy(false);
    if (failed === undefined) onClose();
    else setError(failed);
  };
  return (
    <Dialog
      label="Remove container"
      title={`Remove ${item.label}?`}
      onClose={onClose}
      footer={
        <>
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={busy || (mustForce && !force)}
            onClick={() => void submit()}
          >
            {busy ? 'Removing…' : 'Remove'}
          </button>
        </>
      }
    >
      <p>The container and its writable layer are deleted; this cannot be undone.</p>
      {mustForce ? (
        <p className="notice notice-warning">
          {item.label} is {item.state}: it must be forced (killed first) to be removed.
        </p>
      ) : null}
      <label className="checkbox">
        <input type="checkbox" checked={removeVolumes} onChange={(event) => setRemoveVolumes(event.target.checked)} />
        Also remove its anonymous volumes
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={force} onChange={(event) => setForce(event.target.checked)} />
        Force (kills it first)
      </label>
      {error === undefined ? null : (
        <ErrorNotice>
          Could not remove {item.label}: {error.message}
        </ErrorNotice>
      )}
    </Dialog>
  );
}

/** Rename one container; the new name is checked before the call. */
export function RenameDialog({ item, onClose }: SingleProps) {
  const strata = useStrata();
  const queryClient = useQueryClient();
  const [name, setName] = useState(item.label);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | undefined>(undefined);
  const check = containerNameSchema.safeParse(name.trim());
  const problem = check.success ? undefined : (check.error.issues[0]?.message ?? 'Not a container name.');
  const unchanged = name.trim() === item.label;
  const submit = async (): Promise<void> => {
    if (!check.success || unchanged) return;
    setBusy(true);
    setError(undefined);
    try {
      unwrap(await strata.containers.rename({ container: item.id, name: check.data }));
      onClose();
    } catch (caught) {
      setError(toErrorShape(caught));
    } finally {
      setBusy(false);
      await queryClient.invalidateQueries({ queryKey: ['containers'] });
    }
  };
  return (
    <Dialog
      label="Rename container"
      title={`Rename ${item.label}`}
      onClose={onClose}
      footer={
        <>
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form="rename-form"
            className="button button-primary"
            disabled={busy || problem !== undefined || unchanged}
          >
            {busy ? 'Renaming…' : 'Rename'}
          </button>
        </>
      }
    >
      <form
        id="rename-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Field
          id="rename-name"
          label="New name"
          error={problem}
          hint={'Letters, digits, "_", "." and "-", starting with a letter or digit.'}
          messageId="rename-hint"
        >
          {(control) => (
            <input
              {...control}
              className={inputClass('input input-wide', problem)}
              value={name}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => setName(event.target.value)}
            />
          )}
        </Field>
      </form>
      {error === undefined ? null : (
        <ErrorNotice>
          Could not rename {item.label}: {error.message}
        </ErrorNotice>
      )}
    </Dialog>
  );
}
