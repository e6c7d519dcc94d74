// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { App } from '../shell/App';
import { resetUi } from '../../app/uiStore';
import { CONNECTED, createFakeBridge, hex, image, UNREACHABLE } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';
import { EngineBanner } from './EngineBanner';

beforeEach(resetUi);
afterEach(cleanup);

describe('EngineBanner', () => {
  it('shows version, API and endpoint when connected', async () => {
    const fake = createFakeBridge({ 'engine.ping': () => ({ ok: true, value: CONNECTED }) });
    renderWith(fake, <EngineBanner />);
    const banner = await screen.findByRole('region', { name: 'Engine status' });
    await waitFor(() =>
      expect(banner.textContent).toContain('Docker Engine 20.10.24 · API 1.41 · unix:///tmp/lab/docker.sock'),
    );
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('says which endpoint was tried and why it failed, and Retry reconnects', async () => {
    let answer = UNREACHABLE;
    const fake = createFakeBridge({ 'engine.ping': () => ({ ok: true, value: answer }) });
    renderWith(fake, <EngineBanner />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(
      'No Docker engine at unix:///tmp/lab/docker.sock: connect ENOENT /tmp/lab/docker.sock',
    );
    const retry = screen.getByRole('button', { name: 'Retry' });

    answer = CONNECTED;
    fireEvent.click(retry);
    await waitFor(() =>
      expect(screen.getByRole('region', { name: 'Engine status' }).textContent).toContain('20.10.24'),
    );
    expect(fake.callsOf('engine.ping')).toHaveLength(2);
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it("explains when Strata's own server does not answer", async () => {
    const fake = createFakeBridge({
      'engine.ping': () => ({ ok: false, error: { code: 'internal', message: "Strata's server is not answering" } }),
    });
    renderWith(fake, <EngineBanner />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain("Strata's server is not answering");
    expect(screen.getByRole('button', { name: 'Retry' })).toBeTruthy();
  });
});

describe('App without an engine', () => {
  it('starts, explains itself in the Images view instead of spinning, and recovers on engine.status', async () => {
    const fake = createFakeBridge({
      'engine.ping': () => ({ ok: true, value: UNREACHABLE }),
      'images.list': () => ({ ok: true, value: [image({ id: hex('a'), repoTags: ['lab/app:1.0'] })] }),
    });
    renderWith(fake, <App />);
    await screen.findByRole('heading', { name: 'Not connected' });
    const main = screen.getByRole('main');
    expect(main.textContent).toContain('No Docker engine at unix:///tmp/lab/docker.sock');
    expect(main.textContent).not.toContain('Loading');
    expect(fake.callsOf('images.list')).toHaveLength(0);

    act(() => fake.emit({ type: 'engine.status', status: CONNECTED }));
    expect(await screen.findByRole('row', { name: 'lab/app:1.0' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('keeps the banner saying how old the shown data is while the engine is gone, and drops it when back', async () => {
    const fake = createFakeBridge({
      'engine.ping': () => ({ ok: true, value: CONNECTED }),
      'images.list': () => ({ ok: true, value: [image({ id: hex('a'), repoTags: ['lab/app:1.0'] })] }),
    });
    renderWith(fake, <App />);
    await screen.findByRole('row', { name: 'lab/app:1.0' });
    const banner = screen.getByRole('region', { name: 'Engine status' });
    expect(banner.textContent).not.toContain('may be stale');

    act(() => fake.emit({ type: 'engine.status', status: UNREACHABLE }));
    await screen.findByRole('alert');
    expect(banner.textContent).toMatch(/Showing data from .+, may be stale/);

    act(() => fake.emit({ type: 'engine.status', status: CONNECTED }));
    await waitFor(() => expect(banner.textContent).not.toContain('may be stale'));
  });

  it('opens every view from the navigation', () => {
    const fake = createFakeBridge({ 'engine.ping': () => ({ ok: true, value: CONNECTED }) });
    renderWith(fake, <App />);
    for (const name of ['Containers', 'Disk']) {
      fireEvent.click(screen.getByRole('button', { name }));
      expect(screen.getByRole('button', { name }).getAttribute('aria-current')).toBe('page');
      expect(screen.getByRole('heading', { name, level: 1 })).toBeTruthy();
    }
    fireEvent.click(screen.getByRole('button', { name: 'Images' }));
    expect(screen.getByRole('button', { name: 'Images' }).getAttribute('aria-current')).toBe('page');
  });
});
