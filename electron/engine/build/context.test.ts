import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extract } from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normaliseDockerfilePath, packContext, prepareContext } from './context';

let root: string;

function write(files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

async function names(dockerfile = 'Dockerfile'): Promise<string[]> {
  const prepared = await prepareContext(root, dockerfile);
  return prepared.entries.filter((e) => e.type !== 'directory').map((e) => e.name);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'strata-ctx-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('build context', () => {
  it('applies .dockerignore patterns, including ** and ! exceptions', async () => {
    write({
      Dockerfile: 'FROM x',
      '.dockerignore': '# comment\n*.log\n**/*.tmp\nbuild\n!build/keep.txt\nsecret.txt\n',
      'a.log': '',
      'keep.txt': '',
      'secret.txt': '',
      'src/b.tmp': '',
      'src/deep/c.tmp': '',
      'src/d.log': '',
      'src/main.js': '',
      'build/out.bin': '',
      'build/keep.txt': '',
    });
    expect(await names()).toEqual(
      ['.dockerignore', 'Dockerfile', 'build/keep.txt', 'keep.txt', 'src/d.log', 'src/main.js'].sort(),
    );
  });

  it('always sends the Dockerfile and .dockerignore even when .dockerignore names them', async () => {
    write({
      'docker/Dockerfile.dev': 'FROM x',
      '.dockerignore': '.dockerignore\ndocker\n',
      'app.txt': '',
      'docker/other': '',
    });
    expect(await names('./docker/Dockerfile.dev')).toEqual(['.dockerignore', 'app.txt', 'docker/Dockerfile.dev']);
  });

  it('stores symlinks as links and never follows them', async () => {
    write({ Dockerfile: 'FROM x', 'target.txt': 'hi' });
    symlinkSync('/etc/passwd', join(root, 'outside'));
    const prepared = await prepareContext(root, 'Dockerfile');
    const link = prepared.entries.find((e) => e.name === 'outside');
    expect(link).toMatchObject({ type: 'symlink', linkname: '/etc/passwd', size: 0 });

    const seen: Array<{ name: string; type: string | null | undefined; body: string }> = [];
    const tar = packContext(prepared);
    const reader = extract();
    await new Promise<void>((resolve, reject) => {
      reader.on('entry', (header, stream, next) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: unknown) => chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c))));
        stream.on('end', () => {
          seen.push({ name: header.name, type: header.type, body: Buffer.concat(chunks).toString() });
          next();
        });
      });
      reader.on('finish', resolve);
      reader.on('error', reject);
      tar.pipe(reader);
    });
    expect(seen.find((e) => e.name === 'outside')).toMatchObject({ type: 'symlink', body: '' });
    expect(seen.find((e) => e.name === 'target.txt')).toMatchObject({ type: 'file', body: 'hi' });
    expect(seen.find((e) => e.name === 'Dockerfile')?.body).toBe('FROM x');
  });

  it('rejects a missing context, a file as context and a missing Dockerfile, naming the path', async () => {
    await expect(prepareContext(join(root, 'nope'), 'Dockerfile')).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining(`${join(root, 'nope')}" does not exist`) as string,
    });
    write({ 'file.txt': 'x' });
    await expect(prepareContext(join(root, 'file.txt'), 'Dockerfile')).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('is not a folder') as string,
    });
    await expect(prepareContext(root, 'Dockerfile.dev')).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('There is no Dockerfile "Dockerfile.dev"') as string,
    });
  });

  it('normalises Dockerfile paths and refuses ones outside the context', () => {
    expect(normaliseDockerfilePath('./docker\\Dockerfile')).toBe('docker/Dockerfile');
    expect(() => normaliseDockerfilePath('../Dockerfile')).toThrow(/inside the context/);
  });
});
