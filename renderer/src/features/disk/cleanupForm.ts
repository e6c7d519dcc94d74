/** The Cleanup dialog's form: presets, and the form's values as disk.cleanup arguments. Pure. */
import { cleanupArgsSchema } from '../../../../shared/api';
import type { CleanupPreset } from '../../app/uiStore';
import type { z } from 'zod';

export type ImagesChoice = 'none' | 'dangling' | 'all';

export interface CleanupForm {
  readonly containers: boolean;
  readonly images: ImagesChoice;
  readonly volumes: boolean;
  readonly buildCache: boolean;
  readonly until: string;
  readonly labels: string;
}

export type ParsedCleanupArgs = z.output<typeof cleanupArgsSchema>;

const NOTHING: CleanupForm = {
  containers: false,
  images: 'none',
  volumes: false,
  buildCache: false,
  until: '',
  labels: '',
};

/**
 * What a preset ticks. 'all' is what `docker system prune` removes by default: stopped containers, dangling images and
 * build cache; volumes hold data, so they stay unticked (one click away), as unused (not only dangling) images do.
 */
export function formOfPreset(preset: CleanupPreset): CleanupForm {
  switch (preset) {
    case 'containers':
      return { ...NOTHING, containers: true };
    case 'dangling':
      return { ...NOTHING, images: 'dangling' };
    case 'unused-images':
      return { ...NOTHING, images: 'all' };
    case 'volumes':
      return { ...NOTHING, volumes: true };
    case 'build-cache':
      return { ...NOTHING, buildCache: true };
    case 'all':
      return { ...NOTHING, containers: true, images: 'dangling', buildCache: true };
  }
}

/** The form's values as cleanup arguments, or the first reason they are not valid. */
export function cleanupArgsOf(
  form: CleanupForm,
): { readonly ok: true; readonly args: ParsedCleanupArgs } | { readonly ok: false; readonly reason: string } {
  const labels = form.labels
    .split(/[\s,]+/)
    .map((label) => label.trim())
    .filter((label) => label !== '');
  const parsed = cleanupArgsSchema.safeParse({
    containers: form.containers,
    images: form.images,
    volumes: form.volumes,
    buildCache: form.buildCache,
    ...(form.until.trim() === '' ? {} : { until: form.until.trim() }),
    ...(labels.length === 0 ? {} : { labels }),
  });
  if (parsed.success) return { ok: true, args: parsed.data };
  return { ok: false, reason: parsed.error.issues[0]?.message ?? 'These choices are not valid.' };
}

export const sameCleanupArgs = (a: ParsedCleanupArgs, b: ParsedCleanupArgs): boolean =>
  JSON.stringify(a) === JSON.stringify(b);
