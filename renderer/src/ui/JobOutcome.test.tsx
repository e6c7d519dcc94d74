// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { JobOutcome } from './JobOutcome';

afterEach(cleanup);

const failure = { code: 'engine_error' as const, message: 'manifest unknown', detail: 'lab/none:1' };

describe('JobOutcome', () => {
  it('says nothing while the job runs or is not known yet', () => {
    const { container, rerender } = render(<JobOutcome state={undefined} error={undefined} verb="pull" done="Done." />);
    expect(container.textContent).toBe('');
    rerender(<JobOutcome state="running" error={null} verb="pull" done="Done." />);
    expect(container.textContent).toBe('');
  });

  it('done: what the dialog says, in a status notice', () => {
    render(<JobOutcome state="done" error={null} verb="pull" done="Pulled alpine:3.19." />);
    const status = screen.getByRole('status');
    expect(status.textContent).toBe('Pulled alpine:3.19.');
    expect(status.className).toBe('notice notice-ok');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('done without anything to say shows nothing; done content with its own notices is shown as it is', () => {
    const { container, rerender } = render(<JobOutcome state="done" error={null} verb="prune" done={null} />);
    expect(container.textContent).toBe('');
    rerender(
      <JobOutcome
        state="done"
        error={null}
        verb="prune"
        done={<p role="status">Reclaimed 1 MB.</p>}
        doneNotice={false}
      />,
    );
    const status = screen.getByRole('status');
    expect(status.textContent).toBe('Reclaimed 1 MB.');
    expect(status.parentElement).toBe(container);
  });

  it('failed: "The <verb> failed:" and the message, announced as an alert; the detail only when asked', () => {
    const { rerender } = render(<JobOutcome state="failed" error={failure} verb="push" done="Pushed." />);
    expect(screen.getByRole('alert').textContent).toBe('The push failed: manifest unknown');
    rerender(<JobOutcome state="failed" error={failure} verb="pull" done="Pulled." errorDetail />);
    expect(screen.getByRole('alert').textContent).toBe('The pull failed: manifest unknown (lab/none:1)');
    rerender(<JobOutcome state="failed" error={null} verb="save" done="Saved." />);
    expect(screen.getByRole('alert').textContent).toBe('The save failed: no reason given');
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('failed but reported elsewhere (the build log): nothing', () => {
    const { container } = render(
      <JobOutcome state="failed" error={failure} verb="build" done="Built." reportFailure={false} />,
    );
    expect(container.textContent).toBe('');
  });

  it('cancelled: "The <verb> was cancelled." or the dialog\'s own sentence', () => {
    const { rerender } = render(<JobOutcome state="cancelled" error={null} verb="pull" done="Pulled." />);
    expect(screen.getByRole('status').textContent).toBe('The pull was cancelled.');
    rerender(
      <JobOutcome
        state="cancelled"
        error={null}
        verb="load"
        done="Loaded."
        cancelled="The load was cancelled; nothing was kept."
      />,
    );
    expect(screen.getByRole('status').textContent).toBe('The load was cancelled; nothing was kept.');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
