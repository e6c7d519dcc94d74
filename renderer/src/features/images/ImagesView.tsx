import { imageListPlaceholder } from './ImageListPlaceholder';
import { AllEnginesImages } from './AllEnginesImages';
import { useEffect, useMemo } from 'react';
import { useEngineStatus, useImages } from '../../app/queries';
import { useNow } from '../../app/useNow';
import { useUi, type DialogState } from '../../app/uiStore';
import { ImagesTable, type RowAction } from './ImagesTable';
import { filterRows, sortRows, toImageRows, type ImageRow } from './viewModel';

const MORE_ACTIONS = [
  ['build', 'Build…'],
  ['load', 'Load…'],
  ['import', 'Import…'],
  ['commit', 'Commit…'],
  ['export', 'Export…'],
  ['prune', 'Prune…'],
  ['search', 'Search Hub…'],
] as const;

function dialogFor(kind: (typeof MORE_ACTIONS)[number][0]): DialogState {
  switch (kind) {
    case 'commit':
    case 'export':
      return { kind, container: undefined };
    default:
      return { kind };
  }
}

/** Images: one row per repo:tag, filter, sort, pull and remove. */
export function ImagesView() {
  const status = useEngineStatus();
  const images = useImages();
  const now = useNow();
  const filterText = useUi((s) => s.filterText);
  const danglingOnly = useUi((s) => s.danglingOnly);
  const sort = useUi((s) => s.sort);
  const selectedKey = useUi((s) => s.selectedKey);
  const highlight = useUi((s) => s.highlight);
  const checkedKeys = useUi((s) => s.checkedKeys);
  const allEngines = useUi((s) => s.allEngines);
  const setAllEngines = useUi((s) => s.setAllEngines);
  const rowFilter = useMemo(() => ({ text: filterText, danglingOnly }), [filterText, danglingOnly]);
  const {
    setFilterText,
    setDanglingOnly,
    sortBy,
    select,
    setHighlight,
    openHistory,
    openDetails,
    openDialog,
    setChecked,
  } = useUi.getState();

  const allRows = useMemo(() => toImageRows(images.data ?? []), [images.data]);
  const rows = useMemo(
    () => sortRows(filterRows(allRows, { text: filterText, danglingOnly }), sort),
    [allRows, filterText, danglingOnly, sort],
  );

  // After a pull: select the new row once the refreshed list contains it.
  const highlightIndex = useMemo(
    () => (highlight === undefined ? -1 : rows.findIndex((r) => r.repoTag === highlight || r.imageId === highlight)),
    [rows, highlight],
  );
  const highlightKey = highlightIndex === -1 ? undefined : rows[highlightIndex]?.key;
  useEffect(() => {
    if (highlightKey === undefined) return;
    select(highlightKey);
    setHighlight(undefined);
  }, [highlightKey, select, setHighlight]);
  // Checked rows that disappear from the list (removed, untagged) are unchecked.
  useEffect(() => {
    if (images.data === undefined || checkedKeys.size === 0) return;
    const present = new Set(allRows.map((row) => row.key));
    const kept = [...checkedKeys].filter((key) => present.has(key));
    if (kept.length !== checkedKeys.size) setChecked(new Set(kept));
  }, [allRows, images.data, checkedKeys, setChecked]);
  const onCheck = (keys: readonly string[], checked: boolean): void => {
    const next = new Set(checkedKeys);
    for (const key of keys) {
      if (checked) next.add(key);
      else next.delete(key);
    }
    setChecked(next);
  };
  const checkedRows = allRows.filter((row) => checkedKeys.has(row.key));

  const selectedIndex = selectedKey === undefined ? -1 : rows.findIndex((r) => r.key === selectedKey);

  const onRemove = (row: ImageRow): void =>
    openDialog({
      kind: 'remove',
      target: {
        imageId: row.imageId,
        reference: row.removeReference,
        label: row.dangling ? row.shortId : row.repoTag,
        tagCount: row.tagCount,
      },
    });

  const onHistory = (row: ImageRow): void =>
    openHistory({ imageId: row.imageId, label: row.dangling ? row.shortId : row.repoTag });

  const nameOf = (row: ImageRow): string => (row.dangling ? row.shortId : row.repoTag);
  const actions: readonly RowAction[] = [
    {
      id: 'details',
      label: 'Details',
      ariaLabel: (name) => `Details of ${name}`,
      run: (row) => openDetails({ imageId: row.imageId, label: nameOf(row) }),
    },
    {
      id: 'tag',
      label: 'Tag',
      ariaLabel: (name) => `Tag ${name}`,
      run: (row) => openDialog({ kind: 'tag', imageId: row.imageId, label: nameOf(row) }),
    },
    {
      id: 'push',
      label: 'Push',
      ariaLabel: (name) => `Push ${name}`,
      run: (row) => openDialog({ kind: 'push', reference: row.repoTag }),
      applies: (row) => !row.dangling && row.tag !== '<none>',
    },
    {
      id: 'save',
      label: 'Save',
      ariaLabel: (name) => `Save ${name}`,
      run: (row) => openDialog({ kind: 'save', references: [row.dangling ? row.imageId : row.repoTag] }),
    },
  ];

  const connected = status.data?.state === 'connected';
  const placeholder = imageListPlaceholder(status, images);
  let body;
  if (allEngines) {
    body = <AllEnginesImages filter={rowFilter} sort={sort} now={now} />;
  } else if (placeholder !== undefined) {
    body = placeholder;
  } else if (allRows.length === 0) {
    body = (
      <div className="empty-state">
        <h2>No images yet</h2>
        <p>This engine has no images. Pull one to get started.</p>
      </div>
    );
  } else if (rows.length === 0) {
    body = (
      <div className="empty-state">
        <h2>No matching images</h2>
        <p>No image matches the filter{danglingOnly ? ' among dangling images' : ''}.</p>
      </div>
    );
  } else {
    body = (
      <ImagesTable
        rows={rows}
        sort={sort}
        onSort={sortBy}
        selectedKey={selectedKey}
        onSelect={select}
        onRemove={onRemove}
        onHistory={onHistory}
        actions={actions}
        scrollToIndex={selectedIndex === -1 ? undefined : selectedIndex}
        now={now}
        checkedKeys={checkedKeys}
        onCheck={onCheck}
      />
    );
  }
  const nameOfRow = (row: ImageRow): string => (row.dangling ? row.shortId : row.repoTag);
  const bulkBar =
    allEngines || checkedRows.length === 0 ? null : (
      <div className="bulk-bar" role="toolbar" aria-label="Checked images">
        <span>{checkedRows.length} checked</span>
        <button
          type="button"
          className="button button-danger"
          disabled={!connected}
          onClick={() =>
            openDialog({
              kind: 'removeMany',
              items: checkedRows.map((row) => ({
                reference: row.removeReference,
                label: nameOfRow(row),
                imageId: row.imageId,
              })),
            })
          }
        >
          Remove {checkedRows.length}…
        </button>
        <button
          type="button"
          className="button"
          disabled={!connected}
          onClick={() =>
            openDialog({
              kind: 'save',
              references: checkedRows.map((row) => (row.dangling ? row.imageId : row.repoTag)),
            })
          }
        >
          Save {checkedRows.length}…
        </button>
        <button type="button" className="button button-quiet" onClick={() => setChecked(new Set())}>
          Clear
        </button>
      </div>
    );

  const shown = rows.length === allRows.length ? `${allRows.length}` : `${rows.length} of ${allRows.length}`;

  return (
    <section className="view" aria-labelledby="images-title">
      <header className="view-header">
        <h1 id="images-title">Images</h1>
        {allEngines || images.data === undefined ? null : (
          <span className="muted count" aria-live="polite">
            {shown} {allRows.length === 1 ? 'row' : 'rows'} · {images.data.length}{' '}
            {images.data.length === 1 ? 'image' : 'images'}
          </span>
        )}
        <div className="toolbar">
          <input
            type="search"
            className="input filter-input"
            aria-label="Filter images"
            placeholder="Filter by repository, tag or ID"
            value={filterText}
            onChange={(event) => setFilterText(event.target.value)}
          />
          <label className="checkbox">
            <input type="checkbox" checked={danglingOnly} onChange={(event) => setDanglingOnly(event.target.checked)} />
            Dangling only
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={allEngines} onChange={(event) => setAllEngines(event.target.checked)} />
            All engines
          </label>
          <button
            type="button"
            className="button button-primary"
            onClick={() => openDialog({ kind: 'pull' })}
            disabled={!connected}
          >
            Pull
          </button>
        </div>
        <div className="toolbar toolbar-operations" role="toolbar" aria-label="Image operations">
          {MORE_ACTIONS.map(([kind, label]) => (
            <button
              key={kind}
              type="button"
              className="button"
              onClick={() => openDialog(dialogFor(kind))}
              disabled={!connected}
            >
              {label}
            </button>
          ))}
        </div>
      </header>
      {bulkBar}
      <div className="view-body">{body}</div>
    </section>
  );
}
