/** The shell: the one place that knows every feature; it maps view ids and dialog kinds to the features' components. */
import { ContainerView } from '../containers/ContainerView';
import { ContainersView } from '../containers/ContainersView';
import { DiskView } from '../disk/DiskView';
import { EngineBanner } from '../engine/EngineBanner';
import { EngineSwitcher } from '../engine/EngineSwitcher';
import { EngineView } from '../engine/EngineView';
import { EventsView } from '../events/EventsView';
import { HistoryView } from '../history/HistoryView';
import { LayersView } from '../graph/LayersView';
import { ImagesView } from '../images/ImagesView';
import { JobsButton, JobsDrawer } from '../jobs/JobsDrawer';
import { ImageDetailsView } from '../details/ImageDetailsView';
import { RegistriesView } from '../registries/RegistriesView';
import { Layout } from '../../app/Layout';
import { useStrataEvents } from '../../app/queries';
import { useUi, type ViewId } from '../../app/uiStore';
import { Dialogs } from './Dialogs';

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

/** The app: the frame (app/Layout) filled with the engine controls, the current view, the dialogs and the jobs drawer. */
export function App() {
  useStrataEvents();
  const view = useUi((s) => s.view);
  const jobsOpen = useUi((s) => s.jobsOpen);
  return (
    <Layout
      header={
        <>
          <EngineSwitcher />
          <EngineBanner />
          <JobsButton />
        </>
      }
      overlays={
        <>
          <Dialogs />
          {jobsOpen ? <JobsDrawer /> : null}
        </>
      }
    >
      <CurrentView view={view} />
    </Layout>
  );
}
