import { imageListPlaceholder } from '../images/ImageListPlaceholder';
import { useMemo } from 'react';
import type { ImageHistory } from '../../../../shared/api';
import { useEngineStatus, useImages } from '../../app/queries';
import { useNow } from '../../app/useNow';
import { useUi, type HistoryOrder } from '../../app/uiStore';
import { shortId } from '../../lib/format';
import { baseBoundaryStep, imageOptions, optionValue } from './historyViewModel';
import { LayersTable } from './LayersTable';
import { StepsTable } from './StepsTable';
import { useImageHistory } from './useImageHistory';

const ORDERS: readonly { readonly id: HistoryOrder; readonly label: string }[] = [
  { id: 'oldest', label: 'Oldest first' },
  { id: 'newest', label: 'Newest first' },
];

function HistoryDetails({ history }: { readonly history: ImageHistory }) {
  const order = useUi((s) => s.historyOrder);
  const setHistoryOrder = useUi((s) => s.setHistoryOrder);
  const now = useNow();
  const unlabelled = history.mapping.kind === 'unlabelled';
  // The boundary is a row in the steps table when the mapping places it; otherwise a note above the layers.
  const baseNoteAboveLayers = history.base !== null && baseBoundaryStep(history) === null;
  const stepCount = history.steps.length;
  const layerCount = history.layers.length;

  return (
    <div className="view-scroll history-details">
      <section aria-labelledby="history-steps-title" className="history-section">
        <header className="history-section-header">
          <h2 id="history-steps-title">
            Steps <span className="muted">({stepCount})</span>
          </h2>
          <div className="segmented" role="group" aria-label="Order">
            {ORDERS.map((o) => (
              <button
                key={o.id}
                type="button"
                className={`segmented-button${order === o.id ? ' is-active' : ''}`}
                aria-pressed={order === o.id}
                onClick={() => setHistoryOrder(o.id)}
              >
                {o.label}
              </button>
            ))}
          </div>
        </header>
        {unlabelled ? (
          <div className="notice notice-warning" role="note" aria-label="Layer mapping">
            <strong>Layers are not labelled with steps.</strong> {history.mapping.note}
          </div>
        ) : (
          <p className="muted history-mapping-note">{history.mapping.note}</p>
        )}
        {stepCount === 0 ? (
          <p className="notice">The engine reports no history for this image.</p>
        ) : (
          <StepsTable history={history} order={order} now={now} />
        )}
      </section>
      <section aria-labelledby="history-layers-title" className="history-section">
        <header className="history-section-header">
          <h2 id="history-layers-title">
            Layers <span className="muted">({layerCount})</span>
          </h2>
        </header>
        {baseNoteAboveLayers && history.base !== null ? (
          <p className="notice" role="note" aria-label="Base image">
            Base image {history.base.name}: the first {history.base.layerCount}{' '}
            {history.base.layerCount === 1 ? 'layer is' : 'layers are'} its layers.
          </p>
        ) : null}
        {layerCount === 0 ? <p className="notice">This image has no layers.</p> : <LayersTable history={history} />}
      </section>
    </div>
  );
}

/** History: pick an image, see its build steps, where its base image ends, and its layers. */
export function HistoryView() {
  const status = useEngineStatus();
  const images = useImages();
  const target = useUi((s) => s.historyTarget);
  const setHistoryTarget = useUi((s) => s.setHistoryTarget);

  const options = useMemo(() => imageOptions(images.data ?? []), [images.data]);
  const stillThere = target !== undefined && (images.data ?? []).some((image) => image.id === target.imageId);
  const history = useImageHistory(stillThere ? target.imageId : undefined);

  const selectedValue = target === undefined ? '' : optionValue(target);
  const known = options.some((o) => o.value === selectedValue);

  const placeholder = imageListPlaceholder(status, images);
  let body;
  if (placeholder !== undefined) {
    body = placeholder;
  } else if (target === undefined) {
    body = (
      <div className="empty-state">
        <h2>Choose an image</h2>
        <p>Pick an image above to see its build steps and its layers.</p>
      </div>
    );
  } else if (!stillThere) {
    body = (
      <div className="empty-state" role="alert">
        <h2>{target.label} is gone</h2>
        <p>The image is no longer on the engine. Choose another one.</p>
      </div>
    );
  } else if (history.error !== null && history.data === undefined) {
    body = (
      <div className="empty-state" role="alert">
        <h2>Could not read the history of {target.label}</h2>
        <p>{history.error.message}</p>
      </div>
    );
  } else if (history.data === undefined) {
    body = <p className="notice">Loading the history of {target.label}…</p>;
  } else {
    body = <HistoryDetails history={history.data} />;
  }

  return (
    <section className="view" aria-labelledby="history-title">
      <header className="view-header">
        <h1 id="history-title">History</h1>
        {history.data === undefined || !stillThere ? null : (
          <span className="muted count cell-mono" title={history.data.imageId}>
            {shortId(history.data.imageId)}
          </span>
        )}
        <div className="toolbar">
          <label className="picker">
            <span>Image</span>
            <select
              className="input image-picker"
              value={selectedValue}
              disabled={images.data === undefined}
              onChange={(event) => {
                const option = options.find((o) => o.value === event.target.value);
                setHistoryTarget(option?.target);
              }}
            >
              <option value="">Choose an image…</option>
              {target !== undefined && !known ? <option value={selectedValue}>{target.label}</option> : null}
              {options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
          {target !== undefined && stillThere ? (
            <button type="button" className="button" onClick={() => useUi.getState().openDetails(target)}>
              Details of {target.label}
            </button>
          ) : null}
        </div>
      </header>
      <div className="view-body">{body}</div>
    </section>
  );
}
