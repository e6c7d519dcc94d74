/**
 * The file staging area of the engine service: browser uploads land here (POST /api/uploads), and
 * saved or exported tars wait here to be downloaded (GET /api/downloads/<id>). Temporary files of
 * jobs (a save is written next to its destination first) are made here too when no better place exists.
 *
 * Lifetime: everything lives for the session and goes when the service closes (`close`). An upload
 * that failed midway is discarded at once (`discardUpload`); a download can be fetched any number
 * of times until it is removed or the session ends. Upload size is capped by the server (see
 * MAX_UPLOAD_BYTES in electron/server/server.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
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
  /** A fresh path for an upload about to be written; the id is what the browser passes back. */
  newUpload(fileName: string): StagedFile;
  /** The staged file of an upload id; throws not_found. */
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
  /** Deletes the staging folder. */
  close(): void;
}

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

export function createFileStore(parent: string = tmpdir()): FileStore {
  const dir = mkdtempSync(join(parent, 'strata-files-'));
  const uploads = new Map<string, StagedFile>();
  const downloads = new Map<string, StagedFile>();
  return {
    dir,
    newUpload(fileName) {
      const id = newId();
      const staged = { id, path: join(dir, `upload-${id}`), fileName: safeFileName(fileName, 'upload.tar') };
      uploads.set(id, staged);
      return staged;
    },
    upload(uploadId) {
      const staged = uploads.get(uploadId);
      if (staged === undefined) {
        throw new StrataError('not_found', `There is no uploaded file "${uploadId}" in this session; upload it again.`);
      }
      return staged;
    },
    addDownload(path, fileName) {
      const id = newId();
      downloads.set(id, { id, path, fileName: safeFileName(fileName, 'download.tar') });
      return id;
    },
    discardUpload(uploadId) {
      const staged = uploads.get(uploadId);
      uploads.delete(uploadId);
      if (staged !== undefined) rmSync(staged.path, { force: true });
    },
    download: (downloadId) => downloads.get(downloadId),
    removeDownload(downloadId) {
      const staged = downloads.get(downloadId);
      downloads.delete(downloadId);
      if (staged !== undefined) rmSync(staged.path, { force: true });
    },
    tempPath: (suffix) => join(dir, `tmp-${newId()}${suffix}`),
    close() {
      uploads.clear();
      downloads.clear();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
