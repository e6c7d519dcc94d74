/** The Logs tab: a live, searchable, bounded view of a container's log (text only, never HTML). */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useStrata } from '../../api/StrataContext';
import { computeWindow, scrollToRow } from '../images/virtualWindow';
import { splitMatches } from '../details/jsonSearch';
import {
  findMatchingLines,
  LogBuffer,
  LOG_BUFFER_CAPACITY,
  shortTimestamp,
  stepMatch,
  type LogEntry,
} from './logBuffer';
import { useWatch, type WatchEvent } from './useWatch';

/** Each line is one row of this height (no wrapping), so only the rows in view are rendered. */
export const LOG_ROW_HEIGHT = 18;
const OVERSCAN = 20;
/** Used before the log box has a height (first render, or jsdom). */
const FALLBACK_VIEWPORT = 540;
/** Lines read from the end of the log when the watch starts. */
export const LOG_TAIL = 1000;

export interface LogsTabProps {
  readonly container: string;
  /** Started with a TTY: one stream, stdout and stderr not told apart. */
  readonly tty: boolean;
  /** The container has a process now (running, paused, restarting): a log that ended follows again when it starts. */
  readonly live: boolean;
}

function LogRow({
  entry,
  top,
  query,
  timestamps,
  current,
}: {
  readonly entry: LogEntry;
  readonly top: number;
  readonly query: string;
  readonly timestamps: boolean;
  readonly current: boolean;
}) {
  const stderr = entry.stream === 'stderr';
  return (
    <div
      className={`log-line ${stderr ? 'log-stderr' : 'log-stdout'}${current ? ' is-current' : ''}`}
      style={{ top, height: LOG_ROW_HEIGHT }}
      data-stream={entry.stream}
    >
      {timestamps && entry.time !== null ? (
        <span className="log-time" title={entry.time}>
          {shortTimestamp(entry.time)}
        </span>
      ) : null}
      <span className="log-marker" title={stderr ? 'Standard error' : 'Standard output'}>
        {stderr ? 'ERR' : ''}
      </span>
      <span className="log-text">
        {splitMatches(entry.text, query).map((segment, i) =>
          segment.match ? <mark key={i}>{segment.text}</mark> : <span key={i}>{segment.text}</span>,
        )}
      </span>
    </div>
  );
}

export function LogsTab({ container, tty, live }: LogsTabProps) {
  const strata = useStrata();
  // A mutable ring held for the component's life; `version` tells React when its content changed.
  const [buffer] = useState(() => new LogBuffer(LOG_BUFFER_CAPACITY));
  const [version, setVersion] = useState(0);
  const [dropped, setDropped] = useState(0);
  const [follow, setFollow] = useState(true);
  const [pinned, setPinned] = useState(true);
  const [timestamps, setTimestamps] = useState(false);
  const [query, setQuery] = useState('');
  const [current, setCurrent] = useState(-1);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(FALLBACK_VIEWPORT);
  const boxRef = useRef<HTMLDivElement>(null);
  const evictedSeen = useRef(0);

  const reset = useCallback(() => {
    buffer.clear();
    evictedSeen.current = 0;
    setDropped(0);
    setCurrent(-1);
    setVersion((v) => v + 1);
  }, [buffer]);

  const start = useCallback(() => {
    reset();
    setPinned(true);
    // Timestamps always come along: the toggle only shows or hides them, without reloading the log.
    return strata.containers.logsWatch({ container, follow, timestamps: true, tail: LOG_TAIL });
  }, [strata, container, follow, reset]);

  const onEvent = useCallback(
    (event: WatchEvent) => {
      if (event.type !== 'watch.logs') return;
      buffer.append(event.lines);
      if (event.dropped > 0) setDropped((d) => d + event.dropped);
      setVersion((v) => v + 1);
    },
    [buffer],
  );

  const { state, restart } = useWatch(start, `${container}|${follow}`, onEvent);

  // The container was started again after its log ended: follow the new run.
  const wasLive = useRef(live);
  useEffect(() => {
    const startedAgain = live && !wasLive.current;
    wasLive.current = live;
    if (startedAgain && follow && state.status === 'ended') restart();
  }, [live, follow, state.status, restart]);

  const matches = useMemo(
    () => findMatchingLines(buffer, query),
    // `version` stands for the buffer's content.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [buffer, query, version],
  );

  // Keep the newest line in view while pinned; while reading older lines, keep them still as old ones fall out.
  useLayoutEffect(() => {
    const box = boxRef.current;
    if (box === null) return;
    if (box.clientHeight > 0) setViewport(box.clientHeight);
    const evictedNow = buffer.evicted;
    const shift = evictedNow - evictedSeen.current;
    evictedSeen.current = evictedNow;
    if (pinned) {
      box.scrollTop = box.scrollHeight;
    } else if (shift > 0) {
      box.scrollTop = Math.max(0, box.scrollTop - shift * LOG_ROW_HEIGHT);
    }
    setScrollTop(box.scrollTop);
  }, [buffer, version, pinned]);

  const onScroll = (): void => {
    const box = boxRef.current;
    if (box === null) return;
    setScrollTop(box.scrollTop);
    if (box.clientHeight > 0) setViewport(box.clientHeight);
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight <= LOG_ROW_HEIGHT;
    setPinned(atBottom);
  };

  const goTo = (index: number): void => {
    setCurrent(index);
    const row = matches[index];
    const box = boxRef.current;
    if (row === undefined || box === null) return;
    setPinned(false);
    const input = {
      scrollTop: box.scrollTop,
      viewportHeight: box.clientHeight > 0 ? box.clientHeight : viewport,
      rowHeight: LOG_ROW_HEIGHT,
      rowCount: buffer.length,
      overscan: 0,
    };
    const next = scrollToRow(row, input);
    if (next !== undefined) {
      box.scrollTop = next;
      setScrollTop(next);
    }
  };
  const step = (direction: 1 | -1): void => goTo(stepMatch(current, matches.length, direction));
  const onSearchKey = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Enter') {
      event.preventDefault();
      step(event.shiftKey ? -1 : 1);
    }
  };

  const win = computeWindow({
    scrollTop,
    viewportHeight: viewport,
    rowHeight: LOG_ROW_HEIGHT,
    rowCount: buffer.length,
    overscan: OVERSCAN,
  });
  const rows = buffer.slice(win.start, win.end);
  const currentRow = current >= 0 ? matches[current] : undefined;
  const matchText =
    query === ''
      ? ''
      : matches.length === 0
        ? 'No matches'
        : current >= 0 && current < matches.length
          ? `${current + 1} of ${matches.length} lines`
          : `${matches.length} ${matches.length === 1 ? 'line matches' : 'lines match'}`;

  return (
    <section className="logs-tab" aria-label="Logs">
      <div className="logs-toolbar">
        <label className="checkbox">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
          Follow
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={timestamps} onChange={(e) => setTimestamps(e.target.checked)} />
          Timestamps
        </label>
        <input
          type="search"
          className="input"
          aria-label="Search the log"
          placeholder="Search"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setCurrent(-1);
          }}
          onKeyDown={onSearchKey}
        />
        <button
          type="button"
          className="button button-small"
          disabled={matches.length === 0}
          onClick={() => step(-1)}
          aria-label="Previous match"
        >
          ↑
        </button>
        <button
          type="button"
          className="button button-small"
          disabled={matches.length === 0}
          onClick={() => step(1)}
          aria-label="Next match"
        >
          ↓
        </button>
        <span className="muted logs-match-count" role="status" aria-label="Matches">
          {matchText}
        </span>
        <span className="spacer" />
        <button type="button" className="button button-small" onClick={reset}>
          Clear
        </button>
      </div>

      <div className="logs-status muted">
        <span>
          {buffer.length} {buffer.length === 1 ? 'line' : 'lines'}
        </span>
        {tty ? <span>TTY: one stream (stdout and stderr are not told apart)</span> : null}
        {buffer.evicted > 0 ? (
          <span>
            Showing the newest {LOG_BUFFER_CAPACITY.toLocaleString('en-US')}; {buffer.evicted} older lines discarded
          </span>
        ) : null}
        {dropped > 0 ? (
          <span className="logs-dropped" role="status">
            {dropped} {dropped === 1 ? 'line' : 'lines'} dropped (the container wrote faster than shown)
          </span>
        ) : null}
        {state.status === 'running' && follow && !pinned ? (
          <button type="button" className="button button-small" onClick={() => setPinned(true)}>
            Following paused — jump to the end
          </button>
        ) : null}
      </div>

      {state.status === 'ended' ? (
        state.error === null ? (
          <div className="notice logs-ended" role="status">
            <span>{follow ? 'Container exited — log ended.' : 'End of the log (not following).'}</span>{' '}
            <button
              type="button"
              className="button button-small"
              onClick={() => {
                setFollow(true);
                restart();
              }}
            >
              Follow again
            </button>
          </div>
        ) : (
          <div className="notice notice-error" role="alert">
            <span>The log stopped: {state.error.message}</span>{' '}
            <button type="button" className="button button-small" onClick={restart}>
              Try again
            </button>
          </div>
        )
      ) : null}

      <div
        ref={boxRef}
        className="logs-box"
        role="log"
        aria-live="off"
        aria-label="Container log"
        tabIndex={0}
        onScroll={onScroll}
      >
        {state.status === 'starting' && buffer.length === 0 ? (
          <p className="muted logs-empty">Loading the log…</p>
        ) : null}
        {state.status !== 'starting' && buffer.length === 0 ? <p className="muted logs-empty">No log lines.</p> : null}
        <div className="logs-spacer" style={{ height: win.totalHeight }}>
          {rows.map((entry, i) => (
            <LogRow
              key={entry.seq}
              entry={entry}
              top={(win.start + i) * LOG_ROW_HEIGHT}
              query={query}
              timestamps={timestamps}
              current={currentRow === win.start + i}
            />
          ))}
        </div>
      </div>
    </section>
  );
}
