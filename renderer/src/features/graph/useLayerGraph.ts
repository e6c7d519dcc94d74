import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useQuery } from '@tanstack/react-query';
import { toLayerGraph, type LayerGraph } from '../../../../shared/graph';
import type { GraphImageData } from '../../../../shared/api';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { useEngineConnected } from '../../app/queries';
import { queryKeys } from '../../app/queryKeys';
import { layoutLayerGraph, type LayerLayout } from './layout';
import { LayoutClient, type LayoutSnapshot } from './layoutClient';
import { countLayers, shouldUseWorker } from './layoutProtocol';

/** `layers.graph`: every image's chain; its key lives under `images`, so it refreshes with the image list. */
function useLayerGraphData() {
  const strata = useStrata();
  const connected = useEngineConnected();
  return useQuery({
    queryKey: queryKeys.layersGraph(),
    queryFn: async () => unwrap(await strata.layers.graph({})),
    enabled: connected,
  });
}

function createLayoutWorker(): Worker {
  return new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module', name: 'strata-layout' });
}

export interface LayerModel {
  readonly graph: LayerGraph | undefined;
  readonly error: Error | null;
  readonly isLoading: boolean;
  /** Distinct layers in the data. */
  readonly layerCount: number;
  /** The worker's state when this graph is laid out off the main thread; null on the synchronous path. */
  readonly worker: { readonly client: LayoutClient; readonly snapshot: LayoutSnapshot } | null;
}

/**
 * The layer forest of every local image. Small graphs are modelled synchronously; above `WORKER_ABOVE` layers (and
 * where workers exist) a worker builds it, and lays it out too (`useLayerLayout`). The worker ends with the view.
 */
export function useLayerGraph(): LayerModel {
  const query = useLayerGraphData();
  const data: readonly GraphImageData[] | undefined = query.data;
  const layerCount = useMemo(() => (data === undefined ? 0 : countLayers(data)), [data]);
  const large = useMemo(() => data !== undefined && shouldUseWorker(data), [data]);

  const [client] = useState(() => new LayoutClient(createLayoutWorker));
  const snapshot = useSyncExternalStore(client.subscribe, client.getSnapshot);
  useEffect(() => {
    if (large && data !== undefined) client.setData(data, countLayers(data));
  }, [client, data, large]);
  // The worker ends when the graph gets small again and when the view goes away.
  useEffect(() => (large ? () => client.dispose() : undefined), [client, large]);

  const useWorker = large && !snapshot.failed;
  const syncGraph = useMemo<LayerGraph | undefined>(
    () => (data === undefined || useWorker ? undefined : toLayerGraph(data)),
    [data, useWorker],
  );
  const graph = useWorker ? snapshot.graph : syncGraph;
  return {
    graph,
    error: query.error ?? (useWorker && snapshot.error !== undefined ? new Error(snapshot.error) : null),
    isLoading: query.data === undefined && query.error === null,
    layerCount,
    worker: useWorker ? { client, snapshot } : null,
  };
}

/** Where every visible layer goes: computed here for a small graph, by the model's worker for a large one. */
export function useLayerLayout(
  model: LayerModel,
  collapsed: ReadonlySet<string>,
): { readonly layout: LayerLayout | undefined; readonly pending: number | null } {
  const { graph, worker } = model;
  const client = worker === null ? null : worker.client;
  const sync = worker === null;
  const syncLayout = useMemo(
    () => (graph === undefined || !sync ? undefined : layoutLayerGraph(graph, { collapsed })),
    [graph, sync, collapsed],
  );
  useEffect(() => {
    if (client !== null && graph !== undefined) client.requestLayout(collapsed);
  }, [client, graph, collapsed]);
  if (worker === null) return { layout: syncLayout, pending: null };
  return { layout: worker.snapshot.layout, pending: worker.snapshot.pending };
}
