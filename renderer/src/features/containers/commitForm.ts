/** The Commit dialog's form: pure checks (reference, one change per line) and the images.commit arguments. */
import { changeSchema, type ArgsOf } from '../../../../shared/api';
import { parseReference } from '../../../../shared/reference';

export interface CommitForm {
  readonly container: string;
  readonly reference: string;
  readonly author: string;
  readonly message: string;
  /** One Dockerfile instruction per line. */
  readonly changes: string;
  readonly pause: boolean;
}

export interface ChangeLineError {
  /** 1-based line number in the text area. */
  readonly line: number;
  readonly text: string;
  readonly reason: string;
}

export interface CommitFormErrors {
  readonly reference?: string;
  readonly changes: readonly ChangeLineError[];
}

export function changeLines(text: string): { line: number; text: string }[] {
  return text
    .split(/\r?\n/)
    .map((t, i) => ({ line: i + 1, text: t.trim() }))
    .filter((l) => l.text !== '');
}

export function checkCommitForm(form: CommitForm): CommitFormErrors {
  const changes: ChangeLineError[] = [];
  for (const { line, text } of changeLines(form.changes)) {
    const result = changeSchema.safeParse(text);
    if (!result.success) changes.push({ line, text, reason: result.error.issues[0]?.message ?? 'Not a change.' });
  }
  const ref = form.reference.trim();
  let reference: string | undefined;
  if (ref !== '') {
    const parsed = parseReference(ref);
    if (!parsed.ok) reference = parsed.reason;
    else if (parsed.value.digest !== undefined || /^sha256:/.test(ref)) {
      reference = `"${ref}" cannot name a new image; use repo or repo:tag.`;
    }
  }
  return reference === undefined ? { changes } : { reference, changes };
}

export function canCommit(form: CommitForm): boolean {
  const errors = checkCommitForm(form);
  return form.container !== '' && errors.reference === undefined && errors.changes.length === 0;
}

export function toCommitArgs(form: CommitForm): ArgsOf<'images.commit'> {
  const reference = form.reference.trim();
  const author = form.author.trim();
  const message = form.message.trim();
  return {
    container: form.container,
    ...(reference === '' ? {} : { reference }),
    ...(author === '' ? {} : { author }),
    ...(message === '' ? {} : { message }),
    changes: changeLines(form.changes).map((l) => l.text),
    pause: form.pause,
  };
}
