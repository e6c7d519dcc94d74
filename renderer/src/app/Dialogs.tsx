/** The one dialog open over the views (see `DialogState`); each feature owns its dialog. */
import { BuildDialog } from '../features/imageBuild/BuildDialog';
import { CommitDialog } from '../features/containers/CommitDialog';
import { RunDialog } from '../features/containers/RunDialog';
import { CleanupDialog } from '../features/disk/CleanupDialog';
import { RemoveManyDialog } from '../features/images/RemoveManyDialog';
import { TagDialog } from '../features/images/TagDialog';
import { PruneDialog } from '../features/prune/PruneDialog';
import { PushDialog } from '../features/push/PushDialog';
import { LoginDialog } from '../features/registries/LoginDialog';
import { SearchDialog } from '../features/search/SearchDialog';
import { ExportDialog } from '../features/transfer/ExportDialog';
import { ImportDialog } from '../features/transfer/ImportDialog';
import { LoadDialog } from '../features/transfer/LoadDialog';
import { SaveDialog } from '../features/transfer/SaveDialog';
import { useUi } from './uiStore';

export function Dialogs() {
  const dialog = useUi((s) => s.dialog);
  if (dialog === undefined) return null;
  switch (dialog.kind) {
    case 'tag':
      return <TagDialog dialog={dialog} />;
    case 'removeMany':
      return <RemoveManyDialog dialog={dialog} />;
    case 'push':
      return <PushDialog dialog={dialog} />;
    case 'save':
      return <SaveDialog dialog={dialog} />;
    case 'load':
      return <LoadDialog dialog={dialog} />;
    case 'import':
      return <ImportDialog dialog={dialog} />;
    case 'export':
      return <ExportDialog dialog={dialog} />;
    case 'build':
      return <BuildDialog dialog={dialog} />;
    case 'commit':
      return <CommitDialog dialog={dialog} />;
    case 'prune':
      return <PruneDialog dialog={dialog} />;
    case 'search':
      return <SearchDialog dialog={dialog} />;
    case 'login':
      return <LoginDialog dialog={dialog} />;
    case 'run':
      return <RunDialog dialog={dialog} />;
    case 'cleanup':
      return <CleanupDialog dialog={dialog} />;
  }
}
