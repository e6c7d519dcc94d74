/**
 * The one place a call from outside (IPC or HTTP) meets the service: the method must be in the
 * contract and its arguments must satisfy the contract's schema before any handler runs.
 */
import { type z } from 'zod';
import {
  DEFAULT_ENGINE_ID,
  api,
  engineIdSchema,
  isMethodName,
  type Handlers,
  type MethodName,
  type Outcome,
} from './api';
import { StrataError, toErrorShape } from './errors';

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/** Validates arguments for `method`; throws an `invalid_argument` StrataError naming the problem. */
export function parseArgs<M extends MethodName>(method: M, raw: unknown): z.output<(typeof api)[M]['args']> {
  const parsed = api[method].args.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new StrataError('invalid_argument', `Invalid arguments for ${method}: ${describeIssues(parsed.error)}`);
  }
  return parsed.data as z.output<(typeof api)[M]['args']>;
}

/** `engine` is the engine the call goes to (an engine id from outside: checked here); absent means the default. */
export type Dispatch = (method: string, rawArgs: unknown, engine?: unknown) => Promise<Outcome<unknown>>;

/** Validates an engine id from outside; undefined means the default engine. */
export function parseEngineId(raw: unknown): string {
  if (raw === undefined || raw === null || raw === '') return DEFAULT_ENGINE_ID;
  const parsed = engineIdSchema.safeParse(raw);
  if (!parsed.success) throw new StrataError('invalid_argument', 'The engine id of this call is not valid.');
  return parsed.data;
}

/**
 * Builds the dispatcher used by both the IPC handlers and the browser server. `handlers` is one engine's table, or
 * a function answering the table of an engine by id (throwing not_found for an engine that is not there).
 */
export function createDispatch(handlers: Handlers | ((engineId: string) => Handlers)): Dispatch {
  return async (method, rawArgs, engine) => {
    try {
      if (!isMethodName(method)) throw new StrataError('unknown_method', `There is no method "${method}".`);
      const engineId = parseEngineId(engine);
      const args = parseArgs(method, rawArgs);
      const table = typeof handlers === 'function' ? handlers(engineId) : handlers;
      const handler = table[method] as (a: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(args) };
    } catch (error) {
      return { ok: false, error: toErrorShape(error) };
    }
  };
}
