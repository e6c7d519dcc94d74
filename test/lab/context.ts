/**
 * What integration and e2e tests use to reach the engine lab that global-setup.ts started in the main vitest process.
 * Everything works from a LabInfo alone (the lab records its dockerd argv and pidfile in `${info.dir}/lab.json`),
 * so a test file in a worker can stop, restart or kill the engine.
 */
import { inject } from 'vitest';
import { killLabEngine, labDockerCli, startLabEngine, stopLabEngine, type LabDockerOptions, type LabInfo } from './lab';

export type { LabDockerOptions, LabInfo } from './lab';
export { startThrottleProxy, type ThrottleOptions, type ThrottleProxy } from './throttle-proxy';
export { freePort } from './lab';
export { startSecondEngine, type SecondEngine } from './second-engine';
export { sshServerMissing, startSshServer, type SshProfile, type SshServer } from './sshd';

/** The lab of this test run (provided by test/lab/global-setup.ts). */
export function labInfo(): LabInfo {
  const info = inject('lab');
  if (!info) throw new Error('no engine lab: this test must run in a vitest project with test/lab/global-setup.ts');
  return info;
}

/** Runs the docker CLI (matching the lab engine) against the lab socket and resolves with its stdout. */
export function labDocker(info: LabInfo, args: readonly string[], options?: LabDockerOptions): Promise<string> {
  return labDockerCli(info, args, options);
}

/** Stops the lab's dockerd (SIGTERM; SIGKILL after 20 s) and resolves when it is gone. */
export function stopEngine(info: LabInfo): Promise<void> {
  return stopLabEngine(info);
}

/** Starts the lab's dockerd again with the same data root, socket and flags; resolves when GET /_ping answers. */
export function startEngine(info: LabInfo): Promise<void> {
  return startLabEngine(info);
}

/** SIGKILLs the lab's dockerd, as in a crash. Start it again with startEngine before the test ends. */
export function killEngine(info: LabInfo): Promise<void> {
  return killLabEngine(info);
}
