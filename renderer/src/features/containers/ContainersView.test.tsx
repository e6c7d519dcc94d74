// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ContainerSummary } from '../../../../shared/api';
import { resetUi, useUi } from '../../app/uiStore';
import { CONNECTED, createFakeBridge, hex, type FakeHandlers } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';
import { ContainersView } from './ContainersView';

beforeEach(() => {
  resetUi();
  useUi.getState().setView('containers');
});
afterEach(cleanup);

function container(partial: Partial<ContainerSummary> & { readonly id: string; readonly name: string }) {
  return {
    engineId: 'default',
    image: 'lab/app:1.0',
    imageId: hex('a'),
    command: 'sleep 100000',
    created: Math.floor(Date.now() / 1000) - 3600,
    state: 'running',
    status: 'Up 1 hour',
    labels: {},
    health: null,
    ports: [],
    mounts: [],
    composeProject: null,
    sizeRw: null,
    sizeRootFs: null,
    ...partial,
  } satisfies ContainerSummary;
}

const RUNNING = container({
  id: hex('1'),
  name: 'lab-running',
  image: 'lab/tool:1.0',
  imageId: hex('b'),
  health: 'healthy',
  status: 'Up 1 hour (healthy)',
  ports: [
    { ip: '0.0.0.0', privatePort: 80, publicPort: 8080, type: 'tcp' },
    { ip: null, privatePort: 443, publicPort: null, type: 'tcp' },
  ],
});
const STOPPED = container({
  id: hex('2'),
  name: 'lab-stopped',
  state: 'exited',
  status: 'Exited (0) 2 hours ago',
  command: 'sh -c true',
});
const WEB = container({ id: hex('3'), name: 'proj-web-1', composeProject: 'proj' });
const DB = container({
  id: hex('4'),
  name: 'proj-db-1',
  composeProject: 'proj',
  state: 'exited',
  status: 'Exited (1)',
});

function setup(list: readonly ContainerSummary[], extra: FakeHandlers = {}) {
  const fake = createFakeBridge({
    'engine.ping': () => ({ ok: true, value: CONNECTED }),
    'containers.list': (args) => ({
      ok: true,
      value: list.map((c) => (args.size === true ? { ...c, sizeRw: 12_300, sizeRootFs: 5_000_000 } : c)),
    }),
    ...extra,
  });
  renderWith(fake, <ContainersView />);
  return fake;
}

const rowOf = async (name: string): Promise<HTMLElement> => screen.findByRole('row', { name });

describe('ContainersView', () => {
  it('lists containers with image, state, health, ports and command, compose projects grouped', async () => {
    setup([RUNNING, STOPPED, WEB, DB]);
    const running = await rowOf('lab-running');
    expect(within(running).getByRole('button', { name: 'lab-running' })).toBeTruthy();
    expect(within(running).getByRole('button', { name: 'Image lab/tool:1.0 of lab-running' }).textContent).toBe(
      'lab/tool:1.0',
    );
    expect(running.textContent).toContain('running');
    expect(running.textContent).toContain('healthy');
    expect(running.textContent).toContain('Up 1 hour (healthy)');
    expect(running.textContent).toContain('0.0.0.0:8080→80/tcp');
    expect(running.textContent).toContain('443/tcp');
    expect(running.textContent).toContain('sleep 100000');
    expect(running.textContent).toContain('About an hour ago');
    expect((await rowOf('lab-stopped')).textContent).toContain('Exited (0) 2 hours ago');

    const project = screen.getByRole('rowgroup', { name: 'Compose project proj' });
    expect(project.textContent).toContain('2 containers, 1 running');
    const names = within(project)
      .getAllByRole('row')
      .map((r) => r.getAttribute('aria-label'));
    expect(names).toEqual([null, 'proj-db-1', 'proj-web-1']);
    const others = screen.getByRole('rowgroup', { name: 'Other containers' });
    expect(within(others).queryByRole('row', { name: 'proj-web-1' })).toBeNull();
    expect(within(others).getByRole('row', { name: 'lab-running' })).toBeTruthy();
    expect(screen.getByText('4 containers · 2 running')).toBeTruthy();
  });

  it('filters by text and "Running only"', async () => {
    setup([RUNNING, STOPPED, WEB, DB]);
    await rowOf('lab-running');
    fireEvent.click(screen.getByLabelText('Running only'));
    expect(screen.queryByRole('row', { name: 'lab-stopped' })).toBeNull();
    expect(screen.getByRole('row', { name: 'proj-web-1' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Filter containers'), { target: { value: 'TOOL' } });
    expect(screen.getByRole('row', { name: 'lab-running' })).toBeTruthy();
    expect(screen.queryByRole('row', { name: 'proj-web-1' })).toBeNull();
    fireEvent.change(screen.getByLabelText('Filter containers'), { target: { value: 'nothing-like-this' } });
    expect(screen.getByText('No matching containers')).toBeTruthy();
  });

  it('fetches sizes only when asked', async () => {
    const fake = setup([RUNNING]);
    const row = await rowOf('lab-running');
    expect(fake.callsOf('containers.list')).toEqual([{ all: true }]);
    expect(row.textContent).not.toContain('12.3kB');
    fireEvent.click(screen.getByRole('button', { name: 'Show sizes' }));
    await waitFor(() => expect(row.textContent).toContain('12.3kB'));
    expect(row.textContent).toContain('virtual 5MB');
    expect(fake.callsOf('containers.list')).toContainEqual({ all: true, size: true });
  });

  it('opens the container, its image and its logs', async () => {
    setup([RUNNING]);
    const row = await rowOf('lab-running');
    fireEvent.click(within(row).getByRole('button', { name: 'lab-running' }));
    expect(useUi.getState().containerTarget).toEqual({ id: RUNNING.id, name: 'lab-running' });
    expect(useUi.getState().view).toBe('container');
    useUi.getState().setView('containers');
    fireEvent.click(within(await rowOf('lab-running')).getByRole('button', { name: /^Image lab\/tool/ }));
    expect(useUi.getState().detailsTarget).toEqual({ imageId: RUNNING.imageId, label: 'lab/tool:1.0' });
    useUi.getState().setView('containers');
    fireEvent.click(within(await rowOf('lab-running')).getByRole('button', { name: 'Logs of lab-running' }));
    expect(useUi.getState().containerTarget).toEqual({ id: RUNNING.id, name: 'lab-running', tab: 'logs' });
  });

  it('offers the actions the state allows and runs them, showing engine errors plainly', async () => {
    const fake = setup([RUNNING, STOPPED], {
      'containers.action': (args) =>
        args.action === 'pause'
          ? { ok: false, error: { code: 'conflict', message: 'Container lab-running is restarting, wait.' } }
          : { ok: true, value: { container: args.container, action: args.action, changed: true } },
    });
    const running = await rowOf('lab-running');
    const actionNames = (row: HTMLElement) =>
      within(row)
        .getAllByRole('button')
        .map((b) => b.textContent);
    expect(actionNames(running)).toEqual([
      'lab-running',
      'lab/tool:1.0',
      'Stop…',
      'Restart',
      'Pause',
      'Kill',
      'Remove…',
      'Rename…',
      'Logs',
    ]);
    expect(actionNames(await rowOf('lab-stopped'))).toEqual([
      'lab-stopped',
      'lab/app:1.0',
      'Start',
      'Remove…',
      'Rename…',
      'Logs',
    ]);
    fireEvent.click(within(await rowOf('lab-stopped')).getByRole('button', { name: 'Start lab-stopped' }));
    await waitFor(() =>
      expect(fake.callsOf('containers.action')).toEqual([{ container: STOPPED.id, action: 'start' }]),
    );
    fireEvent.click(within(running).getByRole('button', { name: 'Pause lab-running' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Could not pause lab-running: Container lab-running is restarting, wait.',
    );
  });

  it('stops with the timeout asked for', async () => {
    const fake = setup([RUNNING], {
      'containers.action': (args) => ({
        ok: true,
        value: { container: args.container, action: args.action, changed: true },
      }),
    });
    fireEvent.click(within(await rowOf('lab-running')).getByRole('button', { name: 'Stop lab-running' }));
    const dialog = screen.getByRole('dialog', { name: 'Stop container' });
    const field = within(dialog).getByLabelText<HTMLInputElement>('Timeout (seconds)');
    expect(field.value).toBe('10');
    fireEvent.change(field, { target: { value: 'soon' } });
    expect(within(dialog).getByRole('button', { name: 'Stop' })).toHaveProperty('disabled', true);
    fireEvent.change(field, { target: { value: '3' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(fake.callsOf('containers.action')).toEqual([{ container: RUNNING.id, action: 'stop', timeoutSeconds: 3 }]);
  });

  it('removes after a confirm, forcing a running one only when ticked', async () => {
    const fake = setup([RUNNING], {
      'containers.action': (args) => ({
        ok: true,
        value: { container: args.container, action: args.action, changed: true },
      }),
    });
    fireEvent.click(within(await rowOf('lab-running')).getByRole('button', { name: 'Remove lab-running' }));
    const dialog = screen.getByRole('dialog', { name: 'Remove container' });
    expect(dialog.textContent).toContain('lab-running is running: it must be forced');
    const remove = within(dialog).getByRole('button', { name: 'Remove' });
    expect(remove).toHaveProperty('disabled', true);
    fireEvent.click(within(dialog).getByLabelText('Force (kills it first)'));
    fireEvent.click(within(dialog).getByLabelText('Also remove its anonymous volumes'));
    fireEvent.click(remove);
    await waitFor(() =>
      expect(fake.callsOf('containers.action')).toEqual([
        { container: RUNNING.id, action: 'remove', removeVolumes: true, force: true },
      ]),
    );
  });

  it('renames with the name checked first', async () => {
    const fake = setup([STOPPED], {
      'containers.rename': (args) => ({ ok: true, value: { id: STOPPED.id, name: args.name } }),
    });
    fireEvent.click(within(await rowOf('lab-stopped')).getByRole('button', { name: 'Rename lab-stopped' }));
    const dialog = screen.getByRole('dialog', { name: 'Rename container' });
    const field = within(dialog).getByLabelText('New name');
    fireEvent.change(field, { target: { value: 'bad name!' } });
    expect(dialog.textContent).toContain('A container name is letters, digits');
    expect(within(dialog).getByRole('button', { name: 'Rename' })).toHaveProperty('disabled', true);
    fireEvent.change(field, { target: { value: 'renamed-1' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Rename' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(fake.callsOf('containers.rename')).toEqual([{ container: STOPPED.id, name: 'renamed-1' }]);
  });

  it('removes the checked containers with one result per item, then force-removes the running ones', async () => {
    const fake = setup([RUNNING, STOPPED, WEB], {
      'containers.actionMany': (args) => ({
        ok: true,
        value: args.containers.map((id) =>
          id === STOPPED.id || args.force === true
            ? { container: id, ok: true as const, changed: true }
            : {
                container: id,
                ok: false as const,
                error: { code: 'conflict' as const, message: `You cannot remove a running container ${id}.` },
              },
        ),
      }),
    });
    await rowOf('lab-running');
    fireEvent.click(screen.getByLabelText('Select lab-running'));
    fireEvent.click(screen.getByLabelText('Select lab-stopped'));
    fireEvent.click(screen.getByLabelText('Select proj-web-1'));
    const bar = screen.getByRole('toolbar', { name: 'Checked containers' });
    expect(bar.textContent).toContain('3 checked');
    fireEvent.click(within(bar).getByRole('button', { name: 'Remove 3…' }));
    const dialog = screen.getByRole('dialog', { name: 'Remove containers' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove 3' }));
    expect((await within(dialog).findByRole('status')).textContent).toBe('1 of 3 done; 2 failed.');
    expect(within(dialog).getByRole('listitem', { name: 'lab-stopped: removed' })).toBeTruthy();
    expect(within(dialog).getByRole('listitem', { name: 'lab-running: failed' }).textContent).toContain(
      'You cannot remove a running container',
    );
    fireEvent.click(within(dialog).getByRole('button', { name: 'Force remove the 2 that are running' }));
    await waitFor(() => expect(within(dialog).getByRole('status').textContent).toBe('All 3 done.'));
    expect(fake.callsOf('containers.actionMany')).toEqual([
      { containers: [RUNNING.id, STOPPED.id, WEB.id], action: 'remove', removeVolumes: false, force: false },
      { containers: [RUNNING.id, WEB.id], action: 'remove', removeVolumes: false, force: true },
    ]);
  });

  it('starts and stops the checked containers', async () => {
    const fake = setup([RUNNING, STOPPED], {
      'containers.actionMany': (args) => ({
        ok: true,
        value: args.containers.map((id) => ({ container: id, ok: true as const, changed: id !== RUNNING.id })),
      }),
    });
    await rowOf('lab-running');
    fireEvent.click(screen.getByLabelText('Select all shown containers'));
    fireEvent.click(screen.getByRole('button', { name: 'Start 2…' }));
    const dialog = screen.getByRole('dialog', { name: 'Start containers' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Start 2' }));
    await within(dialog).findByRole('listitem', { name: 'lab-running: already running' });
    expect(within(dialog).getByRole('listitem', { name: 'lab-stopped: started' })).toBeTruthy();
    fireEvent.click(within(dialog).getByText('Close'));
    fireEvent.click(screen.getByRole('button', { name: 'Stop 2…' }));
    const stop = screen.getByRole('dialog', { name: 'Stop containers' });
    fireEvent.change(within(stop).getByLabelText('Timeout (seconds)'), { target: { value: '0' } });
    fireEvent.click(within(stop).getByRole('button', { name: 'Stop 2' }));
    await within(stop).findByRole('status');
    expect(fake.callsOf('containers.actionMany')).toEqual([
      { containers: [RUNNING.id, STOPPED.id], action: 'start' },
      { containers: [RUNNING.id, STOPPED.id], action: 'stop', timeoutSeconds: 0 },
    ]);
  });

  it('opens the Run dialog', async () => {
    setup([]);
    expect(await screen.findByText('No containers yet')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Run…' }));
    expect(useUi.getState().dialog).toEqual({ kind: 'run', image: undefined });
  });
});
