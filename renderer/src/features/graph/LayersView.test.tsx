// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { App } from '../../app/App';
import { resetUi, useUi } from '../../app/uiStore';
import { CONNECTED, createFakeBridge, graphImage, hex, image } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';

const BASE = hex('b');
const APP = hex('a');
const DEBUG = hex('d');
const TOOL = hex('c');

const GRAPH = [
  graphImage(
    APP,
    ['lab/app:1.0', 'lab/app:latest'],
    [BASE, hex('1')],
    ['', 'COPY file:abc in /app/'],
    [4_860_000, 120],
  ),
  graphImage(
    DEBUG,
    ['lab/app-debug:1.0'],
    [BASE, hex('1'), hex('2')],
    ['', 'COPY x', "RUN echo 'debug' > /d"],
    [4_860_000, 120, 30],
  ),
  graphImage(
    TOOL,
    ['lab/tool:1.0'],
    [BASE, hex('3')],
    ['', 'RUN apk add <script>alert(1)</script>'],
    [4_860_000, 2_000_000],
  ),
  graphImage(hex('e'), ['lab/base:latest'], [BASE], [''], [4_860_000]),
];

function fake() {
  return createFakeBridge({
    'engine.ping': () => ({ ok: true, value: CONNECTED }),
    'images.list': () => ({ ok: true, value: [image({ id: APP, repoTags: ['lab/app:1.0'] })] }),
    'layers.graph': () => ({ ok: true, value: GRAPH }),
  });
}

async function openLayers() {
  const bridge = fake();
  renderWith(bridge, <App />);
  fireEvent.click(screen.getByRole('button', { name: 'Layers' }));
  await screen.findByRole('group', { name: 'Layer graph' });
  return bridge;
}

const layer = (chainId: string) =>
  screen.getAllByRole('button').find((b) => b.getAttribute('data-chain-id') === chainId) ?? null;

/** Clicks "Export SVG" and returns what was downloaded. */
async function exportSvg(): Promise<{ fileName: string; type: string; text: string }> {
  const blobs: Blob[] = [];
  Object.assign(URL, {
    createObjectURL: vi.fn((blob: Blob) => {
      blobs.push(blob);
      return 'blob:fake';
    }),
    revokeObjectURL: vi.fn(),
  });
  let fileName = '';
  const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    fileName = this.download;
  });
  fireEvent.click(screen.getByRole('button', { name: 'Export SVG' }));
  click.mockRestore();
  const blob = blobs[0];
  if (!blob) throw new Error('nothing downloaded');
  const text = await new Promise<string>((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.readAsText(blob);
  });
  return { fileName, type: blob.type, text };
}

beforeEach(resetUi);
afterEach(cleanup);

describe('LayersView', () => {
  it('draws every layer once, with image markers on the last layers, labels as text', async () => {
    const bridge = await openLayers();
    expect(bridge.callsOf('layers.graph')).toHaveLength(1);
    const svg = screen.getByRole('group', { name: 'Layer graph' });
    expect(svg.querySelectorAll('[data-chain-id]')).toHaveLength(4);
    for (const name of ['lab/app:1.0', 'lab/app-debug:1.0', 'lab/tool:1.0', 'lab/base:latest']) {
      expect(screen.getByRole('button', { name: `Image ${name}` })).toBeTruthy();
    }
    // Several tags on one image: one marker saying so.
    expect(screen.getByRole('button', { name: 'Image lab/app:1.0' }).textContent).toContain('(+1 tags)');
    // Shared base layer vs a layer used by one image.
    expect(layer(BASE)?.querySelector('circle')?.getAttribute('class')).toContain('is-shared');
    expect(layer(hex('3'))?.querySelector('circle')?.getAttribute('class')).toContain('is-unique');
    // Untrusted text stays text.
    expect(svg.querySelector('script')).toBeNull();
    expect(layer(hex('3'))?.getAttribute('aria-label')).toBe(
      `Layer ${hex('3').slice(7, 19)}: RUN apk add <script>alert(1)<…`,
    );
    expect(screen.getByRole('list', { name: 'Legend' }).textContent).toContain('Shared by several images');
  });

  it('"Find image" marks the path root→tip of the image and dims the rest', async () => {
    await openLayers();
    fireEvent.change(screen.getByRole('searchbox', { name: 'Find image' }), { target: { value: 'lab/app-debug' } });
    await waitFor(() => expect(layer(hex('2'))?.getAttribute('aria-current')).toBe('true'));
    const onPath = screen.getAllByRole('button').filter((b) => b.getAttribute('data-on-path') === 'true');
    expect(onPath.map((b) => b.getAttribute('data-chain-id'))).toEqual([BASE, hex('1'), hex('2')]);
    expect(layer(hex('3'))?.getAttribute('aria-current')).toBeNull();
    expect(layer(hex('3'))?.parentElement?.getAttribute('class')).toContain('is-dimmed');
    expect(screen.getByRole('status', { name: 'Search result' }).textContent).toBe(
      'lab/app-debug:1.0: 3 layers from the base up.',
    );

    fireEvent.change(screen.getByRole('searchbox', { name: 'Find image' }), { target: { value: 'nothing' } });
    expect(screen.getByRole('status', { name: 'Search result' }).textContent).toContain('No image matches');
    expect(screen.getAllByRole('button').filter((b) => b.getAttribute('data-on-path') === 'true')).toHaveLength(0);
  });

  it('clicking a layer opens its details: every image using it, its size and full IDs', async () => {
    await openLayers();
    fireEvent.click(layer(BASE)!);
    const panel = screen.getByRole('complementary', { name: 'Layer details' });
    const users = within(panel).getByRole('list', { name: 'Images using this layer' });
    expect(
      within(users)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['lab/app-debug:1.0', 'lab/app:1.0 (also lab/app:latest)', 'lab/base:latest', 'lab/tool:1.0']);
    expect(panel.textContent).toContain('4.86MB');
    expect(panel.textContent).toContain(BASE);
    expect(panel.textContent).toContain(`diff-${BASE}`);
    // lab/base's last layer is this one: what depends on it.
    const built = within(panel).getByRole('list', { name: 'Images built on lab/base:latest' });
    expect(
      within(built)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['lab/app-debug:1.0', 'lab/app:1.0', 'lab/tool:1.0']);
  });

  it('collapses and expands a subtree from the layer panel, with a +N badge', async () => {
    await openLayers();
    fireEvent.click(layer(hex('1'))!);
    fireEvent.click(screen.getByRole('button', { name: 'Collapse subtree' }));
    expect(layer(hex('2'))).toBeNull();
    expect(screen.queryByRole('button', { name: 'Image lab/app-debug:1.0' })).toBeNull();
    expect(layer(hex('1'))?.textContent).toContain('+1');
    fireEvent.click(screen.getByRole('button', { name: 'Expand subtree' }));
    expect(layer(hex('2'))).not.toBeNull();
    // Double click toggles too.
    fireEvent.doubleClick(layer(BASE)!);
    expect(layer(hex('1'))).toBeNull();
    expect(layer(BASE)?.textContent).toContain('+3');
  });

  it('clicking an image marker opens the History view for that image', async () => {
    await openLayers();
    fireEvent.click(screen.getByRole('button', { name: 'Image lab/tool:1.0' }));
    expect(useUi.getState().view).toBe('history');
    expect(useUi.getState().historyTarget).toEqual({ imageId: TOOL, label: 'lab/tool:1.0' });
  });

  it('"Export SVG" downloads a standalone SVG holding the nodes', async () => {
    await openLayers();
    const { fileName, type, text } = await exportSvg();
    expect(fileName).toBe('strata-layers.svg');
    expect(type).toBe('image/svg+xml');
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    expect(doc.querySelector('parsererror')).toBeNull();
    expect(doc.documentElement.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(doc.querySelectorAll('[data-chain-id]')).toHaveLength(4);
    expect(doc.querySelector('[data-zoom-layer]')?.hasAttribute('transform')).toBe(false);
    expect(text).toContain('lab/app-debug:1.0');
  });

  it('stays usable at size: collapses a graph of more than 2,000 layers and renders only what is in view', async () => {
    // 50 unrelated images of 50 layers each: 2,500 layers.
    const big = Array.from({ length: 50 }, (_, i) =>
      graphImage(
        hex(`e${i}`),
        [`big/img${i}:1`],
        Array.from({ length: 50 }, (_, j) => `chain-${i}-${j}`),
        Array.from({ length: 50 }, (_, j) => `RUN step ${j}`),
      ),
    );
    const bridge = createFakeBridge({
      'engine.ping': () => ({ ok: true, value: CONNECTED }),
      'images.list': () => ({ ok: true, value: [] }),
      'layers.graph': () => ({ ok: true, value: big }),
    });
    renderWith(bridge, <App />);
    fireEvent.click(screen.getByRole('button', { name: 'Layers' }));
    const svg = await screen.findByRole('group', { name: 'Layer graph' });
    expect(screen.getByRole('note').textContent).toContain('2500 layers: showing the first 40 layers of each chain.');
    const rendered = svg.querySelectorAll('[data-chain-id]').length;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(2000);
    expect(svg.querySelectorAll('.graph-label').length).toBeGreaterThan(0);
    // The collapsed layers say how much they hide.
    expect(layer('chain-0-0')?.textContent ?? '').toContain('RUN step 0');
    // The export holds every visible layer, not only those in view.
    const { text } = await exportSvg();
    expect(new DOMParser().parseFromString(text, 'image/svg+xml').querySelectorAll('[data-chain-id]')).toHaveLength(
      2000,
    );
    expect(svg.querySelectorAll('[data-chain-id]').length).toBe(rendered);
    // Fit to view: every visible layer fits, too small for labels (level of detail).
    fireEvent.click(screen.getByRole('button', { name: 'Fit to view' }));
    await waitFor(() => expect(svg.querySelectorAll('[data-chain-id]')).toHaveLength(2000));
    expect(svg.querySelectorAll('.graph-label')).toHaveLength(0);
    expect(layer('chain-0-39')?.textContent ?? '').toContain('+10');
  }, 60_000); // jsdom's getComputedStyle is slow: the export inlines styles of ~10,000 elements.

  it('explains when the engine cannot list the layers', async () => {
    const bridge = createFakeBridge({
      'engine.ping': () => ({ ok: true, value: CONNECTED }),
      'images.list': () => ({ ok: true, value: [] }),
      'layers.graph': () => ({ ok: false, error: { code: 'internal', message: 'engine said no' } }),
    });
    renderWith(bridge, <App />);
    fireEvent.click(screen.getByRole('button', { name: 'Layers' }));
    expect((await screen.findByRole('alert')).textContent).toContain('engine said no');
  });
});
