// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { BuildStep, JobInfo } from '../../../../shared/api';
import { useUi, resetUi } from '../../app/uiStore';
import { createFakeBridge, hex } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';
import { BuildDialog } from './BuildDialog';

beforeEach(() => {
  resetUi();
  useUi.getState().openDialog({ kind: 'build' });
});
afterEach(cleanup);

function step(number: number, state: BuildStep['state'], instruction: string, lines: string[] = []): BuildStep {
  return { number, total: 3, instruction, state, lines, droppedLines: 0 };
}

function ended(
  state: JobInfo['state'],
  steps: BuildStep[],
  failedStep: number | null,
  error: JobInfo['error'],
): JobInfo {
  return {
    id: 'job-b',
    kind: 'build',
    engineId: 'default',
    title: 't-build/app:1',
    state,
    progress: { fraction: 1, message: '', layers: [], build: { steps, failedStep } },
    error,
    result: state === 'done' ? { imageId: hex('b'), tags: ['t-build/app:1'] } : null,
    startedAt: '2026-01-01T00:00:00Z',
    endedAt: '2026-01-01T00:00:05Z',
  };
}

function setup() {
  const fake = createFakeBridge(
    {
      'images.build': () => ({ ok: true, value: { jobId: 'job-b' } }),
      'jobs.list': () => ({ ok: true, value: [] }),
      'jobs.cancel': () => ({ ok: true, value: { cancelled: true } }),
    },
    { mode: 'browser' },
  );
  renderWith(fake, <BuildDialog dialog={{ kind: 'build' }} />);
  const dialog = screen.getByRole('dialog', { name: 'Build image' });
  const start = within(dialog).getByRole('button', { name: 'Start build' });
  return { fake, dialog, start };
}

describe('BuildDialog', () => {
  it('checks tags, context and build args live and only then starts with the right arguments', async () => {
    const { fake, dialog, start } = setup();
    expect(start).toHaveProperty('disabled', true);
    expect(dialog.textContent).toContain("machine where Strata's service runs");

    fireEvent.change(within(dialog).getByLabelText('Context folder'), { target: { value: 'relative/dir' } });
    expect(dialog.textContent).toContain('Use an absolute path');
    fireEvent.change(within(dialog).getByLabelText('Context folder'), { target: { value: '/src/app' } });
    fireEvent.change(within(dialog).getByLabelText('Tags'), { target: { value: 'Bad:Tag' } });
    expect(dialog.textContent).toContain('is not a valid image reference');
    expect(start).toHaveProperty('disabled', true);
    fireEvent.change(within(dialog).getByLabelText('Tags'), { target: { value: 't-build/app:1 t-build/app:latest' } });

    fireEvent.click(within(dialog).getByRole('button', { name: 'Add build arg' }));
    fireEvent.change(within(dialog).getByLabelText('Build arg 1 name'), { target: { value: '1BAD' } });
    expect(dialog.textContent).toContain('A build arg name is letters');
    expect(start).toHaveProperty('disabled', true);
    fireEvent.change(within(dialog).getByLabelText('Build arg 1 name'), { target: { value: 'GREETING' } });
    fireEvent.change(within(dialog).getByLabelText('Build arg 1 value'), { target: { value: 'hi there' } });
    fireEvent.change(within(dialog).getByLabelText('Target stage'), { target: { value: 'final' } });
    fireEvent.click(within(dialog).getByLabelText('No cache'));
    expect(start).toHaveProperty('disabled', false);
    fireEvent.click(start);
    await waitFor(() =>
      expect(fake.callsOf('images.build')).toEqual([
        {
          contextPath: '/src/app',
          dockerfile: 'Dockerfile',
          tags: ['t-build/app:1', 't-build/app:latest'],
          buildArgs: { GREETING: 'hi there' },
          target: 'final',
          noCache: true,
          pull: false,
        },
      ]),
    );
  });

  it('streams the steps, keeps the running one open, cancels, and selects the built image at the end', async () => {
    const { fake, dialog, start } = setup();
    fireEvent.change(within(dialog).getByLabelText('Context folder'), { target: { value: '/src/app' } });
    fireEvent.change(within(dialog).getByLabelText('Tags'), { target: { value: 't-build/app:1' } });
    fireEvent.click(start);
    await waitFor(() => expect(fake.callsOf('jobs.list')).toHaveLength(1));
    act(() =>
      fake.emit({
        type: 'job.progress',
        jobId: 'job-b',
        progress: {
          fraction: 1 / 3,
          message: 'Step 2/3: RUN make',
          layers: [],
          build: {
            steps: [step(1, 'done', 'FROM lab/base:latest'), step(2, 'running', 'RUN make', ['compiling <b>x</b>'])],
            failedStep: null,
          },
        },
      }),
    );
    const list = within(dialog).getByRole('list', { name: 'Build steps' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(within(items[1]!).getByRole('button').getAttribute('aria-expanded')).toBe('true');
    expect(within(items[0]!).getByRole('button').getAttribute('aria-expanded')).toBe('false');
    // Output is text, never HTML.
    expect(items[1]!.textContent).toContain('compiling <b>x</b>');
    expect(items[1]!.querySelector('b')).toBeNull();
    // Collapsing by hand sticks.
    fireEvent.click(within(items[1]!).getByRole('button'));
    expect(within(items[1]!).getByRole('button').getAttribute('aria-expanded')).toBe('false');

    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel build' }));
    await waitFor(() => expect(fake.callsOf('jobs.cancel')).toEqual([{ jobId: 'job-b' }]));

    act(() =>
      fake.emit({
        type: 'job.end',
        job: ended(
          'done',
          [step(1, 'done', 'FROM x'), step(2, 'done', 'RUN make'), step(3, 'done', 'CMD y')],
          null,
          null,
        ),
      }),
    );
    expect(useUi.getState().highlight).toBe('t-build/app:1');
    expect(dialog.textContent).toContain('Built t-build/app:1');
    useUi.getState().setView('history');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close and show image' }));
    expect(useUi.getState().dialog).toBeUndefined();
    expect(useUi.getState().view).toBe('images');
  });

  it('a failed build highlights the failed step, opens it and shows the error', async () => {
    const { fake, dialog, start } = setup();
    fireEvent.change(within(dialog).getByLabelText('Context folder'), { target: { value: '/src/app' } });
    fireEvent.click(start);
    await waitFor(() => expect(fake.callsOf('jobs.list')).toHaveLength(1));
    const message = 'The build of t-build/app:1 failed at step 2/3 (RUN exit 3): non-zero code: 3';
    act(() =>
      fake.emit({
        type: 'job.end',
        job: ended('failed', [step(1, 'done', 'FROM x'), step(2, 'failed', 'RUN exit 3', ['about-to-fail'])], 1, {
          code: 'engine_error',
          message,
        }),
      }),
    );
    const items = within(within(dialog).getByRole('list', { name: 'Build steps' })).getAllByRole('listitem');
    expect(items[1]!.className).toContain('is-failed');
    expect(items[1]!.getAttribute('aria-label')).toBe('Step 2 of 3: failed');
    expect(within(items[1]!).getByRole('button').getAttribute('aria-expanded')).toBe('true');
    expect(within(items[1]!).getByRole('alert').textContent).toBe(message);
    expect(items[1]!.textContent).toContain('about-to-fail');
    expect(useUi.getState().highlight).toBeUndefined();
  });

  it('shows why a build could not start (a missing context)', async () => {
    const fake = createFakeBridge({
      'images.build': () => ({
        ok: false,
        error: {
          code: 'invalid_argument',
          message: 'The build context "/nope" does not exist; choose an existing folder.',
        },
      }),
      'jobs.list': () => ({ ok: true, value: [] }),
    });
    renderWith(fake, <BuildDialog dialog={{ kind: 'build' }} />);
    const dialog = screen.getByRole('dialog', { name: 'Build image' });
    fireEvent.change(within(dialog).getByLabelText('Context folder'), { target: { value: '/nope' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Start build' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('"/nope" does not exist');
  });

  it('on the desktop, Choose… fills the context folder from the native folder dialog', async () => {
    const fake = createFakeBridge(
      { 'jobs.list': () => ({ ok: true, value: [] }) },
      { mode: 'desktop', chooseOpenPath: () => Promise.resolve('/home/me/project') },
    );
    renderWith(fake, <BuildDialog dialog={{ kind: 'build' }} />);
    const dialog = screen.getByRole('dialog', { name: 'Build image' });
    expect(dialog.textContent).not.toContain("machine where Strata's service runs");
    fireEvent.click(within(dialog).getByRole('button', { name: 'Choose…' }));
    await waitFor(() =>
      expect(within(dialog).getByLabelText<HTMLInputElement>('Context folder').value).toBe('/home/me/project'),
    );
    expect(fake.fileCalls).toEqual([
      { fn: 'chooseOpenPath', args: [{ title: 'Choose the build context folder', folder: true }] },
    ]);
  });
});
