import { describe, expect, it } from 'vitest';
import { isDiskUsageBusy, isPruneRunning } from './errors';
import { commitError } from './operation-errors';

const body = (message: string): string => JSON.stringify({ message });

describe('commitError', () => {
  it('names a missing container', () => {
    expect(commitError(404, body('No such container: c1'), 'c1')).toMatchObject({
      code: 'not_found',
      message: 'There is no container c1; pick one from the list (it may have been removed).',
      detail: 'No such container: c1',
    });
  });
  it('asks to fix a refused change, on 400 and on 500', () => {
    const message = 'dockerfile parse error line 1: unknown instruction: NOPE';
    for (const status of [400, 500]) {
      expect(commitError(status, body(message), 'c1')).toMatchObject({
        code: 'invalid_argument',
        message: `The engine refused a change for the commit of c1: ${message}. Fix that line and commit again.`,
      });
    }
  });
  it('keeps other 400s the caller’s and other 500s the engine’s', () => {
    expect(commitError(400, body('bad repo'), 'c1')).toMatchObject({
      code: 'invalid_argument',
      message: 'The engine could not commit c1: bad repo',
    });
    expect(commitError(500, body('disk full'), 'c1')).toMatchObject({
      code: 'engine_error',
      message: 'The engine could not commit c1: disk full',
    });
  });
  it('says what the engine answered otherwise', () => {
    expect(commitError(409, body('busy'), 'c1')).toMatchObject({
      code: 'engine_error',
      message: 'The engine answered 409 to the commit of c1: busy',
    });
  });
});

describe('busy answers', () => {
  it('recognises a running prune and a running disk usage', () => {
    expect(isPruneRunning(body('a prune operation is already running'))).toBe(true);
    expect(isPruneRunning(body('conflict: unable to delete'))).toBe(false);
    expect(isDiskUsageBusy(body('a disk usage operation is already running'))).toBe(true);
    expect(isDiskUsageBusy(body('a prune operation is already running'))).toBe(false);
  });
});
