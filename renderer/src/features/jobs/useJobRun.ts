/** One job started from a dialog: its id, its tracked state, starting, cancelling, and their errors. */
import { useState } from 'react';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import type { TrackedJob } from './jobTracker';
import { useJob } from './useJobs';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A job id kept outside the dialog (e.g. in uiStore, so a running job survives closing the dialog). */
export interface ExternalJobId {
  readonly jobId: string | undefined;
  readonly setJobId: (jobId: string | undefined) => void;
}

export interface JobRun {
  readonly jobId: string | undefined;
  readonly job: TrackedJob | undefined;
  /** A job was started and has not ended (or its state is not known yet). */
  readonly running: boolean;
  /** `start` is waiting for the job id. */
  readonly starting: boolean;
  readonly startError: string | undefined;
  readonly cancelError: string | undefined;
  /** Overall percent from the job's progress fraction; undefined while unknown. */
  readonly overall: number | undefined;
  /**
   * Runs `begin`, which answers the started job's id (undefined: nothing was started, e.g. the user
   * cancelled a file dialog); anything it throws is shown as startError.
   */
  readonly start: (begin: () => Promise<string | undefined>) => Promise<void>;
  readonly cancel: () => Promise<void>;
  /** Forgets the job and both errors. */
  readonly forget: () => void;
  /** Clears both errors, keeping the job. */
  readonly clearErrors: () => void;
}

/** Percent (0-100, rounded) of a progress fraction; undefined while the fraction is unknown. */
export function percentOf(fraction: number | null | undefined): number | undefined {
  return fraction === null || fraction === undefined ? undefined : Math.round(fraction * 100);
}

export function useJobRun(external?: ExternalJobId): JobRun {
  const strata = useStrata();
  const [ownJobId, setOwnJobId] = useState<string | undefined>(undefined);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | undefined>(undefined);
  const [cancelError, setCancelError] = useState<string | undefined>(undefined);
  const jobId = external === undefined ? ownJobId : external.jobId;
  const setJobId = external === undefined ? setOwnJobId : external.setJobId;
  const job = useJob(jobId);
  const running = jobId !== undefined && (job === undefined || job.state === 'running');

  const clearErrors = (): void => {
    setStartError(undefined);
    setCancelError(undefined);
  };

  const start = async (begin: () => Promise<string | undefined>): Promise<void> => {
    setStarting(true);
    clearErrors();
    try {
      const started = await begin();
      if (started !== undefined) setJobId(started);
    } catch (error) {
      setStartError(messageOf(error));
    } finally {
      setStarting(false);
    }
  };

  const cancel = async (): Promise<void> => {
    if (jobId === undefined) return;
    try {
      unwrap(await strata.jobs.cancel({ jobId }));
    } catch (error) {
      setCancelError(messageOf(error));
    }
  };

  const forget = (): void => {
    setJobId(undefined);
    clearErrors();
  };

  return {
    jobId,
    job,
    running,
    starting,
    startError,
    cancelError,
    overall: percentOf(job?.progress?.fraction),
    start,
    cancel,
    forget,
    clearErrors,
  };
}
