import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LogLine } from '../../../shared/api';
import {
  FrameDemuxer,
  LineSplitter,
  LOG_BATCH_MAX_LINES,
  LOG_LINE_MAX_CHARS,
  LogBatcher,
  createLogDecoder,
  toLogLine,
} from './logs';

const enc = new TextEncoder();

/** One multiplexed frame as the engine writes it. */
function frame(stream: 1 | 2, text: string | Uint8Array): Uint8Array {
  const payload = typeof text === 'string' ? enc.encode(text) : text;
  const out = new Uint8Array(8 + payload.length);
  out[0] = stream;
  new DataView(out.buffer).setUint32(4, payload.length, false);
  out.set(payload, 8);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Decodes `bytes` delivered in pieces cut at `cuts`. */
function decode(bytes: Uint8Array, cuts: readonly number[], tty: boolean, timestamps = false): LogLine[] {
  const lines: LogLine[] = [];
  const decoder = createLogDecoder({ tty, timestamps, onLine: (line) => lines.push(line) });
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    decoder.push(bytes.subarray(from, cut));
    from = cut;
  }
  decoder.end();
  return lines;
}

describe('multiplexed (non-TTY) logs', () => {
  const stream = concat([
    frame(1, 'out one\nout tw'),
    frame(2, 'err one\n'),
    frame(1, 'o\n'),
    frame(2, 'héllo € 🙂\n'),
    frame(1, 'last without newline'),
  ]);
  const expected: LogLine[] = [
    { stream: 'stdout', text: 'out one', time: null },
    { stream: 'stderr', text: 'err one', time: null },
    { stream: 'stdout', text: 'out two', time: null },
    { stream: 'stderr', text: 'héllo € 🙂', time: null },
    { stream: 'stdout', text: 'last without newline', time: null },
  ];

  it('keeps stdout and stderr apart, joins a line split over frames, flushes the last partial line', () => {
    expect(decode(stream, [], false)).toEqual(expected);
  });

  it('gives the same lines wherever the chunks split (inside headers and inside UTF-8 sequences)', () => {
    for (let cut = 1; cut < stream.length; cut += 1) {
      expect(decode(stream, [cut], false)).toEqual(expected);
    }
    // One byte at a time.
    expect(
      decode(
        stream,
        Array.from({ length: stream.length - 1 }, (_, i) => i + 1),
        false,
      ),
    ).toEqual(expected);
  });

  it('splits a frame holding many lines, and a UTF-8 character split across two frames', () => {
    const smile = enc.encode('🙂');
    const bytes = concat([
      frame(1, 'a\nb\nc\n'),
      frame(1, smile.subarray(0, 2)),
      frame(1, smile.subarray(2)),
      frame(1, '\n'),
    ]);
    expect(decode(bytes, [], false).map((l) => l.text)).toEqual(['a', 'b', 'c', '🙂']);
  });

  it('replaces invalid UTF-8 instead of failing', () => {
    const bytes = frame(1, new Uint8Array([0x61, 0xff, 0x62, 0x0a]));
    expect(decode(bytes, [], false)[0]?.text).toBe('a\uFFFDb');
  });

  it('hands a big frame on as it arrives, without waiting for the whole payload', () => {
    const got: string[] = [];
    const demuxer = new FrameDemuxer((s, bytes) => got.push(`${s}:${new TextDecoder().decode(bytes)}`));
    const big = frame(2, 'x'.repeat(100));
    demuxer.push(big.subarray(0, 50));
    expect(got).toEqual([`stderr:${'x'.repeat(42)}`]);
    demuxer.push(big.subarray(50));
    expect(got.join('').replace(/stderr:/g, '')).toBe('x'.repeat(100));
  });
});

describe('TTY logs', () => {
  it('are raw bytes, all stdout, with the terminal\'s "\\r\\n" endings stripped', () => {
    const bytes = enc.encode('first\r\nsecond €\r\nthird');
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      expect(decode(bytes, [cut], true)).toEqual([
        { stream: 'stdout', text: 'first', time: null },
        { stream: 'stdout', text: 'second €', time: null },
        { stream: 'stdout', text: 'third', time: null },
      ]);
    }
  });
});

describe('timestamps', () => {
  it('moves the engine timestamp into time', () => {
    const bytes = concat([
      frame(1, '2026-11-25T03:40:01.123456789Z hello world\n'),
      frame(2, '2026-11-25T03:40:02.000000001Z  two spaces\n'),
    ]);
    expect(decode(bytes, [], false, true)).toEqual([
      { stream: 'stdout', text: 'hello world', time: '2026-11-25T03:40:01.123456789Z' },
      { stream: 'stderr', text: ' two spaces', time: '2026-11-25T03:40:02.000000001Z' },
    ]);
  });

  it('leaves a line without a timestamp alone', () => {
    expect(toLogLine('stdout', 'no time here', false, true)).toEqual({
      stream: 'stdout',
      text: 'no time here',
      time: null,
    });
  });
});

describe('bounds', () => {
  it('cuts a long line at 16 KiB and marks it', () => {
    const lines = decode(frame(1, `${'y'.repeat(40_000)}\nnext\n`), [10_000, 20_000], false);
    expect(lines).toHaveLength(2);
    expect(lines[0]?.text).toBe(`${'y'.repeat(LOG_LINE_MAX_CHARS)}…`);
    expect(lines[1]?.text).toBe('next');
  });

  it('keeps the pending partial line bounded while a line never ends', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((raw, truncated) => lines.push(truncated ? `${raw}…` : raw), 1000);
    const chunk = enc.encode('z'.repeat(64 * 1024));
    for (let i = 0; i < 100; i += 1) {
      splitter.push(chunk);
      expect(splitter.pendingChars).toBeLessThanOrEqual(1000);
    }
    splitter.push(enc.encode('\n'));
    expect(lines).toEqual([`${'z'.repeat(1000)}…`]);
  });
});

describe('batches', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a flood of 100k lines: no batch exceeds the cap, dropped counts the rest, the newest lines are kept', () => {
    const batches: { lines: LogLine[]; dropped: number; at: number }[] = [];
    const batcher = new LogBatcher((lines, dropped) => batches.push({ lines, dropped, at: Date.now() }));
    const decoder = createLogDecoder({ tty: false, timestamps: false, onLine: (line) => batcher.add(line) });
    const total = 100_000;
    for (let i = 0; i < total; i += 1) {
      decoder.push(frame(i % 2 === 0 ? 1 : 2, `line ${i}\n`));
      if (i % 7000 === 0) vi.advanceTimersByTime(60);
    }
    decoder.end();
    batcher.flush();
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) expect(batch.lines.length).toBeLessThanOrEqual(LOG_BATCH_MAX_LINES);
    const shown = batches.reduce((n, b) => n + b.lines.length, 0);
    const dropped = batches.reduce((n, b) => n + b.dropped, 0);
    expect(shown + dropped).toBe(total);
    expect(dropped).toBeGreaterThan(0);
    const last = batches.at(-1)?.lines.at(-1);
    expect(last).toEqual({ stream: 'stderr', text: `line ${total - 1}`, time: null });
    // Each batch holds consecutive lines, oldest first.
    for (const batch of batches) {
      const numbers = batch.lines.map((l) => Number(l.text.slice(5)));
      for (let i = 1; i < numbers.length; i += 1) expect(numbers[i]).toBe((numbers[i - 1] ?? 0) + 1);
    }
    // Timer batches come at most every 100 ms (the final flush is the end of the stream).
    const timed = batches.slice(0, -1);
    for (let i = 1; i < timed.length; i += 1) {
      expect((timed[i]?.at ?? 0) - (timed[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(100);
    }
  });

  it("sends a quiet stream's line within 100 ms, and nothing when nothing came", () => {
    const batches: LogLine[][] = [];
    const batcher = new LogBatcher((lines) => batches.push(lines));
    batcher.add({ stream: 'stdout', text: 'a', time: null });
    vi.advanceTimersByTime(99);
    expect(batches).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(batches).toEqual([[{ stream: 'stdout', text: 'a', time: null }]]);
    vi.advanceTimersByTime(1000);
    batcher.flush();
    expect(batches).toHaveLength(1);
  });
});
