import { describe, expect, it } from 'vitest';
import { scopeBridge } from '../../api/engineScope';
import { createFakeBridge } from '../../testing/fakeBridge';
import { candidateArgs, checkEngineForm, EMPTY_ENGINE_FORM } from './engineForm';

describe('checkEngineForm', () => {
  it('answers the engines.add arguments of a valid form, trimmed, with TLS only for tcp://', () => {
    expect(checkEngineForm({ ...EMPTY_ENGINE_FORM, name: ' Box ', host: ' ssh://me@box ', useTls: true })).toEqual({
      ok: true,
      args: { name: 'Box', host: 'ssh://me@box' },
    });
    expect(
      checkEngineForm({ ...EMPTY_ENGINE_FORM, name: 'Box', host: 'tcp://box:2376', useTls: true, verify: false }),
    ).toEqual({ ok: true, args: { name: 'Box', host: 'tcp://box:2376', tls: { verify: false } } });
  });

  it('says what is wrong per field', () => {
    const check = checkEngineForm({
      ...EMPTY_ENGINE_FORM,
      name: 'Box',
      host: 'tcp://box:2376',
      useTls: true,
      certFile: '/c/cert.pem',
    });
    expect(check).toEqual({
      ok: false,
      errors: { keyFile: 'A client certificate needs its key, and a key its certificate.' },
    });
    const bad = checkEngineForm({ ...EMPTY_ENGINE_FORM, name: 'x'.repeat(65), host: 'box:2375' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(Object.keys(bad.errors).sort()).toEqual(['host', 'name']);
      expect(bad.errors.host).toContain('An engine address is unix:///path/to/docker.sock');
    }
  });

  it('adds a found engine with its TLS files when it has some', () => {
    expect(
      candidateArgs({
        name: 'remote',
        host: 'tcp://r:2376',
        kind: 'tcp',
        tls: { caFile: '/ca.pem', verify: true },
        source: 'docker-context',
        description: 'docker context "remote"',
        added: false,
      }),
    ).toEqual({ name: 'remote', host: 'tcp://r:2376', tls: { caFile: '/ca.pem', verify: true } });
  });
});

describe('scopeBridge', () => {
  it('sends every call to its engine unless the call names another', async () => {
    const fake = createFakeBridge({ 'images.list': () => ({ ok: true, value: [] }) });
    const lab2 = scopeBridge(fake.bridge, 'lab2');
    await lab2.images.list({});
    await lab2.images.list({}, { engine: 'other' });
    await fake.bridge.images.list({});
    expect(fake.calls.map((c) => c.engine)).toEqual(['lab2', 'other', 'default']);
    expect(lab2.events.subscribe).toBe(fake.bridge.events.subscribe);
    expect(lab2.files).toBe(fake.bridge.files);
  });
});
