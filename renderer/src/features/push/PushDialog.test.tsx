// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { JobInfo } from '../../../../shared/api';
import { resetUi, useUi } from '../../app/uiStore';
import { createFakeBridge } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';
import { PushDialog, pushTargetOf } from './PushDialog';

const REF = '127.0.0.1:5000/team/app:v1';
const DIGEST = `sha256:${'d'.repeat(64)}`;

beforeEach(() => {
  resetUi();
  useUi.getState().openDialog({ kind: 'push', reference: REF });
});
afterEach(cleanup);

function endedJob(state: JobInfo['state'], error: JobInfo['error'] = null): JobInfo {
  return {
    id: 'job-9',
    kind: 'push',
    engineId: 'default',
    title: REF,
    state,
    progress: { fraction: state === 'done' ? 1 : 0.3, message: '', layers: [] },
    error,
    result: state === 'done' ? { reference: REF, digest: DIGEST, size: 735 } : null,
    startedAt: '2026-01-01T00:00:00Z',
    endedAt: '2026-01-01T00:00:05Z',
  };
}

function setup(reference = REF) {
  const fake = createFakeBridge({
    'images.push': () => ({ ok: true, value: { jobId: 'job-9' } }),
    'jobs.list': () => ({ ok: true, value: [] }),
    'jobs.cancel': () => ({ ok: true, value: { cancelled: true } }),
  });
  renderWith(fake, <PushDialog dialog={{ kind: 'push', reference }} />);
  const dialog = screen.getByRole('dialog', { name: 'Push image' });
  return { fake, dialog };
}

describe('pushTargetOf', () => {
  it('names the registry, repository and tag; Docker Hub when there is no registry; nothing for IDs and digests', () => {
    expect(pushTargetOf(REF)).toEqual({ registry: '127.0.0.1:5000', hub: false, repository: 'team/app', tag: 'v1' });
    expect(pushTargetOf('team/app')).toEqual({
      registry: 'Docker Hub (docker.io)',
      hub: true,
      repository: 'team/app',
      tag: 'latest',
    });
    expect(pushTargetOf(`sha256:${'a'.repeat(64)}`)).toBeUndefined();
    expect(pushTargetOf(`team/app@sha256:${'a'.repeat(64)}`)).toBeUndefined();
  });
});

describe('PushDialog', () => {
  it('shows the target, pushes, draws per-layer progress, and ends with the digest', async () => {
    const { fake, dialog } = setup();
    const target = within(dialog).getByLabelText('Push target');
    expect(target.textContent).toContain('Registry127.0.0.1:5000');
    expect(target.textContent).toContain('Repositoryteam/app');
    expect(target.textContent).toContain('Tagv1');

    fireEvent.click(within(dialog).getByRole('button', { name: 'Push' }));
    await waitFor(() => expect(fake.callsOf('images.push')).toEqual([{ reference: REF }]));
    await waitFor(() => expect(fake.callsOf('jobs.list')).toHaveLength(1));

    act(() =>
      fake.emit({
        type: 'job.progress',
        jobId: 'job-9',
        progress: {
          fraction: 0.5,
          message: 'Pushing 1 of 2 layers (1.0 MB / 2.0 MB)',
          layers: [
            { id: '51a29e3f7432', status: 'Pushing', current: 1_000_000, total: 2_000_000, done: false },
            { id: 'f8b9899dd72f', status: 'Layer already exists', current: 0, total: 0, done: true },
          ],
        },
      }),
    );
    expect(within(dialog).getByRole('progressbar', { name: 'Overall progress' }).getAttribute('aria-valuenow')).toBe(
      '50',
    );
    expect(dialog.textContent).toContain('Pushing 1 of 2 layers');
    expect(within(dialog).getByRole('progressbar', { name: 'Layer 51a29e3f7432' }).getAttribute('aria-valuenow')).toBe(
      '50',
    );
    const layers = within(dialog).getByRole('list', { name: 'Layers' });
    expect(layers.textContent).toContain('Layer already exists');
    expect(layers.textContent).toContain('1MB / 2MB');
    expect(within(dialog).getByRole('button', { name: 'Push' })).toHaveProperty('disabled', true);

    act(() => fake.emit({ type: 'job.end', job: endedJob('done') }));
    const status = within(dialog).getByRole('status');
    expect(status.textContent).toBe(`Pushed ${REF}. Digest: ${DIGEST}`);
    expect(within(dialog).queryByRole('button', { name: 'Cancel push' })).toBeNull();
  });

  it('cancels a running push', async () => {
    const { fake, dialog } = setup();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Push' }));
    await waitFor(() => expect(fake.callsOf('images.push')).toHaveLength(1));
    fireEvent.click(await within(dialog).findByRole('button', { name: 'Cancel push' }));
    await waitFor(() => expect(fake.callsOf('jobs.cancel')).toEqual([{ jobId: 'job-9' }]));
    act(() => fake.emit({ type: 'job.end', job: endedJob('cancelled') }));
    expect(dialog.textContent).toContain('The push was cancelled.');
    expect(within(dialog).getByRole('button', { name: 'Push again' })).toHaveProperty('disabled', false);
  });

  it('shows the readable failure the engine service gave', async () => {
    const { fake, dialog } = setup();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Push' }));
    await waitFor(() => expect(fake.callsOf('images.push')).toHaveLength(1));
    const message = `There is no local image ${REF} to push; tag an image as ${REF} first.`;
    act(() => fake.emit({ type: 'job.end', job: endedJob('failed', { code: 'not_found', message }) }));
    expect(within(dialog).getByRole('alert').textContent).toBe(`The push failed: ${message}`);
  });

  it('refuses an image without a tag before calling anything', () => {
    const { fake, dialog } = setup(`sha256:${'a'.repeat(64)}`);
    expect(within(dialog).getByRole('alert').textContent).toContain('cannot be pushed');
    expect(within(dialog).getByRole('button', { name: 'Push' })).toHaveProperty('disabled', true);
    expect(fake.calls).toHaveLength(0);
  });
});
