/** A scripted StrataBridge for component tests: answers per method, records calls, emits events. */
import {
  DEFAULT_ENGINE_ID,
  type EngineEntry,
  type ArgsOf,
  type EngineStatus,
  type GraphImageData,
  type HistoryStep,
  type ImageHistory,
  type ImageSummary,
  type MethodName,
  type Outcome,
  type ResultOf,
  type StrataEvent,
} from '../../../shared/api';
import { buildBridge, type FileTransfer, type StrataBridge } from '../../../shared/bridge';

/** `engine` is the engine the call names (`default` when it names none), so a fake can answer per engine. */
export type FakeHandlers = {
  readonly [M in MethodName]?: (
    args: ArgsOf<M>,
    engine: string,
  ) => Outcome<ResultOf<M>> | Promise<Outcome<ResultOf<M>>>;
};

export interface FakeBridge {
  readonly bridge: StrataBridge;
  readonly calls: { readonly method: MethodName; readonly args: unknown; readonly engine: string }[];
  emit(event: StrataEvent): void;
  listenerCount(): number;
  callsOf(method: MethodName): readonly unknown[];
  /** The args of the calls of `method` that went to `engine`. */
  callsOn(method: MethodName, engine: string): readonly unknown[];
  /** Calls of `files.*`, in order: `{ fn: 'upload', args: [fileName] }`. */
  readonly fileCalls: { readonly fn: keyof FileTransfer; readonly args: readonly unknown[] }[];
}

/** A scripted `files`: desktop dialogs answer null and browser transfers reject unless given. */
export function fakeFiles(partial: Partial<FileTransfer> = {}): FileTransfer {
  return {
    mode: 'desktop',
    chooseOpenPath: () => Promise.resolve(null),
    chooseSavePath: () => Promise.resolve(null),
    upload: () => Promise.reject(new Error('no fake upload')),
    download: () => Promise.reject(new Error('no fake download')),
    ...partial,
  };
}

export function createFakeBridge(handlers: FakeHandlers, files: Partial<FileTransfer> = {}): FakeBridge {
  const fileCalls: { fn: keyof FileTransfer; args: readonly unknown[] }[] = [];
  const scripted = fakeFiles(files);
  const recorded: FileTransfer = {
    mode: scripted.mode,
    chooseOpenPath: (options) => {
      fileCalls.push({ fn: 'chooseOpenPath', args: [options] });
      return scripted.chooseOpenPath(options);
    },
    chooseSavePath: (options) => {
      fileCalls.push({ fn: 'chooseSavePath', args: [options] });
      return scripted.chooseSavePath(options);
    },
    upload: (file, fileName, onProgress) => {
      fileCalls.push({ fn: 'upload', args: [fileName] });
      return scripted.upload(file, fileName, onProgress);
    },
    download: (downloadId, fileName) => {
      fileCalls.push({ fn: 'download', args: [downloadId, fileName] });
      return scripted.download(downloadId, fileName);
    },
  };
  const calls: { method: MethodName; args: unknown; engine: string }[] = [];
  const listeners = new Set<(event: StrataEvent) => void>();
  const bridge = buildBridge(
    async (method, args, engine) => {
      const engineId = engine ?? DEFAULT_ENGINE_ID;
      calls.push({ method, args, engine: engineId });
      const handler = handlers[method] as
        ((a: unknown, e: string) => Outcome<unknown> | Promise<Outcome<unknown>>) | undefined;
      if (handler === undefined) return { ok: false, error: { code: 'internal', message: `no fake for ${method}` } };
      return handler(args, engineId);
    },
    {
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    recorded,
  );
  return {
    bridge,
    calls,
    emit: (event) => {
      for (const listener of [...listeners]) listener(event);
    },
    listenerCount: () => listeners.size,
    callsOf: (method) => calls.filter((c) => c.method === method).map((c) => c.args),
    callsOn: (method, engine) => calls.filter((c) => c.method === method && c.engine === engine).map((c) => c.args),
    fileCalls,
  };
}

export const ENDPOINT = {
  kind: 'unix',
  address: 'unix:///tmp/lab/docker.sock',
  source: 'DOCKER_HOST',
  tls: false,
} as const;

export const CONNECTED: EngineStatus = {
  engineId: 'default',
  state: 'connected',
  endpoint: ENDPOINT,
  serverVersion: '20.10.24',
  apiVersion: '1.41',
  checkedAt: '2026-01-01T00:00:00.000Z',
};

export const UNREACHABLE: EngineStatus = {
  engineId: 'default',
  state: 'unreachable',
  endpoint: ENDPOINT,
  error: { code: 'engine_unreachable', message: 'connect ENOENT /tmp/lab/docker.sock' },
  checkedAt: '2026-01-01T00:00:00.000Z',
};

export function image(partial: Partial<ImageSummary> & { readonly id: string }): ImageSummary {
  return {
    engineId: 'default',
    parentId: '',
    repoTags: [],
    repoDigests: [],
    created: 1_700_000_000,
    size: 4_860_000,
    sharedSize: -1,
    containers: 0,
    labels: {},
    ...partial,
  };
}

export const hex = (c: string): string => `sha256:${c.repeat(64).slice(0, 64)}`;

/** One history step for `images.history` fakes; defaults to a classic-builder step that made no layer. */
export function historyStep(partial: Partial<HistoryStep> & { readonly createdBy: string }): HistoryStep {
  return {
    id: '<missing>',
    created: 1_700_000_000,
    instruction: '',
    size: 0,
    comment: '',
    tags: [],
    madeLayer: false,
    layerIndex: null,
    ...partial,
  };
}

/** An `images.history` answer for image `id`, with exact mapping and no base unless given. */
export function imageHistory(partial: Partial<ImageHistory> & { readonly imageId: string }): ImageHistory {
  return {
    engineId: 'default',
    repoTags: [],
    steps: [],
    layers: [],
    mapping: { kind: 'exact', note: 'Each layer is labelled with the step that made it.' },
    base: null,
    ...partial,
  };
}

/**
 * One `layers.graph` entry: an image whose layers are the given chain IDs (diff ID = `diff-<chain>`), each made by
 * the matching step of `instructions` (1,000 bytes each unless `sizes` says otherwise).
 */
export function graphImage(
  imageId: string,
  repoTags: readonly string[],
  chain: readonly string[],
  instructions: readonly string[],
  sizes: readonly number[] = [],
): GraphImageData {
  return {
    imageId,
    repoTags: [...repoTags],
    layers: chain.map((chainId, i) => ({ diffId: `diff-${chainId}`, chainId, size: sizes[i] ?? 1000, stepIndex: i })),
    steps: instructions.map((instruction, i) => ({ instruction, size: sizes[i] ?? 1000 })),
  };
}

/** An engines.list entry: the default engine unless `id` says otherwise (then an added, removable one). */
export function engineEntry(partial: Partial<EngineEntry> & { readonly id: string }): EngineEntry {
  const isDefault = partial.id === DEFAULT_ENGINE_ID;
  return {
    name: partial.id,
    host: `unix:///tmp/${partial.id}/docker.sock`,
    kind: 'unix',
    tls: false,
    source: isDefault ? 'environment' : 'added',
    removable: !isDefault,
    ...partial,
  };
}

/** CONNECTED, for another engine. */
export const connectedTo = (engineId: string): EngineStatus => ({
  ...CONNECTED,
  engineId,
  endpoint: { ...ENDPOINT, address: `unix:///tmp/${engineId}/docker.sock` },
});
