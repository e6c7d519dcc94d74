/**
 * Streaming tar verification: is this a complete tar archive, and (for image archives) does its
 * manifest.json name files that are all there? Fed chunk by chunk (a save is checked while it is
 * written, a load is checked before anything reaches the engine), so memory stays small. Holds the
 * TarChecker and `engineErrorIn` (the engine's error written into a tar); tarfile.ts checks a file.
 *
 * A small parser of our own rather than tar-stream: the point is the edges tar-stream forgives —
 * a stream that ends before the end-of-archive blocks, and bytes after them (the engine appends
 * its error JSON to a save that fails midway).
 */
import { lineError } from '../core/stream-error';

const BLOCK = 512;
/** How much of the end of the stream is kept to find an error the engine appended. */
const TAIL_BYTES = 4096;
/** manifest.json larger than this is not a docker image manifest. */
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
/**
 * The most a long-name (GNU `L`/`K`) or PAX (`x`/`g`) header may hold. Real ones are a path or a few records; a
 * larger one is a damaged or hostile archive, refused before a byte of it is kept (a 3 MB gzip can declare 700 MB).
 */
export const MAX_META_HEADER_BYTES = 64 * 1024;
const META_TYPES: Readonly<Record<string, string>> = {
  L: 'long-name',
  K: 'long-link-name',
  x: 'PAX',
  g: 'global PAX',
};

export type TarProblem = 'truncated' | 'corrupt' | 'trailing-data' | 'engine-error' | 'not-image' | 'not-tar';

/** Why a tar is not a complete archive; `reason` is a phrase for people, `engineMessage` the engine's words. */
export class TarCheckError extends Error {
  readonly problem: TarProblem;
  readonly engineMessage: string | undefined;
  constructor(problem: TarProblem, reason: string, engineMessage?: string) {
    super(reason);
    this.name = 'TarCheckError';
    this.problem = problem;
    this.engineMessage = engineMessage;
  }
}

export interface ImageManifestEntry {
  readonly config: string;
  readonly repoTags: readonly string[];
  readonly layers: readonly string[];
}

export interface TarCheckResult {
  /** Files, folders and links in the archive. */
  readonly entries: number;
  /** Bytes of the (uncompressed) tar seen. */
  readonly bytes: number;
  /** The parsed manifest.json of an image archive; null when not asked for or absent. */
  readonly manifest: readonly ImageManifestEntry[] | null;
}

export interface TarCheckOptions {
  /** Require a docker image archive: manifest.json present, every file it names present. */
  readonly image?: boolean;
}

function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < block.length; i++) if (block[i] !== 0) return false;
  return true;
}

function cString(block: Buffer, start: number, length: number): string {
  const slice = block.subarray(start, start + length);
  const nul = slice.indexOf(0);
  return slice.subarray(0, nul === -1 ? slice.length : nul).toString('utf8');
}

/** A numeric header field: octal text, or GNU base-256 when the high bit of the first byte is set. */
function numberField(block: Buffer, start: number, length: number): number | undefined {
  const first = block[start] ?? 0;
  if ((first & 0x80) !== 0) {
    let value = first & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + (block[start + i] ?? 0);
    return value;
  }
  const text = cString(block, start, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) return undefined;
  return parseInt(text, 8);
}

function checksumMatches(block: Buffer): boolean {
  const stored = numberField(block, 148, 8);
  if (stored === undefined) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

/**
 * The engine's words from `{"message":…}` (an HTTP error body) or `{"errorDetail":{"message":…},"error":…}` (a stream
 * error line, read by core/stream-error.ts) text, if that is what it is.
 */
export function engineErrorIn(text: string): string | undefined {
  const starts = [...text.matchAll(/\{\s*"(?:message|errorDetail|error)"\s*:/g)].map((m) => m.index);
  // The last JSON object that parses is the engine's final word.
  for (const start of starts.reverse()) {
    const candidate = text.slice(start).replace(/\0+$/, '').trim();
    const line = candidate.split('\n')[0] ?? '';
    try {
      const value = JSON.parse(line) as unknown;
      if (typeof value !== 'object' || value === null) continue;
      const message = lineError(value) ?? (value as { message?: unknown }).message;
      if (typeof message === 'string' && message !== '') return message;
    } catch {
      // not a JSON line
    }
  }
  return undefined;
}

function parseManifest(text: string): ImageManifestEntry[] {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw new TarCheckError('not-image', 'its manifest.json is not JSON');
  }
  if (!Array.isArray(value)) throw new TarCheckError('not-image', 'its manifest.json is not a list of images');
  return value.map((item: unknown) => {
    const entry = (item ?? {}) as { Config?: unknown; RepoTags?: unknown; Layers?: unknown };
    if (typeof entry.Config !== 'string' || !Array.isArray(entry.Layers)) {
      throw new TarCheckError('not-image', 'its manifest.json lists an image without a config or layers');
    }
    const strings = (list: unknown): string[] =>
      Array.isArray(list) ? list.filter((s): s is string => typeof s === 'string') : [];
    return { config: entry.Config, repoTags: strings(entry.RepoTags), layers: strings(entry.Layers) };
  });
}

function normaliseName(name: string): string {
  return name.replace(/^\.\//, '').replace(/\/+$/, '');
}

/**
 * The incremental checker: `push` every chunk of the uncompressed tar, then `end()` answers the
 * result or throws a TarCheckError.
 */
export class TarChecker {
  private readonly image: boolean;
  private pending: Buffer = Buffer.alloc(0);
  private state: 'header' | 'data' | 'ended' = 'header';
  /** Bytes left of the current entry's data, padding included. */
  private remaining = 0;
  /** Bytes left of the current entry's data, without padding. */
  private dataLeft = 0;
  private capture: Buffer[] | undefined;
  private captureKind: 'manifest' | 'longname' | 'pax' | undefined;
  private zeroBlocks = 0;
  private entries = 0;
  private bytes = 0;
  private nextName: string | undefined;
  private readonly names = new Set<string>();
  private manifestText: string | undefined;
  private trailing: Buffer[] = [];
  private trailingBytes = 0;
  private failure: TarCheckError | undefined;
  /** The last bytes pushed: where an error the engine wrote in place of the rest would be. */
  private tail: Buffer = Buffer.alloc(0);

  constructor(options: TarCheckOptions = {}) {
    this.image = options.image === true;
  }

  push(chunk: Buffer): void {
    if (this.failure !== undefined) return;
    this.bytes += chunk.length;
    const joined = this.tail.length === 0 ? chunk : Buffer.concat([this.tail, chunk]);
    this.tail = Buffer.from(joined.subarray(Math.max(0, joined.length - TAIL_BYTES)));
    try {
      this.consume(chunk);
    } catch (error) {
      if (error instanceof TarCheckError) this.failure = error;
      else throw error;
    }
  }

  /** The first problem seen so far (lets a writer stop early). */
  get problem(): TarCheckError | undefined {
    return this.failure;
  }

  end(): TarCheckResult {
    if (this.failure !== undefined) throw this.failure;
    if (this.state !== 'ended') {
      // One zero block and then the end: lenient, as GNU tar is.
      const lenient = this.state === 'header' && this.zeroBlocks === 1 && this.pending.length === 0;
      if (!lenient) {
        if (this.bytes === 0) throw new TarCheckError('truncated', 'it is empty');
        const trailer = engineErrorIn(this.tail.toString('utf8'));
        if (trailer !== undefined) {
          throw new TarCheckError('engine-error', `the engine stopped writing it: ${trailer}`, trailer);
        }
        throw new TarCheckError('truncated', `it ends too early, after ${this.bytes} bytes`);
      }
    }
    if (this.trailingBytes > 0) {
      const text = Buffer.concat(this.trailing).toString('utf8');
      const message = engineErrorIn(text);
      if (message !== undefined) {
        throw new TarCheckError('engine-error', `the engine stopped writing it: ${message}`, message);
      }
      throw new TarCheckError('trailing-data', 'there is data after the end of the archive');
    }
    let manifest: ImageManifestEntry[] | null = null;
    if (this.image) {
      if (this.manifestText === undefined) {
        throw new TarCheckError('not-image', 'it has no manifest.json, so it is not a docker image archive');
      }
      manifest = parseManifest(this.manifestText);
      if (manifest.length === 0) throw new TarCheckError('not-image', 'its manifest.json lists no image');
      for (const entry of manifest) {
        for (const file of [entry.config, ...entry.layers]) {
          if (!this.names.has(normaliseName(file))) {
            throw new TarCheckError('not-image', `its manifest.json names ${file}, which is missing`);
          }
        }
      }
    }
    return { entries: this.entries, bytes: this.bytes, manifest };
  }

  private consume(chunk: Buffer): void {
    if (this.state === 'ended') {
      this.afterEnd(chunk);
      return;
    }
    let data = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = Buffer.alloc(0);
    while (data.length > 0) {
      if (this.ended()) {
        this.afterEnd(data);
        return;
      }
      if (this.state === 'data') {
        const take = Math.min(this.remaining, data.length);
        const useful = Math.min(take, this.dataLeft);
        if (this.capture !== undefined && useful > 0) this.capture.push(Buffer.from(data.subarray(0, useful)));
        this.dataLeft -= useful;
        this.remaining -= take;
        data = data.subarray(take);
        if (this.remaining === 0) this.finishEntry();
        continue;
      }
      if (data.length < BLOCK) {
        this.pending = Buffer.from(data);
        return;
      }
      const block = data.subarray(0, BLOCK);
      data = data.subarray(BLOCK);
      this.header(block);
    }
  }

  private ended(): boolean {
    return this.state === 'ended';
  }

  private paddingOf(size: number): number {
    return (BLOCK - (size % BLOCK)) % BLOCK;
  }

  private header(block: Buffer): void {
    if (isZeroBlock(block)) {
      this.zeroBlocks += 1;
      if (this.zeroBlocks === 2) this.state = 'ended';
      return;
    }
    if (this.zeroBlocks > 0) {
      throw new TarCheckError('corrupt', 'it has an entry after an end-of-archive block');
    }
    if (!checksumMatches(block)) {
      const engine = engineErrorIn(block.toString('utf8'));
      if (engine !== undefined) {
        throw new TarCheckError('engine-error', `the engine stopped writing it: ${engine}`, engine);
      }
      throw new TarCheckError(
        'corrupt',
        this.entries === 0 ? 'it is not a tar archive' : `a header after entry ${this.entries} is damaged`,
      );
    }
    const size = numberField(block, 124, 12);
    if (size === undefined) throw new TarCheckError('corrupt', `entry ${this.entries + 1} has an unreadable size`);
    const type = String.fromCharCode(block[156] ?? 0);
    const magic = cString(block, 257, 6);
    const prefix = magic.startsWith('ustar') ? cString(block, 345, 155) : '';
    const plainName = cString(block, 0, 100);
    const name = this.nextName ?? (prefix === '' ? plainName : `${prefix}/${plainName}`);
    this.capture = undefined;
    this.captureKind = undefined;
    const meta = META_TYPES[type];
    if (meta !== undefined && size > MAX_META_HEADER_BYTES) {
      throw new TarCheckError(
        'corrupt',
        `entry ${this.entries + 1} has a ${meta} header of ${size} bytes, more than the ${MAX_META_HEADER_BYTES} a real one holds`,
      );
    }
    if (type === 'L') {
      this.captureKind = 'longname';
    } else if (type === 'x') {
      this.captureKind = 'pax';
    } else if (type === 'g' || type === 'K') {
      // A global PAX header or a long link name: nothing we need.
    } else {
      this.nextName = undefined;
      this.entries += 1;
      const normalised = normaliseName(name);
      if (this.image) this.names.add(normalised);
      if (this.image && normalised === 'manifest.json' && size <= MAX_MANIFEST_BYTES) this.captureKind = 'manifest';
    }
    if (this.captureKind !== undefined) this.capture = [];
    this.dataLeft = size;
    this.remaining = size + this.paddingOf(size);
    if (this.remaining === 0) this.finishEntry();
    else this.state = 'data';
  }

  private finishEntry(): void {
    this.state = 'header';
    const captured = this.capture === undefined ? undefined : Buffer.concat(this.capture).toString('utf8');
    const kind = this.captureKind;
    this.capture = undefined;
    this.captureKind = undefined;
    if (captured === undefined) return;
    if (kind === 'manifest') this.manifestText = captured;
    else if (kind === 'longname') this.nextName = captured.replace(/\0+$/, '');
    else if (kind === 'pax') {
      const path = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(captured);
      if (path?.[1] !== undefined) this.nextName = path[1];
    }
  }

  private afterEnd(chunk: Buffer): void {
    let rest = chunk;
    if (this.trailingBytes === 0) {
      // Zero padding up to the record size is normal; only non-zero bytes count.
      const first = rest.findIndex((byte) => byte !== 0);
      if (first === -1) return;
      rest = rest.subarray(first);
    }
    // Keep a bounded excerpt of what follows the archive (the engine's error, if any).
    if (this.trailingBytes < 64 * 1024) this.trailing.push(Buffer.from(rest.subarray(0, 64 * 1024)));
    this.trailingBytes += rest.length;
  }
}
