// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { resetUi, useUi } from '../../app/uiStore';
import { createFakeBridge, hex } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';
import { Dialogs } from './Dialogs';

beforeEach(resetUi);
afterEach(cleanup);

function setup() {
  const fake = createFakeBridge({
    'jobs.list': () => ({ ok: true, value: [] }),
    'images.remove': (args) => ({
      ok: true,
      value: { reference: args.reference, untagged: [args.reference], deleted: [] },
    }),
  });
  renderWith(fake, <Dialogs />);
  return fake;
}

describe('Dialogs', () => {
  it('Pull and Remove are dialogs of the union: opening one puts it in place of the open one', () => {
    setup();
    act(() => useUi.getState().openDialog({ kind: 'search' }));
    expect(screen.getAllByRole('dialog')).toHaveLength(1);

    act(() => useUi.getState().openDialog({ kind: 'pull' }));
    expect(screen.getAllByRole('dialog')).toHaveLength(1);
    expect(screen.getByRole('dialog', { name: 'Pull image' })).toBeTruthy();

    const target = { imageId: hex('b'), reference: 'lab/base:latest', label: 'lab/base:latest', tagCount: 1 };
    act(() => useUi.getState().openDialog({ kind: 'remove', target }));
    expect(screen.getAllByRole('dialog')).toHaveLength(1);
    expect(within(screen.getByRole('dialog', { name: 'Remove image' })).getByRole('heading').textContent).toBe(
      'Remove lab/base:latest?',
    );

    act(() => useUi.getState().closeDialog());
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('Pull keeps its reference when closed and shown again', () => {
    setup();
    act(() => useUi.getState().openDialog({ kind: 'pull' }));
    fireEvent.change(screen.getByLabelText('Image reference'), { target: { value: 'alpine:3.19' } });
    // The footer's Close (the header has one too).
    const closes = within(screen.getByRole('dialog', { name: 'Pull image' })).getAllByRole('button', { name: 'Close' });
    fireEvent.click(closes[closes.length - 1]!);
    expect(useUi.getState().dialog).toBeUndefined();
    act(() => useUi.getState().openDialog({ kind: 'pull' }));
    expect(screen.getByLabelText<HTMLInputElement>('Image reference').value).toBe('alpine:3.19');
  });

  it('Remove of an image on another engine (All engines mode) calls that engine', async () => {
    const fake = setup();
    const target = {
      imageId: hex('c'),
      reference: 'lab/app:1.0',
      label: 'lab/app:1.0 on Lab',
      tagCount: 1,
      engineId: 'lab',
    };
    act(() => useUi.getState().openDialog({ kind: 'remove', target }));
    fireEvent.click(
      within(screen.getByRole('dialog', { name: 'Remove image' })).getByRole('button', { name: 'Remove' }),
    );
    await waitFor(() => expect(useUi.getState().dialog).toBeUndefined());
    expect(fake.callsOn('images.remove', 'lab')).toEqual([{ reference: 'lab/app:1.0' }]);
    expect(fake.callsOf('images.remove')).toHaveLength(1);
  });
});
