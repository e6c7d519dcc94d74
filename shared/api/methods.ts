/**
 * The method table, joined from the domain files, and the types derived from it: every method Strata's renderer
 * can call. The preload, the IPC handlers, the browser server and the renderer client are all derived from `api`;
 * a method that is not in this table does not exist.
 */
import type { z } from 'zod';
import type { errorShape } from '../errors';
import { buildMethods } from './build';
import { containerMethods } from './containers';
import { diskMethods } from './disk';
import { engineMethods } from './engine';
import { eventMethods } from './events';
import { historyMethods } from './history';
import { imageCommitSearchMethods, imageMethods, imagePullTagMethods, imagePushMethods } from './images';
import { jobMethods } from './jobs';
import { pruneMethods } from './prune';
import { registryMethods } from './registries';
import { transferMethods } from './transfer';

/**
 * The one table. Each domain file declares its methods; they are joined here in the order docs/API.md lists them.
 */
export const api = {
  ...engineMethods,
  ...imageMethods,
  ...historyMethods,
  ...imagePullTagMethods,
  ...pruneMethods,
  ...imagePushMethods,
  ...transferMethods,
  ...buildMethods,
  ...imageCommitSearchMethods,
  ...containerMethods,
  ...diskMethods,
  ...registryMethods,
  ...eventMethods,
  ...jobMethods,
} as const;

export type Api = typeof api;
export type MethodName = keyof Api;
export type ArgsOf<M extends MethodName> = z.input<Api[M]['args']>;
export type ParsedArgsOf<M extends MethodName> = z.output<Api[M]['args']>;
export type ResultOf<M extends MethodName> = z.output<Api[M]['result']>;

export const METHOD_NAMES = Object.keys(api) as readonly MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(api, name);
}

/** What every call answers, over IPC and HTTP alike. */
export type Outcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: z.infer<typeof errorShape> };

/** The service behind the contract: one handler per method. */
export type Handlers = {
  readonly [M in MethodName]: (args: ParsedArgsOf<M>) => Promise<ResultOf<M>>;
};
