/** Build an image from a context folder; the log streams step by step, and the built image is selected at the end. */
import { useEffect, useState } from 'react';
import type { FileTransfer, StrataBridge } from '../../../../shared/bridge';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { Dialog } from '../../ui/Dialog';
import { ProgressBar } from '../../ui/ProgressBar';
import { useUi, type DialogState } from '../../app/uiStore';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { JobOutcome } from '../../ui/JobOutcome';
import { JobFooter } from '../jobs/JobFooter';
import { jobResult } from '../jobs/jobResult';
import { useJobRun } from '../jobs/useJobRun';
import { expectedRepoTag } from '../images/viewModel';
import { BuildLog } from './BuildLog';
import { canStartBuild, checkBuildForm, emptyBuildForm, toBuildArgs, type BuildForm } from './buildForm';
import './build.css';

/** The bridge's file dialogs (desktop); browser mode and bridges without them answer undefined. */
function desktopFiles(strata: StrataBridge): FileTransfer | undefined {
  const files: FileTransfer | undefined = strata.files;
  return files?.mode === 'desktop' ? files : undefined;
}

export function BuildDialog({ dialog }: { readonly dialog: Extract<DialogState, { kind: 'build' }> }) {
  void dialog;
  const strata = useStrata();
  const files = desktopFiles(strata);
  const desktop = files !== undefined;
  const { closeDialog, setHighlight, setView } = useUi.getState();
  const [form, setForm] = useState<BuildForm>(emptyBuildForm);
  const run = useJobRun();
  const { jobId, job, running, starting, startError, cancelError, overall: percent } = run;

  const errors = checkBuildForm(form);
  const canStart = canStartBuild(form) && !running && !starting;
  const update = (patch: Partial<BuildForm>): void => setForm((prev) => ({ ...prev, ...patch }));

  // When the build ends well, the Images table selects the built image.
  const built = jobResult(job, 'build');
  const firstTag = built?.tags[0];
  const target = (firstTag === undefined ? undefined : expectedRepoTag(firstTag)) ?? built?.imageId;
  useEffect(() => {
    if (target !== undefined) setHighlight(target);
  }, [target, setHighlight]);

  const start = async (): Promise<void> => {
    if (!canStartBuild(form)) return;
    await run.start(async () => unwrap(await strata.images.build(toBuildArgs(form))).jobId);
  };

  const choose = async (): Promise<void> => {
    if (files === undefined) return;
    const path = await files.chooseOpenPath({ title: 'Choose the build context folder', folder: true });
    if (path !== null) update({ contextPath: path });
  };

  const close = (): void => {
    closeDialog();
    if (target !== undefined) setView('images');
  };

  const progress = job?.progress;
  const steps = progress?.build?.steps ?? [];
  const failedStep = progress?.build?.failedStep ?? null;
  const errorMessage = job?.state === 'failed' ? (job.end?.error?.message ?? 'no reason given') : undefined;

  return (
    <Dialog
      label="Build image"
      title="Build image"
      onClose={close}
      footer={
        <JobFooter
          run={run}
          cancelLabel="Cancel build"
          onClose={close}
          closeLabel={target === undefined ? 'Close' : 'Close and show image'}
        >
          <button type="submit" form="build-form" className="button button-primary" disabled={!canStart}>
            {starting ? 'Starting…' : job === undefined || running ? 'Start build' : 'Build again'}
          </button>
        </JobFooter>
      }
    >
      <form
        id="build-form"
        className="build-dialog-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (canStart) void start();
        }}
      >
        <div>
          <label className="field-label" htmlFor="build-context">
            Context folder
          </label>
          <div className="build-row">
            <input
              id="build-context"
              className={`input input-wide${errors.contextPath === undefined ? '' : ' is-invalid'}`}
              value={form.contextPath}
              onChange={(event) => update({ contextPath: event.target.value })}
              placeholder="/home/me/project"
              autoComplete="off"
              spellCheck={false}
              aria-invalid={errors.contextPath !== undefined}
              aria-describedby="build-context-hint"
            />
            {desktop ? (
              <button type="button" className="button" onClick={() => void choose()}>
                Choose…
              </button>
            ) : null}
          </div>
          {errors.contextPath === undefined ? (
            <p id="build-context-hint" className="field-hint">
              {desktop
                ? 'The folder holding the Dockerfile and the files it copies; .dockerignore is respected.'
                : "Type the folder's path on the machine where Strata's service runs (browser mode cannot send a folder); .dockerignore is respected."}
            </p>
          ) : (
            <p id="build-context-hint" className="field-error">
              {errors.contextPath}
            </p>
          )}
        </div>

        <div>
          <label className="field-label" htmlFor="build-dockerfile">
            Dockerfile
          </label>
          <input
            id="build-dockerfile"
            className={`input input-wide${errors.dockerfile === undefined ? '' : ' is-invalid'}`}
            value={form.dockerfile}
            onChange={(event) => update({ dockerfile: event.target.value })}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={errors.dockerfile !== undefined}
            aria-describedby="build-dockerfile-hint"
          />
          <p id="build-dockerfile-hint" className={errors.dockerfile === undefined ? 'field-hint' : 'field-error'}>
            {errors.dockerfile ?? 'Relative to the context folder.'}
          </p>
        </div>

        <div>
          <label className="field-label" htmlFor="build-tags">
            Tags
          </label>
          <input
            id="build-tags"
            className={`input input-wide${errors.tags === undefined ? '' : ' is-invalid'}`}
            value={form.tags}
            onChange={(event) => update({ tags: event.target.value })}
            placeholder="myapp:1.0 myapp:latest"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={errors.tags !== undefined}
            aria-describedby="build-tags-hint"
          />
          <p id="build-tags-hint" className={errors.tags === undefined ? 'field-hint' : 'field-error'}>
            {errors.tags ?? 'repo[:tag], separated by spaces; none leaves the image untagged.'}
          </p>
        </div>

        <fieldset className="build-args">
          <legend className="field-label">Build args</legend>
          {form.buildArgs.map((row, index) => {
            const rowError = errors.buildArgs?.[index];
            return (
              <div key={index}>
                <div className="build-arg-row">
                  <input
                    className={`input${rowError === undefined ? '' : ' is-invalid'}`}
                    aria-label={`Build arg ${index + 1} name`}
                    aria-invalid={rowError !== undefined}
                    value={row.key}
                    placeholder="NAME"
                    spellCheck={false}
                    onChange={(event) =>
                      update({
                        buildArgs: form.buildArgs.map((r, i) => (i === index ? { ...r, key: event.target.value } : r)),
                      })
                    }
                  />
                  <input
                    className="input"
                    aria-label={`Build arg ${index + 1} value`}
                    value={row.value}
                    placeholder="value"
                    spellCheck={false}
                    onChange={(event) =>
                      update({
                        buildArgs: form.buildArgs.map((r, i) =>
                          i === index ? { ...r, value: event.target.value } : r,
                        ),
                      })
                    }
                  />
                  <button
                    type="button"
                    className="button"
                    aria-label={`Remove build arg ${index + 1}`}
                    onClick={() => update({ buildArgs: form.buildArgs.filter((_, i) => i !== index) })}
                  >
                    ×
                  </button>
                </div>
                {rowError === undefined ? null : <p className="field-error">{rowError}</p>}
              </div>
            );
          })}
          <button
            type="button"
            className="button"
            onClick={() => update({ buildArgs: [...form.buildArgs, { key: '', value: '' }] })}
          >
            Add build arg
          </button>
        </fieldset>

        <div>
          <label className="field-label" htmlFor="build-target">
            Target stage
          </label>
          <input
            id="build-target"
            className={`input input-wide${errors.target === undefined ? '' : ' is-invalid'}`}
            value={form.target}
            onChange={(event) => update({ target: event.target.value })}
            placeholder="(the last stage)"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={errors.target !== undefined}
          />
          {errors.target === undefined ? null : <p className="field-error">{errors.target}</p>}
        </div>

        <div className="build-options">
          <label className="checkbox">
            <input type="checkbox" checked={form.noCache} onChange={(e) => update({ noCache: e.target.checked })} />
            No cache
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={form.pull} onChange={(e) => update({ pull: e.target.checked })} />
            Pull newer base images
          </label>
        </div>
      </form>

      {startError === undefined ? null : <ErrorNotice>Could not start the build: {startError}</ErrorNotice>}

      {jobId === undefined ? null : (
        <section className="build-progress" aria-label="Build progress">
          {running ? <ProgressBar label="Build progress" percent={percent} /> : null}
          {progress?.message === undefined || progress.message === '' ? null : (
            <p className="muted">{progress.message}</p>
          )}
          <JobOutcome
            state={job?.state}
            error={job?.end?.error}
            verb="build"
            done={`Built ${target ?? 'the image'}. Close to see it selected in the Images list.`}
            cancelled="The build was cancelled; no image was tagged."
            reportFailure={failedStep === null}
          />
          {cancelError === undefined ? null : <ErrorNotice>Could not cancel: {cancelError}</ErrorNotice>}
          <BuildLog steps={steps} failedStep={failedStep} error={errorMessage} />
        </section>
      )}
    </Dialog>
  );
}
