import { VIEWS, useUi, type ViewId } from './uiStore';

export const VIEW_LABELS: Readonly<Record<ViewId, string>> = {
  images: 'Images',
  details: 'Details',
  registries: 'Registries',
  containers: 'Containers',
  container: 'Container',
  history: 'History',
  layers: 'Layers',
  disk: 'Disk',
  events: 'Events',
  engine: 'Engine',
};

const ICONS: Readonly<Record<ViewId, string>> = {
  images: '▤',
  details: '◉',
  registries: '☁',
  containers: '▣',
  container: '▢',
  history: '≡',
  layers: '◫',
  disk: '◔',
  events: '⚡',
  engine: '⚙',
};

export function Nav() {
  const view = useUi((s) => s.view);
  const setView = useUi((s) => s.setView);
  return (
    <nav className="nav" aria-label="Views">
      <ul>
        {VIEWS.map((id) => (
          <li key={id}>
            <button
              type="button"
              className={`nav-item${view === id ? ' is-active' : ''}`}
              aria-current={view === id ? 'page' : undefined}
              onClick={() => setView(id)}
            >
              <span className="nav-icon" aria-hidden="true">
                {ICONS[id]}
              </span>
              {VIEW_LABELS[id]}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
