// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { JobInfo } from '../../../../shared/api';
import { resetUi, useUi } from '../../app/uiStore';
import { createFakeBridge, hex } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';
import { formatDuration, jobDuration } from './jobRows';
import { JobsButton, JobsDrawer } from './JobsDrawer';

beforeEach(() => {
  resetUi();
});
afterEach(cleanup);

function job(partial: Partial<JobInfo> & { readonly id: string }): JobInfo {
  return {
    kind: 'pull',
    engineId: 'default',
    title: 'lab/remote:1.0',
    state: 'running',
    progress: { fraction: 0.25, message: 'Downloading 1 of 4 layers', layers: [] },
    error: null,
    result: null,
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: null,
    ...partial,
  };
}

const SNAPSHOT: readonly JobInfo[] = [
  job({
    id: 'j-old',
    kind: 'save',
    title: 'lab/app:1.0',
    state: 'done',
    progress: { fraction: 1, message: '', layers: [] },
    result: { path: null, downloadId: 'dl-123456', fileName: 'app.tar', bytes: 2_500_000 },
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:03:04.000Z',
  }),
  job({
    id: 'j-fail',
    kind: 'push',
    title: 'reg/x:1',
    state: 'failed',
    progress: { fraction: null, message: '', layers: [] },
    error: { code: 'forbidden', message: 'The registry <b>denied</b> the push.' },
    startedAt: '2026-01-01T00:05:00.000Z',
    endedAt: '2026-01-01T00:05:12.000Z',
  }),
  job({ id: 'j-run', startedAt: new Date(Date.now() - 5000).toISOString() }),
];

/** What the app does: the button and the drawer, reading one job store. */
function Jobs() {
  return (
    <>
      <JobsButton />
      <JobsDrawer />
    </>
  );
}

function setup(jobs: () => readonly JobInfo[] = () => SNAPSHOT) {
  const fake = createFakeBridge(
    {
      'jobs.list': () => ({ ok: true, value: [...jobs()] }),
      'jobs.cancel': () => ({ ok: true, value: { cancelled: true } }),
    },
    { mode: 'browser', download: () => Promise.resolve() },
  );
  useUi.getState().setJobsOpen(true);
  renderWith(fake, <Jobs />);
  return { fake, drawer: screen.getByRole('complementary', { name: 'Jobs' }) };
}

function items(drawer: HTMLElement): string[] {
  return within(drawer)
    .getAllByRole('listitem')
    .map((li) => li.getAttribute('aria-label') ?? '');
}

describe('JobsDrawer', () => {
  it('lists every job of the snapshot newest first, with state, duration, result and error as text', async () => {
    const { fake, drawer } = setup();
    await waitFor(() => expect(items(drawer)).toEqual(['Pull lab/remote:1.0', 'Push reg/x:1', 'Save lab/app:1.0']));
    expect(screen.getByRole('button', { name: 'Jobs · 1 running' })).toBeTruthy();

    const running = within(drawer).getByRole('listitem', { name: 'Pull lab/remote:1.0' });
    expect(running.textContent).toContain('Running');
    expect(running.textContent).toContain('Downloading 1 of 4 layers');
    expect(running.textContent).toMatch(/[4-9] s/);
    expect(within(running).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('25');

    const failed = within(drawer).getByRole('listitem', { name: 'Push reg/x:1' });
    expect(failed.textContent).toContain('Failed');
    expect(failed.textContent).toContain('12 s');
    expect(within(failed).getByRole('alert').textContent).toBe('The registry <b>denied</b> the push.');
    expect(within(failed).queryByRole('button', { name: /Cancel/ })).toBeNull();

    const saved = within(drawer).getByRole('listitem', { name: 'Save lab/app:1.0' });
    expect(saved.textContent).toContain('Done');
    expect(saved.textContent).toContain('3 min 4 s');
    expect(saved.textContent).toContain('Saved app.tar · 2.5 MB');
    fireEvent.click(within(saved).getByRole('button', { name: 'Download' }));
    expect(fake.fileCalls).toEqual([{ fn: 'download', args: ['dl-123456', 'app.tar'] }]);
  });

  it('follows live progress and the end of a job', async () => {
    const { fake, drawer } = setup();
    await waitFor(() => expect(items(drawer)).toHaveLength(3));
    act(() =>
      fake.emit({
        type: 'job.progress',
        jobId: 'j-run',
        progress: { fraction: 0.6, message: 'Downloading 3 of 4 layers', layers: [] },
      }),
    );
    const running = within(drawer).getByRole('listitem', { name: 'Pull lab/remote:1.0' });
    expect(running.textContent).toContain('Downloading 3 of 4 layers');
    expect(within(running).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('60');

    act(() =>
      fake.emit({
        type: 'job.end',
        job: job({
          id: 'j-run',
          state: 'done',
          progress: { fraction: 1, message: 'Done', layers: [] },
          result: { imageId: hex('e'), reference: 'lab/remote:1.0' },
          startedAt: '2026-01-01T01:00:00.000Z',
          endedAt: '2026-01-01T01:00:07.000Z',
        }),
      }),
    );
    const done = within(drawer).getByRole('listitem', { name: 'Pull lab/remote:1.0' });
    expect(done.textContent).toContain('Done');
    expect(done.textContent).toContain('7 s');
    expect(done.textContent).toContain(`Pulled lab/remote:1.0 (${hex('e').replace('sha256:', '').slice(0, 12)})`);
    expect(within(done).queryByRole('progressbar')).toBeNull();
    expect(screen.getByRole('button', { name: 'Jobs' })).toBeTruthy();
  });

  it('a job started after mount is fetched from jobs.list and listed', async () => {
    let jobs: readonly JobInfo[] = [];
    const { fake, drawer } = setup(() => jobs);
    await waitFor(() => expect(fake.callsOf('jobs.list').length).toBeGreaterThan(0));
    expect(drawer.textContent).toContain('No jobs yet');
    jobs = [job({ id: 'j-new', kind: 'build', title: 'ctx' })];
    act(() =>
      fake.emit({
        type: 'job.progress',
        jobId: 'j-new',
        progress: { fraction: null, message: 'Step 1/3', layers: [] },
      }),
    );
    await waitFor(() => expect(within(drawer).getAllByRole('listitem')).toHaveLength(1));
    expect(drawer.textContent).toContain('Step 1/3');
  });

  it('Cancel calls jobs.cancel with the job id', async () => {
    const { fake, drawer } = setup();
    await waitFor(() => expect(items(drawer)).toHaveLength(3));
    fireEvent.click(within(drawer).getByRole('button', { name: 'Cancel Pull lab/remote:1.0' }));
    await waitFor(() => expect(fake.callsOf('jobs.cancel')).toEqual([{ jobId: 'j-run' }]));
  });

  it('the header button toggles the drawer open state', () => {
    setup();
    const button = screen.getByRole('button', { name: /^Jobs/ });
    expect(button.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(button);
    expect(useUi.getState().jobsOpen).toBe(false);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [999, '0 s'],
    [12_000, '12 s'],
    [59_999, '59 s'],
    [60_000, '1 min'],
    [184_000, '3 min 4 s'],
    [3_600_000, '1 h'],
    [7_500_000, '2 h 5 min'],
    [-5, '0 s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('jobDuration: running counts to now, ended uses endedAt', () => {
    const startedAt = '2026-01-01T00:00:00.000Z';
    expect(jobDuration({ startedAt, endedAt: null }, Date.parse(startedAt) + 65_000)).toBe('1 min 5 s');
    expect(jobDuration({ startedAt, endedAt: '2026-01-01T00:00:12.000Z' }, 0)).toBe('12 s');
    expect(jobDuration({ startedAt: undefined, endedAt: null }, 0)).toBeUndefined();
  });
});
