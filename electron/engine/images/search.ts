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
import { engineMessageOf } from '../core/errors';

export type SearchResult = z.infer<typeof searchResultSchema>;

export const HUB_UNREACHABLE_MESSAGE =
  'Docker Hub search needs the engine to reach index.docker.io, and it could not (no internet connection or DNS). Images already on this engine are unaffected.';

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

/** What a failed search answer means. */
export function searchError(status: number, body: string, term: string): StrataError {
  const message = engineMessageOf(body);
  if (
    /index\.docker\.io|registry-1\.docker\.io|dial tcp|no such host|i\/o timeout|connection refused|network is unreachable|TLS handshake timeout|Client\.Timeout/i.test(
      message,
    )
  ) {
    return new StrataError('engine_error', HUB_UNREACHABLE_MESSAGE, message);
  }
  if (status === 400) {
    return new StrataError('invalid_argument', `Docker Hub refused the search for "${term}": ${message}`, message);
  }
  if (status === 401 || status === 403) {
    return new StrataError(
      'registry_unauthorized',
      `Docker Hub refused the search for "${term}"; log in to docker.io and search again.`,
      message,
    );
  }
  return new StrataError(
    'engine_error',
    `The Docker Hub search for "${term}" failed (the engine answered ${status}): ${message}`,
    message,
  );
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
