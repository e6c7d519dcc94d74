import { describe, expect, it } from 'vitest';
import type { EngineInfo } from '../../../../shared/api';
import { CONNECTED, ENDPOINT, UNREACHABLE } from '../../testing/fakeBridge';
import { describeEndpointSource, describeStatus, engineInfoSections } from './engineViewModel';

describe('describeStatus', () => {
  it('is pending before the first answer', () => {
    expect(describeStatus(undefined, null).tone).toBe('pending');
  });

  it('names version, API and endpoint when connected', () => {
    expect(describeStatus(CONNECTED, null)).toEqual({
      tone: 'ok',
      headline: 'Docker Engine 20.10.24 · API 1.41 · unix:///tmp/lab/docker.sock',
      detail: undefined,
    });
  });

  it('names the endpoint tried and the error when unreachable', () => {
    expect(describeStatus(UNREACHABLE, null).headline).toBe(
      'No Docker engine at unix:///tmp/lab/docker.sock: connect ENOENT /tmp/lab/docker.sock',
    );
  });

  it('does not repeat the endpoint when the message already names it, and drops a repeated detail', () => {
    const status = {
      ...UNREACHABLE,
      error: {
        code: 'engine_unreachable' as const,
        message: 'no Docker engine at unix:///tmp/lab/docker.sock: the socket does not exist; start Docker',
        detail: 'connect ENOENT /tmp/lab/docker.sock',
      },
    };
    expect(describeStatus(status, null)).toEqual({
      tone: 'error',
      headline: 'No Docker engine at unix:///tmp/lab/docker.sock: the socket does not exist; start Docker',
      detail: 'connect ENOENT /tmp/lab/docker.sock',
    });
  });

  it("reports a failed check (Strata's server down) as an error", () => {
    const view = describeStatus(undefined, new Error("Strata's server is not answering"));
    expect(view.tone).toBe('error');
    expect(view.headline).toContain("Strata's server is not answering");
  });
});

describe('engine info', () => {
  const info: EngineInfo = {
    engineId: 'default',
    endpoint: { ...ENDPOINT, source: 'context', context: 'lab' },
    name: 'host',
    serverVersion: '20.10.24',
    apiVersion: '1.41',
    minApiVersion: '1.12',
    gitCommit: 'abc',
    goVersion: 'go1.18',
    os: 'Debian GNU/Linux 12',
    osType: 'linux',
    kernelVersion: '6.1.0',
    architecture: 'x86_64',
    storageDriver: 'vfs',
    cgroupDriver: 'cgroupfs',
    loggingDriver: 'json-file',
    dataRoot: '/var/lib/docker',
    cpus: 4,
    memoryBytes: 8_250_000_000,
    images: 7,
    containers: 2,
    containersRunning: 1,
    containersPaused: 0,
    containersStopped: 1,
    experimental: false,
    apiVersionUsed: '1.41',
    imageStore: 'classic',
    compatibility: [],
  };

  it('shows what docker info / docker version show', () => {
    const flat = Object.fromEntries(engineInfoSections(info).flatMap((s) => s.items.map((i) => [i.label, i.value])));
    expect(flat).toMatchObject({
      'Server version': '20.10.24',
      'API version': '1.41 (minimum 1.12)',
      'Storage driver': 'vfs',
      Kernel: '6.1.0',
      'Operating system': 'Debian GNU/Linux 12 (linux)',
      CPUs: '4',
      Memory: '8.25GB',
      Images: '7',
      Containers: '2 (1 running, 0 paused, 1 stopped)',
      'Data root': '/var/lib/docker',
      Endpoint: 'unix:///tmp/lab/docker.sock',
      'Endpoint from': 'docker context "lab"',
      'API spoken by Strata': '1.41',
      'Image store': 'classic (graph drivers)',
      Features: 'Everything Strata does works the same on this engine.',
    });
  });

  it('explains what works differently on a newer engine with the containerd image store', () => {
    const flat = Object.fromEntries(
      engineInfoSections({
        ...info,
        apiVersion: '1.52',
        apiVersionUsed: '1.52',
        imageStore: 'containerd',
        compatibility: [{ topic: 'Image store', note: "Images live in containerd's content store" }],
      }).flatMap((s) => s.items.map((i) => [i.label, i.value])),
    );
    expect(flat['Image store']).toBe("Images live in containerd's content store");
    expect(flat['API spoken by Strata']).toBe('1.52');
  });

  it('says where the endpoint came from', () => {
    expect(describeEndpointSource({ ...ENDPOINT, source: 'DOCKER_HOST' })).toBe('the DOCKER_HOST environment variable');
    expect(describeEndpointSource({ ...ENDPOINT, source: 'flag' })).toBe('the --engine flag');
    expect(describeEndpointSource({ ...ENDPOINT, source: 'default' })).toBe('the default socket');
  });
});
