/**
 * `npm run serve` (bundled to out/server.cjs): browser mode from the command line.
 * Prints exactly one line on stdout, `Strata is serving at http://127.0.0.1:PORT/#token=TOKEN`;
 * everything else goes to stderr.
 */
import { defaultStaticDir } from './args';
import { runBrowserMode } from './run';

runBrowserMode({ argv: process.argv.slice(2), staticDir: defaultStaticDir(__dirname) }).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Strata could not start browser mode: ${message}\n`);
  process.exit(1);
});
