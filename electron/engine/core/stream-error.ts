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

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The error a stream line reports, if any: `error`, else `errorDetail.message`. */
export function streamLineError(line: unknown): StreamLineError | undefined {
  if (typeof line !== 'object' || line === null) return undefined;
  const record = line as Record<string, unknown>;
  const rawDetail = record['errorDetail'];
  const detail =
    typeof rawDetail === 'object' && rawDetail !== null ? (rawDetail as Record<string, unknown>) : undefined;
  const message = text(record['error']) ?? text(detail?.['message']);
  const code = typeof detail?.['code'] === 'number' ? detail['code'] : undefined;
  if (message !== undefined) return { message, code };
  return detail !== undefined ? { message: 'the engine reported an error without a message', code } : undefined;
}

/** Just the message of a stream line's error, if any. */
export function lineError(line: unknown): string | undefined {
  return streamLineError(line)?.message;
}
