// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { resetUi, useUi } from '../../app/uiStore';
import { CONNECTED, createFakeBridge, hex, image } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';
import { TagDialog, tagProblem } from './TagDialog';

beforeEach(resetUi);
afterEach(cleanup);

function setup(repoTags: string[]) {
  const dialog = { kind: 'tag', imageId: hex('a'), label: repoTags[0] ?? 'aaaaaaaaaaaa' } as const;
  useUi.getState().openDialog(dialog);
  const fake = createFakeBridge({
    'engine.ping': () => ({ ok: true, value: CONNECTED }),
    'images.list': () => ({ ok: true, value: [image({ id: hex('a'), repoTags })] }),
    'images.tag': (args) => ({
      ok: true,
      value: { reference: args.reference, tagged: args.tags.map((t) => (/:[^/]*$/.test(t) ? t : `${t}:latest`)) },
    }),
    'images.remove': (args) => ({
      ok: true,
      value: { reference: args.reference, untagged: [args.reference], deleted: [] },
    }),
  });
  renderWith(fake, <TagDialog dialog={dialog} />);
  return { fake, dialog: screen.getByRole('dialog', { name: 'Tag image' }) };
}

describe('tagProblem', () => {
  it('accepts repo[:tag] with a registry host, refuses bad names, digests and IDs', () => {
    expect(tagProblem('127.0.0.1:5000/team/app:v1')).toBeUndefined();
    expect(tagProblem('')).toBeUndefined();
    expect(tagProblem('Team/App')).toMatch(/lowercase/);
    expect(tagProblem(`app@sha256:${'1'.repeat(64)}`)).toMatch(/digest/);
    expect(tagProblem(hex('b'))).toMatch(/image ID/);
  });
});

describe('TagDialog', () => {
  it('validates each field as it is typed and makes no call while one is invalid', async () => {
    const { fake, dialog } = setup(['lab/app:1.0']);
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'New tag 1' }), { target: { value: 'ok/one:1' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add another tag' }));
    const second = within(dialog).getByRole('textbox', { name: 'New tag 2' });
    fireEvent.change(second, { target: { value: 'Bad Name' } });
    expect(second.getAttribute('aria-invalid')).toBe('true');
    expect(dialog.textContent).toContain('"Bad Name" is not a valid image reference: it contains whitespace');
    const submit = within(dialog).getByRole('button', { name: 'Add 2 tags' });
    expect((submit as HTMLButtonElement).disabled).toBe(true);
    fireEvent.submit(dialog.querySelector('form')!);
    expect(fake.callsOf('images.tag')).toEqual([]);

    fireEvent.change(second, { target: { value: '127.0.0.1:5000/t/two' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add 2 tags' }));
    await waitFor(() =>
      expect(fake.callsOf('images.tag')).toEqual([{ reference: hex('a'), tags: ['ok/one:1', '127.0.0.1:5000/t/two'] }]),
    );
    expect((await within(dialog).findByRole('status')).textContent).toBe(
      'Added ok/one:1, 127.0.0.1:5000/t/two:latest.',
    );
  });

  it('lists the current tags; untagging one of several calls images.remove on that tag', async () => {
    const { fake, dialog } = setup(['lab/app:1.0', 'lab/app:latest']);
    fireEvent.click(await within(dialog).findByRole('button', { name: 'Untag lab/app:latest' }));
    await waitFor(() => expect(fake.callsOf('images.remove')).toEqual([{ reference: 'lab/app:latest' }]));
  });

  it('asks before untagging the last tag: the image will be removed', async () => {
    const { fake, dialog } = setup(['lab/only:1']);
    fireEvent.click(await within(dialog).findByRole('button', { name: 'Untag lab/only:1' }));
    expect(within(dialog).getByRole('alert').textContent).toBe('This is the last tag: the image will be removed.');
    expect(fake.callsOf('images.remove')).toEqual([]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove image' }));
    await waitFor(() => expect(fake.callsOf('images.remove')).toEqual([{ reference: 'lab/only:1' }]));
    await waitFor(() => expect(useUi.getState().dialog).toBeUndefined());
  });

  it('shows a failed tag call as a readable error', async () => {
    const dialog = { kind: 'tag', imageId: hex('a'), label: 'lab/app:1.0' } as const;
    useUi.getState().openDialog(dialog);
    const fake = createFakeBridge({
      'engine.ping': () => ({ ok: true, value: CONNECTED }),
      'images.list': () => ({ ok: true, value: [image({ id: hex('a'), repoTags: ['lab/app:1.0'] })] }),
      'images.tag': () => ({
        ok: false,
        error: { code: 'engine_error', message: 'Tagging "x": added "a:1"; failed "b:1" (boom).' },
      }),
    });
    renderWith(fake, <TagDialog dialog={dialog} />);
    const node = screen.getByRole('dialog', { name: 'Tag image' });
    fireEvent.change(within(node).getByRole('textbox', { name: 'New tag 1' }), { target: { value: 'b:1' } });
    fireEvent.click(within(node).getByRole('button', { name: 'Add tag' }));
    expect((await within(node).findByRole('alert')).textContent).toContain('failed "b:1" (boom)');
  });
});
