/**
 * The one reader of the error lines of the engine's JSON streams (pull, push, build, load, import):
 *   {"errorDetail":{"message":"…","code":1},"error":"…"}
 * Every stream reducer asks this function; what the error means is errors.ts's business.
 */

export interface StreamLineError {
  readonly message: string;
  /** `errorDetail.code` when the engine gave one (a build step's exit code). */
  readonly code: number | undefined;
}

import { nonEmptyTextOrUndefined as text, objectOrUndefined } from './answers';

/** The error a stream line reports, if any: `error`, else `errorDetail.message`. */
export function streamLineError(line: unknown): StreamLineError | undefined {
  const record = objectOrUndefined(line);
  if (record === undefined) return undefined;
  const detail = objectOrUndefined(record['errorDetail']);
  const message = text(record['error']) ?? text(detail?.['message']);
  const code = typeof detail?.['code'] === 'number' ? detail['code'] : undefined;
  if (message !== undefined) return { message, code };
  return detail !== undefined ? { message: 'the engine reported an error without a message', code } : undefined;
}

/** Just the message of a stream line's error, if any. */
export function lineError(line: unknown): string | undefined {
  return streamLineError(line)?.message;
}
