/** Pure functions from `images.list` and `images.history` to what the History view shows. */
import type { HistoryStep, ImageHistory, ImageSummary, LayerInfo } from '../../../../shared/api';
import { formatBytes, shortId } from '../../lib/format';
import type { HistoryOrder, HistoryTarget } from '../../app/uiStore';
import { toImageRows } from '../images/viewModel';

export interface ImageOption {
  /** Unique per option: image ID + name. */
  readonly value: string;
  readonly label: string;
  readonly target: HistoryTarget;
}

export function optionValue(target: HistoryTarget): string {
  return `${target.imageId}|${target.label}`;
}

/** One option per repo:tag, sorted by name; untagged images last, named by short ID. */
export function imageOptions(images: readonly ImageSummary[]): readonly ImageOption[] {
  const rows = toImageRows(images);
  const options = rows.map((row): ImageOption => {
    const label = row.dangling ? row.shortId : row.repoTag;
    const text = row.dangling ? `${row.repoTag} ${row.shortId}` : row.repoTag;
    const target = { imageId: row.imageId, label };
    return { value: optionValue(target), label: text, target };
  });
  return [...options].sort((a, b) => {
    const aNone = a.label.startsWith('<none>');
    const bNone = b.label.startsWith('<none>');
    if (aNone !== bNone) return aNone ? 1 : -1;
    return a.label < b.label ? -1 : a.label > b.label ? 1 : 0;
  });
}

/** What a step row shows in the collapsed Step column: the instruction, else the raw command. */
export function stepText(step: HistoryStep): string {
  if (step.instruction.trim() !== '') return step.instruction;
  if (step.createdBy.trim() !== '') return step.createdBy;
  return '—';
}

/** Collapses runs of whitespace (newlines, tabs) to one space, so a step reads on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function madeLayerText(step: HistoryStep): 'yes' | 'no' | '—' {
  if (step.madeLayer === null) return '—';
  return step.madeLayer ? 'yes' : 'no';
}

export function baseBoundaryText(base: NonNullable<ImageHistory['base']>): string {
  return `Base image ${base.name} ends here (${base.layerCount} ${base.layerCount === 1 ? 'layer' : 'layers'})`;
}

export type StepItem =
  | {
      readonly kind: 'step';
      /** Index into `history.steps` (oldest first). */
      readonly index: number;
      readonly step: HistoryStep;
    }
  | { readonly kind: 'boundary'; readonly text: string };

/**
 * The index into `steps` of the base image's last step, or null when it cannot be told.
 *
 * Best: the step whose ID is the base image's ID (the classic builder records the image each step
 * made, so the base's own last step, metadata steps included, is found exactly). Otherwise, when the
 * mapping is exact: the step that made the base's last layer. Otherwise null (no boundary is guessed).
 */
export function baseBoundaryStep(history: ImageHistory): number | null {
  const base = history.base;
  if (base === null || base.layerCount < 1) return null;
  const byId = history.steps.findIndex((s) => s.id === base.imageId);
  if (byId !== -1) return byId;
  if (history.mapping.kind !== 'exact') return null;
  const byLayer = history.steps.findIndex((s) => s.layerIndex === base.layerCount - 1);
  return byLayer === -1 ? null : byLayer;
}

/**
 * The steps in the chosen order, with the base image boundary as a row of its own: after the base's last
 * step (oldest first), or just before it (newest first: the same place, mirrored).
 */
export function stepItems(history: ImageHistory, order: HistoryOrder): readonly StepItem[] {
  const boundaryAt = baseBoundaryStep(history);
  const items: StepItem[] = [];
  history.steps.forEach((step, index) => {
    items.push({ kind: 'step', index, step });
    if (index === boundaryAt && history.base !== null) {
      items.push({ kind: 'boundary', text: baseBoundaryText(history.base) });
    }
  });
  return order === 'oldest' ? items : items.reverse();
}

export interface LayerRow {
  /** 1-based, bottom first. */
  readonly number: number;
  readonly diffId: string;
  readonly diffShort: string;
  readonly chainId: string;
  readonly chainShort: string;
  /** The instruction of the step that made the layer, or `unlabelled`. */
  readonly step: string;
  readonly size: string;
  readonly sharedWith: string;
  /** True when the layer belongs to the base image (one of its first `base.layerCount`). */
  readonly inBase: boolean;
}

export const UNLABELLED = 'unlabelled';
export const ONLY_THIS_IMAGE = 'only this image';

export function layerRows(history: ImageHistory): readonly LayerRow[] {
  return history.layers.map((layer: LayerInfo, i): LayerRow => {
    const step = layer.stepIndex === null ? undefined : history.steps[layer.stepIndex];
    return {
      number: i + 1,
      diffId: layer.diffId,
      diffShort: shortId(layer.diffId),
      chainId: layer.chainId,
      chainShort: shortId(layer.chainId),
      step: step === undefined ? UNLABELLED : oneLine(stepText(step)),
      size: layer.size === null ? '—' : formatBytes(layer.size),
      sharedWith: layer.sharedWith.length === 0 ? ONLY_THIS_IMAGE : layer.sharedWith.join(', '),
      inBase: history.base !== null && i < history.base.layerCount,
    };
  });
}
