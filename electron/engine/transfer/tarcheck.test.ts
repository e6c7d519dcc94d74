import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { engineErrorIn, MAX_META_HEADER_BYTES, TarChecker, TarCheckError } from './tarcheck';
import { checkTarFile, isGzip } from './tarfile';

async function makeTar(files: Record<string, string | Buffer>): Promise<Buffer> {
  const p = pack();
  for (const [name, content] of Object.entries(files)) p.entry({ name }, content);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of p) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const manifest = JSON.stringify([{ Config: 'abc.json', RepoTags: ['t/x:1'], Layers: ['l1/layer.tar'] }]);
const imageFiles = { 'abc.json': '{}', 'l1/layer.tar': Buffer.alloc(3000, 7), 'manifest.json': manifest };

function check(bytes: Buffer, image: boolean, chunkSize = 700) {
  const checker = new TarChecker({ image });
  for (let i = 0; i < bytes.length; i += chunkSize) checker.push(bytes.subarray(i, i + chunkSize));
  return checker.end();
}

function problemOf(fn: () => unknown): TarCheckError {
  try {
    fn();
  } catch (error) {
    if (error instanceof TarCheckError) return error;
    throw error;
  }
  throw new Error('expected a TarCheckError');
}

describe('TarChecker', () => {
  it('accepts a complete image archive, whatever the chunking', async () => {
    const tar = await makeTar(imageFiles);
    for (const size of [1, 100, 512, 4096, tar.length]) {
      const result = check(tar, true, size);
      expect(result.entries).toBe(3);
      expect(result.manifest?.[0]?.repoTags).toEqual(['t/x:1']);
    }
  });

  it('accepts the OCI layout Docker 25 and later save (blobs/ with a manifest.json beside index.json)', async () => {
    const config = 'a'.repeat(64);
    const layer = 'b'.repeat(64);
    const tar = await makeTar({
      'blobs/sha256/': '',
      [`blobs/sha256/${config}`]: '{}',
      [`blobs/sha256/${layer}`]: Buffer.alloc(2000, 3),
      'index.json': JSON.stringify({ schemaVersion: 2, manifests: [] }),
      'oci-layout': JSON.stringify({ imageLayoutVersion: '1.0.0' }),
      'manifest.json': JSON.stringify([
        { Config: `blobs/sha256/${config}`, RepoTags: ['t/oci:1'], Layers: [`blobs/sha256/${layer}`] },
      ]),
    });
    const result = check(tar, true);
    expect(result.manifest?.[0]?.repoTags).toEqual(['t/oci:1']);
  });

  it('accepts zero padding after the end-of-archive blocks', async () => {
    const tar = await makeTar(imageFiles);
    expect(check(Buffer.concat([tar, Buffer.alloc(10240)]), true).entries).toBe(3);
  });

  it('refuses a truncated tar, cut in data or at a block boundary', async () => {
    const tar = await makeTar(imageFiles);
    expect(problemOf(() => check(tar.subarray(0, 1500), true)).problem).toBe('truncated');
    expect(problemOf(() => check(tar.subarray(0, 1024), true)).problem).toBe('truncated');
    expect(problemOf(() => check(tar.subarray(0, tar.length - 1024), true)).problem).toBe('truncated');
    expect(problemOf(() => check(Buffer.alloc(0), false)).message).toMatch(/empty/);
  });

  it('refuses garbage', () => {
    const error = problemOf(() => check(Buffer.from('hello world, this is not a tar at all'.repeat(40)), false));
    expect(error.problem).toBe('corrupt');
    expect(error.message).toBe('it is not a tar archive');
  });

  it("reports the engine's error appended after the archive, or in place of a header", async () => {
    const tar = await makeTar(imageFiles);
    const trailer = Buffer.from('{"message":"write /var/lib/docker/x: no space left on device"}\n');
    const after = problemOf(() => check(Buffer.concat([tar, trailer]), true));
    expect(after.problem).toBe('engine-error');
    expect(after.engineMessage).toBe('write /var/lib/docker/x: no space left on device');
    const midway = problemOf(() => check(Buffer.concat([tar.subarray(0, 1024), trailer, Buffer.alloc(600)]), true));
    expect(midway.problem).toBe('engine-error');
    expect(midway.message).toMatch(/no space left on device/);
  });

  it('refuses non-zero data after the end of the archive', async () => {
    const tar = await makeTar(imageFiles);
    expect(problemOf(() => check(Buffer.concat([tar, Buffer.from('junk')]), true)).problem).toBe('trailing-data');
  });

  it('refuses a tar without manifest.json, or whose manifest names a missing file, as an image archive', async () => {
    const plain = await makeTar({ 'bin/busybox': 'x' });
    expect(check(plain, false).entries).toBe(1);
    expect(problemOf(() => check(plain, true)).message).toMatch(/no manifest\.json/);
    const missing = await makeTar({ 'manifest.json': manifest, 'abc.json': '{}' });
    expect(problemOf(() => check(missing, true)).message).toBe(
      'its manifest.json names l1/layer.tar, which is missing',
    );
  });

  it('reads long names (GNU and PAX)', async () => {
    const long = `${'d'.repeat(120)}/layer.tar`;
    const m = JSON.stringify([{ Config: 'c.json', RepoTags: null, Layers: [long] }]);
    const tar = await makeTar({ 'c.json': '{}', [long]: 'data', 'manifest.json': m });
    expect(check(tar, true).manifest?.[0]?.layers).toEqual([long]);
  });
});

describe('engineErrorIn', () => {
  it('finds message and errorDetail', () => {
    expect(engineErrorIn('\0\0{"errorDetail":{"message":"boom"},"error":"boom"}')).toBe('boom');
    expect(engineErrorIn('no json here')).toBeUndefined();
  });

  it("reads an HTTP error body and a stream error line alike, the last one being the engine's final word", () => {
    expect(engineErrorIn('{"message":"reference does not exist"}\n')).toBe('reference does not exist');
    expect(engineErrorIn('{"errorDetail":{"message":"layer gone"}}')).toBe('layer gone');
    expect(engineErrorIn('{"error":"first"}\n{"error":"second"}\n')).toBe('second');
  });
});

describe('checkTarFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tarcheck-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('checks plain and gzip files, and refuses a truncated gzip', async () => {
    const tar = await makeTar(imageFiles);
    const plain = join(dir, 'a.tar');
    const gz = join(dir, 'a.tar.gz');
    const cut = join(dir, 'cut.tar.gz');
    writeFileSync(plain, tar);
    const zipped = gzipSync(tar);
    expect(isGzip(zipped)).toBe(true);
    writeFileSync(gz, zipped);
    writeFileSync(cut, zipped.subarray(0, Math.floor(zipped.length / 2)));
    expect((await checkTarFile(plain, { image: true })).gzip).toBe(false);
    const fromGzip = await checkTarFile(gz, { image: true });
    expect(fromGzip.gzip).toBe(true);
    expect(fromGzip.entries).toBe(3);
    await expect(checkTarFile(cut, { image: true })).rejects.toMatchObject({ problem: 'truncated' });
  });
});

/** A ustar header block as a hostile archive would write it: any type, any declared size, a valid checksum. */
function rawHeader(name: string, type: string, size: number): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  block.write('00000000000\0', 136);
  block.write('        ', 148);
  block.write(type, 156);
  block.write('ustar\0', 257);
  block.write('00', 263);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

describe('hostile metadata headers', () => {
  it.each([
    ['L', 'long-name'],
    ['K', 'long-link-name'],
    ['x', 'PAX'],
    ['g', 'global PAX'],
  ])('refuses a %s header larger than 64 KiB as corrupt, before keeping any of it', (type, what) => {
    const checker = new TarChecker({ image: true });
    checker.push(rawHeader('././@LongLink', type, 700 * 1024 * 1024));
    expect(checker.problem?.problem).toBe('corrupt');
    expect(checker.problem?.message).toBe(
      `entry 1 has a ${what} header of ${700 * 1024 * 1024} bytes, more than the ${MAX_META_HEADER_BYTES} a real one holds`,
    );
  });

  it('still reads a long name that fits', async () => {
    const long = `${'deep/'.repeat(60)}file.txt`;
    const tar = await makeTar({ [long]: 'x' });
    expect(check(tar, false).entries).toBe(1);
  });

  it('keeps memory bounded on a small gzip that declares a 256 MB long name (the check stops at the header)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-hostile-'));
    try {
      const path = join(dir, 'bomb.tar.gz');
      const size = 256 * 1024 * 1024;
      const chunk = Buffer.alloc(1024 * 1024, 0x61);
      await pipeline(
        Readable.from(
          (function* () {
            yield rawHeader('././@LongLink', 'L', size);
            for (let sent = 0; sent < size; sent += chunk.length) yield chunk;
          })(),
        ),
        createGzip({ level: 1 }),
        createWriteStream(path),
      );
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
      const failure = await checkTarFile(path, { image: true }).then(
        () => undefined,
        (error: unknown) => error,
      );
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      expect(failure).toBeInstanceOf(TarCheckError);
      expect((failure as TarCheckError).problem).toBe('corrupt');
      expect(peak - before).toBeLessThan(64 * 1024 * 1024);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
