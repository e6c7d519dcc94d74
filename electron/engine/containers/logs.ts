/**
 * A container's log as `watch.logs` batches: GET /containers/{id}/logs, demultiplexed (non-TTY containers send
 * 8-byte frame headers, stream 1 stdout and 2 stderr; TTY containers send raw bytes, all stdout), decoded as UTF-8
 * per stream across chunk boundaries, split into lines, the timestamp prefix moved into `time`.
 *
 * Memory stays bounded for a container that writes megabytes a second: a batch keeps at most the newest
 * LOG_BATCH_MAX_LINES lines (the rest are counted in `dropped`), a line is cut at LOG_LINE_MAX_CHARS (marked "…"),
 * and so is the pending partial line; the HTTP stream is read with back-pressure.
 */
import type { LogLine, ParsedArgsOf } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import type { EngineContext } from '../host/context';
import { httpError } from '../core/errors';
import { containerInspectSchema, type ContainerInspect } from '../core/answers';

export type LogStream = LogLine['stream'];

export const LOG_BATCH_MAX_LINES = 1000;
export const LOG_LINE_MAX_CHARS = 16 * 1024;
export const LOG_BATCH_MS = 100;
/** Room for the timestamp prefix (`2024-01-02T03:04:05.123456789Z `) on top of the line cap. */
const TIMESTAMP_ROOM = 64;
const TRUNCATED = '…';

/**
 * Splits the engine's multiplexed stream (`[stream, 0, 0, 0, size32be]` + payload) into payload pieces.
 * Headers and payloads may be split anywhere across chunks; a payload is handed on as it arrives, never
 * buffered whole. Stream 0 (stdin) counts as stdout and 3 (the engine's own errors) as stderr, as the CLI does.
 */
export class FrameDemuxer {
  private readonly onPayload: (stream: LogStream, bytes: Uint8Array) => void;
  private readonly header = new Uint8Array(8);
  private headerFill = 0;
  private remaining = 0;
  private stream: LogStream = 'stdout';

  constructor(onPayload: (stream: LogStream, bytes: Uint8Array) => void) {
    this.onPayload = onPayload;
  }

  push(chunk: Uint8Array): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - offset);
        this.onPayload(this.stream, chunk.subarray(offset, offset + take));
        this.remaining -= take;
        offset += take;
        continue;
      }
      const take = Math.min(8 - this.headerFill, chunk.length - offset);
      this.header.set(chunk.subarray(offset, offset + take), this.headerFill);
      this.headerFill += take;
      offset += take;
      if (this.headerFill < 8) break;
      this.headerFill = 0;
      const kind = this.header[0];
      this.stream = kind === 2 || kind === 3 ? 'stderr' : 'stdout';
      const view = new DataView(this.header.buffer, this.header.byteOffset, 8);
      this.remaining = view.getUint32(4, false);
    }
  }
}

/**
 * One stream's bytes to lines: safe UTF-8 decoding across chunks (invalid bytes become U+FFFD), lines split on
 * "\n", the partial last line kept (capped) until its newline or `end()`.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8');
  private readonly onLine: (raw: string, truncated: boolean) => void;
  private readonly maxChars: number;
  private partial = '';
  private truncated = false;

  constructor(onLine: (raw: string, truncated: boolean) => void, maxChars: number) {
    this.onLine = onLine;
    this.maxChars = maxChars;
  }

  push(bytes: Uint8Array): void {
    this.text(this.decoder.decode(bytes, { stream: true }));
  }

  /** The stream ended: flush the decoder and the partial last line. */
  end(): void {
    this.text(this.decoder.decode());
    if (this.partial !== '' || this.truncated) this.line();
  }

  /** Characters held for the unfinished line (tests check the bound). */
  get pendingChars(): number {
    return this.partial.length;
  }

  private text(s: string): void {
    let start = 0;
    let newline = s.indexOf('\n');
    while (newline !== -1) {
      this.append(s, start, newline);
      this.line();
      start = newline + 1;
      newline = s.indexOf('\n', start);
    }
    this.append(s, start, s.length);
  }

  private append(s: string, from: number, to: number): void {
    if (this.truncated || from >= to) return;
    const room = this.maxChars - this.partial.length;
    if (to - from > room) {
      this.partial += s.slice(from, from + room);
      this.truncated = true;
    } else {
      this.partial += s.slice(from, to);
    }
  }

  private line(): void {
    const raw = this.partial;
    const truncated = this.truncated;
    this.partial = '';
    this.truncated = false;
    this.onLine(raw, truncated);
  }
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) ?/;

function cut(text: string, max: number): string {
  let end = max;
  // Never leave half a surrogate pair behind.
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

/** A raw log line to a LogLine: the timestamp prefix moved to `time`, a trailing "\r" dropped, long text cut. */
export function toLogLine(stream: LogStream, raw: string, truncated: boolean, timestamps: boolean): LogLine {
  let text = raw;
  let time: string | null = null;
  if (timestamps) {
    const match = TIMESTAMP.exec(text);
    if (match?.[1] !== undefined) {
      time = match[1];
      text = text.slice(match[0].length);
    }
  }
  if (!truncated && text.endsWith('\r')) text = text.slice(0, -1);
  if (text.length > LOG_LINE_MAX_CHARS) return { stream, text: cut(text, LOG_LINE_MAX_CHARS) + TRUNCATED, time };
  return { stream, text: truncated ? text + TRUNCATED : text, time };
}

export interface BatchTimers {
  readonly setTimeout: (fn: () => void, ms: number) => unknown;
  readonly clearTimeout: (handle: unknown) => void;
}

const realTimers: BatchTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Collects lines and hands them on at most every `intervalMs`, keeping the newest `maxLines` of a batch (a ring)
 * and counting the others as dropped.
 */
export class LogBatcher {
  private readonly ring: (LogLine | undefined)[];
  private head = 0;
  private count = 0;
  private dropped = 0;
  private timer: unknown = undefined;
  private readonly onBatch: (lines: LogLine[], dropped: number) => void;
  private readonly intervalMs: number;
  private readonly timers: BatchTimers;

  constructor(
    onBatch: (lines: LogLine[], dropped: number) => void,
    options: { readonly maxLines?: number; readonly intervalMs?: number; readonly timers?: BatchTimers } = {},
  ) {
    this.onBatch = onBatch;
    this.ring = new Array<LogLine | undefined>(Math.max(1, options.maxLines ?? LOG_BATCH_MAX_LINES));
    this.intervalMs = options.intervalMs ?? LOG_BATCH_MS;
    this.timers = options.timers ?? realTimers;
  }

  add(line: LogLine): void {
    const size = this.ring.length;
    if (this.count === size) {
      // Full: the oldest line of this batch makes room.
      this.ring[this.head] = line;
      this.head = (this.head + 1) % size;
      this.dropped += 1;
    } else {
      this.ring[(this.head + this.count) % size] = line;
      this.count += 1;
    }
    if (this.timer === undefined) this.timer = this.timers.setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Hands on what is pending now (the timer's job; also called at the end). */
  flush(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.count === 0 && this.dropped === 0) return;
    const size = this.ring.length;
    const lines: LogLine[] = [];
    for (let i = 0; i < this.count; i += 1) {
      const line = this.ring[(this.head + i) % size];
      if (line !== undefined) lines.push(line);
    }
    const dropped = this.dropped;
    this.ring.fill(undefined);
    this.head = 0;
    this.count = 0;
    this.dropped = 0;
    this.onBatch(lines, dropped);
  }

  /** Stops the timer without handing anything on. */
  dispose(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

export interface LogDecoderOptions {
  readonly tty: boolean;
  readonly timestamps: boolean;
  readonly onLine: (line: LogLine) => void;
}

/** Bytes of a log response to LogLines, for both TTY (raw) and multiplexed streams. */
export interface LogDecoder {
  push(chunk: Uint8Array): void;
  end(): void;
}

export function createLogDecoder(options: LogDecoderOptions): LogDecoder {
  const rawCap = LOG_LINE_MAX_CHARS + (options.timestamps ? TIMESTAMP_ROOM : 0);
  const splitterFor = (stream: LogStream): LineSplitter =>
    new LineSplitter((raw, truncated) => options.onLine(toLogLine(stream, raw, truncated, options.timestamps)), rawCap);
  const splitters: Record<LogStream, LineSplitter> = { stdout: splitterFor('stdout'), stderr: splitterFor('stderr') };
  if (options.tty) {
    return { push: (chunk) => splitters.stdout.push(chunk), end: () => splitters.stdout.end() };
  }
  const demuxer = new FrameDemuxer((stream, bytes) => splitters[stream].push(bytes));
  return {
    push: (chunk) => demuxer.push(chunk),
    end: () => {
      splitters.stdout.end();
      splitters.stderr.end();
    },
  };
}

/** The path segment of a container name or ID (the contract allows a leading "/"). */
export function containerPathOf(container: string): string {
  return encodeURIComponent(container.replace(/^\//, ''));
}

export function noSuchContainer(container: string): StrataError {
  return new StrataError('not_found', `No container named "${container.replace(/^\//, '')}".`);
}

/** GET /containers/{id}/json; 404 becomes "No container named X". */
export async function inspectContainer(
  ctx: Pick<EngineContext, 'engine'>,
  container: string,
  timeoutMs?: number,
): Promise<ContainerInspect> {
  const res = await ctx.engine().json({
    method: 'GET',
    path: `/containers/${containerPathOf(container)}/json`,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  if (res.status === 404) throw noSuchContainer(container);
  if (res.status < 200 || res.status >= 300) throw httpError(res.status, res.body, { operation: 'inspect' });
  return containerInspectSchema.parse(res.value);
}

/** An open engine stream a watch reads until it ends, errors or the signal stops it. */
export interface OpenedWatch {
  /** The container's full ID (stable across renames). */
  readonly containerId: string;
  /** Reads to the end; resolves when the engine ended the stream, rejects when it broke. */
  readonly pump: (signal: AbortSignal) => Promise<void>;
}

/**
 * Runs `read` over an engine response stream and destroys the stream when the signal fires or `read` settles (the
 * client's signal only covers the wait for the headers).
 */
export async function closingOnAbort<T>(
  stream: { destroy(): void },
  signal: AbortSignal,
  read: () => Promise<T>,
): Promise<T> {
  const close = (): void => stream.destroy();
  if (signal.aborted) close();
  else signal.addEventListener('abort', close, { once: true });
  try {
    return await read();
  } finally {
    signal.removeEventListener('abort', close);
    stream.destroy();
  }
}

/** The (small) body of an error answer to a streamed request, for the message. */
export function readErrorBody(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 64 * 1024) chunks.push(chunk);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', () => resolve(''));
  });
}

type LogsArgs = ParsedArgsOf<'containers.logsWatch'>;

/**
 * Inspects the container (to learn whether it has a TTY), then opens its log. Errors before the stream is open
 * (no such container, engine down) reject; afterwards `pump` delivers batches through `onBatch`.
 */
export async function openLogs(
  ctx: Pick<EngineContext, 'engine'>,
  args: LogsArgs,
  onBatch: (lines: LogLine[], dropped: number) => void,
): Promise<OpenedWatch> {
  const inspected = await inspectContainer(ctx, args.container);
  const id = inspected.Id !== '' ? inspected.Id : args.container;
  let tty = inspected.Config.Tty;
  const res = await ctx.engine().stream({
    method: 'GET',
    path: `/containers/${containerPathOf(id)}/logs`,
    query: {
      stdout: 1,
      stderr: 1,
      follow: args.follow ? 1 : 0,
      timestamps: args.timestamps ? 1 : 0,
      tail: String(args.tail),
    },
  });
  if (res.status !== 200) {
    const body = await readErrorBody(res.stream);
    if (res.status === 404) throw noSuchContainer(args.container);
    throw httpError(res.status, body, { operation: 'inspect' });
  }
  // Engines of API 1.42+ say which framing they send; older ones only through Config.Tty.
  const type = res.headers['content-type'];
  const contentType = Array.isArray(type) ? type[0] : type;
  if (contentType === 'application/vnd.docker.raw-stream') tty = true;
  if (contentType === 'application/vnd.docker.multiplexed-stream') tty = false;

  return {
    containerId: id,
    pump: async (signal) => {
      const batcher = new LogBatcher(onBatch);
      const decoder = createLogDecoder({ tty, timestamps: args.timestamps, onLine: (line) => batcher.add(line) });
      try {
        await closingOnAbort(res.stream, signal, async () => {
          for await (const chunk of res.stream) {
            if (signal.aborted) break;
            decoder.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer));
          }
        });
        if (!signal.aborted) decoder.end();
        if (!signal.aborted) batcher.flush();
      } catch (error) {
        // What arrived before the break is still shown.
        if (!signal.aborted) batcher.flush();
        throw error;
      } finally {
        batcher.dispose();
      }
    },
  };
}
