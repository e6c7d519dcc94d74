/**
 * The one place a call from outside (IPC or HTTP) meets the service: the method must be in the
 * contract and its arguments must satisfy the contract's schema before any handler runs.
 */
import { type z } from 'zod';
import { api, isMethodName, type Handlers, type MethodName, type Outcome } from './api';
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

export type Dispatch = (method: string, rawArgs: unknown) => Promise<Outcome<unknown>>;

/** Builds the dispatcher used by both the IPC handlers and the browser server. */
export function createDispatch(handlers: Handlers): Dispatch {
  return async (method, rawArgs) => {
    try {
      if (!isMethodName(method)) throw new StrataError('unknown_method', `There is no method "${method}".`);
      const args = parseArgs(method, rawArgs);
      const handler = handlers[method] as (a: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(args) };
    } catch (error) {
      return { ok: false, error: toErrorShape(error) };
    }
  };
}
