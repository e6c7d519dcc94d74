/** A build's failures as StrataErrors, in words that name the build and say what to do (errors.ts has the rest). */
import { StrataError } from '../../../shared/errors';
import { engineMessageOf, seconds } from './errors';

/** What a build is called in messages: its first tag, or its context and Dockerfile. */
export interface BuildSubject {
  readonly what: string;
}

/** The engine refused to start a build (an HTTP error answer to POST /build). */
export function buildRefusedError(status: number, body: string, subject: BuildSubject): StrataError {
  const message = engineMessageOf(body);
  if (/Cannot locate specified Dockerfile|no such file|dockerfile/i.test(message) && status < 500) {
    return new StrataError(
      'invalid_argument',
      `The engine could not use the Dockerfile of ${subject.what}: ${message}. Check the Dockerfile path.`,
      message,
    );
  }
  return new StrataError(
    status === 400 ? 'invalid_argument' : 'engine_error',
    `The engine refused the build of ${subject.what} (${status}): ${message}`,
    message,
  );
}

/** An error line of the build stream; `step` is "3/5 (RUN make)" when a step was running. */
export function buildFailedError(message: string, subject: BuildSubject, step: string | undefined): StrataError {
  const registry =
    /pull access denied|unauthorized|manifest unknown|not found: manifest|repository does not exist/i.test(message);
  const hint = registry
    ? 'check the FROM image name, or log in to its registry, then build again.'
    : step === undefined
      ? 'fix the Dockerfile or the context and build again.'
      : 'fix that step of the Dockerfile and build again.';
  const where = step === undefined ? '' : ` at step ${step}`;
  return new StrataError(
    /pull access denied|unauthorized/i.test(message) ? 'registry_unauthorized' : 'engine_error',
    `The build of ${subject.what} failed${where}: ${message}; ${hint}`,
    message,
  );
}

export function buildStalledError(subject: BuildSubject, stallTimeoutMs: number): StrataError {
  return new StrataError(
    'engine_error',
    `build stalled: the build of ${subject.what} printed nothing for ${seconds(stallTimeoutMs)}, so it was stopped; a step may be waiting for input or the network. Check the Dockerfile and build again.`,
  );
}
