// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { graphImage, hex } from '../../testing/fakeBridge';
import { LayoutClient, type LayoutWorkerLike } from './layoutClient';
import { createLayoutHandler, type LayoutRequest, type LayoutResponse } from './layoutProtocol';

/** A worker that runs the real handler on cloned messages, answering only when told to. */
class ManualWorker implements LayoutWorkerLike {
  readonly handle = createLayoutHandler();
  readonly answers: LayoutResponse[] = [];
  readonly requests: LayoutRequest[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent<LayoutResponse>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  postMessage(message: LayoutRequest): void {
    const request = structuredClone(message);
    this.requests.push(request);
    this.answers.push(structuredClone(this.handle(request)));
  }
  terminate(): void {
    this.terminated = true;
  }
  /** Delivers the answer at this index (answers may be delivered in any order). */
  deliver(index: number): void {
    const answer = this.answers[index];
    if (answer === undefined) throw new Error(`no answer ${index}`);
    this.onmessage?.(new MessageEvent('message', { data: answer }));
  }
  fail(message: string): void {
    this.onerror?.(new ErrorEvent('error', { message, cancelable: true }));
  }
}

const DATA = [
  graphImage(hex('a'), ['lab/app:1.0'], ['base', 'app'], ['', 'COPY x']),
  graphImage(hex('d'), ['lab/app-debug:1.0'], ['base', 'app', 'debug'], ['', 'COPY x', 'RUN debug']),
];
const OTHER = [graphImage(hex('c'), ['lab/tool:1.0'], ['base', 'tool'], ['', 'RUN apk add'])];

function setup() {
  const workers: ManualWorker[] = [];
  const client = new LayoutClient(() => {
    const worker = new ManualWorker();
    workers.push(worker);
    return worker;
  });
  let notified = 0;
  client.subscribe(() => {
    notified += 1;
  });
  return { client, workers, notified: () => notified };
}

describe('LayoutClient', () => {
  it('starts no worker until it has data, then says how many layers it is laying out', () => {
    const { client, workers } = setup();
    expect(workers).toHaveLength(0);
    client.setData(DATA, 3);
    expect(workers).toHaveLength(1);
    expect(workers[0]?.requests[0]).toMatchObject({ images: DATA, collapsed: null });
    expect(client.getSnapshot()).toMatchObject({ pending: 3, graph: undefined, layout: undefined });
    workers[0]?.deliver(0);
    const done = client.getSnapshot();
    expect(done.pending).toBeNull();
    expect(done.layout?.nodes.map((n) => n.layer.label)).toEqual(['', 'COPY x', 'RUN debug']);
    expect(done.graph?.nodes.size).toBe(3);
  });

  it('asks for a new layout only when the collapsed set changes', () => {
    const { client, workers } = setup();
    client.setData(DATA, 3);
    const worker = workers[0]!;
    client.requestLayout(new Set(['app'])); // no graph yet: nothing to lay out
    expect(worker.requests).toHaveLength(1);
    worker.deliver(0);
    client.requestLayout(new Set()); // what the first answer used: no request
    expect(worker.requests).toHaveLength(1);
    client.requestLayout(new Set(['app']));
    expect(worker.requests[1]).toMatchObject({ images: null, collapsed: ['app'] });
    client.requestLayout(new Set(['app'])); // already asked
    expect(worker.requests).toHaveLength(2);
    worker.deliver(1);
    expect(client.getSnapshot().layout?.nodes.map((n) => n.chainId)).toEqual(['base', 'app']);
  });

  it('ignores stale answers: only the latest request is shown', () => {
    const { client, workers } = setup();
    client.setData(DATA, 3);
    const worker = workers[0]!;
    worker.deliver(0);
    client.requestLayout(new Set(['app']));
    client.requestLayout(new Set(['base']));
    worker.deliver(2);
    expect(client.getSnapshot().layout?.nodes.map((n) => n.chainId)).toEqual(['base']);
    worker.deliver(1); // late answer to the older request
    expect(client.getSnapshot().layout?.nodes.map((n) => n.chainId)).toEqual(['base']);
    expect(client.getSnapshot().pending).toBeNull();
  });

  it('new data supersedes everything in flight', () => {
    const { client, workers } = setup();
    client.setData(DATA, 3);
    client.setData(OTHER, 2);
    const worker = workers[0]!;
    worker.deliver(1);
    worker.deliver(0);
    expect(client.getSnapshot().graph?.images.map((i) => i.name)).toEqual(['lab/tool:1.0']);
    expect(client.getSnapshot().layout?.nodes.map((n) => n.chainId)).toEqual(['base', 'tool']);
  });

  it('reports a failed worker (the view then lays out on the main thread)', () => {
    const { client, workers } = setup();
    client.setData(DATA, 3);
    workers[0]?.fail('Refused to create a worker');
    expect(client.getSnapshot()).toMatchObject({ failed: true, pending: null, error: 'Refused to create a worker' });
  });

  it('a worker that cannot be created counts as failed', () => {
    const client = new LayoutClient(() => {
      throw new Error('no module workers');
    });
    client.setData(DATA, 3);
    expect(client.getSnapshot()).toMatchObject({ failed: true, error: 'no module workers' });
  });

  it('dispose terminates the worker, and new data starts a new one', () => {
    const { client, workers, notified } = setup();
    client.setData(DATA, 3);
    workers[0]?.deliver(0);
    const before = notified();
    client.dispose();
    expect(workers[0]?.terminated).toBe(true);
    expect(client.getSnapshot().graph).toBeUndefined();
    expect(notified()).toBeGreaterThan(before);
    workers[0]?.deliver(0); // an answer after the end changes nothing
    expect(client.getSnapshot().graph).toBeUndefined();
    client.setData(DATA, 3);
    expect(workers).toHaveLength(2);
  });
});
