import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileLogger, createMemoryLogger, logFileName, logLevelFrom, noopLogger } from './logger';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'strata-log-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const lines = (file: string): Record<string, unknown>[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('the file logger', () => {
  it('writes JSON lines with time, level, message and fields, from the level asked for up, without secrets', async () => {
    const dir = path.join(tempDir(), 'logs');
    const log = createFileLogger({ dir, level: 'info' });
    log.debug('not written');
    log.info('engine connected', { engineId: 'default', serverVersion: '27.0.1' });
    log.child({ engineId: 'lab2' }).warn('engine request failed', {
      method: 'GET',
      path: '/images/x/json',
      status: 404,
      headers: { 'X-Registry-Auth': 'c2VjcmV0' },
      url: 'http://127.0.0.1:1234/#token=tok-123456',
    });
    await log.close();
    expect(log.file).toBe(path.join(dir, 'strata.log'));
    const written = lines(log.file);
    expect(written).toHaveLength(2);
    expect(written[0]).toMatchObject({ level: 'info', msg: 'engine connected', engineId: 'default' });
    expect(typeof written[0]?.['time']).toBe('string');
    expect(written[1]).toMatchObject({ level: 'warn', engineId: 'lab2', status: 404, path: '/images/x/json' });
    const text = readFileSync(log.file, 'utf8');
    expect(text).not.toContain('c2VjcmV0');
    expect(text).not.toContain('tok-123456');
  });

  it('rotates at the size given and keeps the number of old files given', async () => {
    const dir = tempDir();
    const log = createFileLogger({ dir, maxBytes: 2048, keep: 2 });
    const filler = 'x'.repeat(200);
    for (let i = 0; i < 80; i++) {
      log.info(`line ${i}`, { filler });
      // Let the stream rotate between writes, as time passes between real log lines.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await log.close();
    const files = readdirSync(dir).sort();
    expect(files).toEqual([logFileName(1), logFileName(2), 'strata.log'].sort());
    for (const file of files) expect(readFileSync(path.join(dir, file)).length).toBeLessThan(2048 + 400);
    // Newest last across strata.2.log, strata.1.log, strata.log; the oldest lines were dropped with the oldest file.
    const all = [logFileName(2), logFileName(1), 'strata.log'].flatMap((file) => lines(path.join(dir, file)));
    expect(all.at(-1)).toMatchObject({ msg: 'line 79' });
    expect(all.some((line) => line['msg'] === 'line 0')).toBe(false);
    const numbers = all.map((line) => Number(String(line['msg']).slice(5)));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  });

  it('keeps the last warnings and errors in memory, bounded', () => {
    const log = createMemoryLogger(3);
    for (let i = 0; i < 5; i++) log.child({ engineId: 'default' }).warn(`w${i}`);
    log.info('not kept');
    log.error('e', { password: 'hunter2' });
    expect(log.recent().map((r) => r.msg)).toEqual(['w3', 'w4', 'e']);
    expect(log.recent()[2]?.fields).toEqual({ password: '[redacted]' });
    expect(log.records).toHaveLength(7);
  });

  it('reads the level from STRATA_LOG_LEVEL, info otherwise; the no-op logger keeps nothing', () => {
    expect(logLevelFrom({ STRATA_LOG_LEVEL: 'DEBUG' })).toBe('debug');
    expect(logLevelFrom({ STRATA_LOG_LEVEL: 'loud' })).toBe('info');
    expect(logLevelFrom({})).toBe('info');
    noopLogger.child({ a: 1 }).error('x');
    expect(noopLogger.recent()).toEqual([]);
  });

  it('goes on in memory when the folder cannot be written', async () => {
    const problems: string[] = [];
    const notADir = path.join(tempDir(), 'a-file');
    writeFileSync(notADir, '');
    const log = createFileLogger({ dir: path.join(notADir, 'logs'), onProblem: (m) => problems.push(m) });
    log.error('still kept');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await log.close();
    expect(problems).toHaveLength(1);
    expect(log.recent().map((r) => r.msg)).toEqual(['still kept']);
  });
});
