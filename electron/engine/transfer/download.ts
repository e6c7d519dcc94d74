/**
 * The engine's tar into a file (save, export), through core/streamed.ts `runStreamedRaw`: the tar is streamed to a
 * temporary file beside the destination (or in the FileStore for a browser download), checked while it is written
 * (TarChecker: complete, and for a save manifest.json with every file it names, and no error JSON the engine
 * appended midway), then renamed into place. Every chunk feeds the idle watchdog: an engine that sends nothing more
 * for the stall timeout ends the job with `downloadStalledError`. A failed, stalled or cancelled job leaves no file.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { link, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { FileDestination, FileResult } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import { connectionError, downloadStalledError } from '../core/errors';
import { runStreamedRaw, type StreamedOperation, type StreamWatch } from '../core/streamed';
import type { EngineContext } from '../host/context';
import type { JobContext } from '../host/jobs';
import { errnoOf, existsError, fileError, formatBytes, progressOf } from './files';
import { TarChecker, TarCheckError } from './tarcheck';

interface Target {
  readonly temp: string;
  readonly final: string;
  readonly fileName: string;
  readonly download: boolean;
  /** Replace a file at `final` (else a file that appeared meanwhile is refused, never clobbered). */
  readonly overwrite: boolean;
}

function targetOf(ctx: EngineContext, destination: FileDestination, suffix: string): Target {
  if (destination.kind === 'download') {
    return {
      temp: ctx.files.tempPath('.part'),
      final: ctx.files.tempPath(suffix),
      fileName: destination.fileName,
      download: true,
      overwrite: false,
    };
  }
  const final = destination.path;
  const temp = join(dirname(final), `.${basename(final)}.${randomBytes(6).toString('hex')}.strata-part`);
  return { temp, final, fileName: basename(final), download: false, overwrite: destination.overwrite === true };
}

export interface DownloadOptions {
  /** The engine request whose answer is the tar. */
  readonly request: StreamedOperation['request'];
  /** What the tar holds, for messages: "t/x:1", "the filesystem of web". */
  readonly what: string;
  readonly destination: FileDestination;
  readonly compress: boolean;
  /** Require a docker image archive. */
  readonly image: boolean;
  /** The expected size, for progress; null when unknown. */
  readonly estimate: number | null;
  readonly job: JobContext;
  /** Maps a non-200 answer. */
  readonly onHttpError: (status: number, body: string) => StrataError;
}

/** Asks the engine for a tar and writes it, checked, to the destination. */
export function download(ctx: EngineContext, options: DownloadOptions): Promise<FileResult> {
  const target = targetOf(ctx, options.destination, options.compress ? '.tar.gz' : '.tar');
  return runStreamedRaw(ctx, {
    request: options.request,
    signal: options.job.signal,
    onHttpError: options.onHttpError,
    stalled: () => downloadStalledError(options.what, ctx.stallTimeoutMs),
    broken: (why) =>
      `The engine at ${ctx.endpoint.address} ${why} while sending ${options.what}; no file was written. Try again once Docker is running.`,
    onBody: (response, watch) => streamToFile(ctx, options, target, response, watch),
  });
}

/** Streams an engine tar into the temp file, checks it, and renames it into place. */
async function streamToFile(
  ctx: EngineContext,
  options: DownloadOptions,
  target: Target,
  response: Readable,
  watch: StreamWatch,
): Promise<FileResult> {
  const { job, what, estimate } = options;
  const checker = new TarChecker({ image: options.image });
  let received = 0;
  const about = estimate === null ? '' : ` of about ${formatBytes(estimate)}`;
  const inspect = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      watch.tick();
      checker.push(chunk);
      received += chunk.length;
      job.progress(progressOf(`Writing ${what}: ${formatBytes(received)}${about}`, received, estimate));
      // An error the engine wrote midway: stop at once rather than write the rest.
      const problem = checker.problem;
      callback(problem === undefined ? null : problem, chunk);
    },
  });
  let brokenSource: unknown;
  response.once('error', (error) => {
    brokenSource = error;
  });
  const stages: NodeJS.ReadWriteStream[] = options.compress ? [inspect, createGzip()] : [inspect];
  try {
    try {
      // The watch's signal ends the copy on a cancel, a stall or an engine that is gone.
      await pipeline([response, ...stages, createWriteStream(target.temp, { flags: 'wx', mode: 0o600 })], {
        signal: watch.signal,
      });
    } catch (error) {
      if (watch.signal.aborted) throw watch.signal.reason;
      if (error instanceof TarCheckError) throw error;
      // The engine may have written its error and then dropped the connection: prefer its words.
      const said = engineSaid(checker);
      if (said !== undefined) throw said;
      if (brokenSource !== undefined || (errnoOf(error) === undefined && !(error instanceof StrataError))) {
        throw new StrataError(
          'engine_unreachable',
          `The engine stopped sending ${what} before it was complete (${connectionError(brokenSource ?? error, ctx.endpoint.address).message}); no file was written.`,
        );
      }
      throw fileError(error, target.download ? target.fileName : target.final, true);
    }
    checker.end();
    await moveIntoPlace(target);
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

/** Renames the checked temp file to its name: a replace only when asked; otherwise a hard link, which never clobbers. */
async function moveIntoPlace(target: Target): Promise<void> {
  try {
    if (target.overwrite || target.download) {
      await rename(target.temp, target.final);
      return;
    }
    await link(target.temp, target.final);
    await rm(target.temp, { force: true });
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') throw existsError(target.final);
    throw fileError(error, target.final, true);
  }
}

function engineSaid(checker: TarChecker): TarCheckError | undefined {
  try {
    checker.end();
  } catch (error) {
    if (error instanceof TarCheckError && error.problem === 'engine-error') return error;
  }
  return undefined;
}
