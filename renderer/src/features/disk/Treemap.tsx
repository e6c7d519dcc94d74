/** The Disk view's pictures: the totals as bars, and every image as a treemap tile split into unique and shared. */
import { useMemo } from 'react';
import { interpolateOranges, scaleLinear, scaleSequential } from 'd3';
import { dockerHumanSize } from '../../../../shared/disk';
import { layoutTreemap, tileCaption, type TotalRow, type TreemapImage } from './diskViewModel';

const BAR_WIDTH = 600;
const BAR_LABEL = 110;
const BAR_ROW = 28;

/** Horizontal bars per category: the size, with the reclaimable part shaded. Labelled for screen readers. */
export function TotalsChart({ rows }: { readonly rows: readonly TotalRow[] }) {
  const measured = rows.filter((r) => r.size !== null);
  if (measured.length === 0) return null;
  const max = Math.max(1, ...measured.map((r) => r.size ?? 0));
  const x = scaleLinear()
    .domain([0, max])
    .range([0, BAR_WIDTH - BAR_LABEL - 90]);
  const description = measured
    .map((r) => `${r.label}: ${r.sizeText ?? ''}, ${r.reclaimableText ?? ''} reclaimable`)
    .join('; ');
  const height = measured.length * BAR_ROW + 6;
  return (
    <svg
      className="disk-bars"
      role="img"
      aria-label={`Disk usage by category. ${description}`}
      viewBox={`0 0 ${BAR_WIDTH} ${height}`}
      width="100%"
      style={{ maxWidth: BAR_WIDTH }}
    >
      {measured.map((row, i) => {
        const y = i * BAR_ROW + 4;
        const size = row.size ?? 0;
        const reclaimable = Math.min(size, row.reclaimable ?? 0);
        return (
          <g key={row.category} aria-hidden="true">
            <text x={0} y={y + 15} className="disk-bar-label">
              {row.label}
            </text>
            <rect x={BAR_LABEL} y={y} width={Math.max(1, x(size))} height={BAR_ROW - 8} className="disk-bar-size" />
            <rect x={BAR_LABEL} y={y} width={x(reclaimable)} height={BAR_ROW - 8} className="disk-bar-reclaimable" />
            <text x={BAR_LABEL + Math.max(1, x(size)) + 6} y={y + 15} className="disk-bar-value">
              {row.sizeText}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

const MAP_WIDTH = 800;
const MAP_HEIGHT = 380;

/** Rough text fit: about 6.5 px per character at the tile's font size. */
function fit(text: string, width: number): string | null {
  const chars = Math.floor((width - 6) / 6.5);
  if (chars < 4) return null;
  return text.length <= chars ? text : `${text.slice(0, chars - 1)}…`;
}

/**
 * One tile per image sized by its size; the unique part coloured by how big it is (the biggest wins stand out),
 * the shared part in one colour. Clicking a tile picks the image.
 */
export function ImagesTreemap({
  images,
  selectedId,
  onPick,
}: {
  readonly images: readonly TreemapImage[];
  readonly selectedId: string | undefined;
  readonly onPick: (image: TreemapImage) => void;
}) {
  const tiles = useMemo(() => layoutTreemap(images, MAP_WIDTH, MAP_HEIGHT), [images]);
  const maxUnique = Math.max(1, ...images.map((i) => i.uniqueSize ?? 0));
  const colour = scaleSequential(interpolateOranges).domain([-maxUnique * 0.4, maxUnique]);
  const measuring = images.some((i) => i.uniqueSize === null);
  return (
    <svg
      className="disk-treemap"
      role="img"
      aria-label={`Treemap of ${images.length} image${images.length === 1 ? '' : 's'} by size${
        measuring ? '' : ', unique part coloured'
      }. The list below has the same data.`}
      viewBox={`0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`}
      width="100%"
    >
      {tiles.map((tile) => {
        const { image, rect } = tile;
        const caption = tileCaption(image);
        const line1 = fit(image.label, rect.width);
        const line2 =
          rect.height > 32
            ? fit(
                image.uniqueSize === null ? dockerHumanSize(image.size) : `${dockerHumanSize(image.uniqueSize)} unique`,
                rect.width,
              )
            : null;
        return (
          <g
            key={image.id}
            className={`disk-tile${image.id === selectedId ? ' disk-tile-selected' : ''}`}
            data-image-id={image.id}
            onClick={() => onPick(image)}
          >
            <title>{caption}</title>
            {tile.unique === null || tile.shared === null ? (
              <rect {...rect} className="disk-tile-pending" />
            ) : (
              <>
                <rect {...tile.unique} fill={colour(image.uniqueSize ?? 0)} className="disk-tile-unique" />
                <rect {...tile.shared} className="disk-tile-shared" />
              </>
            )}
            <rect {...rect} className="disk-tile-outline" />
            {line1 === null || rect.height < 16 ? null : (
              <text x={rect.x + 4} y={rect.y + 13} className="disk-tile-text">
                {line1}
              </text>
            )}
            {line2 === null ? null : (
              <text x={rect.x + 4} y={rect.y + 27} className="disk-tile-text disk-tile-subtext">
                {line2}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
