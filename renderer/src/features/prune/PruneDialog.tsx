/**
 * Prune images with a true preview: choose the mode and filters, see exactly which images and tags
 * would go, what keeps every other image and the bytes really freed; then prune, and compare what
 * the engine reports with the preview.
 */
import { useState } from 'react';
import { pruneArgsSchema, type PruneArgs, type PrunePlan } from '../../../../shared/api';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { Dialog } from '../../ui/Dialog';
import { ProgressBar } from '../../ui/ProgressBar';
import { usePreviewThenRun } from '../../ui/usePreviewThenRun';
import type { DialogState } from '../../app/uiStore';
import { useUi } from '../../app/uiStore';
import { formatBytes, shortId } from '../../lib/format';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { JobOutcome } from '../../ui/JobOutcome';
import { JobFooter } from '../jobs/JobFooter';
import { jobResult } from '../jobs/jobResult';
import { useJobRun } from '../jobs/useJobRun';
import { PlanDifferences } from './PlanDifferences';
import { PruneFilterFields } from './PruneFilterFields';
import './prune.css';

type Mode = PruneArgs['mode'];
type KeepReason = PrunePlan['keep'][number]['reason'];

const REASON_TITLES: Readonly<Record<KeepReason, string>> = {
  'in-use': 'Used by a container',
  'has-children': 'Other images are built on them',
  tagged: 'Tagged',
  'filtered-out': 'Left out by the filters',
};

/** The form's values as prune arguments, or the first reason they are not valid. */
export function argsOf(
  mode: Mode,
  until: string,
  labels: string,
): { readonly ok: true; readonly args: PruneArgs } | { readonly ok: false; readonly reason: string } {
  const labelList = labels
    .split(/[\s,]+/)
    .map((label) => label.trim())
    .filter((label) => label !== '');
  const candidate: PruneArgs = {
    mode,
    ...(until.trim() === '' ? {} : { until: until.trim() }),
    ...(labelList.length === 0 ? {} : { labels: labelList }),
  };
  const parsed = pruneArgsSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, args: parsed.data };
  return { ok: false, reason: parsed.error.issues[0]?.message ?? 'These filters are not valid.' };
}

const sameArgs = (a: PruneArgs, b: PruneArgs): boolean => JSON.stringify(a) === JSON.stringify(b);

function nameOf(image: { readonly imageId: string; readonly references: readonly string[] }): string {
  return image.references[0] ?? shortId(image.imageId);
}

export function PruneDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'prune' }> }) {
  void dialog;
  const strata = useStrata();
  const closeDialog = useUi((s) => s.closeDialog);
  const [mode, setMode] = useState<Mode>('dangling');
  const [until, setUntil] = useState('');
  const [labels, setLabels] = useState('');
  const run = useJobRun();
  const { jobId, job, running } = run;
  const current = argsOf(mode, until, labels);
  const { preview, previewError, planIsCurrent, busy, runPreview, runJob } = usePreviewThenRun({
    current,
    sameArgs,
    preview: async (args: PruneArgs) => unwrap(await strata.images.prunePreview(args)),
    start: async (args) => unwrap(await strata.images.prune(args)).jobId,
    runner: run,
    argsOfPlan: (plan) => plan.args,
  });
  const plan = preview?.plan;
  // At most one of these is set: each action clears the others' errors when it starts.
  const error =
    previewError ??
    (run.startError === undefined ? undefined : `Could not start the prune: ${run.startError}`) ??
    (run.cancelError === undefined ? undefined : `Could not cancel: ${run.cancelError}`);

  const result = jobResult(job, 'prune');

  const deleted = plan?.remove.filter((r) => r.deleted) ?? [];
  const untagOnly = plan?.remove.filter((r) => !r.deleted) ?? [];
  const keepGroups = (Object.keys(REASON_TITLES) as KeepReason[])
    .map((reason) => ({ reason, images: plan?.keep.filter((k) => k.reason === reason) ?? [] }))
    .filter((group) => group.images.length > 0);
  const pruneDone = job !== undefined && job.state !== 'running';

  return (
    <Dialog
      label="Prune images"
      title="Prune images"
      onClose={closeDialog}
      footer={
        <JobFooter run={run} cancelLabel="Cancel prune" onClose={closeDialog}>
          <button type="submit" form="prune-form" className="button" disabled={!current.ok || busy || running}>
            Preview
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={!planIsCurrent || busy || running || pruneDone || plan === undefined || plan.remove.length === 0}
            onClick={() => void runJob()}
          >
            Prune
          </button>
        </JobFooter>
      }
    >
      <form
        id="prune-form"
        className="prune-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (current.ok && !busy && !running) void runPreview();
        }}
      >
        <fieldset className="prune-mode">
          <legend className="field-label">What to prune</legend>
          <label>
            <input type="radio" name="prune-mode" checked={mode === 'dangling'} onChange={() => setMode('dangling')} />{' '}
            Dangling images only (untagged, nothing built on them)
          </label>
          <label>
            <input type="radio" name="prune-mode" checked={mode === 'all'} onChange={() => setMode('all')} /> All unused
            images (not used by any container)
          </label>
        </fieldset>
        <PruneFilterFields
          idPrefix="prune"
          untilLabel="Only images created before (until)"
          until={until}
          labels={labels}
          onUntil={setUntil}
          onLabels={setLabels}
          check={current}
          labelHint="key or key=value to include; !key or !key=value to exclude; separated by commas."
        />
      </form>

      {error === undefined ? null : <ErrorNotice>{error}</ErrorNotice>}

      {plan === undefined ? null : (
        <section className="prune-plan" aria-label="Preview">
          {!planIsCurrent && !pruneDone ? (
            <p className="notice">The filters changed since this preview: preview again before pruning.</p>
          ) : null}
          <p className="prune-summary">
            <strong>
              {deleted.length} image{deleted.length === 1 ? '' : 's'} deleted
              {untagOnly.length > 0 ? `, ${untagOnly.length} only untagged` : ''}; {formatBytes(plan.reclaimBytes)}{' '}
              freed
            </strong>{' '}
            <span className="muted">
              ({plan.freedLayers} layer{plan.freedLayers === 1 ? '' : 's'} no remaining image shares
              {plan.unknownSizeLayers > 0
                ? `; the size of ${plan.unknownSizeLayers} of them is unknown and not counted`
                : ''}
              )
            </span>
          </p>
          {plan.remove.length === 0 ? (
            <p className="muted">Nothing to prune with these filters.</p>
          ) : (
            <table className="table prune-table" aria-label="Images that go">
              <thead>
                <tr>
                  <th>Image</th>
                  <th>Tags removed</th>
                  <th>Size</th>
                  <th>What happens</th>
                </tr>
              </thead>
              <tbody>
                {plan.remove.map((item) => (
                  <tr key={item.imageId}>
                    <td className="cell-mono">{shortId(item.imageId)}</td>
                    <td>
                      {item.references.length === 0 ? <span className="muted">none</span> : item.references.join(', ')}
                    </td>
                    <td>{formatBytes(item.size)}</td>
                    <td>{item.deleted ? 'Deleted' : 'Untagged; the image stays'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {keepGroups.length === 0 ? null : (
            <details className="prune-keep">
              <summary>
                {plan.keep.length} image{plan.keep.length === 1 ? '' : 's'} kept
              </summary>
              {keepGroups.map((group) => (
                <section key={group.reason} aria-label={REASON_TITLES[group.reason]}>
                  <h4>
                    {REASON_TITLES[group.reason]} ({group.images.length})
                  </h4>
                  <ul className="prune-keep-list">
                    {group.images.map((image) => (
                      <li key={image.imageId}>
                        <span className="cell-mono">{nameOf(image)}</span> <span className="muted">{image.detail}</span>
                      </li>
                    ))}
                  </ul>
                </section>
              ))}
            </details>
          )}
        </section>
      )}

      {jobId === undefined ? null : (
        <section className="prune-outcome" aria-label="Prune result">
          {running ? (
            <>
              <ProgressBar label="Prune progress" percent={run.overall} />
              <p className="muted">{job?.progress?.message ?? 'Starting…'}</p>
            </>
          ) : null}
          <JobOutcome
            state={job?.state}
            error={job?.end?.error}
            verb="prune"
            done={
              result === undefined ? null : (
                <>
                  <p className="notice notice-ok" role="status">
                    The engine deleted {result.deleted.length} record{result.deleted.length === 1 ? '' : 's'} (images
                    and layers), untagged {result.untagged.length} reference{result.untagged.length === 1 ? '' : 's'}{' '}
                    and reclaimed {formatBytes(result.spaceReclaimed)}.
                  </p>
                  <PlanDifferences differences={result.differences} />
                </>
              )
            }
            doneNotice={false}
            cancelled="The prune was cancelled before the engine started it; nothing was removed."
          />
        </section>
      )}
    </Dialog>
  );
}
