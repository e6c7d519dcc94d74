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

/** Just enough XMLHttpRequest for the upload: records headers and body, answers as scripted. */
class FakeXhr {
  static last: FakeXhr | undefined;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown;
  status = 0;
  responseText = '';
  upload: { onprogress: ((event: { loaded: number; total: number; lengthComputable: boolean }) => void) | null } = {
    onprogress: null,
  };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.body = body;
  }
  answer(status: number, body: unknown) {
    this.upload.onprogress?.({ loaded: 4, total: 4, lengthComputable: true });
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

describe('browser file transfer', () => {
  const createXhr = () => new FakeXhr() as unknown as XMLHttpRequest;

  it('uploads with the bearer token and the file name, reporting progress, and answers the upload id', async () => {
    const { fetchFn } = fakeFetch(() => json(200, {}));
    const bridge = createHttpBridge({ token: 'tok', fetch: fetchFn, createXhr });
    expect(bridge.files.mode).toBe('browser');
    const progress: number[] = [];
    const file = new Blob(['abcd']);
    const uploading = bridge.files.upload(file, 'my images.tar', (sent) => progress.push(sent));
    const xhr = FakeXhr.last!;
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toBe('/api/uploads');
    expect(xhr.headers).toMatchObject({ Authorization: 'Bearer tok', 'X-File-Name': 'my%20images.tar' });
    expect(xhr.body).toBe(file);
    xhr.answer(200, { uploadId: 'upload-123456', bytes: 4 });
    await expect(uploading).resolves.toBe('upload-123456');
    expect(progress).toEqual([4]);
  });

  it("rejects an upload with the server's error", async () => {
    const bridge = createHttpBridge({ token: 'tok', fetch: fakeFetch(() => json(200, {})).fetchFn, createXhr });
    const uploading = bridge.files.upload(new Blob(['x']), 'big.tar');
    FakeXhr.last!.answer(413, { code: 'invalid_argument', message: 'The file is larger than 10 bytes.' });
    await expect(uploading).rejects.toMatchObject({
      code: 'invalid_argument',
      message: 'The file is larger than 10 bytes.',
    });
  });

  it('downloads with the bearer token and hands the blob to the browser under the file name', async () => {
    const { fetchFn, requests } = fakeFetch(() => new Response('tar bytes', { status: 200 }));
    const saved: { name: string; text: string }[] = [];
    const bridge = createHttpBridge({
      token: 'tok',
      fetch: fetchFn,
      saveBlob: (blob, name) => {
        void blob.text().then((text) => saved.push({ name, text }));
      },
    });
    await bridge.files.download('dl-abcdefgh', 'lab-tool-1.0.tar');
    expect(requests[0]?.url).toBe('/api/downloads/dl-abcdefgh');
    expect(new Headers(requests[0]?.init?.headers).get('Authorization')).toBe('Bearer tok');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(saved).toEqual([{ name: 'lab-tool-1.0.tar', text: 'tar bytes' }]);
    const missing = createHttpBridge({
      token: 'tok',
      fetch: fakeFetch(() => json(404, { code: 'not_found', message: 'There is no such download in this session.' }))
        .fetchFn,
    });
    await expect(missing.files.download('dl-zzzzzzzz', 'x.tar')).rejects.toBeInstanceOf(StrataError);
  });
});
