import type { ReactNode } from 'react';
import { Nav } from './Nav';

/**
 * The app frame: the brand and the header controls, the navigation, the current view, and whatever floats over them
 * (dialogs, the jobs drawer). The shell in features/shell/ fills the slots, so this folder knows no feature.
 */
export function Layout({
  header,
  children,
  overlays,
}: {
  readonly header: ReactNode;
  readonly children: ReactNode;
  readonly overlays: ReactNode;
}) {
  return (
    <div className="app">
      <header className="app-header">
        <div className="brand" aria-label="Strata">
          <span className="brand-mark" aria-hidden="true" />
          Strata
        </div>
        {header}
      </header>
      <div className="app-body">
        <Nav />
        <main className="app-main">{children}</main>
      </div>
      {overlays}
    </div>
  );
}
