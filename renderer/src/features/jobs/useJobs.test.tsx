// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { JobInfo } from '../../../../shared/api';
import { resetUi, useUi } from '../../app/uiStore';
import { PullDialog } from '../images/PullDialog';
import { createFakeBridge, hex } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';
import { JobsButton, JobsDrawer } from './JobsDrawer';

beforeEach(resetUi);
afterEach(cleanup);

const REF = '127.0.0.1:5000/lab/remote:1.0';

const pullJob = (state: JobInfo['state']): JobInfo => ({
  id: 'job-1',
  kind: 'pull',
  engineId: 'default',
  title: REF,
  state,
  progress: { fraction: state === 'done' ? 1 : 0.5, message: '', layers: [] },
  error: null,
  result: state === 'done' ? { imageId: hex('e'), reference: REF } : null,
  startedAt: '2026-01-01T00:00:00Z',
  endedAt: state === 'running' ? null : '2026-01-01T00:00:05Z',
});

function setup(listed: () => readonly JobInfo[] = () => []) {
  const fake = createFakeBridge({
    'images.pull': () => ({ ok: true, value: { jobId: 'job-1' } }),
    'jobs.list': () => ({ ok: true, value: [...listed()] }),
  });
  return fake;
}

describe('one job store', () => {
  it('a pull started and run to its end costs no jobs.list call beyond the first snapshot', async () => {
    const fake = setup();
    useUi.getState().openDialog({ kind: 'pull' });
    // What the app shows at once: the header button (every job) and the Pull dialog (one job).
    renderWith(
      fake,
      <>
        <JobsButton />
        <PullDialog dialog={{ kind: 'pull' }} />
      </>,
    );
    await waitFor(() => expect(fake.callsOf('jobs.list')).toHaveLength(1));
    const dialog = screen.getByRole('dialog', { name: 'Pull image' });
    fireEvent.change(within(dialog).getByLabelText('Image reference'), { target: { value: REF } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Start pull' }));
    await waitFor(() => expect(useUi.getState().pullJobId).toBe('job-1'));

    act(() => fake.emit({ type: 'job.progress', jobId: 'job-1', progress: pullJob('running').progress }));
    expect(screen.getByRole('button', { name: 'Jobs · 1 running' })).toBeTruthy();
    expect(within(dialog).getByRole('progressbar', { name: 'Overall progress' }).getAttribute('aria-valuenow')).toBe(
      '50',
    );
    act(() => fake.emit({ type: 'job.end', job: pullJob('done') }));
    expect(within(dialog).getByRole('status').textContent).toContain(`Pulled ${REF}`);
    expect(screen.getByRole('button', { name: 'Jobs' })).toBeTruthy();

    await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
    expect(fake.callsOf('jobs.list')).toHaveLength(1);
    // One subscription to the event stream for the button and the dialog together.
    expect(fake.listenerCount()).toBe(1);
  });

  it('the open drawer asks jobs.list once what a job seen only from events is, and lists it by kind and title', async () => {
    let listed: readonly JobInfo[] = [];
    const fake = setup(() => listed);
    useUi.getState().setJobsOpen(true);
    renderWith(fake, <JobsDrawer />);
    await waitFor(() => expect(fake.callsOf('jobs.list')).toHaveLength(1));
    listed = [pullJob('running')];
    act(() => fake.emit({ type: 'job.progress', jobId: 'job-1', progress: pullJob('running').progress }));
    const drawer = screen.getByRole('complementary', { name: 'Jobs' });
    await waitFor(() => expect(within(drawer).getByRole('listitem', { name: `Pull ${REF}` })).toBeTruthy());
    act(() => fake.emit({ type: 'job.progress', jobId: 'job-1', progress: { ...pullJob('running').progress } }));
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
    expect(fake.callsOf('jobs.list')).toHaveLength(2);
  });
});
