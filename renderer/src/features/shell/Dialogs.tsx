/** The one dialog open over the views (see `DialogState`); each feature owns its dialog. */
import { BuildDialog } from '../imageBuild/BuildDialog';
import { CommitDialog } from '../containers/CommitDialog';
import { RunDialog } from '../containers/RunDialog';
import { CleanupDialog } from '../disk/CleanupDialog';
import { PullDialog } from '../images/PullDialog';
import { RemoveDialog } from '../images/RemoveDialog';
import { RemoveManyDialog } from '../images/RemoveManyDialog';
import { TagDialog } from '../images/TagDialog';
import { PruneDialog } from '../prune/PruneDialog';
import { PushDialog } from '../push/PushDialog';
import { LoginDialog } from '../registries/LoginDialog';
import { SearchDialog } from '../search/SearchDialog';
import { ExportDialog } from '../transfer/ExportDialog';
import { ImportDialog } from '../transfer/ImportDialog';
import { LoadDialog } from '../transfer/LoadDialog';
import { SaveDialog } from '../transfer/SaveDialog';
import { EngineScope } from '../../api/engineScope';
import { useUi } from '../../app/uiStore';

export function Dialogs() {
  const dialog = useUi((s) => s.dialog);
  const engineId = useUi((s) => s.engineId);
  if (dialog === undefined) return null;
  switch (dialog.kind) {
    case 'pull':
      return <PullDialog dialog={dialog} />;
    case 'remove':
      // In All engines mode the image may be on another engine than the one shown.
      return (
        <EngineScope engineId={dialog.target.engineId ?? engineId}>
          <RemoveDialog key={dialog.target.reference} dialog={dialog} />
        </EngineScope>
      );
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
