/**
 * Strata's log: JSON lines (`time`, `level`, `msg`, then the fields) written by pino to a file that rotating-file-stream
 * rotates (`strata.log`, then `strata.1.log` … `strata.3.log`, 5 MB each), in `<userData>/logs` on the desktop and
 * `<data dir>/logs` in browser mode. Every message and field goes through redact.ts first: no secret or token is
 * written. The last warnings and errors are also kept in memory for `engine.diagnostics`.
 */
import path from 'node:path';
import { pino, type Logger as PinoLogger } from 'pino';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import { redact, redactText } from './redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, unknown>>;

export interface LogRecord {
  readonly time: string;
  readonly level: LogLevel;
  readonly msg: string;
  /** Already redacted. */
  readonly fields: LogFields;
}

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `bindings` (an engine id, say) to every record; it shares the file and the recent records. */
  child(bindings: LogFields): Logger;
  /** The last warnings and errors, oldest first (for diagnostics). */
  recent(): readonly LogRecord[];
}

export interface FileLogger extends Logger {
  /** The file being written. */
  readonly file: string;
  /** Writes what is pending and closes the file. */
  close(): Promise<void>;
}

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
export const LOG_FILE = 'strata.log';
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_KEEP = 3;
export const DEFAULT_RECENT = 50;

/** `STRATA_LOG_LEVEL=debug` and the like; `info` otherwise. */
export function logLevelFrom(env: Readonly<Record<string, string | undefined>>): LogLevel {
  const wanted = env['STRATA_LOG_LEVEL']?.trim().toLowerCase();
  return LOG_LEVELS.find((level) => level === wanted) ?? 'info';
}

/** The bounded list of the last warnings and errors, shared by a logger and its children. */
class Recent {
  private readonly records: LogRecord[] = [];
  constructor(private readonly size: number) {}
  add(record: LogRecord): void {
    if (record.level !== 'warn' && record.level !== 'error') return;
    this.records.push(record);
    if (this.records.length > this.size) this.records.splice(0, this.records.length - this.size);
  }
  list(): readonly LogRecord[] {
    return [...this.records];
  }
}

type Write = (record: LogRecord) => void;

function makeLogger(write: Write, recent: Recent, bindings: LogFields): Logger {
  const log =
    (level: LogLevel) =>
    (msg: string, fields?: LogFields): void => {
      const record: LogRecord = {
        time: new Date().toISOString(),
        level,
        msg: redactText(msg),
        fields: redact({ ...bindings, ...fields }) as LogFields,
      };
      recent.add(record);
      try {
        write(record);
      } catch {
        // Logging must never break what it logs.
      }
    };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (more) => makeLogger(write, recent, { ...bindings, ...more }),
    recent: () => recent.list(),
  };
}

export interface FileLoggerOptions {
  /** The folder of the log files; created when missing. */
  readonly dir: string;
  /** The least level written to the file (default `info`); warnings and errors are always kept for diagnostics. */
  readonly level?: LogLevel;
  /** Rotate when the file reaches this size (default 5 MB). */
  readonly maxBytes?: number;
  /** Rotated files kept besides the current one (default 3). */
  readonly keep?: number;
  /** How many warnings and errors `recent()` keeps (default 50). */
  readonly recent?: number;
  /** Told once when the file cannot be written (default: a line on stderr); logging then goes on in memory only. */
  readonly onProblem?: (message: string) => void;
}

/** `strata.log`, and the rotated `strata.1.log` (newest) … `strata.<keep>.log` (oldest). */
export function logFileName(index: number | null | undefined): string {
  return typeof index !== 'number' || index === 0 ? LOG_FILE : LOG_FILE.replace(/\.log$/, `.${index}.log`);
}

export function createFileLogger(options: FileLoggerOptions): FileLogger {
  // Classical (logrotate) rotation: the generator gets the rotated file's number first, null for the current file.
  const stream: RotatingFileStream = createStream((index) => logFileName(typeof index === 'number' ? index : null), {
    path: options.dir,
    size: `${Math.max(1, Math.round((options.maxBytes ?? DEFAULT_MAX_BYTES) / 1024))}K`,
    rotate: options.keep ?? DEFAULT_KEEP,
    mode: 0o600,
  });
  let broken = false;
  stream.on('error', (error: Error) => {
    if (broken) return;
    broken = true;
    (options.onProblem ?? ((message: string) => process.stderr.write(`Strata: ${message}\n`)))(
      `the log file in ${options.dir} cannot be written (${error.message}); logging to memory only.`,
    );
  });
  const out: PinoLogger = pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
  const write: Write = (record) => {
    if (!broken) out[record.level](record.fields, record.msg);
  };
  const logger = makeLogger(write, new Recent(options.recent ?? DEFAULT_RECENT), {});
  let closing: Promise<void> | undefined;
  return {
    ...logger,
    file: path.join(options.dir, LOG_FILE),
    close() {
      closing ??= new Promise<void>((resolve) => {
        if (broken || stream.destroyed) {
          resolve();
          return;
        }
        stream.once('close', () => resolve());
        stream.once('error', () => resolve());
        stream.end();
      });
      return closing;
    },
  };
}

export interface MemoryLogger extends Logger {
  /** Every record of this logger and its children, in order. */
  readonly records: readonly LogRecord[];
}

/** A logger that keeps everything in memory (tests). */
export function createMemoryLogger(recentSize = DEFAULT_RECENT): MemoryLogger {
  const records: LogRecord[] = [];
  const logger = makeLogger((record) => records.push(record), new Recent(recentSize), {});
  return { ...logger, records };
}

/** Logs nothing, keeps nothing: the default where no logger is given. */
export const noopLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => noopLogger,
  recent: () => [],
};
