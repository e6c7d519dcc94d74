/**
 * Registries against real registries: browsing the lab registry (catalog, tags, manifests, a manifest list
 * PUT for the test), and logging in to a registry with htpasswd auth whose stored credentials a pull then uses.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryFetch } from '../../electron/engine/registries/http';
import { MANIFEST_ACCEPT } from '../../electron/engine/registries/registries';
import { startAuthRegistry, type AuthRegistry } from '../lab/auth-registry';
import { labDocker, labInfo, type LabInfo } from '../lab/context';
import { serviceOn, type ServiceUnderTest } from './engine-helpers';

let lab: LabInfo;
let sut: ServiceUnderTest;
const listTag = `t-list-${process.pid}`;
let listDigest: string | undefined;

beforeAll(() => {
  lab = labInfo();
  sut = serviceOn(lab.dockerHost);
});
afterAll(async () => {
  if (listDigest !== undefined) {
    await registryFetch({
      registry: lab.registry,
      path: `/v2/lab/remote/manifests/${listDigest}`,
      method: 'DELETE',
    }).catch(() => undefined);
  }
  await sut.close();
});

describe('browsing the lab registry', () => {
  it('pages through the catalog and finds lab/remote and lab/big', async () => {
    const h = sut.service.handlers;
    const first = await h['registries.catalog']({ registry: lab.registry, n: 1 });
    expect(first.repositories).toHaveLength(1);
    expect(first.next).not.toBeNull();
    const all: string[] = [...first.repositories];
    let next = first.next;
    while (next !== null) {
      const page = await h['registries.catalog']({ registry: lab.registry, n: 1, last: next });
      all.push(...page.repositories);
      next = page.next;
    }
    expect(all).toEqual(expect.arrayContaining(['lab/remote', 'lab/big']));
  });

  it('lists the tags of lab/remote', async () => {
    const tags = await sut.service.handlers['registries.tags']({ registry: lab.registry, repository: 'lab/remote' });
    expect(tags).toMatchObject({ registry: lab.registry, repository: 'lab/remote' });
    expect(tags.tags).toContain('1.0');
  });

  it('reads the manifest of lab/big:1.0: its layers with sizes, the ~8 MB layer among them, and the total', async () => {
    const m = await sut.service.handlers['registries.manifest']({
      registry: lab.registry,
      repository: 'lab/big',
      reference: '1.0',
    });
    expect(m.kind).toBe('image');
    expect(m.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(m.layers.length).toBeGreaterThan(0);
    expect(Math.max(...m.layers.map((l) => l.size))).toBeGreaterThan(7_000_000);
    expect(m.configDigest).toMatch(/^sha256:/);
    expect(m.totalSize).toBeGreaterThan(m.layers.reduce((s, l) => s + l.size, 0));
    // The same manifest by digest.
    const byDigest = await sut.service.handlers['registries.manifest']({
      registry: lab.registry,
      repository: 'lab/big',
      reference: m.digest,
    });
    expect(byDigest.layers).toEqual(m.layers);
  });

  it('a missing repository or tag is a not_found naming it', async () => {
    await expect(
      sut.service.handlers['registries.manifest']({
        registry: lab.registry,
        repository: 'lab/remote',
        reference: 'nope',
      }),
    ).rejects.toMatchObject({ code: 'not_found', message: `lab/remote:nope was not found in ${lab.registry}.` });
    await expect(
      sut.service.handlers['registries.tags']({ registry: lab.registry, repository: 'lab/no-such-repo' }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('shows the platform list of a manifest list', async () => {
    const image = await sut.service.handlers['registries.manifest']({
      registry: lab.registry,
      repository: 'lab/remote',
      reference: '1.0',
    });
    const raw = await registryFetch({
      registry: lab.registry,
      path: `/v2/lab/remote/manifests/1.0`,
      headers: { Accept: MANIFEST_ACCEPT.join(', ') },
    });
    const entry = (architecture: string, variant?: string) => ({
      mediaType: image.mediaType,
      size: raw.body.length,
      digest: image.digest,
      platform: { os: 'linux', architecture, ...(variant === undefined ? {} : { variant }) },
    });
    const listMediaType = image.mediaType.includes('oci')
      ? 'application/vnd.oci.image.index.v1+json'
      : 'application/vnd.docker.distribution.manifest.list.v2+json';
    const put = await registryFetch({
      registry: lab.registry,
      path: `/v2/lab/remote/manifests/${listTag}`,
      method: 'PUT',
      headers: { 'Content-Type': listMediaType },
      body: Buffer.from(
        JSON.stringify({ schemaVersion: 2, mediaType: listMediaType, manifests: [entry('amd64'), entry('arm', 'v7')] }),
      ),
    });
    expect(put.status).toBe(201);
    listDigest = String(put.headers['docker-content-digest']);

    const list = await sut.service.handlers['registries.manifest']({
      registry: lab.registry,
      repository: 'lab/remote',
      reference: listTag,
    });
    expect(list.kind).toBe('list');
    expect(list.digest).toBe(listDigest);
    expect(list.platforms.map((p) => `${p.os}/${p.architecture}${p.variant === null ? '' : `/${p.variant}`}`)).toEqual([
      'linux/amd64',
      'linux/arm/v7',
    ]);
  });
});

describe('logging in to a registry with auth', () => {
  let auth: AuthRegistry;
  let cliConfig: string;
  let reference: string;

  beforeAll(async () => {
    auth = await startAuthRegistry();
    cliConfig = mkdtempSync(join(tmpdir(), 'strata-cli-config-'));
    reference = `${auth.registry}/t-reg/auth:1`;
    // Put an image into the auth registry with the docker CLI (its own config dir), then drop it locally.
    await labDocker(lab, ['--config', cliConfig, 'login', auth.registry, '-u', auth.username, '-p', auth.password]);
    await labDocker(lab, ['tag', lab.images.base, reference]);
    await labDocker(lab, ['--config', cliConfig, 'push', reference]);
    await labDocker(lab, ['image', 'rm', reference]);
  }, 120_000);
  afterAll(async () => {
    await labDocker(lab, ['image', 'rm', '-f', reference]).catch(() => undefined);
    rmSync(cliConfig, { recursive: true, force: true });
    await auth.stop();
  });

  it('a wrong password: 401, said clearly; nothing stored', async () => {
    await expect(
      sut.service.handlers['registries.login']({ registry: auth.registry, username: auth.username, password: 'wrong' }),
    ).rejects.toMatchObject({
      code: 'registry_unauthorized',
      message: `${auth.registry} refused the user name or password (401). Check them and log in again.`,
    });
    const list = await sut.service.handlers['registries.list']({});
    expect(list.some((e) => e.registry === auth.registry)).toBe(false);
  });

  it('without credentials the pull is refused, and browsing says to log in', async () => {
    const { jobId } = await sut.service.handlers['images.pull']({ reference });
    const job = await sut.waitForEnd(jobId);
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('registry_unauthorized');
    await expect(
      sut.service.handlers['registries.tags']({ registry: auth.registry, repository: 't-reg/auth' }),
    ).rejects.toMatchObject({
      code: 'registry_unauthorized',
      message: expect.stringContaining(`log in to ${auth.registry}`) as string,
    });
  });

  it('the right password is stored; browsing and images.pull then use it', async () => {
    const result = await sut.service.handlers['registries.login']({
      registry: auth.registry,
      username: auth.username,
      password: auth.password,
    });
    expect(result).toEqual({ registry: auth.registry, username: auth.username, stored: 'session' });
    expect(JSON.stringify(await sut.service.handlers['registries.list']({}))).not.toContain(auth.password);
    expect(
      (await sut.service.handlers['registries.tags']({ registry: auth.registry, repository: 't-reg/auth' })).tags,
    ).toEqual(['1']);

    const { jobId } = await sut.service.handlers['images.pull']({ reference });
    const job = await sut.waitForEnd(jobId);
    expect(job.error).toBeNull();
    expect(job.state).toBe('done');
    const id = (await labDocker(lab, ['image', 'inspect', '--format', '{{.Id}}', reference])).trim();
    expect(id).toMatch(/^sha256:/);
  });
});
