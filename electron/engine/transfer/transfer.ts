/**
 * Save, load, import and export tars, as jobs.
 *
 * - save / export: the engine's tar is streamed to a temporary file beside the destination (or in
 *   the FileStore for a browser download), checked while it is written (TarChecker: complete, and
 *   for a save manifest.json with every file it names, and no error JSON the engine appended
 *   midway), then renamed into place. A failed or cancelled job leaves no file.
 * - load / import: the file is checked to its end first (gzip detected by its magic number); a
 *   corrupt or truncated file never reaches the engine. A load that fails after some images were
 *   tagged removes the tags it added.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { FileDestination, FileResult, FileSource, JobProgress } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import { encodeReferenceForPath, parseReference } from '../../../shared/reference';
import type { EngineContext, HandlerSlice } from '../host/context';
import { settle } from '../host/context';
import { connectionError, httpError, malformedStreamError } from '../core/errors';
import type { JobContext } from '../host/jobs';
import { NdjsonError, readNdjson } from '../core/ndjson';
import { TarChecker, TarCheckError } from './tarcheck';
import { checkTarFile } from './tarfile';

/** How long the engine may take to answer the headers of a load or import (it may read the whole tar first). */
const UPLOAD_HEADERS_TIMEOUT_MS = 30 * 60 * 1000;

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

function short(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A file-system failure, in words. */
function fileError(error: unknown, path: string, writing: boolean): StrataError {
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

function progressOf(message: string, current: number, total: number | null, fraction?: number | null): JobProgress {
  const computed = total !== null && total > 0 ? Math.min(0.99, current / total) : null;
  return { fraction: fraction === undefined ? computed : fraction, message, layers: [], bytes: { current, total } };
}

async function readAll(stream: AsyncIterable<unknown>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** The file a source names: a path, or a browser upload staged in the FileStore. */
function resolveSource(ctx: EngineContext, source: FileSource): { readonly path: string; readonly name: string } {
  if (source.kind === 'path') return { path: source.path, name: basename(source.path) };
  const staged = ctx.files.upload(source.uploadId);
  return { path: staged.path, name: staged.fileName };
}

async function requireFile(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new StrataError('invalid_argument', `${path} is not a file.`);
    return info.size;
  } catch (error) {
    throw fileError(error, path, false);
  }
}

interface Target {
  readonly temp: string;
  readonly final: string;
  readonly fileName: string;
  readonly download: boolean;
}

function targetOf(ctx: EngineContext, destination: FileDestination, suffix: string): Target {
  if (destination.kind === 'download') {
    return {
      temp: ctx.files.tempPath('.part'),
      final: ctx.files.tempPath(suffix),
      fileName: destination.fileName,
      download: true,
    };
  }
  const final = destination.path;
  const temp = join(dirname(final), `.${basename(final)}.${randomBytes(6).toString('hex')}.strata-part`);
  return { temp, final, fileName: basename(final), download: false };
}

interface StreamToFileOptions {
  readonly what: string;
  readonly response: Readable;
  readonly target: Target;
  readonly compress: boolean;
  readonly image: boolean;
  readonly estimate: number | null;
  readonly job: JobContext;
  readonly engineAddress: string;
}

/** Streams an engine tar into the temp file, checks it, and renames it into place. */
async function streamToFile(ctx: EngineContext, options: StreamToFileOptions): Promise<FileResult> {
  const { target, job, what, estimate } = options;
  const checker = new TarChecker({ image: options.image });
  let received = 0;
  const about = estimate === null ? '' : ` of about ${formatBytes(estimate)}`;
  const inspect = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      checker.push(chunk);
      received += chunk.length;
      job.progress(progressOf(`Writing ${what}: ${formatBytes(received)}${about}`, received, estimate));
      // An error the engine wrote midway: stop at once rather than write the rest.
      const problem = checker.problem;
      callback(problem === undefined ? null : problem, chunk);
    },
  });
  let brokenSource: unknown;
  options.response.once('error', (error) => {
    brokenSource = error;
  });
  const stages: NodeJS.ReadWriteStream[] = options.compress ? [inspect, createGzip()] : [inspect];
  try {
    try {
      await pipeline([options.response, ...stages, createWriteStream(target.temp, { flags: 'wx' })], {
        signal: job.signal,
      });
    } catch (error) {
      if (job.signal.aborted) throw job.signal.reason;
      if (error instanceof TarCheckError) throw error;
      // The engine may have written its error and then dropped the connection: prefer its words.
      const said = engineSaid(checker);
      if (said !== undefined) throw said;
      if (brokenSource !== undefined || (errnoOf(error) === undefined && !(error instanceof StrataError))) {
        throw new StrataError(
          'engine_unreachable',
          `The engine stopped sending ${what} before it was complete (${connectionError(brokenSource ?? error, options.engineAddress).message}); no file was written.`,
        );
      }
      throw fileError(error, target.download ? target.fileName : target.final, true);
    }
    checker.end();
    try {
      await rename(target.temp, target.final);
    } catch (error) {
      throw fileError(error, target.final, true);
    }
  } catch (error) {
    await rm(target.temp, { force: true });
    if (error instanceof TarCheckError) {
      throw new StrataError(
        'engine_error',
        `The engine could not write ${what}: ${error.message}; no file was written.`,
        error.engineMessage,
      );
    }
    throw error;
  }
  const bytes = (await stat(target.final)).size;
  job.progress(progressOf(`Wrote ${formatBytes(bytes)}`, received, received, 1));
  const downloadId = target.download ? ctx.files.addDownload(target.final, target.fileName) : null;
  return { path: target.download ? null : target.final, downloadId, fileName: target.fileName, bytes };
}

function engineSaid(checker: TarChecker): TarCheckError | undefined {
  try {
    checker.end();
  } catch (error) {
    if (error instanceof TarCheckError && error.problem === 'engine-error') return error;
  }
  return undefined;
}

/** Every repo:tag (and image ID) on the engine now. */
async function currentNames(ctx: EngineContext): Promise<Set<string>> {
  const images = await ctx.getJson('/images/json', { operation: 'list' });
  const names = new Set<string>();
  if (!Array.isArray(images)) return names;
  for (const image of images as { Id?: unknown; RepoTags?: unknown }[]) {
    if (typeof image.Id === 'string') names.add(image.Id);
    if (Array.isArray(image.RepoTags)) {
      for (const tag of image.RepoTags) if (typeof tag === 'string') names.add(tag);
    }
  }
  return names;
}

interface StreamLine {
  readonly stream?: unknown;
  readonly status?: unknown;
  readonly error?: unknown;
  readonly errorDetail?: { readonly message?: unknown };
  readonly progressDetail?: { readonly current?: unknown; readonly total?: unknown };
  readonly id?: unknown;
}

function lineErrorOf(line: StreamLine): string | undefined {
  const message = line.errorDetail?.message ?? line.error;
  return typeof message === 'string' && message !== '' ? message : undefined;
}

/** Sends a file to the engine (load or import) and yields its JSON answer lines. */
async function* sendFile(
  ctx: EngineContext,
  request: { readonly path: string; readonly query: Record<string, string | number | boolean | readonly string[]> },
  file: { readonly path: string; readonly size: number; readonly what: string },
  job: JobContext,
  operation: 'load' | 'import',
): AsyncGenerator<StreamLine, void, undefined> {
  let sent = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sent += chunk.length;
      job.progress(
        progressOf(`Sending ${file.what}: ${formatBytes(sent)} of ${formatBytes(file.size)}`, sent, file.size),
      );
      callback(null, chunk);
    },
  });
  const source = createReadStream(file.path);
  source.once('error', (error) => {
    counter.destroy(error);
  });
  source.pipe(counter);
  const res = await ctx.engine().stream({
    method: 'POST',
    path: request.path,
    query: request.query,
    upload: { stream: counter, contentType: 'application/x-tar' },
    signal: job.signal,
    timeoutMs: UPLOAD_HEADERS_TIMEOUT_MS,
  });
  // Cancelling aborts job.signal, and the client then ends this stream.
  try {
    if (res.status !== 200) {
      const body = await readAll(res.stream);
      throw httpError(res.status, body, { operation: 'list' });
    }
    try {
      for await (const line of readNdjson(res.stream)) {
        if (typeof line === 'object' && line !== null) yield line;
      }
    } catch (error) {
      if (job.signal.aborted) throw job.signal.reason;
      if (error instanceof NdjsonError) throw malformedStreamError(error, `${operation} progress`);
      throw new StrataError(
        'engine_unreachable',
        `The engine stopped answering during the ${operation} of ${file.what}; check that Docker is running and try again.`,
        error instanceof Error ? error.message : String(error),
      );
    }
  } finally {
    res.stream.destroy();
    source.destroy();
  }
}

async function precheck(
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

async function removeTags(ctx: EngineContext, names: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const name of names) {
    const res = await ctx
      .engine()
      .json({ method: 'DELETE', path: `/images/${encodeReferenceForPath(name)}`, query: { noprune: false } })
      .catch(() => undefined);
    if (res !== undefined && res.status === 200) removed.push(name);
  }
  return removed;
}

async function runLoad(ctx: EngineContext, source: FileSource, job: JobContext): Promise<Record<string, unknown>> {
  const { path, name } = resolveSource(ctx, source);
  const size = await requireFile(path);
  await precheck(path, name, size, true, job);
  const before = await currentNames(ctx);
  const loaded: string[] = [];
  let failure: string | undefined;
  for await (const line of sendFile(
    ctx,
    { path: '/images/load', query: { quiet: false } },
    { path, size, what: name },
    job,
    'load',
  )) {
    const error = lineErrorOf(line);
    if (error !== undefined) {
      failure = error;
      break;
    }
    if (typeof line.stream === 'string') {
      const tag = /Loaded image: (\S+)/.exec(line.stream)?.[1];
      const id = /Loaded image ID: (sha256:[0-9a-f]+)/.exec(line.stream)?.[1];
      const item = tag ?? id;
      if (item !== undefined) {
        loaded.push(item);
        job.progress(progressOf(`Loaded ${item}`, size, size));
      }
    }
  }
  if (failure !== undefined) {
    const added = loaded.filter((item) => !before.has(item));
    const removed = await removeTags(ctx, added);
    const undo =
      removed.length === 0
        ? ' No image was tagged by it.'
        : ` What it had loaded was removed again: ${removed.join(', ')}.`;
    throw new StrataError('engine_error', `The engine could not load ${name}: ${failure}.${undo}`, failure);
  }
  return { loaded };
}

async function runImport(
  ctx: EngineContext,
  args: {
    readonly source: FileSource;
    readonly reference?: string;
    readonly changes: readonly string[];
    readonly message?: string;
  },
  job: JobContext,
): Promise<Record<string, unknown>> {
  const { path, name } = resolveSource(ctx, args.source);
  const size = await requireFile(path);
  await precheck(path, name, size, false, job);
  const query: Record<string, string | number | boolean | readonly string[]> = { fromSrc: '-' };
  if (args.reference !== undefined) {
    const parsed = parseReference(args.reference);
    if (!parsed.ok) throw new StrataError('invalid_argument', parsed.reason);
    if (parsed.value.digest !== undefined) {
      throw new StrataError('invalid_argument', 'An imported image gets a tag, not a digest: use repo:tag.');
    }
    query['repo'] = parsed.value.name;
    query['tag'] = parsed.value.tag ?? 'latest';
  }
  if (args.changes.length > 0) query['changes'] = args.changes;
  if (args.message !== undefined && args.message !== '') query['message'] = args.message;
  let imageId: string | undefined;
  let failure: string | undefined;
  for await (const line of sendFile(
    ctx,
    { path: '/images/create', query },
    { path, size, what: name },
    job,
    'import',
  )) {
    const error = lineErrorOf(line);
    if (error !== undefined) {
      failure = error;
      break;
    }
    if (typeof line.status === 'string' && /^sha256:[0-9a-f]{64}$/.test(line.status.trim())) {
      imageId = line.status.trim();
    }
  }
  if (failure !== undefined) {
    throw new StrataError('engine_error', `The engine could not import ${name}: ${failure}.`, failure);
  }
  if (imageId === undefined) {
    throw new StrataError('engine_error', `The engine ended the import of ${name} without naming the new image.`);
  }
  const reference = args.reference === undefined ? null : `${String(query['repo'])}:${String(query['tag'])}`;
  job.progress(progressOf(`Imported ${reference ?? imageId}`, size, size, 1));
  return { imageId, reference };
}

async function runSave(
  ctx: EngineContext,
  args: { readonly references: readonly string[]; readonly compress: boolean; readonly destination: FileDestination },
  title: string,
  job: JobContext,
): Promise<Record<string, unknown>> {
  let estimate = 0;
  for (const reference of args.references) {
    const raw = await ctx.getJson(`/images/${encodeReferenceForPath(reference)}/json`, {
      operation: 'inspect',
      reference,
    });
    const size = (raw as { Size?: unknown } | undefined)?.Size;
    if (typeof size === 'number') estimate += size;
  }
  const target = targetOf(ctx, args.destination, args.compress ? '.tar.gz' : '.tar');
  const res = await ctx.engine().stream({
    method: 'GET',
    path: '/images/get',
    query: { names: args.references },
    signal: job.signal,
  });
  if (res.status !== 200) {
    const body = await readAll(res.stream);
    throw httpError(res.status, body, { operation: 'inspect', reference: args.references.join(', ') });
  }
  const result = await streamToFile(ctx, {
    what: title,
    response: res.stream,
    target,
    compress: args.compress,
    image: true,
    estimate: estimate > 0 ? estimate : null,
    job,
    engineAddress: ctx.endpoint.address,
  });
  return { ...result };
}

async function runExport(
  ctx: EngineContext,
  args: { readonly container: string; readonly destination: FileDestination },
  job: JobContext,
): Promise<Record<string, unknown>> {
  const container = args.container.replace(/^\//, '');
  const target = targetOf(ctx, args.destination, '.tar');
  const res = await ctx.engine().stream({
    method: 'GET',
    path: `/containers/${encodeURIComponent(container)}/export`,
    signal: job.signal,
  });
  if (res.status !== 200) {
    const body = await readAll(res.stream);
    if (res.status === 404) {
      throw new StrataError('not_found', `No container "${container}" on this engine.`, body.trim());
    }
    throw httpError(res.status, body, { operation: 'list' });
  }
  const result = await streamToFile(ctx, {
    what: `the filesystem of ${container}`,
    response: res.stream,
    target,
    compress: false,
    image: false,
    estimate: null,
    job,
    engineAddress: ctx.endpoint.address,
  });
  return { ...result };
}

/** An upload is used once: its staged file goes when the job that read it ends (the dialogs upload again to retry). */
async function consumingUpload<T>(ctx: EngineContext, source: FileSource, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } finally {
    if (source.kind === 'upload') ctx.files.discardUpload(source.uploadId);
  }
}

export function transferHandlers(
  ctx: EngineContext,
): HandlerSlice<'images.save' | 'images.load' | 'images.import' | 'containers.export'> {
  return {
    'images.save': settle((args) => {
      ctx.engine();
      const title = short(args.references.join(', '));
      return { jobId: ctx.jobs.start('save', title, (job) => runSave(ctx, args, title, job)) };
    }),
    'images.load': settle((args) => {
      ctx.engine();
      const title =
        args.source.kind === 'path' ? basename(args.source.path) : ctx.files.upload(args.source.uploadId).fileName;
      return {
        jobId: ctx.jobs.start('load', short(title), (job) =>
          consumingUpload(ctx, args.source, () => runLoad(ctx, args.source, job)),
        ),
      };
    }),
    'images.import': settle((args) => {
      ctx.engine();
      const title = args.reference ?? (args.source.kind === 'path' ? basename(args.source.path) : 'uploaded tarball');
      return {
        jobId: ctx.jobs.start('import', short(title), (job) =>
          consumingUpload(ctx, args.source, () => runImport(ctx, args, job)),
        ),
      };
    }),
    'containers.export': settle((args) => {
      ctx.engine();
      const title = args.container.replace(/^\//, '');
      return { jobId: ctx.jobs.start('export', title, (job) => runExport(ctx, args, job)) };
    }),
  };
}
