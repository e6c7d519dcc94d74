// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ContainerDetails, FileChange, LogLine } from '../../../../shared/api';
import { resetUi, useUi } from '../../app/uiStore';
import { CONNECTED, createFakeBridge, hex, type FakeHandlers } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';
import { ContainerView } from './ContainerView';

beforeEach(resetUi);
afterEach(cleanup);

const ID = hex('c');
const IMAGE_ID = hex('a');
const DETAILS: ContainerDetails = {
  engineId: 'default',
  id: ID,
  name: 'web-1',
  image: 'lab/app:1.0',
  imageId: IMAGE_ID,
  created: '2026-01-02T03:04:05.123456789Z',
  startedAt: '2026-01-02T03:04:06Z',
  finishedAt: '0001-01-01T00:00:00Z',
  state: 'running',
  exitCode: 0,
  error: null,
  health: 'healthy',
  tty: false,
  entrypoint: ['/bin/sh', '-c'],
  command: ['echo hi; sleep 100'],
  env: ['PATH=/usr/bin', 'A=b=c'],
  workingDir: '/app',
  user: 'app',
  ports: [{ ip: '0.0.0.0', privatePort: 80, publicPort: 8080, type: 'tcp' }],
  mounts: [
    { type: 'volume', name: 'data', source: '/var/lib/docker/volumes/data', destination: '/data', readOnly: false },
  ],
  restartPolicy: 'on-failure:3',
  autoRemove: false,
  networkMode: 'none',
  labels: { evil: '<img src=x onerror=alert(1)>', 'com.docker.compose.project': 'shop' },
  raw: { Id: ID, Name: '/web-1', Config: { Hostname: 'abc123' } },
};

const out = (text: string): LogLine => ({ stream: 'stdout', text, time: '2026-01-02T03:04:07.5Z' });
const err = (text: string): LogLine => ({ stream: 'stderr', text, time: '2026-01-02T03:04:08Z' });

function setup(extra: FakeHandlers = {}, details: ContainerDetails = DETAILS, tab?: 'logs' | 'stats' | 'changes') {
  useUi.getState().openContainer({ id: ID, name: 'web-1', ...(tab === undefined ? {} : { tab }) });
  let watch = 0;
  const fake = createFakeBridge({
    'engine.ping': () => ({ ok: true, value: CONNECTED }),
    'containers.list': () => ({ ok: true, value: [] }),
    'containers.inspect': () => ({ ok: true, value: details }),
    'containers.logsWatch': () => ({ ok: true, value: { watchId: `logs-${++watch}` } }),
    'containers.statsWatch': () => ({ ok: true, value: { watchId: `stats-${++watch}` } }),
    'watches.stop': () => ({ ok: true, value: { stopped: true } }),
    'watches.renew': (args) => ({ ok: true, value: { alive: [...args.watchIds] } }),
    ...extra,
  });
  const rendered = renderWith(fake, <ContainerView />);
  return { fake, ...rendered };
}

const field = (name: string): string | null =>
  within(screen.getByLabelText('Key fields')).getByText(name, { selector: 'dt' }).nextElementSibling?.textContent ??
  null;

describe('ContainerView overview', () => {
  it('shows the key fields, env and labels as text', async () => {
    setup();
    expect(await screen.findByRole('heading', { name: 'web-1', level: 1 })).toBeTruthy();
    await screen.findByLabelText('Key fields');
    expect(screen.getByLabelText('State: running (healthy)')).toBeTruthy();
    expect(field('ID')).toBe(ID);
    expect(field('Command')).toBe('"echo hi; sleep 100"');
    expect(field('Entrypoint')).toBe('/bin/sh -c');
    expect(field('Finished')).toBe('not yet');
    expect(field('Ports')).toBe('0.0.0.0:8080->80/tcp');
    expect(field('Mounts')).toBe('volume data → /data');
    expect(field('Restart policy')).toBe('on-failure:3');
    expect(field('Network mode')).toBe('none');
    expect(field('Health')).toBe('healthy');
    const env = screen.getByRole('table', { name: 'Environment' });
    expect(within(env).getByText('b=c')).toBeTruthy();
    const labels = screen.getByRole('table', { name: 'Labels' });
    expect(within(labels).getByText('<img src=x onerror=alert(1)>')).toBeTruthy();
    expect(document.querySelector('img')).toBeNull();
  });

  it('opens the image it was created from', async () => {
    setup();
    fireEvent.click(await screen.findByRole('button', { name: 'lab/app:1.0' }));
    expect(useUi.getState().view).toBe('details');
    expect(useUi.getState().detailsTarget).toEqual({ imageId: IMAGE_ID, label: 'lab/app:1.0' });
  });

  it('says when the container is gone, with a way back', async () => {
    setup({ 'containers.inspect': () => ({ ok: false, error: { code: 'not_found', message: 'No such container' } }) });
    expect(await screen.findByRole('heading', { name: 'web-1 is gone' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Back to Containers' }));
    expect(useUi.getState().view).toBe('containers');
  });

  it('searches the raw JSON', async () => {
    setup();
    fireEvent.click(await screen.findByRole('tab', { name: 'Raw JSON' }));
    fireEvent.change(screen.getByLabelText('Search the raw JSON'), { target: { value: 'abc123' } });
    expect(screen.getByTestId('raw-json').querySelectorAll('mark')).toHaveLength(1);
    expect(screen.getByText('1 match')).toBeTruthy();
  });
});

describe('ContainerView actions', () => {
  it('offers the actions the state allows and runs them', async () => {
    const { fake } = setup({
      'containers.action': (args) => ({
        ok: true,
        value: { container: args.container, action: args.action, changed: true },
      }),
    });
    const bar = await screen.findByRole('toolbar', { name: 'Container actions' });
    expect(within(bar).getByRole<HTMLButtonElement>('button', { name: 'Start' }).disabled).toBe(true);
    expect(within(bar).getByRole<HTMLButtonElement>('button', { name: 'Unpause' }).disabled).toBe(true);
    fireEvent.click(within(bar).getByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(fake.callsOf('containers.action')).toEqual([{ container: ID, action: 'stop' }]));
  });

  it('shows an engine refusal plainly', async () => {
    setup({
      'containers.action': () => ({ ok: false, error: { code: 'conflict', message: 'Container web-1 is not paused' } }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Pause' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Container web-1 is not paused');
  });

  it('removes a running container with force after a confirmation, then goes back to the list', async () => {
    const { fake } = setup({
      'containers.action': (args) => ({
        ok: true,
        value: { container: args.container, action: args.action, changed: true },
      }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Remove…' }));
    const confirm = screen.getByRole('group', { name: 'Remove container' });
    expect(confirm.textContent).toContain('killed first');
    fireEvent.click(within(confirm).getByLabelText('Also remove its anonymous volumes'));
    fireEvent.click(within(confirm).getByRole('button', { name: 'Force remove' }));
    await waitFor(() => expect(useUi.getState().view).toBe('containers'));
    expect(fake.callsOf('containers.action')).toEqual([
      { container: ID, action: 'remove', force: true, removeVolumes: true },
    ]);
  });

  it('opens the commit dialog for this container', async () => {
    setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Commit…' }));
    expect(useUi.getState().dialog).toEqual({ kind: 'commit', container: ID });
  });
});

describe('ContainerView logs', () => {
  it('streams lines, marks stderr in words and colour, and counts dropped lines', async () => {
    const { fake } = setup({}, DETAILS, 'logs');
    await waitFor(() => expect(fake.callsOf('containers.logsWatch')).toHaveLength(1));
    expect(fake.callsOf('containers.logsWatch')[0]).toEqual({
      container: ID,
      follow: true,
      timestamps: true,
      tail: 1000,
    });
    act(() =>
      fake.emit({ type: 'watch.logs', watchId: 'logs-1', lines: [out('hello-out'), err('hello-err')], dropped: 0 }),
    );
    act(() => fake.emit({ type: 'watch.logs', watchId: 'someone-else', lines: [out('not mine')], dropped: 0 }));
    const log = screen.getByRole('log', { name: 'Container log' });
    const errLine = within(log).getByText('hello-err').closest('.log-line')!;
    expect(errLine.classList.contains('log-stderr')).toBe(true);
    expect(errLine.textContent).toContain('ERR');
    const outLine = within(log).getByText('hello-out').closest('.log-line')!;
    expect(outLine.textContent).not.toContain('ERR');
    expect(within(log).queryByText('not mine')).toBeNull();
    expect(screen.getByText('2 lines')).toBeTruthy();

    act(() => fake.emit({ type: 'watch.logs', watchId: 'logs-1', lines: [out('<b>tick</b>')], dropped: 7 }));
    expect(within(log).getByText('<b>tick</b>')).toBeTruthy();
    expect(log.querySelector('b')).toBeNull();
    expect(screen.getByText(/7 lines dropped/)).toBeTruthy();
  });

  it('shows timestamps on demand without restarting the watch', async () => {
    const { fake } = setup({}, DETAILS, 'logs');
    await waitFor(() => expect(fake.callsOf('containers.logsWatch')).toHaveLength(1));
    act(() => fake.emit({ type: 'watch.logs', watchId: 'logs-1', lines: [out('hello')], dropped: 0 }));
    expect(screen.queryByText('2026-01-02 03:04:07.500')).toBeNull();
    fireEvent.click(screen.getByLabelText('Timestamps'));
    expect(screen.getByText('2026-01-02 03:04:07.500')).toBeTruthy();
    expect(fake.callsOf('containers.logsWatch')).toHaveLength(1);
  });

  it('searches: highlights matches, counts them, steps through them', async () => {
    const { fake } = setup({}, DETAILS, 'logs');
    await waitFor(() => expect(fake.callsOf('containers.logsWatch')).toHaveLength(1));
    act(() =>
      fake.emit({
        type: 'watch.logs',
        watchId: 'logs-1',
        lines: [out('GET /a 200'), out('GET /b 500'), err('error: boom'), out('GET /c 500')],
        dropped: 0,
      }),
    );
    fireEvent.change(screen.getByLabelText('Search the log'), { target: { value: '500' } });
    expect(screen.getByRole('status', { name: 'Matches' }).textContent).toBe('2 lines match');
    const log = screen.getByRole('log', { name: 'Container log' });
    expect([...log.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['500', '500']);
    fireEvent.click(screen.getByRole('button', { name: 'Next match' }));
    expect(screen.getByRole('status', { name: 'Matches' }).textContent).toBe('1 of 2 lines');
    expect(log.querySelector('.is-current')?.textContent).toContain('GET /b 500');
    fireEvent.click(screen.getByRole('button', { name: 'Next match' }));
    expect(log.querySelector('.is-current')?.textContent).toContain('GET /c 500');
    fireEvent.click(screen.getByRole('button', { name: 'Previous match' }));
    expect(log.querySelector('.is-current')?.textContent).toContain('GET /b 500');
    fireEvent.change(screen.getByLabelText('Search the log'), { target: { value: 'nothing' } });
    expect(screen.getByRole('status', { name: 'Matches' }).textContent).toBe('No matches');
  });

  it('keeps at most 5,000 lines and renders only a window of them', async () => {
    const { fake } = setup({}, DETAILS, 'logs');
    await waitFor(() => expect(fake.callsOf('containers.logsWatch')).toHaveLength(1));
    const lines = Array.from({ length: 12_000 }, (_, i) => out(`noisy ${i}`));
    act(() => fake.emit({ type: 'watch.logs', watchId: 'logs-1', lines, dropped: 0 }));
    expect(screen.getByText('5000 lines')).toBeTruthy();
    expect(screen.getByText(/7000 older lines discarded/)).toBeTruthy();
    const rendered = screen.getByRole('log', { name: 'Container log' }).querySelectorAll('.log-line');
    expect(rendered.length).toBeGreaterThan(0);
    expect(rendered.length).toBeLessThan(200);
  });

  it('clears, and says when the log ended, offering to follow again', async () => {
    const { fake } = setup({}, DETAILS, 'logs');
    await waitFor(() => expect(fake.callsOf('containers.logsWatch')).toHaveLength(1));
    act(() => fake.emit({ type: 'watch.logs', watchId: 'logs-1', lines: [out('one'), out('two')], dropped: 0 }));
    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect(screen.queryByText('one')).toBeNull();
    expect(screen.getByText('0 lines')).toBeTruthy();
    act(() => fake.emit({ type: 'watch.end', watchId: 'logs-1', error: null }));
    expect(screen.getByText('Container exited — log ended.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Follow again' }));
    await waitFor(() => expect(fake.callsOf('containers.logsWatch')).toHaveLength(2));
    expect(screen.queryByText('Container exited — log ended.')).toBeNull();
  });

  it('restarts the watch without following when Follow is unticked, and stops it on leaving the tab', async () => {
    const { fake } = setup({}, DETAILS, 'logs');
    await waitFor(() => expect(fake.callsOf('containers.logsWatch')).toHaveLength(1));
    fireEvent.click(screen.getByLabelText('Follow'));
    await waitFor(() => expect(fake.callsOf('containers.logsWatch')).toHaveLength(2));
    expect(fake.callsOf('containers.logsWatch')[1]).toMatchObject({ follow: false });
    expect(fake.callsOf('watches.stop')).toEqual([{ watchId: 'logs-1' }]);
    fireEvent.click(screen.getByRole('tab', { name: 'Overview' }));
    expect(fake.callsOf('watches.stop')).toEqual([{ watchId: 'logs-1' }, { watchId: 'logs-2' }]);
  });

  it('pauses following when the user scrolls up, and resumes at the end', async () => {
    const { fake } = setup({}, DETAILS, 'logs');
    await waitFor(() => expect(fake.callsOf('containers.logsWatch')).toHaveLength(1));
    const log = screen.getByRole('log', { name: 'Container log' });
    // jsdom has no layout: give the box a height and a content height.
    Object.defineProperty(log, 'clientHeight', { configurable: true, value: 180 });
    Object.defineProperty(log, 'scrollHeight', { configurable: true, get: () => 100 * 18 });
    act(() =>
      fake.emit({
        type: 'watch.logs',
        watchId: 'logs-1',
        lines: Array.from({ length: 100 }, (_, i) => out(`line ${i}`)),
        dropped: 0,
      }),
    );
    expect(log.scrollTop).toBe(1800);
    expect(screen.queryByRole('button', { name: 'Following paused — jump to the end' })).toBeNull();
    log.scrollTop = 200;
    fireEvent.scroll(log);
    expect(screen.getByRole('button', { name: 'Following paused — jump to the end' })).toBeTruthy();
    // New lines do not pull the view down while paused.
    act(() => fake.emit({ type: 'watch.logs', watchId: 'logs-1', lines: [out('newer')], dropped: 0 }));
    expect(log.scrollTop).toBe(200);
    fireEvent.click(screen.getByRole('button', { name: 'Following paused — jump to the end' }));
    expect(log.scrollTop).toBe(1800);
  });

  it('follows again by itself when the container is started after its log ended', async () => {
    let state = 'exited';
    const { fake, queryClient } = setup(
      {
        'containers.inspect': () => ({ ok: true, value: { ...DETAILS, state } }),
        'containers.logsWatch': () => ({
          ok: true,
          value: { watchId: `logs-${fake.callsOf('containers.logsWatch').length}` },
        }),
      },
      DETAILS,
      'logs',
    );
    await waitFor(() => expect(fake.callsOf('containers.logsWatch')).toHaveLength(1));
    act(() => fake.emit({ type: 'watch.end', watchId: 'logs-1', error: null }));
    expect(screen.getByText('Container exited — log ended.')).toBeTruthy();
    state = 'running';
    await act(async () => queryClient.invalidateQueries({ queryKey: ['containers'] }));
    await waitFor(() => expect(fake.callsOf('containers.logsWatch')).toHaveLength(2));
    await waitFor(() => expect(screen.queryByText('Container exited — log ended.')).toBeNull());
  });

  it('shows why the log stopped when the watch ends with an error', async () => {
    const { fake } = setup({}, DETAILS, 'logs');
    await waitFor(() => expect(fake.callsOf('containers.logsWatch')).toHaveLength(1));
    act(() =>
      fake.emit({
        type: 'watch.end',
        watchId: 'logs-1',
        error: { code: 'engine_unreachable', message: 'engine gone' },
      }),
    );
    expect(screen.getByRole('alert').textContent).toContain('engine gone');
  });
});

describe('ContainerView stats', () => {
  const sample = (time: number, memoryUsed: number) => ({
    time,
    cpuPercent: 12.5,
    memoryUsed,
    memoryLimit: 1024 * 1024 * 1024,
    networkRx: time,
    networkTx: 0,
    blockRead: 0,
    blockWrite: 0,
    pids: 3,
  });

  it('shows the latest numbers and charts them', async () => {
    const { fake } = setup({}, DETAILS, 'stats');
    await waitFor(() => expect(fake.callsOf('containers.statsWatch')).toEqual([{ container: ID }]));
    expect(screen.getByText('Waiting for the first sample…')).toBeTruthy();
    act(() => fake.emit({ type: 'watch.stats', watchId: 'stats-1', sample: sample(1000, 10 * 1024 * 1024) }));
    act(() => fake.emit({ type: 'watch.stats', watchId: 'stats-1', sample: sample(2000, 20 * 1024 * 1024) }));
    expect(screen.getByTestId('stat-cpu').textContent).toBe('12.50%');
    expect(screen.getByTestId('stat-memory').textContent).toBe('20.0MiB / 1.00GiB');
    expect(screen.getByText('1.95%')).toBeTruthy();
    expect(screen.getByText('3 processes')).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Memory: 20.0MiB / 1.00GiB (1.95%)' })).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Network received per second: 1kB/s' })).toBeTruthy();
    const cpu = screen.getByRole('img', { name: 'CPU: 12.50%' });
    expect(cpu.querySelector('polyline')?.getAttribute('points')?.split(' ')).toHaveLength(2);
  });

  it('says stats are only for running containers', async () => {
    const { fake } = setup({}, { ...DETAILS, state: 'exited', health: null }, 'stats');
    expect(await screen.findByText(/Stats are only for running containers: this one is exited/)).toBeTruthy();
    expect(fake.callsOf('containers.statsWatch')).toHaveLength(0);
  });
});

describe('ContainerView changes', () => {
  const CHANGES: FileChange[] = [
    { path: '/added-file', kind: 'added' },
    { path: '/etc', kind: 'changed' },
    { path: '/etc/motd', kind: 'deleted' },
    { path: '/tmp', kind: 'changed' },
  ];

  it('lists paths with A/C/D markers, counts each kind, filters and refreshes', async () => {
    let calls = 0;
    setup(
      {
        'containers.changes': () => ({
          ok: true,
          value: calls++ === 0 ? CHANGES : [...CHANGES, { path: '/new', kind: 'added' }],
        }),
      },
      DETAILS,
      'changes',
    );
    const list = await screen.findByRole('list', { name: 'Changed paths' });
    expect([...list.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'A/added-file',
      'C/etc',
      'D/etc/motd',
      'C/tmp',
    ]);
    expect(screen.getByLabelText('Added (1)')).toBeTruthy();
    expect(screen.getByLabelText('Changed (2)')).toBeTruthy();
    expect(screen.getByLabelText('Deleted (1)')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Changed (2)'));
    expect([...list.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['A/added-file', 'D/etc/motd']);
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(await screen.findByLabelText('Added (2)')).toBeTruthy();
  });
});

describe('ContainerView without a container', () => {
  it('lets the user pick one', async () => {
    const fake = createFakeBridge({
      'engine.ping': () => ({ ok: true, value: CONNECTED }),
      'containers.list': () => ({
        ok: true,
        value: [
          {
            engineId: 'default',
            id: ID,
            name: 'web-1',
            image: 'lab/app:1.0',
            imageId: IMAGE_ID,
            command: 'sh',
            created: 1,
            state: 'running',
            status: 'Up 3 minutes',
            health: null,
            ports: [],
            mounts: [],
            labels: {},
            composeProject: null,
            sizeRw: null,
            sizeRootFs: null,
          },
        ],
      }),
    });
    renderWith(fake, <ContainerView />);
    fireEvent.click(await screen.findByRole('button', { name: 'web-1' }));
    expect(useUi.getState().containerTarget).toEqual({ id: ID, name: 'web-1' });
  });
});
