import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { useEngineConnected } from '../../app/queries';
import { ENGINE_ID, queryKeys } from '../../app/queryKeys';

/** `images.history` for one image, keyed by engine and image ID; waits for the engine and an image. */
export function useImageHistory(imageId: string | undefined) {
  const strata = useStrata();
  const connected = useEngineConnected();
  return useQuery({
    queryKey: queryKeys.imageHistory(imageId ?? '', ENGINE_ID),
    queryFn: async () => unwrap(await strata.images.history({ reference: imageId ?? '' })),
    enabled: connected && imageId !== undefined,
  });
}
