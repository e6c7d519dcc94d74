/**
 * Build from a context folder, as a job: the context is checked and listed first (a missing folder
 * or Dockerfile fails before any engine call), then streamed as a tar to POST /build (classic
 * builder); the log is reduced to steps as it comes. Cancelling closes the connection, which stops
 * the build on the engine; the image is tagged by the engine only when the build succeeded.
 */
import type { ParsedArgsOf } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import { encodeReferenceForPath, parseReference } from '../../../shared/reference';
import { prepareContext, packContext, type PreparedContext } from './context';
import { endBuildLog, initialBuildLog, reduceBuildLog, toBuildProgress, type BuildLogState } from './log';
import type { EngineContext, HandlerSlice } from '../host/context';
import { settle } from '../host/context';
import { registryHostOf, type RegistryAuth } from '../registries/credentials';
import { buildFailedError, buildRefusedError, buildStalledError, type BuildSubject } from '../core/build-errors';
import { runStreamed } from '../core/streamed';
import type { JobContext } from '../host/jobs';

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

async function runBuild(
  ctx: EngineContext,
  args: BuildArgs,
  prepared: PreparedContext,
  job: JobContext,
): Promise<Record<string, unknown>> {
  const subject: BuildSubject = {
    what: args.tags[0] ?? `the Dockerfile "${prepared.dockerfile}" in "${prepared.contextPath}"`,
  };
  let state: BuildLogState = initialBuildLog;
  let sent = 0;
  const report = (): void => job.progress(toBuildProgress(state, { current: sent, total: prepared.totalBytes }));

  await runStreamed(ctx, {
    request: {
      method: 'POST',
      path: '/build',
      query: buildQuery(args, prepared.dockerfile),
      headers: { 'X-Registry-Config': await registryConfig(ctx, prepared, args.pull) },
    },
    // Aborting ends the engine's answer in the client and stops the context tar being sent.
    upload: {
      stream: packContext(prepared),
      contentType: 'application/x-tar',
      onChunk: (bytes) => {
        sent += bytes;
      },
    },
    signal: job.signal,
    headersTimeoutMs: ctx.stallTimeoutMs + 5_000,
    onLine: (line) => {
      state = reduceBuildLog(state, line);
      report();
      return state.error === undefined;
    },
    onEnd: () => {
      state = endBuildLog(state);
      report();
    },
    onHttpError: (status, body) => buildRefusedError(status, body, subject),
    // A build that prints nothing may be a step waiting for input or the network: the Dockerfile's, not the engine's.
    stalled: () => buildStalledError(subject, ctx.stallTimeoutMs),
    pingOnStall: false,
    what: 'build log',
    broken: (why) =>
      `the engine at ${ctx.endpoint.address} ${why} during the build of ${subject.what}; the build did not finish. Try again once Docker is running.`,
  });

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
