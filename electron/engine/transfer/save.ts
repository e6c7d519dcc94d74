/**
 * `images.save`: one archive of the images named, from GET /images/get, written through download.ts (checked,
 * watched for stalls, renamed into place; a failed job leaves no file).
 */
import type { FileDestination } from '../../../shared/api';
import { encodeReferenceForPath } from '../../../shared/reference';
import { answer, count } from '../core/answers';
import { httpError } from '../core/errors';
import type { EngineContext } from '../host/context';
import type { JobContext } from '../host/jobs';
import { download } from './download';

/** The one field of an image inspect a save reads. */
const imageSizeSchema = answer({ Size: count });

export interface SaveArgs {
  readonly references: readonly string[];
  readonly compress: boolean;
  readonly destination: FileDestination;
}

export async function runSave(
  ctx: EngineContext,
  args: SaveArgs,
  title: string,
  job: JobContext,
): Promise<Record<string, unknown>> {
  // The sum of the images' sizes: about what the archive will hold, for progress.
  let estimate = 0;
  for (const reference of args.references) {
    const raw = await ctx.getJson(`/images/${encodeReferenceForPath(reference)}/json`, {
      operation: 'inspect',
      reference,
    });
    estimate += imageSizeSchema.parse(raw).Size;
  }
  const result = await download(ctx, {
    request: { method: 'GET', path: '/images/get', query: { names: args.references } },
    what: title,
    destination: args.destination,
    compress: args.compress,
    image: true,
    estimate: estimate > 0 ? estimate : null,
    job,
    onHttpError: (status, body) =>
      httpError(status, body, { operation: 'inspect', reference: args.references.join(', ') }),
  });
  return { ...result };
}
