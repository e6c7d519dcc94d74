import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getStrata } from './api/client';
import { App } from './features/shell/App';
import { Providers } from './app/Providers';
// The stylesheets, in cascade order: the base (tokens, frame, controls, cells, dialogs) interleaved with the feature
// sheets that were written between its parts. Vite bundles CSS in import order; these come after every sheet a
// component imports, so a feature sheet listed here must not also be imported by a component.
import './styles/base.css';
import './styles/layout.css';
import './styles/controls.css';
import './features/images/imagesTable.css';
import './styles/cells.css';
import './styles/dialogs.css';
import './features/images/pullProgress.css';
import './features/engine/engineView.css';
import './features/history/history.css';
import './features/graph/graph.css';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <Providers bridge={getStrata()}>
      <App />
    </Providers>
  </StrictMode>,
);
