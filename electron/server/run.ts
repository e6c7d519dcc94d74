/**
 * Browser mode from a command line: parse the flags, start the service and the server, print the one URL line, stop
 * cleanly on SIGINT/SIGTERM. Used by `npm run serve` (cli.ts) and `npm run serve:lab` (test/lab/serve-lab.ts).
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { version as appVersion } from '../../package.json';
import { createEngineHub } from '../engine/host/hub';
import { createFileLogger, logLevelFrom } from '../engine/host/logger';
import { defaultDataDir, parseCliArgs, USAGE } from './args';
import { startServer } from './server';

export interface RunOptions {
  readonly argv: readonly string[];
  readonly staticDir: string;
  /** Overrides `--engine` (serve:lab always uses its lab engine). */
  readonly engine?: string;
  /** Overrides `--data-dir` (where engines.json lives). */
  readonly dataDir?: string;
  /** Runs after the server and the service are closed, before the process exits. */
  readonly afterStop?: () => Promise<void>;
}

/** Resolves once the server is listening; the process then lives until a signal stops it. */
export async function runBrowserMode(options: RunOptions): Promise<void> {
  const parsed = parseCliArgs(options.argv);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.error}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (parsed.options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const host = options.engine ?? parsed.options.engine;
  const dataDir = options.dataDir ?? parsed.options.dataDir ?? defaultDataDir(process.env, homedir());
  // Private to the user: it lists their engines (no secrets, but hosts and certificate paths).
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // <data dir>/logs/strata.log: failed requests and jobs, connection changes; never the server's token.
  const logger = createFileLogger({ dir: path.join(dataDir, 'logs'), level: logLevelFrom(process.env) });
  logger.info('browser mode starting', { node: process.versions.node, platform: process.platform });
  const service = createEngineHub({
    settingsDir: dataDir,
    appVersion,
    serviceOptions: host === undefined ? { logger } : { host, logger },
  });
  const running = await startServer({ service, port: parsed.options.port, staticDir: options.staticDir }).catch(
    async (error: unknown) => {
      await service.close();
      await logger.close();
      throw error;
    },
  );
  process.stdout.write(`Strata is serving at ${running.url}\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1);
    stopping = true;
    Promise.allSettled([running.close(), service.close()])
      .then(() => logger.close())
      .then(() => options.afterStop?.())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`Strata: error while stopping: ${String(error)}\n`);
          process.exit(1);
        },
      );
  };
  // prepend: run before any other handler (the engine lab's own cleanup handlers) and stop in order.
  process.prependListener('SIGINT', stop);
  process.prependListener('SIGTERM', stop);
}
