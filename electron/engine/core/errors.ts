/**
 * Every engine failure becomes a StrataError here, and only here (a build's failures in build-errors.ts, single
 * operations' in operation-errors.ts): connection errors, HTTP error answers, errors reported inside a 200 stream
 * (pull, push), stalls and malformed streams. Messages say what happened and what to do. No other file reads an
 * engine message to classify it.
 */
import { StrataError } from '../../../shared/errors';
import type { NdjsonError } from './ndjson';

/** Thrown by the client when a request got no answer in time. */
export class EngineTimeoutError extends Error {
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(`no answer in ${timeoutMs} ms`);
    this.name = 'EngineTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/** A duration for messages: `2 s`, `0.4 s`. */
export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function errnoOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** What a failure to reach the engine means, naming the endpoint. */
export function connectionError(error: unknown, address: string): StrataError {
  if (error instanceof StrataError) return error;
  if (error instanceof EngineTimeoutError) {
    return new StrataError(
      'engine_unreachable',
      `engine not responding at ${address}: no answer in ${seconds(error.timeoutMs)}; check that Docker is running and not stuck, then try again.`,
    );
  }
  const errno = errnoOf(error);
  const detail = error instanceof Error ? error.message : String(error);
  switch (errno) {
    case 'ENOENT':
      return new StrataError(
        'engine_unreachable',
        `no Docker engine at ${address}: the socket does not exist; start Docker or set DOCKER_HOST`,
        detail,
      );
    case 'ECONNREFUSED':
      return new StrataError(
        'engine_unreachable',
        `nothing is listening at ${address}: the connection was refused; start Docker or set DOCKER_HOST`,
        detail,
      );
    case 'EACCES':
    case 'EPERM':
      return new StrataError(
        'engine_unreachable',
        `permission denied opening ${address}; add your user to the "docker" group (then log in again) or set DOCKER_HOST`,
        detail,
      );
    case 'ENOTSOCK':
      return new StrataError(
        'engine_unreachable',
        `${address} is not a socket; point DOCKER_HOST at the engine's socket`,
        detail,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StrataError('engine_unreachable', `cannot resolve the host of ${address}; check DOCKER_HOST`, detail);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ETIMEDOUT':
      return new StrataError(
        'engine_unreachable',
        `cannot reach ${address}; check the network and DOCKER_HOST`,
        detail,
      );
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
    case 'ERR_STREAM_PREMATURE_CLOSE':
    case undefined:
    default:
      if (/socket hang up|aborted|premature|ECONNRESET|EPIPE/i.test(detail) || errno !== undefined) {
        return new StrataError(
          'engine_unreachable',
          `the engine at ${address} closed the connection before answering (did Docker stop?); check that it is running and try again`,
          detail,
        );
      }
      return new StrataError('engine_unreachable', `cannot talk to the engine at ${address}: ${detail}`, detail);
  }
}

/** The engine's own words from an error body (`{"message": "..."}`), or the raw text. */
export function engineMessageOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed === 'object' && parsed !== null) {
      const message = (parsed as { message?: unknown }).message;
      if (typeof message === 'string') return message;
    }
  } catch {
    // not JSON: fall through to the text
  }
  const text = body.trim();
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

export interface RequestContext {
  /** What Strata was doing, for the message: "remove", "inspect", "pull", "list images". */
  readonly operation: 'inspect' | 'remove' | 'pull' | 'list' | 'info' | 'ping';
  readonly reference?: string;
}

/** Registry failures, whether the engine answered them as an HTTP status or inside the stream. */
function registryError(message: string, reference: string): StrataError | undefined {
  if (
    /pull access denied|unauthorized|authentication required|denied: requested access|no basic auth credentials|incorrect username or password/i.test(
      message,
    )
  ) {
    return new StrataError(
      'registry_unauthorized',
      `pull access denied for ${reference}: the registry wants credentials or refused them; log in with "docker login" for that registry (or check the name), then pull again.`,
      message,
    );
  }
  if (/manifest unknown|not found|does not exist|name unknown/i.test(message)) {
    return new StrataError('not_found', `${reference} was not found in its registry; check the name and tag.`, message);
  }
  const status =
    /(?:status(?: code)?:?\s*|HTTP\/\d(?:\.\d)?\s+)(5\d\d)\b/i.exec(message) ??
    /\b(5\d\d) (?:Internal Server Error|Bad Gateway|Service Unavailable|Gateway Time-?out)/i.exec(message);
  if (status !== null || /internal server error|bad gateway|service unavailable/i.test(message)) {
    const code = status?.[1] ?? '5xx';
    return new StrataError(
      'engine_error',
      `the registry answered ${code} while pulling ${reference}; try again later or check the registry.`,
      message,
    );
  }
  if (
    /connection refused|no such host|i\/o timeout|dial tcp|server gave HTTP response to HTTPS client|tls:|x509/i.test(
      message,
    )
  ) {
    return new StrataError(
      'engine_error',
      `the engine could not reach the registry for ${reference}: ${message}`,
      message,
    );
  }
  return undefined;
}

/** An error the engine reported inside a 200 JSON stream (an `error` / `errorDetail` line). */
export function streamError(message: string, reference: string): StrataError {
  return (
    registryError(message, reference) ??
    new StrataError('engine_error', `the engine reported an error while pulling ${reference}: ${message}`, message)
  );
}

/** An HTTP error answer from the engine. */
export function httpError(status: number, body: string, context: RequestContext): StrataError {
  const message = engineMessageOf(body);
  const ref = context.reference;
  if (context.operation === 'pull' && ref !== undefined) {
    if (status === 401 || status === 403) {
      return (
        registryError(message, ref) ??
        new StrataError('registry_unauthorized', `pull access denied for ${ref}; log in with "docker login".`, message)
      );
    }
    const mapped = registryError(message, ref);
    if (mapped !== undefined) return mapped;
  }
  switch (status) {
    case 400:
      return new StrataError('invalid_argument', `The engine refused the request: ${message}`, message);
    case 404:
      return new StrataError(
        'not_found',
        ref === undefined ? `Not found on the engine: ${message}` : `No image "${ref}" on this engine.`,
        message,
      );
    case 409:
      if (context.operation === 'remove' && ref !== undefined && isMultipleRepositoriesConflict(body)) {
        return multipleRepositoriesError(ref, message, []);
      }
      if (context.operation === 'remove' && ref !== undefined) {
        return new StrataError(
          'conflict',
          `Cannot remove image "${ref}": ${message}. Use force to remove it anyway.`,
          message,
        );
      }
      return new StrataError('conflict', `The engine refused: ${message}`, message);
    default:
      return new StrataError(
        'engine_error',
        `The engine answered ${status}${ref === undefined ? '' : ` for "${ref}"`}: ${message}`,
        message,
      );
  }
}

/** True for the 409 the engine answers to POST /images/prune while another client's prune runs. */
export function isPruneRunning(body: string): boolean {
  return /prune operation is already running/i.test(body);
}

/** True for the engine's answer to GET /system/df while another one runs. */
export function isDiskUsageBusy(body: string): boolean {
  return /disk usage operation is already running/i.test(body);
}

/** True for the 409 the engine answers when an image is removed by ID while it has several tags. */
export function isMultipleRepositoriesConflict(body: string): boolean {
  return /referenced in multiple repositories/i.test(body);
}

/**
 * Removing by ID an image with several tags: names the image and what to do. `tags` (when known)
 * are counted in the message and listed in `detail`, one a line after the engine's message.
 */
export function multipleRepositoriesError(ref: string, message: string, tags: readonly string[]): StrataError {
  const count = tags.length > 1 ? `it has ${tags.length} tags` : 'it has several tags';
  return new StrataError(
    'conflict',
    `Cannot remove image "${ref}": ${count}; remove each tag, or all of them at once (or force the removal).`,
    tags.length > 0 ? [message, ...tags.map((tag) => `tag: ${tag}`)].join('\n') : message,
  );
}

/** The registry a push goes to, for people: Docker Hub when the reference names none. */
export function registryLabel(host: string | undefined): string {
  return host === undefined || host === 'docker.io' ? 'Docker Hub (docker.io)' : host;
}

/** What a push failure (in the stream or as an HTTP answer) means, naming the image and what to do. */
export function pushError(message: string, reference: string, host: string | undefined): StrataError {
  const registry = registryLabel(host);
  if (/An image does not exist locally with the tag|tag does not exist|No such image/i.test(message)) {
    return new StrataError(
      'not_found',
      `There is no local image ${reference} to push; tag an image as ${reference} first.`,
      message,
    );
  }
  if (
    /unauthorized|denied|authentication required|no basic auth credentials|incorrect username or password|forbidden/i.test(
      message,
    )
  ) {
    return new StrataError(
      'registry_unauthorized',
      `${registry} refused the push of ${reference} (not logged in, or no permission for that repository); log in to ${host ?? 'docker.io'} and push again.`,
      message,
    );
  }
  if (/no such host|lookup .* on |server misbehaving/i.test(message)) {
    return new StrataError(
      'engine_error',
      `The engine could not find the registry ${registry} to push ${reference}: the name does not resolve (no internet connection or DNS?). Check the registry address and the engine's network, then push again.`,
      message,
    );
  }
  if (
    /connection refused|i\/o timeout|dial tcp|network is unreachable|no route to host|tls:|x509|HTTP response to HTTPS/i.test(
      message,
    )
  ) {
    return new StrataError(
      'engine_error',
      `The engine could not reach the registry ${registry} to push ${reference}; check that the registry is running and reachable from the engine, then push again.`,
      message,
    );
  }
  return new StrataError('engine_error', `The push of ${reference} to ${registry} failed: ${message}`, message);
}

/** A malformed engine stream. */
export function malformedStreamError(error: NdjsonError, what: string): StrataError {
  return new StrataError(
    'engine_error',
    `The engine sent a malformed ${what} stream (${error.message}); the operation was stopped.`,
    error.excerpt,
  );
}

export function stalledError(reference: string, stallTimeoutMs: number): StrataError {
  return new StrataError(
    'registry_stalled',
    `registry stalled: the pull of ${reference} made no progress for ${seconds(stallTimeoutMs)}, so it was stopped; check the registry or the network and pull again.`,
  );
}

/** An upload (load, import) the engine took nothing of, or answered nothing to, for the stall timeout. */
export function uploadStalledError(operation: 'load' | 'import', name: string, stallTimeoutMs: number): StrataError {
  return new StrataError(
    'engine_error',
    `The ${operation} of ${name} made no progress for ${seconds(stallTimeoutMs)}, so it was stopped; check that Docker is running and not stuck, then try again.`,
  );
}

/** A save or export the engine sent nothing more of for the stall timeout. */
export function downloadStalledError(what: string, stallTimeoutMs: number): StrataError {
  return new StrataError(
    'engine_error',
    `The engine sent nothing more of ${what} for ${seconds(stallTimeoutMs)}, so it was stopped; no file was written. Check that Docker is running and not stuck, then try again.`,
  );
}

export function cancelledError(title: string): StrataError {
  return new StrataError('cancelled', `Cancelled: ${title}.`);
}
