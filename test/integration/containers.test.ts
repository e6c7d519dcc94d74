/**
 * Containers on the lab engine: list (sizes, health, ports, mounts, compose project), inspect, every action,
 * actionMany, rename, run and changes. Every container made here is named `t-ctr-*`, labelled
 * `strata.test=containers`, and removed in afterAll; the seeded containers are only read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../shared/api';
import { StrataError } from '../../shared/errors';
import { labDocker, labInfo, type LabInfo } from '../lab/context';
import { serviceOn, type ServiceUnderTest } from './engine-helpers';

let lab: LabInfo;
let sut: ServiceUnderTest;
const TAG = `${process.pid}-${Date.now().toString(36)}`;
const LABEL = 'strata.test=containers';
const name = (what: string): string => `t-ctr-${what}-${TAG}`;

beforeAll(() => {
  lab = labInfo();
  sut = serviceOn(lab.dockerHost);
});

afterAll(async () => {
  const ids = (await labDocker(lab, ['ps', '-aq', '--filter', `label=${LABEL}`])).split('\n').filter(Boolean);
  if (ids.length > 0) await labDocker(lab, ['rm', '-f', '-v', ...ids]).catch(() => undefined);
  await labDocker(lab, ['volume', 'rm', '-f', name('vol')]).catch(() => undefined);
  await sut.close();
});

/** `docker create`/`run` of a test container, network none, labelled; resolves with its ID. */
async function make(what: string, args: readonly string[], run = false): Promise<string> {
  const out = await labDocker(lab, [
    run ? 'run' : 'create',
    ...(run ? ['-d'] : []),
    '--name',
    name(what),
    '--network',
    'none',
    '--label',
    LABEL,
    ...args,
  ]);
  return out.trim().split('\n').pop() ?? '';
}

async function stateOf(container: string): Promise<string> {
  return (await labDocker(lab, ['inspect', '-f', '{{.State.Status}}', container])).trim();
}

async function exists(container: string): Promise<boolean> {
  const out = await labDocker(lab, ['ps', '-aq', '--no-trunc', '--filter', `name=^/${container}$`]);
  return out.trim() !== '';
}

/** The error a promise rejects with (fails the test when it resolves). */
async function failure(promise: Promise<unknown>): Promise<StrataError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(StrataError);
    return error as StrataError;
  }
  throw new Error('expected a failure, got a result');
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

const h = () => sut.service.handlers;
const list = (size = false) => h()['containers.list']({ all: true, size });
const action = (args: Parameters<ReturnType<typeof h>['containers.action']>[0]) =>
  h()['containers.action'](api['containers.action'].args.parse(args));
const run = (args: unknown) => h()['containers.run'](api['containers.run'].args.parse(args));

describe('containers.list', () => {
  it('gives the writable layer size only when asked', async () => {
    await make('size', [lab.images.tool, 'sh', '-c', 'head -c 200000 /dev/zero > /filler']);
    await labDocker(lab, ['start', '-a', name('size')]);
    const plain = (await list()).find((c) => c.name === name('size'));
    expect(plain).toMatchObject({ sizeRw: null, sizeRootFs: null, state: 'exited' });
    const sized = (await list(true)).find((c) => c.name === name('size'));
    expect(sized?.sizeRw).toBeGreaterThanOrEqual(200_000);
    expect(sized?.sizeRootFs).toBeGreaterThan(sized?.sizeRw ?? 0);
    // Containers that wrote nothing report 0, not "unknown".
    const stopped = (await list(true)).find((c) => c.name === lab.containers.stopped);
    expect(stopped?.sizeRw).toBeTypeOf('number');
  });

  it('shows health from the healthcheck: starting, then healthy', async () => {
    await make(
      'health',
      [
        '--health-cmd',
        'true',
        '--health-interval',
        '1s',
        '--health-start-period',
        '0s',
        lab.images.tool,
        'sleep',
        '600',
      ],
      true,
    );
    const first = (await list()).find((c) => c.name === name('health'));
    expect(['starting', 'healthy']).toContain(first?.health);
    const later = await until(
      async () => (await list()).find((c) => c.name === name('health')),
      (c) => c?.health === 'healthy',
    );
    expect(later?.health).toBe('healthy');
    expect(later?.status).toMatch(/\(healthy\)/);
    const details = await h()['containers.inspect']({ container: name('health') });
    expect(details.health).toBe('healthy');
    // No healthcheck: null.
    expect((await list()).find((c) => c.name === lab.containers.running)?.health).toBeNull();
  });

  it('lists mounts, labels and the compose project', async () => {
    await labDocker(lab, ['volume', 'create', '--label', LABEL, name('vol')]);
    await make('mounts', [
      '-v',
      `${name('vol')}:/data:ro`,
      '--label',
      `com.docker.compose.project=t-ctr-proj-${TAG}`,
      '--label',
      'com.docker.compose.service=web',
      lab.images.tool,
    ]);
    const c = (await list()).find((x) => x.name === name('mounts'));
    expect(c?.composeProject).toBe(`t-ctr-proj-${TAG}`);
    expect(c?.labels['com.docker.compose.service']).toBe('web');
    expect(c?.mounts).toEqual([
      {
        type: 'volume',
        name: name('vol'),
        source: expect.stringContaining(name('vol')) as string,
        destination: '/data',
        readOnly: true,
      },
    ]);
    expect((await list()).find((x) => x.name === lab.containers.stopped)?.composeProject).toBeNull();
  });

  it('shows published and exposed ports in the details (this lab has no bridge, so the list has none live)', async () => {
    await make('ports', ['-p', '127.0.0.1:18080:80', '--expose', '90/udp', lab.images.tool, 'sleep', '600']);
    const details = await h()['containers.inspect']({ container: name('ports') });
    expect(details.ports).toEqual([
      { ip: '127.0.0.1', privatePort: 80, publicPort: 18080, type: 'tcp' },
      { ip: null, privatePort: 90, publicPort: null, type: 'udp' },
    ]);
  });
});

describe('containers.inspect', () => {
  it('gives the key fields of lab-stopped and the raw answer', async () => {
    const d = await h()['containers.inspect']({ container: lab.containers.stopped });
    expect(d).toMatchObject({ name: lab.containers.stopped, image: lab.images.app, state: 'exited', tty: false });
    expect(d.id).toMatch(/^[0-9a-f]{64}$/);
    expect(d.imageId).toMatch(/^sha256:/);
    expect(d.exitCode).toBe(0);
    expect(d.finishedAt).not.toBeNull();
    expect(d.workingDir).toBe('/app');
    expect((d.raw as { Id: string }).Id).toBe(d.id);
    const running = await h()['containers.inspect']({ container: lab.containers.running });
    expect(running).toMatchObject({ state: 'running', restartPolicy: 'always', networkMode: 'none', exitCode: 0 });
    expect(running.command).toEqual(['sleep', '100000']);
  });

  it('an unknown container is not_found, naming it', async () => {
    const error = await failure(h()['containers.inspect']({ container: 't-ctr-nothing-here' }));
    expect(error.code).toBe('not_found');
    expect(error.message).toBe('No container named t-ctr-nothing-here on this engine.');
  });
});

describe('containers.action', () => {
  it('start, stop, restart, pause, unpause, kill: the state follows, and no-ops say changed false', async () => {
    const c = name('life');
    await make('life', [lab.images.tool, 'sleep', '600']);
    expect(await action({ container: c, action: 'start' })).toEqual({ container: c, action: 'start', changed: true });
    expect(await stateOf(c)).toBe('running');
    expect((await action({ container: c, action: 'start' })).changed).toBe(false);

    expect((await action({ container: c, action: 'pause' })).changed).toBe(true);
    expect(await stateOf(c)).toBe('paused');
    const again = await failure(action({ container: c, action: 'pause' }));
    expect(again).toMatchObject({ code: 'conflict', message: `${c} is already paused.` });
    const start = await failure(action({ container: c, action: 'start' }));
    expect(start).toMatchObject({ code: 'conflict', message: `${c} is paused; unpause it instead of starting it.` });
    const remove = await failure(action({ container: c, action: 'remove' }));
    expect(remove.message).toBe(`${c} is paused; unpause and stop it first, or remove with force.`);

    expect((await action({ container: c, action: 'unpause' })).changed).toBe(true);
    expect(await stateOf(c)).toBe('running');
    const unpause = await failure(action({ container: c, action: 'unpause' }));
    expect(unpause).toMatchObject({ code: 'conflict', message: `${c} is not paused, so there is nothing to unpause.` });

    const startedBefore = (await h()['containers.inspect']({ container: c })).startedAt;
    expect((await action({ container: c, action: 'restart', timeoutSeconds: 0 })).changed).toBe(true);
    const afterRestart = await h()['containers.inspect']({ container: c });
    expect(afterRestart.state).toBe('running');
    expect(afterRestart.startedAt).not.toBe(startedBefore);

    const bad = await failure(action({ container: c, action: 'kill', signal: 'SIGNOPE' }));
    expect(bad.code).toBe('invalid_argument');
    expect(await stateOf(c)).toBe('running');

    expect((await action({ container: c, action: 'stop', timeoutSeconds: 1 })).changed).toBe(true);
    expect(await stateOf(c)).toBe('exited');
    expect((await action({ container: c, action: 'stop' })).changed).toBe(false);
    const pauseStopped = await failure(action({ container: c, action: 'pause' }));
    expect(pauseStopped.message).toBe(`${c} is not running, so it cannot be paused; start it first.`);
    const killStopped = await failure(action({ container: c, action: 'kill' }));
    expect(killStopped).toMatchObject({
      code: 'conflict',
      message: `${c} is not running, so there is nothing to kill; start it first.`,
    });

    await action({ container: c, action: 'start' });
    expect((await action({ container: c, action: 'kill', signal: 'SIGKILL' })).changed).toBe(true);
    const killed = await h()['containers.inspect']({ container: c });
    expect(killed.state).toBe('exited');
    expect(killed.exitCode).toBe(137);
  });

  it('stop waits the timeout, then kills (a process that ignores SIGTERM)', async () => {
    const c = name('stubborn');
    // sleep as PID 1 has no SIGTERM handler, so the kernel drops the signal: only the kill after the timeout ends it.
    await make('stubborn', [lab.images.tool, 'sleep', '600'], true);
    const t0 = Date.now();
    await action({ container: c, action: 'stop', timeoutSeconds: 2 });
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(1800);
    expect(await stateOf(c)).toBe('exited');
  });

  it('remove: a running container is refused without force, removed with it; removeVolumes takes its anonymous volume', async () => {
    const c = name('rm');
    await make('rm', ['-v', '/scratch', lab.images.tool, 'sleep', '600'], true);
    const volume = (await labDocker(lab, ['inspect', '-f', '{{range .Mounts}}{{.Name}}{{end}}', c])).trim();
    expect(volume).toMatch(/^[0-9a-f]{64}$/);

    const refused = await failure(action({ container: c, action: 'remove' }));
    expect(refused).toMatchObject({
      code: 'conflict',
      message: `${c} is running; stop it first or remove with force.`,
    });
    expect(await exists(c)).toBe(true);

    expect(await action({ container: c, action: 'remove', force: true, removeVolumes: true })).toEqual({
      container: c,
      action: 'remove',
      changed: true,
    });
    expect(await exists(c)).toBe(false);
    expect(await labDocker(lab, ['volume', 'ls', '-q'])).not.toContain(volume);

    const gone = await failure(action({ container: c, action: 'remove' }));
    expect(gone).toMatchObject({ code: 'not_found', message: `No container named ${c} on this engine.` });
  });

  it('remove without removeVolumes keeps the anonymous volume', async () => {
    const c = name('rmkeep');
    await make('rmkeep', ['-v', '/scratch', lab.images.tool]);
    const volume = (await labDocker(lab, ['inspect', '-f', '{{range .Mounts}}{{.Name}}{{end}}', c])).trim();
    await action({ container: c, action: 'remove' });
    expect(await exists(c)).toBe(false);
    expect(await labDocker(lab, ['volume', 'ls', '-q'])).toContain(volume);
    await labDocker(lab, ['volume', 'rm', volume]);
  });
});

describe('containers.actionMany', () => {
  it('runs every item, one result each, and a failure does not stop the rest', async () => {
    await make('many-a', [lab.images.tool, 'sleep', '600']);
    await make('many-b', [lab.images.tool, 'sleep', '600']);
    const results = await h()['containers.actionMany'](
      api['containers.actionMany'].args.parse({
        containers: [name('many-a'), 't-ctr-missing-one', name('many-b')],
        action: 'start',
      }),
    );
    expect(results).toEqual([
      { container: name('many-a'), ok: true, changed: true },
      {
        container: 't-ctr-missing-one',
        ok: false,
        error: expect.objectContaining({
          code: 'not_found',
          message: 'No container named t-ctr-missing-one on this engine.',
        }) as unknown,
      },
      { container: name('many-b'), ok: true, changed: true },
    ]);
    expect(await stateOf(name('many-a'))).toBe('running');
    expect(await stateOf(name('many-b'))).toBe('running');

    const removed = await h()['containers.actionMany'](
      api['containers.actionMany'].args.parse({
        containers: [name('many-a'), name('many-b')],
        action: 'remove',
        force: true,
      }),
    );
    expect(removed.every((r) => r.ok)).toBe(true);
    expect(await exists(name('many-a'))).toBe(false);
    expect(await exists(name('many-b'))).toBe(false);
  });
});

describe('containers.rename', () => {
  it('renames, and refuses a name in use with a clear message', async () => {
    const id = await make('old', [lab.images.tool]);
    const result = await h()['containers.rename']({ container: name('old'), name: name('new') });
    expect(result).toEqual({ id, name: name('new') });
    expect(await exists(name('new'))).toBe(true);
    expect(await exists(name('old'))).toBe(false);

    const taken = await failure(h()['containers.rename']({ container: name('new'), name: lab.containers.running }));
    expect(taken.code).toBe('conflict');
    expect(taken.message).toBe(
      `The name ${lab.containers.running} is already used by another container; pick another name, or rename or remove that container first.`,
    );
    expect(await exists(name('new'))).toBe(true);

    const same = await failure(h()['containers.rename']({ container: name('new'), name: name('new') }));
    expect(same).toMatchObject({
      code: 'invalid_argument',
      message: `${name('new')} is already named ${name('new')}.`,
    });

    const missing = await failure(h()['containers.rename']({ container: 't-ctr-nobody', name: name('x') }));
    expect(missing.code).toBe('not_found');
  });
});

describe('containers.run', () => {
  it('detached: creates and starts; env, labels, workdir, user, entrypoint, restart policy land in inspect', async () => {
    const result = await run({
      image: lab.images.tool,
      name: name('run-d'),
      entrypoint: ['sh', '-c'],
      command: ['sleep 600'],
      env: ['GREETING=hello world', 'EMPTY='],
      labels: { 'strata.test': 'containers', 'strata.note': '<b>text</b>' },
      workingDir: '/tmp',
      user: 'nobody',
      restartPolicy: 'on-failure',
      maxRetries: 3,
      ports: [{ containerPort: 80, hostPort: 18081, hostIp: '127.0.0.1' }],
    });
    expect(result).toMatchObject({ name: name('run-d'), exitCode: null });
    expect(result.id).toMatch(/^[0-9a-f]{64}$/);
    // The lab engine runs with --ip-forward=false: create accepts the port binding and warns; the warning comes back.
    expect(result.warnings.join('\n')).toMatch(/IPv4 forwarding is disabled/);
    const d = await h()['containers.inspect']({ container: result.id });
    expect(d.state).toBe('running');
    expect(d.entrypoint).toEqual(['sh', '-c']);
    expect(d.command).toEqual(['sleep 600']);
    expect(d.env).toEqual(expect.arrayContaining(['GREETING=hello world', 'EMPTY=']));
    expect(d.labels).toMatchObject({ 'strata.test': 'containers', 'strata.note': '<b>text</b>' });
    expect(d.workingDir).toBe('/tmp');
    expect(d.user).toBe('nobody');
    expect(d.restartPolicy).toBe('on-failure:3');
    expect(d.ports).toEqual([{ ip: '127.0.0.1', privatePort: 80, publicPort: 18081, type: 'tcp' }]);
    // The process really runs as nobody in /tmp.
    const ps = await labDocker(lab, ['exec', result.id, 'sh', '-c', 'id -u; pwd; echo "$GREETING"']);
    expect(ps.trim().split('\n')).toEqual(['65534', '/tmp', 'hello world']);
  });

  it('attached: waits for the exit and gives the exit code; the engine names an unnamed container', async () => {
    const result = await run({
      image: lab.images.tool,
      command: ['sh', '-c', 'sleep 1; exit 7'],
      labels: { 'strata.test': 'containers' },
      detach: false,
    });
    expect(result.exitCode).toBe(7);
    expect(result.name).toMatch(/^[a-z]+_[a-z]+\d*$/);
    expect(await stateOf(result.id)).toBe('exited');
  });

  it('attached with auto-remove: the exit code arrives and the container is gone', async () => {
    const result = await run({
      image: lab.images.tool,
      name: name('run-rm'),
      command: ['true'],
      labels: { 'strata.test': 'containers' },
      autoRemove: true,
      detach: false,
    });
    expect(result.exitCode).toBe(0);
    expect(
      await until(
        () => exists(name('run-rm')),
        (e) => !e,
      ),
    ).toBe(false);
  });

  it('volumes: a named volume read-only and an anonymous one land in the mounts', async () => {
    await labDocker(lab, ['volume', 'create', name('vol')]).catch(() => undefined);
    const result = await run({
      image: lab.images.tool,
      name: name('run-vol'),
      command: ['sleep', '600'],
      labels: { 'strata.test': 'containers' },
      volumes: [
        { source: name('vol'), target: '/data', readOnly: true },
        { source: '', target: '/scratch' },
      ],
    });
    const d = await h()['containers.inspect']({ container: result.id });
    const byDest = Object.fromEntries(d.mounts.map((m) => [m.destination, m]));
    expect(byDest['/data']).toMatchObject({ type: 'volume', name: name('vol'), readOnly: true });
    expect(byDest['/scratch']).toMatchObject({ type: 'volume', readOnly: false });
    expect(byDest['/scratch']?.name).toMatch(/^[0-9a-f]{64}$/);
    await action({ container: result.id, action: 'remove', force: true, removeVolumes: true });
  });

  it('a missing executable: a plain error, and nothing left behind', async () => {
    const before = await labDocker(lab, ['ps', '-aq', '--filter', `label=${LABEL}`]);
    const error = await failure(
      run({
        image: lab.images.tool,
        name: name('run-bad'),
        command: ['no-such-program'],
        labels: { 'strata.test': 'containers' },
      }),
    );
    expect(error.code).toBe('engine_error');
    expect(error.message).toBe(
      `The container from ${lab.images.tool} could not start: exec: "no-such-program": executable file not found in $PATH. Check the command and entrypoint.`,
    );
    expect(await exists(name('run-bad'))).toBe(false);
    expect(await labDocker(lab, ['ps', '-aq', '--filter', `label=${LABEL}`])).toBe(before);
  });

  it('a missing executable, attached and auto-removed: the same plain error, nothing left behind', async () => {
    const error = await failure(
      run({
        image: lab.images.tool,
        name: name('run-bad2'),
        command: ['/nope'],
        labels: { 'strata.test': 'containers' },
        autoRemove: true,
        detach: false,
      }),
    );
    expect(error.message).toMatch(/could not start: exec: "\/nope": .*no such file or directory/);
    expect(
      await until(
        () => exists(name('run-bad2')),
        (e) => !e,
      ),
    ).toBe(false);
  });

  it('an image that is not here is not_found and is not pulled', async () => {
    sut.requests.length = 0;
    const error = await failure(run({ image: 'lab/not-here:1.0', name: name('run-missing') }));
    expect(error).toMatchObject({
      code: 'not_found',
      message: 'Image lab/not-here:1.0 is not on this engine; pull it first.',
    });
    expect(sut.requests.some((r) => r.path.startsWith('/images/create'))).toBe(false);
    expect(sut.requests.some((r) => r.path.startsWith('/containers/create'))).toBe(false);
    expect(await exists(name('run-missing'))).toBe(false);
  });

  it('refuses auto-remove with a restart policy, and retries without on-failure, before any call', async () => {
    sut.requests.length = 0;
    const both = await failure(run({ image: lab.images.tool, autoRemove: true, restartPolicy: 'always' }));
    expect(both.code).toBe('invalid_argument');
    expect(both.message).toMatch(/Auto-remove cannot be combined with the restart policy "always"/);
    const retries = await failure(run({ image: lab.images.tool, restartPolicy: 'always', maxRetries: 2 }));
    expect(retries.code).toBe('invalid_argument');
    expect(sut.requests).toEqual([]);
  });

  it('a name in use: conflict, and the existing container is untouched', async () => {
    const error = await failure(run({ image: lab.images.tool, name: lab.containers.running }));
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(`The name ${lab.containers.running} is already used by another container`);
    expect(await stateOf(lab.containers.running)).toBe('running');
  });
});

describe('containers.changes', () => {
  it('lists added, changed and deleted paths', async () => {
    const c = name('changes');
    await make('changes', [lab.images.tool, 'sh', '-c', 'touch /new-file && rm /bin/tail && echo x >> /etc/passwd']);
    expect(await h()['containers.changes']({ container: c })).toEqual([]);
    await labDocker(lab, ['start', '-a', c]);
    const changes = await h()['containers.changes']({ container: c });
    expect(changes).toEqual(
      expect.arrayContaining([
        { path: '/new-file', kind: 'added' },
        { path: '/bin/tail', kind: 'deleted' },
        { path: '/etc/passwd', kind: 'changed' },
        { path: '/etc', kind: 'changed' },
      ]),
    );
    const missing = await failure(h()['containers.changes']({ container: 't-ctr-nobody' }));
    expect(missing.code).toBe('not_found');
  });
});
