/** The staging area's lifetimes: TTL sweep, uploads in use kept, the byte count, and folders a crash left behind. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileStore, sweepStaleStaging } from './files';

const parent = mkdtempSync(join(tmpdir(), 'strata-files-test-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

/** The pid of a process that has exited (so no process has it, unless the OS reused it at once). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('the staging area', () => {
  it('sweeps an upload nobody used and a download nobody fetched after the TTL, never an upload a job reads', () => {
    let clock = 1_000_000;
    const files = createFileStore({ parent, ttlMs: 60_000, sweepIntervalMs: 0, now: () => clock });
    try {
      const unused = files.newUpload('a.tar');
      writeFileSync(unused.path, 'a');
      const used = files.newUpload('b.tar');
      writeFileSync(used.path, 'bb');
      files.upload(used.id); // a load job took it
      const savedPath = files.tempPath('.tar');
      writeFileSync(savedPath, 'ccc');
      const download = files.addDownload(savedPath, 'c.tar');
      expect(files.usedBytes()).toBe(6);

      clock += 59_999;
      expect(files.sweep()).toBe(0);
      clock += 1;
      expect(files.sweep()).toBe(2);
      expect(existsSync(unused.path)).toBe(false);
      expect(() => files.upload(unused.id)).toThrow(/no uploaded file/);
      expect(files.download(download)).toBeUndefined();
      expect(existsSync(savedPath)).toBe(false);
      expect(existsSync(used.path)).toBe(true);
      expect(files.usedBytes()).toBe(2);
    } finally {
      files.close();
    }
  });

  it('at start, deletes the staging folders whose owner process is gone, and keeps the others', () => {
    const root = mkdtempSync(join(parent, 'sweep-'));
    const dead = join(root, `strata-files-${deadPid()}-abc123`);
    const alive = join(root, `strata-files-${process.pid}-def456`);
    const oldUnowned = join(root, 'strata-files-XyZ123');
    const youngUnowned = join(root, 'strata-files-QwE456');
    const unrelated = join(root, 'someone-else');
    for (const folder of [dead, alive, oldUnowned, youngUnowned, unrelated]) {
      mkdirSync(folder);
      writeFileSync(join(folder, 'upload-x'), 'left behind');
    }
    const twoDaysAgo = (Date.now() - 2 * 24 * 60 * 60 * 1000) / 1000;
    utimesSync(oldUnowned, twoDaysAgo, twoDaysAgo);

    const files = createFileStore({ parent: root, sweepIntervalMs: 0 });
    try {
      expect(existsSync(dead)).toBe(false);
      expect(existsSync(oldUnowned)).toBe(false);
      expect(existsSync(alive)).toBe(true);
      expect(existsSync(youngUnowned)).toBe(true);
      expect(existsSync(unrelated)).toBe(true);
      expect(files.dir).toMatch(new RegExp(`strata-files-${process.pid}-`));
      expect(sweepStaleStaging(root)).toEqual([]);
    } finally {
      files.close();
    }
  });
});
