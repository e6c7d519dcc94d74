import { describe, expect, it } from 'vitest';
import { api } from '../../../shared/api';
import { commitQuery } from './commit';

describe('commit query', () => {
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
