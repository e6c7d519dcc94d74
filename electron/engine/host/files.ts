/**
 * The file staging area of the engine service: browser uploads land here (POST /api/uploads), and
 * saved or exported tars wait here to be downloaded (GET /api/downloads/<id>). Temporary files of
 * jobs (a save is written next to its destination first) are made here too when no better place exists.
 *
 * Lifetime: a download goes once it has been sent in full, an upload once the job that read it ends (or at once when
 * it failed midway); what nobody fetched or used goes after `ttlMs` (an upload a job is reading is never swept), and
 * everything goes when the service closes. The bytes staged in all are capped (`maxBytes`: the server answers 507
 * beyond it). Each staging folder's name holds its owner process, so one left behind by a crash is swept at the next start.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StrataError } from '../../../shared/errors';

export interface StagedFile {
  readonly id: string;
  readonly path: string;
  readonly fileName: string;
}

export interface FileStore {
  /** The staging folder (private to this process). */
  readonly dir: string;
  /** The most bytes all staged files may hold together. */
  readonly maxBytes: number;
  /** A fresh path for an upload about to be written; the id is what the browser passes back. */
  newUpload(fileName: string): StagedFile;
  /** The staged file of an upload id, now in use (never swept); throws not_found. */
  upload(uploadId: string): StagedFile;
  /** Offers a finished file for download; answers its id. */
  addDownload(path: string, fileName: string): string;
  /** Forgets an upload and deletes its file (a failed or refused upload). */
  discardUpload(uploadId: string): void;
  /** The file behind a download id, or undefined. */
  download(downloadId: string): StagedFile | undefined;
  /** Forgets a download and deletes its file. */
  removeDownload(downloadId: string): void;
  /** A fresh path in the staging folder (not registered anywhere). */
  tempPath(suffix: string): string;
  /** The bytes in the staging folder now. */
  usedBytes(): number;
  /** Deletes what nobody fetched or used within the TTL; answers how many files went. Runs by itself too. */
  sweep(): number;
  /** Deletes the staging folder. */
  close(): void;
}

export interface FileStoreOptions {
  /** Where the staging folder is made. Default: the OS temp folder. */
  readonly parent?: string;
  /** Default DEFAULT_MAX_STAGED_BYTES. */
  readonly maxBytes?: number;
  /** How long an unused upload or an unfetched download stays. Default one hour. */
  readonly ttlMs?: number;
  /** How often the TTL sweep runs; 0: only when `sweep()` is called. Default one minute. */
  readonly sweepIntervalMs?: number;
  readonly now?: () => number;
}

/** Twice the largest upload, so a load of the biggest archive fits beside a save waiting to be fetched. */
export const DEFAULT_MAX_STAGED_BYTES = 32 * 1024 * 1024 * 1024;
export const DEFAULT_STAGING_TTL_MS = 60 * 60 * 1000;
/** A staging folder is `strata-files-<owner pid>-<random>`. */
const FOLDER_PREFIX = 'strata-files-';
/** A staging folder whose name holds no owner (an older Strata's) is someone's only when younger than this. */
const ORPHAN_AGE_MS = 24 * 60 * 60 * 1000;

const newId = (): string => randomBytes(16).toString('base64url');

/** A file name safe to show and to put in Content-Disposition: no folders, no control characters. */
export function safeFileName(name: string, fallback = 'file'): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = [...base]
    .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
    .join('')
    .trim()
    .slice(0, 200);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? fallback : cleaned;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Deletes the staging folders under `parent` whose owner process is gone (a crash); answers the ones removed. */
export function sweepStaleStaging(parent: string, now: number = Date.now()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(FOLDER_PREFIX)) continue;
    const folder = join(parent, name);
    try {
      if (!statSync(folder).isDirectory()) continue;
      const owner = /^(\d+)-/.exec(name.slice(FOLDER_PREFIX.length))?.[1];
      const stale = owner === undefined ? now - statSync(folder).mtimeMs > ORPHAN_AGE_MS : !processAlive(Number(owner));
      if (stale) {
        rmSync(folder, { recursive: true, force: true });
        removed.push(folder);
      }
    } catch {
      // Gone already, or not ours to read: leave it.
    }
  }
  return removed;
}

interface Entry extends StagedFile {
  readonly since: number;
  inUse: boolean;
}

export function createFileStore(options: string | FileStoreOptions = {}): FileStore {
  const opts: FileStoreOptions = typeof options === 'string' ? { parent: options } : options;
  const parent = opts.parent ?? tmpdir();
  const now = opts.now ?? Date.now;
  const ttlMs = opts.ttlMs ?? DEFAULT_STAGING_TTL_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_STAGED_BYTES;
  sweepStaleStaging(parent, now());
  const dir = mkdtempSync(join(parent, `${FOLDER_PREFIX}${process.pid}-`));
  const uploads = new Map<string, Entry>();
  const downloads = new Map<string, Entry>();

  const drop = (entries: Map<string, Entry>, id: string): void => {
    const entry = entries.get(id);
    entries.delete(id);
    if (entry !== undefined) rmSync(entry.path, { force: true });
  };

  const sweep = (): number => {
    const cutoff = now() - ttlMs;
    let count = 0;
    for (const [id, entry] of uploads) {
      if (!entry.inUse && entry.since <= cutoff) {
        drop(uploads, id);
        count += 1;
      }
    }
    for (const [id, entry] of downloads) {
      if (entry.since <= cutoff) {
        drop(downloads, id);
        count += 1;
      }
    }
    return count;
  };
  const interval = opts.sweepIntervalMs ?? 60_000;
  const timer = interval > 0 ? setInterval(sweep, interval) : undefined;
  timer?.unref();

  return {
    dir,
    maxBytes,
    newUpload(fileName) {
      const id = newId();
      const staged = { id, path: join(dir, `upload-${id}`), fileName: safeFileName(fileName, 'upload.tar') };
      uploads.set(id, { ...staged, since: now(), inUse: false });
      return staged;
    },
    upload(uploadId) {
      const entry = uploads.get(uploadId);
      if (entry === undefined) {
        throw new StrataError('not_found', `There is no uploaded file "${uploadId}" in this session; upload it again.`);
      }
      entry.inUse = true;
      return { id: entry.id, path: entry.path, fileName: entry.fileName };
    },
    addDownload(path, fileName) {
      const id = newId();
      downloads.set(id, { id, path, fileName: safeFileName(fileName, 'download.tar'), since: now(), inUse: false });
      return id;
    },
    discardUpload: (uploadId) => drop(uploads, uploadId),
    download(downloadId) {
      const entry = downloads.get(downloadId);
      return entry === undefined ? undefined : { id: entry.id, path: entry.path, fileName: entry.fileName };
    },
    removeDownload: (downloadId) => drop(downloads, downloadId),
    tempPath: (suffix) => join(dir, `tmp-${newId()}${suffix}`),
    usedBytes() {
      let total = 0;
      for (const name of readdirSync(dir)) {
        try {
          total += statSync(join(dir, name)).size;
        } catch {
          // Deleted meanwhile.
        }
      }
      return total;
    },
    sweep,
    close() {
      if (timer !== undefined) clearInterval(timer);
      uploads.clear();
      downloads.clear();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
