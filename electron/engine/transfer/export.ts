/**
 * `containers.export`: a container's filesystem as a tar, from GET /containers/{id}/export, written through
 * download.ts (checked, watched for stalls, renamed into place; a failed job leaves no file).
 */
import type { FileDestination } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import { httpError } from '../core/errors';
import type { EngineContext } from '../host/context';
import type { JobContext } from '../host/jobs';
import { download } from './download';

export interface ExportArgs {
  readonly container: string;
  readonly destination: FileDestination;
}

export async function runExport(
  ctx: EngineContext,
  args: ExportArgs,
  job: JobContext,
): Promise<Record<string, unknown>> {
  const container = args.container.replace(/^\//, '');
  const result = await download(ctx, {
    request: { method: 'GET', path: `/containers/${encodeURIComponent(container)}/export` },
    what: `the filesystem of ${container}`,
    destination: args.destination,
    compress: false,
    image: false,
    estimate: null,
    job,
    onHttpError: (status, body) => {
      if (status === 404)
        return new StrataError('not_found', `No container "${container}" on this engine.`, body.trim());
      return httpError(status, body, { operation: 'list' });
    },
  });
  return { ...result };
}
