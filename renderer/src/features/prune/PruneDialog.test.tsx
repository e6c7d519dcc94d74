// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { JobInfo, PruneArgs, PrunePlan, PruneResult } from '../../../../shared/api';
import { resetUi, useUi } from '../../app/uiStore';
import { createFakeBridge, hex } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';
import { argsOf, PruneDialog } from './PruneDialog';

beforeEach(() => {
  resetUi();
  useUi.getState().openDialog({ kind: 'prune' });
});
afterEach(cleanup);

function planFor(args: PruneArgs): PrunePlan {
  return {
    engineId: 'default',
    args,
    remove: [
      { imageId: hex('a'), references: [], size: 3_000_000, deleted: true },
      { imageId: hex('b'), references: ['team/app:old'], size: 1_000_000, deleted: false },
    ],
    keep: [
      {
        imageId: hex('c'),
        references: ['<b>evil</b>:1'],
        reason: 'in-use',
        detail: 'used by container lab-stopped (exited)',
      },
      {
        imageId: hex('d'),
        references: ['lab/base:latest'],
        reason: 'has-children',
        detail: 'lab/app:1.0 is built on it',
      },
    ],
    reclaimBytes: 2_000_000,
    freedLayers: 2,
    unknownSizeLayers: 0,
    computedAt: '2026-01-01T00:00:00Z',
  };
}

function endedJob(result: PruneResult): JobInfo {
  return {
    id: 'job-p',
    kind: 'prune',
    engineId: 'default',
    title: 'Prune dangling images',
    state: 'done',
    progress: { fraction: 1, message: '', layers: [] },
    error: null,
    result,
    startedAt: '2026-01-01T00:00:00Z',
    endedAt: '2026-01-01T00:00:01Z',
  };
}

function setup() {
  const fake = createFakeBridge({
    'images.prunePreview': (args) => ({ ok: true, value: planFor(args) }),
    'images.prune': () => ({ ok: true, value: { jobId: 'job-p' } }),
    'jobs.list': () => ({ ok: true, value: [] }),
  });
  renderWith(fake, <PruneDialog dialog={{ kind: 'prune' }} />);
  const dialog = screen.getByRole('dialog', { name: 'Prune images' });
  return { fake, dialog };
}

describe('PruneDialog', () => {
  it('previews with the chosen mode and filters: what goes, what stays and why, bytes freed', async () => {
    const { fake, dialog } = setup();
    const prune = within(dialog).getByRole('button', { name: 'Prune' });
    expect(prune).toHaveProperty('disabled', true); // no preview yet

    fireEvent.click(within(dialog).getByLabelText(/All unused images/));
    fireEvent.change(within(dialog).getByLabelText(/until/), { target: { value: '24h' } });
    fireEvent.change(within(dialog).getByLabelText('Label filters'), { target: { value: 'team=web, !keep' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Preview' }));
    await waitFor(() =>
      expect(fake.callsOf('images.prunePreview')).toEqual([
        { mode: 'all', until: '24h', labels: ['team=web', '!keep'] },
      ]),
    );

    const table = await within(dialog).findByRole('table', { name: 'Images that go' });
    expect(table.textContent).toContain('team/app:old');
    expect(table.textContent).toContain('Untagged; the image stays');
    expect(dialog.textContent).toContain('1 image deleted, 1 only untagged; 2MB freed');
    expect(within(dialog).getByRole('region', { name: 'Used by a container' }).textContent).toContain(
      'used by container lab-stopped (exited)',
    );
    expect(within(dialog).getByRole('region', { name: 'Other images are built on them' }).textContent).toContain(
      'lab/app:1.0 is built on it',
    );
    // Untrusted tags are text.
    expect(dialog.querySelector('b')).toBeNull();
    expect(dialog.textContent).toContain('<b>evil</b>:1');
    expect(prune).toHaveProperty('disabled', false);

    // Changing a filter makes the preview stale: Prune waits for a new one.
    fireEvent.change(within(dialog).getByLabelText(/until/), { target: { value: '48h' } });
    expect(prune).toHaveProperty('disabled', true);
    expect(dialog.textContent).toContain('preview again before pruning');
  });

  it('refuses invalid filters without calling the engine', () => {
    const { fake, dialog } = setup();
    fireEvent.change(within(dialog).getByLabelText(/until/), { target: { value: 'yesterday' } });
    expect(dialog.textContent).toContain('Use a duration such as "24h"');
    expect(within(dialog).getByRole('button', { name: 'Preview' })).toHaveProperty('disabled', true);
    expect(fake.calls).toHaveLength(0);
    expect(argsOf('dangling', '', 'a=b c')).toEqual({ ok: true, args: { mode: 'dangling', labels: ['a=b', 'c'] } });
  });

  it('prunes, then shows what the engine reported and flags differences from the preview', async () => {
    const { fake, dialog } = setup();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Preview' }));
    await within(dialog).findByRole('table', { name: 'Images that go' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Prune' }));
    await waitFor(() => expect(fake.callsOf('images.prune')).toEqual([{ mode: 'dangling' }]));
    await waitFor(() => expect(fake.callsOf('jobs.list')).toHaveLength(1));
    act(() =>
      fake.emit({
        type: 'job.progress',
        jobId: 'job-p',
        progress: { fraction: 0.5, message: 'Pruning: this cannot be cancelled or undone now.', layers: [] },
      }),
    );
    expect(dialog.textContent).toContain('cannot be cancelled or undone now');

    const result: PruneResult = {
      deleted: [hex('a'), hex('e')],
      untagged: ['team/app:old'],
      spaceReclaimed: 2_500_000,
      plan: planFor({ mode: 'dangling' }),
      differences: ['The engine reclaimed 2500000 bytes; the preview expected 2000000.'],
    };
    act(() => fake.emit({ type: 'job.end', job: endedJob(result) }));
    expect(within(dialog).getByRole('status').textContent).toContain('reclaimed 2.5MB');
    const alert = within(dialog).getByRole('alert');
    expect(alert.textContent).toContain('did not do exactly what the preview said');
    expect(alert.textContent).toContain('the preview expected 2000000');
  });

  it('shows why the prune could not start, and clears it on the next preview', async () => {
    const fake = createFakeBridge({
      'images.prunePreview': (args) => ({ ok: true, value: planFor(args) }),
      'images.prune': () => ({
        ok: false,
        error: { code: 'engine_unreachable', message: 'The engine is not running.' },
      }),
      'jobs.list': () => ({ ok: true, value: [] }),
    });
    renderWith(fake, <PruneDialog dialog={{ kind: 'prune' }} />);
    const dialog = screen.getByRole('dialog', { name: 'Prune images' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Preview' }));
    await within(dialog).findByRole('table', { name: 'Images that go' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Prune' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toBe('Could not start the prune: The engine is not running.');
    expect(within(dialog).getByRole('button', { name: 'Prune' })).toHaveProperty('disabled', false);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Preview' }));
    await waitFor(() => expect(fake.callsOf('images.prunePreview')).toHaveLength(2));
    await waitFor(() => expect(within(dialog).queryByRole('alert')).toBeNull());
  });

  it('shows why a running prune could not be cancelled', async () => {
    const fake = createFakeBridge({
      'images.prunePreview': (args) => ({ ok: true, value: planFor(args) }),
      'images.prune': () => ({ ok: true, value: { jobId: 'job-p' } }),
      'jobs.list': () => ({ ok: true, value: [] }),
      'jobs.cancel': () => ({ ok: false, error: { code: 'conflict', message: 'It is too late to cancel.' } }),
    });
    renderWith(fake, <PruneDialog dialog={{ kind: 'prune' }} />);
    const dialog = screen.getByRole('dialog', { name: 'Prune images' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Preview' }));
    await within(dialog).findByRole('table', { name: 'Images that go' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Prune' }));
    fireEvent.click(await within(dialog).findByRole('button', { name: 'Cancel prune' }));
    await waitFor(() => expect(fake.callsOf('jobs.cancel')).toEqual([{ jobId: 'job-p' }]));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('Could not cancel: It is too late to cancel.');
  });

  it('says so when the engine did exactly what the preview said', async () => {
    const { fake, dialog } = setup();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Preview' }));
    await within(dialog).findByRole('table', { name: 'Images that go' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Prune' }));
    await waitFor(() => expect(fake.callsOf('jobs.list')).toHaveLength(1));
    const plan = planFor({ mode: 'dangling' });
    act(() =>
      fake.emit({
        type: 'job.end',
        job: endedJob({
          deleted: [hex('a')],
          untagged: ['team/app:old'],
          spaceReclaimed: 2_000_000,
          plan,
          differences: [],
        }),
      }),
    );
    expect(dialog.textContent).toContain('It did exactly what the preview said.');
    expect(within(dialog).queryByRole('alert')).toBeNull();
  });
});
