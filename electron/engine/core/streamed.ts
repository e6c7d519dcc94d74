/**
 * The one way Strata runs a streamed engine operation (pull, push, build, load, import, save, export): opens the
 * request with the job's cancel signal chained in, optionally sends a body stream (a tar), reads the answer — as
 * JSON lines (`runStreamed`) or as raw bytes a consumer pipes somewhere (`runStreamedRaw`) — and turns every way it
 * can end badly into a StrataError: a non-200 answer (through `onHttpError`), a stall (no byte sent or received for
 * `ctx.stallTimeoutMs`: a ping tells a stuck registry or build from a frozen engine), a cancel, a malformed stream,
 * or an engine that died mid-way (a ping tells a dropped connection from a stopped engine).
 */
import { Transform, type Readable } from 'node:stream';
import { StrataError } from '../../../shared/errors';
import type { EngineRequest } from './client';
import type { EngineContext } from '../host/context';
import { connectionError, malformedStreamError } from './errors';
import { NdjsonError, readNdjson } from './ndjson';

/** A node or streamx readable (a tar-stream pack, a file stream). */
export interface UploadSource {
  pipe(destination: NodeJS.WritableStream): unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
  destroy(): unknown;
}

export interface StreamedUpload {
  /** The body, sent chunked; every chunk taken by the engine re-arms the idle watchdog. */
  readonly stream: UploadSource;
  readonly contentType: string;
  /** Bytes of each chunk as it goes out (progress). */
  readonly onChunk?: (bytes: number) => void;
  /**
   * The engine reads the whole body before it answers (load, import): from the end of the upload until the answer's
   * headers the idle watchdog is off and `headersTimeoutMs` alone applies.
   */
  readonly engineReadsAllFirst?: boolean;
}

interface StreamedBase {
  readonly request: Omit<EngineRequest, 'signal' | 'timeoutMs' | 'upload'>;
  readonly upload?: StreamedUpload;
  /** The job's cancel signal. */
  readonly signal: AbortSignal;
  /** How long to wait for the answer's headers. Default: the stall timeout plus a ping's, so the watchdog fires first. */
  readonly headersTimeoutMs?: number;
  /** Maps a non-200 answer. */
  readonly onHttpError: (status: number, body: string) => StrataError;
  /** The error for a stream that made no progress for the stall timeout while the engine still answers. */
  readonly stalled: () => StrataError;
  /** Ping on a stall, and say so when the engine itself is gone (default true); false: always `stalled()`. */
  readonly pingOnStall?: boolean;
  /** The message when the engine stopped or dropped the connection mid-way; `why` says which. */
  readonly broken: (why: string) => string;
}

export interface StreamedOperation extends StreamedBase {
  /** What the stream is, for a malformed-stream message: "push progress". */
  readonly what: string;
  /** Called with each parsed line; return false to stop reading (an error line). */
  readonly onLine: (line: unknown) => boolean;
  /** Called once the reading stopped (the stream ended, or `onLine` said stop), before a cancel or stall is thrown. */
  readonly onEnd?: () => void;
}

/** What a raw consumer gets besides the body: the signal that ends the operation, and the watchdog to feed. */
export interface StreamWatch {
  /** Aborts on cancel, stall or an engine that is gone; its reason is the error to end with. */
  readonly signal: AbortSignal;
  /** Call for every chunk the consumer takes from the body. */
  readonly tick: () => void;
}

export interface RawStreamedOperation<T> extends StreamedBase {
  /** Consumes the body (pipes it to a file); throw a StrataError for what it finds wrong. */
  readonly onBody: (body: Readable, watch: StreamWatch) => Promise<T>;
}

type Ctx = Pick<EngineContext, 'engine' | 'ping' | 'requestTimeoutMs' | 'stallTimeoutMs' | 'endpoint'>;

async function readText(stream: AsyncIterable<unknown>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

async function run<T>(
  ctx: Ctx,
  op: StreamedBase,
  consume: (body: Readable, watch: StreamWatch) => Promise<T>,
  malformed: (error: NdjsonError) => StrataError,
): Promise<T> {
  const pingTimeout = Math.min(ctx.requestTimeoutMs, 5_000);
  const controller = new AbortController();
  const onCancel = (): void => controller.abort(op.signal.reason);
  op.signal.addEventListener('abort', onCancel, { once: true });
  if (op.signal.aborted) onCancel();

  let stallTimer: NodeJS.Timeout | undefined;
  /** True between the end of an upload the engine reads whole and the answer's headers. */
  let waitingForEngine = false;
  let answered = false;
  const onStall = (): void => {
    if (op.pingOnStall === false) {
      controller.abort(op.stalled());
      return;
    }
    ctx.ping(pingTimeout).then(
      (status) =>
        controller.abort(
          status.state === 'connected'
            ? op.stalled()
            : StrataError.fromShape(
                status.error ?? connectionError(new Error('no answer'), ctx.endpoint.address).toShape(),
              ),
        ),
      () => controller.abort(op.stalled()),
    );
  };
  const disarm = (): void => {
    if (stallTimer !== undefined) clearTimeout(stallTimer);
    stallTimer = undefined;
  };
  const arm = (): void => {
    disarm();
    if (!controller.signal.aborted && !waitingForEngine) stallTimer = setTimeout(onStall, ctx.stallTimeoutMs);
  };

  // The body goes through a counter that feeds the watchdog; a cancel, stall or failure stops it.
  let uploadError: Error | undefined;
  let counter: Transform | undefined;
  const upload = op.upload;
  if (upload !== undefined) {
    const sending = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        arm();
        upload.onChunk?.(chunk.length);
        callback(null, chunk);
      },
      flush(callback) {
        if (upload.engineReadsAllFirst === true && !answered) {
          waitingForEngine = true;
          disarm();
        }
        callback();
      },
    });
    upload.stream.once('error', (error) => {
      uploadError = error;
      sending.destroy(error);
    });
    upload.stream.pipe(sending);
    counter = sending;
  }
  const stopUpload = (): void => {
    upload?.stream.destroy();
    counter?.destroy();
  };
  controller.signal.addEventListener('abort', stopUpload, { once: true });

  // The client ends the open stream when the controller aborts (cancel, stall, engine gone); `finally` ends it when
  // the reading stops early.
  let stream: Readable | undefined;
  arm();
  try {
    const res = await ctx.engine().stream({
      ...op.request,
      ...(counter === undefined || upload === undefined
        ? {}
        : { upload: { stream: counter, contentType: upload.contentType } }),
      signal: controller.signal,
      timeoutMs: op.headersTimeoutMs ?? ctx.stallTimeoutMs + pingTimeout + 1_000,
    });
    answered = true;
    stream = res.stream;
    if (waitingForEngine) {
      waitingForEngine = false;
      arm();
    }
    if (res.status !== 200) throw op.onHttpError(res.status, await readText(res.stream));
    const result = await consume(res.stream, { signal: controller.signal, tick: arm });
    if (controller.signal.aborted) throw controller.signal.reason;
    return result;
  } catch (error) {
    if (controller.signal.aborted) throw controller.signal.reason;
    if (error instanceof NdjsonError) throw malformed(error);
    if (error instanceof StrataError) throw error;
    // The body could not be read (a file that went away): that is the error, not the engine.
    if (uploadError !== undefined) throw uploadError;
    // The stream broke: the engine stopped or dropped the connection.
    const status = await ctx.ping(pingTimeout);
    const why = status.state === 'connected' ? 'dropped the connection' : 'stopped answering';
    throw new StrataError('engine_unreachable', op.broken(why), error instanceof Error ? error.message : String(error));
  } finally {
    disarm();
    op.signal.removeEventListener('abort', onCancel);
    controller.signal.removeEventListener('abort', stopUpload);
    stream?.destroy();
    stopUpload();
  }
}

/** A streamed operation whose answer is JSON lines (pull, push, build, load, import). */
export async function runStreamed(ctx: Ctx, op: StreamedOperation): Promise<void> {
  await run(
    ctx,
    op,
    async (body, watch) => {
      for await (const line of readNdjson(body, { onChunk: watch.tick })) {
        if (!op.onLine(line)) break;
      }
      op.onEnd?.();
    },
    (error) => malformedStreamError(error, op.what),
  );
}

/** A streamed operation whose answer is raw bytes (save, export): `onBody` consumes them and feeds the watchdog. */
export function runStreamedRaw<T>(ctx: Ctx, op: RawStreamedOperation<T>): Promise<T> {
  return run(ctx, op, op.onBody, (error) => malformedStreamError(error, 'answer'));
}
