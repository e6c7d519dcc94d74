/**
 * `npm run serve:lab [-- --port N]`: starts a seeded engine lab, then browser mode against it.
 * Prints the server's one line (`Strata is serving at http://127.0.0.1:PORT/#token=TOKEN`) on stdout, lab details on
 * stderr, and stops the server and the lab on Ctrl-C.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runBrowserMode } from '../../electron/server/run';
import { startLab } from './lab';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) return runBrowserMode({ argv, staticDir: '' });
  if (argv.includes('--engine')) process.stderr.write('serve:lab always uses the lab engine; --engine is ignored.\n');
  const staticDir = path.resolve(__dirname, '..', '..', 'out', 'renderer');
  if (!existsSync(path.join(staticDir, 'index.html'))) {
    throw new Error(`the renderer is not built (${staticDir}); run npm run build first`);
  }

  process.stderr.write('Starting the engine lab (sandboxed dockerd + registry)…\n');
  const lab = await startLab({ seed: true });
  process.stderr.write(
    `Lab engine: ${lab.info.dockerHost}\nLab registry: ${lab.info.registry} (try pulling ${lab.info.remote.small})\n` +
      `docker CLI: DOCKER_HOST=${lab.info.dockerHost} /usr/bin/docker images\n`,
  );
  try {
    // Engines added while trying the lab live with the lab, never in the user's own settings (unless --data-dir).
    const dataDir = argv.includes('--data-dir') ? {} : { dataDir: path.join(lab.info.dir, 'strata-data') };
    await runBrowserMode({ argv, staticDir, engine: lab.info.dockerHost, ...dataDir, afterStop: () => lab.stop() });
  } catch (error) {
    await lab.stop();
    throw error;
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`serve:lab could not start: ${message}\n`);
  process.exit(1);
});
