/**
 * engine.ping and engine.info, and the reachability they report: observed from real calls only (every answer says
 * the engine is there, every connection failure that it is not; no polling). A change is an `engine.status` event.
 */
import type { Endpoint, EngineStatus, StrataEvent } from '../../../shared/api';
import { StrataError, toErrorShape } from '../../../shared/errors';
import type { EngineClient, EngineResponse } from '../core/client';
import type { EngineContext, HandlerSlice } from './context';
import { toEngineInfo } from './info';
import type { Logger } from './logger';

export interface ReachabilityOptions {
  readonly engineId: string;
  readonly endpoint: Endpoint;
  readonly requestTimeoutMs: number;
  readonly emit: (event: StrataEvent) => void;
  /** Where connection changes are logged. */
  readonly log: Logger;
  /** False when the endpoint cannot be opened at all (no client): a ping answers unreachable. */
  readonly hasClient: boolean;
  readonly engine: () => EngineClient;
  readonly getJson: EngineContext['getJson'];
}

export interface Reachability {
  /** The client's onReachability: what a request or a connection failure just showed. */
  observe(reachable: boolean, headers?: EngineResponse['headers'], error?: StrataError): void;
  /** Pings the engine; an engine that does not answer is a status, not an error. */
  ping(timeoutMs?: number): Promise<EngineStatus>;
}

function headerString(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function createReachability(options: ReachabilityOptions): Reachability {
  const { engineId, endpoint } = options;
  let reachState: EngineStatus['state'] | undefined;
  let serverVersion: string | undefined;
  let apiVersion: string | undefined;
  let lastError: StrataError | undefined;
  const statusNow = (): EngineStatus => ({
    engineId,
    state: reachState ?? 'unreachable',
    endpoint,
    ...(serverVersion === undefined ? {} : { serverVersion }),
    ...(apiVersion === undefined ? {} : { apiVersion }),
    ...(reachState !== 'connected' && lastError !== undefined ? { error: lastError.toShape() } : {}),
    checkedAt: new Date().toISOString(),
  });

  return {
    observe(reachable, headers, error) {
      if (headers !== undefined) {
        const api = headerString(headers['api-version']);
        if (api !== undefined) apiVersion = api;
        const server = /Docker\/(\S+)/.exec(headerString(headers['server']) ?? '');
        if (server?.[1] !== undefined) serverVersion = server[1];
      }
      if (error !== undefined) lastError = error;
      const next = reachable ? 'connected' : 'unreachable';
      if (next === reachState) return;
      reachState = next;
      if (reachable) options.log.info('engine connected', { kind: endpoint.kind, serverVersion, apiVersion });
      else options.log.warn('engine unreachable', { kind: endpoint.kind, code: error?.code, message: error?.message });
      options.emit({ type: 'engine.status', status: statusNow() });
    },

    async ping(timeoutMs = options.requestTimeoutMs) {
      try {
        const res = await options.engine().request({ method: 'GET', path: '/_ping', timeoutMs, unversioned: true });
        if (res.status !== 200) {
          lastError = new StrataError(
            'engine_error',
            `The engine at ${endpoint.address} answered ${res.status} to a ping.`,
          );
          return { ...statusNow(), state: 'unreachable', error: lastError.toShape() };
        }
        if (serverVersion === undefined) {
          try {
            const version = await options.getJson('/version', { operation: 'ping' });
            const v = (version ?? {}) as { Version?: unknown; ApiVersion?: unknown };
            if (typeof v.Version === 'string') serverVersion = v.Version;
            if (typeof v.ApiVersion === 'string') apiVersion = v.ApiVersion;
          } catch {
            // The ping answered; the version is a nicety.
          }
        }
        return statusNow();
      } catch (error) {
        const shape = toErrorShape(error);
        if (!options.hasClient || shape.code === 'engine_unreachable') {
          lastError = error instanceof StrataError ? error : StrataError.fromShape(shape);
          return { ...statusNow(), state: 'unreachable', error: shape };
        }
        throw error;
      }
    },
  };
}

export function engineInfoHandlers(ctx: EngineContext): HandlerSlice<'engine.ping' | 'engine.info'> {
  return {
    'engine.ping': async () => ctx.ping(),

    'engine.info': async () => {
      const [info, version, negotiated] = await Promise.all([
        ctx.getJson('/info', { operation: 'info' }),
        ctx.getJson('/version', { operation: 'info' }),
        ctx.engine().apiVersions(),
      ]);
      return toEngineInfo(ctx.engineId, ctx.endpoint, info, version, negotiated);
    },
  };
}
