// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Outcome, ResultOf } from '../../../../shared/api';
import { resetUi, useUi } from '../../app/uiStore';
import { createFakeBridge } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';
import { SearchDialog } from './SearchDialog';

const OFFLINE =
  'Docker Hub search needs the engine to reach index.docker.io, and it could not (no internet connection or DNS). Images already on this engine are unaffected.';

beforeEach(() => {
  resetUi();
  useUi.getState().openDialog({ kind: 'search' });
});
afterEach(cleanup);

function setup(answer: () => Outcome<ResultOf<'images.search'>>) {
  const fake = createFakeBridge({
    'images.search': answer,
    'images.pull': () => ({ ok: true, value: { jobId: 'job-3' } }),
  });
  renderWith(fake, <SearchDialog dialog={{ kind: 'search' }} />);
  const dialog = screen.getByRole('dialog', { name: 'Search Docker Hub' });
  const input = within(dialog).getByLabelText('Search term');
  const search = within(dialog).getByRole('button', { name: 'Search' });
  return { fake, dialog, input, search };
}

describe('SearchDialog', () => {
  it('lists results (description as text, stars, official badge) and pulls one through the Pull dialog', async () => {
    const { fake, dialog, input, search } = setup(() => ({
      ok: true,
      value: [
        { name: 'alpine', description: 'A minimal image', stars: 11234, official: true, automated: false },
        {
          name: 'someone/tools',
          description: '<img src=x onerror=alert(1)>',
          stars: 4,
          official: false,
          automated: true,
        },
      ],
    }));
    expect(search).toHaveProperty('disabled', true);
    fireEvent.change(input, { target: { value: ' alpine ' } });
    fireEvent.click(search);
    await waitFor(() => expect(fake.callsOf('images.search')).toEqual([{ term: 'alpine', limit: 25 }]));

    const table = await within(dialog).findByRole('table', { name: 'Search results' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(
      rows.map((r) =>
        within(r)
          .getAllByRole('cell')
          .map((c) => c.textContent),
      ),
    ).toEqual([
      ['alpineOfficial', 'A minimal image', '11,234', 'Pull'],
      ['someone/toolsAutomated', '<img src=x onerror=alert(1)>', '4', 'Pull'],
    ]);
    expect(table.querySelector('img')).toBeNull();

    fireEvent.click(within(table).getByRole('button', { name: 'Pull alpine' }));
    await waitFor(() => expect(fake.callsOf('images.pull')).toEqual([{ reference: 'alpine' }]));
    await waitFor(() => expect(useUi.getState().dialog).toEqual({ kind: 'pull' }));
    const ui = useUi.getState();
    expect(ui.pullJobId).toBe('job-3');
    expect(ui.pullReference).toBe('alpine');
    // The Pull dialog took the search dialog's place.
    expect(ui.dialog).toEqual({ kind: 'pull' });
  });

  it('shows exactly the engine service message when Docker Hub cannot be reached', async () => {
    const { dialog, input, search } = setup(() => ({ ok: false, error: { code: 'engine_error', message: OFFLINE } }));
    fireEvent.change(input, { target: { value: 'alpine' } });
    fireEvent.submit(input.closest('form')!);
    expect((await within(dialog).findByRole('alert')).textContent).toBe(OFFLINE);
    expect(within(dialog).queryByRole('table')).toBeNull();
    expect(search).toHaveProperty('disabled', false);
  });

  it('says so when nothing matches', async () => {
    const { dialog, input, search } = setup(() => ({ ok: true, value: [] }));
    fireEvent.change(input, { target: { value: 'zzzz' } });
    fireEvent.click(search);
    expect((await within(dialog).findByRole('status')).textContent).toBe('No images on Docker Hub match “zzzz”.');
  });
});
