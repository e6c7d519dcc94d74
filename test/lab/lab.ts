/**
 * The engine lab: a sandboxed dockerd and a registry v2 on loopback, both living in one temp dir, seeded with a small
 * deterministic set of images and containers. Used by the integration and e2e tests (through global-setup.ts), the
 * benchmark and `npm run serve:lab`.
 *
 * It never touches /var/run/docker.sock or any dockerd it did not start: every process it signals is either a pid it
 * recorded in `${dir}/lab.json` / the dockerd pidfile, or a containerd(-shim) whose command line names the lab dir.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  isAlive,
  killSync,
  labProcesses,
  processMentions,
  sleepSync,
  terminate,
  terminateSync,
  unmountAllSync,
} from './proc';
import { tarArchive, type TarEntry } from './tar';

export interface LabInfo {
  /** Temp dir holding everything the lab made. */
  readonly dir: string;
  /** The sandboxed dockerd's unix socket. */
  readonly socketPath: string;
  /** `unix://${socketPath}` */
  readonly dockerHost: string;
  /** `127.0.0.1:PORT`: a real registry v2 without TLS. */
  readonly registry: string;
  readonly images: {
    readonly base: 'lab/base:latest';
    readonly app: 'lab/app:1.0';
    readonly appTags: readonly ['lab/app:1.0', 'lab/app:latest', 'lab/app:stable'];
    readonly appDebug: 'lab/app-debug:1.0';
    readonly tool: 'lab/tool:1.0';
    readonly toolExtra: 'lab/tool-extra:1.0';
    /** `sha256:…` of an untagged image without children. */
    readonly danglingId: string;
  };
  readonly containers: {
    /** Created from lab/app:1.0, exited with code 0. */
    readonly stopped: 'lab-stopped';
    /** From lab/tool:1.0 running `sleep 100000`, network none, restart always (back up after an engine restart). */
    readonly running: 'lab-running';
  };
  /** Pushed to the lab registry and removed locally, so tests can pull them. */
  readonly remote: {
    readonly small: string;
    /** About 8 MB of incompressible data in one layer that exists only in the registry. */
    readonly big: string;
  };
}

/** The seeded tags (the dangling image's ID is only known once it is built). */
const LAB_IMAGES = {
  base: 'lab/base:latest',
  app: 'lab/app:1.0',
  appTags: ['lab/app:1.0', 'lab/app:latest', 'lab/app:stable'],
  appDebug: 'lab/app-debug:1.0',
  tool: 'lab/tool:1.0',
  toolExtra: 'lab/tool-extra:1.0',
} as const;

function remoteImages(registry: string): LabInfo['remote'] {
  return { small: `${registry}/lab/remote:1.0`, big: `${registry}/lab/big:1.0` };
}

export interface Lab {
  readonly info: LabInfo;
  /** Stops dockerd, its containers and the registry, unmounts and removes the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartLabOptions {
  /** Seed images, containers and registry content. Default true. */
  readonly seed?: boolean;
  /** Use this (empty or missing, short) dir instead of a fresh /tmp/strata-lab-XXXXXX. */
  readonly dir?: string;
}

/** What a lab records about itself, so another process can stop, restart or kill its engine. */
interface LabState {
  readonly version: 1;
  readonly ownerPid: number;
  readonly dir: string;
  readonly docker: string;
  readonly dockerd: { readonly argv: readonly string[]; readonly pidfile: string; readonly log: string };
  readonly registry: { readonly pid: number; readonly port: number; readonly config: string } | null;
  readonly info: LabInfo | null;
}

const LAB_PREFIX = 'strata-lab-';
const TMP = '/tmp';
const MAX_SOCKET_PATH = 107;

// ---------------------------------------------------------------------------------------------------------------
// Host tools

interface Tools {
  readonly dockerd: string;
  readonly docker: string;
  readonly registry: string;
  readonly busybox: string;
}

function firstExisting(paths: readonly string[]): string | undefined {
  return paths.find((path) => existsSync(path));
}

/** True when the ELF file has no PT_INTERP program header, i.e. it is statically linked. */
function isStaticElf(path: string): boolean {
  try {
    const elf = readFileSync(path);
    if (elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2) return false; // 64-bit ELF only
    const phoff = Number(elf.readBigUInt64LE(0x20));
    const phentsize = elf.readUInt16LE(0x36);
    const phnum = elf.readUInt16LE(0x38);
    for (let i = 0; i < phnum; i++) if (elf.readUInt32LE(phoff + i * phentsize) === 3) return false;
    return true;
  } catch {
    return false;
  }
}

function findTools(): { readonly tools: Partial<Tools>; readonly missing: readonly string[] } {
  const dockerd = firstExisting(['/usr/sbin/dockerd', '/usr/bin/dockerd']);
  // /usr/bin/docker is the CLI that matches the Debian engine; a newer one may come first on PATH.
  const docker = firstExisting(['/usr/bin/docker', '/usr/local/bin/docker']);
  const registry = firstExisting(['/usr/bin/docker-registry']);
  const busybox = ['/usr/bin/busybox', '/bin/busybox'].find((path) => existsSync(path) && isStaticElf(path));
  const missing: string[] = [];
  if (!dockerd || !docker) missing.push('docker.io');
  if (!registry) missing.push('docker-registry');
  if (!busybox) missing.push('busybox-static');
  return { tools: { dockerd, docker, registry, busybox }, missing };
}

let aptUpdated = false;

/** Installs docker.io, docker-registry and busybox-static with apt-get when they are missing. */
export function ensureTools(): Tools {
  const first = findTools();
  if (first.missing.length > 0) {
    const list = first.missing.join(' ');
    if (process.getuid?.() !== 0) throw new Error(`the engine lab needs root to install ${list} with apt-get`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (!aptUpdated) {
      const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
      if (update.status !== 0) throw new Error(`apt-get update failed while installing ${list}`);
      aptUpdated = true;
    }
    const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...first.missing], {
      stdio: 'inherit',
      env,
    });
    if (install.status !== 0) throw new Error(`apt-get install ${list} failed`);
  }
  const { tools, missing } = findTools();
  if (missing.length > 0 || !tools.dockerd || !tools.docker || !tools.registry || !tools.busybox) {
    throw new Error(`the engine lab cannot find ${missing.join(', ')} even after apt-get install`);
  }
  return { dockerd: tools.dockerd, docker: tools.docker, registry: tools.registry, busybox: tools.busybox };
}

// ---------------------------------------------------------------------------------------------------------------
// State file

function statePath(dir: string): string {
  return join(dir, 'lab.json');
}

function readStateSync(dir: string): LabState | undefined {
  try {
    return JSON.parse(readFileSync(statePath(dir), 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

async function readState(dir: string): Promise<LabState> {
  try {
    return JSON.parse(await readFile(statePath(dir), 'utf8')) as LabState;
  } catch (error) {
    throw new Error(`no engine lab recorded in ${dir}: ${(error as Error).message}`, { cause: error });
  }
}

async function writeState(state: LabState): Promise<void> {
  await writeFile(statePath(state.dir), `${JSON.stringify(state, null, 2)}\n`);
}

function readPidfileSync(pidfile: string): number {
  try {
    const pid = Number(readFileSync(pidfile, 'utf8').trim());
    return Number.isInteger(pid) ? pid : -1;
  } catch {
    return -1;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The docker CLI against a lab

function cliEnv(dir: string, socketPath: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_API_VERSION']) delete env[key];
  return {
    ...env,
    DOCKER_HOST: `unix://${socketPath}`,
    DOCKER_CONFIG: join(dir, 'cli'),
    DOCKER_BUILDKIT: '0',
    DOCKER_CLI_HINTS: 'false',
  };
}

export interface LabDockerOptions {
  /** Aborting kills the CLI process (the engine then cancels what it was doing for it, e.g. a pull). */
  readonly signal?: AbortSignal;
}

function runDocker(
  docker: string,
  dir: string,
  socketPath: string,
  args: readonly string[],
  options: LabDockerOptions = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      docker,
      ['-H', `unix://${socketPath}`, ...args],
      { env: cliEnv(dir, socketPath), maxBuffer: 64 * 1024 * 1024, signal: options.signal },
      (error, stdout, stderr) => {
        if (error) {
          const detail = stderr.trim() || stdout.trim() || error.message;
          reject(new Error(`docker ${args.join(' ')} failed: ${detail}`, { cause: error }));
        } else {
          resolve(stdout);
        }
      },
    );
  });
}

/** Runs the docker CLI (the one matching the lab engine) against the lab socket; resolves with stdout. */
export async function labDockerCli(
  info: LabInfo,
  args: readonly string[],
  options: LabDockerOptions = {},
): Promise<string> {
  const state = await readState(info.dir);
  return runDocker(state.docker, info.dir, info.socketPath, args, options);
}

// ---------------------------------------------------------------------------------------------------------------
// dockerd

function ping(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpRequest({ socketPath, path: '/_ping', method: 'GET', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

function tailOf(path: string, lines: number): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * The containerd that the lab's dockerd started (it follows dockerd when that dies). Waits for it to go and kills
 * it if it lingers, so a restarted dockerd never tries to adopt a containerd that is shutting down.
 */
async function reapContainerd(dir: string): Promise<void> {
  const pidfile = join(dir, 'exec', 'containerd', 'containerd.pid');
  const pid = readPidfileSync(pidfile);
  if (processMentions(pid, dir)) await terminate(pid, 5000);
  // dockerd adopts any containerd whose pid still answers kill(pid, 0), zombies included (an orphaned containerd is
  // not always reaped at once), and then times out waiting for its socket. Without the pidfile it starts a fresh one.
  await rm(pidfile, { force: true });
}

/** Spawns dockerd from the recorded argv and resolves once GET /_ping answers. */
async function launchDockerd(state: LabState, socketPath: string, timeoutMs = 60_000): Promise<void> {
  const { argv, pidfile, log } = state.dockerd;
  const previous = readPidfileSync(pidfile);
  if (processMentions(previous, state.dir)) {
    if (await ping(socketPath)) return; // already up: starting is idempotent
    throw new Error(`the lab engine (pid ${previous}) is running but does not answer on ${socketPath}`);
  }
  await reapContainerd(state.dir);
  // A dockerd that was killed leaves its pidfile and socket behind; dockerd refuses to start over the pidfile.
  await rm(pidfile, { force: true });
  await rm(socketPath, { force: true });
  const logFile = await open(log, 'a');
  let exited: string | undefined;
  try {
    const [program, ...args] = argv;
    if (!program) throw new Error('empty dockerd argv');
    const child = spawn(program, args, {
      detached: true,
      stdio: ['ignore', logFile.fd, logFile.fd],
      env: { PATH: `/usr/sbin:/usr/bin:/sbin:/bin:${process.env.PATH ?? ''}`, HOME: state.dir, LANG: 'C' },
    });
    child.on('exit', (code, sig) => {
      exited = `dockerd exited (${sig ?? `code ${code}`})`;
    });
    child.on('error', (error) => {
      exited = `dockerd could not be started: ${error.message}`;
    });
    child.unref();
    // dockerd writes its pidfile only once it is up; until then this is how cleanup finds it.
    if (child.pid) writeFileSync(spawnedPidfile(state.dir), `${child.pid}\n`);
  } finally {
    await logFile.close();
  }
  for (const start = Date.now(); Date.now() - start < timeoutMs;) {
    if (exited) throw new Error(`${exited}: ${tailOf(log, 1)}\nlast log lines:\n${tailOf(log, 8)}`);
    if (await ping(socketPath)) return;
    await delay(100);
  }
  throw new Error(
    `dockerd did not answer on ${socketPath} within ${timeoutMs / 1000}s: ${tailOf(log, 1)}\nlog:\n${tailOf(log, 8)}`,
  );
}

function spawnedPidfile(dir: string): string {
  return join(dir, 'dockerd.spawned.pid');
}

function dockerdPid(state: LabState): number {
  const pid = readPidfileSync(state.dockerd.pidfile);
  return processMentions(pid, state.dir) ? pid : -1;
}

/** SIGTERM to the lab's dockerd, SIGKILL if it is still there after `graceMs`; resolves when it is gone. */
export async function stopLabEngine(info: LabInfo, graceMs = 20_000): Promise<void> {
  const state = await readState(info.dir);
  const pid = dockerdPid(state);
  if (pid > 0) await terminate(pid, graceMs);
  await reapContainerd(info.dir);
}

/** Starts the lab's dockerd again (same data root, socket and flags); resolves when it answers. */
export async function startLabEngine(info: LabInfo): Promise<void> {
  const state = await readState(info.dir);
  await launchDockerd(state, info.socketPath);
}

/** SIGKILL to the lab's dockerd (containers and shims survive, as after a real crash). */
export async function killLabEngine(info: LabInfo): Promise<void> {
  const state = await readState(info.dir);
  const pid = dockerdPid(state);
  if (pid <= 0) return;
  process.kill(pid, 'SIGKILL');
  for (const start = Date.now(); isAlive(pid) && Date.now() - start < 10_000;) await delay(50);
}

// ---------------------------------------------------------------------------------------------------------------
// Registry

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The status a registry on 127.0.0.1:`port` answers to GET /v2/ (0 when nothing answers). */
export function registryStatus(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/v2/', method: 'GET', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** Starts `docker-registry serve <config>` detached, logging to `log`; stop it by its pid. */
export async function spawnRegistry(
  program: string,
  config: string,
  log: string,
  home: string,
): Promise<{ readonly pid: number; readonly exited: () => boolean }> {
  const logFile = await open(log, 'a');
  let exited = false;
  try {
    const child = spawn(program, ['serve', config], {
      detached: true,
      stdio: ['ignore', logFile.fd, logFile.fd],
      env: { PATH: '/usr/bin:/bin', HOME: home, LANG: 'C' },
    });
    child.on('exit', () => {
      exited = true;
    });
    child.on('error', () => {
      exited = true;
    });
    child.unref();
    return { pid: child.pid ?? -1, exited: () => exited };
  } finally {
    await logFile.close();
  }
}

async function launchRegistry(dir: string, program: string): Promise<{ pid: number; port: number; config: string }> {
  const root = join(dir, 'registry');
  await mkdir(join(root, 'data'), { recursive: true });
  const config = join(root, 'config.yml');
  const log = join(root, 'registry.log');
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    await writeFile(
      config,
      [
        'version: 0.1',
        'log:',
        '  level: warn',
        '  accesslog:',
        '    disabled: true',
        'storage:',
        '  filesystem:',
        `    rootdirectory: ${join(root, 'data')}`,
        '  delete:',
        '    enabled: true',
        'http:',
        `  addr: 127.0.0.1:${port}`,
        `  secret: ${sha256Hex(`${dir}:${port}`)}`,
        '',
      ].join('\n'),
    );
    const { pid, exited } = await spawnRegistry(program, config, log, dir);
    for (const start = Date.now(); !exited() && Date.now() - start < 20_000;) {
      if ((await registryStatus(port)) === 200) return { pid, port, config };
      await delay(100);
    }
    lastError = tailOf(log, 5);
    if (isAlive(pid)) await terminate(pid, 2000);
  }
  throw new Error(`docker-registry did not start: ${lastError}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Seeding

const BUSYBOX_APPLETS = [
  'sh',
  'ls',
  'cat',
  'echo',
  'sleep',
  'true',
  'false',
  'env',
  'id',
  'mkdir',
  'rm',
  'cp',
  'mv',
  'head',
  'tail',
  'dd',
  'wc',
  'grep',
  'touch',
  'date',
  'uname',
  'hostname',
  'ps',
  'printf',
];

/** A minimal busybox rootfs as one tar; the same busybox binary always gives the same bytes. */
export function busyboxRootfsTar(busybox: string): Buffer {
  const entries: TarEntry[] = [
    { type: 'dir', path: 'bin' },
    { type: 'file', path: 'bin/busybox', data: readFileSync(busybox), mode: 0o755 },
    ...BUSYBOX_APPLETS.map((applet): TarEntry => ({ type: 'symlink', path: `bin/${applet}`, target: 'busybox' })),
    { type: 'dir', path: 'dev' },
    { type: 'dir', path: 'etc' },
    { type: 'file', path: 'etc/passwd', data: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n' },
    { type: 'file', path: 'etc/group', data: 'root:x:0:\nnogroup:x:65534:\n' },
    { type: 'dir', path: 'proc' },
    { type: 'dir', path: 'root', mode: 0o700 },
    { type: 'dir', path: 'sys' },
    { type: 'dir', path: 'tmp', mode: 0o1777 },
  ];
  return tarArchive(entries, { mtime: 1_700_000_000 });
}

const DOCKERFILES = {
  app: [
    'FROM lab/base:latest',
    'LABEL org.opencontainers.image.title="Lab app" org.opencontainers.image.version="1.0"',
    "RUN mkdir -p /app && echo 'lab app 1.0' > /app/version.txt",
    'WORKDIR /app',
    'CMD ["cat", "/app/version.txt"]',
  ],
  appDebug: [
    'FROM lab/app:1.0',
    'ENV LAB_DEBUG=1',
    "RUN echo 'debug build' > /app/debug.txt",
    'CMD ["cat", "/app/debug.txt"]',
  ],
  tool: [
    'FROM lab/base:latest',
    'LABEL org.opencontainers.image.title="Lab tool"',
    "RUN mkdir -p /opt/tool && echo 'lab tool 1.0' > /opt/tool/version.txt",
  ],
  toolExtra: ['FROM lab/tool:1.0', "RUN echo 'extra plugin' > /opt/tool/extra.txt"],
  scratchpadOld: ['FROM lab/base:latest', "RUN echo 'scratchpad, first draft' > /scratchpad.txt"],
  scratchpadNew: ['FROM lab/base:latest', "RUN echo 'scratchpad, second draft' > /scratchpad.txt"],
  remote: [
    'FROM lab/base:latest',
    'LABEL org.opencontainers.image.title="Lab remote"',
    "RUN echo 'pulled from the lab registry' > /remote.txt",
  ],
  big: ['FROM lab/base:latest', 'RUN dd if=/dev/urandom of=/big.bin bs=1048576 count=8 2>/dev/null'],
} as const;

async function seed(state: LabState, socketPath: string, registry: string, busybox: string): Promise<LabInfo> {
  const docker = (args: readonly string[]): Promise<string> => runDocker(state.docker, state.dir, socketPath, args);
  const seedDir = join(state.dir, 'seed');
  await mkdir(seedDir, { recursive: true });
  const build = async (name: keyof typeof DOCKERFILES, tags: readonly string[]): Promise<string> => {
    const context = join(seedDir, name);
    await mkdir(context, { recursive: true });
    await writeFile(join(context, 'Dockerfile'), `${DOCKERFILES[name].join('\n')}\n`);
    const out = await docker(['build', '-q', '--rm', '--force-rm', ...tags.flatMap((tag) => ['-t', tag]), context]);
    return out.trim().split('\n').pop() ?? '';
  };

  const baseTar = join(seedDir, 'base.tar');
  await writeFile(baseTar, busyboxRootfsTar(busybox));
  await docker([
    'import',
    '--change',
    'ENV PATH=/bin',
    '--change',
    'CMD ["/bin/sh"]',
    '--change',
    'LABEL org.opencontainers.image.title="Lab base"',
    '--message',
    'strata lab busybox rootfs',
    baseTar,
    'lab/base:latest',
  ]);

  const images = LAB_IMAGES;
  const remote = remoteImages(registry);

  const appBranch = async (): Promise<void> => {
    await build('app', images.appTags);
    await build('appDebug', [images.appDebug]);
  };
  const toolBranch = async (): Promise<void> => {
    await build('tool', [images.tool]);
    await build('toolExtra', [images.toolExtra]);
  };
  const scratchpad = async (): Promise<string> => {
    const first = await build('scratchpadOld', ['lab/scratchpad:1']);
    await build('scratchpadNew', ['lab/scratchpad:1']);
    return first;
  };
  const publish = async (name: 'remote' | 'big', ref: string): Promise<void> => {
    await build(name, [ref]);
    await docker(['push', ref]);
    await docker(['rmi', ref]);
  };
  const [, , danglingId] = await Promise.all([appBranch(), toolBranch(), scratchpad()]);
  await Promise.all([publish('remote', remote.small), publish('big', remote.big)]);

  await docker(['run', '--name', 'lab-stopped', '--network', 'none', images.app]);
  // With docker-init (tini) as pid 1 the container stops at once on SIGTERM; busybox sleep as pid 1 ignores it.
  const init = firstExisting(['/usr/bin/docker-init', '/usr/libexec/docker/docker-init']) ? ['--init'] : [];
  await docker([
    'run',
    '-d',
    '--name',
    'lab-running',
    '--network',
    'none',
    ...init,
    '--restart',
    'always',
    images.tool,
    'sleep',
    '100000',
  ]);

  if (!danglingId.startsWith('sha256:')) throw new Error(`unexpected image id from docker build: ${danglingId}`);
  return {
    dir: state.dir,
    socketPath,
    dockerHost: `unix://${socketPath}`,
    registry,
    images: { ...images, danglingId },
    containers: { stopped: 'lab-stopped', running: 'lab-running' },
    remote,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Cleanup

const activeLabs = new Set<string>();
let handlersInstalled = false;

function recordedPids(state: LabState | undefined, dir: string): readonly number[] {
  const dockerd = [
    readPidfileSync(state?.dockerd.pidfile ?? join(dir, 'dockerd.pid')),
    readPidfileSync(spawnedPidfile(dir)),
  ];
  return [...dockerd, state?.registry?.pid ?? -1];
}

/**
 * Stops everything a lab started and removes its dir, blocking (usable from a process 'exit' handler):
 * dockerd gets SIGTERM (so it stops its containers and containerd), then whatever is left is killed.
 */
export function destroyLabSync(dir: string): void {
  const state = readStateSync(dir);
  const [dockerd = -1, spawned = -1, registry = -1] = recordedPids(state, dir);
  for (const pid of new Set([dockerd, spawned])) if (processMentions(pid, dir)) terminateSync(pid, 20_000);
  if (processMentions(registry, dir)) terminateSync(registry, 3000);
  killSync(labProcesses(dir, recordedPids(state, dir)));
  unmountAllSync(dir);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      break;
    } catch {
      sleepSync(200);
      unmountAllSync(dir);
    }
  }
  activeLabs.delete(dir);
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const dir of [...activeLabs]) destroyLabSync(dir);
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      for (const dir of [...activeLabs]) destroyLabSync(dir);
      process.removeListener(sig, onSignal);
      // Let whoever else listens decide; if nobody does, die the way the signal asks.
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

/**
 * Removes labs left behind by crashed runs: only when the process that owned the lab is gone, and then signals only
 * the pids that lab recorded (and the containerd/shims it started) after checking they still name its dir.
 */
export function removeStaleLabs(): void {
  let names: string[];
  try {
    names = readdirSync(TMP).filter((name) => name.startsWith(LAB_PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = join(TMP, name);
    if (activeLabs.has(dir)) continue;
    const state = readStateSync(dir);
    if (state) {
      if (state.dir !== dir || isAlive(state.ownerPid)) continue;
    } else {
      // No record (crashed before writing it): only when it is old and nothing of it runs any more.
      try {
        if (Date.now() - statSync(dir).mtimeMs < 10 * 60_000) continue;
      } catch {
        continue;
      }
      if (labProcesses(dir, recordedPids(undefined, dir)).length > 0) continue;
    }
    destroyLabSync(dir);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Start

function dockerdArgv(dockerd: string, dir: string, socketPath: string, storageDriver: string): readonly string[] {
  return [
    dockerd,
    `--data-root=${join(dir, 'data')}`,
    `--exec-root=${join(dir, 'exec')}`,
    `--host=unix://${socketPath}`,
    `--pidfile=${join(dir, 'dockerd.pid')}`,
    // Own (empty) daemon.json: the host's /etc/docker/daemon.json must not leak in; key.json lands next to it.
    `--config-file=${join(dir, 'daemon.json')}`,
    `--storage-driver=${storageDriver}`,
    '--bridge=none',
    '--iptables=false',
    '--ip6tables=false',
    '--ip-forward=false',
    '--ip-masq=false',
    '--userland-proxy=false',
    '--shutdown-timeout=5',
    '--log-level=info',
  ];
}

/** Starts a lab: dockerd + registry in a fresh temp dir, seeded unless `seed: false`. */
export async function startLab(options: StartLabOptions = {}): Promise<Lab> {
  const tools = ensureTools();
  if (process.getuid?.() !== 0) throw new Error('the engine lab must run as root (it starts its own dockerd)');
  installExitHandlers();
  removeStaleLabs();

  let dir: string;
  if (options.dir) {
    dir = options.dir;
    await mkdir(dir, { recursive: true });
    if (readdirSync(dir).length > 0) throw new Error(`lab dir ${dir} is not empty`);
  } else {
    dir = mkdtempSync(join(TMP, LAB_PREFIX));
  }
  const socketPath = join(dir, 'docker.sock');
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) throw new Error(`lab dir too long for a socket: ${dir}`);
  activeLabs.add(dir);

  const stop = (): Promise<void> => {
    if (activeLabs.has(dir) || existsSync(dir)) destroyLabSync(dir);
    return Promise.resolve();
  };

  try {
    await writeFile(join(dir, 'daemon.json'), '{}\n');
    await mkdir(join(dir, 'cli'), { recursive: true });
    await writeFile(join(dir, 'cli', 'config.json'), '{}\n');
    let state: LabState = {
      version: 1,
      ownerPid: process.pid,
      dir,
      docker: tools.docker,
      dockerd: {
        argv: dockerdArgv(tools.dockerd, dir, socketPath, 'overlay2'),
        pidfile: join(dir, 'dockerd.pid'),
        log: join(dir, 'dockerd.log'),
      },
      registry: null,
      info: null,
    };
    await writeState(state);
    try {
      await launchDockerd(state, socketPath);
    } catch (overlayError) {
      // overlay2 needs kernel support that some CI containers lack; vfs always works (slower, more disk).
      const pid = dockerdPid(state);
      if (pid > 0) await terminate(pid, 5000);
      unmountAllSync(join(dir, 'data'));
      await rm(join(dir, 'data'), { recursive: true, force: true });
      await rm(join(dir, 'exec'), { recursive: true, force: true });
      state = { ...state, dockerd: { ...state.dockerd, argv: dockerdArgv(tools.dockerd, dir, socketPath, 'vfs') } };
      await writeState(state);
      try {
        await launchDockerd(state, socketPath);
      } catch (vfsError) {
        throw new Error(
          `dockerd would not start with overlay2 (${(overlayError as Error).message}) nor vfs (${(vfsError as Error).message})`,
          { cause: vfsError },
        );
      }
    }
    const registry = await launchRegistry(dir, tools.registry);
    state = { ...state, registry };
    await writeState(state);
    const registryAddress = `127.0.0.1:${registry.port}`;

    const info: LabInfo =
      options.seed === false
        ? {
            dir,
            socketPath,
            dockerHost: `unix://${socketPath}`,
            registry: registryAddress,
            images: { ...LAB_IMAGES, danglingId: '' },
            containers: { stopped: 'lab-stopped', running: 'lab-running' },
            remote: remoteImages(registryAddress),
          }
        : await seed(state, socketPath, registryAddress, tools.busybox);
    await writeState({ ...state, info });
    return { info, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The LabInfo a running lab recorded in its dir (for tools that attach to a lab started elsewhere). */
export async function readLabInfo(dir: string): Promise<LabInfo> {
  const state = await readState(dir);
  if (!state.info) throw new Error(`the lab in ${dir} has not finished starting`);
  return state.info;
}

/** sha256 hex of a buffer; shared by the lab and the benchmark seeding. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
