// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ImageDetails } from '../../../../shared/api';
import { resetUi, useUi } from '../../app/uiStore';
import { CONNECTED, createFakeBridge, hex, image } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';
import { ImageDetailsView } from './ImageDetailsView';
import { formatNanoseconds, splitMatches } from './jsonSearch';

beforeEach(resetUi);
afterEach(cleanup);

const ID = hex('a');
const DETAILS: ImageDetails = {
  engineId: 'default',
  id: ID,
  repoTags: ['lab/app:1.0', 'lab/app:latest'],
  repoDigests: ['127.0.0.1:5000/lab/app@sha256:' + '9'.repeat(64)],
  parentId: '',
  created: '2026-01-02T03:04:05Z',
  author: 'Lab <lab@example.test>',
  comment: '',
  architecture: 'amd64',
  os: 'linux',
  variant: 'v2',
  size: 4_864_512,
  layers: ['sha256:l1', 'sha256:l2'],
  config: {
    entrypoint: ['/bin/sh', '-c'],
    cmd: ['cat', '/app/version.txt'],
    workingDir: '/app',
    user: 'app',
    env: ['PATH=/usr/bin', 'GREETING=a=b'],
    exposedPorts: ['8080/tcp'],
    volumes: ['/data'],
    labels: { 'org.opencontainers.image.title': 'Lab app', evil: '<img src=x onerror=alert(1)>' },
    healthcheck: {
      test: ['CMD-SHELL', 'wget -q localhost'],
      intervalNs: 30e9,
      timeoutNs: 5e9,
      startPeriodNs: 0,
      retries: 3,
    },
    stopSignal: '',
    shell: null,
    onBuild: [],
  },
  raw: { Id: ID, Config: { Labels: { 'org.opencontainers.image.title': 'Lab app' } }, Os: 'linux' },
};

function setup(remove?: Parameters<typeof createFakeBridge>[0]['images.remove']) {
  useUi.getState().openDetails({ imageId: ID, label: 'lab/app:1.0' });
  const fake = createFakeBridge({
    'engine.ping': () => ({ ok: true, value: CONNECTED }),
    'images.list': () => ({ ok: true, value: [image({ id: ID, repoTags: DETAILS.repoTags })] }),
    'images.inspect': () => ({ ok: true, value: DETAILS }),
    ...(remove === undefined ? {} : { 'images.remove': remove }),
  });
  renderWith(fake, <ImageDetailsView />);
  return fake;
}

const field = (dl: HTMLElement, name: string): string | null =>
  within(dl).getByText(name, { selector: 'dt' }).nextElementSibling?.textContent ?? null;

describe('helpers', () => {
  it('splits text around case-insensitive matches', () => {
    expect(splitMatches('a Lab lab', 'LAB')).toEqual([
      { text: 'a ', match: false },
      { text: 'Lab', match: true },
      { text: ' ', match: false },
      { text: 'lab', match: true },
    ]);
  });
  it('formats nanoseconds', () => {
    expect(formatNanoseconds(90e9, '-')).toBe('1m30s');
    expect(formatNanoseconds(0, 'default')).toBe('default');
    expect(formatNanoseconds(5e8, '-')).toBe('500ms');
  });
});

describe('ImageDetailsView', () => {
  it('shows the key fields first, env and labels as text tables, healthcheck in words', async () => {
    const fake = setup();
    const dl = await screen.findByLabelText('Key fields');
    expect(fake.callsOf('images.inspect')).toEqual([{ reference: ID }]);
    expect(field(dl, 'ID')).toBe(ID);
    expect(field(dl, 'Tags')).toBe('lab/app:1.0, lab/app:latest');
    expect(field(dl, 'Author')).toBe('Lab <lab@example.test>');
    expect(field(dl, 'Platform')).toBe('linux/amd64/v2');
    expect(field(dl, 'Size')).toBe('4.86MB');
    expect(field(dl, 'Layers')).toBe('2');
    expect(field(dl, 'Entrypoint')).toBe('["/bin/sh","-c"]');
    expect(field(dl, 'Cmd')).toBe('["cat","/app/version.txt"]');
    expect(field(dl, 'Working dir')).toBe('/app');
    expect(field(dl, 'User')).toBe('app');
    expect(field(dl, 'Exposed ports')).toBe('8080/tcp');
    expect(field(dl, 'Volumes')).toBe('/data');
    expect(field(dl, 'Healthcheck')).toBe(
      'wget -q localhost — every 30s, timeout 5s, start period 0s (default), 3 retries',
    );
    expect(field(dl, 'Digests')).toContain('127.0.0.1:5000/lab/app@sha256:');

    const env = screen.getByRole('table', { name: 'Environment' });
    expect(within(env).getByRole('rowheader', { name: 'GREETING' }).nextElementSibling?.textContent).toBe('a=b');
    const labels = screen.getByRole('table', { name: 'Labels' });
    expect(within(labels).getByRole('rowheader', { name: 'evil' }).nextElementSibling?.textContent).toBe(
      '<img src=x onerror=alert(1)>',
    );
    expect(document.querySelector('img')).toBeNull();
  });

  it('searches the raw JSON, highlighting matches as text and counting them', async () => {
    setup();
    const search = await screen.findByRole('searchbox', { name: 'Search the raw JSON' });
    fireEvent.change(search, { target: { value: 'lab app' } });
    expect(screen.getByText('1 match')).toBeTruthy();
    const marks = screen.getByTestId('raw-json').querySelectorAll('mark');
    expect([...marks].map((m) => m.textContent)).toEqual(['Lab app']);
    fireEvent.change(search, { target: { value: 'linux' } });
    expect(screen.getByText('1 match')).toBeTruthy();
    fireEvent.change(search, { target: { value: '"' } });
    expect(screen.getByText(/^\d+ matches$/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy the raw JSON' })).toBeTruthy();
  });

  it('Remove image by ID: on the several-tags conflict, offers to remove all its tags', async () => {
    setup(() => ({
      ok: false,
      error: {
        code: 'conflict',
        message: `Cannot remove image "${ID}": it has 2 tags; remove each tag, or all of them at once (or force the removal).`,
      },
    }));
    fireEvent.click(await screen.findByRole('button', { name: 'Remove image' }));
    const group = screen.getByRole('group', { name: 'Remove image' });
    fireEvent.click(within(group).getByRole('button', { name: 'Remove' }));
    expect((await within(group).findByRole('alert')).textContent).toContain('it has 2 tags');
    fireEvent.click(within(group).getByRole('button', { name: 'Remove all 2 tags' }));
    const dialog = useUi.getState().dialog;
    expect(dialog?.kind === 'removeMany' && dialog.items.map((item) => item.reference)).toEqual([
      'lab/app:1.0',
      'lab/app:latest',
    ]);
  });

  it('links to the History of the same image', async () => {
    setup();
    fireEvent.click(await screen.findByRole('button', { name: 'History of lab/app:1.0' }));
    await waitFor(() => expect(useUi.getState().view).toBe('history'));
    expect(useUi.getState().historyTarget).toEqual({ imageId: ID, label: 'lab/app:1.0' });
  });
});
