// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { CleanupPlan, CleanupResult, JobInfo } from '../../../../shared/api';
import { resetUi, useUi, type CleanupPreset } from '../../app/uiStore';
import { createFakeBridge, hex } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';
import { CleanupDialog } from './CleanupDialog';
import { cleanupArgsOf, formOfPreset } from './cleanupForm';

beforeEach(resetUi);
afterEach(cleanup);

const PLAN: CleanupPlan = {
  engineId: 'default',
  containers: [{ id: 'c2', name: 'old', image: 'lab/app:1.0', status: 'Exited (0) 1 hour ago', size: 1_024 }],
  volumes: [{ name: 'scratch', size: null }],
  images: {
    engineId: 'default',
    args: { mode: 'dangling', labels: ['t=1'] },
    remove: [{ imageId: hex('d'), references: [], size: 30_000, deleted: true }],
    keep: [],
    reclaimBytes: 30_000,
    freedLayers: 1,
    unknownSizeLayers: 0,
    computedAt: '2026-01-01T00:00:00Z',
  },
  buildCache: [
    {
      id: 'cacheid1234567890',
      type: 'regular',
      description: '<i>RUN make</i>',
      size: 42_000,
      inUse: false,
      shared: false,
      usageCount: 1,
      createdAt: null,
      lastUsedAt: null,
    },
  ],
  bytes: { containers: 1_024, volumes: 0, images: 30_000, buildCache: 42_000, total: 73_024 },
  unknownSizes: ['volume scratch'],
  computedAt: '2026-01-01T00:00:00Z',
};

function endedJob(result: CleanupResult): JobInfo {
  return {
    id: 'job-c',
    kind: 'cleanup',
    engineId: 'default',
    title: 'Clean up',
    state: 'done',
    progress: { fraction: 1, message: '', layers: [] },
    error: null,
    result,
    startedAt: '2026-01-01T00:00:00Z',
    endedAt: '2026-01-01T00:00:01Z',
  };
}

function setup(preset: CleanupPreset = 'all') {
  useUi.getState().openDialog({ kind: 'cleanup', preset });
  const fake = createFakeBridge({
    'disk.cleanupPreview': () => ({ ok: true, value: PLAN }),
    'disk.cleanup': () => ({ ok: true, value: { jobId: 'job-c' } }),
    'jobs.list': () => ({ ok: true, value: [] }),
  });
  renderWith(fake, <CleanupDialog dialog={{ kind: 'cleanup', preset }} />);
  return { fake, dialog: screen.getByRole('dialog', { name: 'Clean up disk' }) };
}

describe('cleanup form', () => {
  it('presets: "all" is what docker system prune takes by default (no volumes)', () => {
    expect(cleanupArgsOf(formOfPreset('all'))).toEqual({
      ok: true,
      args: { containers: true, images: 'dangling', volumes: false, buildCache: true },
    });
    expect(cleanupArgsOf(formOfPreset('volumes'))).toEqual({
      ok: true,
      args: { containers: false, images: 'none', volumes: true, buildCache: false },
    });
    expect(cleanupArgsOf({ ...formOfPreset('unused-images'), until: '24h', labels: 'a=b, !keep' })).toEqual({
      ok: true,
      args: {
        containers: false,
        images: 'all',
        volumes: false,
        buildCache: false,
        until: '24h',
        labels: ['a=b', '!keep'],
      },
    });
    expect(cleanupArgsOf({ ...formOfPreset('all'), containers: false, images: 'none', buildCache: false })).toEqual({
      ok: false,
      reason: 'Pick at least one thing to clean up.',
    });
  });
});

describe('CleanupDialog', () => {
  it('previews exactly what goes per part with the bytes, then cleans up and shows what the engine reclaimed', async () => {
    const { fake, dialog } = setup('all');
    const cleanButton = within(dialog).getByRole('button', { name: 'Clean up' });
    expect(cleanButton).toHaveProperty('disabled', true);
    expect(within(dialog).getByLabelText('Stopped containers')).toHaveProperty('checked', true);
    expect(within(dialog).getByLabelText(/Unused volumes/)).toHaveProperty('checked', false);
    fireEvent.click(within(dialog).getByLabelText(/Unused volumes/));
    fireEvent.change(within(dialog).getByLabelText('Label filters'), { target: { value: 't=1' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Preview' }));
    await waitFor(() =>
      expect(fake.callsOf('disk.cleanupPreview')).toEqual([
        { containers: true, images: 'dangling', volumes: true, buildCache: true, labels: ['t=1'] },
      ]),
    );
    const containers = await within(dialog).findByRole('table', { name: 'Containers that go' });
    expect(containers.textContent).toContain('old');
    expect(within(dialog).getByRole('region', { name: 'Stopped containers to remove' }).textContent).toContain(
      'Stopped containers: 1 · 1.024kB',
    );
    expect(within(dialog).getByRole('table', { name: 'Volumes that go' }).textContent).toContain('scratchunknown');
    expect(within(dialog).getByRole('table', { name: 'Images that go' }).textContent).toContain('dddddddddddd');
    expect(within(dialog).getByRole('table', { name: 'Build cache that goes' }).textContent).toContain(
      '<i>RUN make</i>',
    );
    expect(dialog.querySelector('i')).toBeNull();
    expect(dialog.textContent).toContain('4 items go; 73.02kB freed');
    expect(dialog.textContent).toContain('Sizes not known (not counted in the totals): volume scratch');
    expect(cleanButton).toHaveProperty('disabled', false);

    // A change makes the preview stale.
    fireEvent.click(within(dialog).getByLabelText('Build cache'));
    expect(cleanButton).toHaveProperty('disabled', true);
    expect(dialog.textContent).toContain('preview again before cleaning up');
    fireEvent.click(within(dialog).getByLabelText('Build cache'));
    expect(cleanButton).toHaveProperty('disabled', false);

    fireEvent.click(cleanButton);
    await waitFor(() =>
      expect(fake.callsOf('disk.cleanup')).toEqual([
        { containers: true, images: 'dangling', volumes: true, buildCache: true, labels: ['t=1'] },
      ]),
    );
    await waitFor(() => expect(fake.callsOf('jobs.list')).toHaveLength(1));
    const result: CleanupResult = {
      plan: PLAN,
      containers: { deleted: ['c2'], spaceReclaimed: 1_024 },
      volumes: { deleted: ['scratch'], spaceReclaimed: 5_000 },
      images: { deleted: [hex('d')], untagged: [], spaceReclaimed: 30_000 },
      buildCache: { deleted: ['cacheid1234567890'], spaceReclaimed: 42_000 },
      spaceReclaimed: 78_024,
      differences: [],
    };
    act(() => fake.emit({ type: 'job.end', job: endedJob(result) }));
    expect(within(dialog).getByRole('status').textContent).toBe(
      'The engine reclaimed 78.02kB in all (the preview said 73.02kB).',
    );
    expect(dialog.textContent).toContain('Unused volumes1 volume deleted, 5kB reclaimed');
    expect(dialog.textContent).toContain(
      'Images1 record deleted (images and layers), 0 references untagged, 30kB reclaimed',
    );
    expect(dialog.textContent).toContain('It did exactly what the preview said.');
    expect(within(dialog).queryByRole('alert')).toBeNull();
    expect(cleanButton).toHaveProperty('disabled', true);
  });

  it('lists the differences from the preview', async () => {
    const { fake, dialog } = setup('containers');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Preview' }));
    await within(dialog).findByRole('table', { name: 'Containers that go' });
    expect(within(dialog).queryByRole('table', { name: 'Volumes that go' })).toBeNull();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Clean up' }));
    await waitFor(() => expect(fake.callsOf('jobs.list')).toHaveLength(1));
    act(() =>
      fake.emit({
        type: 'job.end',
        job: endedJob({
          plan: PLAN,
          containers: { deleted: [], spaceReclaimed: 0 },
          volumes: null,
          images: null,
          buildCache: null,
          spaceReclaimed: 0,
          differences: ['Container old was in the preview but the engine did not remove it.'],
        }),
      }),
    );
    const alert = within(dialog).getByRole('alert');
    expect(alert.textContent).toContain('did not do exactly what the preview said');
    expect(alert.textContent).toContain('Container old was in the preview');
  });

  it('refuses an empty choice or a bad filter without calling the engine', () => {
    const { fake, dialog } = setup('containers');
    fireEvent.click(within(dialog).getByLabelText('Stopped containers'));
    expect(dialog.textContent).toContain('Pick at least one thing to clean up.');
    expect(within(dialog).getByRole('button', { name: 'Preview' })).toHaveProperty('disabled', true);
    fireEvent.click(within(dialog).getByLabelText('Stopped containers'));
    fireEvent.change(within(dialog).getByLabelText(/until/), { target: { value: 'yesterday' } });
    expect(dialog.textContent).toContain('Use a duration such as "24h"');
    expect(within(dialog).getByRole('button', { name: 'Preview' })).toHaveProperty('disabled', true);
    expect(fake.calls).toHaveLength(0);
  });

  it('shows a failed preview plainly', async () => {
    useUi.getState().openDialog({ kind: 'cleanup', preset: 'volumes' });
    const fake = createFakeBridge({
      'disk.cleanupPreview': () => ({
        ok: false,
        error: { code: 'engine_unreachable', message: 'The engine is not running.' },
      }),
    });
    renderWith(fake, <CleanupDialog dialog={{ kind: 'cleanup', preset: 'volumes' }} />);
    const dialog = screen.getByRole('dialog', { name: 'Clean up disk' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Preview' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'Could not compute the preview: The engine is not running.',
    );
  });
});
