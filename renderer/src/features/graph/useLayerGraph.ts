import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { toLayerGraph, type LayerGraph } from '../../../../shared/graph';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { useEngineConnected } from '../../app/queries';
import { queryKeys } from '../../app/queryKeys';

/** `layers.graph` turned into the layer forest; its key lives under `images`, so it refreshes with the image list. */
export function useLayerGraph() {
  const strata = useStrata();
  const connected = useEngineConnected();
  const query = useQuery({
    queryKey: queryKeys.layersGraph(),
    queryFn: async () => unwrap(await strata.layers.graph({})),
    enabled: connected,
  });
  const graph = useMemo<LayerGraph | undefined>(
    () => (query.data === undefined ? undefined : toLayerGraph(query.data)),
    [query.data],
  );
  return { graph, error: query.error, isLoading: query.data === undefined && query.error === null };
}
