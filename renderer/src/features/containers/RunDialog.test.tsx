// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { resetUi, useUi } from '../../app/uiStore';
import { CONNECTED, createFakeBridge, hex, type FakeHandlers } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';
import { RunDialog } from './RunDialog';

beforeEach(() => {
  resetUi();
  useUi.getState().setView('containers');
});
afterEach(cleanup);

function setup(image: string | undefined, extra: FakeHandlers = {}) {
  useUi.getState().openDialog({ kind: 'run', image });
  const fake = createFakeBridge({
    'engine.ping': () => ({ ok: true, value: CONNECTED }),
    'containers.run': () => ({ ok: true, value: { id: hex('9'), name: 'web-1', warnings: [], exitCode: null } }),
    ...extra,
  });
  renderWith(fake, <RunDialog dialog={{ kind: 'run', image }} />);
  const dialog = screen.getByRole('dialog', { name: 'Run container' });
  const change = (label: string, value: string): void => {
    fireEvent.change(within(dialog).getByLabelText(label), { target: { value } });
  };
  return { fake, dialog, change, run: within(dialog).getByRole('button', { name: 'Run' }) };
}

describe('RunDialog', () => {
  it('runs a filled form, shows the argv it will use, and opens the new container', async () => {
    const { fake, dialog, change, run } = setup('lab/app:1.0');
    expect(within(dialog).getByLabelText<HTMLInputElement>('Image').value).toBe('lab/app:1.0');
    change('Name', 'web-1');
    change('Command', `sh -c 'echo "hi there"; sleep 5'`);
    expect(dialog.textContent).toContain('argv: ["sh", "-c", "echo \\"hi there\\"; sleep 5"]');
    change('Environment', 'A=1\nB=two words');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add port' }));
    change('Port 1 host IP', '127.0.0.1');
    change('Port 1 host port', '8080');
    change('Port 1 container port', '80');
    fireEvent.change(within(dialog).getByLabelText('Port 1 protocol'), { target: { value: 'udp' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add volume' }));
    change('Volume 1 source', 'data-vol');
    change('Volume 1 target', '/data');
    fireEvent.click(within(dialog).getByLabelText('Read-only'));
    fireEvent.change(within(dialog).getByLabelText('Restart policy'), { target: { value: 'on-failure' } });
    change('Max retries', '2');
    change('Working directory', '/srv');
    change('User', 'nobody');
    change('Labels', 'team=infra');
    fireEvent.click(within(dialog).getByLabelText('Allocate a TTY'));
    fireEvent.click(run);
    await waitFor(() => expect(useUi.getState().dialog).toBeUndefined());
    expect(fake.callsOf('containers.run')).toEqual([
      {
        image: 'lab/app:1.0',
        name: 'web-1',
        command: ['sh', '-c', 'echo "hi there"; sleep 5'],
        entrypoint: [],
        env: ['A=1', 'B=two words'],
        ports: [{ containerPort: 80, protocol: 'udp', hostPort: 8080, hostIp: '127.0.0.1' }],
        volumes: [{ source: 'data-vol', target: '/data', readOnly: true }],
        restartPolicy: 'on-failure',
        maxRetries: 2,
        autoRemove: false,
        workingDir: '/srv',
        user: 'nobody',
        labels: { team: 'infra' },
        tty: true,
        detach: true,
      },
    ]);
    expect(useUi.getState().view).toBe('container');
    expect(useUi.getState().containerTarget).toEqual({ id: hex('9'), name: 'web-1' });
  });

  it('opens the logs tab after an attached run', async () => {
    const { run, dialog } = setup('lab/app:1.0', {
      'containers.run': () => ({ ok: true, value: { id: hex('8'), name: 'quick', warnings: [], exitCode: 0 } }),
    });
    fireEvent.click(within(dialog).getByLabelText('Attached (wait for it and show its log)'));
    fireEvent.click(run);
    await waitFor(() => expect(useUi.getState().containerTarget).toEqual({ id: hex('8'), name: 'quick', tab: 'logs' }));
  });

  it('shows each problem next to its field and makes no call', async () => {
    const { fake, dialog, change, run } = setup(undefined);
    expect(within(dialog).queryByText('Give the image to run.')).toBeNull();
    change('Command', 'echo "unclosed');
    expect(within(dialog).getByText('A double quote (") is not closed.')).toBeTruthy();
    change('Environment', 'OK=1\nBROKEN');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add port' }));
    change('Port 1 host port', '99999');
    change('Port 1 container port', '80');
    fireEvent.change(within(dialog).getByLabelText('Restart policy'), { target: { value: 'always' } });
    fireEvent.click(within(dialog).getByLabelText('Remove the container when it exits (auto-remove)'));
    fireEvent.click(run);
    expect(await within(dialog).findByText('Give the image to run.')).toBeTruthy();
    expect(within(dialog).getByText('Line 2 (BROKEN): An environment entry is NAME=value.')).toBeTruthy();
    expect(within(dialog).getByText(/^Port 1: .*65535/)).toBeTruthy();
    expect(within(dialog).getByText('Auto-remove cannot be combined with a restart policy: choose one.')).toBeTruthy();
    expect(run).toHaveProperty('disabled', true);
    expect(fake.callsOf('containers.run')).toEqual([]);
  });

  it('keeps the form and shows the engine error plainly', async () => {
    const { dialog, change, run } = setup('lab/app:1.0', {
      'containers.run': () => ({
        ok: false,
        error: { code: 'conflict', message: 'The container name "/web-1" is already in use.' },
      }),
    });
    change('Name', 'web-1');
    fireEvent.click(run);
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'Could not run lab/app:1.0: The container name "/web-1" is already in use.',
    );
    expect(useUi.getState().dialog).toEqual({ kind: 'run', image: 'lab/app:1.0' });
    expect(within(dialog).getByLabelText<HTMLInputElement>('Name').value).toBe('web-1');
  });
  it('does not navigate when the dialog was closed before an attached run ended', async () => {
    let finish: () => void = () => undefined;
    const { run, dialog, fake } = setup('lab/app:1.0', {
      'containers.run': () =>
        new Promise((resolve) => {
          finish = () => resolve({ ok: true, value: { id: hex('7'), name: 'slow', warnings: [], exitCode: 0 } });
        }),
    });
    fireEvent.click(within(dialog).getByLabelText('Attached (wait for it and show its log)'));
    fireEvent.click(run);
    await waitFor(() => expect(fake.callsOf('containers.run')).toHaveLength(1));
    expect(within(dialog).getByRole('button', { name: 'Running…' })).toHaveProperty('disabled', true);
    fireEvent.click(within(dialog).getByText('Cancel'));
    cleanup();
    useUi.getState().openDialog({ kind: 'prune' });
    finish();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(useUi.getState().view).toBe('containers');
    expect(useUi.getState().dialog).toEqual({ kind: 'prune' });
  });
});
