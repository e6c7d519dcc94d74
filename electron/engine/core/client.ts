/**
 * The engine's HTTP client: node:http over the unix socket (or http/https over TCP). Every request
 * has a timeout and an AbortSignal; paths are checked so nothing can smuggle a query string into
 * them (dockerode puts names into paths unencoded: `x?force=true` turns a plain remove into a
 * forced one). Build path segments with `encodeReferenceForPath` and pass queries separately.
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { StrataError } from '../../../shared/errors';
import { negotiateApi, type Negotiated } from './api-version';
import type { Connection } from './endpoint';
import { EngineTimeoutError, connectionError } from './errors';
import { createSshAgent } from './ssh';

export interface TlsMaterial {
  readonly ca: string | undefined;
  readonly cert: string | undefined;
  readonly key: string | undefined;
  readonly verify: boolean;
}

export interface EngineRequest {
  readonly method: 'GET' | 'POST' | 'DELETE' | 'HEAD';
  /** Already-encoded path, e.g. `/images/${encodeReferenceForPath(ref)}/json`. Never holds `?` or `#`. */
  readonly path: string;
  /** A list value repeats the key (`names=a&names=b`), as /images/get and `changes` want. */
  readonly query?: Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON body. */
  readonly body?: unknown;
  /** A streamed body (a tar for /images/load, /images/create?fromSrc=-, /build); not retried. */
  readonly upload?: { readonly stream: NodeJS.ReadableStream; readonly contentType: string };
  readonly signal?: AbortSignal;
  /** Overrides the client's timeout. For `stream`, it covers the wait for the response headers. */
  readonly timeoutMs?: number;
  /** Send without the `/v<version>` prefix (the ping and the version question itself). */
  readonly unversioned?: boolean;
}

export interface EngineResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface EngineStreamResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly stream: IncomingMessage;
}

/** What the client saw on the wire; tests count these to prove a call never reached the engine. */
export interface RequestRecord {
  readonly method: string;
  /** Path and query, without the API version prefix. */
  readonly path: string;
  /** The API version the request was sent with (`/v1.41/…`), or undefined when unversioned. */
  readonly apiVersion?: string | undefined;
}

export interface EngineClientOptions {
  readonly connection: Connection;
  /** The endpoint as a user knows it, for messages: `unix:///var/run/docker.sock`. */
  readonly address: string;
  readonly tls?: TlsMaterial | undefined;
  readonly requestTimeoutMs: number;
  readonly onRequest?: ((record: RequestRecord) => void) | undefined;
  /** Every response (any status) proves the engine answers; every connection failure says it does not. */
  readonly onReachability?:
    ((reachable: boolean, headers?: EngineResponse['headers'], error?: StrataError) => void) | undefined;
  /**
   * Negotiate the API version before the first request (GET /version) and send every request as `/v<version>/…`,
   * as the docker CLI does. Asked again after the engine was unreachable (it may have been upgraded).
   */
  readonly negotiate?: boolean;
}

const SAFE_PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;

/** Rejects a path that could carry a query or fragment, or a malformed escape. */
export function assertSafePath(path: string): void {
  if (!SAFE_PATH.test(path) || /%(?![0-9A-Fa-f]{2})/.test(path)) {
    throw new StrataError('internal', `Refusing to send an unsafe path to the engine: ${JSON.stringify(path)}`);
  }
}

export function buildPath(path: string, query: EngineRequest['query']): string {
  assertSafePath(path);
  if (query === undefined) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value)) for (const item of value as readonly string[]) params.append(key, item);
    else if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

export class EngineClient {
  readonly address: string;
  private readonly options: EngineClientOptions;
  private readonly agent: http.Agent;
  private closed = false;
  /** Requests on the wire, destroyed by close() (an engine that never answers must not keep a socket open). */
  private readonly inFlight = new Set<http.ClientRequest>();
  private negotiated: Negotiated | undefined;
  private negotiating: Promise<Negotiated> | undefined;

  constructor(options: EngineClientOptions) {
    this.options = options;
    this.address = options.address;
    const { connection } = options;
    const isTls = connection.kind === 'tcp' && options.tls !== undefined;
    this.agent =
      connection.kind === 'ssh'
        ? createSshAgent(connection)
        : isTls
          ? new https.Agent({
              keepAlive: true,
              ca: options.tls?.ca,
              cert: options.tls?.cert,
              key: options.tls?.key,
              rejectUnauthorized: options.tls?.verify ?? true,
            })
          : new http.Agent({ keepAlive: true });
  }

  /** A request whose whole answer is read into memory (small JSON answers). */
  async request(req: EngineRequest): Promise<EngineResponse> {
    const timeoutMs = req.timeoutMs ?? this.options.requestTimeoutMs;
    const { status, headers, stream, timedOut } = await this.open(req, timeoutMs, true);
    const body = await new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const failed = (error: unknown): void => {
        if (req.signal?.aborted === true) reject(abortReason(req.signal));
        else reject(connectionError(timedOut() ? new EngineTimeoutError(timeoutMs) : error, this.address));
      };
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      stream.on('error', failed);
      stream.on('close', () => {
        if (!stream.complete) failed(new Error('aborted'));
      });
    });
    return { status, headers, body };
  }

  /** A request whose answer is streamed; the timeout covers only the wait for the headers. */
  async stream(req: EngineRequest): Promise<EngineStreamResponse> {
    return this.open(req, req.timeoutMs ?? this.options.requestTimeoutMs, false);
  }

  /** Reads a JSON answer; non-2xx statuses are returned for the caller to map. */
  async json(req: EngineRequest): Promise<{ readonly status: number; readonly value: unknown; readonly body: string }> {
    const res = await this.request(req);
    let value: unknown = undefined;
    if (res.status >= 200 && res.status < 300 && res.body.trim() !== '') {
      try {
        value = JSON.parse(res.body) as unknown;
      } catch {
        throw new StrataError(
          'engine_error',
          `The engine sent an answer that is not JSON for ${req.method} ${req.path}.`,
        );
      }
    }
    return { status: res.status, value, body: res.body };
  }

  close(): void {
    this.closed = true;
    for (const request of this.inFlight) request.destroy(new StrataError('internal', 'The engine service is closed.'));
    this.inFlight.clear();
    this.agent.destroy();
  }

  /** The API versions as negotiated (asks the engine when not yet known). */
  apiVersions(): Promise<Negotiated> {
    if (this.negotiated !== undefined) return Promise.resolve(this.negotiated);
    this.negotiating ??= this.request({ method: 'GET', path: '/version', unversioned: true })
      .then((res) => {
        let version: Record<string, unknown> = {};
        try {
          const parsed: unknown = res.status === 200 ? JSON.parse(res.body) : undefined;
          if (typeof parsed === 'object' && parsed !== null) version = parsed as Record<string, unknown>;
        } catch {
          // Not JSON: negotiated as "unknown" below.
        }
        const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
        const negotiated = negotiateApi(text(version['ApiVersion']), text(version['MinAPIVersion']));
        this.negotiated = negotiated;
        return negotiated;
      })
      .finally(() => {
        this.negotiating = undefined;
      });
    return this.negotiating;
  }

  private async open(
    req: EngineRequest,
    timeoutMs: number,
    wholeBody: boolean,
    retried = false,
  ): Promise<EngineStreamResponse & { readonly timedOut: () => boolean }> {
    if (this.closed) throw new StrataError('internal', 'The engine service is closed.');
    const apiVersion =
      this.options.negotiate === true && req.unversioned !== true
        ? (await untilAborted(this.apiVersions(), req.signal)).version
        : undefined;
    return this.send(req, timeoutMs, wholeBody, retried, apiVersion);
  }

  private send(
    req: EngineRequest,
    timeoutMs: number,
    wholeBody: boolean,
    retried: boolean,
    apiVersion: string | undefined,
  ): Promise<EngineStreamResponse & { readonly timedOut: () => boolean }> {
    const apiPath = buildPath(req.path, req.query);
    const fullPath = apiVersion === undefined ? apiPath : `/v${apiVersion}${apiPath}`;
    const { connection } = this.options;
    const headers: Record<string, string> = { ...req.headers };
    let payload: string | undefined;
    if (req.body !== undefined) {
      payload = JSON.stringify(req.body);
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    if (req.upload !== undefined) {
      headers['Content-Type'] = req.upload.contentType;
      // Chunked: the size of a tar being made on the fly is not known up front.
      headers['Transfer-Encoding'] = 'chunked';
    }
    const base: http.RequestOptions = { method: req.method, path: fullPath, headers, agent: this.agent };
    const target: http.RequestOptions =
      connection.kind === 'unix'
        ? { ...base, socketPath: connection.socketPath }
        : connection.kind === 'ssh'
          ? // The agent opens the connection (an ssh child); host names the Host header only, as the docker CLI does.
            { ...base, host: 'docker' }
          : { ...base, host: connection.host, port: connection.port };
    const transport = connection.kind === 'tcp' && this.options.tls !== undefined ? https : http;

    let didTimeOut = false;
    const timedOut = (): boolean => didTimeOut;
    return new Promise((resolve, reject) => {
      const signal = req.signal;
      if (signal?.aborted === true) {
        reject(abortReason(signal));
        return;
      }
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      /** The engine's answer once its headers came: an abort from then on destroys it (no 'error' event: a reader
       * sees the stream end early and checks the signal, as for a stream it destroyed itself). */
      let answer: http.IncomingMessage | undefined;
      const clearTimer = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
      };
      const clear = (): void => {
        clearTimer();
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (error: Error, isConnection: boolean): void => {
        clear();
        if (settled) return;
        settled = true;
        if (isConnection) {
          // Whatever answers next may be another (upgraded) engine: ask its versions again.
          this.negotiated = undefined;
          const mapped = connectionError(error, this.address);
          this.options.onReachability?.(false, undefined, mapped);
          reject(mapped);
        } else {
          reject(error);
        }
      };
      const onAbort = (): void => {
        const reason = signal === undefined ? new Error('aborted') : abortReason(signal);
        answer?.destroy();
        request.destroy();
        fail(reason, false);
      };

      this.options.onRequest?.({ method: req.method, path: apiPath, apiVersion });
      const request = transport.request(target, (response) => {
        this.options.onReachability?.(true, response.headers);
        answer = response;
        // The signal covers the whole answer: aborting closes a stream that is already open, so callers need not.
        response.once('close', clear);
        if (wholeBody) {
          // Keep the timer running until the body has been read.
          response.once('end', clear);
        } else {
          clearTimer();
        }
        if (!settled) {
          settled = true;
          resolve({ status: response.statusCode ?? 0, headers: response.headers, stream: response, timedOut });
        }
      });
      this.inFlight.add(request);
      request.once('close', () => this.inFlight.delete(request));
      request.on('error', (error) => {
        // A kept-alive socket the engine closed meanwhile (it restarted): retry a safe request once.
        const code = (error as { code?: unknown }).code;
        const stale = request.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE');
        if (stale && !settled && !retried && (req.method === 'GET' || req.method === 'HEAD')) {
          settled = true;
          clear();
          this.send(req, timeoutMs, wholeBody, true, apiVersion).then(resolve, reject);
          return;
        }
        fail(error, !isAbortLike(error, signal));
      });
      timer = setTimeout(() => {
        didTimeOut = true;
        const error = new EngineTimeoutError(timeoutMs);
        const mapped = connectionError(error, this.address);
        if (!settled) {
          fail(error, true);
        } else {
          // Body read timed out: the response stream errors with the mapped message.
          this.options.onReachability?.(false, undefined, mapped);
        }
        request.destroy(mapped);
      }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (payload !== undefined) request.write(payload);
      if (req.upload === undefined) {
        request.end();
      } else {
        const source = req.upload.stream;
        source.on('error', (error: Error) => {
          request.destroy(error);
          fail(error, false);
        });
        source.pipe(request);
      }
    });
  }
}

/** The promise, or the abort reason as soon as the signal aborts (an engine that never answers the version question). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(typeof reason === 'string' ? reason : 'aborted');
}

function isAbortLike(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof Error && error.name === 'AbortError');
}
