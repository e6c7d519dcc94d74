import { describe, expect, it } from 'vitest';
import { bridgeListEntry, sizedListEntry } from '../../../test/fixtures/containers';
import { healthFromStatus, toContainerSummary, toPort } from './list';

describe('containers mapping', () => {
  it('maps a /containers/json entry', () => {
    const raw = {
      Id: 'abc123',
      Names: ['/lab-stopped'],
      Image: 'lab/app:1.0',
      ImageID: 'sha256:1111',
      Command: 'sh -c true',
      Created: 1700000000,
      State: 'exited',
      Status: 'Exited (0) 2 hours ago',
      Labels: { a: 'b', bad: 3 },
    };
    expect(toContainerSummary('default', raw)).toEqual({
      engineId: 'default',
      id: 'abc123',
      name: 'lab-stopped',
      image: 'lab/app:1.0',
      imageId: 'sha256:1111',
      command: 'sh -c true',
      created: 1700000000,
      state: 'exited',
      status: 'Exited (0) 2 hours ago',
      health: null,
      ports: [],
      mounts: [],
      labels: { a: 'b' },
      composeProject: null,
      sizeRw: null,
      sizeRootFs: null,
    });
  });

  it('maps health, mounts, compose project and sizes of a recorded sized list entry', () => {
    expect(toContainerSummary('default', sizedListEntry)).toEqual({
      engineId: 'default',
      id: '6dc730743782cff1487d3c0f41ae9e419fd9a62d99cfff898abaa6640a50e61c',
      name: 'fx-web',
      image: 'lab/tool:1.0',
      imageId: 'sha256:2bc5992b6936809c38bb71d64920066aa885c35d08c6cbd9eac427a58b2793a4',
      command: "sh -c 'echo hi > /tmp/x; sleep 600'",
      created: 1795578608,
      state: 'running',
      status: 'Up 3 seconds (healthy)',
      health: 'healthy',
      ports: [],
      mounts: [
        {
          type: 'volume',
          name: 'fx-data',
          source: '/var/lib/docker/volumes/fx-data/_data',
          destination: '/data',
          readOnly: true,
        },
        {
          type: 'volume',
          name: '7d8b16fdf7e4239013859c6ea9882de99aa8dfcd57f60c535fec4f8a68d1b558',
          source: '',
          destination: '/scratch',
          readOnly: false,
        },
      ],
      labels: {
        'com.docker.compose.project': 'shop',
        'com.docker.compose.service': 'web',
        'org.opencontainers.image.title': 'Lab tool',
      },
      composeProject: 'shop',
      sizeRw: 3,
      sizeRootFs: 1982532,
    });
  });

  it('maps published and exposed-only ports', () => {
    const summary = toContainerSummary('default', bridgeListEntry);
    expect(summary.ports).toEqual([
      { ip: '0.0.0.0', privatePort: 5432, publicPort: 15432, type: 'tcp' },
      { ip: '::', privatePort: 5432, publicPort: 15432, type: 'tcp' },
      { ip: null, privatePort: 9187, publicPort: null, type: 'tcp' },
    ]);
    expect(summary).toMatchObject({ composeProject: 'shop', health: null, sizeRw: null, sizeRootFs: null });
    expect(toPort({ PrivatePort: 53, Type: 'udp', IP: '0.0.0.0' })).toEqual({
      ip: null,
      privatePort: 53,
      publicPort: null,
      type: 'udp',
    });
  });

  it('reads the health from the status words', () => {
    expect(healthFromStatus('Up 1 second (health: starting)')).toBe('starting');
    expect(healthFromStatus('Up 3 minutes (healthy)')).toBe('healthy');
    expect(healthFromStatus('Up 3 minutes (unhealthy)')).toBe('unhealthy');
    expect(healthFromStatus('Up 3 minutes')).toBeNull();
    expect(healthFromStatus('Exited (0) 2 hours ago')).toBeNull();
  });
});
