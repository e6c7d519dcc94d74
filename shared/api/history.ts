/**
 * History and layers: the build steps of an image and the input of the layer graph.
 */
import { z } from 'zod';
import { emptyArgsSchema, method, referenceSchema } from './common';

export const historyStepSchema = z.object({
  /** The step's image ID, or `<missing>` (steps of pulled images and BuildKit builds). */
  id: z.string(),
  /** Unix seconds. */
  created: z.number(),
  /** The command exactly as the engine reports it (untrusted text). */
  createdBy: z.string(),
  /** The Dockerfile instruction it stands for: `RUN …`, `CMD ["sh"]`, `ADD file:… in /`; empty when unknown. */
  instruction: z.string(),
  size: z.number(),
  comment: z.string(),
  tags: z.array(z.string()),
  /** Whether the step made a layer; null when that cannot be told (see `mapping`). */
  madeLayer: z.boolean().nullable(),
  /** Index into `layers` of the layer the step made; null when it made none or the mapping is unknown. */
  layerIndex: z.number().nullable(),
});
export type HistoryStep = z.infer<typeof historyStepSchema>;

export const layerInfoSchema = z.object({
  diffId: z.string(),
  /** OCI chain ID: ChainID(1) = DiffID(1), ChainID(n) = sha256(ChainID(n-1) + " " + DiffID(n)). */
  chainId: z.string(),
  /** Bytes of the step that made the layer, when the mapping is exact. */
  size: z.number().nullable(),
  /** Index into `steps` of the step that made the layer, when the mapping is exact. */
  stepIndex: z.number().nullable(),
  /** Other local images that contain this layer at the same place in their chain (repo:tag, or short ID). */
  sharedWith: z.array(z.string()),
});
export type LayerInfo = z.infer<typeof layerInfoSchema>;

export const historyMappingSchema = z.object({
  /** `exact`: the count of layer-making steps equals the number of layers, so each layer names its step. */
  kind: z.enum(['exact', 'unlabelled']),
  /** In words, for people: why the layers are or are not labelled. */
  note: z.string(),
});

export const baseImageSchema = z.object({
  imageId: z.string(),
  /** repo:tag, or the short ID when untagged. */
  name: z.string(),
  /** This image's first `layerCount` layers are the base image's layers. */
  layerCount: z.number(),
});

export const imageHistorySchema = z.object({
  engineId: z.string(),
  imageId: z.string(),
  repoTags: z.array(z.string()),
  /** Oldest first. */
  steps: z.array(historyStepSchema),
  /** RootFS layers, bottom first. */
  layers: z.array(layerInfoSchema),
  mapping: historyMappingSchema,
  /** The local image whose layers are the longest proper prefix of this one's, if any. */
  base: baseImageSchema.nullable(),
});
export type ImageHistory = z.infer<typeof imageHistorySchema>;

/** What the layer graph needs of one image: its chain and the steps that made its layers. */
export const graphImageDataSchema = z.object({
  imageId: z.string(),
  repoTags: z.array(z.string()),
  layers: z.array(layerInfoSchema.pick({ diffId: true, chainId: true, size: true, stepIndex: true })),
  steps: z.array(historyStepSchema.pick({ instruction: true, size: true })),
});
export type GraphImageData = z.infer<typeof graphImageDataSchema>;

export const historyMethods = {
  'images.history': method({
    args: z.object({ reference: referenceSchema }).strict(),
    result: imageHistorySchema,
    job: false,
    summary: 'Every build step of an image (oldest first), its layers with chain IDs, and which images share them.',
  }),
  'layers.graph': method({
    args: emptyArgsSchema,
    result: z.array(graphImageDataSchema),
    job: false,
    summary: 'Every local image with its layer chain and the steps that made its layers: the input of the layer graph.',
  }),
} as const;
