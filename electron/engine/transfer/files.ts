/**
 * What every transfer (save, export, load, import) shares on the file side: a file-system failure in words, the
 * file a source names, a checked size, progress in bytes, and the rule that an upload is read once.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { FileDestination, FileSource, JobProgress } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import type { EngineContext } from '../host/context';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit] ?? 'TB'}`;
}

export function short(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A file-system failure, in words. */
export function fileError(error: unknown, path: string, writing: boolean): StrataError {
  if (error instanceof StrataError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  switch (errnoOf(error)) {
    case 'ENOENT':
      return writing
        ? new StrataError('invalid_argument', `Cannot write ${path}: the folder does not exist.`, detail)
        : new StrataError('not_found', `There is no file ${path}.`, detail);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new StrataError('forbidden', `Permission denied: ${path}.`, detail);
    case 'EISDIR':
      return new StrataError('invalid_argument', `${path} is a folder, not a file.`, detail);
    case 'ENOSPC':
      return new StrataError('internal', `No space left on the disk holding ${path}.`, detail);
    default:
      return new StrataError('internal', `${writing ? 'Cannot write' : 'Cannot read'} ${path}: ${detail}`, detail);
  }
}

export function progressOf(
  message: string,
  current: number,
  total: number | null,
  fraction?: number | null,
): JobProgress {
  const computed = total !== null && total > 0 ? Math.min(0.99, current / total) : null;
  return { fraction: fraction === undefined ? computed : fraction, message, layers: [], bytes: { current, total } };
}

/** The file a source names: a path, or a browser upload staged in the FileStore. */
export function resolveSource(
  ctx: EngineContext,
  source: FileSource,
): { readonly path: string; readonly name: string } {
  if (source.kind === 'path') return { path: source.path, name: basename(source.path) };
  const staged = ctx.files.upload(source.uploadId);
  return { path: staged.path, name: staged.fileName };
}

/** The size of a file that must exist and be a file. */
export async function requireFile(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new StrataError('invalid_argument', `${path} is not a file.`);
    return info.size;
  } catch (error) {
    throw fileError(error, path, false);
  }
}

/** An upload is used once: its staged file goes when the job that read it ends (the dialogs upload again to retry). */
export async function consumingUpload<T>(ctx: EngineContext, source: FileSource, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } finally {
    if (source.kind === 'upload') ctx.files.discardUpload(source.uploadId);
  }
}

/** Refuses a path destination that exists unless the call said to replace it (`docker save -o` would clobber it). */
export function refuseExisting(destination: FileDestination): void {
  if (destination.kind === 'path' && destination.overwrite !== true && existsSync(destination.path)) {
    throw existsError(destination.path);
  }
}

export function existsError(path: string): StrataError {
  return new StrataError(
    'conflict',
    `${path} already exists and was left as it is; choose another file name, or confirm that it should be replaced.`,
  );
}
