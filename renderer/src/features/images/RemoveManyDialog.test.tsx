// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { RemoveManyItem } from '../../../../shared/api';
import { resetUi, useUi } from '../../app/uiStore';
import { CONNECTED, createFakeBridge, hex, image } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';
import { RemoveManyDialog } from './RemoveManyDialog';

beforeEach(resetUi);
afterEach(cleanup);

const IMAGES = [
  image({ id: hex('a'), repoTags: ['lab/app:1.0', 'lab/app:latest'] }),
  image({ id: hex('b'), repoTags: ['t/used:1'] }),
  image({ id: hex('c'), repoTags: ['t/solo:1'] }),
];
const ITEMS = [
  { reference: 'lab/app:1.0', label: 'lab/app:1.0', imageId: hex('a') },
  { reference: 't/used:1', label: 't/used:1', imageId: hex('b') },
  { reference: 't/solo:1', label: 't/solo:1', imageId: hex('c') },
];
const inUse: RemoveManyItem = {
  reference: 't/used:1',
  ok: false,
  error: { code: 'conflict', message: 'Cannot remove image "t/used:1": container 0123 is using it. Use force.' },
};

function setup() {
  const dialog = { kind: 'removeMany', items: ITEMS } as const;
  useUi.getState().openDialog(dialog);
  const fake = createFakeBridge({
    'engine.ping': () => ({ ok: true, value: CONNECTED }),
    'images.list': () => ({ ok: true, value: IMAGES }),
    'images.removeMany': (args) => ({
      ok: true,
      value: args.references.map((reference): RemoveManyItem => {
        if (reference === 't/used:1' && args.force !== true) return inUse;
        const deleted = reference === 'lab/app:1.0' ? [] : [hex('d')];
        return { reference, ok: true, result: { reference, untagged: [reference], deleted } };
      }),
    }),
  });
  renderWith(fake, <RemoveManyDialog dialog={dialog} />);
  return { fake, dialog: screen.getByRole('dialog', { name: 'Remove images' }) };
}

describe('RemoveManyDialog', () => {
  it('one confirm lists every item and which take their image along', async () => {
    const { dialog } = setup();
    await waitFor(() => expect(within(dialog).getAllByText('last tag: the image is removed')).toHaveLength(2));
    const items = within(within(dialog).getByRole('list', { name: 'To remove' })).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      'lab/app:1.0untag only',
      't/used:1last tag: the image is removed',
      't/solo:1last tag: the image is removed',
    ]);
  });

  it('reports each item (one in use fails, the others go) and force-removes the one in use on request', async () => {
    const { fake, dialog } = setup();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove 3' }));
    const results = await within(dialog).findByRole('list', { name: 'Results' });
    expect(fake.callsOf('images.removeMany')).toEqual([{ references: ['lab/app:1.0', 't/used:1', 't/solo:1'] }]);
    expect(within(results).getByRole('listitem', { name: 'lab/app:1.0: untagged' })).toBeTruthy();
    expect(within(results).getByRole('listitem', { name: 't/solo:1: removed' })).toBeTruthy();
    const failed = within(results).getByRole('listitem', { name: 't/used:1: failed' });
    expect(failed.textContent).toContain('container 0123 is using it');
    expect(within(dialog).getByRole('status').textContent).toBe('2 of 3 done; 1 failed.');

    fireEvent.click(within(dialog).getByRole('button', { name: 'Force remove the 1 that is in use' }));
    await within(results).findByRole('listitem', { name: 't/used:1: removed' });
    expect(fake.callsOf('images.removeMany')[1]).toEqual({ references: ['t/used:1'], force: true });
    expect(within(dialog).getByRole('status').textContent).toBe('All 3 done.');
    expect(within(dialog).queryByRole('button', { name: /Force remove/ })).toBeNull();
  });

  it('Force applies to every item when ticked before the run', async () => {
    const { fake, dialog } = setup();
    fireEvent.click(within(dialog).getByRole('checkbox', { name: /Force/ }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove 3' }));
    await within(dialog).findByRole('list', { name: 'Results' });
    expect(fake.callsOf('images.removeMany')).toEqual([
      { references: ['lab/app:1.0', 't/used:1', 't/solo:1'], force: true },
    ]);
  });
});
