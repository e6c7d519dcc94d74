import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { rawRequest } from '../../test/support/raw-http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES, type Handlers, type ImageSummary, type StrataEvent } from '../../shared/api';
import { StrataError } from '../../shared/errors';
import { fakeEngineService } from '../../test/support/fake-service';
import { MAX_BODY_BYTES } from './http';
import { startServer, type RunningServer } from './server';

// A hand-made service: unit tests only (the integration test uses the real one on the lab engine).
function fakeService() {
  const calls: { method: string; args: unknown }[] = [];
  const image: ImageSummary = {
    engineId: 'default',
    id: 'sha256:' + 'a'.repeat(64),
    parentId: '',
    repoTags: ['lab/app:1.0'],
    repoDigests: [],
    created: 1_700_000_000,
    size: 1234,
    sharedSize: -1,
    containers: 0,
    labels: { note: '<script>alert(1)</script>' },
  };
  const notUsed = (method: string) => () => Promise.reject(new Error(`${method} is not used in this test`));
  const others = Object.fromEntries(METHOD_NAMES.map((name) => [name, notUsed(name)])) as unknown as Handlers;
  const handlers: Handlers = {
    ...others,
    'engine.ping': notUsed('engine.ping'),
    'engine.info': notUsed('engine.info'),
    'images.list': (args) => {
      calls.push({ method: 'images.list', args });
      return Promise.resolve([image]);
    },
    'images.inspect': notUsed('images.inspect'),
    'images.history': notUsed('images.history'),
    'layers.graph': notUsed('layers.graph'),
    'images.remove': (args) => {
      calls.push({ method: 'images.remove', args });
      return Promise.reject(
        new StrataError('conflict', `${args.reference} is used by a container; remove it with force to proceed.`),
      );
    },
    'images.pull': (args) => {
      calls.push({ method: 'images.pull', args });
      return Promise.resolve({ jobId: 'job-1' });
    },
    'jobs.list': () => Promise.resolve([]),
    'jobs.cancel': notUsed('jobs.cancel'),
  };
  return { ...fakeEngineService(handlers), calls };
}

/** Opens an event stream and collects what arrives. */
function openStream(port: number, pathAndQuery: string, headers: Record<string, string> = {}) {
  let text = '';
  let request: http.ClientRequest | undefined;
  const response = new Promise<http.IncomingMessage>((resolve, reject) => {
    request = http.get(
      { host: '127.0.0.1', port, path: pathAndQuery, headers: { Host: `127.0.0.1:${port}`, ...headers }, agent: false },
      (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        resolve(res);
      },
    );
    request.on('error', reject);
  });
  return {
    response,
    text: () => text,
    close: () => request?.destroy(),
  };
}

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

let dir: string;
let staticDir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'strata-server-'));
  staticDir = path.join(dir, 'renderer');
  await mkdir(path.join(staticDir, 'assets'), { recursive: true });
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Strata</title>');
  await writeFile(path.join(staticDir, 'assets', 'app.js'), 'console.log("strata")');
  await writeFile(path.join(dir, 'secret.txt'), 'TOP SECRET');
  await symlink(path.join(dir, 'secret.txt'), path.join(staticDir, 'assets', 'link.txt'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('browser-mode server', () => {
  let server: RunningServer;
  let fake: ReturnType<typeof fakeService>;
  const token = 'test-token-' + 'x'.repeat(32);

  const auth = () => ({ Authorization: `Bearer ${token}` });

  async function start(heartbeatMs?: number) {
    fake = fakeService();
    server = await startServer({
      service: fake.service,
      staticDir,
      token,
      ...(heartbeatMs === undefined ? {} : { heartbeatMs }),
    });
  }

  afterEach(async () => {
    await server.close();
  });

  it('listens on 127.0.0.1 and reports the URL with the token in the fragment', async () => {
    await start();
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${token}`);
    expect(server.port).toBeGreaterThan(0);
  });

  it('makes a fresh 32-byte base64url token when none is given', async () => {
    const other = await startServer({ service: fakeService().service, staticDir });
    try {
      expect(other.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(other.url).toBe(`http://127.0.0.1:${other.port}/#token=${other.token}`);
    } finally {
      await other.close();
    }
    server = other; // afterEach closes it again, which must be harmless
  });

  it('answers a call with the result as JSON', async () => {
    await start();
    const answer = await rawRequest(server.port, {
      method: 'POST',
      path: '/api/images.list',
      headers: { ...auth(), 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    const images = JSON.parse(answer.body) as ImageSummary[];
    expect(images.map((i) => i.repoTags)).toEqual([['lab/app:1.0']]);
    expect(images[0]?.labels.note).toBe('<script>alert(1)</script>');
  });

  it('treats an empty body as no arguments', async () => {
    await start();
    const answer = await rawRequest(server.port, { method: 'POST', path: '/api/images.list', headers: auth() });
    expect(answer.status).toBe(200);
    expect(fake.calls).toEqual([{ method: 'images.list', args: {} }]);
  });

  it('answers a job with its id at once', async () => {
    await start();
    const answer = await rawRequest(server.port, {
      method: 'POST',
      path: '/api/images.pull',
      headers: auth(),
      body: JSON.stringify({ reference: 'lab/remote:1.0' }),
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ jobId: 'job-1' });
  });

  it('maps a service error to its status and the error shape', async () => {
    await start();
    const answer = await rawRequest(server.port, {
      method: 'POST',
      path: '/api/images.remove',
      headers: auth(),
      body: JSON.stringify({ reference: 'lab/app:1.0' }),
    });
    expect(answer.status).toBe(409);
    expect(JSON.parse(answer.body)).toEqual({
      code: 'conflict',
      message: 'lab/app:1.0 is used by a container; remove it with force to proceed.',
    });
  });

  it('refuses invalid arguments with 400 before the handler runs', async () => {
    await start();
    for (const reference of ['x?force=true', 'Lab/App:1.0', 'has space', '', 'a:' + 't'.repeat(129)]) {
      const answer = await rawRequest(server.port, {
        method: 'POST',
        path: '/api/images.remove',
        headers: auth(),
        body: JSON.stringify({ reference }),
      });
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'invalid_argument' });
    }
    const extraKey = await rawRequest(server.port, {
      method: 'POST',
      path: '/api/images.list',
      headers: auth(),
      body: JSON.stringify({ all: true }),
    });
    expect(extraKey.status).toBe(400);
    expect(fake.calls).toEqual([]);
  });

  it('refuses a body that is not JSON with 400', async () => {
    await start();
    const answer = await rawRequest(server.port, {
      method: 'POST',
      path: '/api/images.list',
      headers: auth(),
      body: '{"oops"',
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'invalid_argument' });
    expect((JSON.parse(answer.body) as { message: string }).message).toMatch(/not valid JSON/);
  });

  it('refuses a body over the limit with 413 (Payload Too Large)', async () => {
    await start();
    const big = JSON.stringify({ reference: 'a'.repeat(MAX_BODY_BYTES + 10) });
    const answer = await rawRequest(server.port, {
      method: 'POST',
      path: '/api/images.remove',
      headers: auth(),
      body: big,
    });
    expect(answer.status).toBe(413);
    expect((JSON.parse(answer.body) as { message: string }).message).toMatch(/larger than/);
    expect(fake.calls).toEqual([]);
  });

  it('answers an unknown method with 404 and the error shape', async () => {
    await start();
    const answer = await rawRequest(server.port, {
      method: 'POST',
      path: '/api/images.vacuum',
      headers: auth(),
      body: '{}',
    });
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'unknown_method' });
  });

  it('answers other verbs than POST on a method with 405', async () => {
    await start();
    const answer = await rawRequest(server.port, { method: 'GET', path: '/api/images.list', headers: auth() });
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('POST');
    expect(fake.calls).toEqual([]);
  });

  it('refuses a missing or wrong token with 401, and a token in the query of a call', async () => {
    await start();
    const attempts: Record<string, string>[] = [
      {},
      { Authorization: 'Bearer wrong' },
      { Authorization: `Bearer ${token}x` },
      { Authorization: `Basic ${token}` },
      { Authorization: '' },
    ];
    for (const headers of attempts) {
      const answer = await rawRequest(server.port, { method: 'POST', path: '/api/images.list', headers, body: '{}' });
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'unauthorized' });
    }
    const query = await rawRequest(server.port, {
      method: 'POST',
      path: `/api/images.list?token=${token}`,
      body: '{}',
    });
    expect(query.status).toBe(401);
    expect(fake.calls).toEqual([]);
  });

  it('refuses a foreign Host with 403, on the API and on static files', async () => {
    await start();
    const hosts = [
      'evil.example',
      `evil.example:${server.port}`,
      `127.0.0.1:${server.port + 1}`,
      '127.0.0.1',
      `0.0.0.0:${server.port}`,
      `[::1]:${server.port}`,
    ];
    for (const host of hosts) {
      const api = await rawRequest(server.port, {
        method: 'POST',
        path: '/api/images.list',
        headers: { ...auth(), Host: host },
        body: '{}',
      });
      expect(api.status).toBe(403);
      expect(JSON.parse(api.body)).toMatchObject({ code: 'forbidden' });
      const page = await rawRequest(server.port, { path: '/', headers: { Host: host } });
      expect(page.status).toBe(403);
    }
    expect(fake.calls).toEqual([]);
  });

  it('accepts localhost:PORT as Host', async () => {
    await start();
    const answer = await rawRequest(server.port, {
      method: 'POST',
      path: '/api/images.list',
      headers: { ...auth(), Host: `localhost:${server.port}`, Origin: `http://localhost:${server.port}` },
      body: '{}',
    });
    expect(answer.status).toBe(200);
  });

  it('refuses a foreign Origin with 403, even with the right token', async () => {
    await start();
    for (const origin of ['http://evil.example', 'null', `https://127.0.0.1:${server.port}`, 'http://127.0.0.1']) {
      const answer = await rawRequest(server.port, {
        method: 'POST',
        path: '/api/images.list',
        headers: { ...auth(), Origin: origin },
        body: '{}',
      });
      expect(answer.status).toBe(403);
    }
    expect(fake.calls).toEqual([]);
  });

  it('serves index.html at / and files below, with the security headers', async () => {
    await start();
    const page = await rawRequest(server.port, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Strata</title>');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = page.headers['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');

    const script = await rawRequest(server.port, { path: '/assets/app.js' });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body).toBe('console.log("strata")');

    const head = await rawRequest(server.port, { method: 'HEAD', path: '/assets/app.js' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');

    const missing = await rawRequest(server.port, { path: '/assets/nope.js' });
    expect(missing.status).toBe(404);
  });

  it('never serves a file outside the renderer folder', async () => {
    await start();
    const paths = [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%5csecret.txt',
      '/assets/link.txt',
      '/%00',
      '//etc/passwd',
      '/%',
    ];
    for (const p of paths) {
      const answer = await rawRequest(server.port, { path: p });
      expect(answer.status, p).toBe(404);
      expect(answer.body, p).not.toContain('TOP SECRET');
      expect(answer.body, p).not.toContain('root:');
    }
  });

  it('streams service events to an authorised event stream and unsubscribes when it closes', async () => {
    await start();
    const stream = openStream(server.port, `/api/events?token=${encodeURIComponent(token)}`);
    const res = await stream.response;
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    await until(() => fake.listeners.size === 1);

    const event: StrataEvent = {
      type: 'job.progress',
      jobId: 'job-1',
      progress: { fraction: 0.5, message: 'Downloading', layers: [] },
    };
    fake.emit(event);
    await until(() => stream.text().includes('data: '));
    const line = stream
      .text()
      .split('\n')
      .find((l) => l.startsWith('data: '));
    expect(JSON.parse(line?.slice('data: '.length) ?? '')).toEqual(event);

    stream.close();
    await until(() => fake.listeners.size === 0);
  });

  it('accepts the Bearer header on the event stream too', async () => {
    await start();
    const stream = openStream(server.port, '/api/events', auth());
    expect((await stream.response).statusCode).toBe(200);
    stream.close();
  });

  it('refuses an event stream without the right token, or from a foreign Host or Origin', async () => {
    await start();
    expect((await rawRequest(server.port, { path: '/api/events' })).status).toBe(401);
    expect((await rawRequest(server.port, { path: '/api/events?token=wrong' })).status).toBe(401);
    expect(
      (await rawRequest(server.port, { path: `/api/events?token=${token}`, headers: { Host: 'evil.example' } })).status,
    ).toBe(403);
    expect(
      (
        await rawRequest(server.port, {
          path: `/api/events?token=${token}`,
          headers: { Origin: 'http://evil.example' },
        })
      ).status,
    ).toBe(403);
    expect(fake.listeners.size).toBe(0);
  });

  it('sends a heartbeat comment on an idle event stream', async () => {
    await start(30);
    const stream = openStream(server.port, `/api/events?token=${token}`);
    await stream.response;
    await until(() => stream.text().includes(': heartbeat'));
    stream.close();
  });

  it('ends open event streams and unsubscribes when closed', async () => {
    await start();
    const stream = openStream(server.port, `/api/events?token=${token}`);
    const res = await stream.response;
    await until(() => fake.listeners.size === 1);
    const ended = new Promise<void>((resolve) => res.once('end', resolve));
    await server.close();
    await ended;
    expect(fake.listeners.size).toBe(0);
    await expect(rawRequest(server.port, { path: '/' })).rejects.toThrow();
  });
});

describe('browser-mode uploads and downloads', () => {
  const token = 'files-token-' + 'y'.repeat(32);
  let server: RunningServer;
  let fake: ReturnType<typeof fakeEngineService>;

  async function start(maxUploadBytes?: number, maxStagedBytes?: number) {
    const others = Object.fromEntries(
      METHOD_NAMES.map((name) => [name, () => Promise.reject(new Error('unused'))]),
    ) as unknown as Handlers;
    fake = fakeEngineService(others, maxStagedBytes === undefined ? {} : { maxBytes: maxStagedBytes });
    server = await startServer({
      service: fake.service,
      staticDir,
      token,
      ...(maxUploadBytes === undefined ? {} : { maxUploadBytes }),
    });
  }
  const base = () => `http://127.0.0.1:${server.port}`;
  /** 6,000 bytes in ten chunks without a Content-Length: a cap is counted as the bytes arrive. */
  const uploadChunked = () =>
    fetch(`${base()}/api/uploads`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 10; i++) controller.enqueue(new Uint8Array(600));
          controller.close();
        },
      }),
      duplex: 'half',
    }).catch(() => undefined);

  afterEach(async () => {
    await server.close();
    fake.service.files.close();
  });

  it('stores an upload with the token and answers its id; the staged file holds the bytes', async () => {
    await start();
    const body = Buffer.alloc(70_000, 9);
    const res = await fetch(`${base()}/api/uploads`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'X-File-Name': encodeURIComponent('my images.tar') },
      body,
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { uploadId: string; fileName: string; bytes: number };
    expect(answer).toMatchObject({ fileName: 'my images.tar', bytes: 70_000 });
    const staged = fake.service.files.upload(answer.uploadId);
    expect((await readFile(staged.path)).equals(body)).toBe(true);
  });

  it('refuses an upload without the token (401) or from another origin (403)', async () => {
    await start();
    const noToken = await fetch(`${base()}/api/uploads`, { method: 'POST', body: 'x' });
    expect(noToken.status).toBe(401);
    const foreign = await rawRequest(server.port, {
      method: 'POST',
      path: '/api/uploads',
      headers: { Host: `127.0.0.1:${server.port}`, Origin: 'http://evil.example', Authorization: `Bearer ${token}` },
      body: 'x',
    });
    expect(foreign.status).toBe(403);
    const badHost = await rawRequest(server.port, {
      method: 'POST',
      path: '/api/uploads',
      headers: { Host: `evil.example:${server.port}`, Authorization: `Bearer ${token}` },
      body: 'x',
    });
    expect(badHost.status).toBe(403);
    expect(readdirSync(fake.service.files.dir)).toEqual([]);
  });

  it('refuses an upload larger than the cap with 413 and keeps nothing of it', async () => {
    await start(1000);
    const declared = await fetch(`${base()}/api/uploads`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: Buffer.alloc(5000),
    });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { message: string }).message).toMatch(/larger than 1000 bytes/);
    // Chunked, without a Content-Length: the cap is counted as the bytes arrive.
    const chunked = await uploadChunked();
    if (chunked !== undefined) expect(chunked.status).toBe(413);
    await until(() => readdirSync(fake.service.files.dir).length === 0);
  });

  it('serves a download as an attachment, only with the token', async () => {
    await start();
    const file = path.join(dir, 'saved.tar');
    await writeFile(file, 'tar bytes');
    const id = fake.service.files.addDownload(file, 'lab base.tar');
    const res = await fetch(`${base()}/api/downloads/${id}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="lab base.tar"; filename*=UTF-8''lab%20base.tar`,
    );
    expect(res.headers.get('content-type')).toBe('application/x-tar');
    expect(await res.text()).toBe('tar bytes');
    expect((await fetch(`${base()}/api/downloads/${id}`)).status).toBe(401);
    const unknown = await fetch(`${base()}/api/downloads/nonexistent-id`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(unknown.status).toBe(404);
  });

  it('deletes a download once it was sent in full: fetching it again is a 404', async () => {
    await start();
    const file = fake.service.files.tempPath('.tar');
    await writeFile(file, 'saved tar bytes');
    const id = fake.service.files.addDownload(file, 'saved.tar');
    const first = await fetch(`${base()}/api/downloads/${id}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(await first.text()).toBe('saved tar bytes');
    await until(() => !existsSync(file));
    const again = await fetch(`${base()}/api/downloads/${id}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(again.status).toBe(404);
  });

  it('refuses an upload the staging folder has no room for with 507, says what to do, and keeps nothing', async () => {
    await start(undefined, 10_000);
    const waiting = fake.service.files.tempPath('.tar');
    await writeFile(waiting, Buffer.alloc(6_000));
    fake.service.files.addDownload(waiting, 'waiting.tar');
    const declared = await fetch(`${base()}/api/uploads`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: Buffer.alloc(5_000),
    });
    expect(declared.status).toBe(507);
    expect(((await declared.json()) as { message: string }).message).toMatch(
      /staging folder is full \(6000 of 10000 bytes in use\): download or use the files waiting there/,
    );
    const chunked = await uploadChunked();
    if (chunked !== undefined) expect(chunked.status).toBe(507);
    await until(() => readdirSync(fake.service.files.dir).length === 1);
    const fits = await fetch(`${base()}/api/uploads`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: Buffer.alloc(3_000),
    });
    expect(fits.status).toBe(200);
  });
});
