/** An engine.diagnostics answer for the renderer's tests: a connected engine with a warning, an unreachable one. */
import type { Diagnostics } from '../../../shared/api';

export const DIAGNOSTICS: Diagnostics = {
  generatedAt: '2026-03-01T10:00:00.000Z',
  app: { version: '0.1.0', mode: 'desktop' },
  platform: { os: 'linux', osRelease: '6.1.0', arch: 'x64', node: '20.19.0', electron: '41.7.1', chrome: '140.0' },
  engines: [
    {
      engineId: 'default',
      kind: 'unix',
      address: 'unix:///var/run/docker.sock',
      tls: false,
      state: 'connected',
      serverVersion: '27.3.1',
      apiVersion: '1.47',
      recent: [
        {
          time: '2026-03-01T09:59:00.000Z',
          level: 'warn',
          message: 'engine request failed',
          fields: { method: 'GET', path: '/images/x/json', status: '404' },
        },
      ],
    },
    {
      engineId: 'box-1a2b3c',
      kind: 'ssh',
      address: 'ssh://user@box',
      tls: false,
      state: 'unreachable',
      error: 'ssh could not reach box',
      recent: [],
    },
  ],
  recent: [],
};
