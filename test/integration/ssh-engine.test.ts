/**
 * An ssh:// engine through a real OpenSSH server (test/lab/sshd.ts) on loopback, whose `docker` reaches the lab
 * engine: Strata runs the real ssh client (`ssh … docker system dial-stdio`) as it would for a remote machine. Calls,
 * a pull job and the engine's event stream all travel over ssh; the refusals real OpenSSH gives (an unknown host key,
 * a key the server does not accept, nobody listening) come back as the messages Strata maps them to.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEntry, EngineStatus, ImageSummary, JobInfo, StrataEvent } from '../../shared/api';
import { createEngineHub, type EngineHub } from '../../electron/engine/host/hub';
import {
  freePort,
  labDocker,
  labInfo,
  sshServerMissing,
  startSshServer,
  type LabInfo,
  type SshProfile,
  type SshServer,
} from '../lab/context';
import { caller, imageExists } from './engine-helpers';

const missing = sshServerMissing();
const TAG = `t-ssh-engine/tagged:${process.pid}`;

let lab: LabInfo;
let sshd: SshServer;
let root: string;
const hubs: EngineHub[] = [];

type Call = (method: string, args: unknown, engine?: string) => Promise<unknown>;

function hubFor(profile: SshProfile): { hub: EngineHub; call: Call } {
  const hub = createEngineHub({
    settingsDir: mkdtempSync(join(root, `${profile}-`)),
    serviceOptions: {
      host: lab.dockerHost,
      env: { PATH: sshd.clientPath(profile), DOCKER_CONFIG: join(root, 'docker-config') },
      homeDir: join(root, 'home'),
      requestTimeoutMs: 30_000,
    },
    discover: { rootfulPodmanSocket: join(root, 'none.sock'), defaultSocket: join(root, 'none.sock') },
  });
  hubs.push(hub);
  return { hub, call: caller(hub) };
}

/** Resolves when the hub reports an image `tag` event for `reference` on that engine; rejects after `ms`. */
function heardTag(hub: EngineHub, engineId: string, reference: string, ms: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no tag event for ${reference} from ${engineId} within ${ms} ms`));
    }, ms);
    const stop = hub.onEvent((event: StrataEvent) => {
      if (
        event.type === 'engine.events' &&
        event.engineId === engineId &&
        event.events.some((e) => e.type === 'image' && e.action === 'tag' && e.name === reference)
      ) {
        clearTimeout(timer);
        stop();
        resolve();
      }
    });
  });
}

/** Waits until the engine's event stream is open: a `docker tag` made in a terminal is heard through it. */
async function eventStreamOpen(hub: EngineHub, engineId: string): Promise<void> {
  const probe = `${TAG}-probe`;
  const deadline = Date.now() + 20_000;
  try {
    for (;;) {
      const heard = heardTag(hub, engineId, probe, 1_000);
      await labDocker(lab, ['tag', lab.images.app, probe]);
      try {
        await heard;
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      await labDocker(lab, ['rmi', probe]);
    }
  } finally {
    await labDocker(lab, ['rmi', probe]).catch(() => undefined);
  }
}

function exists(reference: string): Promise<boolean> {
  return imageExists((args) => labDocker(lab, args), reference);
}

describe.skipIf(missing !== undefined)(
  `an ssh:// engine through a real sshd${missing === undefined ? '' : ` (skipped: ${missing})`}`,
  () => {
    beforeAll(async () => {
      lab = labInfo();
      root = mkdtempSync(join(tmpdir(), 'strata-ssh-engine-'));
      sshd = await startSshServer(lab.dockerHost);
    }, 60_000);

    afterAll(async () => {
      await Promise.allSettled(hubs.map((hub) => hub.close()));
      await labDocker(lab, ['rmi', TAG]).catch(() => undefined);
      await sshd?.stop();
      if (root !== undefined) rmSync(root, { recursive: true, force: true });
    }, 60_000);

    it('lists, tags, pulls and hears events on the engine behind ssh', async () => {
      const { hub, call } = hubFor('trusted');
      const address = `ssh://root@127.0.0.1:${sshd.port}`;
      const entry = (await call('engines.add', { name: 'Real ssh', host: address })) as EngineEntry;
      expect(entry).toMatchObject({ kind: 'ssh', host: address });

      const status = (await call('engine.ping', {}, entry.id)) as EngineStatus;
      expect(status, sshd.log()).toMatchObject({ state: 'connected' });

      const images = (await call('images.list', {}, entry.id)) as ImageSummary[];
      expect(images.flatMap((i) => i.repoTags)).toContain(lab.images.app);
      expect(new Set(images.map((i) => i.engineId))).toEqual(new Set([entry.id]));

      // The event stream opens on its own ssh connection a moment after the engine is added; a change made before it
      // is open is not an event it can report. Wait until it hears a terminal `docker tag`.
      await eventStreamOpen(hub, entry.id);

      // An action over ssh lands on the engine behind it, and that engine's event stream (also over ssh) reports it.
      const heard = heardTag(hub, entry.id, TAG, 5_000);
      expect(await call('images.tag', { reference: lab.images.app, tags: [TAG] }, entry.id)).toEqual({
        reference: lab.images.app,
        tagged: [TAG],
      });
      expect(await exists(TAG)).toBe(true);
      await heard;

      // A job streams its progress through the ssh pipe and ends with the image on the engine behind it.
      const hadRemote = await exists(lab.remote.small);
      const ended = new Promise<JobInfo>((resolve) => {
        const stop = hub.onEvent((event: StrataEvent) => {
          if (event.type === 'job.end' && event.job.engineId === entry.id) {
            stop();
            resolve(event.job);
          }
        });
      });
      await call('images.pull', { reference: lab.remote.small }, entry.id);
      expect(await ended).toMatchObject({ state: 'done', engineId: entry.id });
      expect(await exists(lab.remote.small)).toBe(true);
      if (!hadRemote) await labDocker(lab, ['rmi', lab.remote.small]);
    });

    const refusals: ReadonlyArray<readonly [string, SshProfile, () => Promise<number>, RegExp]> = [
      [
        'an unknown host key',
        'unknown-host',
        () => Promise.resolve(sshd.port),
        /^ssh refused the host key of 127\.0\.0\.1; run "ssh root@127\.0\.0\.1" once in a terminal/,
      ],
      [
        'a key the server does not accept',
        'wrong-key',
        () => Promise.resolve(sshd.port),
        /^ssh could not log in to root@127\.0\.0\.1 without a password prompt; load your key into ssh-agent/,
      ],
      [
        'nobody listening',
        'trusted',
        freePort,
        /^ssh cannot connect to 127\.0\.0\.1:\d+; check that the machine is up and runs an ssh server/,
      ],
    ];
    it.each(refusals)('says what to do about %s', async (_what, profile, port, message) => {
      const { call } = hubFor(profile);
      const host = `ssh://root@127.0.0.1:${await port()}`;
      const entry = (await call('engines.add', { name: `Refused ${profile}`, host })) as EngineEntry;
      const status = (await call('engine.ping', {}, entry.id)) as EngineStatus;
      expect(status.state).toBe('unreachable');
      expect(status.error?.message).toMatch(message);
      // The call that needs the engine fails with the same reason, not a hang or a bare EOF.
      await expect(call('images.list', {}, entry.id)).rejects.toThrow(message);
    });
  },
);
