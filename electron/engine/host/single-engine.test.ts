import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatch } from '../../../shared/dispatch';
import { createEngineService, type EngineService } from './service';
import { singleEngineHost, type SingleEngineHost } from './single-engine';

let service: EngineService;
let host: SingleEngineHost;

beforeEach(() => {
  service = createEngineService({ host: 'unix:///nonexistent/strata.sock', env: {}, watchEvents: false });
  host = singleEngineHost(service);
});
afterEach(async () => {
  await host.close();
});

describe('singleEngineHost', () => {
  it('lists the one engine and discovers none', async () => {
    expect(await host.handlersFor('default')['engines.list']({})).toEqual([service.entry]);
    expect(service.entry).toMatchObject({ id: 'default', host: 'unix:///nonexistent/strata.sock', removable: false });
    expect(await host.handlers['engines.discover']({})).toEqual([]);
  });

  it('reports diagnostics of its one engine, unreachable here', async () => {
    const report = await host.handlers['engine.diagnostics']({});
    expect(report.engines).toEqual([
      expect.objectContaining({
        engineId: 'default',
        kind: 'unix',
        address: 'unix:///nonexistent/strata.sock',
        state: 'unreachable',
        recent: [],
      }),
    ]);
    expect(report.engines[0]?.error).toContain('/nonexistent/strata.sock');
    expect(report.app.version).toBe('unknown');
    expect(report.recent).toEqual([]);
  });

  it('refuses to add or remove engines, as a conflict', async () => {
    const message = 'This Strata service runs one engine only; engines are added through the engine hub.';
    await expect(host.handlers['engines.add']({ name: 'x', host: 'tcp://box:2375' })).rejects.toMatchObject({
      code: 'conflict',
      message,
    });
    await expect(host.handlers['engines.remove']({ id: 'x' })).rejects.toMatchObject({ code: 'conflict', message });
  });

  it("answers the service's own handlers, and not_found for another engine", async () => {
    expect(host.handlers['images.list']).toBe(service.handlers['images.list']);
    expect(() => host.handlersFor('other')).toThrow(expect.objectContaining({ code: 'not_found' }));
    const outcome = await createDispatch((id) => host.handlersFor(id))('engines.list', {}, 'other');
    expect(outcome).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
