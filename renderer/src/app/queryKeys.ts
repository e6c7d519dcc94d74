/** Engine data lives in react-query only, keyed with the engine id. */
export const ENGINE_ID = 'default';

export const queryKeys = {
  engineStatus: (engineId: string = ENGINE_ID) => ['engine', engineId, 'status'] as const,
  engineInfo: (engineId: string = ENGINE_ID) => ['engine', engineId, 'info'] as const,
  images: (engineId: string = ENGINE_ID) => ['images', engineId] as const,
  /** Under `images`, so whatever refreshes the image list (pull, remove, reconnect) refreshes history too. */
  imageHistory: (imageId: string, engineId: string = ENGINE_ID) => ['images', engineId, 'history', imageId] as const,
};
