// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ContainerSummary } from '../../../../shared/api';
import { useUi, resetUi } from '../../app/uiStore';
import { CONNECTED, createFakeBridge, hex, type FakeHandlers } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';
import { CommitDialog } from './CommitDialog';

beforeEach(() => {
  resetUi();
  useUi.getState().setView('containers');
});
afterEach(cleanup);

const STOPPED: ContainerSummary = {
  engineId: 'default',
  id: 'c'.repeat(64),
  name: 'lab-stopped',
  image: 'lab/app:1.0',
  imageId: hex('a'),
  command: 'sh',
  created: 1_700_000_000,
  state: 'exited',
  status: 'Exited (0)',
  labels: {},
  health: null,
  ports: [],
  mounts: [],
  composeProject: null,
  sizeRw: null,
  sizeRootFs: null,
};

function setup(container: string | undefined, extra: FakeHandlers = {}) {
  useUi.getState().openDialog({ kind: 'commit', container });
  const fake = createFakeBridge({
    'engine.ping': () => ({ ok: true, value: CONNECTED }),
    'containers.list': () => ({ ok: true, value: [STOPPED] }),
    'images.commit': () => ({ ok: true, value: { imageId: hex('d'), reference: 't-commit/app:1' } }),
    ...extra,
  });
  renderWith(fake, <CommitDialog dialog={{ kind: 'commit', container }} />);
  const dialog = screen.getByRole('dialog', { name: 'Commit container' });
  return { fake, dialog, commit: within(dialog).getByRole('button', { name: 'Commit' }) };
}

describe('CommitDialog', () => {
  it('lists containers, checks each change line, commits and selects the new image', async () => {
    const { fake, dialog, commit } = setup(undefined);
    expect(commit).toHaveProperty('disabled', true);
    await within(dialog).findByRole('option', { name: /lab-stopped — lab\/app:1.0 \(exited\)/ });
    fireEvent.change(within(dialog).getByLabelText('Container'), { target: { value: 'lab-stopped' } });
    fireEvent.change(within(dialog).getByLabelText('Image name'), { target: { value: 't-commit/app:1' } });
    fireEvent.change(within(dialog).getByLabelText('Author'), { target: { value: 'Me' } });
    fireEvent.change(within(dialog).getByLabelText('Message'), { target: { value: 'snapshot' } });
    fireEvent.change(within(dialog).getByLabelText('Dockerfile changes'), {
      target: { value: 'CMD ["echo", "hi"]\n\nRUN rm -rf /\nLABEL a=b' },
    });
    expect(dialog.textContent).toContain('Line 3 (RUN rm -rf /): A change is one Dockerfile instruction');
    expect(commit).toHaveProperty('disabled', true);
    fireEvent.change(within(dialog).getByLabelText('Dockerfile changes'), {
      target: { value: 'CMD ["echo", "hi"]\nLABEL a=b' },
    });
    fireEvent.click(within(dialog).getByLabelText('Pause the container while committing'));
    expect(commit).toHaveProperty('disabled', false);
    fireEvent.click(commit);
    await waitFor(() =>
      expect(fake.callsOf('images.commit')).toEqual([
        {
          container: 'lab-stopped',
          reference: 't-commit/app:1',
          author: 'Me',
          message: 'snapshot',
          changes: ['CMD ["echo", "hi"]', 'LABEL a=b'],
          pause: false,
        },
      ]),
    );
    await waitFor(() => expect(useUi.getState().dialog).toBeUndefined());
    expect(useUi.getState().highlight).toBe('t-commit/app:1');
    expect(useUi.getState().view).toBe('images');
  });

  it('presets the container, checks the name, and shows the engine error', async () => {
    const { dialog, commit } = setup('lab-stopped', {
      'images.commit': () => ({
        ok: false,
        error: { code: 'not_found', message: 'There is no container lab-stopped; pick one from the list.' },
      }),
    });
    expect(within(dialog).getByLabelText<HTMLSelectElement>('Container').value).toBe('lab-stopped');
    fireEvent.change(within(dialog).getByLabelText('Image name'), { target: { value: 'Bad Name' } });
    expect(dialog.textContent).toContain('is not a valid image reference');
    expect(commit).toHaveProperty('disabled', true);
    fireEvent.change(within(dialog).getByLabelText('Image name'), { target: { value: '' } });
    fireEvent.click(commit);
    expect((await within(dialog).findByRole('alert')).textContent).toContain('There is no container lab-stopped');
    expect(useUi.getState().dialog).toEqual({ kind: 'commit', container: 'lab-stopped' });
  });
});
