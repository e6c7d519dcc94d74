import { describe, expect, it } from 'vitest';
import { imageDeleteEntrySchema, imageInspectSchema, imageListEntrySchema, infoSchema, versionSchema } from './answers';

/** Shapes an engine might send in place of an object: none of them may throw. */
const GARBAGE: readonly unknown[] = [undefined, null, 42, 'text', [], [1, 2], true];

describe('info and version', () => {
  it('reads a Docker 20.10 /info and /version', () => {
    const info = infoSchema.parse({
      Name: 'host',
      ServerVersion: '20.10.24',
      OperatingSystem: 'Ubuntu 22.04',
      OSType: 'linux',
      NCPU: 4,
      MemTotal: 8e9,
      ContainersRunning: 2,
      ExperimentalBuild: true,
      Swarm: { NodeID: '' },
    });
    expect(info).toMatchObject({ Name: 'host', ServerVersion: '20.10.24', OSType: 'linux', NCPU: 4, MemTotal: 8e9 });
    expect(info.ExperimentalBuild).toBe(true);
    expect(info.Driver).toBe('');
    expect(info['Swarm']).toEqual({ NodeID: '' });
    const version = versionSchema.parse({
      Version: '20.10.24',
      ApiVersion: '1.41',
      MinAPIVersion: '1.12',
      Os: 'linux',
    });
    expect(version).toMatchObject({ Version: '20.10.24', ApiVersion: '1.41', MinAPIVersion: '1.12', Arch: '' });
  });

  it('reads a Podman /info with missing and null fields as the defaults', () => {
    const info = infoSchema.parse({ Name: null, ServerVersion: '4.9.3', NCPU: '4', OSType: null, KernelVersion: 7 });
    expect(info).toMatchObject({ Name: '', ServerVersion: '4.9.3', NCPU: 0, ContainersPaused: 0, Images: 0 });
    expect(info.OSType).toBeUndefined();
    expect(info.KernelVersion).toBeUndefined();
    expect(info.ExperimentalBuild).toBe(false);
    expect(versionSchema.parse({ Version: null }).Version).toBeUndefined();
  });

  it('reads garbage as all defaults', () => {
    for (const raw of GARBAGE) {
      expect(infoSchema.parse(raw)).toMatchObject({ Name: '', NCPU: 0, MemTotal: 0, ExperimentalBuild: false });
      expect(versionSchema.parse(raw)).toMatchObject({ ApiVersion: '', GitCommit: '' });
      expect(versionSchema.parse(raw).Version).toBeUndefined();
    }
    expect(infoSchema.parse({ NCPU: Number.NaN, MemTotal: Number.POSITIVE_INFINITY })).toMatchObject({
      NCPU: 0,
      MemTotal: 0,
    });
  });
});

describe('images', () => {
  it('reads a Docker 20.10 /images/json entry', () => {
    const entry = imageListEntrySchema.parse({
      Id: 'sha256:a',
      ParentId: '',
      RepoTags: ['a:1', 'a:latest'],
      RepoDigests: ['a@sha256:b'],
      Created: 1700000000,
      Size: 100,
      SharedSize: -1,
      VirtualSize: 100,
      Labels: { l: 'v', n: 3 },
      Containers: -1,
    });
    expect(entry).toMatchObject({ Id: 'sha256:a', RepoTags: ['a:1', 'a:latest'], Size: 100, SharedSize: -1 });
    expect(entry.Labels).toEqual({ l: 'v' });
    expect(entry['VirtualSize']).toBe(100);
  });

  it('reads a Podman /images/json entry with nulls', () => {
    const entry = imageListEntrySchema.parse({ Id: 'a', RepoTags: null, Labels: null, SharedSize: null, Size: '5' });
    expect(entry).toMatchObject({ Id: 'a', RepoTags: [], RepoDigests: [], Labels: {}, SharedSize: -1, Size: 0 });
  });

  it('reads garbage as the defaults', () => {
    for (const raw of GARBAGE) {
      expect(imageListEntrySchema.parse(raw)).toMatchObject({
        Id: '',
        ParentId: '',
        RepoTags: [],
        Created: 0,
        Size: 0,
        SharedSize: -1,
        Labels: {},
      });
      const inspect = imageInspectSchema.parse(raw);
      expect(inspect.Config).toMatchObject({ Entrypoint: null, Cmd: null, Env: [], ExposedPorts: {}, Labels: {} });
      expect(inspect.Config.Healthcheck).toMatchObject({ Test: [], Interval: 0 });
      expect(inspect.RootFS.Layers).toEqual([]);
      expect(inspect.Variant).toBeUndefined();
      expect(imageDeleteEntrySchema.parse(raw)).toEqual({});
    }
  });

  it('reads an image inspect: Docker 20.10 and Podman (null Config parts)', () => {
    const docker = imageInspectSchema.parse({
      Id: 'sha256:a',
      Variant: 'v8',
      RootFS: { Type: 'layers', Layers: ['sha256:1', 'sha256:2'] },
      Config: {
        Cmd: ['sh'],
        Entrypoint: null,
        Env: ['A=1'],
        ExposedPorts: { '80/tcp': {} },
        Healthcheck: { Test: ['CMD', 'true'], Interval: 5 },
      },
    });
    expect(docker.RootFS.Layers).toEqual(['sha256:1', 'sha256:2']);
    expect(docker.Config).toMatchObject({ Cmd: ['sh'], Entrypoint: null, ExposedPorts: { '80/tcp': {} } });
    expect(docker.Config.Healthcheck).toMatchObject({ Test: ['CMD', 'true'], Interval: 5, Retries: 0 });
    const podman = imageInspectSchema.parse({
      Id: 'a',
      Config: { Cmd: null, Labels: null, Volumes: null },
      RootFS: null,
    });
    expect(podman.Config).toMatchObject({ Cmd: null, Labels: {}, Volumes: {}, OnBuild: [], Shell: null });
    expect(podman.RootFS.Layers).toEqual([]);
  });

  it('reads the entries of an image removal', () => {
    expect(imageDeleteEntrySchema.parse({ Untagged: 'a:1' })).toEqual({ Untagged: 'a:1' });
    expect(imageDeleteEntrySchema.parse({ Deleted: 'sha256:a', Untagged: null }).Untagged).toBeUndefined();
  });
});
