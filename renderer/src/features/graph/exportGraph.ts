/**
 * Export of the Layers view: the SVG as shown (whole graph, current highlight) with its CSS inlined, so the file
 * renders on its own, and a PNG drawn from it.
 */
import type { Bounds } from './layout';

/** The computed properties that make the drawing look as it does on screen. */
const STYLE_PROPERTIES = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linejoin',
  'paint-order',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'display',
  'visibility',
] as const;

const SVG_NS = 'http://www.w3.org/2000/svg';
const PADDING = 24;

function inlineStyles(source: Element, target: Element): void {
  const view = source.ownerDocument.defaultView;
  if (view) {
    const computed = view.getComputedStyle(source);
    const style = STYLE_PROPERTIES.map((p) => [p, computed.getPropertyValue(p)] as const)
      .filter(([, v]) => v !== '')
      .map(([p, v]) => `${p}:${v}`)
      .join(';');
    if (style !== '') target.setAttribute('style', style);
  }
  target.removeAttribute('class');
  const sourceChildren = source.children;
  const targetChildren = target.children;
  for (let i = 0; i < sourceChildren.length; i++) {
    const s = sourceChildren[i];
    const t = targetChildren[i];
    if (s && t) inlineStyles(s, t);
  }
}

/** The svg as a standalone document: whole graph in the viewBox (zoom undone), styles inline, a background. */
export function serializeGraphSvg(svg: SVGSVGElement, bounds: Bounds, background: string): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  inlineStyles(svg, clone);
  const width = Math.ceil(bounds.width + 2 * PADDING);
  const height = Math.ceil(bounds.height + 2 * PADDING);
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.setAttribute('viewBox', `${bounds.x - PADDING} ${bounds.y - PADDING} ${width} ${height}`);
  clone.removeAttribute('style');
  for (const zoomed of clone.querySelectorAll('[data-zoom-layer]')) zoomed.removeAttribute('transform');
  const rect = clone.ownerDocument.createElementNS(SVG_NS, 'rect');
  rect.setAttribute('x', String(bounds.x - PADDING));
  rect.setAttribute('y', String(bounds.y - PADDING));
  rect.setAttribute('width', String(width));
  rect.setAttribute('height', String(height));
  rect.setAttribute('fill', background);
  clone.insertBefore(rect, clone.firstChild);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`;
}

/** Saves a blob under a file name through a temporary link. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Largest side of the PNG, in pixels (canvas limits). */
const MAX_PNG_SIDE = 8192;

/**
 * Draws the SVG text into a canvas and resolves with a PNG. The image is loaded from a data: URL: the page's CSP
 * allows data: images (blob: is not allowed by the renderer's meta CSP).
 */
export async function svgToPng(svgText: string, width: number, height: number): Promise<Blob> {
  const scale = Math.min(2, MAX_PNG_SIDE / Math.max(width, height, 1));
  const image = new Image();
  const loaded = new Promise<void>((resolve, reject) => {
    image.onload = () => resolve();
    image.onerror = () => reject(new Error('The browser could not draw the exported SVG.'));
  });
  const bytes = new TextEncoder().encode(svgText);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  image.src = `data:image/svg+xml;base64,${btoa(binary)}`;
  await loaded;
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const context = canvas.getContext('2d');
  if (!context) throw new Error('No 2D canvas here.');
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return new Promise<Blob>((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The canvas gave no PNG.'))), 'image/png');
  });
}

/** Width and height an exported SVG of these bounds has. */
export function exportSize(bounds: Bounds): { readonly width: number; readonly height: number } {
  return { width: Math.ceil(bounds.width + 2 * PADDING), height: Math.ceil(bounds.height + 2 * PADDING) };
}
