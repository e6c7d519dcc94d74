// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { DiskUsage, Outcome } from '../../../../shared/api';
import { App } from '../shell/App';
import { resetUi, useUi } from '../../app/uiStore';
import { CONNECTED, createFakeBridge, hex, type FakeHandlers } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';
import { CONTAINERS, IMAGES, USAGE, VOLUMES } from '../../testing/diskFixtures';

beforeEach(() => {
  resetUi();
  useUi.setState({ view: 'disk' });
});
afterEach(cleanup);

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function setup(extra: FakeHandlers = {}) {
  const usage = deferred<Outcome<DiskUsage>>();
  const fake = createFakeBridge({
    'engine.ping': () => ({ ok: true, value: CONNECTED }),
    'jobs.list': () => ({ ok: true, value: [] }),
    'images.list': () => ({ ok: true, value: IMAGES }),
    'containers.list': () => ({ ok: true, value: CONTAINERS }),
    'volumes.list': () => ({ ok: true, value: VOLUMES }),
    'disk.usage': () => usage.promise,
    ...extra,
  });
  const rendered = renderWith(fake, <App />);
  return { fake, usage, ...rendered };
}

const cellsOf = (table: HTMLElement): string[][] =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => [...row.querySelectorAll('th, td')].map((c) => c.textContent ?? ''));

const tiles = (): Element[] => [...document.querySelectorAll('.disk-tile')];

describe('Disk view', () => {
  it('shows the fast parts at once, "Measuring disk usage…" on the rest, then fills them in', async () => {
    const { usage } = setup();
    const totals = await screen.findByRole('table', { name: 'Disk usage totals' });
    await waitFor(() => expect(cellsOf(totals)[0]).toEqual(['Images', '4', '1', 'Measuring…', 'Measuring…']));
    await waitFor(() =>
      expect(cellsOf(totals)).toEqual([
        ['Images', '4', '1', 'Measuring…', 'Measuring…'],
        ['Containers', '2', '1', 'Measuring…', 'Measuring…'],
        ['Local Volumes', '2', '1', 'Measuring…', 'Measuring…'],
        ['Build Cache', 'Measuring…', 'Measuring…', 'Measuring…', 'Measuring…'],
      ]),
    );
    expect(screen.getAllByText(/Measuring disk usage…/).length).toBeGreaterThan(0);
    // The treemap already has a tile per image, the volumes their names, while /system/df is out.
    expect(tiles()).toHaveLength(4);
    const volumes = screen.getByRole('table', { name: 'Volumes' });
    expect(volumes.textContent).toContain('data');
    expect(volumes.textContent).toContain('web (running)');
    expect(volumes.textContent).toContain('anonymous');
    expect(screen.queryByRole('table', { name: 'Build cache' })).toBeNull();
    expect(screen.queryByRole('img', { name: /Disk usage by category/ })).toBeNull();

    await act(async () => {
      usage.resolve({ ok: true, value: USAGE });
      await usage.promise;
    });
    await waitFor(() =>
      expect(cellsOf(totals)).toEqual([
        ['Images', '4', '1', '15MB', '10MB (66%)'],
        ['Containers', '2', '1', '2.048kB', '1.024kB (50%)'],
        ['Local Volumes', '2', '1', '3MB', '1MB (33%)'],
        ['Build Cache', '1', '0', '42kB', '42kB'],
      ]),
    );
    // Exact bytes on hover.
    expect(within(totals).getByText('15MB').getAttribute('title')).toBe('15001234 bytes');
    expect(screen.queryByText(/Measuring disk usage…/)).toBeNull();
    const chart = screen.getByRole('img', { name: /Disk usage by category/ });
    expect(chart.getAttribute('aria-label')).toContain('Images: 15MB, 10MB (66%) reclaimable');
    expect(cellsOf(screen.getByRole('table', { name: 'Volumes' })).map((r) => r.slice(3, 5))).toEqual([
      ['2MB', '1'],
      ['1MB', '0'],
    ]);
    expect(cellsOf(screen.getByRole('table', { name: 'Build cache' }))[0]).toEqual([
      'qwertyuiopas',
      'regular',
      'RUN make',
      '42kB',
      'no',
      'no',
      'never',
      '3',
    ]);
    expect(cellsOf(screen.getByRole('table', { name: 'Container sizes' }))[0]?.slice(0, 4)).toEqual([
      'web',
      'lab/app:1.0',
      'running',
      '1.024kB',
    ]);
    // Unique / shared split and the top list by unique bytes, untrusted tags as text.
    expect(document.querySelectorAll('.disk-tile-unique')).toHaveLength(4);
    const list = screen.getByRole('list', { name: 'Images by size' });
    expect(within(list).getAllByRole('button')[0]?.textContent).toBe('<b>evil</b>:1 6MB unique, 0B shared');
    expect(document.querySelector('.disk-body b')).toBeNull();
  });

  it('never blocks on a failed /system/df: the fast parts stay and the error is said', async () => {
    setup({ 'disk.usage': () => ({ ok: false, error: { code: 'engine_error', message: 'df timed out' } }) });
    expect((await screen.findByRole('alert')).textContent).toContain('df timed out');
    expect(tiles()).toHaveLength(4);
    expect(screen.getByRole('table', { name: 'Volumes' })).toBeTruthy();
  });

  it('a tile opens a panel: Open details goes to the image, Remove… opens the remove flow', async () => {
    const { usage } = setup();
    await act(async () => {
      usage.resolve({ ok: true, value: USAGE });
      await usage.promise;
    });
    await waitFor(() => expect(document.querySelectorAll('.disk-tile-unique')).toHaveLength(4));
    const base = document.querySelector(`.disk-tile[data-image-id="${hex('b')}"]`)!;
    fireEvent.click(base);
    const panel = screen.getByRole('region', { name: 'Image lab/base:latest' });
    expect(panel.textContent).toContain('Unique1MB');
    fireEvent.click(within(panel).getByRole('button', { name: 'Remove…' }));
    expect(useUi.getState().dialog).toEqual({
      kind: 'remove',
      target: { imageId: hex('b'), reference: 'lab/base:latest', label: 'lab/base:latest', tagCount: 1 },
    });
    expect(screen.getByRole('dialog', { name: /Remove/ })).toBeTruthy();
    act(() => useUi.getState().closeDialog());

    // Keyboard: the list picks the same image; a two-tag image removes both tags.
    fireEvent.click(
      within(screen.getByRole('list', { name: 'Images by size' })).getByRole('button', { name: /lab\/app:1.0/ }),
    );
    const app = screen.getByRole('region', { name: 'Image lab/app:1.0' });
    expect(app.textContent).toContain('Also tagged lab/app:latest');
    fireEvent.click(within(app).getByRole('button', { name: 'Remove…' }));
    expect(useUi.getState().dialog).toEqual({
      kind: 'removeMany',
      items: [
        { reference: 'lab/app:1.0', label: 'lab/app:1.0', imageId: hex('a') },
        { reference: 'lab/app:latest', label: 'lab/app:latest', imageId: hex('a') },
      ],
    });
    act(() => useUi.getState().closeDialog());
    fireEvent.click(
      within(screen.getByRole('region', { name: 'Image lab/app:1.0' })).getByRole('button', { name: 'Open details' }),
    );
    expect(useUi.getState().view).toBe('details');
    expect(useUi.getState().detailsTarget).toEqual({ imageId: hex('a'), label: 'lab/app:1.0' });
  });

  it('removes a volume after a confirmation and shows the engine refusal plainly', async () => {
    let refuse = true;
    const { fake } = setup({
      'volumes.remove': ({ name }) =>
        refuse
          ? { ok: false, error: { code: 'conflict', message: `volume ${name} is in use by container web` } }
          : { ok: true, value: { name } },
    });
    const table = await screen.findByRole('table', { name: 'Volumes' });
    fireEvent.click(within(table).getByRole('button', { name: 'Remove volume data' }));
    expect(fake.callsOf('volumes.remove')).toEqual([]);
    fireEvent.click(within(table).getByRole('button', { name: 'Confirm removing volume data' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Could not remove data: volume data is in use by container web',
    );
    refuse = false;
    fireEvent.click(within(table).getByRole('button', { name: 'Confirm removing volume data' }));
    await waitFor(() => expect(fake.callsOf('volumes.remove')).toEqual([{ name: 'data' }, { name: 'data' }]));
    await waitFor(() => expect(fake.callsOf('volumes.list').length).toBeGreaterThan(1));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('opens the Cleanup dialog with the right preset from each button', async () => {
    setup();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Clean up…' })).toHaveProperty('disabled', false));
    const cases = [
      ['Clean up…', 'all'],
      ['Prune dangling images…', 'dangling'],
      ['Prune unused images…', 'unused-images'],
      ['Prune stopped containers…', 'containers'],
      ['Prune unused volumes…', 'volumes'],
      ['Prune build cache…', 'build-cache'],
    ] as const;
    for (const [name, preset] of cases) {
      fireEvent.click(screen.getByRole('button', { name }));
      expect(useUi.getState().dialog).toEqual({ kind: 'cleanup', preset });
      act(() => useUi.getState().closeDialog());
    }
  });
});
