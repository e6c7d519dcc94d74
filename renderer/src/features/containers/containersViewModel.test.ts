import { describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../../../../shared/api';
import {
  actionsFor,
  filterContainers,
  formatPort,
  formatPorts,
  groupByProject,
  needsForce,
} from './containersViewModel';

const c = (name: string, partial: Partial<ContainerSummary> = {}): ContainerSummary => ({
  engineId: 'default',
  id: `${name.length}`.repeat(64).slice(0, 64),
  name,
  image: 'lab/app:1.0',
  imageId: 'sha256:' + 'a'.repeat(64),
  command: 'sleep 1',
  created: 0,
  state: 'running',
  status: 'Up',
  health: null,
  ports: [],
  mounts: [],
  labels: {},
  composeProject: null,
  sizeRw: null,
  sizeRootFs: null,
  ...partial,
});

describe('ports', () => {
  it('prints published and exposed ports as the CLI does, with an arrow', () => {
    expect(formatPort({ ip: '0.0.0.0', privatePort: 80, publicPort: 8080, type: 'tcp' })).toBe('0.0.0.0:8080→80/tcp');
    expect(formatPort({ ip: '::', privatePort: 53, publicPort: 5353, type: 'udp' })).toBe('[::]:5353→53/udp');
    expect(formatPort({ ip: null, privatePort: 443, publicPort: null, type: 'tcp' })).toBe('443/tcp');
  });

  it('lists each port once, published ones first', () => {
    expect(
      formatPorts([
        { ip: null, privatePort: 22, publicPort: null, type: 'tcp' },
        { ip: '0.0.0.0', privatePort: 80, publicPort: 8080, type: 'tcp' },
        { ip: '0.0.0.0', privatePort: 80, publicPort: 8080, type: 'tcp' },
      ]),
    ).toEqual(['0.0.0.0:8080→80/tcp', '22/tcp']);
  });
});

describe('groupByProject', () => {
  it('puts the containers of one compose project together, by name, the rest below', () => {
    const grouped = groupByProject([
      c('z-solo'),
      c('b-web', { composeProject: 'shop' }),
      c('a-db', { composeProject: 'shop', state: 'exited' }),
      c('x', { composeProject: 'alpha' }),
      c('a-solo', { composeProject: '' }),
    ]);
    expect(grouped.projects.map((g) => [g.project, g.containers.map((x) => x.name), g.running])).toEqual([
      ['alpha', ['x'], 1],
      ['shop', ['a-db', 'b-web'], 1],
    ]);
    expect(grouped.ungrouped.map((x) => x.name)).toEqual(['a-solo', 'z-solo']);
  });
});

describe('filterContainers', () => {
  const list = [c('web', { image: 'nginx:1' }), c('db', { state: 'exited', composeProject: 'shop' })];
  it('matches name, image, project and ID prefix, case-insensitively', () => {
    expect(filterContainers(list, { text: 'NGINX', runningOnly: false }).map((x) => x.name)).toEqual(['web']);
    expect(filterContainers(list, { text: 'shop', runningOnly: false }).map((x) => x.name)).toEqual(['db']);
    expect(filterContainers(list, { text: '222', runningOnly: false }).map((x) => x.name)).toEqual(['db']);
  });
  it('keeps running ones only when asked', () => {
    expect(filterContainers(list, { text: '', runningOnly: true }).map((x) => x.name)).toEqual(['web']);
  });
});

describe('actionsFor', () => {
  it('offers what the state allows', () => {
    expect(actionsFor('running')).toEqual(['stop', 'restart', 'pause', 'kill', 'remove']);
    expect(actionsFor('paused')).toEqual(['unpause', 'stop', 'kill', 'remove']);
    expect(actionsFor('exited')).toEqual(['start', 'remove']);
    expect(actionsFor('created')).toEqual(['start', 'remove']);
    expect(actionsFor('removing')).toEqual([]);
    expect(needsForce('running')).toBe(true);
    expect(needsForce('exited')).toBe(false);
  });
});
