import type { ReactElement } from 'react';
import type { EngineStatus } from '../../../../shared/api';
import { EngineUnavailable } from '../engine/EngineUnavailable';

/**
 * What a view built on the image list shows while it cannot show the list: no engine (and nothing fetched before),
 * the list failed, or it is still loading. Undefined once the list is there, also when the engine has gone since.
 */
export function imageListPlaceholder(
  status: { readonly data: EngineStatus | undefined; readonly error: unknown },
  images: { readonly data: unknown; readonly error: Error | null },
): ReactElement | undefined {
  // With the engine gone, a list already fetched stays on screen (the banner says it may be stale).
  if (status.data?.state !== 'connected' && images.data === undefined) {
    return <EngineUnavailable status={status.data} error={status.error} />;
  }
  if (images.error !== null && images.data === undefined) {
    return (
      <div className="empty-state" role="alert">
        <h2>Could not list images</h2>
        <p>{images.error.message}</p>
      </div>
    );
  }
  if (images.data === undefined) return <p className="notice">Loading images…</p>;
  return undefined;
}
