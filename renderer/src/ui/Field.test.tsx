// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { Field, inputClass } from './Field';

afterEach(cleanup);

function Name() {
  const [value, setValue] = useState('ok');
  return (
    <Field
      id="name"
      label="Name"
      error={value.includes(' ') ? 'No spaces.' : undefined}
      hint="Letters and digits."
      wrap
    >
      {(control) => (
        <input
          {...control}
          className={inputClass('input', value.includes(' ') ? 'x' : undefined)}
          value={value}
          onChange={(event) => setValue(event.target.value)}
        />
      )}
    </Field>
  );
}

describe('Field', () => {
  it('labels the control and describes it by the hint while the value is valid', () => {
    render(<Name />);
    const input = screen.getByLabelText('Name');
    expect(input).toHaveProperty('id', 'name');
    expect(input.getAttribute('aria-invalid')).toBe('false');
    expect(input.getAttribute('aria-describedby')).toBe('name-hint');
    const hint = document.getElementById('name-hint');
    expect(hint?.textContent).toBe('Letters and digits.');
    expect(hint?.className).toBe('field-hint');
    expect(input.className).toBe('input');
  });

  it('shows the error as the value is typed, marks the control invalid and points at the error', () => {
    render(<Name />);
    const input = screen.getByLabelText('Name');
    fireEvent.change(input, { target: { value: 'not ok' } });
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.className).toBe('input is-invalid');
    const message = document.getElementById(input.getAttribute('aria-describedby') ?? '');
    expect(message?.textContent).toBe('No spaces.');
    expect(message?.className).toBe('field-error');
    expect(screen.queryByText('Letters and digits.')).toBeNull();
    fireEvent.change(input, { target: { value: 'fine' } });
    expect(input.getAttribute('aria-invalid')).toBe('false');
    expect(screen.getByText('Letters and digits.')).toBeTruthy();
  });

  it('gives the error its own id when asked, and describes nothing when there is no message', () => {
    const { rerender } = render(
      <Field id="ref" label="Reference" errorId="ref-error" error="Bad reference." labelClassName="">
        {(control) => <input {...control} />}
      </Field>,
    );
    expect(screen.getByLabelText('Reference').getAttribute('aria-describedby')).toBe('ref-error');
    expect(document.getElementById('ref-error')?.textContent).toBe('Bad reference.');
    expect(screen.getByText('Reference').getAttribute('class')).toBeNull();
    rerender(
      <Field id="ref" label="Reference" messageAs="span">
        {(control) => <input {...control} />}
      </Field>,
    );
    expect(screen.getByLabelText('Reference').getAttribute('aria-describedby')).toBeNull();
    expect(screen.getByLabelText('Reference').getAttribute('aria-invalid')).toBe('false');
  });
});
