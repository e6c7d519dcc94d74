/**
 * The errors of single operations: an engine's error answer to a container call, a commit or a Docker Hub
 * search, in words that name what was asked and say what to do. With errors.ts, the one place engine messages
 * are classified.
 */
import { StrataError } from '../../../shared/errors';
import { engineMessageOf } from './errors';

/** What Strata was doing to a container, for the messages of containerError. */
export type ContainerOperation =
  'inspect' | 'start' | 'stop' | 'restart' | 'pause' | 'unpause' | 'kill' | 'remove' | 'rename' | 'changes' | 'wait';

/** The reason inside an OCI runtime error: `exec: "x": executable file not found in $PATH`. */
export function startFailureReason(message: string): string {
  const inner = /unable to start container process: (.*)$/s.exec(message)?.[1] ?? message;
  return inner.replace(/: unknown$/, '').trim();
}

/**
 * An error answer to a container call, in words that name the container and say what to do. The
 * messages matched are Engine 20.10's (reproduced on the lab engine); anything else keeps the engine's words.
 */
export function containerError(
  status: number,
  body: string,
  container: string,
  operation: ContainerOperation,
  newName?: string,
): StrataError {
  const message = engineMessageOf(body);
  const name = container.replace(/^\//, '');
  if (status === 404 || /no such container/i.test(message)) {
    return new StrataError('not_found', `No container named ${name} on this engine.`, message);
  }
  if (/removal of container .* is already in progress/i.test(message)) {
    return new StrataError('conflict', `${name} is already being removed.`, message);
  }
  if (operation === 'remove' && /cannot remove a paused container/i.test(message)) {
    return new StrataError('conflict', `${name} is paused; unpause and stop it first, or remove with force.`, message);
  }
  if (operation === 'remove' && /cannot remove a running container/i.test(message)) {
    return new StrataError('conflict', `${name} is running; stop it first or remove with force.`, message);
  }
  if (operation === 'start' && /cannot start a paused container/i.test(message)) {
    return new StrataError('conflict', `${name} is paused; unpause it instead of starting it.`, message);
  }
  if (operation === 'kill' && /is not running/i.test(message)) {
    return new StrataError('conflict', `${name} is not running, so there is nothing to kill; start it first.`, message);
  }
  if (operation === 'pause' && /is already paused/i.test(message)) {
    return new StrataError('conflict', `${name} is already paused.`, message);
  }
  if (operation === 'pause' && /is not running/i.test(message)) {
    return new StrataError('conflict', `${name} is not running, so it cannot be paused; start it first.`, message);
  }
  if (operation === 'unpause' && /is not paused/i.test(message)) {
    return new StrataError('conflict', `${name} is not paused, so there is nothing to unpause.`, message);
  }
  if (/invalid signal/i.test(message)) {
    return new StrataError(
      'invalid_argument',
      `The engine does not know that signal (${message}); use a name such as SIGTERM, SIGINT or SIGKILL.`,
      message,
    );
  }
  if (operation === 'rename') {
    if (/is already in use/i.test(message)) {
      return new StrataError(
        'conflict',
        `The name ${newName ?? 'asked for'} is already used by another container; pick another name, or rename or remove that container first.`,
        message,
      );
    }
    if (/same name as its current name/i.test(message)) {
      return new StrataError('invalid_argument', `${name} is already named ${newName ?? name}.`, message);
    }
    if (/invalid container name/i.test(message)) {
      return new StrataError(
        'invalid_argument',
        `${newName ?? 'That'} is not a valid container name: use letters, digits, "_", "." and "-", starting with a letter or digit.`,
        message,
      );
    }
  }
  if (
    (operation === 'start' || operation === 'restart') &&
    /OCI runtime|executable file not found|exec:/i.test(message)
  ) {
    return new StrataError(
      'engine_error',
      `${name} could not start: ${startFailureReason(message)}. Check its command and entrypoint.`,
      message,
    );
  }
  if (status === 409) return new StrataError('conflict', `Could not ${operation} ${name}: ${message}`, message);
  if (status === 400) return new StrataError('invalid_argument', `Could not ${operation} ${name}: ${message}`, message);
  return new StrataError('engine_error', `The engine could not ${operation} ${name} (${status}): ${message}`, message);
}

/** An error answer to POST /commit of `container` (a 400 or a refused change is the caller's to fix). */
export function commitError(status: number, body: string, container: string): StrataError {
  const message = engineMessageOf(body);
  if (status === 404) {
    return new StrataError(
      'not_found',
      `There is no container ${container}; pick one from the list (it may have been removed).`,
      message,
    );
  }
  if (status === 400 || status === 500) {
    const change = /dockerfile|unknown instruction|parse|change/i.test(message);
    return new StrataError(
      status === 400 || change ? 'invalid_argument' : 'engine_error',
      change
        ? `The engine refused a change for the commit of ${container}: ${message}. Fix that line and commit again.`
        : `The engine could not commit ${container}: ${message}`,
      message,
    );
  }
  return new StrataError(
    'engine_error',
    `The engine answered ${status} to the commit of ${container}: ${message}`,
    message,
  );
}

export const HUB_UNREACHABLE_MESSAGE =
  'Docker Hub search needs the engine to reach index.docker.io, and it could not (no internet connection or DNS). Images already on this engine are unaffected.';

/** What a failed search answer means. */
export function searchError(status: number, body: string, term: string): StrataError {
  const message = engineMessageOf(body);
  if (
    /index\.docker\.io|registry-1\.docker\.io|dial tcp|no such host|i\/o timeout|connection refused|network is unreachable|TLS handshake timeout|Client\.Timeout/i.test(
      message,
    )
  ) {
    return new StrataError('engine_error', HUB_UNREACHABLE_MESSAGE, message);
  }
  if (status === 400) {
    return new StrataError('invalid_argument', `Docker Hub refused the search for "${term}": ${message}`, message);
  }
  if (status === 401 || status === 403) {
    return new StrataError(
      'registry_unauthorized',
      `Docker Hub refused the search for "${term}"; log in to docker.io and search again.`,
      message,
    );
  }
  return new StrataError(
    'engine_error',
    `The Docker Hub search for "${term}" failed (the engine answered ${status}): ${message}`,
    message,
  );
}
