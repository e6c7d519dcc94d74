/**
 * Several engines at once: the engine hub with the lab engine as the default and a second sandboxed engine added
 * through engines.add, plus an ssh:// engine reached through a stand-in `ssh` that execs the lab's docker CLI
 * `system dial-stdio`. Calls go through the dispatcher with an engine id, as IPC and the browser server send them.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEntry, ImageSummary, JobInfo, StrataEvent } from '../../shared/api';
import { StrataError } from '../../shared/errors';
import { createEngineHub, type EngineHub } from '../../electron/engine/host/hub';
import { labDocker, labInfo, startSecondEngine, type LabInfo, type SecondEngine } from '../lab/context';
import { caller, imageExists } from './engine-helpers';

const unique = `${process.pid}-${Date.now().toString(36)}`;

let lab: LabInfo;
let second: SecondEngine;
let root: string;
let settingsDir: string;
let fakeBin: string;
let sshLog: string;
let env: Record<string, string>;
let podmanServer: Server | undefined;
const hubs: EngineHub[] = [];

function hubOn(dir: string, onProblem?: (message: string) => void): EngineHub {
  const hub = createEngineHub({
    settingsDir: dir,
    serviceOptions: { host: lab.dockerHost, env, homeDir: join(root, 'home'), requestTimeoutMs: 20_000 },
    discover: { rootfulPodmanSocket: join(root, 'no-rootful.sock'), defaultSocket: join(root, 'no-default.sock') },
    ...(onProblem === undefined ? {} : { onProblem }),
  });
  hubs.push(hub);
  return hub;
}

async function rejection(promise: Promise<unknown>): Promise<StrataError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StrataError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

function tagsOf(images: readonly ImageSummary[]): string[] {
  return images.flatMap((image) => image.repoTags);
}

beforeAll(async () => {
  lab = labInfo();
  root = mkdtempSync(join(tmpdir(), 'strata-engines-'));
  settingsDir = join(root, 'settings');
  mkdirSync(join(root, 'home'));
  fakeBin = join(root, 'bin');
  mkdirSync(fakeBin);
  sshLog = join(root, 'ssh-args.log');
  // A stand-in ssh: ignores the host and options, and bridges to the lab engine the way `ssh host docker system
  // dial-stdio` would on a remote machine.
  const script = join(fakeBin, 'ssh');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      `printf '%s\\n' "$@" > '${sshLog}'`,
      // One host "has no docker", as a remote machine without it answers.
      'for arg in "$@"; do [ "$arg" = no-docker-box ] && { echo "sh: 1: docker: not found" >&2; exit 127; }; done',
      `DOCKER_CONFIG='${join(root, 'ssh-docker-config')}' exec /usr/bin/docker -H 'unix://${lab.socketPath}' system dial-stdio`,
      '',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
  env = {
    PATH: `${fakeBin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    DOCKER_CONFIG: join(root, 'docker-config'),
    XDG_RUNTIME_DIR: join(root, 'runtime'),
  };
  second = await startSecondEngine();
}, 180_000);

afterAll(async () => {
  await Promise.allSettled(hubs.map((hub) => hub.close()));
  await new Promise<void>((resolve) => (podmanServer === undefined ? resolve() : podmanServer.close(() => resolve())));
  await second?.stop();
  rmSync(root, { recursive: true, force: true });
}, 60_000);

describe('two engines at once', () => {
  let hub: EngineHub;
  let call: ReturnType<typeof caller>;
  let added: EngineEntry;

  beforeAll(async () => {
    hub = hubOn(settingsDir);
    call = caller(hub);
    added = (await call('engines.add', { name: 'Second engine', host: second.dockerHost })) as EngineEntry;
  });

  it('adds the second engine with its own id, after the default one', async () => {
    expect(added).toMatchObject({ name: 'Second engine', host: second.dockerHost, source: 'added', removable: true });
    expect(added.id).toMatch(/^second-engine-[0-9a-f]{6}$/);
    const list = (await call('engines.list', {})) as EngineEntry[];
    expect(list.map((e) => [e.id, e.host, e.source])).toEqual([
      ['default', lab.dockerHost, 'environment'],
      [added.id, second.dockerHost, 'added'],
    ]);
    // Its status says it answers, and where its address came from.
    expect(await call('engine.ping', {}, added.id)).toMatchObject({
      engineId: added.id,
      state: 'connected',
      endpoint: { address: second.dockerHost, source: 'added' },
    });
    // Adding the same engine twice, or under a name already taken, is refused.
    expect((await rejection(call('engines.add', { name: 'Again', host: second.dockerHost }))).code).toBe('conflict');
    expect((await rejection(call('engines.add', { name: 'second ENGINE', host: 'tcp://127.0.0.1:1' }))).code).toBe(
      'conflict',
    );
    expect((await rejection(call('engines.add', { name: 'Bad', host: 'tcp://host:99999' }))).code).toBe(
      'invalid_argument',
    );
  });

  it('lists each engine’s images with its engine id', async () => {
    const onDefault = (await call('images.list', {})) as ImageSummary[];
    const onSecond = (await call('images.list', {}, added.id)) as ImageSummary[];
    expect(tagsOf(onDefault)).toContain(lab.images.app);
    expect(tagsOf(onDefault)).not.toContain(second.images.onlyHere);
    expect(new Set(onDefault.map((i) => i.engineId))).toEqual(new Set(['default']));
    expect(tagsOf(onSecond)).toContain(second.images.onlyHere);
    expect(tagsOf(onSecond)).toContain(second.images.base);
    expect(tagsOf(onSecond).filter((tag) => tag.startsWith('lab/'))).toEqual([]);
    expect(new Set(onSecond.map((i) => i.engineId))).toEqual(new Set([added.id]));
  });

  it('tags and untags on one engine without touching the other', async () => {
    const tag = `lab2/made-here:${unique}`;
    await call('images.tag', { reference: second.images.base, tags: [tag] }, added.id);
    expect(await imageExists(second.docker, tag)).toBe(true);
    expect(await imageExists((args) => labDocker(lab, args), tag)).toBe(false);
    const onSecond = (await call('images.list', {}, added.id)) as ImageSummary[];
    expect(tagsOf(onSecond)).toContain(tag);
    expect(tagsOf((await call('images.list', {})) as ImageSummary[])).not.toContain(tag);

    await call('images.remove', { reference: tag }, added.id);
    expect(await imageExists(second.docker, tag)).toBe(false);
    expect(await imageExists(second.docker, second.images.base)).toBe(true);
    // The default engine still has everything it was seeded with.
    for (const reference of lab.images.appTags)
      expect(await imageExists((args) => labDocker(lab, args), reference)).toBe(true);
  });

  it('lists the jobs of every engine, whichever engine is asked', async () => {
    const ended = new Promise<JobInfo>((resolve) => {
      const stop = hub.onEvent((event: StrataEvent) => {
        if (event.type === 'job.end' && event.job.engineId === added.id) {
          stop();
          resolve(event.job);
        }
      });
    });
    const { jobId } = (await call('images.pull', { reference: lab.remote.small }, added.id)) as { jobId: string };
    expect(jobId.startsWith(`job-${added.id}-`)).toBe(true);
    const job = await ended;
    expect(job).toMatchObject({ id: jobId, state: 'done', engineId: added.id });
    const fromDefault = (await call('jobs.list', {})) as JobInfo[];
    expect(fromDefault.find((j) => j.id === jobId)).toMatchObject({ engineId: added.id, state: 'done' });
    expect((await call('jobs.list', {}, added.id)) as JobInfo[]).toEqual(fromDefault);
    expect(await imageExists(second.docker, lab.remote.small)).toBe(true);
    // Cancelling a finished job of the second engine, asked through the default one, finds it.
    expect(await call('jobs.cancel', { jobId })).toEqual({ cancelled: false });
    await second.docker(['rmi', lab.remote.small]);
  });

  it('keeps the added engines across a restart, with no secrets in engines.json', async () => {
    const material = join(root, 'tls');
    mkdirSync(material);
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=strata-test',
        '-keyout',
        join(material, 'key.pem'),
        '-out',
        join(material, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    copyFileSync(join(material, 'cert.pem'), join(material, 'ca.pem'));
    // A line of the private key: it must never reach engines.json.
    const secret = readFileSync(join(material, 'key.pem'), 'utf8').split('\n')[1] ?? '';
    expect(secret.length).toBeGreaterThan(20);
    writeFileSync(
      join(material, 'garbage.pem'),
      '-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n',
    );
    const tlsEntry = (await call('engines.add', {
      name: 'TLS box',
      host: 'tcp://127.0.0.1:1',
      tls: {
        caFile: join(material, 'ca.pem'),
        certFile: join(material, 'cert.pem'),
        keyFile: join(material, 'key.pem'),
      },
    })) as EngineEntry;
    expect(tlsEntry).toMatchObject({ kind: 'tcp', tls: true, host: 'tcp://127.0.0.1:1' });
    expect(
      (
        await rejection(
          call('engines.add', { name: 'No CA', host: 'tcp://127.0.0.1:2', tls: { caFile: '/nope/ca.pem' } }),
        )
      ).code,
    ).toBe('invalid_argument');
    const garbage = await rejection(
      call('engines.add', {
        name: 'Bad CA',
        host: 'tcp://127.0.0.1:3',
        tls: { caFile: join(material, 'garbage.pem') },
      }),
    );
    expect(garbage.code).toBe('invalid_argument');
    expect(garbage.message).toMatch(/does not hold a PEM certificate/);

    const file = join(settingsDir, 'engines.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(secret);
    expect(text).not.toContain('BEGIN');
    expect(text).toContain(join(material, 'key.pem'));

    const restarted = hubOn(settingsDir);
    const again = caller(restarted);
    const list = (await again('engines.list', {})) as EngineEntry[];
    expect(list.map((e) => e.id)).toEqual(['default', added.id, tlsEntry.id]);
    expect(list[1]).toMatchObject({ name: 'Second engine', host: second.dockerHost });
    expect(tagsOf((await again('images.list', {}, added.id)) as ImageSummary[])).toContain(second.images.onlyHere);
    // The TLS engine is there, unreachable (nothing listens), and says so rather than failing to load.
    expect(await again('engine.ping', {}, tlsEntry.id)).toMatchObject({ engineId: tlsEntry.id, state: 'unreachable' });
    await restarted.close();
    expect(await call('engines.remove', { id: tlsEntry.id })).toEqual({ removed: true });
  });

  it('removes an engine: its calls answer not_found, the engine itself is untouched', async () => {
    expect((await rejection(call('engines.remove', { id: 'default' }))).code).toBe('conflict');
    expect(await call('engines.remove', { id: added.id })).toEqual({ removed: true });
    const error = await rejection(call('images.list', {}, added.id));
    expect(error.code).toBe('not_found');
    expect(error.message).toBe(`There is no engine "${added.id}" in Strata; it may have been removed.`);
    expect(readFileSync(join(settingsDir, 'engines.json'), 'utf8')).not.toContain(added.id);
    expect(await imageExists(second.docker, second.images.onlyHere)).toBe(true);
    expect(await call('engines.remove', { id: added.id })).toEqual({ removed: false });
  });
});

describe('settings that cannot be used', () => {
  it('starts with the default engine when engines.json is corrupt, reports it once, and writes a good one', async () => {
    const dir = join(root, 'corrupt');
    mkdirSync(dir);
    writeFileSync(join(dir, 'engines.json'), '{"version": 1, "engines": [ {"id": ');
    const problems: string[] = [];
    const hub = hubOn(dir, (message) => problems.push(message));
    const call = caller(hub);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/engines\.json is not valid JSON/);
    expect(((await call('engines.list', {})) as EngineEntry[]).map((e) => e.id)).toEqual(['default']);
    expect(tagsOf((await call('images.list', {})) as ImageSummary[])).toContain(lab.images.app);
    const entry = (await call('engines.add', { name: 'Fresh', host: second.dockerHost })) as EngineEntry;
    const saved = JSON.parse(readFileSync(join(dir, 'engines.json'), 'utf8')) as { engines: { id: string }[] };
    expect(saved.engines.map((e) => e.id)).toEqual([entry.id]);
    await hub.close();
  });
});

describe('engines found on this machine', () => {
  it('offers a docker context and the Podman socket, and marks the one already added', async () => {
    const configDir = env['DOCKER_CONFIG'] ?? '';
    const dirName = createHash('sha256').update('build-box').digest('hex');
    mkdirSync(join(configDir, 'contexts', 'meta', dirName), { recursive: true });
    writeFileSync(
      join(configDir, 'contexts', 'meta', dirName, 'meta.json'),
      JSON.stringify({ Name: 'build-box', Metadata: {}, Endpoints: { docker: { Host: 'tcp://127.0.0.1:2376' } } }),
    );
    const tlsDir = join(configDir, 'contexts', 'tls', dirName, 'docker');
    mkdirSync(tlsDir, { recursive: true });
    for (const name of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(tlsDir, name), 'x');
    const socket = join(env['XDG_RUNTIME_DIR'] ?? '', 'podman', 'podman.sock');
    mkdirSync(join(env['XDG_RUNTIME_DIR'] ?? '', 'podman'), { recursive: true });

    const hub = hubOn(join(root, 'discover'));
    const call = caller(hub);
    const before = (await call('engines.discover', {})) as { source: string; host: string }[];
    expect(before.some((c) => c.source === 'podman')).toBe(false);

    // Answers nothing: the Podman engine added below is simply unreachable.
    const server = createServer((connection) => connection.destroy());
    podmanServer = server;
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    const found = (await call('engines.discover', {})) as Record<string, unknown>[];
    expect(found).toContainEqual({
      name: 'build-box',
      host: 'tcp://127.0.0.1:2376',
      kind: 'tcp',
      tls: {
        caFile: join(tlsDir, 'ca.pem'),
        certFile: join(tlsDir, 'cert.pem'),
        keyFile: join(tlsDir, 'key.pem'),
        verify: true,
      },
      source: 'docker-context',
      description: 'docker context "build-box"',
      added: false,
    });
    expect(found).toContainEqual(
      expect.objectContaining({ source: 'podman', host: `unix://${socket}`, kind: 'unix', added: false }),
    );
    await call('engines.add', { name: 'Podman', host: `unix://${socket}` });
    const after = (await call('engines.discover', {})) as Record<string, unknown>[];
    expect(after.find((c) => c['source'] === 'podman')).toMatchObject({ added: true });
    expect(after.find((c) => c['source'] === 'docker-context')).toMatchObject({ added: false });
    await hub.close();
  });
});

describe('an ssh:// engine', () => {
  it('lists the images of the engine behind `ssh … docker system dial-stdio`', async () => {
    const hub = hubOn(join(root, 'ssh'));
    const call = caller(hub);
    const entry = (await call('engines.add', { name: 'Over ssh', host: 'ssh://tester@lab-box:2222' })) as EngineEntry;
    expect(entry).toMatchObject({ kind: 'ssh', host: 'ssh://tester@lab-box:2222' });
    const images = (await call('images.list', {}, entry.id)) as ImageSummary[];
    expect(tagsOf(images)).toContain(lab.images.app);
    expect(new Set(images.map((i) => i.engineId))).toEqual(new Set([entry.id]));
    expect(await call('engine.ping', {}, entry.id)).toMatchObject({ state: 'connected' });
    expect(readFileSync(sshLog, 'utf8').trim().split('\n')).toEqual([
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=15',
      '-p',
      '2222',
      '-l',
      'tester',
      '--',
      'lab-box',
      'docker',
      'system',
      'dial-stdio',
    ]);
    const without = (await call('engines.add', { name: 'No docker', host: 'ssh://me@no-docker-box' })) as EngineEntry;
    const status = (await call('engine.ping', {}, without.id)) as { state: string; error?: { message: string } };
    expect(status.state).toBe('unreachable');
    expect(status.error?.message).toMatch(/^me@no-docker-box has no usable docker command/);
    await hub.close();
  });
});
