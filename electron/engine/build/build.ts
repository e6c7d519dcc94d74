/**
 * Build from a context folder, as a job: the context is checked and listed first (a missing folder
 * or Dockerfile fails before any engine call), then streamed as a tar to POST /build (classic
 * builder); the log is reduced to steps as it comes. Cancelling closes the connection, which stops
 * the build on the engine; the image is tagged by the engine only when the build succeeded.
 */
import { Transform } from 'node:stream';
import type { ParsedArgsOf } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import { encodeReferenceForPath, parseReference } from '../../../shared/reference';
import { prepareContext, packContext, type PreparedContext } from './context';
import { endBuildLog, initialBuildLog, reduceBuildLog, toBuildProgress, type BuildLogState } from './log';
import type { EngineContext, HandlerSlice } from '../host/context';
import { settle } from '../host/context';
import { registryHostOf, type RegistryAuth } from '../registries/credentials';
import {
  buildFailedError,
  buildRefusedError,
  buildStalledError,
  malformedStreamError,
  type BuildSubject,
} from '../core/errors';
import type { JobContext } from '../host/jobs';
import { NdjsonError, readNdjson } from '../core/ndjson';

type BuildArgs = ParsedArgsOf<'images.build'>;

/** Registry hosts of the FROM lines (those without variables), for X-Registry-Config. */
export function fromHosts(dockerfileText: string): string[] {
  const hosts = new Set<string>();
  const stages = new Set<string>();
  for (const match of dockerfileText.matchAll(/^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/gim)) {
    const image = match[1] ?? '';
    if (match[2] !== undefined) stages.add(match[2].toLowerCase());
    if (image.includes('$') || image === 'scratch' || stages.has(image.toLowerCase())) continue;
    const parsed = parseReference(image);
    if (parsed.ok) hosts.add(registryHostOf(parsed.value));
  }
  return [...hosts];
}

function titleOf(args: BuildArgs): string {
  return args.tags[0] ?? `${args.contextPath} (${args.dockerfile})`;
}

export function buildQuery(
  args: BuildArgs,
  dockerfile: string,
): Record<string, string | number | boolean | readonly string[]> {
  return {
    // Every tag as its own `t`: the engine tags the image only when the build succeeded.
    ...(args.tags.length === 0 ? {} : { t: args.tags }),
    dockerfile,
    ...(Object.keys(args.buildArgs).length === 0 ? {} : { buildargs: JSON.stringify(args.buildArgs) }),
    ...(args.target === undefined ? {} : { target: args.target }),
    nocache: args.noCache,
    pull: args.pull,
    rm: true,
    forcerm: true,
    version: '1',
  };
}

async function registryConfig(ctx: EngineContext, prepared: PreparedContext, pull: boolean): Promise<string> {
  const auths: Record<string, RegistryAuth> = {};
  if (pull) {
    for (const host of fromHosts(prepared.dockerfileText)) {
      const auth = await ctx.registryAuth(host);
      if (auth !== undefined) auths[auth.serveraddress] = auth;
    }
  }
  return Buffer.from(JSON.stringify(auths), 'utf8').toString('base64url');
}

async function readBody(stream: AsyncIterable<unknown>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

async function runBuild(
  ctx: EngineContext,
  args: BuildArgs,
  prepared: PreparedContext,
  job: JobContext,
): Promise<Record<string, unknown>> {
  const subject: BuildSubject = {
    what: args.tags[0] ?? `the Dockerfile "${prepared.dockerfile}" in "${prepared.contextPath}"`,
  };
  const controller = new AbortController();
  const onCancel = (): void => controller.abort(job.signal.reason);
  job.signal.addEventListener('abort', onCancel, { once: true });
  if (job.signal.aborted) onCancel();

  let stallTimer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    if (stallTimer !== undefined) clearTimeout(stallTimer);
    if (!controller.signal.aborted) {
      stallTimer = setTimeout(
        () => controller.abort(buildStalledError(subject, ctx.stallTimeoutMs)),
        ctx.stallTimeoutMs,
      );
    }
  };

  let state: BuildLogState = initialBuildLog;
  let sent = 0;
  const bytes = (): { current: number; total: number } => ({ current: sent, total: prepared.totalBytes });
  const report = (): void => job.progress(toBuildProgress(state, bytes()));

  const tar = packContext(prepared);
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sent += chunk.length;
      arm();
      callback(null, chunk);
    },
  });
  tar.on('error', (error) => counter.destroy(error));
  tar.pipe(counter);

  // Aborting ends the engine's answer in the client; the context tar being sent stops here.
  let response: { destroy(): void } | undefined;
  const stopUpload = (): void => {
    tar.destroy();
    counter.destroy();
  };
  controller.signal.addEventListener('abort', stopUpload, { once: true });
  arm();
  try {
    const res = await ctx.engine().stream({
      method: 'POST',
      path: '/build',
      query: buildQuery(args, prepared.dockerfile),
      headers: { 'X-Registry-Config': await registryConfig(ctx, prepared, args.pull) },
      upload: { stream: counter, contentType: 'application/x-tar' },
      signal: controller.signal,
      timeoutMs: ctx.stallTimeoutMs + 5_000,
    });
    response = res.stream;
    if (res.status !== 200) throw buildRefusedError(res.status, await readBody(res.stream), subject);
    for await (const line of readNdjson(res.stream, { onChunk: arm })) {
      state = reduceBuildLog(state, line);
      report();
      if (state.error !== undefined) break;
    }
    state = endBuildLog(state);
    report();
    if (controller.signal.aborted) throw controller.signal.reason;
  } catch (error) {
    if (controller.signal.aborted) throw controller.signal.reason;
    if (error instanceof NdjsonError) throw malformedStreamError(error, 'build log');
    if (error instanceof StrataError) throw error;
    const status = await ctx.ping(Math.min(ctx.requestTimeoutMs, 5_000));
    const why = status.state === 'connected' ? 'dropped the connection' : 'stopped answering';
    throw new StrataError(
      'engine_unreachable',
      `the engine at ${ctx.endpoint.address} ${why} during the build of ${subject.what}; the build did not finish. Try again once Docker is running.`,
      error instanceof Error ? error.message : String(error),
    );
  } finally {
    if (stallTimer !== undefined) clearTimeout(stallTimer);
    job.signal.removeEventListener('abort', onCancel);
    controller.signal.removeEventListener('abort', stopUpload);
    response?.destroy();
    stopUpload();
  }

  if (state.error !== undefined) {
    const failed = state.failedStep === null ? undefined : state.steps[state.failedStep];
    const where = failed === undefined ? undefined : `${failed.number}/${failed.total} (${failed.instruction})`;
    throw buildFailedError(state.error.message, subject, where);
  }
  if (state.imageId === undefined) {
    throw new StrataError(
      'engine_error',
      `The engine ended the build of ${subject.what} without an error but did not name the image; build again.`,
    );
  }

  // The full ID (the log may hold a short one).
  const inspect = await ctx
    .engine()
    .json({ method: 'GET', path: `/images/${encodeReferenceForPath(state.imageId)}/json` });
  const id = (inspect.value as { Id?: unknown } | undefined)?.Id;
  const imageId = inspect.status === 200 && typeof id === 'string' ? id : state.imageId;
  const tags = [...args.tags];
  return { imageId, tags };
}

export function buildHandlers(ctx: EngineContext): HandlerSlice<'images.build'> {
  return {
    'images.build': async (args) => {
      // Checked before the job starts: a wrong path is the call's error, with no engine call.
      const prepared = await prepareContext(args.contextPath, args.dockerfile);
      for (const tag of args.tags) {
        const parsed = parseReference(tag);
        if (!parsed.ok) throw new StrataError('invalid_argument', parsed.reason);
        if (parsed.value.digest !== undefined) {
          throw new StrataError('invalid_argument', `"${tag}" has a digest; a build can only be tagged "repo:tag".`);
        }
      }
      return settle(() => {
        ctx.engine();
        const jobId = ctx.jobs.start('build', titleOf(args), (job) => runBuild(ctx, args, prepared, job));
        return { jobId };
      })(undefined);
    },
  };
}
