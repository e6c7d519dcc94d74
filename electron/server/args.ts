/** Command-line options of browser mode (`npm run serve`), kept apart from cli.ts so they can be tested. */
import { existsSync } from 'node:fs';
import path from 'node:path';

export const USAGE = `Usage: npm run serve -- [--port N] [--engine URL] [--data-dir DIR]   (or: node out/server.cjs [options])

Serves Strata's renderer and API on http://127.0.0.1 only.

  --port N       port to listen on (default 0: a free port)
  --engine URL   Docker engine endpoint, e.g. unix:///var/run/docker.sock or tcp://127.0.0.1:2375
                 (default: DOCKER_HOST, else the current docker context, else /var/run/docker.sock)
  --data-dir DIR where Strata keeps its settings (the engines you add)
                 (default: $XDG_CONFIG_HOME/strata, else ~/.config/strata)
  --help         show this text`;

export interface CliOptions {
  readonly port: number;
  readonly engine: string | undefined;
  readonly dataDir: string | undefined;
  readonly help: boolean;
}

export type ParsedCli =
  { readonly ok: true; readonly options: CliOptions } | { readonly ok: false; readonly error: string };

/** Parses `--port N`, `--port=N`, `--engine URL`, `--engine=URL`, `--data-dir DIR`, `--help`/`-h`. */
export function parseCliArgs(argv: readonly string[]): ParsedCli {
  let port = 0;
  let engine: string | undefined;
  let dataDir: string | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    if (name !== '--port' && name !== '--engine' && name !== '--data-dir')
      return { ok: false, error: `Unknown option: ${arg}` };
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined || value.length === 0) return { ok: false, error: `${name} needs a value` };
    if (name === '--port') {
      if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
        return { ok: false, error: `--port must be a number from 0 to 65535, not "${value}"` };
      }
      port = Number(value);
    } else if (name === '--data-dir') {
      dataDir = path.resolve(value);
    } else {
      engine = value;
    }
  }
  return { ok: true, options: { port, engine, dataDir, help } };
}

/** Where browser mode keeps its settings by default: $XDG_CONFIG_HOME/strata, else ~/.config/strata. */
export function defaultDataDir(env: Readonly<Record<string, string | undefined>>, homeDir: string): string {
  const config = env['XDG_CONFIG_HOME'];
  return path.join(config !== undefined && path.isAbsolute(config) ? config : path.join(homeDir, '.config'), 'strata');
}

/** out/server.cjs -> out/renderer; when run from source, the build output at the repo root. */
export function defaultStaticDir(baseDir: string): string {
  const bundled = path.resolve(baseDir, 'renderer');
  if (existsSync(bundled)) return bundled;
  return path.resolve(baseDir, '..', '..', 'out', 'renderer');
}
