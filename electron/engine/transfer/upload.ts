/**
 * A tar file to the engine (load, import): the file is checked to its end first (tarfile.ts; gzip detected by its
 * magic number), so a corrupt or truncated file never reaches the engine; then it is sent through core/streamed.ts
 * `runStreamed`. Every chunk the engine takes, and every answer line, feeds the idle watchdog: an engine that takes
 * or answers nothing for the stall timeout ends the job with `uploadStalledError`.
 */
import { createReadStream } from 'node:fs';
import { StrataError } from '../../../shared/errors';
import { httpError, uploadStalledError } from '../core/errors';
import { runStreamed, type StreamedOperation } from '../core/streamed';
import type { EngineContext } from '../host/context';
import type { JobContext } from '../host/jobs';
import { fileError, formatBytes, progressOf } from './files';
import { TarCheckError } from './tarcheck';
import { checkTarFile } from './tarfile';

/** How long the engine may take to answer the headers of a load or import (it may read the whole tar first). */
const UPLOAD_HEADERS_TIMEOUT_MS = 30 * 60 * 1000;

/** Checks the whole file before anything is sent: a tar (an image archive when `image`), plain or gzip. */
export async function precheck(
  path: string,
  name: string,
  size: number,
  image: boolean,
  job: JobContext,
): Promise<{ readonly gzip: boolean }> {
  try {
    return await checkTarFile(path, {
      image,
      signal: job.signal,
      onBytes: (read) => job.progress(progressOf(`Checking ${name}`, read, size)),
    });
  } catch (error) {
    if (job.signal.aborted) throw job.signal.reason;
    if (error instanceof TarCheckError) {
      const kind = image ? 'a complete image archive' : 'a complete tar archive';
      throw new StrataError('invalid_argument', `${name} is not ${kind} (${error.message}); nothing was changed.`);
    }
    throw fileError(error, path, false);
  }
}

export interface SentFile {
  readonly path: string;
  readonly size: number;
  /** Its name, for messages. */
  readonly what: string;
}

/** Sends a file to the engine (load or import); `onLine` gets each JSON answer line and returns false to stop. */
export async function sendFile(
  ctx: EngineContext,
  request: Pick<StreamedOperation['request'], 'path' | 'query'>,
  file: SentFile,
  job: JobContext,
  operation: 'load' | 'import',
  onLine: (line: unknown) => boolean,
): Promise<void> {
  let sent = 0;
  await runStreamed(ctx, {
    request: { method: 'POST', ...request },
    upload: {
      stream: createReadStream(file.path),
      contentType: 'application/x-tar',
      onChunk: (bytes) => {
        sent += bytes;
        job.progress(
          progressOf(`Sending ${file.what}: ${formatBytes(sent)} of ${formatBytes(file.size)}`, sent, file.size),
        );
      },
      engineReadsAllFirst: true,
    },
    signal: job.signal,
    headersTimeoutMs: UPLOAD_HEADERS_TIMEOUT_MS,
    onLine,
    onHttpError: (status, body) => httpError(status, body, { operation: 'list' }),
    stalled: () => uploadStalledError(operation, file.what, ctx.stallTimeoutMs),
    what: `${operation} progress`,
    broken: (why) =>
      `The engine ${why} during the ${operation} of ${file.what}; check that Docker is running and try again.`,
  });
}
