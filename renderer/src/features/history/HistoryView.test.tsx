// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ImageHistory, ImageSummary } from '../../../../shared/api';
import { App } from '../shell/App';
import { resetUi, useUi } from '../../app/uiStore';
import {
  CONNECTED,
  UNREACHABLE,
  createFakeBridge,
  hex,
  historyStep,
  image,
  imageHistory,
  type FakeHandlers,
} from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';
import { HistoryView } from './HistoryView';

const NOW_S = Math.floor(Date.now() / 1000);
const DAY = 86_400;

const BASE_ID = hex('b');
const APP_ID = hex('a');
const DEBUG_ID = hex('d');

const IMAGES: ImageSummary[] = [
  image({ id: BASE_ID, repoTags: ['lab/base:latest'] }),
  image({ id: APP_ID, repoTags: ['lab/app:1.0', 'lab/app:latest', 'lab/app:stable'] }),
  image({ id: DEBUG_ID, repoTags: ['lab/app-debug:1.0'] }),
  image({ id: hex('e'), repoTags: [] }),
];

const RUN_APP = "/bin/sh -c mkdir -p /app && echo 'lab app 1.0' > /app/version.txt";
const RUN_DEBUG = "/bin/sh -c echo 'debug build' > /app/debug.txt";

/** lab/app-debug:1.0 as the classic builder made it: FROM lab/app:1.0 FROM lab/base:latest (imported). */
const DEBUG_HISTORY: ImageHistory = imageHistory({
  imageId: DEBUG_ID,
  repoTags: ['lab/app-debug:1.0'],
  steps: [
    historyStep({
      id: BASE_ID,
      created: NOW_S - 10 * DAY,
      createdBy: '',
      instruction: '',
      comment: 'Imported from -',
      size: 4_860_000,
      madeLayer: true,
      layerIndex: 0,
    }),
    historyStep({
      created: NOW_S - 3 * DAY,
      createdBy: '/bin/sh -c #(nop)  LABEL org.opencontainers.image.title=Lab app',
      instruction: 'LABEL org.opencontainers.image.title=Lab app',
    }),
    historyStep({
      created: NOW_S - 3 * DAY,
      createdBy: RUN_APP,
      instruction: "RUN mkdir -p /app && echo 'lab app 1.0' > /app/version.txt",
      size: 12,
      madeLayer: true,
      layerIndex: 1,
    }),
    historyStep({
      id: APP_ID,
      created: NOW_S - 3 * DAY,
      createdBy: '/bin/sh -c #(nop)  CMD ["cat" "/app/version.txt"]',
      instruction: 'CMD ["cat" "/app/version.txt"]',
      tags: ['lab/app:1.0'],
    }),
    historyStep({
      created: NOW_S - 2 * 3600,
      createdBy: '/bin/sh -c #(nop)  ENV LAB_DEBUG=1',
      instruction: 'ENV LAB_DEBUG=1',
    }),
    historyStep({
      created: NOW_S - 2 * 3600,
      createdBy: RUN_DEBUG,
      instruction: "RUN echo 'debug build' > /app/debug.txt",
      size: 12,
      madeLayer: true,
      layerIndex: 2,
    }),
    historyStep({
      id: DEBUG_ID,
      created: NOW_S - 2 * 3600,
      createdBy: '/bin/sh -c #(nop)  CMD ["cat" "/app/debug.txt"]',
      instruction: 'CMD ["cat" "/app/debug.txt"]',
      tags: ['lab/app-debug:1.0'],
    }),
  ],
  layers: [
    {
      diffId: hex('1'),
      chainId: hex('1'),
      size: 4_860_000,
      stepIndex: 0,
      sharedWith: ['lab/app:1.0', 'lab/base:latest'],
    },
    { diffId: hex('2'), chainId: hex('5'), size: 12, stepIndex: 2, sharedWith: ['lab/app:1.0'] },
    { diffId: hex('3'), chainId: hex('6'), size: 12, stepIndex: 5, sharedWith: [] },
  ],
  mapping: { kind: 'exact', note: '3 steps made layers and the image has 3 layers: each layer names its step.' },
  base: { imageId: APP_ID, name: 'lab/app:1.0', layerCount: 2 },
});

/** The same image pulled (steps carry no IDs) where the counts do not match: nothing may be labelled. */
const UNLABELLED_HISTORY: ImageHistory = {
  ...DEBUG_HISTORY,
  steps: DEBUG_HISTORY.steps.map((s) => ({ ...s, id: '<missing>', madeLayer: null, layerIndex: null })),
  layers: DEBUG_HISTORY.layers.map((l) => ({ ...l, stepIndex: null, size: null })),
  mapping: {
    kind: 'unlabelled',
    note: '4 steps may have made layers but the image has 3 layers, so layers are shown without their steps.',
  },
};

function setup(options: { readonly history?: FakeHandlers['images.history']; readonly app?: boolean } = {}) {
  const fake = createFakeBridge({
    'engine.ping': () => ({ ok: true, value: CONNECTED }),
    'images.list': () => ({ ok: true, value: IMAGES }),
    'images.history': options.history ?? (() => ({ ok: true, value: DEBUG_HISTORY })),
  });
  return { fake, ...renderWith(fake, options.app === true ? <App /> : <HistoryView />) };
}

function pick(label: string): void {
  const select = screen.getByRole('combobox', { name: 'Image' });
  const option = within(select).getByRole<HTMLOptionElement>('option', { name: label });
  fireEvent.change(select, { target: { value: option.value } });
}

/** The body rows of a table, each as its cells' text. */
function bodyTexts(name: string): string[][] {
  const table = screen.getByRole('table', { name });
  const body = within(table).getAllByRole('rowgroup')[1]!;
  return within(body)
    .getAllByRole('row')
    .map((row) =>
      within(row)
        .getAllByRole('cell')
        .map((cell) => cell.textContent ?? ''),
    );
}

/** The first cell text of each step row, or the boundary text. */
function stepColumn(): string[] {
  return bodyTexts('History').map((cells) => (cells.length === 1 ? `== ${cells[0]}` : cells[1]!));
}

beforeEach(resetUi);
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('History view', () => {
  it('lists the repo:tags in the Image picker and asks for an image first', async () => {
    setup();
    const select = await screen.findByRole('combobox', { name: 'Image' });
    await waitFor(() => expect(within(select).getAllByRole('option').length).toBeGreaterThan(1));
    expect(
      within(select)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual([
      'Choose an image…',
      'lab/app-debug:1.0',
      'lab/app:1.0',
      'lab/app:latest',
      'lab/app:stable',
      'lab/base:latest',
      '<none>:<none> eeeeeeeeeeee',
    ]);
    expect(screen.getByRole('heading', { name: 'Choose an image' })).toBeTruthy();
  });

  it('shows every step oldest first with the base boundary after the base image’s last layer', async () => {
    const { fake } = setup();
    await screen.findByRole('option', { name: 'lab/app-debug:1.0' });
    pick('lab/app-debug:1.0');
    await screen.findByRole('table', { name: 'History' });

    expect(fake.callsOf('images.history')).toEqual([{ reference: DEBUG_ID }]);
    expect(useUi.getState().historyTarget).toEqual({ imageId: DEBUG_ID, label: 'lab/app-debug:1.0' });

    const rows = bodyTexts('History');
    // Created, Step (+ Expand / Copy buttons), Size, Layer, Comment.
    expect(rows[0]).toEqual(['10 days ago', '—ExpandCopy', '4.86MB', 'yes', 'Imported from -']);
    expect(rows[1]).toEqual(['3 days ago', 'LABEL org.opencontainers.image.title=Lab appExpandCopy', '0B', 'no', '']);
    expect(rows[2]![3]).toBe('yes');
    expect(stepColumn()).toEqual([
      '—ExpandCopy',
      'LABEL org.opencontainers.image.title=Lab appExpandCopy',
      "RUN mkdir -p /app && echo 'lab app 1.0' > /app/version.txtExpandCopy",
      // lab/app:1.0's own last step is its CMD (the step whose ID is the base image's).
      'CMD ["cat" "/app/version.txt"]ExpandCopy',
      '== Base image lab/app:1.0 ends here (2 layers)',
      'ENV LAB_DEBUG=1ExpandCopy',
      "RUN echo 'debug build' > /app/debug.txtExpandCopy",
      'CMD ["cat" "/app/debug.txt"]ExpandCopy',
    ]);

    // Exact time on hover.
    const created = within(screen.getByRole('table', { name: 'History' })).getAllByRole('cell')[0]!;
    expect(created.getAttribute('title')).toContain(new Date((NOW_S - 10 * DAY) * 1000).toISOString());
    // The mapping note, plainly.
    expect(screen.getByText(DEBUG_HISTORY.mapping.note)).toBeTruthy();
    expect(screen.queryByRole('note', { name: 'Layer mapping' })).toBeNull();
  });

  it('reverses to newest first with the boundary mirrored, and keeps the order in the store', async () => {
    setup();
    useUi.getState().setHistoryTarget({ imageId: DEBUG_ID, label: 'lab/app-debug:1.0' });
    await screen.findByRole('table', { name: 'History' });
    const newest = screen.getByRole('button', { name: 'Newest first' });
    expect(newest.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(newest);
    expect(newest.getAttribute('aria-pressed')).toBe('true');
    expect(useUi.getState().historyOrder).toBe('newest');
    expect(stepColumn()).toEqual([
      'CMD ["cat" "/app/debug.txt"]ExpandCopy',
      "RUN echo 'debug build' > /app/debug.txtExpandCopy",
      'ENV LAB_DEBUG=1ExpandCopy',
      '== Base image lab/app:1.0 ends here (2 layers)',
      'CMD ["cat" "/app/version.txt"]ExpandCopy',
      "RUN mkdir -p /app && echo 'lab app 1.0' > /app/version.txtExpandCopy",
      'LABEL org.opencontainers.image.title=Lab appExpandCopy',
      '—ExpandCopy',
    ]);
    fireEvent.click(screen.getByRole('button', { name: 'Oldest first' }));
    expect(stepColumn()[0]).toBe('—ExpandCopy');
  });

  it('expands a step to its full command and copies the command to the clipboard', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    setup();
    useUi.getState().setHistoryTarget({ imageId: DEBUG_ID, label: 'lab/app-debug:1.0' });
    await screen.findByRole('table', { name: 'History' });

    expect(screen.queryByText(RUN_DEBUG)).toBeNull();
    const expand = screen.getByRole('button', { name: 'Expand step 6' });
    expect(expand.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(expand);
    expect(screen.getByLabelText('Step 6 command').textContent).toBe(RUN_DEBUG);
    const collapse = screen.getByRole('button', { name: 'Collapse step 6' });
    expect(collapse.getAttribute('aria-expanded')).toBe('true');

    const copy = screen.getByRole('button', { name: 'Copy step 6 command' });
    fireEvent.click(copy);
    await waitFor(() => expect(copy.textContent).toBe('Copied'));
    expect(writeText).toHaveBeenCalledWith(RUN_DEBUG);

    fireEvent.click(collapse);
    expect(screen.queryByLabelText('Step 6 command')).toBeNull();
  });

  it('says so when the clipboard refuses', async () => {
    const writeText = vi.fn(() => Promise.reject(new Error('denied')));
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    setup();
    useUi.getState().setHistoryTarget({ imageId: DEBUG_ID, label: 'lab/app-debug:1.0' });
    const copy = await screen.findByRole('button', { name: 'Copy step 3 command' });
    fireEvent.click(copy);
    await waitFor(() => expect(copy.textContent).toBe('Copy failed'));
    expect(writeText).toHaveBeenCalledWith(RUN_APP);
  });

  it('lists the layers with short IDs, the step that made each, size and who shares it', async () => {
    setup();
    useUi.getState().setHistoryTarget({ imageId: DEBUG_ID, label: 'lab/app-debug:1.0' });
    await screen.findByRole('table', { name: 'Layers' });
    expect(bodyTexts('Layers')).toEqual([
      ['1', '111111111111Copy', '111111111111Copy', '—', '4.86MB', 'lab/app:1.0, lab/base:latest'],
      [
        '2',
        '222222222222Copy',
        '555555555555Copy',
        "RUN mkdir -p /app && echo 'lab app 1.0' > /app/version.txt",
        '12B',
        'lab/app:1.0',
      ],
      [
        '3',
        '333333333333Copy',
        '666666666666Copy',
        "RUN echo 'debug build' > /app/debug.txt",
        '12B',
        'only this image',
      ],
    ]);
    const layers = screen.getByRole('table', { name: 'Layers' });
    expect(within(layers).getByText('555555555555').getAttribute('title')).toBe(hex('5'));
    expect(screen.getByRole('button', { name: 'Copy chain ID of layer 2' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy diff ID of layer 3' })).toBeTruthy();
  });

  it('shows layers unlabelled with a visible notice, and the base note above the layers', async () => {
    setup({ history: () => ({ ok: true, value: UNLABELLED_HISTORY }) });
    useUi.getState().setHistoryTarget({ imageId: DEBUG_ID, label: 'lab/app-debug:1.0' });
    await screen.findByRole('table', { name: 'Layers' });

    const notice = screen.getByRole('note', { name: 'Layer mapping' });
    expect(notice.textContent).toContain(UNLABELLED_HISTORY.mapping.note);
    // No step claims a layer, and no boundary is guessed.
    expect(bodyTexts('History').map((cells) => cells[3])).toEqual(Array(7).fill('—'));
    expect(screen.queryByTestId('base-boundary')).toBeNull();
    expect(bodyTexts('Layers').map((cells) => [cells[3], cells[4]])).toEqual([
      ['unlabelled', '—'],
      ['unlabelled', '—'],
      ['unlabelled', '—'],
    ]);
    expect(screen.getByRole('note', { name: 'Base image' }).textContent).toBe(
      'Base image lab/app:1.0: the first 2 layers are its layers.',
    );
  });

  it('renders untrusted history text as text, never as HTML', async () => {
    const evil = '<img src=x onerror="window.pwned=1"><b>bold</b>';
    setup({
      history: () => ({
        ok: true,
        value: imageHistory({
          imageId: DEBUG_ID,
          steps: [historyStep({ createdBy: `/bin/sh -c echo '${evil}'`, instruction: `RUN ${evil}`, comment: evil })],
          layers: [],
          mapping: { kind: 'unlabelled', note: evil },
          base: { imageId: APP_ID, name: evil, layerCount: 1 },
        }),
      }),
    });
    useUi.getState().setHistoryTarget({ imageId: DEBUG_ID, label: 'lab/app-debug:1.0' });
    const table = await screen.findByRole('table', { name: 'History' });
    fireEvent.click(screen.getByRole('button', { name: 'Expand step 1' }));
    expect(document.querySelector('img')).toBeNull();
    expect(document.querySelector('b')).toBeNull();
    expect(within(table).getByText(`RUN ${evil}`)).toBeTruthy();
    expect(within(table).getByText(evil)).toBeTruthy();
    expect(screen.getByRole('note', { name: 'Base image' }).textContent).toContain(evil);
  });

  it('shows the engine reason when the history cannot be read', async () => {
    setup({ history: () => ({ ok: false, error: { code: 'not_found', message: 'No such image: sha256:dddd' } }) });
    useUi.getState().setHistoryTarget({ imageId: DEBUG_ID, label: 'lab/app-debug:1.0' });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not read the history of lab/app-debug:1.0');
    expect(alert.textContent).toContain('No such image: sha256:dddd');
  });

  it('says the picked image is gone once it leaves the list, without asking the engine', async () => {
    const { fake } = setup();
    useUi.getState().setHistoryTarget({ imageId: hex('9'), label: 'old/thing:1' });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('old/thing:1 is gone');
    expect(fake.callsOf('images.history')).toEqual([]);
  });

  it('shows the engine problem instead of history when the engine is unreachable', async () => {
    const fake = createFakeBridge({
      'engine.ping': () => ({ ok: true, value: UNREACHABLE }),
      'images.history': () => ({ ok: true, value: DEBUG_HISTORY }),
    });
    useUi.getState().setHistoryTarget({ imageId: DEBUG_ID, label: 'lab/app-debug:1.0' });
    renderWith(fake, <HistoryView />);
    await screen.findByRole('heading', { name: 'Not connected' });
    expect(screen.queryByRole('table')).toBeNull();
    expect(fake.callsOf('images.history')).toEqual([]);
  });

  it('is reached from the nav and from a History button on an image row', async () => {
    setup({ app: true });
    fireEvent.click(await screen.findByRole('button', { name: 'History of lab/app-debug:1.0' }));
    expect(useUi.getState().view).toBe('history');
    await screen.findByRole('table', { name: 'History' });
    const select = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Image' });
    expect(select.selectedOptions[0]?.textContent).toBe('lab/app-debug:1.0');
    expect(screen.getByRole('button', { name: /History/, current: 'page' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Images' }));
    // The Remove buttons stay as they were.
    expect(await screen.findByRole('button', { name: 'Remove lab/app-debug:1.0' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'History' }));
    expect(await screen.findByRole('table', { name: 'History' })).toBeTruthy();
    expect(screen.queryByText('Coming soon')).toBeNull();
  });
});
