import { describe, expect, it } from 'vitest';
import {
  buildCacheSchema,
  containerInspectSchema,
  containerListEntrySchema,
  fileChangeSchema,
  historyEntrySchema,
  imageCreatedLabelsSchema,
  imageDeleteEntrySchema,
  imageInspectSchema,
  imageLayersSchema,
  imageListEntrySchema,
  imageNamesSchema,
  infoSchema,
  mountEntrySchema,
  nonEmpty,
  objectOrUndefined,
  portBindingSchema,
  portEntrySchema,
  pruneAnswerSchema,
  restartPolicySchema,
  statsSampleSchema,
  systemDfSchema,
  textOrUndefined,
  versionSchema,
  volumeListSchema,
  volumeSchema,
} from './answers';
import { manifestSchema } from '../registries/manifest-schema';

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

describe('containers', () => {
  it('reads a Docker 20.10 /containers/json entry', () => {
    const entry = containerListEntrySchema.parse({
      Id: 'c1',
      Names: ['/web'],
      Image: 'nginx',
      ImageID: 'sha256:n',
      Command: 'nginx -g',
      Created: 1700000000,
      State: 'running',
      Status: 'Up 2 minutes',
      Ports: [
        { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
        { PrivatePort: 443, Type: 'tcp' },
      ],
      Mounts: [{ Type: 'volume', Name: 'data', Source: '/v', Destination: '/data', RW: false }],
      Labels: { 'com.docker.compose.project': 'p' },
      SizeRw: 12,
      HostConfig: { NetworkMode: 'default' },
    });
    expect(entry).toMatchObject({ Id: 'c1', Names: ['/web'], Created: 1700000000, SizeRw: 12, SizeRootFs: null });
    expect(entry.Ports).toEqual([
      { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
      { IP: '', PrivatePort: 443, PublicPort: null, Type: 'tcp' },
    ]);
    expect(entry.Mounts[0]).toMatchObject({ Type: 'volume', Name: 'data', RW: false });
    expect(entry['HostConfig']).toEqual({ NetworkMode: 'default' });
  });

  it('reads a Podman entry with null lists and string numbers', () => {
    const entry = containerListEntrySchema.parse({
      Id: 'c',
      Names: null,
      Ports: null,
      Mounts: null,
      Labels: null,
      SizeRw: '3',
    });
    expect(entry).toMatchObject({ Names: [], Ports: [], Mounts: [], Labels: {}, SizeRw: null, Created: 0 });
    expect(mountEntrySchema.parse({ Type: 'bind', RW: 'yes' }).RW).toBeUndefined();
    expect(portEntrySchema.parse({ PrivatePort: '80' })).toEqual({
      IP: '',
      PrivatePort: null,
      PublicPort: null,
      Type: '',
    });
  });

  it('reads garbage as the defaults', () => {
    for (const raw of GARBAGE) {
      expect(containerListEntrySchema.parse(raw)).toMatchObject({ Id: '', Names: [], Ports: [], SizeRw: null });
      const inspect = containerInspectSchema.parse(raw);
      expect(inspect.State).toMatchObject({ Status: '', ExitCode: null, StartedAt: '', Health: { Status: '' } });
      expect(inspect.Config).toMatchObject({ Tty: false, Entrypoint: [], Cmd: [], Labels: {}, ExposedPorts: {} });
      expect(inspect.HostConfig).toMatchObject({ RestartPolicy: {}, AutoRemove: false, PortBindings: {} });
      expect(inspect.NetworkSettings.Ports).toEqual({});
      expect(inspect.Mounts).toEqual([]);
      expect(fileChangeSchema.parse(raw)).toMatchObject({ Path: '' });
      expect(fileChangeSchema.parse(raw).Kind).toBeUndefined();
      expect(restartPolicySchema.parse(raw)).toEqual({ Name: '', MaximumRetryCount: null });
      expect(portBindingSchema.parse(raw)).toEqual({ HostIp: '', HostPort: '' });
    }
  });

  it('reads a container inspect: Docker 20.10 and Podman (null Ports and Health)', () => {
    const docker = containerInspectSchema.parse({
      Id: 'c',
      Name: '/web',
      State: { Status: 'exited', ExitCode: 137, StartedAt: '2024-01-01T00:00:00Z', Health: { Status: 'healthy' } },
      Config: { Tty: true, Cmd: ['sh'], Entrypoint: null, Labels: { a: 'b' } },
      HostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 }, PortBindings: { '80/tcp': [] } },
      NetworkSettings: { Ports: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] } },
    });
    expect(docker.State).toMatchObject({ ExitCode: 137, Health: { Status: 'healthy' } });
    expect(docker.Config).toMatchObject({ Tty: true, Cmd: ['sh'], Entrypoint: [], Labels: { a: 'b' } });
    expect(restartPolicySchema.parse(docker.HostConfig.RestartPolicy)).toEqual({
      Name: 'on-failure',
      MaximumRetryCount: 3,
    });
    expect(docker.NetworkSettings.Ports).toEqual({ '80/tcp': [{ HostIp: '', HostPort: '8080' }] });
    const podman = containerInspectSchema.parse({
      Id: 'c',
      State: { Status: 'running', ExitCode: null, Health: null },
      NetworkSettings: { Ports: null },
      Mounts: null,
    });
    expect(podman.State).toMatchObject({ ExitCode: null, Health: { Status: '' } });
    expect(podman.NetworkSettings.Ports).toEqual({});
    expect(podman.Mounts).toEqual([]);
    expect(fileChangeSchema.parse({ Kind: 1, Path: '/etc' })).toEqual({ Kind: 1, Path: '/etc' });
  });
});

describe('stats', () => {
  it('reads a Docker 20.10 sample (cgroup v1)', () => {
    const sample = statsSampleSchema.parse({
      read: '2024-01-01T00:00:01Z',
      cpu_stats: { cpu_usage: { total_usage: 200, percpu_usage: [100, 100] }, system_cpu_usage: 1000 },
      precpu_stats: { cpu_usage: { total_usage: 100 }, system_cpu_usage: 500, online_cpus: 2 },
      memory_stats: { usage: 1000, limit: 4000, stats: { total_inactive_file: 100, cache: 5 } },
      networks: { eth0: { rx_bytes: 1, tx_bytes: 2 }, eth1: { rx_bytes: 3, tx_bytes: 4 } },
      blkio_stats: { io_service_bytes_recursive: [{ major: 8, op: 'Read', value: 7 }] },
      pids_stats: { current: 3 },
    });
    expect(sample.read).toBe('2024-01-01T00:00:01Z');
    expect(sample.cpu_stats).toMatchObject({ cpu_usage: { total_usage: 200, percpu_usage: 2 }, online_cpus: 0 });
    expect(sample.precpu_stats).toMatchObject({ cpu_usage: { total_usage: 100, percpu_usage: 0 }, online_cpus: 2 });
    expect(sample.memory_stats).toMatchObject({
      usage: 1000,
      limit: 4000,
      stats: { total_inactive_file: 100, inactive_file: 0 },
    });
    expect(sample.networks).toEqual([
      { rx_bytes: 1, tx_bytes: 2 },
      { rx_bytes: 3, tx_bytes: 4 },
    ]);
    expect(sample.blkio_stats.io_service_bytes_recursive).toMatchObject([{ op: 'Read', value: 7 }]);
    expect(sample.pids_stats.current).toBe(3);
  });

  it('reads a Podman sample (cgroup v2, null blkio and networks, string numbers)', () => {
    const sample = statsSampleSchema.parse({
      read: '0001-01-01T00:00:00Z',
      memory_stats: { usage: '12', stats: { inactive_file: 5 } },
      networks: null,
      blkio_stats: { io_service_bytes_recursive: null },
      pids_stats: {},
    });
    expect(sample.memory_stats).toMatchObject({ usage: 0, limit: 0, stats: { inactive_file: 5 } });
    expect(sample.memory_stats.stats.total_inactive_file).toBeUndefined();
    expect(sample.networks).toEqual([]);
    expect(sample.blkio_stats.io_service_bytes_recursive).toEqual([]);
    expect(sample.pids_stats.current).toBeNull();
    expect(
      statsSampleSchema.parse({ memory_stats: { stats: { total_inactive_file: 'x' } } }).memory_stats.stats
        .total_inactive_file,
    ).toBe(0);
  });

  it('reads garbage as the zero sample', () => {
    for (const raw of GARBAGE) {
      const sample = statsSampleSchema.parse(raw);
      expect(sample.read).toBeUndefined();
      expect(sample.cpu_stats).toMatchObject({ cpu_usage: { total_usage: 0, percpu_usage: 0 }, system_cpu_usage: 0 });
      expect(sample.memory_stats).toMatchObject({ usage: 0, limit: 0, stats: { inactive_file: 0 } });
      expect(sample.networks).toEqual([]);
      expect(sample.blkio_stats.io_service_bytes_recursive).toEqual([]);
      expect(sample.pids_stats.current).toBeNull();
    }
  });
});

describe('image history and names', () => {
  it('reads Docker 20.10 history entries', () => {
    const entry = historyEntrySchema.parse({
      Id: 'sha256:a',
      Created: 1700000000,
      CreatedBy: '/bin/sh -c #(nop) CMD ["sh"]',
      Tags: ['a:1'],
      Size: 0,
      Comment: '',
    });
    expect(entry).toMatchObject({ Id: 'sha256:a', Created: 1700000000, Tags: ['a:1'], Size: 0 });
  });

  it('reads Podman history entries (missing Id of a missing layer, null Tags)', () => {
    expect(
      historyEntrySchema.parse({ Id: '<missing>', Created: 5, CreatedBy: 'RUN x', Tags: null, Size: 12 }),
    ).toMatchObject({
      Id: '<missing>',
      Tags: [],
      Comment: '',
      Size: 12,
    });
    expect(imageNamesSchema.parse({ Id: 'a', RepoTags: null, Labels: null })).toMatchObject({ Id: 'a', RepoTags: [] });
    expect(imageLayersSchema.parse({ RootFS: { Type: 'layers' } }).RootFS.Layers).toEqual([]);
  });

  it('reads garbage as the defaults', () => {
    for (const raw of GARBAGE) {
      expect(historyEntrySchema.parse(raw)).toMatchObject({
        Id: '',
        Created: 0,
        CreatedBy: '',
        Size: 0,
        Comment: '',
        Tags: [],
      });
      expect(imageNamesSchema.parse(raw)).toMatchObject({ Id: '', RepoTags: [] });
      expect(imageLayersSchema.parse(raw).RootFS.Layers).toEqual([]);
    }
  });
});

describe('image prune', () => {
  it('reads the inspect the simulation needs: Docker 20.10, Podman (null Labels), no Config at all', () => {
    expect(
      imageCreatedLabelsSchema.parse({ Created: '2024-01-01T00:00:00.5Z', Config: { Labels: { a: 'b' } } }),
    ).toEqual({
      Created: '2024-01-01T00:00:00.5Z',
      Config: { Labels: { a: 'b' } },
    });
    expect(imageCreatedLabelsSchema.parse({ Created: 7, Config: { Labels: null } })).toEqual({
      Created: '',
      Config: { Labels: {} },
    });
    expect(imageCreatedLabelsSchema.parse({ Created: '', Config: null }).Config).toBeNull();
    expect(imageCreatedLabelsSchema.parse({ Config: [] }).Config).toEqual({ Labels: {} });
    for (const raw of GARBAGE) expect(imageCreatedLabelsSchema.parse(raw)).toEqual({ Created: '', Config: null });
  });

  it('reads prune answers: Docker 20.10, Podman (null lists), garbage', () => {
    const docker = pruneAnswerSchema.parse({
      ImagesDeleted: [{ Untagged: 'a:1' }, { Deleted: 'sha256:a' }, 'x'],
      SpaceReclaimed: 100,
    });
    expect(docker.ImagesDeleted).toEqual([{ Untagged: 'a:1' }, { Deleted: 'sha256:a' }, {}]);
    expect(nonEmpty(docker.ImagesDeleted.map((entry) => entry.Untagged))).toEqual(['a:1']);
    expect(docker.SpaceReclaimed).toBe(100);
    const podman = pruneAnswerSchema.parse({ ImagesDeleted: null, ContainersDeleted: null, SpaceReclaimed: null });
    expect(podman).toMatchObject({ ImagesDeleted: [], ContainersDeleted: [], VolumesDeleted: [], SpaceReclaimed: 0 });
    for (const raw of GARBAGE) {
      expect(pruneAnswerSchema.parse(raw)).toMatchObject({ ImagesDeleted: [], CachesDeleted: [], SpaceReclaimed: 0 });
    }
    expect(nonEmpty(['', undefined, 'a'])).toEqual(['a']);
  });
});

describe('system df and volumes', () => {
  it('reads a Docker 20.10 /system/df', () => {
    const df = systemDfSchema.parse({
      LayersSize: 1000,
      Images: [{ Id: 'sha256:a', RepoTags: ['a:1'], Size: 100, SharedSize: 40, Containers: 1, Created: 5 }],
      Containers: [{ Id: 'c', Names: ['/c'], SizeRw: 3, SizeRootFs: 100 }],
      Volumes: [{ Name: 'v', Driver: 'local', UsageData: { Size: 10, RefCount: 1 } }],
      BuildCache: [{ ID: 'b', Type: 'regular', Size: 5, InUse: false, Shared: true, UsageCount: 2, CreatedAt: 't' }],
    });
    expect(df.LayersSize).toBe(1000);
    expect(df.Images[0]).toMatchObject({ Id: 'sha256:a', Size: 100, SharedSize: 40, Containers: 1 });
    expect(df.Containers[0]).toMatchObject({ Id: 'c', SizeRw: 3, SizeRootFs: 100 });
    expect(df.Volumes[0]).toMatchObject({ Name: 'v', Driver: 'local', UsageData: { Size: 10, RefCount: 1 } });
    expect(df.BuildCache[0]).toMatchObject({ ID: 'b', Shared: true, InUse: false, UsageCount: 2, LastUsedAt: '' });
  });

  it('reads a Podman /system/df and /volumes (nulls, no UsageData, SharedSize -1)', () => {
    const df = systemDfSchema.parse({
      LayersSize: null,
      Images: [{ Id: 'a', RepoTags: null, SharedSize: -1, Size: null }],
      Volumes: [{ Name: 'v', UsageData: null, Labels: null }],
      BuildCache: null,
    });
    expect(df.LayersSize).toBe(0);
    expect(df.Images[0]).toMatchObject({ Id: 'a', RepoTags: [], SharedSize: -1, Containers: 0 });
    expect(df.Images[0]?.Size).toBeUndefined();
    expect(df.Volumes[0]).toMatchObject({ Name: 'v', UsageData: null, Labels: {}, Driver: '' });
    expect(df.Containers).toEqual([]);
    expect(df.BuildCache).toEqual([]);
    expect(volumeSchema.parse({ Name: 'v', UsageData: { Size: '1' } }).UsageData).toEqual({ Size: -1, RefCount: -1 });
    expect(volumeListSchema.parse({ Volumes: null, Warnings: null }).Volumes).toEqual([]);
  });

  it('reads garbage as the defaults', () => {
    for (const raw of GARBAGE) {
      expect(systemDfSchema.parse(raw)).toMatchObject({
        LayersSize: 0,
        Images: [],
        Containers: [],
        Volumes: [],
        BuildCache: [],
      });
      expect(volumeListSchema.parse(raw).Volumes).toEqual([]);
      expect(volumeSchema.parse(raw)).toMatchObject({
        Name: '',
        Driver: '',
        CreatedAt: '',
        Labels: {},
        UsageData: null,
      });
      expect(buildCacheSchema.parse(raw)).toMatchObject({
        ID: '',
        Size: 0,
        InUse: false,
        Shared: false,
        UsageCount: 0,
      });
    }
  });
});

describe('registry manifests', () => {
  it('reads a Docker v2 manifest and an OCI index', () => {
    const manifest = manifestSchema.parse({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { digest: 'sha256:c', size: 10, mediaType: 'x' },
      layers: [{ digest: 'sha256:l', size: 5, mediaType: 'y' }],
    });
    expect(manifest).toMatchObject({ schemaVersion: 2, manifests: null, config: { digest: 'sha256:c', size: 10 } });
    expect(manifest.layers).toMatchObject([{ digest: 'sha256:l', size: 5, mediaType: 'y' }]);
    const index = manifestSchema.parse({
      manifests: [{ digest: 'sha256:m', size: 3, platform: { os: 'linux' } }, null],
    });
    expect(index.manifests).toMatchObject([{ digest: 'sha256:m', size: 3, platform: { os: 'linux' } }, { size: 0 }]);
    expect(index.manifests?.[1]?.platform.architecture).toBeUndefined();
  });

  it('reads missing and null parts, and garbage, as the defaults', () => {
    expect(manifestSchema.parse({ config: null, layers: null, mediaType: null })).toMatchObject({
      config: null,
      layers: [],
      manifests: null,
    });
    expect(manifestSchema.parse({ config: 5 }).config).toMatchObject({ size: 0 });
    for (const raw of GARBAGE) {
      const manifest = manifestSchema.parse(raw);
      expect(manifest).toMatchObject({ manifests: null, layers: [], config: null });
      expect(manifest.mediaType).toBeUndefined();
      expect(manifest.schemaVersion).toBeUndefined();
    }
  });
});

describe('accessors for config files', () => {
  it('objectOrUndefined keeps objects and drops the rest; textOrUndefined keeps strings', () => {
    const object = { a: 1 };
    expect(objectOrUndefined(object)).toBe(object);
    for (const raw of [undefined, null, 42, 'text', [], true]) expect(objectOrUndefined(raw)).toBeUndefined();
    expect(textOrUndefined('')).toBe('');
    for (const raw of [undefined, null, 42, {}, []]) expect(textOrUndefined(raw)).toBeUndefined();
  });
});
