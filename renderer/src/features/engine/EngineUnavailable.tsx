import type { EngineStatus } from '../../../../shared/api';
import { describeStatus } from './engineViewModel';

/** Shown in place of engine data while there is no engine: the same explanation as the banner. */
export function EngineUnavailable({
  status,
  error,
}: {
  readonly status: EngineStatus | undefined;
  readonly error: unknown;
}) {
  const view = describeStatus(status, error);
  if (view.tone === 'pending') return <p className="notice">{view.headline}</p>;
  return (
    <div className="empty-state">
      <h2>Not connected</h2>
      <p>{view.headline}</p>
      {view.detail === undefined ? null : <p>{view.detail}</p>}
      <p className="muted">
        Start Docker, or point Strata at another engine (DOCKER_HOST or the --engine flag), then press Retry above.
      </p>
    </div>
  );
}
