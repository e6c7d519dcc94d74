/** The stop timeout, in whole seconds, as the stop dialogs ask for it. */
import { Field, inputClass } from '../../ui/Field';

export const DEFAULT_STOP_TIMEOUT = '10';

/** Parses the timeout field: whole seconds 0..3600, else undefined. */
export function parseTimeout(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return n <= 3600 ? n : undefined;
}

export function TimeoutField({ value, onChange }: { readonly value: string; readonly onChange: (v: string) => void }) {
  const valid = parseTimeout(value) !== undefined;
  return (
    <Field
      id="stop-timeout"
      label="Timeout (seconds)"
      wrap
      error={valid ? undefined : 'A whole number of seconds from 0 to 3600.'}
      hint="The engine sends SIGTERM, waits this long, then kills it."
    >
      {(control) => (
        <input
          {...control}
          className={inputClass('input', valid ? undefined : 'invalid')}
          inputMode="numeric"
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}
