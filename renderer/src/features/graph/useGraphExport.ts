/** Exporting the layer graph as an SVG or PNG file: every layer is rendered for the file, even in a culled graph. */
import { useState, type RefObject } from 'react';
import { flushSync } from 'react-dom';
import { downloadBlob, exportSize, serializeGraphSvg, svgToPng } from './exportGraph';
import type { LayerLayout } from './layout';

/** `exportSvg` and `exportPng` download the graph; `exportError` says why the last PNG export failed. */
export function useGraphExport(
  svgRef: RefObject<SVGSVGElement | null>,
  layout: LayerLayout | undefined,
  /** The culled set of layers rendered now; null when all are. */
  shown: ReadonlySet<string> | null,
  setRenderAll: (renderAll: boolean) => void,
) {
  const [exportError, setExportError] = useState<string | undefined>(undefined);

  const exportSvgText = (): string | undefined => {
    const svg = svgRef.current;
    if (svg === null || layout === undefined) return undefined;
    const background = getComputedStyle(svg).backgroundColor || '#ffffff';
    // Render every layer for the file, then go back to what the viewport needs.
    if (shown !== null) flushSync(() => setRenderAll(true));
    try {
      return serializeGraphSvg(svg, layout.bounds, background);
    } finally {
      if (shown !== null) setRenderAll(false);
    }
  };
  const exportSvg = () => {
    const text = exportSvgText();
    if (text !== undefined) downloadBlob(new Blob([text], { type: 'image/svg+xml' }), 'strata-layers.svg');
  };
  const exportPng = async () => {
    const text = exportSvgText();
    if (text === undefined || layout === undefined) return;
    setExportError(undefined);
    try {
      const { width, height } = exportSize(layout.bounds);
      downloadBlob(await svgToPng(text, width, height), 'strata-layers.png');
    } catch (e) {
      setExportError(e instanceof Error ? e.message : String(e));
    }
  };

  return { exportSvg, exportPng, exportError };
}
