/**
 * Process and mount housekeeping for the engine lab. Everything here acts only on pids the lab recorded or on
 * processes whose command line names the lab's own (unique) temp dir; nothing is matched by program name.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 1) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie (exited, not yet reaped by its parent) counts as dead.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export function cmdlineOf(pid: number): readonly string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\u0000')
      .filter((part) => part.length > 0);
  } catch {
    return [];
  }
}

/** True when the live process `pid` has `dir` (or a path under it) in its command line. */
export function processMentions(pid: number, dir: string): boolean {
  return isAlive(pid) && cmdlineOf(pid).some((arg) => arg === dir || arg.includes(`${dir}/`));
}

function allPids(): readonly number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

function parentOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return -1;
  }
}

function isContainerd(pid: number): boolean {
  const program = cmdlineOf(pid)[0] ?? '';
  return /(^|\/)containerd(-shim[\w-]*)?$/.test(program);
}

/**
 * Live processes that belong to the lab in `dir`, children before parents: the recorded pids (dockerd, registry)
 * if they still name the dir, the containerd and containerd shims that dockerd started with addresses under the dir,
 * and all their descendants (the container processes).
 */
export function labProcesses(dir: string, recorded: readonly number[]): readonly number[] {
  const pids = allPids();
  const roots = new Set([
    ...recorded.filter((pid) => processMentions(pid, dir)),
    ...pids.filter((pid) => isContainerd(pid) && processMentions(pid, dir)),
  ]);
  const children = new Map<number, number[]>();
  for (const pid of pids) {
    const parent = parentOf(pid);
    const list = children.get(parent) ?? [];
    list.push(pid);
    children.set(parent, list);
  }
  const ordered: number[] = [];
  const visit = (pid: number): void => {
    for (const child of children.get(pid) ?? []) visit(child);
    if (!ordered.includes(pid)) ordered.push(pid);
  };
  for (const root of roots) visit(root);
  return ordered.filter((pid) => pid !== process.pid);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
export function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** SIGTERM, wait up to `graceMs`, then SIGKILL and wait for it to disappear. Resolves true if it had to SIGKILL. */
export async function terminate(pid: number, graceMs: number): Promise<boolean> {
  if (!isAlive(pid)) return false;
  signal(pid, 'SIGTERM');
  for (const start = Date.now(); Date.now() - start < graceMs;) {
    if (!isAlive(pid)) return false;
    await delay(50);
  }
  signal(pid, 'SIGKILL');
  for (const start = Date.now(); isAlive(pid) && Date.now() - start < 10_000;) await delay(50);
  return true;
}

/** The same as `terminate`, blocking: for process 'exit' handlers, where nothing asynchronous runs any more. */
export function terminateSync(pid: number, graceMs: number): void {
  if (!isAlive(pid)) return;
  signal(pid, 'SIGTERM');
  for (const start = Date.now(); Date.now() - start < graceMs;) {
    if (!isAlive(pid)) return;
    sleepSync(50);
  }
  signal(pid, 'SIGKILL');
  for (const start = Date.now(); isAlive(pid) && Date.now() - start < 10_000;) sleepSync(50);
}

export function killSync(pids: readonly number[]): void {
  for (const pid of pids) signal(pid, 'SIGKILL');
  for (const start = Date.now(); pids.some(isAlive) && Date.now() - start < 10_000;) sleepSync(50);
}

function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** Mount points at or under `dir`, deepest first. */
export function mountsUnder(dir: string): readonly string[] {
  let text: string;
  try {
    text = readFileSync('/proc/self/mounts', 'utf8');
  } catch {
    return [];
  }
  const points = text
    .split('\n')
    .map((line) => unescapeMountPath(line.split(' ')[1] ?? ''))
    .filter((point) => point === dir || point.startsWith(`${dir}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** Unmounts everything at or under `dir` (a mount may be stacked several times, so loop). */
export function unmountAllSync(dir: string): void {
  for (let round = 0; round < 5; round++) {
    const points = mountsUnder(dir);
    if (points.length === 0) return;
    for (const point of points) {
      const plain = spawnSync('umount', [point], { stdio: 'ignore' });
      if (plain.status !== 0) spawnSync('umount', ['-l', point], { stdio: 'ignore' });
    }
  }
}
