import { describe, expect, it } from 'vitest';
import { defaultDataDir, parseCliArgs } from './args';

describe('parseCliArgs', () => {
  it('defaults to a free port and the resolved engine', () => {
    expect(parseCliArgs([])).toEqual({ ok: true, options: { port: 0, engine: undefined, help: false } });
  });

  it('reads --port and --engine in both spellings', () => {
    expect(parseCliArgs(['--port', '8080', '--engine', 'unix:///tmp/d.sock'])).toEqual({
      ok: true,
      options: { port: 8080, engine: 'unix:///tmp/d.sock', help: false },
    });
    expect(parseCliArgs(['--port=0', '--engine=tcp://127.0.0.1:2375'])).toEqual({
      ok: true,
      options: { port: 0, engine: 'tcp://127.0.0.1:2375', help: false },
    });
  });

  it('reads --help', () => {
    expect(parseCliArgs(['--help'])).toMatchObject({ ok: true, options: { help: true } });
    expect(parseCliArgs(['-h'])).toMatchObject({ ok: true, options: { help: true } });
  });

  it('refuses bad ports, missing values and unknown options with a reason', () => {
    expect(parseCliArgs(['--port', 'abc'])).toEqual({
      ok: false,
      error: '--port must be a number from 0 to 65535, not "abc"',
    });
    expect(parseCliArgs(['--port', '70000'])).toMatchObject({ ok: false });
    expect(parseCliArgs(['--port', '-1'])).toMatchObject({ ok: false });
    expect(parseCliArgs(['--port'])).toEqual({ ok: false, error: '--port needs a value' });
    expect(parseCliArgs(['--engine='])).toEqual({ ok: false, error: '--engine needs a value' });
    expect(parseCliArgs(['--host', '0.0.0.0'])).toEqual({ ok: false, error: 'Unknown option: --host' });
  });

  it('reads --data-dir as an absolute folder, defaulting to the XDG config folder', () => {
    expect(parseCliArgs(['--data-dir', '/tmp/strata-data'])).toMatchObject({
      ok: true,
      options: { dataDir: '/tmp/strata-data' },
    });
    expect(parseCliArgs(['--data-dir=rel/dir'])).toMatchObject({
      ok: true,
      options: { dataDir: `${process.cwd()}/rel/dir` },
    });
    expect(parseCliArgs(['--data-dir'])).toEqual({ ok: false, error: '--data-dir needs a value' });
    expect(parseCliArgs([])).toMatchObject({ ok: true, options: { dataDir: undefined } });
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/xdg' }, '/home/u')).toBe('/xdg/strata');
    expect(defaultDataDir({}, '/home/u')).toBe('/home/u/.config/strata');
    expect(defaultDataDir({ XDG_CONFIG_HOME: 'relative' }, '/home/u')).toBe('/home/u/.config/strata');
  });
});
