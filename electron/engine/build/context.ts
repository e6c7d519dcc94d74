/**
 * The build context: the files of a folder that `.dockerignore` does not exclude, as a tar stream
 * (tar-stream), the way the docker CLI sends it. Paths are relative and `/`-separated, owners are
 * root, symlinks are stored as links (never followed), and the Dockerfile and `.dockerignore` are
 * always sent. Everything that can be checked is checked before any engine call.
 */
import { createReadStream } from 'node:fs';
import { lstat, readFile, readdir, readlink, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import ignore from '@balena/dockerignore';
import { pack as tarPack, type Pack } from 'tar-stream';
import { StrataError } from '../../../shared/errors';

export interface ContextEntry {
  /** Relative, `/`-separated: `src/app.js`. */
  readonly name: string;
  readonly type: 'file' | 'directory' | 'symlink';
  readonly size: number;
  readonly mode: number;
  readonly mtime: Date;
  readonly linkname?: string;
}

export interface PreparedContext {
  readonly contextPath: string;
  /** The Dockerfile, relative to the context, normalised (`docker/Dockerfile.dev`). */
  readonly dockerfile: string;
  readonly dockerfileText: string;
  readonly entries: readonly ContextEntry[];
  /** Sum of the file sizes (the tar is a little larger). */
  readonly totalBytes: number;
}

function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** `./docker\\Dockerfile` → `docker/Dockerfile`. */
export function normaliseDockerfilePath(dockerfile: string): string {
  const slashed = dockerfile.replace(/\\/g, '/');
  const normal = posix.normalize(slashed).replace(/^(\.\/)+/, '');
  if (normal === '' || normal === '.' || normal.startsWith('/') || normal.split('/').includes('..')) {
    throw new StrataError(
      'invalid_argument',
      `The Dockerfile "${dockerfile}" must be a file inside the context folder, for example "Dockerfile" or "docker/Dockerfile.dev".`,
    );
  }
  return normal;
}

/** Parses `.dockerignore` text into patterns (comments and blank lines dropped). */
export function dockerignorePatterns(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Lists what a context folder sends, after .dockerignore; throws invalid_argument naming the path. */
export async function prepareContext(contextPath: string, dockerfileArg: string): Promise<PreparedContext> {
  const dockerfile = normaliseDockerfilePath(dockerfileArg);
  let rootStat;
  try {
    rootStat = await stat(contextPath);
  } catch (error) {
    const code = errnoOf(error);
    throw new StrataError(
      'invalid_argument',
      code === 'ENOENT'
        ? `The build context "${contextPath}" does not exist; choose an existing folder.`
        : `Cannot open the build context "${contextPath}" (${code ?? 'error'}); check the path and its permissions.`,
    );
  }
  if (!rootStat.isDirectory()) {
    throw new StrataError(
      'invalid_argument',
      `The build context "${contextPath}" is not a folder; choose the folder that holds the Dockerfile and the files it copies.`,
    );
  }
  const dockerfilePath = join(contextPath, ...dockerfile.split('/'));
  let dockerfileText: string;
  try {
    const info = await stat(dockerfilePath);
    if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    dockerfileText = await readFile(dockerfilePath, 'utf8');
  } catch (error) {
    const code = errnoOf(error);
    throw new StrataError(
      'invalid_argument',
      code === 'ENOENT'
        ? `There is no Dockerfile "${dockerfile}" in the build context "${contextPath}"; check the Dockerfile path (it is relative to the context).`
        : code === 'EISDIR'
          ? `"${dockerfile}" in the build context "${contextPath}" is a folder, not a Dockerfile.`
          : `Cannot read the Dockerfile "${dockerfile}" in "${contextPath}" (${code ?? 'error'}); check its permissions.`,
    );
  }

  let patterns: string[] = [];
  try {
    patterns = dockerignorePatterns(await readFile(join(contextPath, '.dockerignore'), 'utf8'));
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT') {
      throw new StrataError(
        'invalid_argument',
        `Cannot read "${join(contextPath, '.dockerignore')}" (${errnoOf(error) ?? 'error'}); check its permissions.`,
      );
    }
  }
  const ig = ignore().add(patterns);
  const hasExceptions = patterns.some((p) => p.startsWith('!'));
  const alwaysSent = new Set(['.dockerignore', dockerfile]);
  const ignored = (name: string): boolean => !alwaysSent.has(name) && ig.ignores(name);

  const entries: ContextEntry[] = [];
  let totalBytes = 0;
  const walk = async (relative: string): Promise<void> => {
    const absolute = relative === '' ? contextPath : join(contextPath, ...relative.split('/'));
    let names: string[];
    try {
      names = await readdir(absolute);
    } catch (error) {
      throw new StrataError(
        'invalid_argument',
        `Cannot read the folder "${absolute}" of the build context (${errnoOf(error) ?? 'error'}); fix its permissions or add it to .dockerignore.`,
      );
    }
    names.sort();
    for (const base of names) {
      const name = relative === '' ? base : `${relative}/${base}`;
      const full = join(absolute, base);
      const info = await lstat(full);
      const skip = ignored(name);
      // A folder's children may be re-included with `!`; without exceptions the whole subtree goes.
      if (info.isDirectory()) {
        if (skip && !hasExceptions && !dockerfile.startsWith(`${name}/`)) continue;
        if (!skip) entries.push({ name, type: 'directory', size: 0, mode: info.mode & 0o7777, mtime: info.mtime });
        await walk(name);
        continue;
      }
      if (skip) continue;
      if (info.isSymbolicLink()) {
        const linkname = await readlink(full);
        entries.push({ name, type: 'symlink', size: 0, mode: info.mode & 0o7777, mtime: info.mtime, linkname });
      } else if (info.isFile()) {
        entries.push({ name, type: 'file', size: info.size, mode: info.mode & 0o7777, mtime: info.mtime });
        totalBytes += info.size;
      }
      // Sockets, fifos and devices are not sent (the docker CLI skips them too).
    }
  };
  await walk('');
  return { contextPath, dockerfile, dockerfileText, entries, totalBytes };
}

/** The context as a tar stream; a file that cannot be read mid-way errors the stream, naming it. */
export function packContext(prepared: PreparedContext): Pack {
  const tar = tarPack();
  const write = async (): Promise<void> => {
    for (const entry of prepared.entries) {
      const header = {
        name: entry.name,
        mode: entry.mode,
        mtime: entry.mtime,
        uid: 0,
        gid: 0,
        type: entry.type,
        size: entry.type === 'file' ? entry.size : 0,
        ...(entry.linkname === undefined ? {} : { linkname: entry.linkname }),
      };
      if (entry.type !== 'file') {
        await new Promise<void>((resolve, reject) => {
          tar.entry(header, (error) => (error ? reject(error) : resolve()));
        });
        continue;
      }
      const full = join(prepared.contextPath, ...entry.name.split('/'));
      let sink: ReturnType<typeof tar.entry> | undefined;
      const written = new Promise<void>((resolve, reject) => {
        sink = tar.entry(header, (error) => (error ? reject(error) : resolve()));
      });
      if (sink === undefined) throw new Error('tar entry not created');
      try {
        await pipeline(createReadStream(full), sink);
      } catch (error) {
        throw new StrataError(
          'invalid_argument',
          `Cannot read "${full}" of the build context (${errnoOf(error) ?? (error instanceof Error ? error.message : 'error')}); it changed or is not readable. Fix it or add it to .dockerignore.`,
        );
      }
      await written;
    }
    tar.finalize();
  };
  write().catch((error: unknown) => {
    tar.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return tar;
}
