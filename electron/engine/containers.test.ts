import { describe, expect, it } from 'vitest';
import { api } from '../../shared/api';
import { commitQuery, toContainerSummary } from './containers';

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

  it('splits the reference into repo and tag and joins the changes for the engine', () => {
    const args = api['images.commit'].args.parse({
      container: '/lab-stopped',
      reference: '127.0.0.1:5000/team/app',
      author: 'me',
      message: 'msg',
      changes: ['CMD ["sh"]', 'LABEL a=b'],
      pause: false,
    });
    expect(commitQuery(args)).toEqual({
      container: 'lab-stopped',
      pause: false,
      repo: '127.0.0.1:5000/team/app',
      tag: 'latest',
      author: 'me',
      comment: 'msg',
      changes: 'CMD ["sh"]\nLABEL a=b',
    });
  });

  it('leaves repo and tag out without a reference', () => {
    const args = api['images.commit'].args.parse({ container: 'c1' });
    expect(commitQuery(args)).toEqual({ container: 'c1', pause: true });
  });
});
