/**
 * Cleanup in one place: pick parts (stopped containers, images, unused volumes, build cache) and filters, see exactly
 * what goes and the bytes freed, run it as a job, then see what the engine reported it reclaimed and any differences.
 */
import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { cleanupResultSchema, type CleanupPlan, type CleanupResult } from '../../../../shared/api';
import { dockerHumanSize } from '../../../../shared/disk';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { Dialog } from '../../ui/Dialog';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { ProgressBar } from '../../ui/ProgressBar';
import { queryKeys } from '../../app/queryKeys';
import type { DialogState } from '../../app/uiStore';
import { useUi } from '../../app/uiStore';
import { shortId } from '../../lib/format';
import { JobFooter } from '../jobs/JobFooter';
import { useJobRun } from '../jobs/useJobRun';
import { PlanDifferences } from '../prune/PlanDifferences';
import { PruneFilterFields } from '../prune/PruneFilterFields';
import {
  cleanupArgsOf,
  formOfPreset,
  sameCleanupArgs,
  type CleanupForm,
  type ImagesChoice,
  type ParsedCleanupArgs,
} from './cleanupForm';
import './disk.css';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function Bytes({ value }: { readonly value: number | null }) {
  if (value === null) return <span className="muted">unknown</span>;
  return <span title={`${value} bytes`}>{dockerHumanSize(value)}</span>;
}

function PlanView({ plan, args }: { readonly plan: CleanupPlan; readonly args: ParsedCleanupArgs }) {
  const images = plan.images;
  const imageCount = images?.remove.length ?? 0;
  const count = plan.containers.length + plan.volumes.length + imageCount + plan.buildCache.length;
  return (
    <>
      <p className="prune-summary">
        <strong>
          {count === 0
            ? 'Nothing to clean up with these choices.'
            : `${plural(count, 'item')} go; ${dockerHumanSize(plan.bytes.total)} freed`}
        </strong>
      </p>
      {plan.unknownSizes.length === 0 ? null : (
        <p className="notice notice-warning">
          Sizes not known (not counted in the totals): {plan.unknownSizes.join(', ')}
        </p>
      )}
      {args.containers ? (
        <section aria-label="Stopped containers to remove">
          <h4>
            Stopped containers: {plan.containers.length} · {dockerHumanSize(plan.bytes.containers)}
          </h4>
          {plan.containers.length === 0 ? (
            <p className="muted">No stopped container matches.</p>
          ) : (
            <table className="disk-table" aria-label="Containers that go">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Image</th>
                  <th>Status</th>
                  <th className="cell-numeric">Size</th>
                </tr>
              </thead>
              <tbody>
                {plan.containers.map((c) => (
                  <tr key={c.id}>
                    <td>{c.name}</td>
                    <td className="cell-mono disk-cell-wrap">{c.image}</td>
                    <td>{c.status}</td>
                    <td className="cell-numeric">
                      <Bytes value={c.size} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ) : null}
      {args.volumes ? (
        <section aria-label="Unused volumes to remove">
          <h4>
            Unused volumes: {plan.volumes.length} · {dockerHumanSize(plan.bytes.volumes)}
          </h4>
          {plan.volumes.length === 0 ? (
            <p className="muted">No unused volume matches.</p>
          ) : (
            <table className="disk-table" aria-label="Volumes that go">
              <thead>
                <tr>
                  <th>Name</th>
                  <th className="cell-numeric">Size</th>
                </tr>
              </thead>
              <tbody>
                {plan.volumes.map((v) => (
                  <tr key={v.name}>
                    <td className="cell-mono disk-cell-wrap">{v.name}</td>
                    <td className="cell-numeric">
                      <Bytes value={v.size} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ) : null}
      {images === null ? null : (
        <section aria-label="Images to remove">
          <h4>
            {args.images === 'all' ? 'Unused images' : 'Dangling images'}: {imageCount} ·{' '}
            {dockerHumanSize(plan.bytes.images)}
          </h4>
          {imageCount === 0 ? (
            <p className="muted">No image matches.</p>
          ) : (
            <table className="disk-table" aria-label="Images that go">
              <thead>
                <tr>
                  <th>Image</th>
                  <th>Tags removed</th>
                  <th className="cell-numeric">Size</th>
                  <th>What happens</th>
                </tr>
              </thead>
              <tbody>
                {images.remove.map((item) => (
                  <tr key={item.imageId}>
                    <td className="cell-mono">{shortId(item.imageId)}</td>
                    <td className="disk-cell-wrap">
                      {item.references.length === 0 ? <span className="muted">none</span> : item.references.join(', ')}
                    </td>
                    <td className="cell-numeric">
                      <Bytes value={item.size} />
                    </td>
                    <td>{item.deleted ? 'Deleted' : 'Untagged; the image stays'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      {args.buildCache ? (
        <section aria-label="Build cache to remove">
          <h4>
            Build cache: {plan.buildCache.length} · {dockerHumanSize(plan.bytes.buildCache)}
          </h4>
          {plan.buildCache.length === 0 ? (
            <p className="muted">No build cache record matches.</p>
          ) : (
            <table className="disk-table" aria-label="Build cache that goes">
              <thead>
                <tr>
                  <th>ID</th>
                  <th>Type</th>
                  <th>Description</th>
                  <th className="cell-numeric">Size</th>
                </tr>
              </thead>
              <tbody>
                {plan.buildCache.map((r) => (
                  <tr key={r.id}>
                    <td className="cell-mono">{shortId(r.id)}</td>
                    <td>{r.type}</td>
                    <td className="disk-cell-wrap">{r.description}</td>
                    <td className="cell-numeric">
                      <Bytes value={r.size} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ) : null}
    </>
  );
}

function ResultView({ result }: { readonly result: CleanupResult }) {
  const parts: { readonly label: string; readonly text: string }[] = [];
  if (result.containers !== null) {
    parts.push({
      label: 'Stopped containers',
      text: `${plural(result.containers.deleted.length, 'container')} deleted, ${dockerHumanSize(result.containers.spaceReclaimed)} reclaimed`,
    });
  }
  if (result.volumes !== null) {
    parts.push({
      label: 'Unused volumes',
      text: `${plural(result.volumes.deleted.length, 'volume')} deleted, ${dockerHumanSize(result.volumes.spaceReclaimed)} reclaimed`,
    });
  }
  if (result.images !== null) {
    parts.push({
      label: 'Images',
      text: `${plural(result.images.deleted.length, 'record')} deleted (images and layers), ${plural(result.images.untagged.length, 'reference')} untagged, ${dockerHumanSize(result.images.spaceReclaimed)} reclaimed`,
    });
  }
  if (result.buildCache !== null) {
    parts.push({
      label: 'Build cache',
      text: `${plural(result.buildCache.deleted.length, 'record')} deleted, ${dockerHumanSize(result.buildCache.spaceReclaimed)} reclaimed`,
    });
  }
  return (
    <>
      <p className="notice notice-ok" role="status">
        The engine reclaimed {dockerHumanSize(result.spaceReclaimed)} in all (the preview said{' '}
        {dockerHumanSize(result.plan.bytes.total)}).
      </p>
      <dl className="disk-facts" aria-label="Reclaimed per part">
        {parts.map((part) => (
          <div key={part.label} style={{ display: 'contents' }}>
            <dt>{part.label}</dt>
            <dd>{part.text}</dd>
          </div>
        ))}
      </dl>
      <PlanDifferences differences={result.differences} />
    </>
  );
}

export function CleanupDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'cleanup' }> }) {
  const strata = useStrata();
  const queryClient = useQueryClient();
  const closeDialog = useUi((s) => s.closeDialog);
  const [form, setForm] = useState<CleanupForm>(() => formOfPreset(dialog.preset));
  const [preview, setPreview] = useState<{ readonly plan: CleanupPlan; readonly args: ParsedCleanupArgs } | undefined>(
    undefined,
  );
  const [previewing, setPreviewing] = useState(false);
  const [previewError, setPreviewError] = useState<string | undefined>(undefined);
  const run = useJobRun();
  const { jobId, job, running } = run;
  const busy = previewing || run.starting;
  const error =
    previewError ??
    (run.startError === undefined ? undefined : `Could not start the cleanup: ${run.startError}`) ??
    (run.cancelError === undefined ? undefined : `Could not cancel: ${run.cancelError}`);

  const current = cleanupArgsOf(form);
  const planIsCurrent = preview !== undefined && current.ok && sameCleanupArgs(preview.args, current.args);
  const parsedResult = job?.state === 'done' ? cleanupResultSchema.safeParse(job.end?.result) : undefined;
  const result: CleanupResult | undefined = parsedResult?.success === true ? parsedResult.data : undefined;
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

  const runPreview = async (): Promise<void> => {
    if (!current.ok) return;
    const args = current.args;
    setPreviewing(true);
    setPreviewError(undefined);
    run.clearErrors();
    try {
      setPreview({ plan: unwrap(await strata.disk.cleanupPreview(args)), args });
      run.forget();
    } catch (caught) {
      setPreviewError(`Could not compute the preview: ${caught instanceof Error ? caught.message : String(caught)}`);
    } finally {
      setPreviewing(false);
    }
  };

  const runCleanup = async (): Promise<void> => {
    if (!current.ok || !planIsCurrent) return;
    const args = current.args;
    setPreviewError(undefined);
    await run.start(async () => unwrap(await strata.disk.cleanup(args)).jobId);
  };

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
            onClick={() => void runCleanup()}
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
          {result === undefined ? null : <ResultView result={result} />}
          {job?.state === 'failed' ? (
            <ErrorNotice>The cleanup failed: {job.end?.error?.message ?? 'no reason given'}</ErrorNotice>
          ) : null}
          {job?.state === 'cancelled' ? (
            <p className="notice" role="status">
              The cleanup was cancelled; parts that had not started were left alone.
            </p>
          ) : null}
        </section>
      )}
    </Dialog>
  );
}
