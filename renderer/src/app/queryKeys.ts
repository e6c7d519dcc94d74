/** Engine data lives in react-query only, keyed with the engine id. */
export const ENGINE_ID = 'default';

export const queryKeys = {
  engineStatus: (engineId: string = ENGINE_ID) => ['engine', engineId, 'status'] as const,
  engineInfo: (engineId: string = ENGINE_ID) => ['engine', engineId, 'info'] as const,
  images: (engineId: string = ENGINE_ID) => ['images', engineId] as const,
  containers: (engineId: string = ENGINE_ID) => ['containers', engineId] as const,
  // The three below live under `containers`, so container events refresh them too.
  /** containers.list with sizes (asked on demand: slow on the engine). */
  containersSized: (engineId: string = ENGINE_ID) => ['containers', engineId, 'sized'] as const,
  containerInspect: (containerId: string, engineId: string = ENGINE_ID) =>
    ['containers', engineId, 'inspect', containerId] as const,
  containerChanges: (containerId: string, engineId: string = ENGINE_ID) =>
    ['containers', engineId, 'changes', containerId] as const,
  volumes: (engineId: string = ENGINE_ID) => ['volumes', engineId] as const,
  /** Disk usage (images, containers, volumes, build cache). */
  disk: (engineId: string = ENGINE_ID) => ['disk', engineId] as const,
  /** The event log: events.list, then live batches appended (never invalidated by events themselves). */
  events: (engineId: string = ENGINE_ID) => ['events', engineId] as const,
  /** Registries view: keyed by registry host, outside `images` (a pull does not change a registry). */
  registryCatalog: (registry: string) => ['registries', registry, 'catalog'] as const,
  registryTags: (registry: string, repository: string) => ['registries', registry, 'tags', repository] as const,
  registryManifest: (registry: string, repository: string, reference: string) =>
    ['registries', registry, 'manifest', repository, reference] as const,
  registriesList: () => ['registries', 'list'] as const,
  registryStorage: () => ['registries', 'storage'] as const,
  // The two below live under `images`, so whatever refreshes the image list (pull, remove, reconnect) refreshes them.
  /** Every image's layer chain: the input of the Layers view. */
  layersGraph: (engineId: string = ENGINE_ID) => ['images', engineId, 'layers-graph'] as const,
  imageInspect: (imageId: string, engineId: string = ENGINE_ID) => ['images', engineId, 'inspect', imageId] as const,
  imageHistory: (imageId: string, engineId: string = ENGINE_ID) => ['images', engineId, 'history', imageId] as const,
};
