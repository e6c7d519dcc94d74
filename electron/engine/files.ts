/**
 * The file staging area of the engine service: browser uploads land here (POST /api/uploads), and
 * saved or exported tars wait here to be downloaded (GET /api/downloads/<id>). Temporary files of
 * jobs (a save is written next to its destination first) are made here too when no better place exists.
 * TODO(transfer): finish — lifetime of uploads/downloads, size accounting, cleanup on close.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StrataError } from '../../shared/errors';

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
  /** The file behind a download id, or undefined. */
  download(downloadId: string): StagedFile | undefined;
  /** A fresh path in the staging folder (not registered anywhere). */
  tempPath(suffix: string): string;
  /** Deletes the staging folder. */
  close(): void;
}

const newId = (): string => randomBytes(16).toString('base64url');

export function createFileStore(parent: string = tmpdir()): FileStore {
  const dir = mkdtempSync(join(parent, 'strata-files-'));
  const uploads = new Map<string, StagedFile>();
  const downloads = new Map<string, StagedFile>();
  return {
    dir,
    newUpload(fileName) {
      const id = newId();
      const staged = { id, path: join(dir, `upload-${id}`), fileName };
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
      downloads.set(id, { id, path, fileName });
      return id;
    },
    download: (downloadId) => downloads.get(downloadId),
    tempPath: (suffix) => join(dir, `tmp-${newId()}${suffix}`),
    close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
