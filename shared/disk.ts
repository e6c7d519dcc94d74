/**
 * Disk usage as the docker CLI shows it (`docker system df`). Pure: used by the engine service and the renderer.
 */
import type { DiskTotal } from './api';

const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'] as const;

/**
 * Bytes as the docker CLI prints them (go-units HumanSize): decimal units, 4 significant digits, trailing zeros
 * dropped: 0 → "0B", 1234 → "1.234kB", 5_600_000 → "5.6MB".
 */
export function dockerHumanSize(bytes: number): string {
  let size = bytes;
  let unit = 0;
  while (size >= 1000 && unit < DECIMAL_UNITS.length - 1) {
    size /= 1000;
    unit += 1;
  }
  return `${String(Number(size.toPrecision(4)))}${DECIMAL_UNITS[unit] ?? 'B'}`;
}

/** The RECLAIMABLE column: "1.2MB (45%)", the percent of the size as a whole number; no percent for build cache. */
export function reclaimableText(total: Pick<DiskTotal, 'category' | 'size' | 'reclaimable'>): string {
  const text = dockerHumanSize(total.reclaimable);
  if (total.category === 'buildCache' || total.size <= 0) return text;
  return `${text} (${String(Math.trunc((total.reclaimable * 100) / total.size))}%)`;
}
