/** The word a job dialog shows next to a job's title: `runningLabel` until it ends (or while unknown). */
export function describeJobState(state: string | undefined, runningLabel: string): string {
  switch (state) {
    case undefined:
    case 'running':
      return runningLabel;
    case 'done':
      return 'Done';
    case 'failed':
      return 'Failed';
    case 'cancelled':
      return 'Cancelled';
    default:
      return '';
  }
}
