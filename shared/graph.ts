/**
 * The layer graph: a pure function from engine data to a forest of layers.
 *
 * Nodes are layers keyed by CHAIN ID (OCI image spec: ChainID(1) = DiffID(1), ChainID(n) = sha256(ChainID(n-1) + " " +
 * DiffID(n))). A chain ID names a layer together with everything below it, so images that share a prefix of layers
 * share nodes, and an image pulled from a registry merges with a local build exactly where their layers are the same.
 * The engine's ParentId is never used: it is empty for pulled images and says nothing about content.
 *
 * Everything here is deterministic: images are ordered tagged first, then by name, then by ID; children and roots are
 * ordered by the first image (in that order) that uses them, then by chain ID.
 */
import { isRealTag, shortImageId } from './names';
import type { HistoryStep, ImageHistory, LayerInfo } from './api';

/** The part of an `images.history` answer the graph needs; an `ImageHistory` is assignable to it as it is. */
export interface GraphImageInput {
  readonly imageId: ImageHistory['imageId'];
  readonly repoTags: readonly string[];
  /** RootFS layers, bottom first. */
  readonly layers: readonly Pick<LayerInfo, 'diffId' | 'chainId' | 'size' | 'stepIndex'>[];
  /** History steps, oldest first; `layers[i].stepIndex` points into this list when the mapping is exact. */
  readonly steps: readonly Pick<HistoryStep, 'instruction' | 'size'>[];
}

/** An image as the graph shows it. */
export interface GraphImage {
  readonly imageId: string;
  /** Tags as the engine gave them (`<none>` entries dropped). */
  readonly repoTags: readonly string[];
  /** What to call it: its first tag, or its short ID when untagged. */
  readonly name: string;
  readonly tagged: boolean;
  /** Chain ID of its last layer; null for an image without layers. */
  readonly tip: string | null;
  /** Chain IDs from the root to the tip. */
  readonly path: readonly string[];
}

export interface LayerNode {
  readonly chainId: string;
  readonly diffId: string;
  /** Chain ID of the layer below; null for a root (an image's first layer). */
  readonly parent: string | null;
  /** Chain IDs of the layers built directly on this one, in the graph's order. */
  readonly children: readonly string[];
  /** 0 for a root. */
  readonly depth: number;
  /** The layer's size when some image's history maps a step to it, else null. */
  readonly bytes: number | null;
  /** The instruction of the step that made the layer (`RUN …`); null when no image's history labels it. */
  readonly label: string | null;
  /** IDs of the images whose LAST layer is this one (one entry per image, whatever its number of tags). */
  readonly images: readonly string[];
  /** IDs of every image whose chain contains this layer. */
  readonly usedBy: readonly string[];
  /** More than one image uses the layer. */
  readonly shared: boolean;
}

export interface LayerGraph {
  /** Every layer, by chain ID. */
  readonly nodes: ReadonlyMap<string, LayerNode>;
  /** Chain IDs of the first layers, in the graph's order. */
  readonly roots: readonly string[];
  /** Every chain ID, depth first from the roots (parents before children, siblings in order): a layout order. */
  readonly order: readonly string[];
  /** Every image, in the graph's order (tagged first, then by name, then by ID). */
  readonly images: readonly GraphImage[];
  readonly imagesById: ReadonlyMap<string, GraphImage>;
}

/** `sha256:0123456789abcdef…` → `0123456789ab`. */
function realTags(repoTags: readonly string[]): string[] {
  return repoTags.filter(isRealTag);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The same image given twice (e.g. asked for by two of its tags) becomes one, with the tags of both. */
function mergeInputs(images: readonly GraphImageInput[]): GraphImageInput[] {
  const byId = new Map<string, GraphImageInput>();
  for (const image of images) {
    const seen = byId.get(image.imageId);
    if (!seen) {
      byId.set(image.imageId, image);
    } else {
      const tags = [...seen.repoTags, ...image.repoTags.filter((tag) => !seen.repoTags.includes(tag))];
      // Keep the answer that maps more layers to steps.
      const mapped = (input: GraphImageInput): number => input.layers.filter((l) => l.stepIndex !== null).length;
      byId.set(image.imageId, { ...(mapped(image) > mapped(seen) ? image : seen), repoTags: tags });
    }
  }
  return [...byId.values()];
}

interface MutableNode {
  chainId: string;
  diffId: string;
  parent: string | null;
  children: string[];
  depth: number;
  bytes: number | null;
  label: string | null;
  images: string[];
  usedBy: string[];
  /** Rank of usedBy[0] in the image order: sorts siblings. */
  firstRank: number;
}

function labelOf(image: GraphImageInput, layerIndex: number): { label: string; bytes: number | null } | null {
  const layer = image.layers[layerIndex];
  if (!layer || layer.stepIndex === null) return null;
  const step = image.steps[layer.stepIndex];
  if (!step) return null;
  return { label: step.instruction, bytes: layer.size ?? step.size };
}

/** Builds the layer forest of these images. Pure: same input, same graph. */
export function toLayerGraph(input: readonly GraphImageInput[]): LayerGraph {
  const sorted = mergeInputs(input)
    .map((image) => {
      const repoTags = realTags(image.repoTags);
      const tagged = repoTags.length > 0;
      return { image, repoTags, tagged, name: repoTags[0] ?? shortImageId(image.imageId) };
    })
    .sort(
      (a, b) =>
        Number(!a.tagged) - Number(!b.tagged) ||
        compareText(a.name, b.name) ||
        compareText(a.image.imageId, b.image.imageId),
    );

  const nodes = new Map<string, MutableNode>();
  const images: GraphImage[] = [];

  sorted.forEach(({ image, repoTags, tagged, name }, rank) => {
    let parent: string | null = null;
    const path: string[] = [];
    image.layers.forEach((layer, index) => {
      let node = nodes.get(layer.chainId);
      if (!node) {
        node = {
          chainId: layer.chainId,
          diffId: layer.diffId,
          parent,
          children: [],
          depth: index,
          bytes: null,
          label: null,
          images: [],
          usedBy: [],
          firstRank: rank,
        };
        nodes.set(layer.chainId, node);
        if (parent !== null) nodes.get(parent)?.children.push(layer.chainId);
      }
      // Images come one at a time (each once, see mergeInputs): a repeat can only be the last entry.
      if (node.usedBy[node.usedBy.length - 1] !== image.imageId) node.usedBy.push(image.imageId);
      // The first image (in order) whose history names a step for the layer labels it; an empty instruction
      // (e.g. an imported image's step) gives way to a later image that has one.
      const mapped = labelOf(image, index);
      if (mapped) {
        if (node.label === null || (node.label === '' && mapped.label !== '')) node.label = mapped.label;
        if (node.bytes === null) node.bytes = mapped.bytes;
      }
      path.push(layer.chainId);
      parent = layer.chainId;
    });
    const tip = path.length > 0 ? (path[path.length - 1] ?? null) : null;
    if (tip !== null) {
      const tipNode = nodes.get(tip);
      if (tipNode && tipNode.images[tipNode.images.length - 1] !== image.imageId) tipNode.images.push(image.imageId);
    }
    images.push({ imageId: image.imageId, repoTags, name, tagged, tip, path });
  });

  const bySiblingOrder = (a: string, b: string): number => {
    const na = nodes.get(a);
    const nb = nodes.get(b);
    return (na?.firstRank ?? 0) - (nb?.firstRank ?? 0) || compareText(a, b);
  };
  const roots = [...nodes.values()]
    .filter((node) => node.parent === null)
    .map((node) => node.chainId)
    .sort(bySiblingOrder);

  const frozen = new Map<string, LayerNode>();
  const order: string[] = [];
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    const chainId = stack.pop();
    if (chainId === undefined) break;
    const node = nodes.get(chainId);
    if (!node || frozen.has(chainId)) continue;
    const children = [...node.children].sort(bySiblingOrder);
    frozen.set(chainId, {
      chainId: node.chainId,
      diffId: node.diffId,
      parent: node.parent,
      children,
      depth: node.depth,
      bytes: node.bytes,
      label: node.label,
      images: node.images,
      usedBy: node.usedBy,
      shared: node.usedBy.length > 1,
    });
    order.push(chainId);
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child !== undefined) stack.push(child);
    }
  }
  // Map insertion order follows the layout order.
  return {
    nodes: frozen,
    roots,
    order,
    images,
    imagesById: new Map(images.map((image) => [image.imageId, image])),
  };
}

/** The layers of an image, root first; empty for an unknown image or one without layers. */
export function pathOf(graph: LayerGraph, imageId: string): readonly LayerNode[] {
  const image = graph.imagesById.get(imageId);
  if (!image) return [];
  return image.path.flatMap((chainId) => {
    const node = graph.nodes.get(chainId);
    return node ? [node] : [];
  });
}

/**
 * The images built on this one: those whose chain strictly extends its chain (more layers, same layers below).
 * An image with the same layers (e.g. a retag, or a child that only changed metadata) is not among them; neither is
 * anything for an image without layers.
 */
export function dependentsOf(graph: LayerGraph, imageId: string): readonly GraphImage[] {
  const image = graph.imagesById.get(imageId);
  if (!image || image.tip === null) return [];
  const tip = graph.nodes.get(image.tip);
  if (!tip) return [];
  const dependents: GraphImage[] = [];
  for (const id of tip.usedBy) {
    const other = graph.imagesById.get(id);
    if (other && other.tip !== image.tip) dependents.push(other);
  }
  return dependents;
}

/** Bytes of a layer and every layer built on it; layers of unknown size count as 0. 0 for an unknown chain ID. */
export function subtreeBytes(graph: LayerGraph, chainId: string): number {
  let total = 0;
  const stack = [chainId];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const id = stack.pop();
    if (id === undefined || seen.has(id)) continue;
    seen.add(id);
    const node = graph.nodes.get(id);
    if (!node) continue;
    total += node.bytes ?? 0;
    stack.push(...node.children);
  }
  return total;
}
