/**
 * A second sandboxed engine for the tests of several engines at once (test/integration/engines.test.ts): its own
 * dockerd (own data root, exec root, socket and pidfile, the lab's flags) in a fresh temp dir, seeded with two
 * images only it has. Started only by the tests that ask for it, and stopped by them (by its recorded pid only).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { busyboxRootfsTar, ensureTools, labDockerCli, startLab, type LabDockerOptions } from './lab';

export interface SecondEngine {
  /** `unix://${socketPath}` */
  readonly dockerHost: string;
  readonly socketPath: string;
  /** What it was seeded with. */
  readonly images: { readonly base: 'lab2/base:latest'; readonly onlyHere: 'lab2/only-here:1' };
  /** Runs the docker CLI against this engine and resolves with stdout. */
  readonly docker: (args: readonly string[], options?: LabDockerOptions) => Promise<string>;
  /** Stops its dockerd (and whatever it started) and removes its temp dir. Safe to call twice. */
  readonly stop: () => Promise<void>;
}

/** Starts another engine next to the lab's; takes a few seconds (no registry content, two imports). */
export async function startSecondEngine(): Promise<SecondEngine> {
  const tools = ensureTools();
  // The lab's own start-up, without its seed: same flags, same cleanup (pidfile-based, never another dockerd).
  const lab = await startLab({ seed: false });
  const docker = (args: readonly string[], options?: LabDockerOptions): Promise<string> =>
    labDockerCli(lab.info, args, options);
  try {
    const tar = join(lab.info.dir, 'lab2-base.tar');
    await writeFile(tar, busyboxRootfsTar(tools.busybox));
    const common = ['--change', 'ENV PATH=/bin', '--change', 'CMD ["/bin/sh"]'];
    await docker([
      'import',
      ...common,
      '--change',
      'LABEL org.opencontainers.image.title="Lab 2 base"',
      tar,
      'lab2/base:latest',
    ]);
    await docker([
      'import',
      ...common,
      '--change',
      'LABEL org.opencontainers.image.title="Only on the second engine"',
      tar,
      'lab2/only-here:1',
    ]);
  } catch (error) {
    await lab.stop();
    throw error;
  }
  return {
    dockerHost: lab.info.dockerHost,
    socketPath: lab.info.socketPath,
    images: { base: 'lab2/base:latest', onlyHere: 'lab2/only-here:1' },
    docker,
    stop: () => lab.stop(),
  };
}
