/**
 * The one job store of a window: every job of the session by id, fed by one subscription to the bridge's
 * `job.progress` / `job.end` events and by `jobs.list` snapshots. Components read it through useJob / useJobs.
 */
import type { StrataEvent } from '../../../../shared/api';
import type { StrataBridge } from '../../../../shared/bridge';
import { unwrap } from '../../api/client';
import { trackJobs, undescribedJobIds, type JobsById, type TrackerAction } from './jobTracker';

export interface JobStore {
  /** Follows the store; the first listener connects to the event stream, the last one leaving disconnects. */
  readonly subscribe: (listener: () => void) => () => void;
  /** Every job known, by id (a new object after each change, the same one otherwise). */
  readonly getJobs: () => JobsById;
  /** Takes the `jobs.list` snapshot once per connection (jobs started before this window, or while disconnected). */
  readonly load: () => void;
  /**
   * Asks `jobs.list` about jobs seen only from progress events (a progress event does not say the job's kind, title
   * or engine), once per job; the Jobs drawer does when it shows them.
   */
  readonly describeUnknown: () => void;
}

const isJobEvent = (event: StrataEvent): boolean => event.type === 'job.progress' || event.type === 'job.end';

/**
 * `defer` runs the disconnect after the last listener left, unless one came back meanwhile (a remount, React's
 * strict-mode double effects), so that does not cost another snapshot.
 */
export function createJobStore(
  bridge: StrataBridge,
  defer: (run: () => void) => void = (run) => void setTimeout(run, 0),
): JobStore {
  let jobs: JobsById = {};
  const listeners = new Set<() => void>();
  let unsubscribeEvents: (() => void) | undefined;
  let loaded = false;
  let fetching = false;
  let describeAgain = false;
  /** Jobs a jobs.list answer was asked about (never asked twice). */
  const asked = new Set<string>();

  const dispatch = (action: TrackerAction): void => {
    const next = trackJobs(jobs, action);
    if (next === jobs) return;
    jobs = next;
    for (const listener of [...listeners]) listener();
  };

  const fetchList = (): void => {
    fetching = true;
    for (const id of undescribedJobIds(jobs)) asked.add(id);
    bridge.jobs
      .list({})
      .then((outcome) => dispatch({ type: 'snapshot', jobs: unwrap(outcome) }))
      .catch(() => {
        // Best effort: live events still arrive.
      })
      .finally(() => {
        fetching = false;
        if (describeAgain) {
          describeAgain = false;
          describeUnknown();
        }
      });
  };

  const describeUnknown = (): void => {
    if (unsubscribeEvents === undefined) return;
    if (!undescribedJobIds(jobs).some((id) => !asked.has(id))) return;
    if (fetching) {
      describeAgain = true;
      return;
    }
    fetchList();
  };

  const connect = (): void => {
    unsubscribeEvents = bridge.events.subscribe((event) => {
      if (isJobEvent(event)) dispatch({ type: 'event', event });
    });
  };

  const disconnect = (): void => {
    if (listeners.size > 0 || unsubscribeEvents === undefined) return;
    unsubscribeEvents();
    unsubscribeEvents = undefined;
    // Events may be missed from now on: the next connection takes a new snapshot.
    loaded = false;
  };

  return {
    subscribe: (listener) => {
      listeners.add(listener);
      if (unsubscribeEvents === undefined) connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) defer(disconnect);
      };
    },
    getJobs: () => jobs,
    load: () => {
      if (loaded || unsubscribeEvents === undefined) return;
      loaded = true;
      fetchList();
    },
    describeUnknown,
  };
}

const stores = new WeakMap<StrataBridge, JobStore>();

/** The store of `bridge` (the raw one: jobs.list and the events span every engine), made on first use. */
export function jobStoreOf(bridge: StrataBridge): JobStore {
  let store = stores.get(bridge);
  if (store === undefined) {
    store = createJobStore(bridge);
    stores.set(bridge, store);
  }
  return store;
}
