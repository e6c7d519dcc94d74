// Bundles the Node side: the Electron main process, the sandboxed preload (which may require
// nothing but `electron`, so the contract is bundled into it) and the browser-mode server.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
};

await Promise.all([
  build({
    ...common,
    entryPoints: ['electron/main.ts'],
    outfile: 'out/main.cjs',
    packages: 'external',
    external: ['electron'],
  }),
  build({
    ...common,
    entryPoints: ['electron/preload.ts'],
    outfile: 'out/preload.cjs',
    external: ['electron'],
    minify: true,
  }),
  build({ ...common, entryPoints: ['electron/server/cli.ts'], outfile: 'out/server.cjs', packages: 'external' }),
]);
