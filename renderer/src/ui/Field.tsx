import type { HTMLAttributes, ReactNode } from 'react';

/** What the control inside a field carries: its id, and the invalid state and message wired for assistive tech. */
export interface FieldControl {
  readonly id: string;
  readonly 'aria-invalid': boolean;
  readonly 'aria-describedby': string | undefined;
}

export interface FieldProps {
  /** The control's id; the label points at it. */
  readonly id: string;
  readonly label: ReactNode;
  /** Why the value is not acceptable, checked as it is typed; undefined when it is. */
  readonly error?: ReactNode;
  /** Shown under the control while there is no error. */
  readonly hint?: ReactNode;
  /** The message's id (`<id>-hint` by default); `errorId` when the error has an id of its own. */
  readonly messageId?: string;
  readonly errorId?: string;
  /** The label's class: `field-label` by default. */
  readonly labelClassName?: string;
  /** The message's element: a paragraph, or a span in a grid form. */
  readonly messageAs?: 'p' | 'span';
  /** Wrap label, control and message in a div (one block of a column form); a fragment otherwise. */
  readonly wrap?: boolean;
  /** Renders the control (an input, a textarea, an input with a button) with the props it is given. */
  readonly children: (control: FieldControl) => ReactNode;
}

/** A label, a control and its live message: the hint, or the error with aria-invalid set. */
export function Field({
  id,
  label,
  error,
  hint,
  messageId = `${id}-hint`,
  errorId = messageId,
  labelClassName = 'field-label',
  messageAs: Message = 'p',
  wrap = false,
  children,
}: FieldProps) {
  const invalid = error !== undefined;
  const shown = invalid ? error : hint;
  const shownId = invalid ? errorId : messageId;
  const messageProps: HTMLAttributes<HTMLElement> = {
    id: shownId,
    className: invalid ? 'field-error' : 'field-hint',
  };
  const body = (
    <>
      <label className={labelClassName === '' ? undefined : labelClassName} htmlFor={id}>
        {label}
      </label>
      {children({ id, 'aria-invalid': invalid, 'aria-describedby': shown === undefined ? undefined : shownId })}
      {shown === undefined ? null : <Message {...messageProps}>{shown}</Message>}
    </>
  );
  return wrap ? <div>{body}</div> : body;
}

/** The class of a text control: its own classes, plus `is-invalid` while the value is not acceptable. */
export function inputClass(base: string, error: unknown): string {
  return error === undefined ? base : `${base} is-invalid`;
}
