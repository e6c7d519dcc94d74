/** UI state only (never engine data): current view, filters, sort, selection, open dialogs. */
import { create } from 'zustand';
import { DEFAULT_ENGINE_ID } from '../../../shared/api';
import { nextSort, type SortColumn, type SortState } from './imageSort';

export const VIEWS = [
  'images',
  'details',
  'history',
  'layers',
  'registries',
  'containers',
  'container',
  'disk',
  'events',
  'engine',
] as const;
export type ViewId = (typeof VIEWS)[number];

export interface RemoveTarget {
  readonly imageId: string;
  /** What images.remove is called with. */
  readonly reference: string;
  /** What the dialog names: `repo:tag`, or the short ID for a dangling image. */
  readonly label: string;
  /** Other tags pointing at the same image (only this one is removed). */
  readonly tagCount: number;
  /** The engine the image is on (All engines mode); absent means the engine shown. */
  readonly engineId?: string;
}

/** The image the History view shows: its ID (what the query is keyed with) and the name it was picked by. */
export interface HistoryTarget {
  readonly imageId: string;
  /** `repo:tag`, or the short ID for an untagged image. */
  readonly label: string;
}

export type HistoryOrder = 'oldest' | 'newest';

/** The one dialog open over the views, if any. */
export type DialogState =
  /** Pull; the reference typed and the job followed stay in `pullReference` / `pullJobId` when it closes. */
  | { readonly kind: 'pull' }
  /** Remove one repo:tag (or a dangling image). */
  | { readonly kind: 'remove'; readonly target: RemoveTarget }
  | { readonly kind: 'tag'; readonly imageId: string; readonly label: string }
  | {
      readonly kind: 'removeMany';
      /** What images.removeMany is called with, one per checked row (or every tag of one image). */
      readonly items: readonly { readonly reference: string; readonly label: string; readonly imageId: string }[];
    }
  | { readonly kind: 'push'; readonly reference: string }
  | { readonly kind: 'save'; readonly references: readonly string[] }
  | { readonly kind: 'load' }
  | { readonly kind: 'import' }
  | { readonly kind: 'export'; readonly container: string | undefined }
  | { readonly kind: 'build' }
  | { readonly kind: 'commit'; readonly container: string | undefined }
  | { readonly kind: 'prune' }
  | { readonly kind: 'search' }
  | { readonly kind: 'login'; readonly registry: string | undefined }
  /** Run a container; `image` pre-fills the image field (from an image row). */
  | { readonly kind: 'run'; readonly image: string | undefined }
  /** Disk cleanup; `preset` picks which parts start ticked. */
  | { readonly kind: 'cleanup'; readonly preset: CleanupPreset };

/** Which parts a cleanup dialog opens with ticked. */
export type CleanupPreset = 'containers' | 'dangling' | 'unused-images' | 'volumes' | 'build-cache' | 'all';

/** The container the Container view shows. */
export interface ContainerTarget {
  readonly id: string;
  /** Its name, for the title while the inspect loads. */
  readonly name: string;
  /** The tab to open on. */
  readonly tab?: ContainerTab;
}
export type ContainerTab = 'overview' | 'logs' | 'stats' | 'changes' | 'raw';
export type DialogKind = DialogState['kind'];

/** Where the chosen engine is kept so a reload (or restart) comes back to it. */
export const ENGINE_STORAGE_KEY = 'strata.engine';

function storage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

/** The engine chosen last time, or the default one. */
export function storedEngineId(): string {
  const value = storage()?.getItem(ENGINE_STORAGE_KEY);
  return value === null || value === undefined || value === '' ? DEFAULT_ENGINE_ID : value;
}

export interface UiState {
  /** The engine every view shows (an id from engines.list). */
  readonly engineId: string;
  /** Images and Containers list every engine at once, with an Engine column. */
  readonly allEngines: boolean;
  /** Engine view: scroll to the Engines section once shown ("Manage engines…"). */
  readonly manageEngines: boolean;
  readonly view: ViewId;
  readonly filterText: string;
  readonly danglingOnly: boolean;
  readonly sort: SortState;
  /** Row key of the selected image row. */
  readonly selectedKey: string | undefined;
  /** A repo:tag or image id to highlight once it shows up (after a pull). */
  readonly highlight: string | undefined;
  /** The running (or last) pull job the Pull dialog follows. */
  readonly pullJobId: string | undefined;
  readonly pullReference: string;
  readonly historyTarget: HistoryTarget | undefined;
  readonly historyOrder: HistoryOrder;
  /** The image the Details view shows. */
  readonly detailsTarget: HistoryTarget | undefined;
  /** Images view: row keys ticked for a batch action. */
  readonly checkedKeys: ReadonlySet<string>;
  readonly dialog: DialogState | undefined;
  /** Registries view: the registry being browsed, and the repository opened in it. */
  readonly registryBrowse: { readonly registry: string; readonly repository: string | undefined } | undefined;
  /** Layers view: the "Find image" text. */
  readonly graphSearch: string;
  /** Layers view: chain ID of the layer whose details are open. */
  readonly graphSelected: string | undefined;
  /** Layers view: collapsed chain IDs; undefined until the user changes it (the view then picks a default by size). */
  readonly graphCollapsed: ReadonlySet<string> | undefined;
  /** The Jobs drawer is open. */
  readonly jobsOpen: boolean;
  /** The container the Container view shows. */
  readonly containerTarget: ContainerTarget | undefined;

  /** Switches every view to another engine (selections of the previous one are dropped). */
  readonly setEngine: (engineId: string) => void;
  readonly setAllEngines: (value: boolean) => void;
  /** Goes to the Engine view's Engines section. */
  readonly openManageEngines: () => void;
  readonly setManageEngines: (value: boolean) => void;
  readonly setView: (view: ViewId) => void;
  readonly setFilterText: (text: string) => void;
  readonly setDanglingOnly: (value: boolean) => void;
  readonly sortBy: (column: SortColumn) => void;
  readonly select: (key: string | undefined) => void;
  readonly setHighlight: (value: string | undefined) => void;
  readonly setPullReference: (reference: string) => void;
  readonly setPullJob: (jobId: string | undefined) => void;
  /** Picks the image the History view shows (undefined clears it). */
  readonly setHistoryTarget: (target: HistoryTarget | undefined) => void;
  /** Goes to the History view for one image. */
  readonly openHistory: (target: HistoryTarget) => void;
  readonly setHistoryOrder: (order: HistoryOrder) => void;
  /** Goes to the Details view for one image. */
  readonly openDetails: (target: HistoryTarget) => void;
  readonly setChecked: (keys: ReadonlySet<string>) => void;
  readonly toggleChecked: (key: string) => void;
  readonly openDialog: (dialog: DialogState) => void;
  readonly closeDialog: () => void;
  readonly setRegistryBrowse: (browse: UiState['registryBrowse']) => void;
  readonly setGraphSearch: (text: string) => void;
  readonly selectLayer: (chainId: string | undefined) => void;
  readonly setGraphCollapsed: (collapsed: ReadonlySet<string> | undefined) => void;
  readonly setJobsOpen: (open: boolean) => void;
  /** Goes to the Container view for one container. */
  readonly openContainer: (target: ContainerTarget) => void;
}

type UiData = Omit<
  UiState,
  | 'setEngine'
  | 'setAllEngines'
  | 'openManageEngines'
  | 'setManageEngines'
  | 'setView'
  | 'setFilterText'
  | 'setDanglingOnly'
  | 'sortBy'
  | 'select'
  | 'setHighlight'
  | 'setPullReference'
  | 'setPullJob'
  | 'setHistoryTarget'
  | 'openHistory'
  | 'setHistoryOrder'
  | 'openDetails'
  | 'setChecked'
  | 'toggleChecked'
  | 'openDialog'
  | 'closeDialog'
  | 'setRegistryBrowse'
  | 'setGraphSearch'
  | 'selectLayer'
  | 'setGraphCollapsed'
  | 'setJobsOpen'
  | 'openContainer'
>;

export const initialUiData: UiData = {
  engineId: DEFAULT_ENGINE_ID,
  allEngines: false,
  manageEngines: false,
  view: 'images',
  filterText: '',
  danglingOnly: false,
  sort: { column: 'created', direction: 'desc' },
  selectedKey: undefined,
  highlight: undefined,
  pullJobId: undefined,
  pullReference: '',
  historyTarget: undefined,
  historyOrder: 'oldest',
  detailsTarget: undefined,
  checkedKeys: new Set<string>(),
  dialog: undefined,
  registryBrowse: undefined,
  graphSearch: '',
  graphSelected: undefined,
  graphCollapsed: undefined,
  jobsOpen: false,
  containerTarget: undefined,
};

/** What belongs to one engine's data and is dropped when switching to another. */
const engineSelection = (view: ViewId): Partial<UiData> => ({
  selectedKey: undefined,
  highlight: undefined,
  checkedKeys: new Set<string>(),
  historyTarget: undefined,
  detailsTarget: undefined,
  containerTarget: undefined,
  graphSelected: undefined,
  graphCollapsed: undefined,
  pullJobId: undefined,
  dialog: undefined,
  // A view of one image or container of the previous engine goes back to its list.
  view: view === 'container' ? 'containers' : view === 'details' ? 'images' : view,
});

export const useUi = create<UiState>()((set) => ({
  ...initialUiData,
  engineId: storedEngineId(),
  setEngine: (engineId) =>
    set((state) => {
      try {
        storage()?.setItem(ENGINE_STORAGE_KEY, engineId);
      } catch {
        // Storage full or disabled: the choice lasts for this session only.
      }
      return state.engineId === engineId ? {} : { engineId, ...engineSelection(state.view) };
    }),
  setAllEngines: (allEngines) => set({ allEngines }),
  openManageEngines: () => set({ view: 'engine', manageEngines: true }),
  setManageEngines: (manageEngines) => set({ manageEngines }),
  setView: (view) => set({ view }),
  setFilterText: (filterText) => set({ filterText }),
  setDanglingOnly: (danglingOnly) => set({ danglingOnly }),
  sortBy: (column) => set((state) => ({ sort: nextSort(state.sort, column) })),
  select: (selectedKey) => set({ selectedKey }),
  setHighlight: (highlight) => set({ highlight }),
  setPullReference: (pullReference) => set({ pullReference }),
  setPullJob: (pullJobId) => set({ pullJobId }),
  setHistoryTarget: (historyTarget) => set({ historyTarget }),
  openHistory: (historyTarget) => set({ historyTarget, view: 'history' }),
  setHistoryOrder: (historyOrder) => set({ historyOrder }),
  openDetails: (detailsTarget) => set({ detailsTarget, view: 'details' }),
  setChecked: (checkedKeys) => set({ checkedKeys }),
  toggleChecked: (key) =>
    set((state) => {
      const next = new Set(state.checkedKeys);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return { checkedKeys: next };
    }),
  openDialog: (dialog) => set({ dialog }),
  closeDialog: () => set({ dialog: undefined }),
  setRegistryBrowse: (registryBrowse) => set({ registryBrowse }),
  setGraphSearch: (graphSearch) => set({ graphSearch }),
  selectLayer: (graphSelected) => set({ graphSelected }),
  setGraphCollapsed: (graphCollapsed) => set({ graphCollapsed }),
  setJobsOpen: (jobsOpen) => set({ jobsOpen }),
  openContainer: (containerTarget) => set({ containerTarget, view: 'container' }),
}));

/** For tests: back to a fresh UI. */
export function resetUi(): void {
  storage()?.removeItem(ENGINE_STORAGE_KEY);
  useUi.setState(initialUiData);
}
