// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { JobInfo, JobKind } from '../../../../shared/api';
import { resetUi } from '../../app/uiStore';
import { formatBytes } from '../../lib/format';
import { CONNECTED, createFakeBridge, type FakeHandlers } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';
import { ExportDialog } from './ExportDialog';
import { ImportDialog, parseChanges } from './ImportDialog';
import { LoadDialog } from './LoadDialog';
import { defaultArchiveName, SaveDialog } from './SaveDialog';

beforeEach(() => resetUi());
afterEach(cleanup);

function ended(
  kind: JobKind,
  state: JobInfo['state'],
  result: JobInfo['result'],
  error: JobInfo['error'] = null,
): JobInfo {
  return {
    id: 'job-1',
    kind,
    engineId: 'default',
    title: 'x',
    state,
    progress: { fraction: 1, message: '', layers: [] },
    error,
    result,
    startedAt: '2026-01-01T00:00:00Z',
    endedAt: '2026-01-01T00:00:05Z',
  };
}

const base: FakeHandlers = {
  'jobs.list': () => ({ ok: true, value: [] }),
  'jobs.cancel': () => ({ ok: true, value: { cancelled: true } }),
  'engine.ping': () => ({ ok: true, value: CONNECTED }),
};

describe('SaveDialog', () => {
  it('desktop: asks where to save, runs the job with bytes, cancels, and says where the file went', async () => {
    const fake = createFakeBridge(
      { ...base, 'images.save': () => ({ ok: true, value: { jobId: 'job-1' } }) },
      { mode: 'desktop', chooseSavePath: () => Promise.resolve('/home/u/app.tar.gz') },
    );
    renderWith(fake, <SaveDialog dialog={{ kind: 'save', references: ['lab/app:1.0'] }} />);
    const dialog = screen.getByRole('dialog', { name: 'Save images' });
    fireEvent.click(within(dialog).getByRole('checkbox', { name: /Compress/ }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save as…' }));
    await waitFor(() =>
      expect(fake.callsOf('images.save')).toEqual([
        {
          references: ['lab/app:1.0'],
          compress: true,
          destination: { kind: 'path', path: '/home/u/app.tar.gz', overwrite: true },
        },
      ]),
    );
    expect(fake.fileCalls[0]?.args[0]).toMatchObject({ defaultName: 'lab-app-1.0.tar.gz' });
    act(() =>
      fake.emit({
        type: 'job.progress',
        jobId: 'job-1',
        progress: {
          fraction: 0.5,
          message: 'Writing',
          layers: [],
          bytes: { current: 5 * 1024 * 1024, total: 10 * 1024 * 1024 },
        },
      }),
    );
    expect(dialog.textContent).toContain(`${formatBytes(5 * 1024 * 1024)} of about ${formatBytes(10 * 1024 * 1024)}`);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel save' }));
    await waitFor(() => expect(fake.callsOf('jobs.cancel')).toEqual([{ jobId: 'job-1' }]));
    act(() =>
      fake.emit({
        type: 'job.end',
        job: ended('save', 'done', {
          path: '/home/u/app.tar.gz',
          downloadId: null,
          fileName: 'app.tar.gz',
          bytes: 2048,
        }),
      }),
    );
    expect(within(dialog).getByRole('status').textContent).toBe(
      `Saved lab/app:1.0 to /home/u/app.tar.gz (${formatBytes(2048)}).`,
    );
  });

  it('desktop: a cancelled save dialog starts nothing', async () => {
    const fake = createFakeBridge({ ...base }, { mode: 'desktop', chooseSavePath: () => Promise.resolve(null) });
    renderWith(fake, <SaveDialog dialog={{ kind: 'save', references: ['lab/app:1.0', 'lab/tool:1.0'] }} />);
    fireEvent.click(screen.getByRole('button', { name: 'Save as…' }));
    await waitFor(() => expect(fake.fileCalls).toHaveLength(1));
    expect(fake.callsOf('images.save')).toEqual([]);
  });

  it('browser: saves to a download and hands it to the browser when done; shows a failure in words', async () => {
    const downloads: string[] = [];
    const fake = createFakeBridge(
      { ...base, 'images.save': () => ({ ok: true, value: { jobId: 'job-1' } }) },
      {
        mode: 'browser',
        download: (id, name) => {
          downloads.push(`${id} ${name}`);
          return Promise.resolve();
        },
      },
    );
    renderWith(fake, <SaveDialog dialog={{ kind: 'save', references: ['lab/app:1.0', 'lab/tool:1.0'] }} />);
    fireEvent.click(screen.getByRole('button', { name: 'Save and download' }));
    await waitFor(() =>
      expect(fake.callsOf('images.save')).toEqual([
        {
          references: ['lab/app:1.0', 'lab/tool:1.0'],
          compress: false,
          destination: { kind: 'download', fileName: 'images.tar' },
        },
      ]),
    );
    act(() =>
      fake.emit({
        type: 'job.end',
        job: ended('save', 'done', { path: null, downloadId: 'dl-123456789', fileName: 'images.tar', bytes: 10 }),
      }),
    );
    await waitFor(() => expect(downloads).toEqual(['dl-123456789 images.tar']));
    fireEvent.click(screen.getByRole('button', { name: 'Download again' }));
    await waitFor(() => expect(downloads).toHaveLength(2));
  });

  it('names archives after the image', () => {
    expect(defaultArchiveName(['127.0.0.1:5000/team/app:v1'], false)).toBe('127.0.0.1-5000-team-app-v1.tar');
    expect(defaultArchiveName(['a:1', 'b:2'], true)).toBe('images.tar.gz');
  });
});

describe('LoadDialog', () => {
  it('browser: uploads the chosen file, loads it and lists what was loaded', async () => {
    const fake = createFakeBridge(
      { ...base, 'images.load': () => ({ ok: true, value: { jobId: 'job-1' } }) },
      {
        mode: 'browser',
        upload: (_file, _name, onProgress) => {
          onProgress?.(10, 10);
          return Promise.resolve('upload-abcdefgh');
        },
      },
    );
    renderWith(fake, <LoadDialog dialog={{ kind: 'load' }} />);
    const dialog = screen.getByRole('dialog', { name: 'Load images' });
    const load = within(dialog).getByRole('button', { name: 'Load' });
    expect(load).toHaveProperty('disabled', true);
    const input = within(dialog).getByLabelText('Image archive (.tar or .tar.gz)');
    fireEvent.change(input, { target: { files: [new File(['tar'], 'images.tar')] } });
    fireEvent.click(load);
    await waitFor(() =>
      expect(fake.callsOf('images.load')).toEqual([{ source: { kind: 'upload', uploadId: 'upload-abcdefgh' } }]),
    );
    expect(fake.fileCalls.map((c) => c.fn)).toEqual(['upload']);
    act(() => fake.emit({ type: 'job.end', job: ended('load', 'done', { loaded: ['lab/app:1.0', 'x/y:2'] }) }));
    const list = within(dialog).getByRole('list', { name: 'Loaded images' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['lab/app:1.0', 'x/y:2']);
  });

  it('desktop: loads the chosen path and shows the error of a corrupt archive', async () => {
    const fake = createFakeBridge(
      { ...base, 'images.load': () => ({ ok: true, value: { jobId: 'job-1' } }) },
      { mode: 'desktop', chooseOpenPath: () => Promise.resolve('/tmp/cut.tar') },
    );
    renderWith(fake, <LoadDialog dialog={{ kind: 'load' }} />);
    fireEvent.click(screen.getByRole('button', { name: 'Choose file…' }));
    await screen.findByText('/tmp/cut.tar');
    fireEvent.click(screen.getByRole('button', { name: 'Load' }));
    await waitFor(() =>
      expect(fake.callsOf('images.load')).toEqual([{ source: { kind: 'path', path: '/tmp/cut.tar' } }]),
    );
    const message =
      'cut.tar is not a complete image archive (it ends too early, after 1024 bytes); nothing was changed.';
    act(() =>
      fake.emit({ type: 'job.end', job: ended('load', 'failed', null, { code: 'invalid_argument', message }) }),
    );
    expect(screen.getByRole('alert').textContent).toBe(`The load failed: ${message}`);
  });
});

describe('ImportDialog', () => {
  it('checks the changes line by line and imports with repo:tag, changes and message', async () => {
    const fake = createFakeBridge(
      { ...base, 'images.import': () => ({ ok: true, value: { jobId: 'job-1' } }) },
      { mode: 'desktop', chooseOpenPath: () => Promise.resolve('/tmp/rootfs.tar') },
    );
    renderWith(fake, <ImportDialog dialog={{ kind: 'import' }} />);
    const dialog = screen.getByRole('dialog', { name: 'Import image' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Choose file…' }));
    await within(dialog).findByText('/tmp/rootfs.tar');
    const importButton = within(dialog).getByRole('button', { name: 'Import' });
    fireEvent.change(within(dialog).getByLabelText('Dockerfile changes (one a line, optional)'), {
      target: { value: 'CMD ["/hello"]\nRUN rm -rf /' },
    });
    expect(dialog.textContent).toContain('Line 2: A change is one Dockerfile instruction');
    expect(importButton).toHaveProperty('disabled', true);
    fireEvent.change(within(dialog).getByLabelText('Dockerfile changes (one a line, optional)'), {
      target: { value: 'CMD ["/hello"]\n\nENV A=1' },
    });
    fireEvent.change(within(dialog).getByLabelText('Repository and tag (optional)'), {
      target: { value: 'team/rootfs:1' },
    });
    fireEvent.change(within(dialog).getByLabelText('Commit message (optional)'), { target: { value: 'from a test' } });
    fireEvent.click(importButton);
    await waitFor(() =>
      expect(fake.callsOf('images.import')).toEqual([
        {
          source: { kind: 'path', path: '/tmp/rootfs.tar' },
          reference: 'team/rootfs:1',
          changes: ['CMD ["/hello"]', 'ENV A=1'],
          message: 'from a test',
        },
      ]),
    );
    act(() =>
      fake.emit({
        type: 'job.end',
        job: ended('import', 'done', { imageId: `sha256:${'ab'.repeat(32)}`, reference: 'team/rootfs:1' }),
      }),
    );
    expect(within(dialog).getByRole('status').textContent).toContain('Imported as team/rootfs:1');
  });

  it('parseChanges ignores blank lines', () => {
    expect(parseChanges('\n CMD x \n')).toEqual({ changes: ['CMD x'], error: undefined });
  });
});

describe('ExportDialog', () => {
  it('lists containers, exports the chosen one to a download, and hands it to the browser', async () => {
    const downloads: string[] = [];
    const fake = createFakeBridge(
      {
        ...base,
        'containers.list': () => ({
          ok: true,
          value: [
            {
              engineId: 'default',
              id: 'c1',
              name: 'lab-stopped',
              image: 'lab/app:1.0',
              imageId: 'sha256:1',
              command: 'sh',
              created: 1,
              state: 'exited',
              status: 'Exited (0)',
              labels: {},
              health: null,
              ports: [],
              mounts: [],
              composeProject: null,
              sizeRw: null,
              sizeRootFs: null,
            },
          ],
        }),
        'containers.export': () => ({ ok: true, value: { jobId: 'job-1' } }),
      },
      {
        mode: 'browser',
        download: (id, name) => {
          downloads.push(`${id} ${name}`);
          return Promise.resolve();
        },
      },
    );
    renderWith(fake, <ExportDialog dialog={{ kind: 'export', container: undefined }} />);
    const select = screen.getByLabelText('Container');
    await screen.findByRole('option', { name: 'lab-stopped (lab/app:1.0, exited)' });
    fireEvent.change(select, { target: { value: 'lab-stopped' } });
    fireEvent.click(screen.getByRole('button', { name: 'Export and download' }));
    await waitFor(() =>
      expect(fake.callsOf('containers.export')).toEqual([
        { container: 'lab-stopped', destination: { kind: 'download', fileName: 'lab-stopped.tar' } },
      ]),
    );
    act(() =>
      fake.emit({
        type: 'job.end',
        job: ended('export', 'done', {
          path: null,
          downloadId: 'dl-abcdefgh',
          fileName: 'lab-stopped.tar',
          bytes: 4096,
        }),
      }),
    );
    await waitFor(() => expect(downloads).toEqual(['dl-abcdefgh lab-stopped.tar']));
  });
});
