// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { RemoveResult } from '../../../../shared/api';
import type { Outcome } from '../../../../shared/api';
import { resetUi, useUi, type RemoveTarget } from '../../app/uiStore';
import { createFakeBridge, hex } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';
import { RemoveDialog } from './RemoveDialog';

beforeEach(resetUi);
afterEach(cleanup);

const conflictMessage =
  'conflict: unable to remove repository reference "lab/app:1.0" (must force) - container 0123abcd is using its referenced image';

function open(target: RemoveTarget, answers: ((args: unknown) => Outcome<RemoveResult>)[]) {
  useUi.getState().openDialog({ kind: 'remove', target });
  let call = 0;
  const fake = createFakeBridge({
    'images.remove': (args) => {
      const answer = answers[Math.min(call, answers.length - 1)]!;
      call += 1;
      return answer(args);
    },
  });
  renderWith(fake, <RemoveDialog dialog={{ kind: 'remove', target }} />);
  return { fake, dialog: screen.getByRole('dialog', { name: 'Remove image' }) };
}

const removed = (reference: string): Outcome<RemoveResult> => ({
  ok: true,
  value: { reference, untagged: [reference], deleted: [] },
});

describe('RemoveDialog', () => {
  it('names the image, removes it and closes', async () => {
    const target = { imageId: hex('b'), reference: 'lab/base:latest', label: 'lab/base:latest', tagCount: 1 };
    const { fake, dialog } = open(target, [() => removed('lab/base:latest')]);
    expect(within(dialog).getByRole('heading').textContent).toBe('Remove lab/base:latest?');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(useUi.getState().dialog).toBeUndefined());
    expect(fake.callsOf('images.remove')).toEqual([{ reference: 'lab/base:latest' }]);
  });

  it('says that only this tag goes when the image has several', () => {
    const target = { imageId: hex('a'), reference: 'lab/app:stable', label: 'lab/app:stable', tagCount: 3 };
    const { dialog } = open(target, [() => removed('lab/app:stable')]);
    expect(dialog.textContent).toContain('This image has 3 tags. Only the tag lab/app:stable is removed');
  });

  it('names a dangling image by its short ID and removes it by ID', async () => {
    const target = { imageId: hex('c'), reference: hex('c'), label: 'cccccccccccc', tagCount: 0 };
    const { fake, dialog } = open(target, [() => removed(hex('c'))]);
    expect(within(dialog).getByRole('heading').textContent).toBe('Remove cccccccccccc?');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(fake.callsOf('images.remove')).toEqual([{ reference: hex('c') }]));
  });

  it("on conflict shows the engine's reason and offers Force remove, which calls again with force", async () => {
    const target = { imageId: hex('a'), reference: 'lab/app:1.0', label: 'lab/app:1.0', tagCount: 1 };
    const { fake, dialog } = open(target, [
      () => ({ ok: false, error: { code: 'conflict', message: conflictMessage } }),
      () => removed('lab/app:1.0'),
    ]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain(conflictMessage);
    expect(useUi.getState().dialog).toEqual({ kind: 'remove', target });

    const force = within(dialog).getByRole('button', { name: 'Force remove' });
    expect(within(dialog).queryByRole('button', { name: 'Remove' })).toBeNull();
    fireEvent.click(force);
    await waitFor(() => expect(useUi.getState().dialog).toBeUndefined());
    expect(fake.callsOf('images.remove')).toEqual([
      { reference: 'lab/app:1.0' },
      { reference: 'lab/app:1.0', force: true },
    ]);
  });

  it('shows other errors without offering force', async () => {
    const target = { imageId: hex('a'), reference: 'lab/app:1.0', label: 'lab/app:1.0', tagCount: 1 };
    const { dialog } = open(target, [
      () => ({ ok: false, error: { code: 'not_found', message: 'No such image: lab/app:1.0' } }),
    ]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('No such image: lab/app:1.0');
    expect(within(dialog).queryByRole('button', { name: 'Force remove' })).toBeNull();
  });
});
