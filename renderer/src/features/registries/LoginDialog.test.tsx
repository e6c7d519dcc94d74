// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { resetUi, useUi } from '../../app/uiStore';
import { Dialogs } from '../shell/Dialogs';
import { createFakeBridge } from '../../testing/fakeBridge';
import { renderWith } from '../../testing/render';

beforeEach(() => {
  resetUi();
  useUi.getState().openDialog({ kind: 'login', registry: '127.0.0.1:5001' });
});
afterEach(cleanup);

function fill(password: string): void {
  fireEvent.change(screen.getByLabelText('User name'), { target: { value: 'alice' } });
  fireEvent.change(screen.getByLabelText('Password or access token'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
}

describe('the login dialog', () => {
  it('shows the 401 message and stays open on a wrong password', async () => {
    const fake = createFakeBridge({
      'registries.login': () => ({
        ok: false,
        error: {
          code: 'registry_unauthorized',
          message: '127.0.0.1:5001 refused the user name or password (401). Check them and log in again.',
        },
      }),
    });
    renderWith(fake, <Dialogs />);
    expect(screen.getByLabelText<HTMLInputElement>('Registry').value).toBe('127.0.0.1:5001');
    expect(screen.getByLabelText<HTMLInputElement>('Password or access token').type).toBe('password');
    fill('wrong');
    expect((await screen.findByRole('alert')).textContent).toBe(
      '127.0.0.1:5001 refused the user name or password (401). Check them and log in again.',
    );
    expect(useUi.getState().dialog?.kind).toBe('login');
  });

  it('logs in and closes; the password goes only to registries.login', async () => {
    const fake = createFakeBridge({
      'registries.login': (args) => ({
        ok: true,
        value: { registry: args.registry, username: args.username, stored: 'session' },
      }),
    });
    renderWith(fake, <Dialogs />);
    fill('right-pw');
    await waitFor(() => expect(useUi.getState().dialog).toBeUndefined());
    expect(fake.callsOf('registries.login')).toEqual([
      { registry: '127.0.0.1:5001', username: 'alice', password: 'right-pw' },
    ]);
    expect(JSON.stringify(useUi.getState())).not.toContain('right-pw');
  });

  it('cannot submit without a valid registry, user and password', () => {
    renderWith(createFakeBridge({}), <Dialogs />);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Log in' }).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Registry'), { target: { value: 'http://bad/' } });
    expect(screen.getByText(/no https:\/\//)).toBeTruthy();
  });

  it('says before the password is typed when it will be kept for this session only, and why', async () => {
    const fake = createFakeBridge({
      'registries.storage': () => ({
        ok: true,
        value: {
          stored: 'session',
          reason:
            'no keyring (GNOME Keyring or KWallet) is running, and without one Electron would encrypt with a fixed key',
        },
      }),
    });
    renderWith(fake, <Dialogs />);
    expect(
      await screen.findByText(
        'Checked against the registry first. Kept for this session only, not saved: no keyring (GNOME Keyring or KWallet) is running, and without one Electron would encrypt with a fixed key. Log in again after Strata restarts.',
      ),
    ).toBeTruthy();
  });

  it('says the keychain keeps it when there is one', async () => {
    const fake = createFakeBridge({ 'registries.storage': () => ({ ok: true, value: { stored: 'encrypted' } }) });
    renderWith(fake, <Dialogs />);
    expect(
      await screen.findByText('Checked against the registry first, then kept encrypted with the system keychain.'),
    ).toBeTruthy();
  });
});
