/**
 * Browser mode against the lab engine: the real engine service behind the real server, spoken to
 * with raw node:http requests so the Host and Origin headers are exactly what a test says.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { rawRequest } from '../support/raw-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineStatus, ImageSummary, StrataEvent } from '../../shared/api';
import { createEngineService, type EngineService } from '../../electron/engine/host/service';
import { singleEngineHost } from '../../electron/engine/host/single-engine';
import { startServer, type RunningServer } from '../../electron/server/server';
import { labDocker, labInfo, type LabInfo } from '../lab/context';

/** An SSE client on /api/events that collects the parsed events. */
function eventStream(port: number, query: string) {
  const events: StrataEvent[] = [];
  let buffer = '';
  let req: http.ClientRequest | undefined;
  const opened = new Promise<number>((resolve, reject) => {
    req = http.get(
      { host: '127.0.0.1', port, path: `/api/events${query}`, headers: { Host: `127.0.0.1:${port}` }, agent: false },
      (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            for (const line of block.split('\n')) {
              if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)) as StrataEvent);
            }
          }
        });
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
  });
  return { events, opened, close: () => req?.destroy() };
}

async function until<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const start = Date.now();
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const VICTIM = 'strata-server-test/victim:1';

describe('browser-mode server on the lab engine', () => {
  let lab: LabInfo;
  let service: EngineService;
  let server: RunningServer;
  let staticDir: string;
  let port: number;
  let bearer: Record<string, string>;

  beforeAll(async () => {
    lab = labInfo();
    staticDir = await mkdtemp(path.join(os.tmpdir(), 'strata-static-'));
    await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Strata</title>');
    // An image of our own that the refused requests below try to remove.
    await labDocker(lab, ['tag', lab.images.base, VICTIM]);
    service = createEngineService({ host: lab.dockerHost });
    server = await startServer({ service: singleEngineHost(service), staticDir });
    port = server.port;
    bearer = { Authorization: `Bearer ${server.token}` };
  });

  afterAll(async () => {
    await server?.close();
    await service?.close();
    await labDocker(lab, ['rmi', VICTIM]).catch(() => undefined);
    await rm(staticDir, { recursive: true, force: true });
  });

  async function victimExists(): Promise<boolean> {
    const out = await labDocker(lab, ['images', '--format', '{{.Repository}}:{{.Tag}}']);
    return out.split('\n').includes(VICTIM);
  }

  it('prints a URL on 127.0.0.1 carrying the token in the fragment', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/#token=[A-Za-z0-9_-]{43}$`));
  });

  it('refuses a missing or wrong token with 401 and touches nothing', async () => {
    const body = JSON.stringify({ reference: VICTIM, force: true });
    const missing = await rawRequest(port, { method: 'POST', path: '/api/images.remove', body });
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.body)).toMatchObject({ code: 'unauthorized' });

    const wrong = await rawRequest(port, {
      method: 'POST',
      path: '/api/images.remove',
      headers: { Authorization: `Bearer ${server.token.slice(0, -1)}${server.token.endsWith('A') ? 'B' : 'A'}` },
      body,
    });
    expect(wrong.status).toBe(401);

    const events = await rawRequest(port, { path: '/api/events' });
    expect(events.status).toBe(401);
    expect(await victimExists()).toBe(true);
  });

  it('refuses a bad Host with 403 even with the right token (DNS rebinding) and touches nothing', async () => {
    for (const host of ['attacker.example', `attacker.example:${port}`, `127.0.0.1:${port + 1}`]) {
      const answer = await rawRequest(port, {
        method: 'POST',
        path: '/api/images.remove',
        headers: { ...bearer, Host: host },
        body: JSON.stringify({ reference: VICTIM, force: true }),
      });
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'forbidden' });
      const page = await rawRequest(port, { path: '/', headers: { Host: host } });
      expect(page.status).toBe(403);
      expect(page.body).not.toContain('<title>Strata</title>');
    }
    expect(await victimExists()).toBe(true);
  });

  it('refuses a foreign Origin with 403 even with the right token (CSRF) and touches nothing', async () => {
    for (const origin of ['http://attacker.example', 'null', `http://127.0.0.1:${port + 1}`]) {
      const answer = await rawRequest(port, {
        method: 'POST',
        path: '/api/images.remove',
        headers: { ...bearer, Origin: origin, 'Content-Type': 'text/plain' },
        body: JSON.stringify({ reference: VICTIM, force: true }),
      });
      expect(answer.status).toBe(403);
    }
    expect(await victimExists()).toBe(true);
  });

  it('answers calls with the right token, Host and Origin', async () => {
    const ping = await rawRequest(port, {
      method: 'POST',
      path: '/api/engine.ping',
      headers: { ...bearer, Origin: `http://127.0.0.1:${port}` },
      body: '{}',
    });
    expect(ping.status).toBe(200);
    const status = JSON.parse(ping.body) as EngineStatus;
    expect(status.state).toBe('connected');
    expect(status.endpoint.address).toBe(lab.dockerHost);

    const list = await rawRequest(port, {
      method: 'POST',
      path: '/api/images.list',
      headers: { ...bearer, Host: `localhost:${port}` },
      body: '{}',
    });
    expect(list.status).toBe(200);
    const tags = (JSON.parse(list.body) as ImageSummary[]).flatMap((image) => image.repoTags);
    expect(tags).toEqual(expect.arrayContaining([...lab.images.appTags, lab.images.tool, VICTIM]));
  });

  it('refuses an invalid reference with 400 and leaves the image alone', async () => {
    const answer = await rawRequest(port, {
      method: 'POST',
      path: '/api/images.remove',
      headers: bearer,
      body: JSON.stringify({ reference: `${VICTIM}?force=true` }),
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'invalid_argument' });
    expect(await victimExists()).toBe(true);
  });

  it('answers an engine refusal with its status and message', async () => {
    // lab/app:1.0 has the stopped container; lab/app has other tags, so use its ID: in use -> conflict.
    const id = (await labDocker(lab, ['image', 'inspect', '--format', '{{.Id}}', lab.images.app])).trim();
    const answer = await rawRequest(port, {
      method: 'POST',
      path: '/api/images.remove',
      headers: bearer,
      body: JSON.stringify({ reference: id }),
    });
    expect(answer.status).toBe(409);
    const error = JSON.parse(answer.body) as { code: string; message: string };
    expect(error.code).toBe('conflict');
    expect(error.message.length).toBeGreaterThan(0);
  });

  it('streams a pull job from start to end over /api/events', async () => {
    const stream = eventStream(port, `?token=${encodeURIComponent(server.token)}`);
    try {
      expect(await stream.opened).toBe(200);
      const started = await rawRequest(port, {
        method: 'POST',
        path: '/api/images.pull',
        headers: bearer,
        body: JSON.stringify({ reference: lab.remote.small }),
      });
      expect(started.status).toBe(200);
      const { jobId } = JSON.parse(started.body) as { jobId: string };
      expect(jobId).toEqual(expect.any(String));

      const end = await until(
        () => stream.events.find((e) => e.type === 'job.end' && e.job.id === jobId),
        60_000,
        'the job.end event',
      );
      expect(end.type === 'job.end' && end.job.state).toBe('done');
      expect(stream.events.some((e) => e.type === 'job.progress' && e.jobId === jobId)).toBe(true);

      const list = await rawRequest(port, { method: 'POST', path: '/api/images.list', headers: bearer, body: '{}' });
      const tags = (JSON.parse(list.body) as ImageSummary[]).flatMap((image) => image.repoTags);
      expect(tags).toContain(lab.remote.small);
    } finally {
      stream.close();
      // Leave the lab as seeded: the remote image exists only in the registry.
      await labDocker(lab, ['rmi', lab.remote.small]).catch(() => undefined);
    }
  });

  it('serves the renderer at / with the strict CSP', async () => {
    const page = await rawRequest(port, { path: '/', headers: { Host: `localhost:${port}` } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Strata</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });
});
