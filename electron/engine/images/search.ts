/**
 * Docker Hub search through the engine: GET /images/search?term=&limit=. The engine asks
 * index.docker.io itself; when it cannot (no internet, no DNS) it answers 500 with Go's dial error,
 * e.g. `Get "https://index.docker.io/v1/search?q=alpine&n=5": dial tcp: lookup index.docker.io on …: no such host`,
 * which becomes one clear message.
 */
import type { z } from 'zod';
import type { searchResultSchema } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import type { EngineContext, HandlerSlice } from '../host/context';
import { searchError } from '../core/operation-errors';

export type SearchResult = z.infer<typeof searchResultSchema>;

/** Maps the engine's search answer (an array of Docker Hub entries) to the contract's rows. */
export function toSearchResults(value: unknown): SearchResult[] {
  if (!Array.isArray(value)) {
    throw new StrataError(
      'engine_error',
      'The engine answered the Docker Hub search with something that is not a list.',
    );
  }
  return value.flatMap((item: unknown): SearchResult[] => {
    if (typeof item !== 'object' || item === null) return [];
    const record = item as Record<string, unknown>;
    const name = record['name'];
    if (typeof name !== 'string' || name === '') return [];
    const description = record['description'];
    const stars = record['star_count'];
    return [
      {
        name,
        description: typeof description === 'string' ? description : '',
        stars: typeof stars === 'number' && Number.isFinite(stars) && stars >= 0 ? stars : 0,
        official: record['is_official'] === true,
        automated: record['is_automated'] === true,
      },
    ];
  });
}

export function searchHandlers(ctx: EngineContext): HandlerSlice<'images.search'> {
  return {
    'images.search': async (args) => {
      const term = typeof args.term === 'string' ? args.term.trim() : '';
      if (term === '') throw new StrataError('invalid_argument', 'Type something to search Docker Hub for.');
      const limit = typeof args.limit === 'number' ? Math.min(100, Math.max(1, Math.trunc(args.limit))) : 25;
      // The engine may take a while to give up on an unreachable Docker Hub; allow for it.
      const res = await ctx.engine().json({
        method: 'GET',
        path: '/images/search',
        query: { term, limit },
        timeoutMs: Math.max(ctx.requestTimeoutMs, 30_000),
      });
      if (res.status !== 200) throw searchError(res.status, res.body, term);
      return toSearchResults(res.value);
    },
  };
}
