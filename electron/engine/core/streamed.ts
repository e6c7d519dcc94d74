/**
 * One streamed engine operation (a push; a pull could use it too): opens a POST whose answer is a JSON
 * line stream, feeds each line to `onLine`, and turns every way it can end badly into a StrataError:
 * a non-200 answer (through `onHttpError`), a stall (no bytes for `stallTimeoutMs`: a ping tells a
 * stalled registry from a stuck engine), a cancel, a malformed stream, or an engine that died mid-way.
 */
import { StrataError } from '../../../shared/errors';
import type { EngineRequest } from './client';
import type { EngineContext } from '../host/context';
import { connectionError, malformedStreamError } from './errors';
import { NdjsonError, readNdjson } from './ndjson';

export interface StreamedOperation {
  readonly request: Omit<EngineRequest, 'signal' | 'timeoutMs'>;
  /** The job's cancel signal. */
  readonly signal: AbortSignal;
  /** Called with each parsed line; return false to stop reading (an error line). */
  readonly onLine: (line: unknown) => boolean;
  /** Maps a non-200 answer. */
  readonly onHttpError: (status: number, body: string) => StrataError;
  /** The error for a stream that made no progress for the stall timeout while the engine still answers. */
  readonly stalled: () => StrataError;
  /** What the stream is, for a malformed-stream message: "push progress". */
  readonly what: string;
  /** The message when the engine stopped or dropped the connection mid-way; `why` says which. */
  readonly broken: (why: string) => string;
}

type Ctx = Pick<EngineContext, 'engine' | 'ping' | 'requestTimeoutMs' | 'stallTimeoutMs' | 'endpoint'>;

export async function runStreamed(ctx: Ctx, op: StreamedOperation): Promise<void> {
  const pingTimeout = Math.min(ctx.requestTimeoutMs, 5_000);
  const controller = new AbortController();
  const onCancel = (): void => controller.abort(op.signal.reason);
  op.signal.addEventListener('abort', onCancel, { once: true });
  if (op.signal.aborted) onCancel();

  let stallTimer: NodeJS.Timeout | undefined;
  const onStall = (): void => {
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
  const arm = (): void => {
    if (stallTimer !== undefined) clearTimeout(stallTimer);
    if (!controller.signal.aborted) stallTimer = setTimeout(onStall, ctx.stallTimeoutMs);
  };

  // The client ends the open stream when the controller aborts (cancel, stall, engine gone); `finally` ends it when
  // the reading stops early.
  let stream: (NodeJS.ReadableStream & { destroy(): void }) | undefined;
  arm();
  try {
    const res = await ctx.engine().stream({
      ...op.request,
      signal: controller.signal,
      // Headers come with the first progress line; the stall watchdog must fire before this timeout.
      timeoutMs: ctx.stallTimeoutMs + pingTimeout + 1_000,
    });
    stream = res.stream;
    if (res.status !== 200) {
      const chunks: Buffer[] = [];
      for await (const chunk of res.stream) chunks.push(chunk as Buffer);
      throw op.onHttpError(res.status, Buffer.concat(chunks).toString('utf8'));
    }
    for await (const line of readNdjson(res.stream, { onChunk: arm })) {
      if (!op.onLine(line)) break;
    }
    if (controller.signal.aborted) throw controller.signal.reason;
  } catch (error) {
    if (controller.signal.aborted) throw controller.signal.reason;
    if (error instanceof NdjsonError) throw malformedStreamError(error, op.what);
    if (error instanceof StrataError) throw error;
    // The stream broke: the engine stopped or dropped the connection.
    const status = await ctx.ping(pingTimeout);
    const why = status.state === 'connected' ? 'dropped the connection' : 'stopped answering';
    throw new StrataError('engine_unreachable', op.broken(why), error instanceof Error ? error.message : String(error));
  } finally {
    if (stallTimer !== undefined) clearTimeout(stallTimer);
    op.signal.removeEventListener('abort', onCancel);
    stream?.destroy();
  }
}
