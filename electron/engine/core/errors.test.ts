import { describe, expect, it } from 'vitest';
import { EngineTimeoutError, connectionError, httpError, streamError } from './errors';

const errno = (code: string, message = code): Error => Object.assign(new Error(message), { code });

describe('connection errors name the endpoint and what to do', () => {
  it.each([
    ['ENOENT', 'no Docker engine at unix:///x.sock: the socket does not exist; start Docker or set DOCKER_HOST'],
    ['ECONNREFUSED', 'nothing is listening at unix:///x.sock'],
    ['EACCES', 'permission denied opening unix:///x.sock'],
    ['ECONNRESET', 'the engine at unix:///x.sock closed the connection'],
  ])('%s', (code, message) => {
    const error = connectionError(errno(code), 'unix:///x.sock');
    expect(error.code).toBe('engine_unreachable');
    expect(error.message.startsWith(message)).toBe(true);
  });

  it('a timeout is "engine not responding"', () => {
    expect(connectionError(new EngineTimeoutError(15_000), 'tcp://10.0.0.5:2375').message).toBe(
      'engine not responding at tcp://10.0.0.5:2375: no answer in 15 s; check that Docker is running and not stuck, then try again.',
    );
  });
});

describe('engine HTTP errors', () => {
  it('409 on remove names the image, the engine reason, and force', () => {
    const body = JSON.stringify({
      message:
        'conflict: unable to remove repository reference "lab/tool:1.0" (must force) - container 4f1c is using its referenced image 9e2a',
    });
    const error = httpError(409, body, { operation: 'remove', reference: 'lab/tool:1.0' });
    expect(error.code).toBe('conflict');
    expect(error.message).toBe(
      'Cannot remove image "lab/tool:1.0": conflict: unable to remove repository reference "lab/tool:1.0" (must force) - container 4f1c is using its referenced image 9e2a. Use force to remove it anyway.',
    );
  });

  it('404 on inspect says which image', () => {
    const error = httpError(404, '{"message":"No such image: lab/nope:1.0"}', {
      operation: 'inspect',
      reference: 'lab/nope:1.0',
    });
    expect(error).toMatchObject({ code: 'not_found', message: 'No image "lab/nope:1.0" on this engine.' });
  });

  it('a pull the engine refused before streaming maps like a stream error', () => {
    const error = httpError(
      404,
      '{"message":"manifest for 127.0.0.1:5000/lab/remote:nope not found: manifest unknown: manifest unknown"}',
      { operation: 'pull', reference: '127.0.0.1:5000/lab/remote:nope' },
    );
    expect(error.code).toBe('not_found');
    expect(error.message).toMatch(/^127\.0\.0\.1:5000\/lab\/remote:nope was not found/);
  });

  it('500 is an engine error carrying the engine words', () => {
    const error = httpError(500, '{"message":"devmapper: boom"}', { operation: 'list' });
    expect(error).toMatchObject({ code: 'engine_error', message: 'The engine answered 500: devmapper: boom' });
  });
});

describe('errors inside a pull stream', () => {
  const ref = 'registry.example/team/app:1.0';
  it('401 / denied: log in', () => {
    const error = streamError(
      "pull access denied for registry.example/team/app, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
      ref,
    );
    expect(error.code).toBe('registry_unauthorized');
    expect(error.message).toMatch(/^pull access denied for registry\.example\/team\/app:1\.0.*docker login/);
    expect(streamError('unauthorized: authentication required', ref).code).toBe('registry_unauthorized');
  });
  it('404: not found', () => {
    const error = streamError('manifest for registry.example/team/app:1.0 not found: manifest unknown', ref);
    expect(error).toMatchObject({
      code: 'not_found',
      message: `${ref} was not found in its registry; check the name and tag.`,
    });
  });
  it('500: the registry answered 500', () => {
    const error = streamError('received unexpected HTTP status: 500 Internal Server Error', ref);
    expect(error.code).toBe('engine_error');
    expect(error.message).toMatch(/^the registry answered 500 while pulling/);
    // A tag of 500 is not a status.
    expect(streamError('something odd', 'team/app:500').message).not.toMatch(/answered 500/);
  });
});
