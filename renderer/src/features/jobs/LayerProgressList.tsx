/** Per-layer progress of a pull or a push: short layer ID, the engine's status, a bar, bytes. */
import type { LayerProgress } from '../../../../shared/api';
import { ProgressBar } from '../../ui/ProgressBar';
import { formatBytes, shortId } from '../../lib/format';
import { layerPercent } from './jobTracker';

export interface LayerProgressListProps {
  readonly layers: readonly LayerProgress[];
  /** Statuses that mean "not started yet" (an empty bar rather than a busy one). */
  readonly idleStatus?: RegExp;
}

export function LayerProgressList({
  layers,
  idleStatus = /^(waiting|preparing|pulling fs layer)/i,
}: LayerProgressListProps) {
  if (layers.length === 0) return null;
  return (
    <ul className="layer-list" aria-label="Layers">
      {layers.map((layer) => (
        <li key={layer.id} className="layer-item">
          <span className="cell-mono layer-id">{shortId(layer.id)}</span>
          <span className="layer-status">{layer.status}</span>
          <ProgressBar
            label={`Layer ${shortId(layer.id)}`}
            percent={layerPercent(layer)}
            idle={idleStatus.test(layer.status)}
            className="layer-bar"
          />
          <span className="layer-bytes muted">
            {layer.total > 0 ? `${formatBytes(layer.current)} / ${formatBytes(layer.total)}` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}
