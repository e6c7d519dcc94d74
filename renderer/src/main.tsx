import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getStrata } from './api/client';
import { App } from './features/shell/App';
import { Providers } from './app/Providers';
import './styles.css';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <Providers bridge={getStrata()}>
      <App />
    </Providers>
  </StrictMode>,
);
