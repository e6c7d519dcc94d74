import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { NdjsonError, readNdjson } from './ndjson';

async function collect(chunks: readonly (Uint8Array | string)[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const value of readNdjson(Readable.from(chunks, { objectMode: true }))) out.push(value);
  return out;
}

describe('readNdjson', () => {
  it('keeps a multi-byte character that is split across chunks', async () => {
    const bytes = Buffer.from('{"status":"Téléchargement 📦 fini"}\r\n{"n":2}\n', 'utf8');
    // Split inside the 4-byte emoji and inside a 2-byte é.
    const emoji = bytes.indexOf(Buffer.from('📦', 'utf8'));
    const eAcute = bytes.indexOf(Buffer.from('é', 'utf8'));
    const chunks = [bytes.subarray(0, eAcute + 1), bytes.subarray(eAcute + 1, emoji + 2), bytes.subarray(emoji + 2)];
    expect(await collect(chunks)).toEqual([{ status: 'Téléchargement 📦 fini' }, { n: 2 }]);
  });

  it('handles one byte at a time, blank lines and a last line without newline', async () => {
    const text = '\n{"a":"ü"}\r\n\r\n  \n{"b":[1,2]}';
    const bytes = Buffer.from(text, 'utf8');
    const chunks = [...bytes].map((b) => Uint8Array.of(b));
    expect(await collect(chunks)).toEqual([{ a: 'ü' }, { b: [1, 2] }]);
  });

  it('throws a typed error naming the bad line instead of crashing', async () => {
    const error = await collect(['{"ok":1}\n', '<html>502 Bad Gateway</html>\n', '{"never":1}\n']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NdjsonError);
    expect((error as NdjsonError).lineNumber).toBe(2);
    expect((error as NdjsonError).message).toMatch(/line 2 .* not JSON/);
    expect((error as NdjsonError).excerpt).toContain('502 Bad Gateway');
  });

  it('yields the lines before a bad line', async () => {
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for await (const value of readNdjson(Readable.from(['{"x":1}\n{"x":2}\n{broken\n']))) seen.push(value);
      })(),
    ).rejects.toBeInstanceOf(NdjsonError);
    expect(seen).toEqual([{ x: 1 }, { x: 2 }]);
  });

  it('rejects an unbounded line', async () => {
    const long = readNdjson(Readable.from(['{"a":"', 'x'.repeat(50), 'y'.repeat(50)]), { maxLineLength: 64 });
    await expect(long.next()).rejects.toThrow(/longer than 64/);
  });

  it('propagates a source error unchanged', async () => {
    const source = new Readable({
      read() {
        this.push(Buffer.from('{"a":1}\n'));
        this.destroy(new Error('socket hang up'));
      },
    });
    await expect(collect2(source)).rejects.toThrow('socket hang up');
  });

  it('reports chunk sizes to a watchdog', async () => {
    const sizes: number[] = [];
    for await (const _ of readNdjson(Readable.from([Buffer.from('{"a":1}\n'), Buffer.from('{"b":2}\n')]), {
      onChunk: (n) => sizes.push(n),
    })) {
      // drain
    }
    expect(sizes).toEqual([8, 8]);
  });
});

async function collect2(source: Readable): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const value of readNdjson(source)) out.push(value);
  return out;
}
