import { z } from 'zod';

/** Every failure that crosses a boundary (IPC, HTTP) has one of these codes. */
export const ERROR_CODES = [
  'invalid_argument', // bad input, rejected before any engine call
  'unknown_method', // a method that is not in the contract
  'not_found', // image, job or engine object does not exist
  'conflict', // the engine refused: in use, several repositories, prune running
  'engine_unreachable', // nothing answers at the endpoint (missing socket, refused, timed out)
  'engine_error', // the engine answered with an error (5xx or an error inside a stream)
  'registry_unauthorized', // the registry wants credentials or refused them
  'registry_stalled', // a pull made no progress for the stall timeout
  'cancelled', // the user cancelled a job
  'unauthorized', // browser mode: missing or wrong token
  'forbidden', // browser mode: bad Host or Origin
  'internal', // a bug in Strata
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const errorShape = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  detail: z.string().optional(),
});

export type ErrorShape = z.infer<typeof errorShape>;

/** The typed error both sides throw; it survives a boundary as an ErrorShape. */
export class StrataError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;

  constructor(code: ErrorCode, message: string, detail?: string) {
    super(message);
    this.name = 'StrataError';
    this.code = code;
    this.detail = detail;
  }

  toShape(): ErrorShape {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }

  static fromShape(shape: ErrorShape): StrataError {
    return new StrataError(shape.code, shape.message, shape.detail);
  }
}

/** Any thrown value as an ErrorShape; unknown errors become `internal`. */
export function toErrorShape(error: unknown): ErrorShape {
  if (error instanceof StrataError) return error.toShape();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Unexpected error: ${message}` };
}

/** The HTTP status browser mode answers for each code. */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'invalid_argument':
      return 400;
    case 'unauthorized':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
    case 'unknown_method':
      return 404;
    case 'conflict':
    case 'cancelled':
      return 409;
    case 'registry_unauthorized':
    case 'engine_error':
    case 'registry_stalled':
      return 502;
    case 'engine_unreachable':
      return 503;
    case 'internal':
      return 500;
  }
}
