/**
 * The main thread's side of the layout worker: sends requests, keeps only the latest answer, and exposes the result
 * as a snapshot for `useSyncExternalStore`.
 */
import type { LayerGraph } from '../../../../shared/graph';
import type { GraphImageData } from '../../../../shared/api';
import type { LayerLayout } from './layout';
import { fromWire, type LayoutRequest, type LayoutResponse } from './layoutProtocol';

/** What the client needs of a Worker (a fake in unit tests). */
export interface LayoutWorkerLike {
  postMessage(message: LayoutRequest): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<LayoutResponse>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

export interface LayoutSnapshot {
  /** The graph of the latest data, once the worker has built it. */
  readonly graph: LayerGraph | undefined;
  /** The latest layout and the collapsed set it used. */
  readonly layout: LayerLayout | undefined;
  readonly collapsed: ReadonlySet<string> | undefined;
  /** Layers being laid out right now (null when idle): the view says so. */
  readonly pending: number | null;
  readonly error: string | undefined;
  /** The worker itself failed (did not load, crashed): the view lays out on the main thread instead. */
  readonly failed: boolean;
}

const EMPTY: LayoutSnapshot = {
  graph: undefined,
  layout: undefined,
  collapsed: undefined,
  pending: null,
  error: undefined,
  failed: false,
};

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const id of a) if (!b.has(id)) return false;
  return true;
}

export class LayoutClient {
  private snapshot: LayoutSnapshot = EMPTY;
  private readonly listeners = new Set<() => void>();
  private nextId = 1;
  /** The id of the latest request: only its answer is used. */
  private latest = 0;
  /** The id of the latest request that carried data: its graph is kept even if a later layout supersedes it. */
  private dataRequest = 0;
  private data: readonly GraphImageData[] | undefined;
  /** The worker's answer to the latest data has arrived. */
  private graphReady = false;
  private layerCount = 0;
  /** The collapsed set of the latest request (null: the worker's default). */
  private requested: ReadonlySet<string> | null = null;

  private worker: LayoutWorkerLike | null = null;

  /** Nothing starts until the first `setData`, so creating a client has no side effect. */
  constructor(private readonly createWorker: () => LayoutWorkerLike) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): LayoutSnapshot => this.snapshot;

  /** New engine data: builds its graph and lays it out with the default collapsed set. */
  setData(images: readonly GraphImageData[], layerCount: number): void {
    if (images === this.data) return;
    this.data = images;
    this.layerCount = layerCount;
    this.requested = null;
    this.graphReady = false;
    this.dataRequest = this.post({ images, collapsed: null });
  }

  /** Lays the current graph out with this collapsed set, unless that is what was asked for or shown already. */
  requestLayout(collapsed: ReadonlySet<string>): void {
    if (!this.graphReady) return;
    if (this.requested !== null && sameSet(this.requested, collapsed)) return;
    if (
      this.requested === null &&
      this.latest === this.dataRequest &&
      this.snapshot.pending === null &&
      this.snapshot.collapsed !== undefined &&
      sameSet(this.snapshot.collapsed, collapsed)
    ) {
      this.requested = collapsed;
      return;
    }
    this.requested = collapsed;
    this.post({ images: null, collapsed: [...collapsed] });
  }

  /** Ends the worker and forgets everything; a later `setData` starts a new worker. */
  dispose(): void {
    const worker = this.worker;
    this.worker = null;
    if (worker !== null) {
      worker.onmessage = null;
      worker.onerror = null;
      worker.terminate();
    }
    this.data = undefined;
    this.graphReady = false;
    this.requested = null;
    this.latest = 0;
    this.dataRequest = 0;
    this.update(EMPTY);
  }

  private start(): LayoutWorkerLike {
    if (this.worker !== null) return this.worker;
    const worker = this.createWorker();
    worker.onmessage = (event) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.update({ pending: null, error: event.message || 'The layout worker failed.', failed: true });
    };
    this.worker = worker;
    return worker;
  }

  private post(request: Omit<LayoutRequest, 'id'>): number {
    const id = this.nextId++;
    this.latest = id;
    try {
      this.start().postMessage({ id, ...request });
    } catch (error) {
      // The worker could not even start (no module workers, a policy refused it): lay out on the main thread.
      this.update({ pending: null, error: error instanceof Error ? error.message : String(error), failed: true });
      return id;
    }
    this.update({ pending: this.layerCount, error: undefined });
    return id;
  }

  private receive(response: LayoutResponse): void {
    if (response.id === this.dataRequest && response.ok && response.graph !== null && response.id !== this.latest) {
      // A newer layout request is on its way, but the graph it lays out is this one.
      this.graphReady = true;
      this.update({ graph: response.graph });
      return;
    }
    if (response.id !== this.latest) return;
    if (!response.ok) {
      this.update({ pending: null, error: response.message });
      return;
    }
    const graph = response.graph ?? this.snapshot.graph;
    if (graph === undefined) return;
    if (response.id === this.dataRequest) this.graphReady = true;
    this.update({
      graph,
      layout: fromWire(response.layout, graph),
      collapsed: new Set(response.collapsed),
      pending: null,
      error: undefined,
    });
  }

  private update(change: Partial<LayoutSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) listener();
  }
}
