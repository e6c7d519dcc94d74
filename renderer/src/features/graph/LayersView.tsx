/**
 * The Layers view: every local image's layers as one forest, shared layers shown once. Composes the toolbar
 * (LayersToolbar), the legend and notes, the drawing (GraphCanvas, zoomed by useGraphViewport), the exports
 * (useGraphExport) and the side panel of the selected layer (LayerDetails).
 */
import { useCallback, useMemo, useState } from 'react';
import { pathOf } from '../../../../shared/graph';
import { useEngineStatus } from '../../app/queries';
import { useUi } from '../../app/uiStore';
import { EngineUnavailable } from '../engine/EngineUnavailable';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { GraphCanvas } from './GraphCanvas';
import { Legend } from './GraphLegend';
import { LayerDetails } from './LayerDetails';
import { LayersToolbar } from './LayersToolbar';
import { defaultCollapsed, findImage } from './layout';
import { useGraphExport } from './useGraphExport';
import { useGraphViewport } from './useGraphViewport';
import { useLayerGraph, useLayerLayout } from './useLayerGraph';

/** The Layers view: every local image's layers as one forest, shared layers shown once. */
export function LayersView() {
  const status = useEngineStatus();
  const model = useLayerGraph();
  const { graph, error, isLoading } = model;
  const search = useUi((s) => s.graphSearch);
  const setSearch = useUi((s) => s.setGraphSearch);
  const selected = useUi((s) => s.graphSelected);
  const selectLayer = useUi((s) => s.selectLayer);
  const chosenCollapsed = useUi((s) => s.graphCollapsed);
  const setCollapsed = useUi((s) => s.setGraphCollapsed);

  const [renderAll, setRenderAll] = useState(false);

  const defaults = useMemo(() => (graph === undefined ? undefined : defaultCollapsed(graph)), [graph]);
  const collapsed = useMemo(
    () => chosenCollapsed ?? defaults?.collapsed ?? new Set<string>(),
    [chosenCollapsed, defaults],
  );
  const match = useMemo(() => (graph === undefined ? undefined : findImage(graph, search)), [graph, search]);
  const onPath = useMemo(
    () => new Set(graph === undefined || match === undefined ? [] : pathOf(graph, match.imageId).map((n) => n.chainId)),
    [graph, match],
  );
  // A found image's path is shown even through collapsed layers.
  const shownCollapsed = useMemo(() => {
    if (onPath.size === 0) return collapsed;
    return new Set([...collapsed].filter((id) => !onPath.has(id) || id === match?.tip));
  }, [collapsed, onPath, match]);
  const { layout, pending } = useLayerLayout(model, shownCollapsed);

  const connected = status.data?.state === 'connected';
  const hasSvg = connected && layout !== undefined && layout.nodes.length > 0;
  const { svgRef, zoomLayerRef, farRef, view, shown, far, fit } = useGraphViewport({
    layout,
    onPath,
    searching: match !== undefined,
    renderAll,
    hasSvg,
  });
  const { exportSvg, exportPng, exportError } = useGraphExport(svgRef, layout, shown, setRenderAll);

  const toggle = useCallback(
    (chainId: string) => {
      const next = new Set(collapsed);
      if (next.has(chainId)) next.delete(chainId);
      else if ((graph?.nodes.get(chainId)?.children.length ?? 0) > 0) next.add(chainId);
      setCollapsed(next);
    },
    [collapsed, graph, setCollapsed],
  );

  const selectedNode = selected === undefined ? undefined : graph?.nodes.get(selected);

  let body;
  if (!connected) {
    body = <EngineUnavailable status={status.data} error={status.error} />;
  } else if (error !== null && graph === undefined) {
    body = (
      <div className="empty-state" role="alert">
        <h2>Could not read the layers</h2>
        <p>{error.message}</p>
      </div>
    );
  } else if (isLoading) {
    body = <p className="notice">Loading layers…</p>;
  } else if (graph === undefined || layout === undefined) {
    body = (
      <p className="notice" role="status" aria-label="Layout progress">
        {pending === null ? 'Loading layers…' : `Laying out ${pending} layers…`}
      </p>
    );
  } else if (layout.nodes.length === 0) {
    body = (
      <div className="empty-state">
        <h2>No layers</h2>
        <p>There are no images with layers on this engine.</p>
      </div>
    );
  } else {
    body = (
      <div className="graph-body">
        <div className="graph-main">
          <div className="graph-notes">
            <Legend />
            {defaults?.depth !== null && defaults?.depth !== undefined && chosenCollapsed === undefined ? (
              <p className="notice" role="note">
                {graph.nodes.size} layers: showing the first {defaults.depth + 1} layers of each chain. Double-click a
                layer or use Expand all to see more.
              </p>
            ) : null}
            {pending === null ? null : (
              <p className="muted" role="status" aria-label="Layout progress">
                Laying out {pending} layers…
              </p>
            )}
            {search.trim() === '' ? null : (
              <p className="muted graph-search-status" role="status" aria-label="Search result">
                {match === undefined
                  ? `No image matches “${search.trim()}”.`
                  : `${match.name}: ${onPath.size} ${onPath.size === 1 ? 'layer' : 'layers'} from the base up.`}
              </p>
            )}
            {exportError === undefined ? null : <ErrorNotice>{exportError}</ErrorNotice>}
          </div>
          <GraphCanvas
            layout={layout}
            onPath={onPath}
            searching={match !== undefined}
            selected={selected}
            onSelect={selectLayer}
            onToggle={toggle}
            shown={shown}
            svgRef={svgRef}
            zoomLayerRef={zoomLayerRef}
            zoomLevel={view.transform.k}
            farRef={far ? farRef : null}
          />
        </div>
        {selectedNode === undefined ? null : (
          <LayerDetails
            graph={graph}
            layer={selectedNode}
            collapsed={collapsed.has(selectedNode.chainId)}
            onToggle={() => toggle(selectedNode.chainId)}
            onClose={() => selectLayer(undefined)}
          />
        )}
      </div>
    );
  }

  return (
    <section className="view" aria-labelledby="layers-title">
      <header className="view-header">
        <h1 id="layers-title">Layers</h1>
        {graph === undefined ? null : (
          <span className="muted count">
            {graph.nodes.size} layers · {graph.images.length} images
          </span>
        )}
        <LayersToolbar
          search={search}
          onSearch={setSearch}
          hasSvg={hasSvg}
          canExpand={collapsed.size > 0}
          onFit={() => fit()}
          onExpandAll={() => setCollapsed(new Set())}
          onExportSvg={exportSvg}
          onExportPng={exportPng}
        />
      </header>
      {body}
    </section>
  );
}
