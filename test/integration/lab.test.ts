/**
 * Smoke test of the engine lab itself: what it seeded is there (checked with the docker CLI and the registry API),
 * remote images pull through the throttle proxy, and the engine can be killed, stopped and started again.
 */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { seedMany } from '../bench/seed-many';
import { killEngine, labDocker, labInfo, startEngine, startThrottleProxy, stopEngine } from '../lab/context';

const info = labInfo();

async function inspect(ref: string, format: string): Promise<string> {
  return (await labDocker(info, ['inspect', '--format', format, ref])).trim();
}

async function layersOf(ref: string): Promise<readonly string[]> {
  return JSON.parse(await inspect(ref, '{{json .RootFS.Layers}}')) as string[];
}

function getJson(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        try {
          resolve(JSON.parse(body));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    })
      .on('error', reject)
      .end();
  });
}

function ping(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

describe('engine lab', () => {
  it('seeds the tagged images, with shared base layers and two levels of branching', async () => {
    const listed = (await labDocker(info, ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'])).trim().split('\n');
    const expected = [
      info.images.base,
      ...info.images.appTags,
      info.images.appDebug,
      info.images.tool,
      info.images.toolExtra,
    ];
    expect(listed).toEqual(expect.arrayContaining(expected));

    const appIds = await Promise.all(info.images.appTags.map((tag) => inspect(tag, '{{.Id}}')));
    expect(new Set(appIds).size).toBe(1);

    const [base, app, appDebug, tool, toolExtra] = await Promise.all(
      [info.images.base, info.images.app, info.images.appDebug, info.images.tool, info.images.toolExtra].map(layersOf),
    );
    expect(base).toHaveLength(1);
    expect(app?.slice(0, 1)).toEqual(base);
    expect(tool?.slice(0, 1)).toEqual(base);
    expect(app?.length).toBeGreaterThan(1);
    expect(appDebug?.slice(0, app?.length)).toEqual(app);
    expect(appDebug?.length).toBeGreaterThan(app?.length ?? 0);
    expect(toolExtra?.slice(0, tool?.length)).toEqual(tool);
    expect(toolExtra?.length).toBeGreaterThan(tool?.length ?? 0);
    expect(app).not.toEqual(tool);

    const version = await labDocker(info, ['run', '--rm', '--network', 'none', info.images.app]);
    expect(version.trim()).toBe('lab app 1.0');
  });

  it('has exactly the one dangling image it reports', async () => {
    const dangling = (await labDocker(info, ['image', 'ls', '-q', '--no-trunc', '--filter', 'dangling=true']))
      .trim()
      .split('\n');
    expect(dangling).toEqual([info.images.danglingId]);
    expect(await inspect(info.images.danglingId, '{{json .RepoTags}}')).toBe('[]');
  });

  it('has a stopped and a running container', async () => {
    expect(await inspect(info.containers.stopped, '{{.State.Status}} {{.State.ExitCode}} {{.Config.Image}}')).toBe(
      `exited 0 ${info.images.app}`,
    );
    expect(await inspect(info.containers.running, '{{.State.Status}} {{.Config.Image}} {{json .Config.Cmd}}')).toBe(
      `running ${info.images.tool} ["sleep","100000"]`,
    );
  });

  it('keeps the remote images only in the registry', async () => {
    const catalog = (await getJson(`http://${info.registry}/v2/_catalog`)) as { repositories: string[] };
    expect(catalog.repositories).toEqual(expect.arrayContaining(['lab/remote', 'lab/big']));
    const tags = (await getJson(`http://${info.registry}/v2/lab/big/tags/list`)) as { tags: string[] };
    expect(tags.tags).toContain('1.0');
    await expect(labDocker(info, ['image', 'inspect', info.remote.small])).rejects.toThrow(/No such image/i);
    await expect(labDocker(info, ['image', 'inspect', info.remote.big])).rejects.toThrow(/No such image/i);
  });

  it('pulls a remote image through the proxy, slowly when throttled', async () => {
    const proxy = await startThrottleProxy(info.registry, { bytesPerSecond: 3 * 1024 * 1024 });
    const ref = `${proxy.address}/lab/big:1.0`;
    try {
      const started = Date.now();
      await labDocker(info, ['pull', '-q', ref]);
      // ~8 MB at 3 MB/s: well over two seconds.
      expect(Date.now() - started).toBeGreaterThan(2000);
      const size = await labDocker(info, ['run', '--rm', '--network', 'none', ref, 'wc', '-c', '/big.bin']);
      expect(size.trim()).toMatch(/^8388608\b/);
    } finally {
      await labDocker(info, ['rmi', ref]).catch(() => '');
      await proxy.close();
    }
  });

  it('pulls the small remote image directly from the registry', async () => {
    try {
      await labDocker(info, ['pull', '-q', info.remote.small]);
      const out = await labDocker(info, ['run', '--rm', '--network', 'none', info.remote.small, 'cat', '/remote.txt']);
      expect(out.trim()).toBe('pulled from the lab registry');
    } finally {
      await labDocker(info, ['rmi', info.remote.small]).catch(() => '');
    }
  });

  it('stalls a pull mid-blob behind a stalling proxy', async () => {
    const proxy = await startThrottleProxy(info.registry, { stallAfterBytes: 1024 * 1024 });
    const ref = `${proxy.address}/lab/big:1.0`;
    const abort = new AbortController();
    try {
      const pull = labDocker(info, ['pull', ref], { signal: abort.signal }).then(
        () => 'finished',
        () => 'aborted',
      );
      const outcome = await Promise.race([
        pull,
        new Promise<string>((resolve) => setTimeout(() => resolve('still pulling'), 6000)),
      ]);
      expect(outcome).toBe('still pulling');
      abort.abort();
      expect(await pull).toBe('aborted');
    } finally {
      await proxy.close();
      await labDocker(info, ['rmi', ref]).catch(() => '');
    }
    await expect(labDocker(info, ['image', 'inspect', ref])).rejects.toThrow(/No such image/i);
  });

  it('restarts the engine after a kill and after a stop, with the running container back up', async () => {
    try {
      await killEngine(info);
      expect(await ping(info.socketPath)).toBe(false);
    } finally {
      await startEngine(info);
    }
    expect(await ping(info.socketPath)).toBe(true);
    await expect.poll(() => inspect(info.containers.running, '{{.State.Status}}'), { timeout: 20_000 }).toBe('running');

    try {
      await stopEngine(info);
      expect(await ping(info.socketPath)).toBe(false);
    } finally {
      await startEngine(info);
    }
    await expect.poll(() => inspect(info.containers.running, '{{.State.Status}}'), { timeout: 20_000 }).toBe('running');
    expect(await inspect(info.containers.stopped, '{{.State.Status}}')).toBe('exited');
  });

  it('bulk-loads distinct benchmark images that share the base layer (and removes them again)', async () => {
    const count = 24;
    const baseLayers = await layersOf(info.images.base);
    try {
      await seedMany(info, count, 2);
      const tags = (await labDocker(info, ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', 'bench/*']))
        .trim()
        .split('\n')
        .sort();
      expect(tags).toHaveLength(count);
      expect(tags[0]).toBe('bench/img-0001:1');
      expect(tags[count - 1]).toBe(`bench/img-00${count}:1`);
      const ids = await Promise.all(tags.map((tag) => inspect(tag, '{{.Id}}')));
      expect(new Set(ids).size).toBe(count);
      const layers = await layersOf('bench/img-0007:1');
      expect(layers).toHaveLength(2);
      expect(layers.slice(0, 1)).toEqual(baseLayers);
      const out = await labDocker(info, ['run', '--rm', '--network', 'none', 'bench/img-0007:1']);
      expect(out.trim()).toBe('bench image 0007');
      const history = await labDocker(info, [
        'history',
        '--no-trunc',
        '--format',
        '{{.CreatedBy}}',
        'bench/img-0007:1',
      ]);
      expect(history).toContain('img-0007.txt');
    } finally {
      const left = (await labDocker(info, ['image', 'ls', '-q', 'bench/*'])).trim().split('\n').filter(Boolean);
      if (left.length > 0) await labDocker(info, ['rmi', '-f', ...new Set(left)]);
    }
    expect((await labDocker(info, ['image', 'ls', '-q', 'bench/*'])).trim()).toBe('');
  });
});
