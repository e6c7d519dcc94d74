import { describe, expect, it } from 'vitest';
import { checkRunForm, initialRunForm, type RunForm } from './runForm';

const form = (patch: Partial<RunForm>): RunForm => ({ ...initialRunForm('lab/app:1.0'), ...patch });

describe('checkRunForm', () => {
  it('turns a filled form into containers.run arguments', () => {
    const result = checkRunForm(
      form({
        name: 'web-1',
        command: `sh -c 'echo "hi"; sleep 5'`,
        entrypoint: '/bin/env',
        env: 'A=1\n\n  B=two words  \nEMPTY=',
        ports: [
          { hostIp: '127.0.0.1', hostPort: '8080', containerPort: '80', protocol: 'tcp' },
          { hostIp: '', hostPort: '', containerPort: '', protocol: 'tcp' },
          { hostIp: '', hostPort: '', containerPort: '53', protocol: 'udp' },
        ],
        volumes: [
          { source: '/srv/data', target: '/data', readOnly: true },
          { source: '', target: '/cache', readOnly: false },
        ],
        restartPolicy: 'on-failure',
        maxRetries: '3',
        workingDir: '/app',
        user: '1000:1000',
        labels: 'com.example.team=infra\nnote=a=b',
        tty: true,
        detach: false,
      }),
    );
    expect(result).toEqual({
      ok: true,
      errors: {},
      args: {
        image: 'lab/app:1.0',
        name: 'web-1',
        command: ['sh', '-c', 'echo "hi"; sleep 5'],
        entrypoint: ['/bin/env'],
        env: ['A=1', 'B=two words', 'EMPTY='],
        ports: [
          { containerPort: 80, protocol: 'tcp', hostPort: 8080, hostIp: '127.0.0.1' },
          { containerPort: 53, protocol: 'udp' },
        ],
        volumes: [
          { source: '/srv/data', target: '/data', readOnly: true },
          { source: '', target: '/cache', readOnly: false },
        ],
        restartPolicy: 'on-failure',
        maxRetries: 3,
        autoRemove: false,
        workingDir: '/app',
        user: '1000:1000',
        labels: { 'com.example.team': 'infra', note: 'a=b' },
        tty: true,
        detach: false,
      },
    });
  });

  it('keeps the image defaults when command and entrypoint are empty', () => {
    const result = checkRunForm(form({}));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.args).toMatchObject({ image: 'lab/app:1.0', command: [], entrypoint: [] });
  });

  it('puts each problem next to its field', () => {
    const result = checkRunForm(
      form({
        image: '',
        name: '-bad name',
        command: 'echo "unclosed',
        env: 'OK=1\nNOEQUALS',
        ports: [
          { hostIp: '', hostPort: '', containerPort: '', protocol: 'tcp' },
          { hostIp: 'localhost', hostPort: 'eighty', containerPort: '', protocol: 'tcp' },
          { hostIp: '', hostPort: '70000', containerPort: '80', protocol: 'tcp' },
        ],
        volumes: [{ source: 'relative/path', target: 'data', readOnly: false }],
        labels: 'novalue',
        workingDir: 'app',
        user: 'a b',
      }),
    );
    expect(result.ok).toBe(false);
    const { 'ports.2.hostPort': tooBig, ...rest } = result.errors;
    expect(tooBig).toContain('65535');
    expect(rest).toEqual({
      image: 'Give the image to run.',
      name: 'A container name is letters, digits, "_", "." and "-", starting with a letter or digit.',
      command: 'A double quote (") is not closed.',
      env: 'Line 2 (NOEQUALS): An environment entry is NAME=value.',
      'ports.1.containerPort': 'A container port is needed.',
      'ports.1.hostPort': 'A port is a number from 1 to 65535.',
      'ports.1.hostIp': 'An IP address such as 127.0.0.1 or ::1.',
      'volumes.0.source': 'A source is an absolute host path or a volume name.',
      'volumes.0.target': 'A path inside the container starts with "/".',
      labels: 'Line 1 (novalue): a label is key=value.',
      workingDir: 'A path inside the container starts with "/".',
      user: 'A user is "name", "uid", or "user:group".',
    });
  });

  it('refuses auto-remove together with a restart policy, and retries without on-failure', () => {
    expect(checkRunForm(form({ autoRemove: true, restartPolicy: 'always' })).errors).toEqual({
      autoRemove: 'Auto-remove cannot be combined with a restart policy: choose one.',
    });
    expect(checkRunForm(form({ restartPolicy: 'always', maxRetries: '2' })).errors).toEqual({
      maxRetries: 'Max retries applies to "on-failure" only.',
    });
    expect(checkRunForm(form({ autoRemove: true })).ok).toBe(true);
  });

  it('reports a label given twice', () => {
    expect(checkRunForm(form({ labels: 'a=1\na=2' })).errors).toEqual({
      labels: 'Line 2: the label "a" is given twice.',
    });
  });
});
