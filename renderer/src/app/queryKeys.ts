/** Engine data lives in react-query only, keyed with the engine id. */
export const ENGINE_ID = 'default';

export const queryKeys = {
  engineStatus: (engineId: string = ENGINE_ID) => ['engine', engineId, 'status'] as const,
  engineInfo: (engineId: string = ENGINE_ID) => ['engine', engineId, 'info'] as const,
  images: (engineId: string = ENGINE_ID) => ['images', engineId] as const,
  // The two below live under `images`, so whatever refreshes the image list (pull, remove, reconnect) refreshes them.
  /** Every image's layer chain: the input of the Layers view. */
  layersGraph: (engineId: string = ENGINE_ID) => ['images', engineId, 'layers-graph'] as const,
  imageHistory: (imageId: string, engineId: string = ENGINE_ID) => ['images', engineId, 'history', imageId] as const,
};
