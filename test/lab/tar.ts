/**
 * A tiny ustar writer and reader: enough for the lab's busybox rootfs and the benchmark's docker-archive.
 * Output is deterministic (fixed owner, mtime given by the caller), so the same entries always give the same bytes.
 */

export type TarEntry =
  | { readonly type: 'file'; readonly path: string; readonly data: Uint8Array | string; readonly mode?: number }
  | { readonly type: 'dir'; readonly path: string; readonly mode?: number }
  | { readonly type: 'symlink'; readonly path: string; readonly target: string };

export interface TarOptions {
  /** Seconds since the epoch stamped on every entry. Default 0. */
  readonly mtime?: number;
}

const BLOCK = 512;

function writeString(header: Buffer, value: string, offset: number, length: number): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > length) throw new Error(`tar: "${value}" does not fit in ${length} bytes`);
  bytes.copy(header, offset);
}

function writeOctal(header: Buffer, value: number, offset: number, length: number): void {
  // length - 1 octal digits followed by a NUL.
  const digits = value.toString(8).padStart(length - 1, '0');
  if (digits.length > length - 1) throw new Error(`tar: ${value} does not fit in a ${length}-byte field`);
  writeString(header, digits, offset, length - 1);
}

/** Splits a path into ustar prefix (155) and name (100) at a slash. */
function splitPath(path: string): { readonly prefix: string; readonly name: string } {
  if (Buffer.byteLength(path) <= 100) return { prefix: '', name: path };
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { prefix, name };
  }
  throw new Error(`tar: path too long for ustar: ${path}`);
}

function header(entry: TarEntry, size: number, mtime: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  const path = entry.type === 'dir' && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path;
  const { prefix, name } = splitPath(path);
  const defaultMode = entry.type === 'file' ? 0o644 : entry.type === 'dir' ? 0o755 : 0o777;
  const mode = entry.type === 'symlink' ? 0o777 : (entry.mode ?? defaultMode);
  writeString(block, name, 0, 100);
  writeOctal(block, mode, 100, 8);
  writeOctal(block, 0, 108, 8); // uid
  writeOctal(block, 0, 116, 8); // gid
  writeOctal(block, size, 124, 12);
  writeOctal(block, mtime, 136, 12);
  block.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  writeString(block, entry.type === 'file' ? '0' : entry.type === 'dir' ? '5' : '2', 156, 1);
  if (entry.type === 'symlink') writeString(block, entry.target, 157, 100);
  writeString(block, 'ustar\u0000', 257, 6);
  writeString(block, '00', 263, 2);
  writeString(block, 'root', 265, 32);
  writeString(block, 'root', 297, 32);
  writeString(block, prefix, 345, 155);
  let sum = 0;
  for (const byte of block) sum += byte;
  writeString(block, `${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8);
  return block;
}

/** Builds a complete tar archive (with the two zero blocks at the end). */
export function tarArchive(entries: readonly TarEntry[], options: TarOptions = {}): Buffer {
  const mtime = options.mtime ?? 0;
  const parts: Buffer[] = [];
  for (const entry of entries) {
    if (entry.type === 'file') {
      const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : Buffer.from(entry.data);
      parts.push(header(entry, data.length, mtime), data);
      const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
      if (pad > 0) parts.push(Buffer.alloc(pad));
    } else {
      parts.push(header(entry, 0, mtime));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

export interface TarReadEntry {
  readonly path: string;
  readonly type: 'file' | 'dir' | 'symlink' | 'other';
  readonly data: Buffer;
}

function readString(block: Buffer, offset: number, length: number): string {
  const slice = block.subarray(offset, offset + length);
  const end = slice.indexOf(0);
  return slice.subarray(0, end === -1 ? length : end).toString('utf8');
}

/** Reads a plain (uncompressed) ustar archive; enough for `docker save` output. */
export function tarEntries(archive: Buffer): readonly TarReadEntry[] {
  const entries: TarReadEntry[] = [];
  let offset = 0;
  while (offset + BLOCK <= archive.length) {
    const block = archive.subarray(offset, offset + BLOCK);
    if (block.every((byte) => byte === 0)) break;
    const name = readString(block, 0, 100);
    const prefix = readString(block, 345, 155);
    const size = parseInt(readString(block, 124, 12).trim() || '0', 8);
    const flag = readString(block, 156, 1);
    const path = prefix ? `${prefix}/${name}` : name;
    const type = flag === '0' || flag === '' ? 'file' : flag === '5' ? 'dir' : flag === '2' ? 'symlink' : 'other';
    const start = offset + BLOCK;
    entries.push({ path, type, data: archive.subarray(start, start + size) });
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return entries;
}
