import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isLoopbackHost,
  nextFromLink,
  parseChallenge,
  registryBaseUrl,
  registryFetch,
  registryStatusError,
} from './http';

const USER = 'alice';
const PASSWORD = 'pa:ss-w0rd';
const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

let server: Server;
let host: string;
const seen: { path: string; authorization: string | undefined }[] = [];

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  seen.push({ path: `${url.pathname}${url.search}`, authorization: req.headers.authorization });
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  // /basic/v2/… wants Basic; /bearer/v2/… wants a token from /token; /redirect sends elsewhere.
  if (url.pathname.startsWith('/basic/')) {
    if (req.headers.authorization === basic) return json(200, { ok: 'basic' });
    return json(
      401,
      { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] },
      {
        'WWW-Authenticate': 'Basic realm="test"',
      },
    );
  }
  if (url.pathname === '/token') {
    if (req.headers.authorization !== basic) return json(401, {});
    if (url.searchParams.get('account') !== USER || url.searchParams.get('service') !== 'test-registry') {
      return json(400, {});
    }
    return json(200, { token: `tok-${url.searchParams.get('scope') ?? ''}` });
  }
  if (url.pathname.startsWith('/bearer/')) {
    if (req.headers.authorization === 'Bearer tok-repository:lab/app:pull') return json(200, { ok: 'bearer' });
    return json(
      401,
      {},
      {
        'WWW-Authenticate': `Bearer realm="http://${host}/token",service="test-registry",scope="repository:lab/app:pull"`,
      },
    );
  }
  if (url.pathname === '/redirect/v2/') {
    res.writeHead(302, { Location: '/basic/v2/' });
    return void res.end();
  }
  if (url.pathname === '/loop/v2/') {
    res.writeHead(302, { Location: '/loop/v2/' });
    return void res.end();
  }
  if (url.pathname === '/big/v2/') {
    res.writeHead(200);
    return void res.end(Buffer.alloc(64 * 1024));
  }
  json(404, {});
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('scheme choice', () => {
  it('uses http only for loopback hosts, https otherwise, and the Hub API host for docker.io', () => {
    expect(isLoopbackHost('127.0.0.1:5000')).toBe(true);
    expect(isLoopbackHost('127.8.9.10')).toBe(true);
    expect(isLoopbackHost('localhost:5000')).toBe(true);
    expect(isLoopbackHost('[::1]:5000')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
    expect(isLoopbackHost('registry.example.com:5000')).toBe(false);
    expect(registryBaseUrl('127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
    expect(registryBaseUrl('ghcr.io')).toBe('https://ghcr.io');
    expect(registryBaseUrl('docker.io')).toBe('https://registry-1.docker.io');
  });
});

describe('challenges', () => {
  it('parses Bearer and Basic challenges', () => {
    expect(
      parseChallenge('Bearer realm="https://auth.example/token",service="reg",scope="repository:a/b:pull"'),
    ).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.example/token', service: 'reg', scope: 'repository:a/b:pull' },
    });
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({
      scheme: 'basic',
      params: { realm: 'Registry Realm' },
    });
    expect(parseChallenge(undefined)).toBeUndefined();
  });

  it('answers a Basic challenge with the credentials', async () => {
    const res = await registryFetch({
      registry: host,
      path: '/basic/v2/',
      credentials: { username: USER, password: PASSWORD },
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.toString())).toEqual({ ok: 'basic' });
  });

  it('leaves a 401 as it is without credentials or with wrong ones', async () => {
    expect((await registryFetch({ registry: host, path: '/basic/v2/' })).status).toBe(401);
    const wrong = await registryFetch({
      registry: host,
      path: '/basic/v2/',
      credentials: { username: USER, password: 'nope' },
    });
    expect(wrong.status).toBe(401);
  });

  it('gets a Bearer token from the realm (Basic, account, service, scope) and retries with it', async () => {
    seen.length = 0;
    const res = await registryFetch({
      registry: host,
      path: '/bearer/v2/lab/app/tags/list',
      credentials: { username: USER, password: PASSWORD },
      scope: 'repository:lab/app:pull',
    });
    expect(res.status).toBe(200);
    expect(seen.map((s) => s.path)).toEqual([
      '/bearer/v2/lab/app/tags/list',
      '/token?service=test-registry&scope=repository%3Alab%2Fapp%3Apull&account=alice',
      '/bearer/v2/lab/app/tags/list',
    ]);
  });

  it('answers 401 when the token realm refuses the credentials', async () => {
    const res = await registryFetch({
      registry: host,
      path: '/bearer/v2/',
      credentials: { username: USER, password: 'wrong' },
      scope: 'repository:lab/app:pull',
    });
    expect(res.status).toBe(401);
  });
});

describe('redirects, size bound, errors', () => {
  it('follows a same-host redirect with the challenge', async () => {
    const res = await registryFetch({
      registry: host,
      path: '/redirect/v2/',
      credentials: { username: USER, password: PASSWORD },
    });
    expect(res.status).toBe(200);
  });

  it('stops after 3 redirects', async () => {
    await expect(registryFetch({ registry: host, path: '/loop/v2/' })).rejects.toThrow(/redirected more than 3/);
  });

  it('stops reading a too large answer', async () => {
    await expect(registryFetch({ registry: host, path: '/big/v2/', maxBytes: 1024 })).rejects.toThrow(/sent more than/);
  });

  it('names the registry when nothing answers', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(registryFetch({ registry: `127.0.0.1:${port}`, path: '/v2/' })).rejects.toMatchObject({
      code: 'engine_error',
      message: `Cannot reach the registry 127.0.0.1:${port}: the connection was refused (is the registry running, and is the port right?).`,
    });
  });

  it('maps statuses to readable errors, without any credential', () => {
    const res = (status: number) => ({ status, headers: {}, body: Buffer.from('{}'), url: '' });
    expect(registryStatusError('r.example', res(401), 'the catalog')).toMatchObject({
      code: 'registry_unauthorized',
      message: expect.stringContaining('log in to r.example') as string,
    });
    expect(registryStatusError('r.example', res(404), 'the repository a/b')).toMatchObject({
      code: 'not_found',
      message: 'the repository a/b was not found in r.example.',
    });
    expect(registryStatusError('r.example', res(500), 'the catalog').message).toContain(
      'the registry r.example answered 500',
    );
  });

  it('reads the next page from a Link header', () => {
    expect(nextFromLink('</v2/_catalog?last=lab%2Fbig&n=1>; rel="next"')).toBe('lab/big');
    expect(nextFromLink(undefined)).toBeNull();
  });
});
