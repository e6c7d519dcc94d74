import { useState } from 'react';

/** The form's values as arguments, or why they are not valid. */
export type CheckedArgs<Args> =
  { readonly ok: true; readonly args: Args } | { readonly ok: false; readonly reason: string };

/** The job side a dialog hands in (a JobRun): start it, and forget or clear the last one when a new preview comes. */
export interface PreviewJobRunner {
  readonly starting: boolean;
  readonly start: (begin: () => Promise<string | undefined>) => Promise<void>;
  readonly forget: () => void;
  readonly clearErrors: () => void;
}

export interface PreviewThenRunOptions<Args, Plan> {
  /** The arguments the form holds now. */
  readonly current: CheckedArgs<Args>;
  readonly sameArgs: (a: Args, b: Args) => boolean;
  /** Computes what the job would do. */
  readonly preview: (args: Args) => Promise<Plan>;
  /** Starts the job; answers its id. */
  readonly start: (args: Args) => Promise<string | undefined>;
  readonly runner: PreviewJobRunner;
  /** The arguments a plan is for: those it was asked with by default (a plan that echoes its own may say). */
  readonly argsOfPlan?: (plan: Plan, asked: Args) => Args;
}

export interface PreviewThenRun<Args, Plan> {
  readonly preview: { readonly plan: Plan; readonly args: Args } | undefined;
  readonly previewing: boolean;
  readonly previewError: string | undefined;
  /** The shown preview is for the form's current arguments: only then may the job run. */
  readonly planIsCurrent: boolean;
  /** A preview is being computed or the job is starting. */
  readonly busy: boolean;
  readonly runPreview: () => Promise<void>;
  readonly runJob: () => Promise<void>;
}

/**
 * Preview, confirm, run: compute what a job would do for the form's arguments and show it; the job runs only for the
 * arguments of the preview on screen (change the form and it must be previewed again).
 */
export function usePreviewThenRun<Args, Plan>({
  current,
  sameArgs,
  preview: computePreview,
  start,
  runner,
  argsOfPlan = (_plan, asked) => asked,
}: PreviewThenRunOptions<Args, Plan>): PreviewThenRun<Args, Plan> {
  const [preview, setPreview] = useState<{ readonly plan: Plan; readonly args: Args } | undefined>(undefined);
  const [previewing, setPreviewing] = useState(false);
  const [previewError, setPreviewError] = useState<string | undefined>(undefined);
  const planIsCurrent = preview !== undefined && current.ok && sameArgs(preview.args, current.args);

  const runPreview = async (): Promise<void> => {
    if (!current.ok) return;
    const args = current.args;
    setPreviewing(true);
    setPreviewError(undefined);
    runner.clearErrors();
    try {
      const plan = await computePreview(args);
      setPreview({ plan, args: argsOfPlan(plan, args) });
      runner.forget();
    } catch (caught) {
      setPreviewError(`Could not compute the preview: ${caught instanceof Error ? caught.message : String(caught)}`);
    } finally {
      setPreviewing(false);
    }
  };

  const runJob = async (): Promise<void> => {
    if (!current.ok || !planIsCurrent) return;
    const args = current.args;
    setPreviewError(undefined);
    await runner.start(() => start(args));
  };

  return { preview, previewing, previewError, planIsCurrent, busy: previewing || runner.starting, runPreview, runJob };
}
