// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Manifest } from '../../../../shared/api';
import { resetUi, useUi } from '../../app/uiStore';
import { Dialogs } from '../shell/Dialogs';
import { createFakeBridge, type FakeHandlers } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';
import { RegistriesView } from './RegistriesView';

beforeEach(resetUi);
afterEach(cleanup);

const REG = '127.0.0.1:5000';
const digest = (c: string) => `sha256:${c.repeat(64)}`;

const imageManifest: Manifest = {
  registry: REG,
  repository: 'lab/remote',
  reference: '1.0',
  digest: digest('a'),
  mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
  kind: 'image',
  layers: [
    { digest: digest('b'), size: 2_000_000, mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip' },
    { digest: digest('c'), size: 512, mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip' },
  ],
  configDigest: digest('d'),
  totalSize: 2_000_000 + 512 + 1000,
  platforms: [],
};

function handlers(overrides: FakeHandlers = {}): FakeHandlers {
  return {
    'registries.list': () => ({ ok: true, value: [{ registry: REG, username: 'alice', source: 'session' }] }),
    'registries.catalog': (args) => ({
      ok: true,
      value:
        args.last === undefined
          ? { registry: REG, repositories: ['lab/big'], next: 'lab/big' }
          : { registry: REG, repositories: ['lab/remote'], next: null },
    }),
    'registries.tags': (args) => ({
      ok: true,
      value: { registry: REG, repository: args.repository, tags: ['1.0', 'latest'] },
    }),
    'registries.manifest': () => ({ ok: true, value: imageManifest }),
    'images.pull': () => ({ ok: true, value: { jobId: 'job-7' } }),
    'registries.logout': () => ({ ok: true, value: { removed: true } }),
    ...overrides,
  };
}

function browse(): void {
  fireEvent.change(screen.getByRole('combobox', { name: 'Registry' }), { target: { value: REG } });
  fireEvent.click(screen.getByRole('button', { name: 'Browse' }));
}

describe('the Registries view', () => {
  it('lists known registries with where the credentials come from, never a password', async () => {
    const fake = createFakeBridge(handlers());
    renderWith(fake, <RegistriesView />);
    const table = await screen.findByRole('table', { name: 'Known registries' });
    expect(within(table).getByText(REG)).toBeTruthy();
    expect(within(table).getByText('alice')).toBeTruthy();
    expect(within(table).getByText('Strata (this session)')).toBeTruthy();
    fireEvent.click(within(table).getByRole('button', { name: `Log out of ${REG}` }));
    await waitFor(() => expect(fake.callsOf('registries.logout')).toEqual([{ registry: REG }]));
  });

  it('browses catalog (with more pages) → tags → manifest layers with sizes and total', async () => {
    const fake = createFakeBridge(handlers());
    renderWith(fake, <RegistriesView />);
    browse();
    const repos = await screen.findByRole('list', { name: 'Repositories' });
    await within(repos).findByRole('button', { name: 'lab/big' });
    fireEvent.click(screen.getByRole('button', { name: 'More repositories' }));
    fireEvent.click(await within(repos).findByRole('button', { name: 'lab/remote' }));
    expect(fake.callsOf('registries.catalog')).toEqual([
      { registry: REG, n: 100 },
      { registry: REG, n: 100, last: 'lab/big' },
    ]);

    const tags = await screen.findByRole('list', { name: 'Tags' });
    fireEvent.click(await within(tags).findByRole('button', { name: '1.0' }));
    const layers = await screen.findByRole('table', { name: 'Manifest layers' });
    expect(within(layers).getAllByRole('row')).toHaveLength(3);
    expect(within(layers).getByText('2MB')).toBeTruthy();
    expect(screen.getByText(/in 2 layers/)).toBeTruthy();
    expect(fake.callsOf('registries.manifest')).toEqual([
      { registry: REG, repository: 'lab/remote', reference: '1.0' },
    ]);
  });

  it('shows the platforms of a manifest list', async () => {
    const list: Manifest = {
      ...imageManifest,
      kind: 'list',
      layers: [],
      configDigest: null,
      totalSize: 0,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      platforms: [
        { digest: digest('1'), size: 500, mediaType: 'x', os: 'linux', architecture: 'amd64', variant: null },
        { digest: digest('2'), size: 500, mediaType: 'x', os: 'linux', architecture: 'arm', variant: 'v7' },
      ],
    };
    const fake = createFakeBridge(handlers({ 'registries.manifest': () => ({ ok: true, value: list }) }));
    useUi.getState().setRegistryBrowse({ registry: REG, repository: 'lab/remote' });
    renderWith(fake, <RegistriesView />);
    fireEvent.click(
      await within(await screen.findByRole('list', { name: 'Tags' })).findByRole('button', { name: '1.0' }),
    );
    const platforms = await screen.findByRole('table', { name: 'Platforms' });
    expect(within(platforms).getByText('linux/amd64')).toBeTruthy();
    expect(within(platforms).getByText('linux/arm/v7')).toBeTruthy();
  });

  it('Pull starts images.pull of registry/repo:tag at once and opens the Pull dialog on that job', async () => {
    const fake = createFakeBridge(handlers());
    useUi.getState().setRegistryBrowse({ registry: REG, repository: 'lab/remote' });
    renderWith(fake, <RegistriesView />);
    fireEvent.click(await screen.findByRole('button', { name: 'Pull lab/remote:1.0' }));
    await waitFor(() => expect(useUi.getState().dialog).toEqual({ kind: 'pull' }));
    expect(fake.callsOf('images.pull')).toEqual([{ reference: `${REG}/lab/remote:1.0` }]);
    expect(useUi.getState().pullJobId).toBe('job-7');
    expect(useUi.getState().pullReference).toBe(`${REG}/lab/remote:1.0`);
  });

  it('a registry that wants credentials: the message, and Log in… opens the login dialog for it', async () => {
    const fake = createFakeBridge(
      handlers({
        'registries.catalog': () => ({
          ok: false,
          error: {
            code: 'registry_unauthorized',
            message: `${REG} refused access to the catalog (401); log in to ${REG}.`,
          },
        }),
      }),
    );
    renderWith(
      fake,
      <>
        <RegistriesView />
        <Dialogs />
      </>,
    );
    browse();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(`log in to ${REG}`);
    fireEvent.click(within(alert).getByRole('button', { name: 'Log in…' }));
    expect(useUi.getState().dialog).toEqual({ kind: 'login', registry: REG });
    expect(await screen.findByRole('dialog', { name: 'Log in to a registry' })).toBeTruthy();
  });

  it('explains a registry name that is not a host', () => {
    renderWith(createFakeBridge(handlers()), <RegistriesView />);
    fireEvent.change(screen.getByRole('combobox', { name: 'Registry' }), { target: { value: 'https://x/y' } });
    expect(screen.getByText(/no https:\/\/, no path/)).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Browse' }).disabled).toBe(true);
  });
});
