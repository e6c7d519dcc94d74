/** The browser server's small HTTP pieces: failures with a status, JSON and text answers, bounded JSON bodies. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorShape } from '../../shared/errors';

/** Largest request body accepted on /api/<method>. */
export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * Largest file accepted on POST /api/uploads: 16 GiB. Image archives of several GB are common; the
 * cap only stops a runaway client from filling the disk of the staging folder.
 */
export const MAX_UPLOAD_BYTES = 16 * 1024 * 1024 * 1024;

export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly shape: ErrorShape,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(shape.message);
  }
}

export function fail(
  status: number,
  code: ErrorShape['code'],
  message: string,
  headers?: Record<string, string>,
): never {
  throw new HttpFailure(status, { code, message }, headers);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(payload)),
    'Cache-Control': 'no-store',
  });
  res.end(payload);
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.off('data', onData);
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

function tooLarge(): HttpFailure {
  return new HttpFailure(413, {
    code: 'invalid_argument',
    message: `The request body is larger than ${MAX_BODY_BYTES} bytes, the most a call takes; files go through POST /api/uploads.`,
  });
}

export function parseJsonBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim().length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail(400, 'invalid_argument', `The request body is not valid JSON: ${reason}`);
  }
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
