/**
 * Browser mode: the built renderer and the contract's methods over HTTP on 127.0.0.1 only.
 *
 *   POST /api/<method>   JSON args in, JSON result out (or the error shape with a 4xx/5xx status)
 *   GET  /api/events     Server-Sent Events, one `data:` line of JSON per StrataEvent
 *   POST /api/uploads    a file's bytes as the body (X-File-Name: its URI-encoded name), streamed into the
 *                        FileStore; answers `{ uploadId, bytes }`. At most MAX_UPLOAD_BYTES (413 beyond), and
 *                        507 when the staging folder would hold more than its cap.
 *   GET  /api/downloads/<id>  a saved or exported tar, as an attachment; deleted once sent in full
 *   GET  /<file>         the renderer's static files (index.html at /)
 *
 * Every request must carry a Host of exactly 127.0.0.1:PORT or localhost:PORT, and no foreign
 * Origin; every API request must carry the session token. The wire protocol is in docs/API.md.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import path from 'node:path';
import type { StrataEvent } from '../../shared/api';
import { HTTP_DOWNLOADS_PREFIX, HTTP_ENGINE_HEADER, HTTP_EVENTS_PATH, HTTP_UPLOADS_PATH } from '../../shared/bridge';
import { createDispatch } from '../../shared/dispatch';
import { httpStatusOf, toErrorShape } from '../../shared/errors';
import type { ServiceHost } from '../engine/host/service';
import {
  bearerToken,
  createToken,
  isAllowedHost,
  isAllowedOrigin,
  mimeTypeOf,
  SECURITY_HEADERS,
  staticFilePath,
  tokenMatches,
} from './guards';
import {
  contentDisposition,
  fail,
  HttpFailure,
  MAX_UPLOAD_BYTES,
  parseJsonBody,
  readBody,
  sendJson,
  sendText,
} from './http';

export interface ServerOptions {
  readonly service: ServiceHost;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** The built renderer (out/renderer). */
  readonly staticDir: string;
  /** Defaults to 32 fresh random bytes, base64url. */
  readonly token?: string;
  /** How often an idle event stream gets a comment line. Default 15 000 ms. */
  readonly heartbeatMs?: number;
  /** Largest upload accepted on POST /api/uploads. Default MAX_UPLOAD_BYTES. */
  readonly maxUploadBytes?: number;
}

export interface RunningServer {
  /** `http://127.0.0.1:PORT/#token=TOKEN`: what a user opens. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Ends every event stream and connection, then stops listening. */
  close(): Promise<void>;
}

const DEFAULT_HEARTBEAT_MS = 15_000;
/** An event stream whose client stopped reading this much behind is dropped rather than buffered forever. */
const MAX_STREAM_BACKLOG_BYTES = 8 * 1024 * 1024;
const API_PREFIX = '/api/';

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? createToken();
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const maxUploadBytes = options.maxUploadBytes ?? MAX_UPLOAD_BYTES;
  const staticRoot = path.resolve(options.staticDir);
  const dispatch = createDispatch((engineId) => options.service.handlersFor(engineId));
  const streams = new Set<ServerResponse>();
  let port = 0;

  const server = http.createServer((req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    handle(req, res).catch((error: unknown) => {
      let failure: HttpFailure;
      if (error instanceof HttpFailure) failure = error;
      else {
        const shape = toErrorShape(error);
        failure = new HttpFailure(httpStatusOf(shape.code), shape);
      }
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // A request refused before its body was read: close the connection rather than drain it.
      if (!req.complete) res.setHeader('Connection', 'close');
      sendJson(res, failure.status, failure.shape, { ...failure.headers });
    });
  });
  server.headersTimeout = 30_000;
  // Covers receiving a whole request, uploads included: a multi-GB image archive needs minutes.
  server.requestTimeout = 30 * 60_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isAllowedHost(req.headers.host, port)) {
      fail(403, 'forbidden', `Strata answers only to http://127.0.0.1:${port} and http://localhost:${port}.`);
    }
    if (!isAllowedOrigin(req.headers.origin, port)) {
      fail(403, 'forbidden', 'Requests from other sites are refused.');
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    } catch {
      return fail(400, 'invalid_argument', 'The request target is not a valid URL.');
    }
    if (url.pathname === HTTP_EVENTS_PATH) {
      openEventStream(req, res, url);
      return;
    }
    if (url.pathname === HTTP_UPLOADS_PATH) {
      await receiveUpload(req, res);
      return;
    }
    if (url.pathname.startsWith(HTTP_DOWNLOADS_PREFIX)) {
      sendDownload(req, res, url.pathname.slice(HTTP_DOWNLOADS_PREFIX.length));
      return;
    }
    if (url.pathname.startsWith(API_PREFIX) || url.pathname === '/api') {
      await callMethod(req, res, url.pathname.slice(API_PREFIX.length));
      return;
    }
    await serveStatic(req, res, url.pathname);
  }

  function requireToken(presented: string | undefined): void {
    if (!tokenMatches(presented, token)) {
      fail(401, 'unauthorized', 'Missing or wrong token: open the URL Strata printed, with its #token= part.', {
        'WWW-Authenticate': 'Bearer',
      });
    }
  }

  async function callMethod(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    requireToken(bearerToken(req.headers.authorization));
    if (req.method !== 'POST') {
      fail(405, 'invalid_argument', `Use POST for ${API_PREFIX}${method}.`, { Allow: 'POST' });
    }
    const args = parseJsonBody(await readBody(req));
    const engine = req.headers[HTTP_ENGINE_HEADER.toLowerCase()];
    const outcome = await dispatch(method, args, Array.isArray(engine) ? engine[0] : engine);
    if (outcome.ok) sendJson(res, 200, outcome.value ?? null);
    else sendJson(res, httpStatusOf(outcome.error.code), outcome.error);
  }

  async function receiveUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requireToken(bearerToken(req.headers.authorization));
    if (req.method !== 'POST') fail(405, 'invalid_argument', `Use POST for ${HTTP_UPLOADS_PATH}.`, { Allow: 'POST' });
    const declared = Number(req.headers['content-length'] ?? '0');
    const tooBig = (): never =>
      fail(413, 'invalid_argument', `The file is larger than ${maxUploadBytes} bytes, the most Strata accepts.`);
    if (Number.isFinite(declared) && declared > maxUploadBytes) tooBig();
    const files = options.service.files;
    const stagedBefore = files.usedBytes();
    const noRoom = (): never =>
      fail(
        507,
        'conflict',
        `Strata's staging folder is full (${stagedBefore} of ${files.maxBytes} bytes in use): download or use the files waiting there, or wait until they expire, then upload again.`,
      );
    if (Number.isFinite(declared) && stagedBefore + declared > files.maxBytes) noRoom();
    const rawName = req.headers['x-file-name'];
    let fileName = 'upload.tar';
    if (typeof rawName === 'string' && rawName !== '') {
      try {
        fileName = decodeURIComponent(rawName);
      } catch {
        fail(400, 'invalid_argument', 'X-File-Name must be URI-encoded.');
      }
    }
    const staged = files.newUpload(fileName);
    let bytes = 0;
    const out = createWriteStream(staged.path, { flags: 'wx', mode: 0o600 });
    try {
      await new Promise<void>((resolve, reject) => {
        const abort = (error: Error): void => {
          req.unpipe(out);
          out.destroy();
          reject(error);
        };
        req.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > maxUploadBytes || stagedBefore + bytes > files.maxBytes) {
            try {
              if (bytes > maxUploadBytes) tooBig();
              noRoom();
            } catch (error) {
              abort(error as Error);
            }
          }
        });
        req.once('aborted', () => abort(new Error('The upload was interrupted.')));
        req.once('error', abort);
        out.once('error', abort);
        out.once('finish', resolve);
        req.pipe(out);
      });
    } catch (error) {
      // The file may still be opening: delete it only once the stream has closed, or it comes back.
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
      files.discardUpload(staged.id);
      throw error;
    }
    sendJson(res, 200, { uploadId: staged.id, fileName: staged.fileName, bytes });
  }

  function sendDownload(req: IncomingMessage, res: ServerResponse, id: string): void {
    requireToken(bearerToken(req.headers.authorization));
    if (req.method !== 'GET') fail(405, 'invalid_argument', 'Use GET for downloads.', { Allow: 'GET' });
    const staged = /^[A-Za-z0-9_-]{8,64}$/.test(id) ? options.service.files.download(id) : undefined;
    if (staged === undefined) fail(404, 'not_found', 'There is no such download in this session.');
    const file = createReadStream(staged.path);
    file.once('error', (error) => {
      if (!res.headersSent) {
        sendJson(res, 404, { code: 'not_found', message: `The download is gone: ${error.message}` });
      } else res.destroy();
    });
    file.once('open', () => {
      stat(staged.path).then(
        (info) => {
          res.writeHead(200, {
            'Content-Type': staged.fileName.endsWith('.gz') ? 'application/gzip' : 'application/x-tar',
            'Content-Length': String(info.size),
            'Content-Disposition': contentDisposition(staged.fileName),
            'Cache-Control': 'no-store',
          });
          // Sent in full: the staged file has done its job (a broken download stays until the TTL, to retry).
          res.once('finish', () => options.service.files.removeDownload(staged.id));
          file.pipe(res);
        },
        () => res.destroy(),
      );
    });
  }

  function openEventStream(req: IncomingMessage, res: ServerResponse, url: URL): void {
    // EventSource cannot set headers, so this path (and only this one) also takes ?token=.
    requireToken(url.searchParams.get('token') ?? bearerToken(req.headers.authorization));
    if (req.method !== 'GET') fail(405, 'invalid_argument', `Use GET for ${HTTP_EVENTS_PATH}.`, { Allow: 'GET' });

    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n: connected\n\n');
    streams.add(res);

    const write = (chunk: string): void => {
      if (res.writableEnded || res.destroyed) return;
      if (res.writableLength > MAX_STREAM_BACKLOG_BYTES) {
        res.destroy();
        return;
      }
      res.write(chunk);
    };
    const unsubscribe = options.service.onEvent((event: StrataEvent) => write(`data: ${JSON.stringify(event)}\n\n`));
    const heartbeat = setInterval(() => write(': heartbeat\n\n'), heartbeatMs);
    let cleaned = false;
    const cleanup = (): void => {
      if (cleaned) return;
      cleaned = true;
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    };
    // The response closes when the client goes away or the server ends the stream.
    res.once('close', cleanup);
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, urlPath: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      fail(405, 'invalid_argument', 'Only GET and HEAD are answered here.', { Allow: 'GET, HEAD' });
    }
    const file = await resolveStatic(urlPath);
    if (file === null) {
      const message =
        urlPath === '/' ? 'The renderer is not built: run `npm run build`.' : `Not found: ${urlPath.slice(0, 200)}`;
      sendText(res, 404, message);
      return;
    }
    res.writeHead(200, {
      'Content-Type': mimeTypeOf(file.path),
      'Content-Length': String(file.size),
      'Cache-Control': 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(file.path);
    stream.once('error', () => res.destroy());
    stream.pipe(res);
  }

  async function resolveStatic(urlPath: string): Promise<{ path: string; size: number } | null> {
    const candidate = staticFilePath(staticRoot, urlPath);
    if (candidate === null) return null;
    try {
      // Symlinks must not lead out of the renderer folder either.
      const [root, real] = await Promise.all([realpath(staticRoot), realpath(candidate)]);
      if (!real.startsWith(root + path.sep)) return null;
      const info = await stat(real);
      return info.isFile() ? { path: real, size: info.size } : null;
    } catch {
      return null;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: '127.0.0.1', exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const res of streams) res.end();
        streams.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
