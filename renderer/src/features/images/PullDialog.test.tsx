// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { JobInfo } from '../../../../shared/api';
import { useUi, resetUi } from '../../app/uiStore';
import { createFakeBridge, hex } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';
import { PullDialog } from './PullDialog';

beforeEach(() => {
  resetUi();
  useUi.getState().openDialog({ kind: 'pull' });
});
afterEach(cleanup);

const REF = '127.0.0.1:5000/lab/remote:1.0';

function endedJob(state: JobInfo['state'], error: JobInfo['error'] = null): JobInfo {
  return {
    id: 'job-1',
    kind: 'pull',
    engineId: 'default',
    title: REF,
    state,
    progress: { fraction: state === 'done' ? 1 : 0.4, message: '', layers: [] },
    error,
    result: state === 'done' ? { imageId: hex('e'), reference: REF } : null,
    startedAt: '2026-01-01T00:00:00Z',
    endedAt: '2026-01-01T00:00:05Z',
  };
}

function setup() {
  const fake = createFakeBridge({
    'images.pull': () => ({ ok: true, value: { jobId: 'job-1' } }),
    'jobs.list': () => ({ ok: true, value: [] }),
    'jobs.cancel': () => ({ ok: true, value: { cancelled: true } }),
  });
  renderWith(fake, <PullDialog dialog={{ kind: 'pull' }} />);
  const dialog = screen.getByRole('dialog', { name: 'Pull image' });
  const input = within(dialog).getByLabelText('Image reference');
  const start = within(dialog).getByRole('button', { name: 'Start pull' });
  return { fake, dialog, input, start };
}

describe('PullDialog', () => {
  it('checks the reference on every keystroke: invalid disables Start pull, shows why, and calls nothing', () => {
    const { fake, dialog, input, start } = setup();
    expect(start).toHaveProperty('disabled', true);

    fireEvent.change(input, { target: { value: 'Alpine:3.19' } });
    expect(start).toHaveProperty('disabled', true);
    expect(dialog.textContent).toContain('repository names must be lowercase ("Alpine")');
    expect(input.getAttribute('aria-invalid')).toBe('true');

    fireEvent.change(input, { target: { value: 'alpine:' } });
    expect(dialog.textContent).toContain('the tag after ":" is empty');
    fireEvent.click(start);
    fireEvent.submit(input.closest('form')!);
    expect(fake.calls).toHaveLength(0);

    fireEvent.change(input, { target: { value: 'alpine:3.19' } });
    expect(start).toHaveProperty('disabled', false);
    expect(dialog.textContent).not.toContain('is not a valid image reference');
  });

  it('refuses an image ID before any call, with the reason the engine would give', () => {
    const { fake, dialog, input, start } = setup();
    fireEvent.change(input, { target: { value: hex('c') } });
    expect(start).toHaveProperty('disabled', true);
    expect(dialog.textContent).toContain('is an image ID, which cannot be pulled');
    fireEvent.submit(input.closest('form')!);
    expect(fake.calls).toHaveLength(0);
  });

  it('starts the pull, draws per-layer and overall progress from events, and cancels', async () => {
    const { fake, dialog, input, start } = setup();
    fireEvent.change(input, { target: { value: REF } });
    fireEvent.click(start);
    await waitFor(() => expect(fake.callsOf('images.pull')).toEqual([{ reference: REF }]));
    await waitFor(() => expect(fake.callsOf('jobs.list')).toHaveLength(1));

    const overall = within(dialog).getByRole('progressbar', { name: 'Overall progress' });
    expect(overall.getAttribute('aria-valuenow')).toBeNull(); // nothing known yet: indeterminate

    act(() =>
      fake.emit({
        type: 'job.progress',
        jobId: 'job-1',
        progress: {
          fraction: 0.42,
          message: 'Downloading 1 of 2 layers',
          layers: [
            { id: 'aaaaaaaaaaaaffff', status: 'Downloading', current: 4_000_000, total: 8_000_000, done: false },
            { id: 'bbbbbbbbbbbbffff', status: 'Waiting', current: 0, total: 0, done: false },
          ],
        },
      }),
    );
    // Another job's events are not shown.
    act(() =>
      fake.emit({ type: 'job.progress', jobId: 'other', progress: { fraction: 0.99, message: 'other', layers: [] } }),
    );

    expect(within(dialog).getByRole('progressbar', { name: 'Overall progress' }).getAttribute('aria-valuenow')).toBe(
      '42',
    );
    expect(dialog.textContent).toContain('Downloading 1 of 2 layers');
    const layerA = within(dialog).getByRole('progressbar', { name: 'Layer aaaaaaaaaaaa' });
    expect(layerA.getAttribute('aria-valuenow')).toBe('50');
    const waiting = within(dialog).getByRole('progressbar', { name: 'Layer bbbbbbbbbbbb' });
    expect(waiting.getAttribute('aria-valuenow')).toBeNull();
    expect(waiting.getAttribute('aria-valuetext')).toBe('Waiting');
    const layers = within(dialog).getByRole('list', { name: 'Layers' });
    expect(layers.textContent).toContain('4MB / 8MB');
    expect(layers.textContent).toContain('Waiting');
    expect(start).toHaveProperty('disabled', true);

    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel pull' }));
    await waitFor(() => expect(fake.callsOf('jobs.cancel')).toEqual([{ jobId: 'job-1' }]));

    act(() => fake.emit({ type: 'job.end', job: endedJob('cancelled') }));
    expect(dialog.textContent).toContain('The pull was cancelled.');
    expect(within(dialog).queryByRole('button', { name: 'Cancel pull' })).toBeNull();
  });

  it('shows success and marks the new image for the table to highlight', async () => {
    const { fake, dialog, input, start } = setup();
    fireEvent.change(input, { target: { value: REF } });
    fireEvent.click(start);
    await waitFor(() => expect(useUi.getState().pullJobId).toBe('job-1'));
    act(() => fake.emit({ type: 'job.end', job: endedJob('done') }));
    expect(within(dialog).getByRole('status').textContent).toContain(`Pulled ${REF}`);
    expect(useUi.getState().highlight).toBe(REF);
  });

  it('shows a failed pull with the error message, as text', async () => {
    const { fake, dialog, input, start } = setup();
    fireEvent.change(input, { target: { value: REF } });
    fireEvent.click(start);
    await waitFor(() => expect(useUi.getState().pullJobId).toBe('job-1'));
    const message = '<b>registry</b> made no progress for 120 s';
    act(() => fake.emit({ type: 'job.end', job: endedJob('failed', { code: 'registry_stalled', message }) }));
    const alert = within(dialog).getByRole('alert');
    expect(alert.textContent).toContain(`The pull failed: ${message}`);
    expect(alert.querySelector('b')).toBeNull();
    expect(start).toHaveProperty('disabled', false);
  });

  it('catches up with jobs.list when reopened on a running pull', async () => {
    useUi.getState().setPullJob('job-1');
    const running: JobInfo = {
      ...endedJob('running'),
      endedAt: null,
      progress: {
        fraction: 0.7,
        message: 'Extracting',
        layers: [{ id: 'cccccccccccc', status: 'Extracting', current: 7, total: 10, done: false }],
      },
    };
    const fake = createFakeBridge({ 'jobs.list': () => ({ ok: true, value: [running] }) });
    renderWith(fake, <PullDialog dialog={{ kind: 'pull' }} />);
    const dialog = screen.getByRole('dialog', { name: 'Pull image' });
    await waitFor(() =>
      expect(within(dialog).getByRole('progressbar', { name: 'Overall progress' }).getAttribute('aria-valuenow')).toBe(
        '70',
      ),
    );
    expect(dialog.textContent).toContain(REF);
    expect(within(dialog).getByRole('button', { name: 'Cancel pull' })).toBeTruthy();
  });
});
