/**
 * The disk usage bench (run by test/bench/run.ts, `npm run bench`): /system/df is slow on engines with many images,
 * so the Disk view shows the fast parts (images.list, containers.list, volumes.list) first and the totals when
 * disk.usage arrives. On the bench lab (seeded with 1,000 extra images, plus the containers and volumes made here),
 * measured in the same run through the browser-mode server's HTTP API:
 *
 *   (a) disk.usage  /  raw GET /system/df on the engine socket (pairwise median)
 *   (b) images.list / GET /images/json, containers.list / GET /containers/json?all=1, volumes.list / GET /volumes
 *   (c) "the UI never blocks": the three fast calls fired together, as the Disk view does on opening, once alone and
 *       once while a disk.usage call is in flight; their latency in both cases, the time to the first and the last
 *       fast answer, and the time to the disk.usage answer. Also with a raw /system/df in flight on the socket, to
 *       tell the engine's own contention from the server's.
 *
 * The engine refuses a second /system/df while one runs, so df calls never overlap each other here.
 * Prints Markdown tables for BENCHMARKS.md.
 */
import { request } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { LabInfo } from '../lab/lab';
import { serveApp } from '../e2e/harness';
import { quantile, time } from './bench';

/** /system/df with 1,000 images takes a while: fewer runs than the list benches. */
const RUNS = Number(process.env.BENCH_DF_RUNS ?? 10);
const FAST_RUNS = Number(process.env.BENCH_RUNS ?? 30);
const CONTAINERS = Number(process.env.BENCH_DF_CONTAINERS ?? 40);
const VOLUMES = Number(process.env.BENCH_DF_VOLUMES ?? 20);
/** Every RUNNING_EVERY-th bench container keeps running; the others write their bytes and exit. */
const RUNNING_EVERY = 4;
const PREFIX = 'strata-bench-df';

interface RawAnswer {
  readonly status: number;
  readonly body: string;
}

function rawRequest(
  socketPath: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        socketPath,
        path,
        method,
        headers: payload === undefined ? {} : { 'content-type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function rawJson(socketPath: string, path: string): Promise<unknown> {
  const answer = await rawRequest(socketPath, 'GET', path);
  if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}: ${answer.body}`);
  return JSON.parse(answer.body) as unknown;
}

async function rawOk(socketPath: string, method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<string> {
  const answer = await rawRequest(socketPath, method, path, body);
  if (answer.status < 200 || answer.status >= 300) {
    throw new Error(`${method} ${path} answered ${answer.status}: ${answer.body}`);
  }
  return answer.body;
}

interface Api {
  call(method: string, args?: unknown): Promise<unknown>;
}

function apiClient(origin: string, token: string): Api {
  return {
    async call(method, args = {}) {
      const res = await fetch(`${origin}/api/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(args),
      });
      if (!res.ok) throw new Error(`${method} answered ${res.status}: ${await res.text()}`);
      return await res.json();
    },
  };
}

/** A method the server does not offer yet (unknown to this build) or whose handler is still a stub. */
const notReady = (error: unknown): boolean =>
  error instanceof Error && /Not implemented|answered 404/.test(error.message);

const lengthOf = (value: unknown, what: string): number => {
  if (!Array.isArray(value)) throw new Error(`${what} did not answer a list`);
  return value.length;
};

/**
 * Named volumes and containers on bench images: each container writes 64 KiB into its volume and 32 KiB into its
 * writable layer (so df has bytes to count); every RUNNING_EVERY-th keeps running, the rest exit. Network none, as
 * the lab engine has no bridge. Compose project labels group them like a real engine would.
 */
async function seedContainersAndVolumes(info: LabInfo): Promise<void> {
  const socket = info.socketPath;
  const images = (await rawJson(socket, '/images/json')) as { RepoTags?: string[] | null }[];
  const bench = images.flatMap((image) => image.RepoTags ?? []).filter((tag) => tag.startsWith('bench/img-'));
  if (bench.length === 0) throw new Error('the df bench needs the seeded bench/img-* images');
  for (let v = 0; v < VOLUMES; v += 1) {
    await rawOk(socket, 'POST', '/volumes/create', {
      Name: `${PREFIX}-vol-${String(v).padStart(3, '0')}`,
      Labels: { 'org.strata.bench': 'df' },
    });
  }
  const exiting: string[] = [];
  for (let c = 0; c < CONTAINERS; c += 1) {
    const running = c % RUNNING_EVERY === 0;
    const script =
      'head -c 65536 /dev/urandom > /data/blob-$(hostname); head -c 32768 /dev/urandom > /rw.bin' +
      (running ? '; exec sleep 100000' : '');
    const created = JSON.parse(
      await rawOk(socket, 'POST', `/containers/create?name=${PREFIX}-ctr-${String(c).padStart(3, '0')}`, {
        Image: bench[(c * 37) % bench.length],
        Cmd: ['sh', '-c', script],
        Labels: { 'org.strata.bench': 'df', 'com.docker.compose.project': `bench-project-${c % 4}` },
        HostConfig: {
          NetworkMode: 'none',
          Binds: VOLUMES > 0 ? [`${PREFIX}-vol-${String(c % VOLUMES).padStart(3, '0')}:/data`] : [],
        },
      }),
    ) as { Id: string };
    await rawOk(socket, 'POST', `/containers/${created.Id}/start`);
    if (!running) exiting.push(created.Id);
  }
  await Promise.all(exiting.map((id) => rawOk(socket, 'POST', `/containers/${id}/wait`)));
}

async function removeContainersAndVolumes(info: LabInfo): Promise<void> {
  const socket = info.socketPath;
  const filters = encodeURIComponent(JSON.stringify({ label: ['org.strata.bench=df'] }));
  const containers = (await rawJson(socket, `/containers/json?all=1&filters=${filters}`)) as { Id: string }[];
  for (const c of containers) await rawOk(socket, 'DELETE', `/containers/${c.Id}?force=1&v=1`);
  for (let v = 0; v < VOLUMES; v += 1) {
    await rawRequest(socket, 'DELETE', `/volumes/${PREFIX}-vol-${String(v).padStart(3, '0')}`);
  }
}

/** Pairwise timing, alternating which side goes first; returns each side's times and the pairwise ratios. */
async function pairs(
  runs: number,
  raw: () => Promise<unknown>,
  api: () => Promise<unknown>,
): Promise<{ raw: number[]; api: number[]; ratios: number[] }> {
  const out = { raw: [] as number[], api: [] as number[], ratios: [] as number[] };
  for (let i = 0; i < runs; i += 1) {
    let a: number;
    let b: number;
    if (i % 2 === 0) {
      a = await time(raw);
      b = await time(api);
    } else {
      b = await time(api);
      a = await time(raw);
    }
    out.raw.push(a);
    out.api.push(b);
    out.ratios.push(b / a);
  }
  return out;
}

async function serial(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i += 1) out.push(await time(fn));
  return out;
}

const FAST = ['images.list', 'containers.list', 'volumes.list'] as const;
type Fast = (typeof FAST)[number];

interface Opening {
  /** Each fast call's latency from the moment the view fired it (NaN for a method not measured). */
  readonly fast: Readonly<Record<Fast, number>>;
  readonly firstFast: number;
  readonly lastFast: number;
  /** The df answer (API or raw), NaN when no df ran. */
  readonly df: number;
}

/** Fires the three fast calls together, as the Disk view does, with `df` (if any) fired at the same moment. */
async function opening(api: Api, fast: readonly Fast[], df?: () => Promise<unknown>): Promise<Opening> {
  const start = performance.now();
  const since = (): number => performance.now() - start;
  const dfDone = df === undefined ? Promise.resolve(Number.NaN) : df().then(since);
  const fastDone = FAST.map((method) =>
    fast.includes(method) ? api.call(method).then(since) : Promise.resolve(Number.NaN),
  );
  const [dfMs, images = Number.NaN, containers = Number.NaN, volumes = Number.NaN] = await Promise.all([
    dfDone,
    ...fastDone,
  ]);
  const answered = [images, containers, volumes].filter((value) => !Number.isNaN(value));
  return {
    fast: { 'images.list': images, 'containers.list': containers, 'volumes.list': volumes },
    firstFast: Math.min(...answered),
    lastFast: Math.max(...answered),
    df: dfMs ?? Number.NaN,
  };
}

const ms = (value: number): string => (Number.isNaN(value) ? '—' : `${value.toFixed(1)} ms`);
const times = (value: number): string => `${value.toFixed(2)}`;

/** Measures /system/df and the Disk view's fast parts on a lab engine that is already seeded with many images. */
export async function benchDiskUsage(info: LabInfo): Promise<void> {
  const socket = info.socketPath;
  let stopApp: (() => Promise<void>) | undefined;
  const seedStart = performance.now();
  await seedContainersAndVolumes(info);
  console.log('');
  console.log(
    `Disk usage bench: ${CONTAINERS} containers (${Math.ceil(CONTAINERS / RUNNING_EVERY)} running) and ${VOLUMES} ` +
      `volumes made in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
  );
  try {
    const app = await serveApp(info.dockerHost);
    stopApp = app.stop;
    const api = apiClient(app.origin, app.token);

    const rawDf = (): Promise<unknown> => rawJson(socket, '/system/df');
    const apiDf = (): Promise<unknown> => api.call('disk.usage');
    const raws: Record<Fast, () => Promise<unknown>> = {
      'images.list': () => rawJson(socket, '/images/json'),
      'containers.list': () => rawJson(socket, '/containers/json?all=1'),
      'volumes.list': () => rawJson(socket, '/volumes'),
    };
    /** Every engine call each method makes (in parallel): a fair floor for its answer. */
    const rawParts: Record<Fast, () => Promise<unknown>> = {
      'images.list': () => Promise.all([raws['images.list'](), raws['containers.list']()]),
      'containers.list': raws['containers.list'],
      'volumes.list': () => Promise.all([raws['volumes.list'](), raws['containers.list']()]),
    };
    const partsNames: Record<Fast, string> = {
      'images.list': '/images/json + /containers/json?all=1',
      'containers.list': '/containers/json?all=1',
      'volumes.list': '/volumes + /containers/json?all=1',
    };
    const rawPaths: Record<Fast, string> = {
      'images.list': 'GET /images/json',
      'containers.list': 'GET /containers/json?all=1',
      'volumes.list': 'GET /volumes',
    };

    // Sanity: the service lists what the engine lists.
    const engineDf = (await rawDf()) as { Images?: unknown[]; Containers?: unknown[]; Volumes?: unknown[] };
    const imageCount = lengthOf(engineDf.Images, '/system/df Images');
    const containerCount = lengthOf(engineDf.Containers, '/system/df Containers');
    const volumeCount = lengthOf(engineDf.Volumes, '/system/df Volumes');
    const counts: Record<Fast, number> = {
      'images.list': imageCount,
      'containers.list': containerCount,
      'volumes.list': volumeCount,
    };
    const fast: Fast[] = [];
    for (const method of FAST) {
      try {
        const got = lengthOf(await api.call(method), method);
        if (got !== counts[method]) throw new Error(`${method} returned ${got} rows, the engine ${counts[method]}`);
        fast.push(method);
      } catch (error) {
        if (!notReady(error)) throw error;
        console.log(`${method} is not implemented in this build: only its raw engine call is measured.`);
      }
    }

    let diskReady = true;
    try {
      const usage = (await apiDf()) as { images?: unknown[]; containers?: unknown[]; volumes?: unknown[] };
      const got = [usage.images, usage.containers, usage.volumes].map((list, i) => lengthOf(list, `disk.usage[${i}]`));
      if (got.join() !== [imageCount, containerCount, volumeCount].join()) {
        throw new Error(
          `disk.usage listed ${got.join('/')} images/containers/volumes, the engine ${imageCount}/${containerCount}/${volumeCount}`,
        );
      }
    } catch (error) {
      if (!notReady(error)) throw error;
      diskReady = false;
      console.log('disk.usage is not implemented in this build: only the raw /system/df is measured.');
    }

    // Warm-up.
    for (let i = 0; i < 3; i += 1) {
      await rawDf();
      if (diskReady) await apiDf();
      for (const method of FAST) {
        await raws[method]();
        if (fast.includes(method)) await api.call(method);
      }
    }

    // (a)
    const df = diskReady ? await pairs(RUNS, rawDf, apiDf) : { raw: await serial(RUNS, rawDf), api: [], ratios: [] };

    // (b)
    const fastPairs = {} as Record<Fast, Awaited<ReturnType<typeof pairs>>>;
    const partsPairs = {} as Record<Fast, Awaited<ReturnType<typeof pairs>>>;
    for (const method of FAST) {
      if (fast.includes(method)) {
        fastPairs[method] = await pairs(FAST_RUNS, raws[method], () => api.call(method));
        if (rawParts[method] !== raws[method]) {
          partsPairs[method] = await pairs(FAST_RUNS, rawParts[method], () => api.call(method));
        }
      } else fastPairs[method] = { raw: await serial(FAST_RUNS, raws[method]), api: [], ratios: [] };
    }

    // (c) Alternate: alone, with disk.usage in flight, with a raw /system/df in flight.
    const alone: Opening[] = [];
    const withApiDf: Opening[] = [];
    const withRawDf: Opening[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const order = i % 2 === 0 ? ['alone', 'api', 'raw'] : ['raw', 'api', 'alone'];
      for (const kind of order) {
        if (kind === 'alone') alone.push(await opening(api, fast));
        else if (kind === 'raw') withRawDf.push(await opening(api, fast, rawDf));
        else if (diskReady) withApiDf.push(await opening(api, fast, apiDf));
      }
    }

    // Two /system/df at once: some engines refuse the second ("a disk usage operation is already running").
    const overlap = await Promise.all([
      rawRequest(socket, 'GET', '/system/df'),
      rawRequest(socket, 'GET', '/system/df'),
    ]);
    const overlapText = overlap
      .map((answer) => (answer.status === 200 ? '200' : `${answer.status} ${answer.body.trim().slice(0, 120)}`))
      .join('; ');
    const apiOverlap = diskReady
      ? (await Promise.allSettled([apiDf(), apiDf()]))
          .map((r) => (r.status === 'fulfilled' ? 'ok' : String(r.reason).slice(0, 160)))
          .join('; ')
      : 'not measured';

    const median = (values: readonly number[]): number => quantile(values, 0.5);
    const row = (figure: string, values: readonly number[], target = ''): string =>
      `| ${figure} | ${ms(median(values))} | ${ms(quantile(values, 0.9))} | ${target} |`;
    const ratioRow = (figure: string, ratios: readonly number[], target = ''): string =>
      `| ${figure} | ${times(median(ratios))} | ${times(quantile(ratios, 0.9))} | ${target} |`;

    const version = (await rawJson(socket, '/version')) as { Version?: string; ApiVersion?: string };
    const driver = ((await rawJson(socket, '/info')) as { Driver?: string }).Driver ?? '?';
    console.log(
      `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
        `Node ${process.version}, load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}; Docker Engine ${version.Version ?? '?'} (API ${version.ApiVersion ?? '?'}, ${driver})`,
    );
    console.log(
      `Engine: ${imageCount} images, ${containerCount} containers, ${volumeCount} volumes; ${RUNS} df runs, ` +
        `${FAST_RUNS} runs of each fast call, alternating`,
    );
    console.log('');
    console.log('| figure | median | p90 | target |');
    console.log('| --- | --- | --- | --- |');
    console.log(row('raw GET /system/df (engine socket)', df.raw));
    if (diskReady) {
      console.log(row('disk.usage via browser API', df.api));
      console.log(ratioRow('ratio disk.usage / raw /system/df (pairwise)', df.ratios, '≤ 1.2'));
    }
    for (const method of FAST) {
      const p = fastPairs[method];
      console.log(row(`raw ${rawPaths[method]}`, p.raw));
      if (!fast.includes(method)) continue;
      console.log(row(`${method} via browser API`, p.api));
      console.log(ratioRow(`ratio ${method} / raw (pairwise)`, p.ratios, '≤ 1.2'));
      const parts = partsPairs[method];
      if (parts !== undefined) {
        console.log(row(`raw ${partsNames[method]} in parallel (what ${method} asks the engine)`, parts.raw));
        console.log(ratioRow(`ratio ${method} / those raw calls (pairwise)`, parts.ratios, '≤ 1.2'));
      }
    }

    const scenarios: [string, readonly Opening[]][] = [
      ['alone', alone],
      ...(diskReady ? ([['disk.usage in flight', withApiDf]] as [string, readonly Opening[]][]) : []),
      ['raw /system/df in flight', withRawDf],
    ];
    console.log('');
    console.log('Opening the Disk view: the three fast calls fired together (medians; p90 in brackets)');
    console.log('');
    console.log(
      '| scenario | images.list | containers.list | volumes.list | first fast answer | last fast answer | df answer |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    const cell = (values: readonly number[]): string =>
      values.every((v) => Number.isNaN(v)) ? '—' : `${ms(median(values))} (${ms(quantile(values, 0.9))})`;
    for (const [name, runs] of scenarios) {
      console.log(
        `| ${name} | ${FAST.map((m) => cell(runs.map((r) => r.fast[m]))).join(' | ')} | ` +
          `${cell(runs.map((r) => r.firstFast))} | ${cell(runs.map((r) => r.lastFast))} | ${cell(runs.map((r) => r.df))} |`,
      );
    }
    const aloneLast = median(alone.map((r) => r.lastFast));
    console.log('');
    console.log('| scenario | last fast answer / alone (medians) | runs where every fast answer came before df |');
    console.log('| --- | --- | --- |');
    for (const [name, runs] of scenarios.slice(1)) {
      const before = runs.filter((r) => r.lastFast < r.df).length;
      console.log(`| ${name} | ${times(median(runs.map((r) => r.lastFast)) / aloneLast)} | ${before}/${runs.length} |`);
    }
    console.log('');
    console.log(`Two raw GET /system/df at the same moment answered: ${overlapText}`);
    console.log(`Two disk.usage calls at the same moment answered: ${apiOverlap}`);
  } finally {
    await stopApp?.();
    await removeContainersAndVolumes(info);
  }
}
