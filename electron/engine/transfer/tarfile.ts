/**
 * Checking a tar file on disk to its very end before anything reaches the engine (load, import):
 * plain or gzip-compressed (detected by its magic number), fed through the TarChecker of tarcheck.ts.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { TarChecker, TarCheckError, type TarCheckOptions, type TarCheckResult } from './tarcheck';

/** True when the bytes start with the gzip magic number. */
export function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Reads the first bytes of a file. */
async function headOf(path: string, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = createReadStream(path, { start: 0, end: bytes - 1 });
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks, size);
}

/**
 * Checks a tar file (plain, or gzip-compressed: detected by its magic number) to its very end.
 * `onBytes` reports the file bytes read so far. Throws TarCheckError when it is not complete.
 */
export async function checkTarFile(
  path: string,
  options: TarCheckOptions & { readonly signal?: AbortSignal; readonly onBytes?: (read: number) => void } = {},
): Promise<TarCheckResult & { readonly gzip: boolean }> {
  const gzip = isGzip(await headOf(path, 2));
  const checker = new TarChecker(options);
  const file = createReadStream(path);
  let read = 0;
  file.on('data', (chunk) => {
    read += chunk.length;
    options.onBytes?.(read);
  });
  const abort = (): void => {
    file.destroy(options.signal?.reason instanceof Error ? options.signal.reason : new Error('aborted'));
  };
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    if (gzip) {
      const gunzip = createGunzip();
      file.on('error', (error) => gunzip.destroy(error));
      file.pipe(gunzip);
      try {
        for await (const chunk of gunzip) {
          checker.push(chunk as Buffer);
          if (checker.problem !== undefined) break;
        }
      } catch (error) {
        if (options.signal?.aborted === true) throw error;
        const code = (error as { code?: unknown }).code;
        if (code === 'Z_BUF_ERROR' || /unexpected end/i.test(String(error))) {
          throw new TarCheckError('truncated', 'its gzip stream ends too early');
        }
        if (typeof code === 'string' && code.startsWith('Z_')) {
          throw new TarCheckError('corrupt', `its gzip stream is damaged (${(error as Error).message})`);
        }
        throw error;
      } finally {
        file.destroy();
      }
    } else {
      for await (const chunk of file) {
        checker.push(chunk as Buffer);
        if (checker.problem !== undefined) break;
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
  if (options.signal?.aborted === true) throw options.signal.reason;
  return { ...checker.end(), gzip };
}
