/** The Build dialog's form: pure checks of what the user typed, and the images.build arguments. */
import type { ArgsOf } from '../../../../shared/api';
import { parseReference } from '../../../../shared/reference';

export interface BuildArgRow {
  readonly key: string;
  readonly value: string;
}

export interface BuildForm {
  readonly contextPath: string;
  readonly dockerfile: string;
  /** Tags separated by spaces, commas or new lines. */
  readonly tags: string;
  readonly buildArgs: readonly BuildArgRow[];
  readonly target: string;
  readonly noCache: boolean;
  readonly pull: boolean;
}

export const emptyBuildForm: BuildForm = {
  contextPath: '',
  dockerfile: 'Dockerfile',
  tags: '',
  buildArgs: [],
  target: '',
  noCache: false,
  pull: false,
};

export interface BuildFormErrors {
  readonly contextPath?: string;
  readonly dockerfile?: string;
  readonly tags?: string;
  /** Index of the build arg row → what is wrong with it. */
  readonly buildArgs?: Readonly<Record<number, string>>;
  readonly target?: string;
}

export function splitTags(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

const ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TARGET = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function checkBuildForm(form: BuildForm): BuildFormErrors {
  const errors: {
    contextPath?: string;
    dockerfile?: string;
    tags?: string;
    buildArgs?: Record<number, string>;
    target?: string;
  } = {};
  const path = form.contextPath.trim();
  if (path !== '' && !(path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path))) {
    errors.contextPath = 'Use an absolute path to a folder, for example /home/me/project.';
  }
  const dockerfile = form.dockerfile.trim();
  if (dockerfile === '') errors.dockerfile = 'Name the Dockerfile, relative to the context (usually "Dockerfile").';
  else if (dockerfile.startsWith('/') || dockerfile.split(/[\\/]/).includes('..')) {
    errors.dockerfile = 'The Dockerfile must be inside the context: give its path relative to the context folder.';
  }
  for (const tag of splitTags(form.tags)) {
    const parsed = parseReference(tag);
    if (!parsed.ok) {
      errors.tags = parsed.reason;
      break;
    }
    if (parsed.value.digest !== undefined || /^sha256:/.test(tag)) {
      errors.tags = `"${tag}" is not a tag: use repo or repo:tag.`;
      break;
    }
  }
  const argErrors: Record<number, string> = {};
  const seen = new Set<string>();
  form.buildArgs.forEach((row, index) => {
    const key = row.key.trim();
    if (key === '' && row.value === '') return;
    if (!ARG_NAME.test(key)) argErrors[index] = 'A build arg name is letters, digits and _, not starting with a digit.';
    else if (seen.has(key)) argErrors[index] = `"${key}" is given twice.`;
    seen.add(key);
  });
  if (Object.keys(argErrors).length > 0) errors.buildArgs = argErrors;
  const target = form.target.trim();
  if (target !== '' && !TARGET.test(target)) errors.target = 'A target is the name of a stage (FROM … AS name).';
  return errors;
}

export function hasErrors(errors: BuildFormErrors): boolean {
  return Object.keys(errors).length > 0;
}

export function canStartBuild(form: BuildForm): boolean {
  return form.contextPath.trim() !== '' && !hasErrors(checkBuildForm(form));
}

export function toBuildArgs(form: BuildForm): ArgsOf<'images.build'> {
  const buildArgs: Record<string, string> = {};
  for (const row of form.buildArgs) {
    if (row.key.trim() !== '') buildArgs[row.key.trim()] = row.value;
  }
  const target = form.target.trim();
  return {
    contextPath: form.contextPath.trim(),
    dockerfile: form.dockerfile.trim(),
    tags: splitTags(form.tags),
    buildArgs,
    ...(target === '' ? {} : { target }),
    noCache: form.noCache,
    pull: form.pull,
  };
}
