/**
 * The build log model: a pure reducer from the lines of the engine's classic `/build` JSON stream
 * to build steps with bounded output. `{"stream":"Step 2/5 : RUN make\n"}` opens a step, other
 * text lines belong to the running step, `{"aux":{"ID":…}}` / "Successfully built <id>" give the
 * image, and an `error` line marks the running step failed.
 */
import type { BuildStep, JobProgress } from '../../../shared/api';
import { streamLineError } from '../core/stream-error';

/** Output lines kept per step; older ones are counted in `droppedLines`. */
export const MAX_STEP_LINES = 500;

export interface BuildLogState {
  readonly steps: readonly BuildStep[];
  /** Text of a `stream` value that did not end with a newline yet. */
  readonly partial: string;
  /** Lines before the first step ("Sending build context…"). */
  readonly preamble: readonly string[];
  /** The image ID as the engine reported it (aux line: full ID; "Successfully built": short ID). */
  readonly imageId: string | undefined;
  readonly tagged: readonly string[];
  readonly error: { readonly message: string; readonly code: number | undefined } | undefined;
  readonly failedStep: number | null;
  readonly finished: boolean;
}

export const initialBuildLog: BuildLogState = {
  steps: [],
  partial: '',
  preamble: [],
  imageId: undefined,
  tagged: [],
  error: undefined,
  failedStep: null,
  finished: false,
};

const STEP = /^Step (\d+)\/(\d+) ?: ?(.*)$/;
const BUILT = /^Successfully built ([0-9a-f]{6,64})\s*$/;
const TAGGED = /^Successfully tagged (\S+)\s*$/;
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

function clean(line: string): string {
  return line.replace(ANSI, '').replace(/\r$/, '');
}

function withLine(step: BuildStep, line: string): BuildStep {
  const lines = [...step.lines, line];
  const over = lines.length - MAX_STEP_LINES;
  return over > 0 ? { ...step, lines: lines.slice(over), droppedLines: step.droppedLines + over } : { ...step, lines };
}

function runningIndex(state: BuildLogState): number {
  const last = state.steps.length - 1;
  return last >= 0 && state.steps[last]?.state === 'running' ? last : -1;
}

function replaceStep(state: BuildLogState, index: number, step: BuildStep): BuildLogState {
  const steps = state.steps.slice();
  steps[index] = step;
  return { ...state, steps };
}

function finishRunning(state: BuildLogState, to: 'done' | 'failed'): BuildLogState {
  const index = runningIndex(state);
  if (index === -1) return state;
  const step = state.steps[index];
  return step === undefined ? state : replaceStep(state, index, { ...step, state: to });
}

/** One complete text line of the build output. */
function reduceTextLine(state: BuildLogState, raw: string): BuildLogState {
  const line = clean(raw);
  const step = STEP.exec(line);
  if (step !== null) {
    const closed = finishRunning(state, 'done');
    const next: BuildStep = {
      number: Number(step[1]),
      total: Number(step[2]),
      instruction: (step[3] ?? '').trim(),
      state: 'running',
      lines: [],
      droppedLines: 0,
    };
    return { ...closed, steps: [...closed.steps, next] };
  }
  const built = BUILT.exec(line);
  if (built !== null) {
    const closed = finishRunning(state, 'done');
    return { ...closed, imageId: closed.imageId ?? built[1], finished: true };
  }
  const tagged = TAGGED.exec(line);
  if (tagged?.[1] !== undefined) return { ...state, tagged: [...state.tagged, tagged[1]] };
  const index = runningIndex(state);
  const current = index === -1 ? undefined : state.steps[index];
  if (current === undefined) {
    if (line.trim() === '') return state;
    const preamble = [...state.preamble, line];
    return { ...state, preamble: preamble.length > MAX_STEP_LINES ? preamble.slice(-MAX_STEP_LINES) : preamble };
  }
  if (line.trim() === '' && current.lines.length === 0) return state;
  return replaceStep(state, index, withLine(current, line));
}

function reduceText(state: BuildLogState, text: string): BuildLogState {
  const parts = (state.partial + text).split('\n');
  const rest = parts.pop() ?? '';
  let next: BuildLogState = { ...state, partial: rest };
  for (const part of parts) next = reduceTextLine(next, part);
  return next;
}

function flushPartial(state: BuildLogState): BuildLogState {
  if (state.partial === '') return state;
  return reduceTextLine({ ...state, partial: '' }, state.partial);
}

function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

/** One JSON value of the `/build` stream. Unknown shapes are ignored. */
export function reduceBuildLog(state: BuildLogState, value: unknown): BuildLogState {
  if (typeof value !== 'object' || value === null) return state;
  const record = value as Record<string, unknown>;

  const lineFailure = streamLineError(record);
  if (lineFailure !== undefined) {
    const { message, code } = lineFailure;
    const flushed = flushPartial(state);
    const index = runningIndex(flushed);
    const failed = finishRunning(flushed, 'failed');
    const current = index === -1 ? undefined : failed.steps[index];
    const withError = current === undefined ? failed : replaceStep(failed, index, withLine(current, message));
    return { ...withError, error: { message, code }, failedStep: index === -1 ? null : index, finished: true };
  }

  const aux = record['aux'];
  if (typeof aux === 'object' && aux !== null) {
    const id = stringField(aux as Record<string, unknown>, 'ID');
    return id === undefined ? state : { ...state, imageId: id };
  }

  const text = stringField(record, 'stream');
  if (text !== undefined) return reduceText(state, text);

  // Pull progress of a FROM image (`pull` or a missing base): one line per status.
  const status = stringField(record, 'status');
  if (status !== undefined) {
    const id = stringField(record, 'id');
    const progress = stringField(record, 'progress');
    if (progress !== undefined) return state; // byte counters: too chatty for a log
    return reduceTextLine(flushPartial(state), id === undefined ? status : `${id}: ${status}`);
  }
  return state;
}

/** Call when the stream ended: flushes a last line without a newline. */
export function endBuildLog(state: BuildLogState): BuildLogState {
  return flushPartial(state);
}

/** "Step 3/7: RUN make", or what the build is doing before its first step. */
export function buildMessage(state: BuildLogState): string {
  if (state.error !== undefined) {
    const failed = state.failedStep === null ? undefined : state.steps[state.failedStep];
    return failed === undefined
      ? `Build failed: ${state.error.message}`
      : `Step ${failed.number}/${failed.total} failed: ${state.error.message}`;
  }
  const last = state.steps[state.steps.length - 1];
  if (state.finished) return 'Build finished';
  if (last === undefined) return state.preamble[state.preamble.length - 1] ?? 'Sending the build context';
  return `Step ${last.number}/${last.total}: ${last.instruction}`;
}

export function buildFraction(state: BuildLogState): number | null {
  const last = state.steps[state.steps.length - 1];
  if (last === undefined || last.total <= 0) return null;
  if (state.finished && state.error === undefined) return 1;
  const done = last.state === 'done' ? last.number : last.number - 1;
  return Math.min(1, Math.max(0, done / last.total));
}

export function toBuildProgress(state: BuildLogState, bytes?: JobProgress['bytes']): JobProgress {
  return {
    fraction: buildFraction(state),
    message: buildMessage(state),
    layers: [],
    ...(bytes === undefined ? {} : { bytes }),
    build: { steps: [...state.steps], failedStep: state.failedStep },
  };
}
