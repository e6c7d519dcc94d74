import { describe, expect, it } from 'vitest';
import { StrataError } from '../../../shared/errors';
import {
  createHttpBridge,
  readToken,
  SERVER_NOT_ANSWERING,
  TOKEN_STORAGE_KEY,
  unwrap,
  type EventSourceLike,
} from './client';

interface Recorded {
  readonly url: string;
  readonly init: RequestInit | undefined;
}

function fakeFetch(answer: (url: string) => Response | Promise<Response>) {
  const requests: Recorded[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    requests.push({ url, init });
    return answer(url);
  }) as typeof fetch;
  return { fetchFn, requests };
}

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

class FakeEventSource implements EventSourceLike {
  static made: FakeEventSource[] = [];
  onmessage: ((event: MessageEvent<string>) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.made.push(this);
  }
  close(): void {
    this.closed = true;
  }
  push(data: string): void {
    this.onmessage?.(new MessageEvent('message', { data }));
  }
}

describe('HTTP bridge', () => {
  it('POSTs JSON with the bearer token to /api/<method> and wraps a 2xx answer', async () => {
    const { fetchFn, requests } = fakeFetch(() => json(200, []));
    const strata = createHttpBridge({ token: 's3cret', fetch: fetchFn, baseUrl: 'http://127.0.0.1:4000' });
    await expect(strata.images.list({})).resolves.toEqual({ ok: true, value: [] });
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.url).toBe('http://127.0.0.1:4000/api/images.list');
    expect(request?.init?.method).toBe('POST');
    expect(new Headers(request?.init?.headers).get('Authorization')).toBe('Bearer s3cret');
    expect(new Headers(request?.init?.headers).get('Content-Type')).toBe('application/json');
    expect(request?.init?.body).toBe('{}');
  });

  it('sends the arguments as the body', async () => {
    const { fetchFn, requests } = fakeFetch(() => json(200, { jobId: 'j1' }));
    const strata = createHttpBridge({ token: 't', fetch: fetchFn });
    await expect(strata.images.pull({ reference: 'alpine:3.19' })).resolves.toEqual({
      ok: true,
      value: { jobId: 'j1' },
    });
    expect(requests[0]?.url).toBe('/api/images.pull');
    expect(JSON.parse(requests[0]?.init?.body as string)).toEqual({ reference: 'alpine:3.19' });
  });

  it('turns a 4xx/5xx error body into a failed outcome with the same code and message', async () => {
    const body = { code: 'conflict', message: 'image is being used by stopped container 1234', detail: 'use force' };
    const { fetchFn } = fakeFetch(() => json(409, body));
    const strata = createHttpBridge({ token: 't', fetch: fetchFn });
    const outcome = await strata.images.remove({ reference: 'lab/app:1.0' });
    expect(outcome).toEqual({ ok: false, error: body });
    expect(() => unwrap(outcome)).toThrow(StrataError);
    try {
      unwrap(outcome);
    } catch (error) {
      expect(error).toBeInstanceOf(StrataError);
      expect((error as StrataError).code).toBe('conflict');
      expect((error as StrataError).message).toBe(body.message);
      expect((error as StrataError).detail).toBe('use force');
    }
  });

  it('explains an error answer that is not an error shape', async () => {
    const { fetchFn } = fakeFetch(
      () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    const outcome = await createHttpBridge({ token: 't', fetch: fetchFn }).engine.ping({});
    expect(outcome).toEqual({
      ok: false,
      error: { code: 'internal', message: "Strata's server answered 502 Bad Gateway" },
    });
  });

  it('says the server is not answering when fetch fails', async () => {
    const { fetchFn } = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const outcome = await createHttpBridge({ token: 't', fetch: fetchFn }).engine.ping({});
    expect(outcome).toEqual({ ok: false, error: { code: 'internal', message: SERVER_NOT_ANSWERING } });
  });

  it('shares one EventSource between subscribers, passes valid events on and closes after the last leaves', () => {
    FakeEventSource.made = [];
    const strata = createHttpBridge({
      token: 'a b',
      fetch: fakeFetch(() => json(200, {})).fetchFn,
      createEventSource: (url) => new FakeEventSource(url),
    });
    const first: unknown[] = [];
    const second: unknown[] = [];
    const off1 = strata.events.subscribe((e) => first.push(e));
    const off2 = strata.events.subscribe((e) => second.push(e));
    expect(FakeEventSource.made).toHaveLength(1);
    const source = FakeEventSource.made[0]!;
    expect(source.url).toBe('/api/events?token=a%20b');

    const progress = { type: 'job.progress', jobId: 'j1', progress: { fraction: 0.5, message: 'half', layers: [] } };
    source.push(JSON.stringify(progress));
    source.push('not json');
    source.push(JSON.stringify({ type: 'nonsense' }));
    expect(first).toEqual([progress]);
    expect(second).toEqual([progress]);

    off1();
    expect(source.closed).toBe(false);
    off2();
    expect(source.closed).toBe(true);
  });
});

describe('readToken', () => {
  function env(hash: string, stored?: string) {
    const storage = new Map<string, string>(stored === undefined ? [] : [[TOKEN_STORAGE_KEY, stored]]);
    const replaced: string[] = [];
    return {
      storage,
      replaced,
      env: {
        location: { hash, pathname: '/', search: '?x=1' },
        sessionStorage: {
          getItem: (k: string) => storage.get(k) ?? null,
          setItem: (k: string, v: string) => void storage.set(k, v),
        },
        history: {
          replaceState: (_d: unknown, _t: string, url?: string | URL | null) => void replaced.push(String(url)),
        },
      },
    };
  }

  it('takes the token from #token=, keeps it for reloads and removes it from the address bar', () => {
    const e = env('#token=abc123');
    expect(readToken(e.env)).toBe('abc123');
    expect(e.storage.get(TOKEN_STORAGE_KEY)).toBe('abc123');
    expect(e.replaced).toEqual(['/?x=1']);
  });

  it('falls back to the stored token after a reload', () => {
    const e = env('', 'kept');
    expect(readToken(e.env)).toBe('kept');
    expect(e.replaced).toEqual([]);
  });

  it('has no token when neither has one', () => {
    expect(readToken(env('').env)).toBeUndefined();
  });
});
