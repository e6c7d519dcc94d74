/**
 * The engine client of a service, logging the requests that fail: method, path (never the query, which may carry
 * build arguments), status or error code, and duration. Headers and bodies are never seen here.
 */
import { toErrorShape } from '../../../shared/errors';
import {
  EngineClient,
  type EngineClientOptions,
  type EngineRequest,
  type EngineResponse,
  type EngineStreamResponse,
} from '../core/client';
import type { Logger } from './logger';

export class LoggingEngineClient extends EngineClient {
  private readonly log: Logger;

  constructor(options: EngineClientOptions, log: Logger) {
    super(options);
    this.log = log;
  }

  override async request(req: EngineRequest): Promise<EngineResponse> {
    return this.logged(req, () => super.request(req));
  }

  override async stream(req: EngineRequest): Promise<EngineStreamResponse> {
    return this.logged(req, () => super.stream(req));
  }

  private async logged<T extends { readonly status: number }>(req: EngineRequest, send: () => Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      const res = await send();
      if (res.status >= 400) {
        this.log.warn('engine request failed', {
          method: req.method,
          path: req.path,
          status: res.status,
          durationMs: Date.now() - started,
        });
      }
      return res;
    } catch (error) {
      const shape = toErrorShape(error);
      const fields = { method: req.method, path: req.path, code: shape.code, message: shape.message };
      // A cancelled request is the user's doing, not a failure.
      if (req.signal?.aborted === true) this.log.debug('engine request cancelled', fields);
      else this.log.warn('engine request failed', { ...fields, durationMs: Date.now() - started });
      throw error;
    }
  }
}
