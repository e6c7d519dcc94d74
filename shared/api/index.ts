/**
 * The contract: every method Strata's renderer can call, declared once, one file per domain. The
 * preload, the IPC handlers, the browser server and the renderer client are all derived from `api`
 * (methods.ts); a method that is not in that table does not exist.
 */
export * from './common';
export * from './engine';
export * from './images';
export * from './history';
export * from './jobs';
export * from './prune';
export * from './registries';
export * from './transfer';
export * from './build';
export * from './containers';
export * from './disk';
export * from './events';
export * from './methods';
