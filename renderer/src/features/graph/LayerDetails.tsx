import { dependentsOf, subtreeBytes, type LayerGraph, type LayerNode } from '../../../../shared/graph';
import { useUi } from '../../app/uiStore';
import { formatBytes, shortId } from '../../lib/format';

export interface LayerDetailsProps {
  readonly graph: LayerGraph;
  readonly layer: LayerNode;
  readonly collapsed: boolean;
  readonly onToggle: () => void;
  readonly onClose: () => void;
}

/** The side panel of one layer: what made it, its IDs, its size, every image using it, and what is built on it. */
export function LayerDetails({ graph, layer, collapsed, onToggle, onClose }: LayerDetailsProps) {
  const openHistory = useUi((s) => s.openHistory);
  const users = layer.usedBy.flatMap((id) => {
    const image = graph.imagesById.get(id);
    return image ? [image] : [];
  });
  const endingHere = layer.images.flatMap((id) => {
    const image = graph.imagesById.get(id);
    return image ? [image] : [];
  });
  const below = subtreeBytes(graph, layer.chainId) - (layer.bytes ?? 0);

  return (
    <aside className="graph-details" aria-label="Layer details">
      <header className="graph-details-header">
        <h2>Layer {shortId(layer.chainId)}</h2>
        <button type="button" className="icon-button" aria-label="Close layer details" onClick={onClose}>
          ×
        </button>
      </header>
      <p className="graph-details-step">
        {layer.label === null ? (
          <span className="muted">No image&apos;s history names the step that made this layer.</span>
        ) : layer.label === '' ? (
          <span className="muted">The step that made this layer has no instruction.</span>
        ) : (
          <code>{layer.label}</code>
        )}
      </p>
      <dl className="graph-details-list">
        <dt>Size</dt>
        <dd>{layer.bytes === null ? 'Unknown' : formatBytes(layer.bytes)}</dd>
        <dt>Depth</dt>
        <dd>{layer.depth + 1}</dd>
        <dt>Diff ID</dt>
        <dd className="cell-mono graph-id">{layer.diffId}</dd>
        <dt>Chain ID</dt>
        <dd className="cell-mono graph-id">{layer.chainId}</dd>
        {layer.children.length > 0 ? (
          <>
            <dt>Built on it</dt>
            <dd>
              {layer.children.length} {layer.children.length === 1 ? 'layer' : 'layers'} directly, {formatBytes(below)}{' '}
              above it
            </dd>
          </>
        ) : null}
      </dl>
      {layer.children.length > 0 ? (
        <button type="button" className="button button-small" onClick={onToggle}>
          {collapsed ? 'Expand subtree' : 'Collapse subtree'}
        </button>
      ) : null}
      <h3>
        Used by {users.length} {users.length === 1 ? 'image' : 'images'}
      </h3>
      <ul className="graph-details-images" aria-label="Images using this layer">
        {users.map((image) => (
          <li key={image.imageId} title={image.imageId}>
            {image.name}
            {image.repoTags.length > 1 ? (
              <span className="muted"> (also {image.repoTags.slice(1).join(', ')})</span>
            ) : null}
          </li>
        ))}
      </ul>
      {endingHere.map((image) => {
        const dependents = dependentsOf(graph, image.imageId);
        return (
          <section key={image.imageId} className="graph-details-image" aria-label={`Image ${image.name}`}>
            <h3>{image.name}</h3>
            <p className="muted">Its last layer is this one.</p>
            <button
              type="button"
              className="button button-small"
              onClick={() => openHistory({ imageId: image.imageId, label: image.name })}
            >
              Open history
            </button>
            <h4>What depends on this image</h4>
            {dependents.length === 0 ? (
              <p className="muted">No local image is built on it.</p>
            ) : (
              <ul aria-label={`Images built on ${image.name}`}>
                {dependents.map((d) => (
                  <li key={d.imageId}>{d.name}</li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </aside>
  );
}
