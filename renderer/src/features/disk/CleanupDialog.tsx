/**
 * Cleanup in one place: pick parts (stopped containers, images, unused volumes, build cache) and filters, see exactly
 * what goes and the bytes freed, run it as a job, then see what the engine reported it reclaimed and any differences.
 */
import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { Dialog } from '../../ui/Dialog';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { JobOutcome } from '../../ui/JobOutcome';
import { ProgressBar } from '../../ui/ProgressBar';
import { usePreviewThenRun } from '../../ui/usePreviewThenRun';
import { queryKeys } from '../../app/queryKeys';
import type { DialogState } from '../../app/uiStore';
import { useUi } from '../../app/uiStore';
import { JobFooter } from '../jobs/JobFooter';
import { jobResult } from '../jobs/jobResult';
import { useJobRun } from '../jobs/useJobRun';
import { PruneFilterFields } from '../prune/PruneFilterFields';
import {
  cleanupArgsOf,
  formOfPreset,
  sameCleanupArgs,
  type CleanupForm,
  type ImagesChoice,
  type ParsedCleanupArgs,
} from './cleanupForm';
import { PlanView, ResultView } from './CleanupPlanView';
import './disk.css';

export function CleanupDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'cleanup' }> }) {
  const strata = useStrata();
  const queryClient = useQueryClient();
  const closeDialog = useUi((s) => s.closeDialog);
  const [form, setForm] = useState<CleanupForm>(() => formOfPreset(dialog.preset));
  const run = useJobRun();
  const { jobId, job, running } = run;
  const current = cleanupArgsOf(form);
  const { preview, previewError, planIsCurrent, busy, runPreview, runJob } = usePreviewThenRun({
    current,
    sameArgs: sameCleanupArgs,
    preview: async (args: ParsedCleanupArgs) => unwrap(await strata.disk.cleanupPreview(args)),
    start: async (args) => unwrap(await strata.disk.cleanup(args)).jobId,
    runner: run,
  });
  const error =
    previewError ??
    (run.startError === undefined ? undefined : `Could not start the cleanup: ${run.startError}`) ??
    (run.cancelError === undefined ? undefined : `Could not cancel: ${run.cancelError}`);

  const result = jobResult(job, 'cleanup');
  const done = job !== undefined && job.state !== 'running';
  const planCount =
    preview === undefined
      ? 0
      : preview.plan.containers.length +
        preview.plan.volumes.length +
        (preview.plan.images?.remove.length ?? 0) +
        preview.plan.buildCache.length;

  // Whatever the cleanup removed, every disk-related list is stale once it ends.
  const ended = job?.state !== undefined && job.state !== 'running';
  useEffect(() => {
    if (!ended) return;
    for (const queryKey of [queryKeys.disk(), queryKeys.volumes(), queryKeys.containers(), queryKeys.images()]) {
      void queryClient.invalidateQueries({ queryKey });
    }
  }, [ended, queryClient]);

  const update = (patch: Partial<CleanupForm>): void => setForm((f) => ({ ...f, ...patch }));

  const imageChoices: readonly (readonly [ImagesChoice, string])[] = [
    ['none', 'No images'],
    ['dangling', 'Dangling images (untagged, nothing built on them)'],
    ['all', 'All unused images (not used by any container)'],
  ];

  return (
    <Dialog
      label="Clean up disk"
      title="Clean up"
      onClose={closeDialog}
      footer={
        <JobFooter run={run} cancelLabel="Cancel cleanup" onClose={closeDialog}>
          <button type="submit" form="cleanup-form" className="button" disabled={!current.ok || busy || running}>
            Preview
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={!planIsCurrent || busy || running || done || planCount === 0}
            onClick={() => void runJob()}
          >
            Clean up
          </button>
        </JobFooter>
      }
    >
      <form
        id="cleanup-form"
        className="prune-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (current.ok && !busy && !running) void runPreview();
        }}
      >
        <fieldset className="cleanup-parts">
          <legend className="field-label">What to clean up</legend>
          <label>
            <input
              type="checkbox"
              checked={form.containers}
              onChange={(e) => update({ containers: e.target.checked })}
            />{' '}
            Stopped containers
          </label>
          <span>Images:</span>
          <div className="cleanup-images" role="radiogroup" aria-label="Images">
            {imageChoices.map(([value, text]) => (
              <label key={value}>
                <input
                  type="radio"
                  name="cleanup-images"
                  checked={form.images === value}
                  onChange={() => update({ images: value })}
                />{' '}
                {text}
              </label>
            ))}
          </div>
          <label>
            <input type="checkbox" checked={form.volumes} onChange={(e) => update({ volumes: e.target.checked })} />{' '}
            Unused volumes (their data is lost)
          </label>
          <label>
            <input
              type="checkbox"
              checked={form.buildCache}
              onChange={(e) => update({ buildCache: e.target.checked })}
            />{' '}
            Build cache
          </label>
        </fieldset>
        <PruneFilterFields
          idPrefix="cleanup"
          untilLabel="Only things created before (until)"
          until={form.until}
          labels={form.labels}
          onUntil={(until) => update({ until })}
          onLabels={(labels) => update({ labels })}
          check={current}
          labelHint="key or key=value to include; !key or !key=value to exclude; separated by commas. They apply to every part."
        />
      </form>

      {error === undefined ? null : <ErrorNotice>{error}</ErrorNotice>}

      {preview === undefined ? null : (
        <section className="cleanup-plan" aria-label="Preview">
          {!planIsCurrent && !done ? (
            <p className="notice">The choices changed since this preview: preview again before cleaning up.</p>
          ) : null}
          <PlanView plan={preview.plan} args={preview.args} />
        </section>
      )}

      {jobId === undefined ? null : (
        <section className="cleanup-outcome" aria-label="Cleanup result">
          {running ? (
            <>
              <ProgressBar label="Cleanup progress" percent={run.overall} />
              <p className="muted">{job?.progress?.message ?? 'Starting…'}</p>
            </>
          ) : null}
          <JobOutcome
            state={job?.state}
            error={job?.end?.error}
            verb="cleanup"
            done={result === undefined ? null : <ResultView result={result} />}
            doneNotice={false}
            cancelled="The cleanup was cancelled; parts that had not started were left alone."
          />
        </section>
      )}
    </Dialog>
  );
}
