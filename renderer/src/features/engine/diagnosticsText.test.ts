import { describe, expect, it } from 'vitest';
import { DIAGNOSTICS } from '../../testing/diagnosticsFixtures';
import { formatDiagnostics } from './diagnosticsText';

describe('formatDiagnostics', () => {
  it('writes Strata, the platform and each engine as readable blocks', () => {
    expect(formatDiagnostics(DIAGNOSTICS)).toBe(
      [
        'Strata diagnostics, 2026-03-01T10:00:00.000Z',
        'Strata 0.1.0 (desktop app)',
        'OS: linux 6.1.0 x64',
        'Runtime: Node 20.19.0, Electron 41.7.1, Chrome 140.0',
        '  Recent warnings and errors: none',
        '',
        'Engine default',
        '  Endpoint: unix unix:///var/run/docker.sock, TLS off',
        '  State: connected',
        '  Engine version: 27.3.1 (API 1.47)',
        '  Recent warnings and errors (1, oldest first):',
        '    2026-03-01T09:59:00.000Z WARN engine request failed method=GET path=/images/x/json status=404',
        '',
        'Engine box-1a2b3c',
        '  Endpoint: ssh ssh://user@box, TLS off',
        '  State: unreachable (ssh could not reach box)',
        '  Engine version: unknown',
        '  Recent warnings and errors: none',
        '',
      ].join('\n'),
    );
  });

  it('says browser mode, leaves out runtimes it does not have, and lists app-wide errors', () => {
    const text = formatDiagnostics({
      ...DIAGNOSTICS,
      app: { version: '0.2.0', mode: 'browser' },
      platform: { os: 'darwin', osRelease: '23.1', arch: 'arm64', node: '22.1.0' },
      engines: [
        { ...DIAGNOSTICS.engines[0]!, tls: true, kind: 'tcp', address: 'tcp://10.0.0.5:2376', apiVersion: undefined },
      ],
      recent: [{ time: 't', level: 'error', message: 'job failed', fields: {} }],
    });
    expect(text).toContain('Strata 0.2.0 (browser mode)\nOS: darwin 23.1 arm64\nRuntime: Node 22.1.0\n');
    expect(text).toContain('  Recent warnings and errors (1, oldest first):\n    t ERROR job failed\n');
    expect(text).toContain('  Endpoint: tcp tcp://10.0.0.5:2376, TLS on\n');
    expect(text).toContain('  Engine version: 27.3.1 (API unknown)\n');
  });
});
