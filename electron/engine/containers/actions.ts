/** Container lifecycle: inspect, start/stop/restart/pause/unpause/kill/remove (one or many), rename, run, changes. */
import type { IncomingMessage } from 'node:http';
import type { ContainerAction, ContainerActionItem, ParsedArgsOf } from '../../../shared/api';
import { StrataError, toErrorShape } from '../../../shared/errors';
import { encodeReferenceForPath, parseReference } from '../../../shared/reference';
import type { EngineRequest } from '../core/client';
import { checkRunArgs, createBody, toContainerDetails, toFileChanges } from './details';
import type { EngineContext, HandlerSlice } from '../host/context';
import { engineMessageOf, httpError } from '../core/errors';
import { containerError, startFailureReason } from '../core/operation-errors';
import { mapBounded } from '../images/history';

type Methods =
  | 'containers.inspect'
  | 'containers.action'
  | 'containers.actionMany'
  | 'containers.rename'
  | 'containers.run'
  | 'containers.changes';

/** How many containers of one actionMany are acted on at once. */
export const ACTION_MANY_CONCURRENCY = 4;

/** An attached run waits this long for the container to exit, then answers with exitCode null. */
export const RUN_WAIT_CAP_MS = 10 * 60_000;

type ActionOptions = Omit<ParsedArgsOf<'containers.action'>, 'container' | 'action'>;

/** A container name or ID as a path segment (the schema already limits it to [A-Za-z0-9_.-]). */
function containerPath(container: string, suffix = ''): string {
  const name = container.replace(/^\//, '');
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) {
    throw new StrataError('invalid_argument', `"${container}" is not a container name or ID.`);
  }
  return `/containers/${encodeURIComponent(name)}${suffix}`;
}

/** The engine request of one action. */
export function actionRequest(container: string, action: ContainerAction, options: ActionOptions): EngineRequest {
  switch (action) {
    case 'start':
    case 'pause':
    case 'unpause':
      return { method: 'POST', path: containerPath(container, `/${action}`) };
    case 'stop':
    case 'restart':
      return {
        method: 'POST',
        path: containerPath(container, `/${action}`),
        query: options.timeoutSeconds === undefined ? undefined : { t: options.timeoutSeconds },
      };
    case 'kill':
      return {
        method: 'POST',
        path: containerPath(container, '/kill'),
        query: options.signal === undefined ? undefined : { signal: options.signal },
      };
    case 'remove':
      return {
        method: 'DELETE',
        path: containerPath(container),
        query: { force: options.force === true, v: options.removeVolumes === true },
      };
  }
}

/** Time the engine may take: stop and restart wait up to the timeout (default 10 s) before killing. */
function actionTimeoutMs(ctx: EngineContext, action: ContainerAction, options: ActionOptions): number {
  if (action === 'stop' || action === 'restart') {
    return Math.max(ctx.requestTimeoutMs, ((options.timeoutSeconds ?? 10) + 30) * 1000);
  }
  return Math.max(ctx.requestTimeoutMs, 60_000);
}

/** Reads a small streamed answer to its end, or gives up after `capMs` (undefined: no answer in time). */
function readBody(stream: IncomingMessage, capMs: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      stream.destroy();
      resolve(undefined);
    }, capMs);
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    stream.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** The exit code in a /wait answer (`{"StatusCode":0}`), or null. */
export function exitCodeOf(body: string): number | null {
  try {
    const parsed = JSON.parse(body) as { StatusCode?: unknown } | null;
    return typeof parsed?.StatusCode === 'number' ? parsed.StatusCode : null;
  } catch {
    return null;
  }
}

export function containerActionHandlers(ctx: EngineContext): HandlerSlice<Methods> {
  const act = async (container: string, action: ContainerAction, options: ActionOptions): Promise<boolean> => {
    const res = await ctx.engine().request({
      ...actionRequest(container, action, options),
      timeoutMs: actionTimeoutMs(ctx, action, options),
    });
    if (res.status === 304) return false;
    if (res.status >= 200 && res.status < 300) return true;
    throw containerError(res.status, res.body, container, action);
  };

  /** Removes what a failed run created; a failure here must not hide the reason the run failed. */
  const removeQuietly = async (id: string): Promise<void> => {
    try {
      await ctx.engine().request({ method: 'DELETE', path: containerPath(id), query: { force: true, v: true } });
    } catch {
      // The engine may already have removed it (auto-remove); nothing else to do.
    }
  };

  const nameOf = async (id: string): Promise<string> => {
    try {
      const res = await ctx.engine().json({ method: 'GET', path: containerPath(id, '/json') });
      return res.status === 200 ? toContainerDetails(ctx.engineId, res.value).name : '';
    } catch {
      return '';
    }
  };

  return {
    'containers.inspect': async (args) => {
      const res = await ctx.engine().json({ method: 'GET', path: containerPath(args.container, '/json') });
      if (res.status !== 200) throw containerError(res.status, res.body, args.container, 'inspect');
      return toContainerDetails(ctx.engineId, res.value);
    },

    'containers.action': async (args) => {
      const { container, action, ...options } = args;
      const changed = await act(container, action, options);
      return { container: container.replace(/^\//, ''), action, changed };
    },

    'containers.actionMany': async (args) => {
      const { containers, action, ...options } = args;
      // A few at a time (stops can each wait their timeout), one result per item in the order given.
      return mapBounded(containers, ACTION_MANY_CONCURRENCY, async (container): Promise<ContainerActionItem> => {
        const name = container.replace(/^\//, '');
        try {
          return { container: name, ok: true, changed: await act(container, action, options) };
        } catch (error) {
          return { container: name, ok: false, error: toErrorShape(error) };
        }
      });
    },

    'containers.rename': async (args) => {
      const res = await ctx.engine().request({
        method: 'POST',
        path: containerPath(args.container, '/rename'),
        query: { name: args.name },
      });
      if (res.status < 200 || res.status >= 300) {
        throw containerError(res.status, res.body, args.container, 'rename', args.name);
      }
      const inspect = await ctx.engine().json({ method: 'GET', path: containerPath(args.name, '/json') });
      const id = inspect.status === 200 ? toContainerDetails(ctx.engineId, inspect.value).id : '';
      return { id, name: args.name };
    },

    'containers.changes': async (args) => {
      const res = await ctx.engine().json({
        method: 'GET',
        path: containerPath(args.container, '/changes'),
        timeoutMs: Math.max(ctx.requestTimeoutMs, 60_000),
      });
      if (res.status !== 200) throw containerError(res.status, res.body, args.container, 'changes');
      return toFileChanges(res.value);
    },

    'containers.run': async (args) => {
      checkRunArgs(args);
      const parsed = parseReference(args.image);
      if (!parsed.ok) throw new StrataError('invalid_argument', parsed.reason);
      const image = parsed.value.raw;

      // The image must be here: never pull implicitly.
      const found = await ctx.engine().json({ method: 'GET', path: `/images/${encodeReferenceForPath(image)}/json` });
      if (found.status === 404) {
        throw new StrataError(
          'not_found',
          `Image ${image} is not on this engine; pull it first.`,
          engineMessageOf(found.body),
        );
      }
      if (found.status !== 200) throw httpError(found.status, found.body, { operation: 'inspect', reference: image });

      const created = await ctx.engine().json({
        method: 'POST',
        path: '/containers/create',
        query: args.name === undefined ? undefined : { name: args.name },
        body: createBody(args),
      });
      if (created.status !== 201) {
        const message = engineMessageOf(created.body);
        if (created.status === 409 && args.name !== undefined) {
          throw new StrataError(
            'conflict',
            `The name ${args.name} is already used by another container; pick another name, or rename or remove that container first.`,
            message,
          );
        }
        if (created.status === 404) {
          throw new StrataError('not_found', `Image ${image} is not on this engine; pull it first.`, message);
        }
        throw new StrataError(
          created.status === 400 ? 'invalid_argument' : 'engine_error',
          `The engine would not create a container from ${image}: ${message}`,
          message,
        );
      }
      const value = created.value as { Id?: unknown; Warnings?: unknown } | undefined;
      const id = typeof value?.Id === 'string' ? value.Id : '';
      if (id === '')
        throw new StrataError('engine_error', `The engine created a container from ${image} but did not name it.`);
      const warnings = Array.isArray(value?.Warnings)
        ? value.Warnings.filter((w): w is string => typeof w === 'string' && w !== '')
        : [];
      const name = args.name ?? (await nameOf(id));

      // Attached: wait for the exit registered before the start, so a quick exit (or auto-remove) is not missed.
      let wait: IncomingMessage | undefined;
      try {
        if (!args.detach) {
          const res = await ctx.engine().stream({
            method: 'POST',
            path: containerPath(id, '/wait'),
            query: { condition: args.autoRemove ? 'removed' : 'next-exit' },
          });
          if (res.status !== 200) {
            const body = await readBody(res.stream, 5000);
            throw containerError(res.status, body ?? '', name || id, 'wait');
          }
          wait = res.stream;
        }
        const started = await ctx.engine().request({
          method: 'POST',
          path: containerPath(id, '/start'),
          timeoutMs: Math.max(ctx.requestTimeoutMs, 60_000),
        });
        if (started.status < 200 || started.status >= 300) {
          const message = engineMessageOf(started.body);
          throw new StrataError(
            'engine_error',
            `The container from ${image} could not start: ${startFailureReason(message)}. Check the command and entrypoint.`,
            message,
          );
        }
      } catch (error) {
        wait?.destroy();
        await removeQuietly(id);
        throw error;
      }
      if (wait === undefined) return { id, name, warnings, exitCode: null };

      const body = await readBody(wait, RUN_WAIT_CAP_MS);
      if (body === undefined) return { id, name, warnings, exitCode: null };
      return { id, name, warnings, exitCode: exitCodeOf(body) };
    },
  };
}
