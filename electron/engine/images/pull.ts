/**
 * images.pull, as a job. Progress is a pure reducer over the engine's JSON stream lines:
 *   {"status":"Pulling from lab/remote","id":"1.0"}
 *   {"status":"Pulling fs layer","progressDetail":{},"id":"a1b2"}
 *   {"status":"Downloading","progressDetail":{"current":1024,"total":8388608},"id":"a1b2"}
 *   {"status":"Download complete","id":"a1b2"}   {"status":"Extracting",...}   {"status":"Pull complete","id":"a1b2"}
 *   {"status":"Already exists","id":"c3d4"}      {"status":"Digest: sha256:..."}
 *   {"status":"Status: Downloaded newer image for lab/remote:1.0"}
 *   {"errorDetail":{"message":"..."},"error":"..."}
 */
import type { JobProgress } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import {
  encodeReferenceForPath,
  pullableReference,
  pullParameters,
  type ParsedReference,
} from '../../../shared/reference';
import { httpError, stalledError, streamError } from '../core/errors';
import { lineError } from '../core/stream-error';
import { runStreamed } from '../core/streamed';
import type { EngineContext, HandlerSlice } from '../host/context';
import { settle } from '../host/context';
import { registryAuthHeader, registryHostOf } from '../registries/credentials';
import { humanBytes, layerJobProgress, num, str, withShownFraction } from './layer-progress';
import { requireReference } from './reference';

interface LayerState {
  readonly id: string;
  readonly status: string;
  /** Bytes of the current phase, as the engine reports them. */
  readonly current: number;
  readonly total: number;
  /** Size of the compressed layer once known (from Downloading). */
  readonly downloadTotal: number;
  readonly downloaded: boolean;
  readonly extractCurrent: number;
  readonly extractTotal: number;
  readonly done: boolean;
}

export interface PullState {
  readonly reference: string;
  readonly layers: ReadonlyMap<string, LayerState>;
  readonly digest: string | undefined;
  /** The final "Status: ..." line, without the prefix. */
  readonly finalStatus: string | undefined;
  /** The first error the stream reported. */
  readonly error: string | undefined;
  readonly lastMessage: string;
  /** Highest fraction shown so far: progress never moves backwards. */
  readonly shownFraction: number | null;
  readonly lines: number;
}

export function initialPullState(reference: string): PullState {
  return {
    reference,
    layers: new Map(),
    digest: undefined,
    finalStatus: undefined,
    error: undefined,
    lastMessage: `Pulling ${reference}`,
    shownFraction: null,
    lines: 0,
  };
}

const NEW_LAYER: Omit<LayerState, 'id' | 'status'> = {
  current: 0,
  total: 0,
  downloadTotal: 0,
  downloaded: false,
  extractCurrent: 0,
  extractTotal: 0,
  done: false,
};

function nextLayer(previous: LayerState | undefined, id: string, status: string, detail: unknown): LayerState {
  const base: LayerState = previous ?? { id, status, ...NEW_LAYER };
  const record = typeof detail === 'object' && detail !== null ? (detail as Record<string, unknown>) : {};
  const current = num(record['current']);
  const total = num(record['total']);
  const lower = status.toLowerCase();

  if (lower === 'downloading') {
    const downloadTotal = total ?? base.downloadTotal;
    return { ...base, status, current: current ?? base.current, total: downloadTotal, downloadTotal };
  }
  if (lower === 'verifying checksum' || lower === 'download complete') {
    return { ...base, status, downloaded: true, current: base.downloadTotal, total: base.downloadTotal };
  }
  if (lower === 'extracting') {
    const extractTotal = total ?? base.extractTotal;
    const extractCurrent = current ?? base.extractCurrent;
    return {
      ...base,
      status,
      downloaded: true,
      extractCurrent,
      extractTotal,
      current: extractCurrent,
      total: extractTotal,
    };
  }
  if (lower === 'pull complete' || lower === 'already exists') {
    return {
      ...base,
      status,
      downloaded: true,
      done: true,
      current: base.downloadTotal,
      total: base.downloadTotal,
      extractCurrent: base.extractTotal,
    };
  }
  // Pulling fs layer, Waiting, Retrying in N seconds, and anything new: keep the bytes.
  return { ...base, status };
}

/** Weighted completion of one layer: download is 90 %, extraction the last 10 %. */
function layerFraction(layer: LayerState): number {
  if (layer.done) return 1;
  if (!layer.downloaded) return layer.downloadTotal > 0 ? 0.9 * Math.min(1, layer.current / layer.downloadTotal) : 0;
  const extracted = layer.extractTotal > 0 ? Math.min(1, layer.extractCurrent / layer.extractTotal) : 0;
  return 0.9 + 0.1 * extracted;
}

/** Overall fraction over layers whose size is known; null until one is. Capped below 1 while layers remain. */
export function overallFraction(state: PullState): number | null {
  let weighted = 0;
  let total = 0;
  let unknownPending = false;
  let allDone = state.layers.size > 0;
  for (const layer of state.layers.values()) {
    if (!layer.done) allDone = false;
    if (layer.downloadTotal > 0) {
      weighted += layerFraction(layer) * layer.downloadTotal;
      total += layer.downloadTotal;
    } else if (!layer.done) {
      unknownPending = true;
    }
  }
  if (state.finalStatus !== undefined || (allDone && state.digest !== undefined)) return 1;
  // Layers that already existed say nothing about what is left to do.
  if (total === 0) return null;
  // Until the engine says the image is in place, the pull is not finished.
  const fraction = weighted / total;
  return unknownPending ? Math.min(fraction, 0.95) : Math.min(fraction, 0.99);
}

function summary(state: PullState): string {
  const layers = [...state.layers.values()];
  if (state.error !== undefined) return `Failed: ${state.error}`;
  if (state.finalStatus !== undefined) return state.finalStatus;
  if (layers.length === 0) return state.lastMessage;
  const done = layers.filter((l) => l.done).length;
  const extracting = layers.some((l) => l.status.toLowerCase() === 'extracting');
  const current = layers.reduce((sum, l) => sum + (l.downloaded ? l.downloadTotal : l.current), 0);
  const total = layers.reduce((sum, l) => sum + l.downloadTotal, 0);
  const bytes = total > 0 ? ` (${humanBytes(current)} / ${humanBytes(total)})` : '';
  if (done === layers.length) return `Pulled ${done} of ${layers.length} layers`;
  return `${extracting ? 'Extracting' : 'Downloading'}: ${done} of ${layers.length} layers done${bytes}`;
}

/** Applies one stream line. Unknown shapes are ignored; errors are recorded, not thrown. */
export function reducePull(state: PullState, line: unknown): PullState {
  const lines = state.lines + 1;
  if (typeof line !== 'object' || line === null) return { ...state, lines };
  const error = lineError(line);
  if (error !== undefined) {
    const next = { ...state, lines, error: state.error ?? error };
    return { ...next, lastMessage: summary(next) };
  }
  const record = line as Record<string, unknown>;
  const status = str(record['status']);
  const id = str(record['id']);
  if (status === undefined) return { ...state, lines };

  if (status.startsWith('Digest: ')) return { ...state, lines, digest: status.slice('Digest: '.length).trim() };
  if (status.startsWith('Status: ')) {
    const next = { ...state, lines, finalStatus: status.slice('Status: '.length).trim() };
    return withFraction({ ...next, lastMessage: summary(next) });
  }
  // "Pulling from lab/remote" carries the tag as its id, not a layer.
  if (id === undefined || /^Pulling (from|repository)\b/.test(status) || /^Pulling image\b/.test(status)) {
    return { ...state, lines, lastMessage: id === undefined ? status : `${status} (${id})` };
  }
  const layers = new Map(state.layers);
  layers.set(id, nextLayer(state.layers.get(id), id, status, record['progressDetail']));
  const next = { ...state, lines, layers };
  return withFraction({ ...next, lastMessage: summary(next) });
}

function withFraction(state: PullState): PullState {
  return withShownFraction(state, overallFraction(state));
}

/** The contract's view of the state. */
export function toJobProgress(state: PullState): JobProgress {
  return layerJobProgress(state);
}

async function runPull(
  ctx: EngineContext,
  parsed: ParsedReference,
  signal: AbortSignal,
  report: (state: PullState) => void,
): Promise<Record<string, unknown>> {
  const reference = parsed.raw;
  const { fromImage, tag } = pullParameters(parsed);
  const headers: Record<string, string> = {};
  const auth = await ctx.registryAuth(registryHostOf(parsed));
  if (auth !== undefined) headers['X-Registry-Auth'] = registryAuthHeader(auth);

  let state = initialPullState(reference);
  await runStreamed(ctx, {
    request: { method: 'POST', path: '/images/create', query: { fromImage, tag }, headers },
    signal,
    onLine: (line) => {
      state = reducePull(state, line);
      report(state);
      return state.error === undefined;
    },
    onHttpError: (status, body) => httpError(status, body, { operation: 'pull', reference }),
    stalled: () => stalledError(reference, ctx.stallTimeoutMs),
    what: 'pull progress',
    broken: (why) =>
      `the engine at ${ctx.endpoint.address} ${why} during the pull of ${reference} (did Docker stop or restart?); the pull did not finish. Try again once Docker is running.`,
  });
  if (state.error !== undefined) throw streamError(state.error, reference);

  // Done only when the image inspects.
  const inspect = await ctx.engine().json({ method: 'GET', path: `/images/${encodeReferenceForPath(reference)}/json` });
  if (inspect.status === 404) {
    throw new StrataError(
      'engine_error',
      `the engine ended the pull of ${reference} without an error, but the image is not there; pull again.`,
    );
  }
  if (inspect.status !== 200) throw httpError(inspect.status, inspect.body, { operation: 'inspect', reference });
  const id = (inspect.value as { Id?: unknown } | undefined)?.Id;
  return {
    imageId: typeof id === 'string' ? id : '',
    reference,
    ...(state.digest === undefined ? {} : { digest: state.digest }),
    ...(state.finalStatus === undefined ? {} : { status: state.finalStatus }),
  };
}

export function pullHandlers(ctx: EngineContext): HandlerSlice<'images.pull'> {
  return {
    'images.pull': settle((args: { readonly reference: string }) => {
      const parsed = requireReference(args.reference);
      const pullable = pullableReference(parsed.raw);
      if (!pullable.ok) throw new StrataError('invalid_argument', pullable.reason);
      ctx.engine(); // an endpoint Strata cannot open fails the call, not the job
      const jobId = ctx.jobs.start('pull', parsed.raw, (job) =>
        runPull(ctx, parsed, job.signal, (state) => job.progress(toJobProgress(state))),
      );
      return { jobId };
    }),
  };
}
