import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readNdjson } from '../core/ndjson';
import { lineError } from '../core/stream-error';
import { initialPullState, reducePull, toJobProgress, type PullState } from './pull';

const fixtures = join(__dirname, '../../../test/fixtures/engine');

/** Replays a recorded engine stream in small chunks, as the socket would deliver it. */
async function replay(file: string, reference: string): Promise<PullState[]> {
  const bytes = readFileSync(join(fixtures, file));
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 37) chunks.push(bytes.subarray(i, i + 37));
  const states: PullState[] = [];
  let state = initialPullState(reference);
  for await (const line of readNdjson(Readable.from(chunks))) {
    state = reducePull(state, line);
    states.push(state);
  }
  return states;
}

describe('pull progress from a recorded engine stream', () => {
  it('tracks each layer and ends at 1 with the final status (big image, throttled)', async () => {
    const states = await replay('pull-big.ndjson', '127.0.0.1:5000/lab/big:1.0');
    const last = states.at(-1);
    if (last === undefined) throw new Error('no lines');
    const progress = toJobProgress(last);
    // "Pulling from lab/big" carries the tag as id: it is not a layer.
    expect(progress.layers.map((l) => l.id)).toEqual(['3824dc3ee497', '9a9ccc5f7ce2']);
    expect(progress.layers.map((l) => l.status)).toEqual(['Already exists', 'Pull complete']);
    expect(progress.layers.every((l) => l.done)).toBe(true);
    expect(progress.fraction).toBe(1);
    expect(progress.message).toBe('Downloaded newer image for 127.0.0.1:5000/lab/big:1.0');
    expect(last.digest).toBe('sha256:2fc422dd1bfc75d5a8f7069c36cb51951aa7441403f283f9f15827c798d361f0');
    expect(last.error).toBeUndefined();
  });

  it('moves the fraction forward only, from a known total, and stays below 1 until the engine is done', async () => {
    const states = await replay('pull-big.ndjson', '127.0.0.1:5000/lab/big:1.0');
    const fractions = states.map((s) => toJobProgress(s).fraction);
    expect(fractions[0]).toBeNull(); // nothing known yet
    const known = fractions.filter((f): f is number => f !== null);
    for (let i = 1; i < known.length; i++) expect(known[i]).toBeGreaterThanOrEqual(known[i - 1] ?? 0);
    const beforeStatus = states.filter((s) => s.finalStatus === undefined).map((s) => toJobProgress(s).fraction ?? 0);
    expect(Math.max(...beforeStatus)).toBeLessThan(1);
    // Halfway through the download, the fraction says roughly half of the download.
    const mid = states.find((s) => {
      const layer = s.layers.get('9a9ccc5f7ce2');
      return layer !== undefined && layer.status === 'Downloading' && layer.current > layer.total / 2;
    });
    const midFraction = mid === undefined ? null : toJobProgress(mid).fraction;
    expect(midFraction).toBeGreaterThan(0.4);
    expect(midFraction).toBeLessThan(0.95);
    expect(toJobProgress(mid ?? states[0]!).message).toMatch(/^Downloading: 1 of 2 layers done \(.* MB \/ 8\.4 MB\)$/);
  });

  it('shows per-layer bytes while downloading and extracting', async () => {
    const states = await replay('pull-big.ndjson', 'x');
    const extracting = states
      .map((s) => toJobProgress(s).layers.find((l) => l.id === '9a9ccc5f7ce2'))
      .find((l) => l?.status === 'Extracting');
    expect(extracting).toMatchObject({ total: 8391324, done: false });
    expect(extracting?.current).toBeGreaterThan(0);
  });

  it('handles a small image with an already existing layer', async () => {
    const states = await replay('pull-small.ndjson', '127.0.0.1:5000/lab/remote:1.0');
    const progress = toJobProgress(states.at(-1)!);
    expect(progress.layers).toEqual([
      { id: '3824dc3ee497', status: 'Already exists', current: 0, total: 0, done: true },
      { id: '12fdf027482c', status: 'Pull complete', current: 138, total: 138, done: true },
    ]);
    expect(progress.fraction).toBe(1);
  });
});

describe('errors inside the stream', () => {
  it('records the first error line, whatever field carries it', () => {
    expect(lineError({ errorDetail: { message: 'boom' }, error: 'boom' })).toBe('boom');
    expect(lineError({ errorDetail: { message: 'only detail' } })).toBe('only detail');
    expect(lineError({ error: 'only error' })).toBe('only error');
    expect(lineError({ status: 'Downloading' })).toBeUndefined();
    let state = initialPullState('r');
    state = reducePull(state, { status: 'Pulling fs layer', id: 'a', progressDetail: {} });
    state = reducePull(state, {
      errorDetail: { message: 'received unexpected HTTP status: 500 Internal Server Error' },
      error: 'received unexpected HTTP status: 500 Internal Server Error',
    });
    state = reducePull(state, { error: 'second' });
    expect(state.error).toBe('received unexpected HTTP status: 500 Internal Server Error');
    expect(toJobProgress(state).message).toMatch(/^Failed: received unexpected HTTP status: 500/);
  });

  it('ignores lines of unknown shape', () => {
    let state = initialPullState('r');
    state = reducePull(state, 42);
    state = reducePull(state, null);
    state = reducePull(state, { aux: { ID: 'x' } });
    expect(state.layers.size).toBe(0);
    expect(state.error).toBeUndefined();
    expect(state.lines).toBe(3);
  });
});
