/**
 * The Disk view: `docker system df` as pictures (totals, image treemap, volumes, build cache) and cleanup.
 * The fast lists (images, containers, volumes) show at once; what needs /system/df (slow with many images) fills in
 * when it arrives, each part saying "Measuring disk usage…" meanwhile. Never a full-page spinner.
 */
import { useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { dockerHumanSize } from '../../../../shared/disk';
import { useContainers, useDiskUsage, useEngineConnected, useImages, useVolumes } from '../../app/queries';
import { queryKeys } from '../../app/queryKeys';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useNow } from '../../app/useNow';
import { useUi } from '../../app/uiStore';
import { BuildCachePanel } from './BuildCachePanel';
import {
  removePlanOf,
  totalRows,
  treemapImages,
  volumesWithUsage,
  type TotalRow,
  type TreemapImage,
} from './diskViewModel';
import { ImagesTreemap, TotalsChart } from './Treemap';
import { VolumesPanel } from './VolumesPanel';
import './disk.css';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** How many images the keyboard list shows (biggest unique first). */
const TOP_IMAGES = 25;

function Pending() {
  return <span className="muted">Measuring…</span>;
}

function TotalsTable({ rows }: { readonly rows: readonly TotalRow[] }) {
  return (
    <table className="disk-table disk-totals" aria-label="Disk usage totals">
      <thead>
        <tr>
          <th>TYPE</th>
          <th className="cell-numeric">TOTAL</th>
          <th className="cell-numeric">ACTIVE</th>
          <th className="cell-numeric">SIZE</th>
          <th className="cell-numeric">RECLAIMABLE</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.category} data-category={row.category}>
            <th scope="row">{row.label}</th>
            <td className="cell-numeric">{row.count === null ? <Pending /> : row.count}</td>
            <td className="cell-numeric">{row.active === null ? <Pending /> : row.active}</td>
            <td className="cell-numeric" title={row.size === null ? undefined : `${row.size} bytes`}>
              {row.sizeText ?? <Pending />}
            </td>
            <td className="cell-numeric" title={row.reclaimable === null ? undefined : `${row.reclaimable} bytes`}>
              {row.reclaimableText ?? <Pending />}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ImagePanel({ image, onClose }: { readonly image: TreemapImage; readonly onClose: () => void }) {
  const { openDetails, openDialog } = useUi.getState();
  const remove = (): void => {
    const plan = removePlanOf(image);
    if (plan.kind === 'one') {
      const target = { imageId: plan.imageId, reference: plan.reference, label: plan.label, tagCount: plan.tagCount };
      openDialog({ kind: 'remove', target });
    } else {
      openDialog({ kind: 'removeMany', items: plan.items });
    }
  };
  return (
    <section className="disk-image-panel" aria-label={`Image ${image.label}`}>
      <h3 className="cell-mono">{image.label}</h3>
      {image.repoTags.length > 1 ? <p className="muted">Also tagged {image.repoTags.slice(1).join(', ')}</p> : null}
      <dl className="disk-facts">
        <dt>Size</dt>
        <dd title={`${image.size} bytes`}>{dockerHumanSize(image.size)}</dd>
        <dt>Unique</dt>
        <dd>{image.uniqueSize === null ? <Pending /> : dockerHumanSize(image.uniqueSize)}</dd>
        <dt>Shared with other images</dt>
        <dd>{image.sharedSize === null ? <Pending /> : dockerHumanSize(image.sharedSize)}</dd>
        <dt>Containers</dt>
        <dd>{image.containers === null ? <Pending /> : image.containers}</dd>
      </dl>
      <div className="disk-panel-actions">
        <button
          type="button"
          className="button button-primary"
          onClick={() => openDetails({ imageId: image.id, label: image.label })}
        >
          Open details
        </button>
        <button type="button" className="button button-danger" onClick={remove}>
          Remove…
        </button>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </section>
  );
}

export function DiskView() {
  const connected = useEngineConnected();
  const queryClient = useQueryClient();
  const images = useImages();
  const containers = useContainers();
  const volumes = useVolumes();
  const usage = useDiskUsage();
  const now = useNow();
  const openDialog = useUi((s) => s.openDialog);
  const openContainer = useUi((s) => s.openContainer);
  const [pickedId, setPickedId] = useState<string | undefined>(undefined);

  const measured = usage.data;
  const measuring = connected && measured === undefined && !usage.isError;
  const usageError = usage.isError ? messageOf(usage.error) : undefined;

  const rows = useMemo(
    () => totalRows({ images: images.data, containers: containers.data, volumes: volumes.data }, measured),
    [images.data, containers.data, volumes.data, measured],
  );
  const mapImages = useMemo(() => treemapImages(images.data, measured), [images.data, measured]);
  const volumeRows = useMemo(() => volumesWithUsage(volumes.data, measured), [volumes.data, measured]);
  const picked = pickedId === undefined ? undefined : mapImages.find((i) => i.id === pickedId);

  const refresh = (): void => {
    for (const queryKey of [queryKeys.images(), queryKeys.containers(), queryKeys.volumes(), queryKeys.disk()]) {
      void queryClient.invalidateQueries({ queryKey });
    }
  };

  const measuringNote = measuring ? (
    <p className="muted disk-measuring" role="status">
      Measuring disk usage…
    </p>
  ) : null;

  return (
    <section className="view" aria-labelledby="disk-title">
      <header className="view-header">
        <h1 id="disk-title">Disk</h1>
        {measured === undefined ? null : (
          <span className="muted count" title={measured.computedAt}>
            Measured in {Math.round(measured.engineMs)} ms
          </span>
        )}
        <div className="toolbar">
          <button type="button" className="button" onClick={refresh} disabled={!connected || usage.isFetching}>
            {usage.isFetching ? 'Measuring…' : 'Refresh'}
          </button>
          <button
            type="button"
            className="button button-primary"
            onClick={() => openDialog({ kind: 'cleanup', preset: 'all' })}
            disabled={!connected}
          >
            Clean up…
          </button>
        </div>
      </header>
      <div className="view-scroll disk-body">
        {!connected ? <p className="muted">Waiting for the engine…</p> : null}
        {usageError === undefined ? null : (
          <ErrorNotice>Could not measure disk usage (sizes stay unknown): {usageError}</ErrorNotice>
        )}

        <section className="disk-section" aria-labelledby="disk-totals-title">
          <h2 id="disk-totals-title">Totals</h2>
          {measuringNote}
          <div className="disk-totals-row">
            <TotalsTable rows={rows} />
            <TotalsChart rows={rows} />
          </div>
          <p className="muted disk-legend">
            <span className="disk-swatch disk-swatch-size" aria-hidden="true" /> size{' '}
            <span className="disk-swatch disk-swatch-reclaimable" aria-hidden="true" /> reclaimable
          </p>
        </section>

        <section className="disk-section" aria-labelledby="disk-images-title">
          <div className="disk-section-header">
            <h2 id="disk-images-title">Images on disk</h2>
            <button
              type="button"
              className="button"
              onClick={() => openDialog({ kind: 'cleanup', preset: 'dangling' })}
            >
              Prune dangling images…
            </button>
            <button
              type="button"
              className="button"
              onClick={() => openDialog({ kind: 'cleanup', preset: 'unused-images' })}
            >
              Prune unused images…
            </button>
          </div>
          {images.isError ? <ErrorNotice>Could not list the images: {messageOf(images.error)}</ErrorNotice> : null}
          {measuring ? (
            <p className="muted disk-measuring">Measuring disk usage… (unique and shared sizes follow)</p>
          ) : null}
          {mapImages.length === 0 ? (
            images.data === undefined && measured === undefined ? null : (
              <p className="muted">No images.</p>
            )
          ) : (
            <>
              <p className="muted disk-legend">
                <span className="disk-swatch disk-swatch-unique" aria-hidden="true" /> unique to the image (freed by
                removing it) <span className="disk-swatch disk-swatch-shared" aria-hidden="true" /> shared with other
                images
              </p>
              <ImagesTreemap images={mapImages} selectedId={pickedId} onPick={(image) => setPickedId(image.id)} />
              {picked === undefined ? null : <ImagePanel image={picked} onClose={() => setPickedId(undefined)} />}
              <h3 className="disk-subtitle">
                {measured === undefined ? 'Biggest images' : 'Biggest images by unique bytes'}
              </h3>
              <ol className="disk-top-list" aria-label="Images by size">
                {mapImages.slice(0, TOP_IMAGES).map((image) => (
                  <li key={image.id}>
                    <button
                      type="button"
                      className="disk-link"
                      aria-pressed={image.id === pickedId}
                      onClick={() => setPickedId(image.id)}
                    >
                      <span className="cell-mono">{image.label}</span>{' '}
                      <span className="muted">
                        {image.uniqueSize === null
                          ? dockerHumanSize(image.size)
                          : `${dockerHumanSize(image.uniqueSize)} unique, ${dockerHumanSize(image.sharedSize ?? 0)} shared`}
                      </span>
                    </button>
                  </li>
                ))}
              </ol>
              {mapImages.length > TOP_IMAGES ? (
                <p className="muted">and {mapImages.length - TOP_IMAGES} smaller images (all in the Images view).</p>
              ) : null}
            </>
          )}
        </section>

        <section className="disk-section" aria-labelledby="disk-containers-title">
          <div className="disk-section-header">
            <h2 id="disk-containers-title">Containers</h2>
            <button
              type="button"
              className="button"
              onClick={() => openDialog({ kind: 'cleanup', preset: 'containers' })}
            >
              Prune stopped containers…
            </button>
          </div>
          {measured === undefined ? (
            measuringNote
          ) : measured.containers.length === 0 ? (
            <p className="muted">No containers.</p>
          ) : (
            <div className="disk-table-wrap">
              <table className="disk-table" aria-label="Container sizes">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Image</th>
                    <th>State</th>
                    <th className="cell-numeric">Writable layer</th>
                    <th className="cell-numeric">Virtual size</th>
                  </tr>
                </thead>
                <tbody>
                  {[...measured.containers]
                    .sort((a, b) => b.sizeRw - a.sizeRw)
                    .map((c) => (
                      <tr key={c.id}>
                        <td>
                          <button
                            type="button"
                            className="disk-link"
                            onClick={() => openContainer({ id: c.id, name: c.name })}
                          >
                            {c.name}
                          </button>
                        </td>
                        <td className="cell-mono disk-cell-wrap">{c.image}</td>
                        <td>{c.state}</td>
                        <td className="cell-numeric" title={`${c.sizeRw} bytes`}>
                          {dockerHumanSize(c.sizeRw)}
                        </td>
                        <td className="cell-numeric" title={`${c.sizeRootFs} bytes`}>
                          {dockerHumanSize(c.sizeRootFs)}
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <VolumesPanel
          volumes={volumeRows}
          measuring={measuring}
          error={volumes.isError ? messageOf(volumes.error) : undefined}
        />
        <BuildCachePanel records={measured?.buildCache} now={now} />
      </div>
    </section>
  );
}
