/**
 * Push a tag to the registry it names, as a job. Progress is a pure reducer over the engine's lines:
 *   {"status":"The push refers to repository [127.0.0.1:5000/team/app]"}
 *   {"status":"Preparing","progressDetail":{},"id":"51a29e3f7432"}   {"status":"Waiting",…}
 *   {"status":"Pushing","progressDetail":{"current":512,"total":2048},"id":"51a29e3f7432"}
 *   {"status":"Pushed",…}   {"status":"Layer already exists",…}   {"status":"Mounted from team/base",…}
 *   {"status":"1: digest: sha256:… size: 735"}   {"aux":{"Tag":"1","Digest":"sha256:…","Size":735}}
 *   {"errorDetail":{"message":"…"},"error":"…"}
 * Quirk: a tag that does not exist locally answers 200 with the error inside the stream.
 */
import type { JobProgress } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import { encodeReferenceForPath, parseReference } from '../../../shared/reference';
import type { EngineContext, HandlerSlice } from '../host/context';
import { settle } from '../host/context';
import { registryAuthHeader } from '../registries/credentials';
import { engineMessageOf, pushError, registryLabel } from '../core/errors';
import { humanBytes, layerJobProgress, num, str, withShownFraction } from './layer-progress';
import { lineError } from '../core/stream-error';
import { runStreamed } from '../core/streamed';

interface PushLayer {
  readonly id: string;
  readonly status: string;
  readonly current: number;
  readonly total: number;
  /** Bytes were (or are being) uploaded for this layer. */
  readonly uploaded: boolean;
  /** The registry had it already (exists, or mounted from another repository). */
  readonly existed: boolean;
  readonly done: boolean;
}

export interface PushState {
  readonly reference: string;
  readonly layers: ReadonlyMap<string, PushLayer>;
  readonly digest: string | undefined;
  readonly size: number | undefined;
  readonly error: string | undefined;
  readonly lastMessage: string;
  /** Highest fraction shown so far: progress never moves backwards. */
  readonly shownFraction: number | null;
  readonly lines: number;
}

export function initialPushState(reference: string): PushState {
  return {
    reference,
    layers: new Map(),
    digest: undefined,
    size: undefined,
    error: undefined,
    lastMessage: `Pushing ${reference}`,
    shownFraction: null,
    lines: 0,
  };
}

function nextLayer(previous: PushLayer | undefined, id: string, status: string, detail: unknown): PushLayer {
  const base: PushLayer = previous ?? {
    id,
    status,
    current: 0,
    total: 0,
    uploaded: false,
    existed: false,
    done: false,
  };
  const record = typeof detail === 'object' && detail !== null ? (detail as Record<string, unknown>) : {};
  const lower = status.toLowerCase();
  if (lower === 'pushing') {
    const current = num(record['current']) ?? base.current;
    // The engine's total can be smaller than what it already sent (it counts differently): never below current.
    const total = Math.max(num(record['total']) ?? base.total, current);
    return { ...base, status, current, total, uploaded: true };
  }
  if (lower === 'pushed') return { ...base, status, current: base.total, done: true };
  if (lower === 'layer already exists' || lower.startsWith('mounted from')) {
    return { ...base, status, existed: true, done: true };
  }
  // Preparing, Waiting, Retrying in N seconds, and anything new: keep the bytes.
  return { ...base, status };
}

/** Fraction over the bytes of layers being pushed; layers the registry had count as done. Null until known. */
export function pushFraction(state: PushState): number | null {
  if (state.digest !== undefined) return 1;
  const layers = [...state.layers.values()];
  if (layers.length === 0) return null;
  let sent = 0;
  let total = 0;
  for (const layer of layers) {
    if (layer.total > 0) {
      sent += layer.done ? layer.total : Math.min(layer.current, layer.total);
      total += layer.total;
    }
  }
  const pending = layers.filter((l) => !l.done && l.total === 0).length;
  if (total === 0) {
    // No bytes known yet: what is known is how many layers are settled.
    const settled = layers.filter((l) => l.done).length;
    return settled === 0 ? null : Math.min(0.99, settled / layers.length);
  }
  const fraction = sent / total;
  return Math.min(fraction, pending > 0 ? 0.95 : 0.99);
}

function summary(state: PushState): string {
  if (state.error !== undefined) return `Failed: ${state.error}`;
  const layers = [...state.layers.values()];
  const existed = layers.filter((l) => l.existed).length;
  const toPush = layers.length - existed;
  if (state.digest !== undefined) {
    const counts =
      layers.length === 0 ? '' : ` (${toPush} of ${layers.length} layers uploaded, ${existed} already there)`;
    return `Pushed ${state.reference}${counts}`;
  }
  if (layers.length === 0) return state.lastMessage;
  const sent = layers.reduce((sum, l) => sum + (l.done && l.uploaded ? l.total : l.current), 0);
  const total = layers.reduce((sum, l) => sum + l.total, 0);
  const bytes = total > 0 ? ` (${humanBytes(sent)} / ${humanBytes(total)})` : '';
  if (layers.every((l) => l.done)) return `All ${layers.length} layers in the registry; writing the manifest`;
  return `Pushing ${toPush} of ${layers.length} layers${bytes}`;
}

const DIGEST_LINE = /^(\S+): digest: (sha256:[0-9a-f]{64}) size: (\d+)$/;

/** Applies one stream line. Unknown shapes are ignored; errors are recorded, not thrown. */
export function reducePush(state: PushState, line: unknown): PushState {
  const lines = state.lines + 1;
  if (typeof line !== 'object' || line === null) return { ...state, lines };
  const error = lineError(line);
  if (error !== undefined) {
    const next = { ...state, lines, error: state.error ?? error };
    return { ...next, lastMessage: summary(next) };
  }
  const record = line as Record<string, unknown>;
  const aux = record['aux'];
  if (typeof aux === 'object' && aux !== null) {
    const digest = str((aux as Record<string, unknown>)['Digest']);
    const size = num((aux as Record<string, unknown>)['Size']);
    const next = { ...state, lines, digest: digest ?? state.digest, size: size ?? state.size };
    return withFraction({ ...next, lastMessage: summary(next) });
  }
  const status = str(record['status']);
  if (status === undefined) return { ...state, lines };
  const digestLine = DIGEST_LINE.exec(status);
  if (digestLine !== null) {
    const next = { ...state, lines, digest: digestLine[2], size: Number(digestLine[3]) };
    return withFraction({ ...next, lastMessage: summary(next) });
  }
  const id = str(record['id']);
  if (id === undefined) return { ...state, lines, lastMessage: status };
  const layers = new Map(state.layers);
  layers.set(id, nextLayer(state.layers.get(id), id, status, record['progressDetail']));
  const next = { ...state, lines, layers };
  return withFraction({ ...next, lastMessage: summary(next) });
}

function withFraction(state: PushState): PushState {
  return withShownFraction(state, pushFraction(state));
}

/** The contract's view of the state. */
export function toPushProgress(state: PushState): JobProgress {
  return layerJobProgress(state);
}

/** Anonymous pushes still send the header: Engine 20.10 refuses a push without it. */
const ANONYMOUS_AUTH = Buffer.from('{}', 'utf8').toString('base64url');

function pushTarget(reference: unknown): {
  readonly name: string;
  readonly tag: string;
  readonly host: string | undefined;
} {
  if (typeof reference !== 'string') {
    throw new StrataError('invalid_argument', 'A tag to push is required, for example "127.0.0.1:5000/team/app:v1".');
  }
  const parsed = parseReference(reference);
  if (!parsed.ok) throw new StrataError('invalid_argument', parsed.reason);
  const value = parsed.value;
  if (/^sha256:[0-9a-f]{64}$/.test(value.raw)) {
    throw new StrataError(
      'invalid_argument',
      `"${value.raw}" is an image ID; only a tag can be pushed. Tag the image as registry/repository:tag first.`,
    );
  }
  if (value.digest !== undefined) {
    throw new StrataError(
      'invalid_argument',
      `"${value.raw}" names a digest; only a tag can be pushed. Push registry/repository:tag instead.`,
    );
  }
  return { name: value.name, tag: value.tag ?? 'latest', host: value.domain };
}

export function pushHandlers(ctx: EngineContext): HandlerSlice<'images.push'> {
  async function runPush(
    target: ReturnType<typeof pushTarget>,
    signal: AbortSignal,
    report: (state: PushState) => void,
  ): Promise<Record<string, unknown>> {
    const reference = `${target.name}:${target.tag}`;
    const auth = await ctx.registryAuth(target.host ?? 'docker.io');
    let state = initialPushState(reference);
    report(state);
    await runStreamed(ctx, {
      request: {
        method: 'POST',
        path: `/images/${encodeReferenceForPath(target.name)}/push`,
        query: { tag: target.tag },
        headers: { 'X-Registry-Auth': auth === undefined ? ANONYMOUS_AUTH : registryAuthHeader(auth) },
      },
      signal,
      onLine: (line) => {
        state = reducePush(state, line);
        report(state);
        return state.error === undefined;
      },
      onHttpError: (status, body) => {
        const message = engineMessageOf(body);
        if (status === 404) return pushError(`No such image: ${message}`, reference, target.host);
        return pushError(`${status}: ${message}`, reference, target.host);
      },
      stalled: () =>
        new StrataError(
          'registry_stalled',
          `registry stalled: the push of ${reference} to ${registryLabel(target.host)} made no progress for ${Math.round(ctx.stallTimeoutMs / 1000)} s, so it was stopped; check the registry or the network and push again.`,
        ),
      what: 'push progress',
      broken: (why) =>
        `the engine at ${ctx.endpoint.address} ${why} during the push of ${reference} (did Docker stop or restart?); the push did not finish. Try again once Docker is running.`,
    });
    if (state.error !== undefined) throw pushError(state.error, reference, target.host);
    return { reference, digest: state.digest ?? null, size: state.size ?? 0 };
  }

  return {
    'images.push': settle((args: { readonly reference: string }) => {
      const target = pushTarget(args.reference);
      ctx.engine(); // an endpoint Strata cannot open fails the call, not the job
      const jobId = ctx.jobs.start('push', `${target.name}:${target.tag}`, (job) =>
        runPush(target, job.signal, (state) => job.progress(toPushProgress(state))),
      );
      return { jobId };
    }),
  };
}
