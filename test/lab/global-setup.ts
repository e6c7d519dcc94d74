/**
 * vitest globalSetup for the integration and e2e projects: starts one seeded engine lab for the run, hands its
 * LabInfo to the tests (`inject('lab')`, see context.ts) and stops it in teardown. A failed or interrupted run is
 * cleaned up by the lab's own exit and signal handlers.
 */
import type { TestProject } from 'vitest/node';
import { startLab, type Lab, type LabInfo } from './lab';

declare module 'vitest' {
  export interface ProvidedContext {
    lab: LabInfo;
  }
}

let lab: Lab | undefined;

export async function setup(project: TestProject): Promise<void> {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    throw new Error(
      'The engine lab needs Linux and root (it starts its own dockerd), so run the integration and e2e tests as root.',
    );
  }
  try {
    lab = await startLab({ seed: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const [reason = '', ...details] = message.split('\n');
    if (details.length > 0) process.stderr.write(`${details.join('\n')}\n`);
    throw new Error(`The engine lab could not start: ${reason.replace(/\.$/, '')}.`, { cause: error });
  }
  project.provide('lab', lab.info);
}

export async function teardown(): Promise<void> {
  const running = lab;
  lab = undefined;
  await running?.stop();
}
