/**
 * `images.load`: an image archive (checked to its end first) sent to POST /images/load through upload.ts. The
 * answer's lines name what was loaded; an error line (read by core/stream-error.ts) fails the job, and a load that
 * fails after some images were tagged removes the tags it added.
 */
import type { FileSource } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import { encodeReferenceForPath } from '../../../shared/reference';
import { answer, maybeText } from '../core/answers';
import { lineError } from '../core/stream-error';
import type { EngineContext } from '../host/context';
import type { JobContext } from '../host/jobs';
import { progressOf, requireFile, resolveSource } from './files';
import { precheck, sendFile } from './upload';

/** A line of the load's answer: `{"stream":"Loaded image: t/x:1\n"}`. */
const loadLineSchema = answer({ stream: maybeText });

/** Every repo:tag (and image ID) on the engine now. */
async function currentNames(ctx: EngineContext): Promise<Set<string>> {
  const images = await ctx.getJson('/images/json', { operation: 'list' });
  const names = new Set<string>();
  if (!Array.isArray(images)) return names;
  for (const image of images as { Id?: unknown; RepoTags?: unknown }[]) {
    if (typeof image.Id === 'string') names.add(image.Id);
    if (Array.isArray(image.RepoTags)) {
      for (const tag of image.RepoTags) if (typeof tag === 'string') names.add(tag);
    }
  }
  return names;
}

async function removeTags(ctx: EngineContext, names: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const name of names) {
    const res = await ctx
      .engine()
      .json({ method: 'DELETE', path: `/images/${encodeReferenceForPath(name)}`, query: { noprune: false } })
      .catch(() => undefined);
    if (res !== undefined && res.status === 200) removed.push(name);
  }
  return removed;
}

export async function runLoad(
  ctx: EngineContext,
  source: FileSource,
  job: JobContext,
): Promise<Record<string, unknown>> {
  const { path, name } = resolveSource(ctx, source);
  const size = await requireFile(path);
  await precheck(path, name, size, true, job);
  const before = await currentNames(ctx);
  const loaded: string[] = [];
  let failure: string | undefined;
  await sendFile(
    ctx,
    { path: '/images/load', query: { quiet: false } },
    { path, size, what: name },
    job,
    'load',
    (line) => {
      failure = lineError(line);
      if (failure !== undefined) return false;
      const { stream } = loadLineSchema.parse(line);
      if (stream !== undefined) {
        const tag = /Loaded image: (\S+)/.exec(stream)?.[1];
        const id = /Loaded image ID: (sha256:[0-9a-f]+)/.exec(stream)?.[1];
        const item = tag ?? id;
        if (item !== undefined) {
          loaded.push(item);
          job.progress(progressOf(`Loaded ${item}`, size, size));
        }
      }
      return true;
    },
  );
  if (failure !== undefined) {
    const added = loaded.filter((item) => !before.has(item));
    const removed = await removeTags(ctx, added);
    const undo =
      removed.length === 0
        ? ' No image was tagged by it.'
        : ` What it had loaded was removed again: ${removed.join(', ')}.`;
    throw new StrataError('engine_error', `The engine could not load ${name}: ${failure}.${undo}`, failure);
  }
  return { loaded };
}
