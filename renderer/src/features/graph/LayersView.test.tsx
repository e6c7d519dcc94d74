// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { App } from '../shell/App';
import { resetUi, useUi } from '../../app/uiStore';
import { CONNECTED, createFakeBridge, graphImage, hex, image } from '../../testing/fakeBridge';
import { CULL_ABOVE } from './levelOfDetail';
import { createLayoutHandler, WORKER_ABOVE, type LayoutRequest, type LayoutResponse } from './layoutProtocol';
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
    // The collapsed layers say how much they hide (labels come with the render after the layout).
    await waitFor(() => expect(layer('chain-0-0')?.textContent ?? '').toContain('RUN step 0'));
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

  it('draws thousands of layers far zoomed out on a canvas, and goes back to SVG nodes when zoomed in', async () => {
    // 60 unrelated images of 50 layers each: 3,000 layers, all in view once fitted.
    const huge = Array.from({ length: 60 }, (_, i) =>
      graphImage(
        hex(`h${i}`),
        [`huge/img${i}:1`],
        Array.from({ length: 50 }, (_, j) => `huge-${i}-${j}`),
        Array.from({ length: 50 }, (_, j) => `RUN huge ${j}`),
      ),
    );
    const bridge = createFakeBridge({
      'engine.ping': () => ({ ok: true, value: CONNECTED }),
      'images.list': () => ({ ok: true, value: [] }),
      'layers.graph': () => ({ ok: true, value: huge }),
    });
    // jsdom draws nothing: no 2D context (the drawing itself is tested in farView.test.ts).
    const getContext = vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
    renderWith(bridge, <App />);
    fireEvent.click(screen.getByRole('button', { name: 'Layers' }));
    const svg = await screen.findByRole('group', { name: 'Layer graph' });
    fireEvent.click(screen.getByRole('button', { name: 'Expand all' }));
    fireEvent.click(screen.getByRole('button', { name: 'Fit to view' }));
    const overview = await screen.findByRole('img', {
      name: 'Overview of 3000 layers: zoom in to read and select them',
    });
    expect(overview.tagName).toBe('CANVAS');
    expect(svg.querySelectorAll('[data-chain-id]')).toHaveLength(0);
    // Zooming in (the wheel, on the same svg) brings the layers back as SVG nodes, culled to the viewport.
    for (let i = 0; i < 4; i++) fireEvent.wheel(svg, { deltaY: -500, clientX: 400, clientY: 300 });
    await waitFor(() => expect(screen.queryByRole('img', { name: /^Overview of/ })).toBeNull());
    const rendered = svg.querySelectorAll('[data-chain-id]').length;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(CULL_ABOVE);
    expect(svg.querySelectorAll('.graph-label').length).toBeGreaterThan(0);
    expect(getContext).toHaveBeenCalledWith('2d');
    getContext.mockRestore();
  }, 60_000);

  describe('above WORKER_ABOVE layers, where workers exist', () => {
    // 31 unrelated images of 50 layers each: 1,550 layers, more than the worker threshold.
    const large = Array.from({ length: 31 }, (_, i) =>
      graphImage(
        hex(`w${i}`),
        [`large/img${i}:1`],
        Array.from({ length: 50 }, (_, j) => `large-${i}-${j}`),
        Array.from({ length: 50 }, (_, j) => `RUN large ${j}`),
      ),
    );

    /** A module worker stand-in running the real handler on cloned messages, answering when released. */
    class FakeWorker {
      static readonly made: FakeWorker[] = [];
      static failToStart = false;
      readonly handle = createLayoutHandler();
      readonly queue: LayoutRequest[] = [];
      terminated = false;
      onmessage: ((event: MessageEvent<LayoutResponse>) => void) | null = null;
      onerror: ((event: ErrorEvent) => void) | null = null;
      constructor(
        readonly url: URL,
        readonly options: WorkerOptions,
      ) {
        if (FakeWorker.failToStart) throw new Error('workers are off');
        FakeWorker.made.push(this);
      }
      postMessage(message: LayoutRequest): void {
        this.queue.push(structuredClone(message));
      }
      terminate(): void {
        this.terminated = true;
      }
      /** Answers every queued request. */
      release(): void {
        for (const request of this.queue.splice(0)) {
          const data = structuredClone(this.handle(request));
          this.onmessage?.(new MessageEvent('message', { data }));
        }
      }
    }

    beforeEach(() => {
      FakeWorker.made.length = 0;
      FakeWorker.failToStart = false;
      vi.stubGlobal('Worker', FakeWorker);
    });
    afterEach(() => {
      vi.unstubAllGlobals();
    });

    function openLarge() {
      const bridge = createFakeBridge({
        'engine.ping': () => ({ ok: true, value: CONNECTED }),
        'images.list': () => ({ ok: true, value: [] }),
        'layers.graph': () => ({ ok: true, value: large }),
      });
      const view = renderWith(bridge, <App />);
      fireEvent.click(screen.getByRole('button', { name: 'Layers' }));
      return view;
    }

    it('lays the graph out in a module worker, saying so while it waits, and ends the worker with the view', async () => {
      expect(1550).toBeGreaterThan(WORKER_ABOVE);
      const view = openLarge();
      const status = await screen.findByRole('status', { name: 'Layout progress' });
      expect(status.textContent).toBe('Laying out 1550 layers…');
      expect(screen.queryByRole('group', { name: 'Layer graph' })).toBeNull();
      const worker = FakeWorker.made.at(-1);
      if (worker === undefined) throw new Error('no worker');
      expect(worker.options.type).toBe('module');
      expect(worker.url.pathname).toMatch(/layout\.worker\.ts$/);
      expect(worker.queue[0]?.images).toHaveLength(31);

      await act(async () => {
        worker.release();
        await Promise.resolve();
      });
      const svg = await screen.findByRole('group', { name: 'Layer graph' });
      expect(screen.queryByRole('status', { name: 'Layout progress' })).toBeNull();
      expect(screen.getByText('1550 layers · 31 images')).toBeTruthy();
      // Culled: only the layers near the viewport are in the DOM, labelled from the worker's graph.
      const rendered = svg.querySelectorAll('[data-chain-id]').length;
      expect(rendered).toBeGreaterThan(0);
      expect(rendered).toBeLessThan(1550);
      expect(layer('large-0-0')?.getAttribute('aria-label')).toBe('Layer large-0-0: RUN large 0');

      // Collapsing asks the same worker for a new layout, with only the collapsed set.
      fireEvent.doubleClick(layer('large-0-0')!);
      expect(worker.queue).toEqual([{ id: 2, images: null, collapsed: ['large-0-0'] }]);
      expect(screen.getByRole('status', { name: 'Layout progress' }).textContent).toBe('Laying out 1550 layers…');
      await act(async () => {
        worker.release();
        await Promise.resolve();
      });
      await waitFor(() => expect(layer('large-0-0')?.textContent).toContain('+49'));
      expect(layer('large-0-1')).toBeNull();

      view.unmount();
      expect(worker.terminated).toBe(true);
    });

    it('falls back to laying out on the main thread when the worker cannot start', async () => {
      FakeWorker.failToStart = true;
      openLarge();
      const svg = await screen.findByRole('group', { name: 'Layer graph' });
      expect(svg.querySelectorAll('[data-chain-id]').length).toBeGreaterThan(0);
      expect(layer('large-0-0')?.getAttribute('aria-label')).toBe('Layer large-0-0: RUN large 0');
    });
  });

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
