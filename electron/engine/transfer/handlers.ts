/**
 * The transfer domain's handlers: `images.save`, `images.load`, `images.import` and `containers.export`, each
 * started as a job whose run is in the file of its name (save.ts, load.ts, import.ts, export.ts). The engine
 * streams go through core/streamed.ts (download.ts for save and export, upload.ts for load and import).
 */
import { basename } from 'node:path';
import type { EngineContext, HandlerSlice } from '../host/context';
import { settle } from '../host/context';
import { runExport } from './export';
import { consumingUpload, refuseExisting, short } from './files';
import { runImport } from './import';
import { runLoad } from './load';
import { runSave } from './save';

export function transferHandlers(
  ctx: EngineContext,
): HandlerSlice<'images.save' | 'images.load' | 'images.import' | 'containers.export'> {
  return {
    'images.save': settle((args) => {
      ctx.engine();
      refuseExisting(args.destination);
      const title = short(args.references.join(', '));
      return { jobId: ctx.jobs.start('save', title, (job) => runSave(ctx, args, title, job)) };
    }),
    'images.load': settle((args) => {
      ctx.engine();
      const title =
        args.source.kind === 'path' ? basename(args.source.path) : ctx.files.upload(args.source.uploadId).fileName;
      return {
        jobId: ctx.jobs.start('load', short(title), (job) =>
          consumingUpload(ctx, args.source, () => runLoad(ctx, args.source, job)),
        ),
      };
    }),
    'images.import': settle((args) => {
      ctx.engine();
      const title = args.reference ?? (args.source.kind === 'path' ? basename(args.source.path) : 'uploaded tarball');
      return {
        jobId: ctx.jobs.start('import', short(title), (job) =>
          consumingUpload(ctx, args.source, () => runImport(ctx, args, job)),
        ),
      };
    }),
    'containers.export': settle((args) => {
      ctx.engine();
      refuseExisting(args.destination);
      const title = args.container.replace(/^\//, '');
      return { jobId: ctx.jobs.start('export', title, (job) => runExport(ctx, args, job)) };
    }),
  };
}
