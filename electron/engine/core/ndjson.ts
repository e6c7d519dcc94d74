/**
 * The project's own reader for the engine's JSON streams (pull progress, build output, events):
 * one JSON value per line. UTF-8 is decoded in streaming mode, so a multi-byte character split
 * across two chunks survives; a line that is not JSON is a typed error, never an uncaught throw.
 */

/** A line of an engine JSON stream that is not JSON, or is unreasonably long. */
export class NdjsonError extends Error {
  readonly lineNumber: number;
  readonly excerpt: string;

  constructor(message: string, lineNumber: number, excerpt: string) {
    super(message);
    this.name = 'NdjsonError';
    this.lineNumber = lineNumber;
    this.excerpt = excerpt;
  }
}

export interface NdjsonOptions {
  /** A line longer than this (in characters) is an error rather than unbounded buffering. Default 4 MiB. */
  readonly maxLineLength?: number;
  /** Called for every chunk received, before it is parsed: lets a watchdog see raw bytes arrive. */
  readonly onChunk?: (bytes: number) => void;
}

const DEFAULT_MAX_LINE = 4 * 1024 * 1024;

function excerptOf(line: string): string {
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

function parseLine(line: string, lineNumber: number): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new NdjsonError(
      `line ${lineNumber} of the engine's stream is not JSON (${why})`,
      lineNumber,
      excerptOf(line),
    );
  }
}

/**
 * Yields every JSON value of a newline-delimited stream. Empty lines and `\r` are ignored. Throws
 * NdjsonError on a bad line; errors of the source stream propagate unchanged.
 */
export async function* readNdjson(
  source: AsyncIterable<Uint8Array | string>,
  options: NdjsonOptions = {},
): AsyncGenerator<unknown, void, undefined> {
  const maxLine = options.maxLineLength ?? DEFAULT_MAX_LINE;
  const decoder = new TextDecoder('utf-8');
  let buffered = '';
  let lineNumber = 0;

  const drain = function* (final: boolean): Generator<unknown, void, undefined> {
    let newline = buffered.indexOf('\n');
    while (newline !== -1) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      lineNumber += 1;
      if (line.length > 0) yield parseLine(line, lineNumber);
      newline = buffered.indexOf('\n');
    }
    if (buffered.length > maxLine) {
      throw new NdjsonError(
        `line ${lineNumber + 1} of the engine's stream is longer than ${maxLine} characters`,
        lineNumber + 1,
        excerptOf(buffered),
      );
    }
    if (final) {
      const rest = buffered.trim();
      buffered = '';
      if (rest.length > 0) {
        lineNumber += 1;
        yield parseLine(rest, lineNumber);
      }
    }
  };

  for await (const chunk of source) {
    if (typeof chunk === 'string') {
      options.onChunk?.(chunk.length);
      buffered += chunk;
    } else {
      options.onChunk?.(chunk.byteLength);
      buffered += decoder.decode(chunk, { stream: true });
    }
    yield* drain(false);
  }
  buffered += decoder.decode();
  yield* drain(true);
}
