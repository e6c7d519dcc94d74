// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { EngineCandidate, EngineEntry, ImageSummary, JobInfo } from '../../../../shared/api';
import { App } from '../shell/App';
import { ENGINE_STORAGE_KEY, resetUi, useUi } from '../../app/uiStore';
import {
  CONNECTED,
  connectedTo,
  createFakeBridge,
  engineEntry,
  hex,
  image,
  UNREACHABLE,
  type FakeHandlers,
} from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';

beforeEach(resetUi);
afterEach(cleanup);

const DEFAULT = engineEntry({ id: 'default', name: 'Local Docker' });
const LAB2 = engineEntry({ id: 'lab2', name: 'Lab two' });

const IMAGES: Readonly<Record<string, readonly ImageSummary[]>> = {
  default: [image({ id: hex('a'), repoTags: ['lab/app:1.0'] })],
  lab2: [image({ id: hex('b'), engineId: 'lab2', repoTags: ['lab2/only-here:1'] })],
};

/** Two engines, each answering with its own images; `extra` overrides any method. */
function twoEngines(extra: FakeHandlers = {}, engines: readonly EngineEntry[] = [DEFAULT, LAB2]) {
  return createFakeBridge({
    'engines.list': () => ({ ok: true, value: [...engines] }),
    'engines.discover': () => ({ ok: true, value: [] }),
    'engine.ping': (_args, engine) => ({ ok: true, value: engine === 'default' ? CONNECTED : connectedTo(engine) }),
    'images.list': (_args, engine) => ({ ok: true, value: [...(IMAGES[engine] ?? [])] }),
    'jobs.list': () => ({ ok: true, value: [] }),
    ...extra,
  });
}

const switcher = (): HTMLSelectElement => screen.getByRole('combobox', { name: 'Active engine' });

describe('the engine switcher', () => {
  it('lists every engine with its status and switching shows the other engine’s images', async () => {
    const fake = twoEngines();
    renderWith(fake, <App />);
    await screen.findByRole('row', { name: 'lab/app:1.0' });
    await waitFor(() => expect(within(switcher()).getAllByRole('option')).toHaveLength(2));
    await waitFor(() =>
      expect(
        within(switcher())
          .getAllByRole('option')
          .map((o) => o.textContent),
      ).toEqual(['● Local Docker', '● Lab two']),
    );

    fireEvent.change(switcher(), { target: { value: 'lab2' } });
    expect(await screen.findByRole('row', { name: 'lab2/only-here:1' })).toBeTruthy();
    expect(screen.queryByRole('row', { name: 'lab/app:1.0' })).toBeNull();
    expect(fake.callsOn('images.list', 'lab2')).toHaveLength(1);
    expect(localStorage.getItem(ENGINE_STORAGE_KEY)).toBe('lab2');

    // Back again: the default engine's list comes from its own cache (no second fetch).
    fireEvent.change(switcher(), { target: { value: 'default' } });
    expect(await screen.findByRole('row', { name: 'lab/app:1.0' })).toBeTruthy();
    expect(fake.callsOn('images.list', 'default')).toHaveLength(1);
  });

  it('marks an engine that does not answer, and the banner follows the active engine', async () => {
    const fake = twoEngines({
      'engine.ping': (_args, engine) => ({
        ok: true,
        value: engine === 'default' ? CONNECTED : { ...UNREACHABLE, engineId: 'lab2' },
      }),
    });
    renderWith(fake, <App />);
    await waitFor(() =>
      expect(
        within(switcher())
          .getAllByRole('option')
          .map((o) => o.textContent),
      ).toEqual(['● Local Docker', '○ Lab two']),
    );
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.change(switcher(), { target: { value: 'lab2' } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('No Docker engine at unix:///tmp/lab/docker.sock');
  });

  it('comes back to the stored engine, and falls back to the default one when it is gone', async () => {
    localStorage.setItem(ENGINE_STORAGE_KEY, 'lab2');
    useUi.setState({ engineId: 'lab2' });
    const fake = twoEngines({}, [DEFAULT]);
    renderWith(fake, <App />);
    await waitFor(() => expect(useUi.getState().engineId).toBe('default'));
    expect(await screen.findByRole('row', { name: 'lab/app:1.0' })).toBeTruthy();
    expect(switcher().value).toBe('default');
  });

  it('drops the selection of the previous engine', async () => {
    const fake = twoEngines();
    renderWith(fake, <App />);
    fireEvent.click(await screen.findByRole('row', { name: 'lab/app:1.0' }));
    expect(useUi.getState().selectedKey).not.toBeUndefined();
    await waitFor(() => expect(within(switcher()).getAllByRole('option')).toHaveLength(2));
    fireEvent.change(switcher(), { target: { value: 'lab2' } });
    expect(useUi.getState().selectedKey).toBeUndefined();
  });

  it('"Manage engines…" opens the Engines section of the Engine view', async () => {
    const fake = twoEngines();
    renderWith(fake, <App />);
    fireEvent.click(screen.getByRole('button', { name: 'Manage engines…' }));
    expect(await screen.findByRole('heading', { name: 'Engines', level: 2 })).toBeTruthy();
    const table = await screen.findByRole('table', { name: 'Engines' });
    const lab2 = within(table).getByRole('row', { name: 'Lab two' });
    expect(lab2.textContent).toContain('unix:///tmp/lab2/docker.sock');
    expect(lab2.textContent).toContain('Added');
    await waitFor(() => expect(lab2.textContent).toContain('connected'));
    // The default engine cannot be removed.
    expect(
      within(within(table).getByRole('row', { name: 'Local Docker' })).queryByRole('button', { name: /Remove/ }),
    ).toBeNull();
  });
});

describe('all engines at once', () => {
  it('lists the images of both engines with an Engine column, and an engine that fails in one line', async () => {
    const fake = twoEngines({
      'engines.list': () => ({
        ok: true,
        value: [DEFAULT, LAB2, engineEntry({ id: 'broken', name: 'Broken box' })],
      }),
      'images.list': (_args, engine) =>
        engine === 'broken'
          ? { ok: false, error: { code: 'internal', message: 'the engine said 500' } }
          : { ok: true, value: [...(IMAGES[engine] ?? [])] },
    });
    renderWith(fake, <App />);
    await screen.findByRole('row', { name: 'lab/app:1.0' });
    fireEvent.click(screen.getByRole('checkbox', { name: 'All engines' }));
    const table = await screen.findByRole('table', { name: 'Images on all engines' });
    expect(within(table).getByRole('columnheader', { name: 'Engine' })).toBeTruthy();
    const mine = await within(table).findByRole('row', { name: 'lab/app:1.0 on Local Docker' });
    const theirs = await within(table).findByRole('row', { name: 'lab2/only-here:1 on Lab two' });
    expect(within(mine).getAllByRole('cell')[0]!.textContent).toBe('Local Docker');
    expect(within(theirs).getAllByRole('cell')[0]!.textContent).toBe('Lab two');
    const broken = await within(table).findByRole('row', { name: 'Broken box: error' });
    expect(broken.textContent).toContain('Could not list images: the engine said 500');
  });

  it('removes an image on the row’s engine', async () => {
    const fake = twoEngines({
      'images.remove': () => ({
        ok: true,
        value: { reference: 'lab2/only-here:1', untagged: ['lab2/only-here:1'], deleted: [] },
      }),
    });
    renderWith(fake, <App />);
    useUi.getState().setAllEngines(true);
    const table = await screen.findByRole('table', { name: 'Images on all engines' });
    fireEvent.click(await within(table).findByRole('button', { name: 'Remove lab2/only-here:1 on Lab two' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(fake.callsOf('images.remove')).toHaveLength(1));
    expect(fake.callsOn('images.remove', 'lab2')).toEqual([{ reference: 'lab2/only-here:1' }]);
    // Only lab2's list is fetched again.
    await waitFor(() => expect(fake.callsOn('images.list', 'lab2')).toHaveLength(2));
    expect(fake.callsOn('images.list', 'default')).toHaveLength(1);
  });

  it('lists the containers of both engines and acts on the row’s engine', async () => {
    const container = (engineId: string, name: string, state: string) => ({
      engineId,
      id: `${name}-id`,
      name,
      image: 'lab/app:1.0',
      imageId: hex('a'),
      command: 'sh',
      created: 1_700_000_000,
      state,
      status: state,
      health: null,
      ports: [],
      mounts: [],
      labels: {},
      composeProject: null,
      sizeRw: null,
      sizeRootFs: null,
    });
    const fake = twoEngines({
      'containers.list': (_args, engine) => ({
        ok: true,
        value:
          engine === 'lab2' ? [container('lab2', 'over-there', 'exited')] : [container('default', 'here', 'exited')],
      }),
      'containers.action': () => ({ ok: true, value: { container: 'over-there-id', action: 'start', changed: true } }),
    });
    useUi.setState({ view: 'containers', allEngines: true });
    renderWith(fake, <App />);
    const table = await screen.findByRole('table', { name: 'Containers on all engines' });
    await within(table).findByRole('row', { name: 'here on Local Docker' });
    fireEvent.click(await within(table).findByRole('button', { name: 'Start over-there on Lab two' }));
    await waitFor(() =>
      expect(fake.callsOn('containers.action', 'lab2')).toEqual([{ container: 'over-there-id', action: 'start' }]),
    );
    expect(fake.callsOn('containers.action', 'default')).toHaveLength(0);
  });
});

describe('managing engines', () => {
  it('checks the add form before calling, then adds the engine and lists it', async () => {
    let engines: EngineEntry[] = [DEFAULT];
    const fake = twoEngines({
      'engines.list': () => ({ ok: true, value: [...engines] }),
      'engines.add': (args) => {
        const entry = engineEntry({ id: 'build-box', name: args.name, host: args.host, kind: 'tcp', tls: true });
        engines = [...engines, entry];
        return { ok: true, value: entry };
      },
    });
    useUi.setState({ view: 'engine' });
    renderWith(fake, <App />);
    const form = await screen.findByRole('form', { name: 'Add engine' });
    fireEvent.click(within(form).getByRole('button', { name: 'Add engine' }));
    expect(form.textContent).toContain('Give the engine a name.');
    expect(form.textContent).toContain('Enter the engine address.');

    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'Build box' } });
    fireEvent.change(within(form).getByLabelText('Address'), { target: { value: 'http://build:2376' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add engine' }));
    expect(form.textContent).toContain('An engine address is unix:///path/to/docker.sock');

    fireEvent.change(within(form).getByLabelText('Address'), { target: { value: 'tcp://build:2376' } });
    fireEvent.click(within(form).getByRole('checkbox', { name: 'Use TLS' }));
    fireEvent.change(within(form).getByLabelText('CA certificate'), { target: { value: 'certs/ca.pem' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add engine' }));
    expect(form.textContent).toContain('Use an absolute path.');
    expect(fake.callsOf('engines.add')).toHaveLength(0);

    fireEvent.change(within(form).getByLabelText('CA certificate'), { target: { value: '/certs/ca.pem' } });
    fireEvent.change(within(form).getByLabelText('Client certificate'), { target: { value: '/certs/cert.pem' } });
    fireEvent.change(within(form).getByLabelText('Client key'), { target: { value: '/certs/key.pem' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add engine' }));
    await waitFor(() =>
      expect(fake.callsOf('engines.add')).toEqual([
        {
          name: 'Build box',
          host: 'tcp://build:2376',
          tls: { caFile: '/certs/ca.pem', certFile: '/certs/cert.pem', keyFile: '/certs/key.pem', verify: true },
        },
      ]),
    );
    const table = screen.getByRole('table', { name: 'Engines' });
    expect(await within(table).findByRole('row', { name: 'Build box' })).toBeTruthy();
    await waitFor(() => expect(within(switcher()).getAllByRole('option')).toHaveLength(2));
  });

  it('shows the engine’s refusal plainly', async () => {
    const fake = twoEngines({
      'engines.add': () => ({
        ok: false,
        error: { code: 'engine_unreachable', message: 'Nothing answers at tcp://x:2375.' },
      }),
    });
    useUi.setState({ view: 'engine' });
    renderWith(fake, <App />);
    const form = await screen.findByRole('form', { name: 'Add engine' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'X' } });
    fireEvent.change(within(form).getByLabelText('Address'), { target: { value: 'tcp://x:2375' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add engine' }));
    expect(await within(form).findByText(/Could not add the engine: Nothing answers at tcp:\/\/x:2375\./)).toBeTruthy();
  });

  it('chooses TLS files with the native dialog on the desktop', async () => {
    const fake = createFakeBridge(
      {
        'engines.list': () => ({ ok: true, value: [DEFAULT] }),
        'engines.discover': () => ({ ok: true, value: [] }),
        'engine.ping': () => ({ ok: true, value: CONNECTED }),
      },
      { chooseOpenPath: () => Promise.resolve('/home/me/.docker/ca.pem') },
    );
    useUi.setState({ view: 'engine' });
    renderWith(fake, <App />);
    const form = await screen.findByRole('form', { name: 'Add engine' });
    fireEvent.change(within(form).getByLabelText('Address'), { target: { value: 'tcp://x:2376' } });
    fireEvent.click(within(form).getByRole('checkbox', { name: 'Use TLS' }));
    fireEvent.click(within(form).getByRole('button', { name: 'Choose CA certificate' }));
    await waitFor(() =>
      expect(within(form).getByLabelText<HTMLInputElement>('CA certificate').value).toBe('/home/me/.docker/ca.pem'),
    );
  });

  it('offers the engines found on this machine, and adds one', async () => {
    const candidates: EngineCandidate[] = [
      {
        name: 'podman',
        host: 'unix:///run/user/1000/podman/podman.sock',
        kind: 'unix',
        tls: null,
        source: 'podman',
        description: 'Podman (rootless)',
        added: false,
      },
      {
        name: 'desktop-linux',
        host: 'unix:///tmp/lab2/docker.sock',
        kind: 'unix',
        tls: null,
        source: 'docker-context',
        description: 'docker context "desktop-linux"',
        added: true,
      },
    ];
    const fake = twoEngines({
      'engines.discover': () => ({ ok: true, value: candidates }),
      'engines.add': (args) => ({ ok: true, value: engineEntry({ id: 'podman', name: args.name, host: args.host }) }),
    });
    useUi.setState({ view: 'engine' });
    renderWith(fake, <App />);
    const found = await screen.findByRole('table', { name: 'Found on this machine' });
    const added = within(found).getByRole('row', { name: 'docker context "desktop-linux"' });
    expect(within(added).getByRole<HTMLButtonElement>('button', { name: 'Added' }).disabled).toBe(true);
    fireEvent.click(within(found).getByRole('button', { name: 'Add Podman (rootless)' }));
    await waitFor(() =>
      expect(fake.callsOf('engines.add')).toEqual([
        { name: 'podman', host: 'unix:///run/user/1000/podman/podman.sock' },
      ]),
    );
    // The lists are asked again (the candidate now shows as added).
    await waitFor(() => expect(fake.callsOf('engines.discover')).toHaveLength(2));
  });

  it('removes an added engine after a confirm, and the switcher goes back to the default', async () => {
    let engines: EngineEntry[] = [DEFAULT, LAB2];
    const fake = twoEngines({
      'engines.list': () => ({ ok: true, value: [...engines] }),
      'engines.remove': () => {
        engines = [DEFAULT];
        return { ok: true, value: { removed: true } };
      },
    });
    useUi.setState({ view: 'engine', engineId: 'lab2' });
    renderWith(fake, <App />);
    const table = await screen.findByRole('table', { name: 'Engines' });
    fireEvent.click(within(table).getByRole('button', { name: 'Remove Lab two' }));
    expect(fake.callsOf('engines.remove')).toHaveLength(0);
    const confirm = within(table).getByRole('group', { name: 'Confirm removing Lab two' });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(fake.callsOf('engines.remove')).toEqual([{ id: 'lab2' }]));
    await waitFor(() => expect(useUi.getState().engineId).toBe('default'));
    await waitFor(() =>
      expect(within(screen.getByRole('table', { name: 'Engines' })).queryByRole('row', { name: 'Lab two' })).toBeNull(),
    );
    expect(
      within(switcher())
        .getAllByRole('option')
        .map((o) => (o as HTMLOptionElement).value),
    ).toEqual(['default']);
  });
});

describe('events and jobs of several engines', () => {
  it('applies each event to its own engine’s data', async () => {
    const fake = twoEngines();
    useUi.setState({ allEngines: true });
    renderWith(fake, <App />);
    await screen.findByRole('row', { name: 'lab2/only-here:1 on Lab two' });
    await screen.findByRole('row', { name: 'lab/app:1.0 on Local Docker' });
    expect(fake.callsOn('images.list', 'lab2')).toHaveLength(1);
    expect(fake.callsOn('images.list', 'default')).toHaveLength(1);

    act(() =>
      fake.emit({
        type: 'engine.events',
        engineId: 'lab2',
        events: [
          { engineId: 'lab2', type: 'image', action: 'delete', id: hex('b'), name: '', attributes: {}, time: 1 },
        ],
      }),
    );
    await waitFor(() => expect(fake.callsOn('images.list', 'lab2')).toHaveLength(2), { timeout: 2000 });
    expect(fake.callsOn('images.list', 'default')).toHaveLength(1);

    // lab2 goes away: its rows stay (may be stale), the other engine is untouched, and the title bar says so.
    act(() => fake.emit({ type: 'engine.status', status: { ...UNREACHABLE, engineId: 'lab2' } }));
    await waitFor(() => expect(within(switcher()).getByRole('option', { name: '○ Lab two' })).toBeTruthy());
    expect(within(switcher()).getByRole('option', { name: '● Local Docker' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('lists the jobs of every engine with the engine’s name, and cancels on the job’s engine', async () => {
    const job = (id: string, engineId: string, title: string): JobInfo => ({
      id,
      kind: 'pull',
      engineId,
      title,
      state: 'running',
      progress: { fraction: 0.5, message: '', layers: [] },
      error: null,
      result: null,
      startedAt: '2026-01-01T00:00:00.000Z',
      endedAt: null,
    });
    const fake = twoEngines({
      'jobs.list': () => ({
        ok: true,
        value: [job('job-default-1', 'default', 'a:1'), job('job-lab2-1', 'lab2', 'b:1')],
      }),
      'jobs.cancel': () => ({ ok: true, value: { cancelled: true } }),
    });
    useUi.setState({ jobsOpen: true });
    renderWith(fake, <App />);
    const drawer = await screen.findByRole('complementary', { name: 'Jobs' });
    const theirs = await within(drawer).findByRole('listitem', { name: 'Pull b:1' });
    await waitFor(() => expect(theirs.textContent).toContain('on Lab two'));
    expect(within(drawer).getByRole('listitem', { name: 'Pull a:1' }).textContent).toContain('on Local Docker');
    fireEvent.click(within(theirs).getByRole('button', { name: 'Cancel Pull b:1' }));
    await waitFor(() => expect(fake.callsOn('jobs.cancel', 'lab2')).toEqual([{ jobId: 'job-lab2-1' }]));
  });
});
