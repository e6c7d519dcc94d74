/** containers.action for one container, as the Containers views' row buttons and small dialogs call it. */
import { useQueryClient } from '@tanstack/react-query';
import type { ArgsOf, ContainerAction } from '../../../../shared/api';
import { toErrorShape, type ErrorShape } from '../../../../shared/errors';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';

/** What a dialog acts on: the engine ID (what the call takes), the name shown, and its state. */
export interface ContainerItem {
  readonly id: string;
  readonly label: string;
  readonly state: string;
}

type ActionOptions = Omit<ArgsOf<'containers.action'>, 'container' | 'action'>;

/** containers.action, then the list refreshed; resolves to the error shape when it failed. */
export function useContainerAction(): (
  item: ContainerItem,
  action: ContainerAction,
  options?: ActionOptions,
) => Promise<ErrorShape | undefined> {
  const strata = useStrata();
  const queryClient = useQueryClient();
  return async (item, action, options = {}) => {
    try {
      unwrap(await strata.containers.action({ container: item.id, action, ...options }));
      return undefined;
    } catch (caught) {
      return toErrorShape(caught);
    } finally {
      await queryClient.invalidateQueries({ queryKey: ['containers'] });
    }
  };
}
