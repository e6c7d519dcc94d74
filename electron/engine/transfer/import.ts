/**
 * `images.import`: a filesystem tar (checked to its end first) sent to POST /images/create?fromSrc=- through
 * upload.ts, tagged when a reference is given. An error line (read by core/stream-error.ts) fails the job; the
 * answer's last status names the new image.
 */
import type { FileSource } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import { parseReference } from '../../../shared/reference';
import { answer, maybeText } from '../core/answers';
import { lineError } from '../core/stream-error';
import type { EngineContext } from '../host/context';
import type { JobContext } from '../host/jobs';
import { progressOf, requireFile, resolveSource } from './files';
import { precheck, sendFile } from './upload';

/** A line of the import's answer: `{"status":"sha256:…"}`. */
const importLineSchema = answer({ status: maybeText });

export interface ImportArgs {
  readonly source: FileSource;
  readonly reference?: string;
  readonly changes: readonly string[];
  readonly message?: string;
}

export async function runImport(
  ctx: EngineContext,
  args: ImportArgs,
  job: JobContext,
): Promise<Record<string, unknown>> {
  const { path, name } = resolveSource(ctx, args.source);
  const size = await requireFile(path);
  await precheck(path, name, size, false, job);
  const query: Record<string, string | number | boolean | readonly string[]> = { fromSrc: '-' };
  if (args.reference !== undefined) {
    const parsed = parseReference(args.reference);
    if (!parsed.ok) throw new StrataError('invalid_argument', parsed.reason);
    if (parsed.value.digest !== undefined) {
      throw new StrataError('invalid_argument', 'An imported image gets a tag, not a digest: use repo:tag.');
    }
    query['repo'] = parsed.value.name;
    query['tag'] = parsed.value.tag ?? 'latest';
  }
  if (args.changes.length > 0) query['changes'] = args.changes;
  if (args.message !== undefined && args.message !== '') query['message'] = args.message;
  let imageId: string | undefined;
  let failure: string | undefined;
  await sendFile(ctx, { path: '/images/create', query }, { path, size, what: name }, job, 'import', (line) => {
    failure = lineError(line);
    if (failure !== undefined) return false;
    const status = importLineSchema.parse(line).status?.trim();
    if (status !== undefined && /^sha256:[0-9a-f]{64}$/.test(status)) imageId = status;
    return true;
  });
  if (failure !== undefined) {
    throw new StrataError('engine_error', `The engine could not import ${name}: ${failure}.`, failure);
  }
  if (imageId === undefined) {
    throw new StrataError('engine_error', `The engine ended the import of ${name} without naming the new image.`);
  }
  const reference = args.reference === undefined ? null : `${String(query['repo'])}:${String(query['tag'])}`;
  job.progress(progressOf(`Imported ${reference ?? imageId}`, size, size, 1));
  return { imageId, reference };
}
