import { describe, expect, it } from 'vitest';
import { api } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import { actionRequest, exitCodeOf } from './actions';
import { checkRunArgs, createBody, portsOfInspect, toContainerDetails, toFileChanges } from './details';
import { runningInspect, stoppedInspect } from '../../../test/fixtures/containers';
import { containerError, startFailureReason } from '../core/operation-errors';

const runArgs = (args: unknown) => api['containers.run'].args.parse(args);

function thrown(fn: () => unknown): StrataError {
  try {
    fn();
  } catch (error) {
    if (error instanceof StrataError) return error;
    throw error;
  }
  throw new Error('expected a StrataError');
}

describe('actionRequest', () => {
  it('builds each action as the engine takes it', () => {
    expect(actionRequest('web', 'start', {})).toEqual({ method: 'POST', path: '/containers/web/start' });
    expect(actionRequest('/web', 'stop', { timeoutSeconds: 3 })).toEqual({
      method: 'POST',
      path: '/containers/web/stop',
      query: { t: 3 },
    });
    expect(actionRequest('web', 'restart', {})).toEqual({
      method: 'POST',
      path: '/containers/web/restart',
      query: undefined,
    });
    expect(actionRequest('web', 'kill', { signal: 'SIGHUP' })).toEqual({
      method: 'POST',
      path: '/containers/web/kill',
      query: { signal: 'SIGHUP' },
    });
    expect(actionRequest('web', 'remove', { force: true, removeVolumes: true })).toEqual({
      method: 'DELETE',
      path: '/containers/web',
      query: { force: true, v: true },
    });
    expect(actionRequest('web', 'remove', {}).query).toEqual({ force: false, v: false });
  });

  it('refuses a name that could smuggle a query into the path', () => {
    expect(() => actionRequest('web?force=1', 'remove', {})).toThrow(StrataError);
  });
});

describe('toContainerDetails', () => {
  it('maps a recorded inspect of a running container with health, ports, mounts and a restart policy', () => {
    const d = toContainerDetails('default', runningInspect);
    expect(d).toMatchObject({
      engineId: 'default',
      id: '6dc730743782cff1487d3c0f41ae9e419fd9a62d99cfff898abaa6640a50e61c',
      name: 'fx-web',
      image: 'lab/tool:1.0',
      imageId: 'sha256:2bc5992b6936809c38bb71d64920066aa885c35d08c6cbd9eac427a58b2793a4',
      state: 'running',
      startedAt: '2026-11-25T03:50:08.376097451Z',
      finishedAt: null,
      exitCode: 0,
      error: null,
      health: 'healthy',
      tty: false,
      entrypoint: ['sh'],
      command: ['-c', 'echo hi > /tmp/x; sleep 600'],
      env: ['A=1', 'PATH=/bin'],
      workingDir: '/tmp',
      user: 'nobody',
      restartPolicy: 'on-failure:3',
      autoRemove: false,
      networkMode: 'none',
      labels: { 'com.docker.compose.project': 'shop' },
    });
    // No network: nothing is live, so the configured binding and the exposed-only port are shown.
    expect(d.ports).toEqual([
      { ip: '127.0.0.1', privatePort: 80, publicPort: 8080, type: 'tcp' },
      { ip: null, privatePort: 90, publicPort: null, type: 'udp' },
    ]);
    expect(d.mounts.map((m) => [m.destination, m.name, m.readOnly])).toEqual(
      expect.arrayContaining([
        ['/data', 'fx-data', true],
        ['/scratch', expect.stringMatching(/^[0-9a-f]{64}$/) as unknown, false],
      ]),
    );
    expect(d.raw).toBe(runningInspect);
  });

  it('maps a stopped container: finished, exit code, no health, no restart policy', () => {
    const d = toContainerDetails('default', stoppedInspect);
    expect(d).toMatchObject({ name: 'lab-stopped', state: 'exited', exitCode: 0, health: null, restartPolicy: 'no' });
    expect(d.finishedAt).not.toBeNull();
    expect(d.command).toEqual(['cat', '/app/version.txt']);
  });

  it('a created container that never ran has no times and no exit code', () => {
    const d = toContainerDetails('default', {
      Id: 'x',
      Name: '/fresh',
      State: { Status: 'created', ExitCode: 0, StartedAt: '0001-01-01T00:00:00Z', FinishedAt: '0001-01-01T00:00:00Z' },
    });
    expect(d).toMatchObject({ name: 'fresh', startedAt: null, finishedAt: null, exitCode: null, restartPolicy: 'no' });
  });

  it('prefers live bindings over the configured ones', () => {
    expect(
      portsOfInspect({
        Config: { ExposedPorts: { '80/tcp': {} } },
        HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '' }] } },
        NetworkSettings: {
          Ports: {
            '80/tcp': [
              { HostIp: '0.0.0.0', HostPort: '49153' },
              { HostIp: '::', HostPort: '49153' },
            ],
          },
        },
      }),
    ).toEqual([
      { ip: '0.0.0.0', privatePort: 80, publicPort: 49153, type: 'tcp' },
      { ip: '::', privatePort: 80, publicPort: 49153, type: 'tcp' },
    ]);
  });
});

describe('toFileChanges', () => {
  it('maps the kinds of a recorded /changes answer, and null to none', () => {
    const recorded = [
      { Path: '/bin', Kind: 0 },
      { Path: '/bin/tail', Kind: 2 },
      { Path: '/new-file', Kind: 1 },
      { Path: '/etc/passwd', Kind: 0 },
    ];
    expect(toFileChanges(recorded)).toEqual([
      { path: '/bin', kind: 'changed' },
      { path: '/bin/tail', kind: 'deleted' },
      { path: '/new-file', kind: 'added' },
      { path: '/etc/passwd', kind: 'changed' },
    ]);
    expect(toFileChanges(null)).toEqual([]);
    expect(toFileChanges([{ Path: '/x', Kind: 9 }])).toEqual([]);
  });
});

describe('containers.run arguments', () => {
  it('builds the create body: command, entrypoint only when given, ports, binds, anonymous volumes, policy', () => {
    const body = createBody(
      runArgs({
        image: 'lab/tool:1.0',
        name: 'web',
        command: ['sh', '-c', 'echo hi'],
        env: ['A=1'],
        labels: { team: 'x' },
        ports: [
          { containerPort: 80, hostPort: 8080 },
          { containerPort: 80, hostPort: 8443, hostIp: '127.0.0.1' },
          { containerPort: 53, protocol: 'udp' },
        ],
        volumes: [
          { source: '/srv/data', target: '/data', readOnly: true },
          { source: 'cache', target: '/cache' },
          { source: '', target: '/scratch' },
        ],
        restartPolicy: 'on-failure',
        maxRetries: 2,
        workingDir: '/work',
        user: '1000:1000',
      }),
    );
    expect(body).toEqual({
      Image: 'lab/tool:1.0',
      Cmd: ['sh', '-c', 'echo hi'],
      Env: ['A=1'],
      Labels: { team: 'x' },
      Tty: false,
      OpenStdin: false,
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      WorkingDir: '/work',
      User: '1000:1000',
      ExposedPorts: { '80/tcp': {}, '53/udp': {} },
      Volumes: { '/scratch': {} },
      HostConfig: {
        RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 },
        AutoRemove: false,
        PortBindings: {
          '80/tcp': [
            { HostIp: '', HostPort: '8080' },
            { HostIp: '127.0.0.1', HostPort: '8443' },
          ],
          '53/udp': [{ HostIp: '', HostPort: '' }],
        },
        Binds: ['/srv/data:/data:ro', 'cache:/cache'],
      },
    });
    expect(body).not.toHaveProperty('Entrypoint');
  });

  it('keeps the image defaults when nothing is given', () => {
    const body = createBody(runArgs({ image: 'lab/tool:1.0', entrypoint: ['/bin/sh'], detach: false }));
    expect(body).toEqual({
      Image: 'lab/tool:1.0',
      Entrypoint: ['/bin/sh'],
      Env: [],
      Labels: {},
      Tty: false,
      OpenStdin: false,
      AttachStdin: false,
      AttachStdout: true,
      AttachStderr: true,
      HostConfig: { RestartPolicy: { Name: '' }, AutoRemove: false },
    });
  });

  it('refuses what the docker CLI refuses, before any call', () => {
    expect(
      thrown(() => checkRunArgs(runArgs({ image: 'a', autoRemove: true, restartPolicy: 'always' }))),
    ).toMatchObject({
      code: 'invalid_argument',
      message: expect.stringMatching(/^Auto-remove cannot be combined/) as unknown,
    });
    expect(() => checkRunArgs(runArgs({ image: 'a', autoRemove: true, restartPolicy: 'no' }))).not.toThrow();
    expect(thrown(() => checkRunArgs(runArgs({ image: 'a', maxRetries: 3 }))).message).toMatch(/on-failure/);
    expect(() => checkRunArgs(runArgs({ image: 'a', restartPolicy: 'on-failure', maxRetries: 3 }))).not.toThrow();
    const twoTargets = runArgs({
      image: 'a',
      volumes: [
        { source: 'v1', target: '/data' },
        { source: 'v2', target: '/data/' },
      ],
    });
    expect(thrown(() => checkRunArgs(twoTargets)).message).toBe('Two volumes are mounted on /data; keep one.');
    const colon = runArgs({ image: 'a', volumes: [{ source: '/srv/a:b', target: '/data' }] });
    expect(thrown(() => checkRunArgs(colon)).message).toMatch(/cannot contain ":"/);
    const samePort = runArgs({
      image: 'a',
      ports: [
        { containerPort: 80, hostPort: 8080 },
        { containerPort: 81, hostPort: 8080 },
      ],
    });
    expect(thrown(() => checkRunArgs(samePort)).message).toMatch(/^Host port 8080\/tcp is published twice/);
    const roAnon = runArgs({ image: 'a', volumes: [{ source: '', target: '/x', readOnly: true }] });
    expect(thrown(() => checkRunArgs(roAnon)).code).toBe('invalid_argument');
  });

  it('the schema refuses malformed entries', () => {
    expect(api['containers.run'].args.safeParse({ image: 'a', env: ['NOEQUALS'] }).success).toBe(false);
    expect(api['containers.run'].args.safeParse({ image: 'a', workingDir: 'relative' }).success).toBe(false);
    expect(api['containers.run'].args.safeParse({ image: 'a', name: '-bad' }).success).toBe(false);
  });
});

describe('container errors (Engine 20.10 answers recorded on the lab)', () => {
  const body = (message: string): string => JSON.stringify({ message });
  const id = 'a5467f35ca7eb224ce1fc34632bdc46d59a33c1edcdf2306b38a72138804fe7d';

  it.each([
    [404, 'No such container: web', 'start', 'not_found', 'No container named web on this engine.'],
    [
      409,
      `You cannot remove a running container ${id}. Stop the container before attempting removal or force remove`,
      'remove',
      'conflict',
      'web is running; stop it first or remove with force.',
    ],
    [
      409,
      `You cannot remove a paused container ${id}. Unpause and then stop the container before attempting removal or force remove`,
      'remove',
      'conflict',
      'web is paused; unpause and stop it first, or remove with force.',
    ],
    [
      409,
      `Cannot kill container: web: Container ${id} is not running`,
      'kill',
      'conflict',
      'web is not running, so there is nothing to kill; start it first.',
    ],
    [409, `Container ${id} is already paused`, 'pause', 'conflict', 'web is already paused.'],
    [
      409,
      `Container ${id} is not running`,
      'pause',
      'conflict',
      'web is not running, so it cannot be paused; start it first.',
    ],
    [500, `Container ${id} is not paused`, 'unpause', 'conflict', 'web is not paused, so there is nothing to unpause.'],
    [
      409,
      'cannot start a paused container, try unpause instead',
      'start',
      'conflict',
      'web is paused; unpause it instead of starting it.',
    ],
    [
      400,
      'failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "nosuchthing": executable file not found in $PATH: unknown',
      'start',
      'engine_error',
      'web could not start: exec: "nosuchthing": executable file not found in $PATH. Check its command and entrypoint.',
    ],
  ] as const)('%i %s (%s)', (status, message, operation, code, expected) => {
    const error = containerError(status, body(message), '/web', operation);
    expect(error.code).toBe(code);
    expect(error.message).toBe(expected);
    expect(error.detail).toBe(message);
  });

  it('signal and rename answers', () => {
    expect(containerError(400, body('Invalid signal: BOGUS'), 'web', 'kill').code).toBe('invalid_argument');
    const taken = containerError(
      409,
      body(
        'Error when allocating new name: Conflict. The container name "/lab-running" is already in use by container "72f4". You have to remove (or rename) that container to be able to reuse that name.',
      ),
      'web',
      'rename',
      'lab-running',
    );
    expect(taken).toMatchObject({
      code: 'conflict',
      message:
        'The name lab-running is already used by another container; pick another name, or rename or remove that container first.',
    });
    expect(
      containerError(400, body('Renaming a container with the same name as its current name'), 'web', 'rename', 'web')
        .message,
    ).toBe('web is already named web.');
    expect(containerError(500, body('boom'), 'web', 'stop').message).toBe('The engine could not stop web (500): boom');
  });

  it('extracts the reason of a failed start', () => {
    expect(
      startFailureReason(
        'failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/nope": stat /nope: no such file or directory: unknown',
      ),
    ).toBe('exec: "/nope": stat /nope: no such file or directory');
    expect(startFailureReason('something else')).toBe('something else');
  });
});

describe('exitCodeOf', () => {
  it('reads the /wait answer', () => {
    expect(exitCodeOf('{"Error":null,"StatusCode":7}\n')).toBe(7);
    expect(exitCodeOf('garbage')).toBeNull();
    expect(exitCodeOf('null')).toBeNull();
  });
});
