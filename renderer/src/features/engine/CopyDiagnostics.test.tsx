// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { resetUi } from '../../app/uiStore';
import { DIAGNOSTICS } from '../../testing/diagnosticsFixtures';
import { createFakeBridge, type FakeHandlers } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';
import { CopyDiagnostics } from './CopyDiagnostics';
import { formatDiagnostics } from './diagnosticsText';

beforeEach(resetUi);
afterEach(() => {
  cleanup();
  Reflect.deleteProperty(navigator, 'clipboard');
});

const answering: FakeHandlers = { 'engine.diagnostics': () => ({ ok: true, value: DIAGNOSTICS }) };
const button = (): HTMLElement => screen.getByRole('button', { name: 'Copy diagnostics' });

describe('CopyDiagnostics', () => {
  it('fetches the diagnostics, copies them as text and says Copied', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const fake = createFakeBridge(answering);
    renderWith(fake, <CopyDiagnostics />);

    fireEvent.click(button());
    expect((await screen.findByRole('status')).textContent).toBe('Copied');
    expect(writeText).toHaveBeenCalledWith(formatDiagnostics(DIAGNOSTICS));
    expect(fake.callsOf('engine.diagnostics')).toHaveLength(1);
    expect(screen.queryByRole('textbox', { name: 'Diagnostics' })).toBeNull();
  });

  it('shows the text in a read-only box when there is no clipboard', async () => {
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
    renderWith(createFakeBridge(answering), <CopyDiagnostics />);

    fireEvent.click(button());
    const box = await screen.findByRole<HTMLTextAreaElement>('textbox', { name: 'Diagnostics' });
    expect(box.readOnly).toBe(true);
    expect(box.value).toBe(formatDiagnostics(DIAGNOSTICS));
    expect(screen.getByRole('status').textContent).toBe(
      'The clipboard is not available here. Select the text below and copy it.',
    );
    expect(screen.queryByText('Copied')).toBeNull();
  });

  it('shows the text too when the clipboard refuses it', async () => {
    const writeText = vi.fn(() => Promise.reject(new Error('Document is not focused')));
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderWith(createFakeBridge(answering), <CopyDiagnostics />);

    fireEvent.click(button());
    const box = await screen.findByRole<HTMLTextAreaElement>('textbox', { name: 'Diagnostics' });
    expect(box.value).toContain('Engine default');
    expect(screen.getByRole('status').textContent).toContain(
      'The clipboard refused the text (Document is not focused)',
    );
  });

  it('says why when the diagnostics cannot be collected, and can try again', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    let fail = true;
    renderWith(
      createFakeBridge({
        'engine.diagnostics': () =>
          fail
            ? { ok: false, error: { code: 'internal', message: 'the hub is closed' } }
            : { ok: true, value: DIAGNOSTICS },
      }),
      <CopyDiagnostics />,
    );

    fireEvent.click(button());
    expect((await screen.findByRole('alert')).textContent).toBe('Could not collect the diagnostics: the hub is closed');
    expect(writeText).not.toHaveBeenCalled();

    fail = false;
    fireEvent.click(button());
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Copied'));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
