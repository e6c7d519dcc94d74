import { ContainerView } from '../features/containers/ContainerView';
import { ContainersView } from '../features/containers/ContainersView';
import { DiskView } from '../features/disk/DiskView';
import { EngineScope } from '../api/engineScope';
import { EngineBanner } from '../features/engine/EngineBanner';
import { EngineSwitcher } from '../features/engine/EngineSwitcher';
import { EngineView } from '../features/engine/EngineView';
import { EventsView } from '../features/events/EventsView';
import { HistoryView } from '../features/history/HistoryView';
import { LayersView } from '../features/graph/LayersView';
import { ImagesView } from '../features/images/ImagesView';
import { JobsButton, JobsDrawer } from '../features/jobs/JobsDrawer';
import { PullDialog } from '../features/images/PullDialog';
import { RemoveDialog } from '../features/images/RemoveDialog';
import { ImageDetailsView } from '../features/details/ImageDetailsView';
import { RegistriesView } from '../features/registries/RegistriesView';
import { Dialogs } from './Dialogs';
import { Nav } from './Nav';
import { useStrataEvents } from './queries';
import { useUi, type ViewId } from './uiStore';

function CurrentView({ view }: { readonly view: ViewId }) {
  switch (view) {
    case 'images':
      return <ImagesView />;
    case 'engine':
      return <EngineView />;
    case 'history':
      return <HistoryView />;
    case 'layers':
      return <LayersView />;
    case 'details':
      return <ImageDetailsView />;
    case 'registries':
      return <RegistriesView />;
    case 'events':
      return <EventsView />;
    case 'containers':
      return <ContainersView />;
    case 'container':
      return <ContainerView />;
    case 'disk':
      return <DiskView />;
  }
}

/** The app frame: engine banner, navigation, the current view, and the dialogs. */
export function App() {
  useStrataEvents();
  const view = useUi((s) => s.view);
  const engineId = useUi((s) => s.engineId);
  const pullOpen = useUi((s) => s.pullOpen);
  const removeTarget = useUi((s) => s.removeTarget);
  const jobsOpen = useUi((s) => s.jobsOpen);
  return (
    <div className="app">
      <header className="app-header">
        <div className="brand" aria-label="Strata">
          <span className="brand-mark" aria-hidden="true" />
          Strata
        </div>
        <EngineSwitcher />
        <EngineBanner />
        <JobsButton />
      </header>
      <div className="app-body">
        <Nav />
        <main className="app-main">
          <CurrentView view={view} />
        </main>
      </div>
      {pullOpen ? <PullDialog /> : null}
      {removeTarget === undefined ? null : (
        <EngineScope engineId={removeTarget.engineId ?? engineId}>
          <RemoveDialog key={removeTarget.reference} target={removeTarget} />
        </EngineScope>
      )}
      <Dialogs />
      {jobsOpen ? <JobsDrawer /> : null}
    </div>
  );
}
