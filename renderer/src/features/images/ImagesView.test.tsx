// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ImageSummary, JobInfo } from '../../../../shared/api';
import { App } from '../shell/App';
import { resetUi, useUi } from '../../app/uiStore';
import { CONNECTED, UNREACHABLE, createFakeBridge, hex, image } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';

beforeEach(resetUi);
afterEach(cleanup);

const NOW_S = Math.floor(Date.now() / 1000);
const IMAGES: ImageSummary[] = [
  image({
    id: hex('a'),
    repoTags: ['lab/app:1.0', 'lab/app:latest', 'lab/app:stable'],
    created: NOW_S - 3 * 86_400,
    size: 4_864_512,
    containers: 1,
  }),
  image({ id: hex('b'), repoTags: ['lab/base:latest'], created: NOW_S - 10 * 86_400, size: 77_900_000, containers: 0 }),
  image({ id: hex('c'), repoTags: [], created: NOW_S - 3600, size: 1_000, containers: 0 }),
];

function setup(images: () => ImageSummary[] = () => IMAGES) {
  const fake = createFakeBridge({
    'engine.ping': () => ({ ok: true, value: CONNECTED }),
    'images.list': () => ({ ok: true, value: images() }),
  });
  return { fake, ...renderWith(fake, <App />) };
}

const bodyRows = (): HTMLElement[] => screen.getAllByRole('row').filter((r) => r.getAttribute('aria-rowindex') !== '1');
const rowNames = (): string[] => bodyRows().map((r) => r.getAttribute('aria-label') ?? '');

describe('Images view', () => {
  it('shows one row per repo:tag with short ID, relative created, docker-style size and containers', async () => {
    setup();
    const row = await screen.findByRole('row', { name: 'lab/app:stable' });
    const cells = within(row)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(cells.slice(0, 6)).toEqual(['lab/app', 'stable', 'aaaaaaaaaaaa', '3 days ago', '4.86MB', '1']);
    const created = within(row).getAllByRole('cell')[3]!;
    expect(created.getAttribute('title')).toContain(new Date((NOW_S - 3 * 86_400) * 1000).toISOString());
    expect(screen.getByRole('row', { name: 'lab/app:1.0' })).toBeTruthy();
    expect(screen.getByRole('row', { name: 'lab/app:latest' })).toBeTruthy();
    const dangling = screen.getByRole('row', { name: '<none>:<none> cccccccccccc' });
    expect(
      within(dangling)
        .getAllByRole('cell')
        .map((c) => c.textContent)
        .slice(0, 3),
    ).toEqual(['<none>', '<none>', 'cccccccccccc']);
    expect(bodyRows()).toHaveLength(5);
  });

  it('keeps the rows it showed when the engine goes away, and the banner says they may be stale', async () => {
    const { fake } = setup();
    await screen.findByRole('row', { name: 'lab/base:latest' });
    act(() => fake.emit({ type: 'engine.status', status: UNREACHABLE }));
    await screen.findByText(/may be stale/);
    expect(screen.getByRole('row', { name: 'lab/base:latest' })).toBeTruthy();
    expect(screen.queryByText('Not connected')).toBeNull();
  });

  it('sorts by clicking a column header, with aria-sort telling the direction', async () => {
    setup();
    await screen.findByRole('row', { name: 'lab/base:latest' });
    // Default: newest first.
    expect(rowNames()[0]).toBe('<none>:<none> cccccccccccc');
    const size = screen.getByRole('columnheader', { name: /Size/ });
    expect(screen.getByRole('columnheader', { name: /Created/ }).getAttribute('aria-sort')).toBe('descending');

    fireEvent.click(within(size).getByRole('button'));
    expect(size.getAttribute('aria-sort')).toBe('descending');
    expect(screen.getByRole('columnheader', { name: /Created/ }).getAttribute('aria-sort')).toBe('none');
    expect(rowNames()[0]).toBe('lab/base:latest');
    fireEvent.click(within(size).getByRole('button'));
    expect(size.getAttribute('aria-sort')).toBe('ascending');
    expect(rowNames()[0]).toBe('<none>:<none> cccccccccccc');

    const tag = screen.getByRole('columnheader', { name: /Tag/ });
    fireEvent.click(within(tag).getByRole('button'));
    expect(tag.getAttribute('aria-sort')).toBe('ascending');
    expect(rowNames()).toEqual([
      'lab/app:1.0',
      'lab/app:latest', // equal tags fall back to repo:tag order
      'lab/base:latest',
      'lab/app:stable',
      '<none>:<none> cccccccccccc',
    ]);
  });

  it('filters by text and by dangling only', async () => {
    setup();
    await screen.findByRole('row', { name: 'lab/base:latest' });
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter images' }), { target: { value: 'stable' } });
    expect(rowNames()).toEqual(['lab/app:stable']);
    fireEvent.change(screen.getByLabelText('Filter images'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Dangling only' }));
    expect(rowNames()).toEqual(['<none>:<none> cccccccccccc']);
    fireEvent.change(screen.getByLabelText('Filter images'), { target: { value: 'lab/' } });
    expect(screen.queryAllByRole('row')).toHaveLength(0);
    expect(screen.getByRole('heading', { name: 'No matching images' })).toBeTruthy();
  });

  it('keeps the DOM small with 5,000 rows and renders the rows scrolled to', async () => {
    const many = Array.from({ length: 5000 }, (_, i) =>
      image({
        id: `sha256:${i.toString(16).padStart(64, '0')}`,
        repoTags: [`bulk/img:${String(i).padStart(4, '0')}`],
        created: i,
      }),
    );
    setup(() => many);
    await screen.findByRole('row', { name: 'bulk/img:4999' });
    const table = screen.getByRole('table', { name: 'Images' });
    expect(table.getAttribute('aria-rowcount')).toBe('5001');
    expect(bodyRows().length).toBeLessThan(60);

    const scroller = screen.getByTestId('images-scroll');
    scroller.scrollTop = 32 * 2500;
    fireEvent.scroll(scroller);
    // Newest first: row index 2500 is bulk/img:2499.
    expect(screen.getByRole('row', { name: 'bulk/img:2499' }).getAttribute('aria-rowindex')).toBe('2502');
    expect(screen.queryByRole('row', { name: 'bulk/img:4999' })).toBeNull();
    expect(bodyRows().length).toBeLessThan(60);
  });

  it('lists the new image when a pull ends, and selects it', async () => {
    let images = IMAGES;
    const { fake } = setup(() => images);
    await screen.findByRole('row', { name: 'lab/base:latest' });
    useUi.getState().setHighlight('127.0.0.1:5000/lab/remote:1.0');
    images = [...IMAGES, image({ id: hex('e'), repoTags: ['127.0.0.1:5000/lab/remote:1.0'], created: NOW_S - 5 })];
    const job: JobInfo = {
      id: 'j',
      kind: 'pull',
      engineId: 'default',
      title: '127.0.0.1:5000/lab/remote:1.0',
      state: 'done',
      progress: { fraction: 1, message: '', layers: [] },
      error: null,
      result: { imageId: hex('e') },
      startedAt: '2026-01-01T00:00:00Z',
      endedAt: '2026-01-01T00:00:01Z',
    };
    act(() => fake.emit({ type: 'job.end', job }));
    const row = await screen.findByRole('row', { name: '127.0.0.1:5000/lab/remote:1.0' });
    await waitFor(() => expect(row.getAttribute('aria-selected')).toBe('true'));
    expect(fake.callsOf('images.list')).toHaveLength(2);
  });

  it('opens the remove dialog for the row, naming the tag', async () => {
    setup();
    const row = await screen.findByRole('row', { name: 'lab/app:latest' });
    fireEvent.click(within(row).getByRole('button', { name: 'Remove lab/app:latest' }));
    const dialog = screen.getByRole('dialog', { name: 'Remove image' });
    expect(within(dialog).getByRole('heading').textContent).toBe('Remove lab/app:latest?');
    expect(dialog.textContent).toContain('This image has 3 tags');
  });

  it('opens the pull dialog from the Pull button', async () => {
    setup();
    await screen.findByRole('row', { name: 'lab/base:latest' });
    fireEvent.click(screen.getByRole('button', { name: 'Pull' }));
    const dialog = screen.getByRole('dialog', { name: 'Pull image' });
    expect(within(dialog).getByLabelText('Image reference')).toBeTruthy();
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('multi-select: checked rows show a bulk bar whose Remove opens one confirm listing them all', async () => {
    setup();
    await screen.findByRole('row', { name: 'lab/base:latest' });
    expect(screen.queryByRole('toolbar', { name: 'Checked images' })).toBeNull();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select lab/base:latest' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select lab/app:1.0' }));
    const bar = screen.getByRole('toolbar', { name: 'Checked images' });
    expect(bar.textContent).toContain('2 checked');
    expect(useUi.getState().selectedKey).toBeUndefined();
    fireEvent.click(within(bar).getByRole('button', { name: 'Remove 2…' }));
    const dialog = screen.getByRole('dialog', { name: 'Remove images' });
    expect(within(dialog).getByRole('heading').textContent).toBe('Remove 2 images?');
    const listed = within(within(dialog).getByRole('list', { name: 'To remove' })).getAllByRole('listitem');
    expect(listed.map((li) => li.textContent)).toEqual([
      'lab/app:1.0untag only',
      'lab/base:latestlast tag: the image is removed',
    ]);
  });

  it('the header checkbox checks every shown row; Save N… opens the save dialog with their references', async () => {
    setup();
    await screen.findByRole('row', { name: 'lab/base:latest' });
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter images' }), { target: { value: 'lab/app' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all shown images' }));
    const bar = screen.getByRole('toolbar', { name: 'Checked images' });
    expect(bar.textContent).toContain('3 checked');
    fireEvent.click(within(bar).getByRole('button', { name: 'Save 3…' }));
    const dialog = useUi.getState().dialog;
    expect(dialog?.kind === 'save' && [...dialog.references].sort()).toEqual([
      'lab/app:1.0',
      'lab/app:latest',
      'lab/app:stable',
    ]);
  });

  it('checked rows that disappear from the list are unchecked', async () => {
    let images = IMAGES;
    const { queryClient } = setup(() => images);
    await screen.findByRole('row', { name: 'lab/base:latest' });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select lab/base:latest' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select lab/app:stable' }));
    expect(useUi.getState().checkedKeys.size).toBe(2);
    images = IMAGES.filter((i) => i.id !== hex('b'));
    await act(() => queryClient.invalidateQueries());
    await waitFor(() => expect(screen.queryByRole('row', { name: 'lab/base:latest' })).toBeNull());
    await waitFor(() => expect(useUi.getState().checkedKeys.size).toBe(1));
    expect(screen.getByRole('toolbar', { name: 'Checked images' }).textContent).toContain('1 checked');
  });
});
