/**
 * Pure helpers for an image's history and layers: the Dockerfile instruction a history step stands
 * for, which steps made layers, the base image, and which other images share each layer.
 *
 * Why mapping steps to layers is guessed: the engine's history endpoint does not say which steps
 * made a layer (the image config's `empty_layer` does not come through the API). The classic
 * builder records metadata steps as `/bin/sh -c #(nop) …`; BuildKit marks nothing; a step that
 * changed nothing may still have made a 0-byte layer. So steps are labelled with layers only when
 * the count of layer-making steps equals the number of RootFS layers, and left unlabelled otherwise.
 */

/** Instructions that change only the image config, never the filesystem. */
const METADATA_INSTRUCTIONS: ReadonlySet<string> = new Set([
  'ENV',
  'CMD',
  'ENTRYPOINT',
  'LABEL',
  'EXPOSE',
  'USER',
  'VOLUME',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'SHELL',
  'ARG',
  'ONBUILD',
  'MAINTAINER',
]);
const FILESYSTEM_INSTRUCTIONS: ReadonlySet<string> = new Set(['RUN', 'COPY', 'ADD']);
const KNOWN_INSTRUCTIONS: ReadonlySet<string> = new Set([
  ...METADATA_INSTRUCTIONS,
  ...FILESYSTEM_INSTRUCTIONS,
  'WORKDIR',
  'FROM',
]);

/** `|2 A=1 B=2 ` — the classic builder's build-arg prefix (and BuildKit's, after `RUN `). */
const BUILD_ARGS = /^\|(\d+)\s+/;
/** A shell the builder ran a RUN step with: `/bin/sh -c`, `/bin/bash -o pipefail -c`, `cmd /S /C`. */
const SHELL_PREFIX =
  /^(?:(?:\S*\/)?(?:sh|bash|ash|dash|zsh|ksh)(?:\s+(?:-[a-zA-Z]+|[a-z]+))*?\s+-[a-zA-Z]*c|cmd(?:\s+\/[a-zA-Z])*\s+\/[cC]|powershell(?:\s+-\S+)*?\s+-[cC]ommand)(?:\s+|$)/;
const NOP = '#(nop)';
const BUILDKIT_SUFFIX = /\s*#\s*buildkit\s*$/;

/** Drops the build-arg prefix `|N K=V …` (N assignments) and answers the rest. */
function withoutBuildArgs(text: string): string {
  const match = BUILD_ARGS.exec(text);
  if (match === null) return text;
  const rest = text.slice(match[0].length);
  // Values may hold spaces, so rather than counting words, find the shell the step ran with.
  for (let i = 0; i < rest.length; i++) {
    if (i === 0 || /\s/.test(rest[i - 1] ?? '')) {
      const tail = rest.slice(i);
      if (SHELL_PREFIX.test(tail) || tail.startsWith(NOP)) return tail;
    }
  }
  return rest;
}

/** Trims, and collapses the padding the classic builder puts around the keyword (`#(nop)  CMD`). */
function collapse(text: string): string {
  return text.trim().replace(/^([A-Za-z]+)\s+/, '$1 ');
}

/**
 * The Dockerfile instruction a history step's `createdBy` stands for:
 * `/bin/sh -c #(nop)  CMD ["sh"]` → `CMD ["sh"]`, `/bin/sh -c echo hi` → `RUN echo hi`,
 * `|2 A=1 B=2 /bin/sh -c make` → `RUN make`, `COPY . /app # buildkit` → `COPY . /app`.
 * Answers '' when the text is empty or not recognisably a build step (e.g. a `docker commit`).
 */
export function instructionOf(createdBy: string): string {
  let text = createdBy.trim();
  if (text === '') return '';
  text = text.replace(BUILDKIT_SUFFIX, '');
  text = withoutBuildArgs(text);

  // Classic builder: the shell, then `#(nop) ` and the instruction.
  const shell = SHELL_PREFIX.exec(text);
  if (shell !== null) {
    const rest = text.slice(shell[0].length).trim();
    if (rest.startsWith(NOP)) return collapse(rest.slice(NOP.length));
    return rest === '' ? '' : `RUN ${rest}`;
  }
  if (text.startsWith(NOP)) return collapse(text.slice(NOP.length));

  // BuildKit: the instruction as written (`RUN /bin/sh -c …`, `COPY …`, `ENV …`).
  const keyword = /^([A-Za-z]+)(?:\s+|$)/.exec(text);
  if (keyword?.[1] !== undefined && KNOWN_INSTRUCTIONS.has(keyword[1].toUpperCase())) {
    const word = keyword[1].toUpperCase();
    let rest = text.slice(keyword[0].length);
    if (word === 'RUN') {
      rest = withoutBuildArgs(rest);
      const runShell = SHELL_PREFIX.exec(rest);
      if (runShell !== null) rest = rest.slice(runShell[0].length);
    }
    return collapse(rest === '' ? word : `${word} ${rest}`);
  }
  return '';
}

/** The first word of an instruction, upper-cased: `RUN`, `CMD`; '' for none. */
export function keywordOf(instruction: string): string {
  return /^([A-Za-z]+)/.exec(instruction)?.[1]?.toUpperCase() ?? '';
}

export interface HistoryStepInput {
  readonly createdBy: string;
  readonly comment: string;
  /** Bytes, as the engine reports them: non-zero only for steps that made a layer. */
  readonly size: number;
}

/** Whether a step made a layer, as far as its text tells: `maybe` when it cannot be told. */
export type LayerGuess = boolean | 'maybe';

/**
 * Whether a history step made a layer, by its own looks.
 * - A size above 0: yes (the engine reports a size only for steps that made a layer).
 * - RUN, COPY, ADD: yes. Metadata instructions (ENV, CMD, LABEL, …; classic `#(nop)` ones): no.
 * - WORKDIR: maybe (it makes a layer when it creates the directory).
 * - An import (`Imported from …`, or no command and a size): yes. Anything else unrecognised: maybe.
 */
export function madeLayerGuess(step: HistoryStepInput): LayerGuess {
  if (step.size > 0) return true;
  const instruction = instructionOf(step.createdBy);
  const keyword = keywordOf(instruction);
  if (FILESYSTEM_INSTRUCTIONS.has(keyword)) return true;
  if (METADATA_INSTRUCTIONS.has(keyword)) return false;
  if (keyword === 'WORKDIR') return 'maybe';
  if (step.createdBy.trim() === '' && /^Imported from\b/i.test(step.comment.trim())) return true;
  return 'maybe';
}

export interface StepLayering {
  /** Null when the mapping is unlabelled. */
  readonly madeLayer: boolean | null;
  /** Index of the layer the step made; null when it made none or the mapping is unlabelled. */
  readonly layerIndex: number | null;
}

export interface HistoryLayerMapping {
  readonly kind: 'exact' | 'unlabelled';
  readonly note: string;
  /** One entry per step, in the order given. */
  readonly steps: readonly StepLayering[];
  /** One entry per layer: the index of the step that made it, or null. */
  readonly layerSteps: readonly (number | null)[];
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function unlabelled(stepCount: number, layerCount: number, note: string): HistoryLayerMapping {
  return {
    kind: 'unlabelled',
    note,
    steps: Array.from({ length: stepCount }, () => ({ madeLayer: null, layerIndex: null })),
    layerSteps: Array.from({ length: layerCount }, () => null),
  };
}

/**
 * Labels layers with the steps that made them, oldest step first and bottom layer first, when the
 * count of layer-making steps equals `layerCount`. Steps that may or may not have made a layer
 * (WORKDIR, unrecognised ones) are counted all in or all out; the mapping is exact only when
 * exactly one assignment fits. Otherwise every step is left unlabelled, and the note says why.
 */
export function mapHistoryToLayers(
  stepsOldestFirst: readonly HistoryStepInput[],
  layerCount: number,
): HistoryLayerMapping {
  const guesses = stepsOldestFirst.map(madeLayerGuess);
  const sure = guesses.filter((g) => g === true).length;
  const maybe = guesses.filter((g) => g === 'maybe').length;
  const stepCount = stepsOldestFirst.length;
  const layers = plural(layerCount, 'layer', 'layers');

  if (stepCount === 0 && layerCount > 0) {
    return unlabelled(
      0,
      layerCount,
      `the engine reported no history for this image, which has ${layers}, so layers are shown unlabelled`,
    );
  }

  // Which count of maybe-steps made layers: all in or all out fit uniquely; anything between does not.
  let maybesIn: boolean | undefined;
  const needed = layerCount - sure;
  if (needed === 0) maybesIn = false;
  else if (needed === maybe && maybe > 0) maybesIn = true;

  if (maybesIn === undefined) {
    let why: string;
    if (maybe === 0 || needed < 0) {
      const looked = sure + (needed < 0 ? 0 : maybe);
      why = `${plural(looked, 'step looks', 'steps look')} like ${looked === 1 ? 'it' : 'they'} made layers but the image has ${layers}`;
    } else if (needed > maybe) {
      why = `at most ${plural(sure + maybe, 'step looks', 'steps look')} like ${sure + maybe === 1 ? 'it' : 'they'} made layers but the image has ${layers}`;
    } else {
      why = `${plural(sure, 'step', 'steps')} surely made layers and ${plural(maybe, 'step', 'steps')} (WORKDIR or unrecognised) may have, and more than one way of counting them fits the image's ${layers}`;
    }
    return unlabelled(stepCount, layerCount, `${why}, so layers are shown unlabelled rather than guessed`);
  }

  let next = 0;
  const layerSteps: (number | null)[] = Array.from({ length: layerCount }, () => null);
  const steps = guesses.map((guess, index): StepLayering => {
    const made = guess === true || (guess === 'maybe' && maybesIn);
    if (!made) return { madeLayer: false, layerIndex: null };
    const layerIndex = next++;
    layerSteps[layerIndex] = index;
    return { madeLayer: true, layerIndex };
  });
  let note = 'Each layer is labelled with the step that made it';
  if (maybe > 0) {
    note += maybesIn
      ? ` (counting the ${plural(maybe, 'WORKDIR or unrecognised step', 'WORKDIR or unrecognised steps')} as making layers, the only count that fits)`
      : ` (counting the ${plural(maybe, 'WORKDIR or unrecognised step', 'WORKDIR or unrecognised steps')} as making no layer, the only count that fits)`;
  }
  return { kind: 'exact', note, steps, layerSteps };
}

// ---------------------------------------------------------------------------------------------
// Other images: base image and shared layers

export interface ImageChain {
  readonly imageId: string;
  /** What people call it: see `displayNameOf`. */
  readonly name: string;
  /** Chain IDs, bottom layer first. */
  readonly chainIds: readonly string[];
}

/** Untagged images (named by short ID) sort after tagged ones. */
function isShortIdName(name: string): boolean {
  return /^[0-9a-f]{12}$/.test(name);
}

function compareNames(a: string, b: string): number {
  const shortA = isShortIdName(a);
  const shortB = isShortIdName(b);
  if (shortA !== shortB) return shortA ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface BaseImage {
  readonly imageId: string;
  readonly name: string;
  /** This image's first `layerCount` layers are the base image's layers. */
  readonly layerCount: number;
}

/**
 * The other image whose whole chain is the longest proper prefix of this one's (ties broken by
 * name, tagged images first); null when none is.
 */
export function findBase(
  imageId: string,
  chainIds: readonly string[],
  others: readonly ImageChain[],
): BaseImage | null {
  let best: ImageChain | undefined;
  for (const other of others) {
    const n = other.chainIds.length;
    if (other.imageId === imageId || n === 0 || n >= chainIds.length) continue;
    // Equal chain IDs at the same place imply equal prefixes; checking the last one is enough.
    if (other.chainIds[n - 1] !== chainIds[n - 1]) continue;
    if (
      best === undefined ||
      n > best.chainIds.length ||
      (n === best.chainIds.length && compareNames(other.name, best.name) < 0)
    ) {
      best = other;
    }
  }
  return best === undefined ? null : { imageId: best.imageId, name: best.name, layerCount: best.chainIds.length };
}

/**
 * For each layer, the names (sorted, tagged first) of the other images whose chain holds the same
 * chain ID at the same place. `others` should not include the image itself.
 */
export function sharedWith(chainIds: readonly string[], others: readonly ImageChain[]): string[][] {
  const names: Set<string>[] = chainIds.map(() => new Set<string>());
  for (const other of others) {
    const limit = Math.min(other.chainIds.length, chainIds.length);
    // Once two chains differ they stay different: a chain ID covers every layer below it.
    for (let i = 0; i < limit && other.chainIds[i] === chainIds[i]; i++) names[i]?.add(other.name);
  }
  return names.map((set) => [...set].sort(compareNames));
}
