/** The build log as a list of steps: each collapsible, the running one open and following its output. */
import { useEffect, useRef, useState } from 'react';
import type { BuildStep } from '../../../../shared/api';

export interface BuildLogProps {
  readonly steps: readonly BuildStep[];
  readonly failedStep: number | null;
  /** The job's error message, shown under the failed step. */
  readonly error: string | undefined;
}

function stateLabel(step: BuildStep): string {
  switch (step.state) {
    case 'running':
      return 'running';
    case 'done':
      return 'done';
    case 'failed':
      return 'failed';
  }
}

export function BuildLog({ steps, failedStep, error }: BuildLogProps) {
  // What the user opened or closed by hand; the others follow the build (running and failed steps open).
  const [toggled, setToggled] = useState<ReadonlyMap<number, boolean>>(new Map());
  const running = useRef<HTMLPreElement>(null);
  const runningIndex = steps.findIndex((s) => s.state === 'running');
  const runningLines = runningIndex === -1 ? 0 : (steps[runningIndex]?.lines.length ?? 0);

  useEffect(() => {
    const node = running.current;
    if (node !== null) node.scrollTop = node.scrollHeight;
  }, [runningIndex, runningLines]);

  if (steps.length === 0) return null;
  return (
    <ol className="build-steps" aria-label="Build steps">
      {steps.map((step, index) => {
        const auto = step.state === 'running' || index === failedStep;
        const open = toggled.get(index) ?? auto;
        const failed = index === failedStep || step.state === 'failed';
        const id = `build-step-${index}`;
        return (
          <li
            key={`${step.number}-${index}`}
            className={`build-step build-step-${step.state}${failed ? ' is-failed' : ''}`}
            aria-label={`Step ${step.number} of ${step.total}: ${stateLabel(step)}`}
            aria-current={step.state === 'running' ? 'step' : undefined}
          >
            <button
              type="button"
              className="build-step-head"
              aria-expanded={open}
              aria-controls={id}
              onClick={() => setToggled((prev) => new Map(prev).set(index, !open))}
            >
              <span className="build-step-caret" aria-hidden="true">
                {open ? '▾' : '▸'}
              </span>
              <span className="build-step-number">
                {step.number}/{step.total}
              </span>
              <span className="build-step-instruction">{step.instruction}</span>
              <span className="build-step-state">{stateLabel(step)}</span>
            </button>
            {open ? (
              <div id={id} className="build-step-body">
                {step.droppedLines > 0 ? (
                  <p className="muted build-step-dropped">{step.droppedLines} earlier lines not shown</p>
                ) : null}
                <pre ref={step.state === 'running' ? running : undefined} className="build-step-lines">
                  {step.lines.length === 0 ? '(no output)' : step.lines.join('\n')}
                </pre>
                {failed && error !== undefined ? (
                  <p className="notice notice-error build-step-error" role="alert">
                    {error}
                  </p>
                ) : null}
              </div>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
