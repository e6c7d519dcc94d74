/** The Layers view's toolbar: "Find image", Fit to view, Expand all (while layers are collapsed) and the exports. */
export interface LayersToolbarProps {
  readonly search: string;
  readonly onSearch: (search: string) => void;
  /** The graph is drawn: the buttons work. */
  readonly hasSvg: boolean;
  /** Some layers are collapsed: Expand all is offered. */
  readonly canExpand: boolean;
  readonly onFit: () => void;
  readonly onExpandAll: () => void;
  readonly onExportSvg: () => void;
  readonly onExportPng: () => Promise<void>;
}

export function LayersToolbar({
  search,
  onSearch,
  hasSvg,
  canExpand,
  onFit,
  onExpandAll,
  onExportSvg,
  onExportPng,
}: LayersToolbarProps) {
  return (
    <div className="toolbar">
      <input
        type="search"
        className="input filter-input"
        aria-label="Find image"
        placeholder="Find image"
        value={search}
        onChange={(event) => onSearch(event.target.value)}
      />
      <button type="button" className="button" onClick={onFit} disabled={!hasSvg}>
        Fit to view
      </button>
      {canExpand ? (
        <button type="button" className="button" onClick={onExpandAll} disabled={!hasSvg}>
          Expand all
        </button>
      ) : null}
      <button type="button" className="button" onClick={onExportSvg} disabled={!hasSvg}>
        Export SVG
      </button>
      <button type="button" className="button" onClick={() => void onExportPng()} disabled={!hasSvg}>
        Export PNG
      </button>
    </div>
  );
}
