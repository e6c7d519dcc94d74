import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { refreshAfterReconnect, useEngineStatus } from '../../app/queries';
import { queryKeys } from '../../app/queryKeys';
import { formatExact } from '../../lib/format';
import { describeStatus } from './engineViewModel';

/** The strip at the top: which engine Strata talks to, or why it cannot reach one (with Retry). */
export function EngineBanner() {
  const status = useEngineStatus();
  const queryClient = useQueryClient();
  const [retrying, setRetrying] = useState(false);
  const view = describeStatus(status.data, status.error);
  // Views keep what they last fetched while the engine is gone: say how old it is.
  const shownAt = view.tone === 'error' ? (queryClient.getQueryState(queryKeys.images())?.dataUpdatedAt ?? 0) : 0;

  const retry = async (): Promise<void> => {
    setRetrying(true);
    try {
      const result = await status.refetch();
      if (result.data?.state === 'connected') await refreshAfterReconnect(queryClient);
    } finally {
      setRetrying(false);
    }
  };

  return (
    <div className={`engine-banner engine-banner-${view.tone}`} role="region" aria-label="Engine status">
      <span className="engine-dot" aria-hidden="true" />
      <span className="engine-banner-text" role={view.tone === 'error' ? 'alert' : 'status'}>
        {view.headline}
        {view.detail === undefined ? null : <span className="engine-banner-detail"> — {view.detail}</span>}
      </span>
      {shownAt > 0 ? (
        <span className="engine-banner-detail engine-banner-stale" title={formatExact(shownAt)}>
          Showing data from {new Date(shownAt).toLocaleTimeString()}, may be stale
        </span>
      ) : null}
      {view.tone === 'error' ? (
        <button type="button" className="button" onClick={() => void retry()} disabled={retrying}>
          {retrying ? 'Retrying…' : 'Retry'}
        </button>
      ) : null}
    </div>
  );
}
