import { beforeAll, describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES, type StrataEvent } from '../shared/api';
import { IPC_EVENT_CHANNEL, type StrataBridge } from '../shared/bridge';

// Unit test only: stand-ins for contextBridge and ipcRenderer (the real ones need the Electron binary).
type Listener = (event: unknown, payload: unknown) => void;
const fake = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  listeners: new Map<string, Listener[]>(),
  invoked: [] as { channel: string; args: unknown }[],
}));
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld(key: string, api: unknown) {
      fake.exposed.set(key, api);
    },
  },
  ipcRenderer: {
    invoke(channel: string, args: unknown) {
      fake.invoked.push({ channel, args });
      if (channel === 'strata-files:chooseOpen') return Promise.resolve({ ok: true, value: '/tmp/a.tar' });
      if (channel === 'strata-files:chooseSave') {
        return Promise.resolve({ ok: false, error: { code: 'forbidden', message: 'refused' } });
      }
      if (channel === 'strata:jobs.cancel') return Promise.reject(new Error('No handler registered'));
      return Promise.resolve({ ok: true, value: [] });
    },
    on(channel: string, listener: Listener) {
      fake.listeners.set(channel, [...(fake.listeners.get(channel) ?? []), listener]);
    },
    removeListener(channel: string, listener: Listener) {
      fake.listeners.set(
        channel,
        (fake.listeners.get(channel) ?? []).filter((l) => l !== listener),
      );
    },
  },
}));

function emit(event: StrataEvent): void {
  for (const listener of fake.listeners.get(IPC_EVENT_CHANNEL) ?? []) listener({}, event);
}

describe('preload', () => {
  let strata: StrataBridge;

  beforeAll(async () => {
    await import('./preload');
    strata = fake.exposed.get('strata') as StrataBridge;
  });

  it('exposes one frozen `strata` object and nothing else', () => {
    expect([...fake.exposed.keys()]).toEqual(['strata']);
    expect(Object.isFrozen(strata)).toBe(true);
    // One entry per domain of the contract, plus `events` (which also holds events.list) and `files`: nothing else.
    const domains = new Set([...METHOD_NAMES.map((method) => method.split('.')[0]), 'events', 'files']);
    expect(Object.keys(strata).sort()).toEqual([...domains].sort());
    expect(typeof strata.events.subscribe).toBe('function');
    expect(Object.isFrozen(strata.files)).toBe(true);
    expect(Object.keys(strata)).toContain('layers');
    for (const method of METHOD_NAMES) {
      const [domain, verb] = method.split('.') as [keyof StrataBridge, string];
      expect(typeof (strata[domain] as Record<string, unknown>)[verb]).toBe('function');
      expect(Object.isFrozen(strata[domain])).toBe(true);
    }
  });

  it('calls each method on its own channel', async () => {
    await expect(strata.images.list({})).resolves.toEqual({ ok: true, value: [] });
    await strata.images.pull({ reference: 'lab/remote:1.0' });
    expect(fake.invoked).toEqual([
      { channel: 'strata:images.list', args: {} },
      { channel: 'strata:images.pull', args: { reference: 'lab/remote:1.0' } },
    ]);
  });

  it('turns a missing main-process handler into an error outcome', async () => {
    await expect(strata.jobs.cancel({ jobId: 'j' })).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('delivers events and removes exactly the unsubscribed listener', () => {
    const first: StrataEvent[] = [];
    const second: StrataEvent[] = [];
    const offFirst = strata.events.subscribe((e) => first.push(e));
    const offSecond = strata.events.subscribe((e) => second.push(e));
    const event: StrataEvent = {
      type: 'job.progress',
      jobId: 'j',
      progress: { fraction: null, message: '', layers: [] },
    };
    emit(event);
    offFirst();
    offFirst();
    emit(event);
    expect(first).toEqual([event]);
    expect(second).toEqual([event, event]);
    offSecond();
    expect(fake.listeners.get(IPC_EVENT_CHANNEL)).toEqual([]);
  });

  it('asks main for the file dialogs on their own channels; uploads are for browser mode only', async () => {
    fake.invoked.length = 0;
    expect(strata.files.mode).toBe('desktop');
    await expect(strata.files.chooseOpenPath({ title: 'Load images' })).resolves.toBe('/tmp/a.tar');
    await expect(strata.files.chooseSavePath({ title: 'Save', defaultName: 'a.tar' })).rejects.toThrow('refused');
    expect(fake.invoked).toEqual([
      { channel: 'strata-files:chooseOpen', args: { title: 'Load images' } },
      { channel: 'strata-files:chooseSave', args: { title: 'Save', defaultName: 'a.tar' } },
    ]);
    await expect(strata.files.upload(new Blob(['x']), 'x.tar')).rejects.toThrow(/browser mode/);
    await expect(strata.files.download('id', 'x.tar')).rejects.toThrow(/browser mode/);
  });
});
