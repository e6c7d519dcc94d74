export interface ProgressBarProps {
  readonly label: string;
  /** 0..100, or undefined for an indeterminate bar. */
  readonly percent: number | undefined;
  readonly className?: string;
  /** When the amount is unknown: animate (something is happening) or stay empty (waiting). */
  readonly idle?: boolean;
}

/** A progressbar with aria-valuenow when the amount is known, indeterminate otherwise. */
export function ProgressBar({ label, percent, className, idle = false }: ProgressBarProps) {
  const known = percent !== undefined;
  return (
    <div
      className={['progress', known || idle ? '' : 'progress-indeterminate', className ?? ''].join(' ')}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={known ? percent : undefined}
      aria-valuetext={known ? `${percent}%` : idle ? 'Waiting' : 'Working…'}
    >
      <div className="progress-fill" style={known ? { width: `${percent}%` } : idle ? { width: 0 } : undefined} />
    </div>
  );
}
