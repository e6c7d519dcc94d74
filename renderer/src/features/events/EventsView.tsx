/** The event log: what the engine did this session (from the app or a terminal), newest first, with filters. */
import { useState } from 'react';
import type { ImageSummary } from '../../../../shared/api';
import { useEngineEvents, useEngineStatus, useImages } from '../../app/queries';
import { useUi, type HistoryTarget } from '../../app/uiStore';
import { useNow } from '../../app/useNow';
import { formatExact, formatRelative } from '../../lib/format';
import { EngineUnavailable } from '../engine/EngineUnavailable';
import {
  DEFAULT_FILTER,
  TIME_WINDOWS,
  eventsViewModel,
  imageOfEvent,
  type EventFilter,
  type EventRow,
  type TimeWindow,
} from './eventsViewModel';
import './events.css';

function ObjectCell({
  row,
  images,
  onOpen,
}: {
  readonly row: EventRow;
  readonly images: readonly ImageSummary[] | undefined;
  readonly onOpen: (target: HistoryTarget) => void;
}) {
  const target = images === undefined ? undefined : imageOfEvent(row.event, images);
  if (target === undefined) {
    return (
      <span className="cell-mono" title={row.objectId}>
        {row.object}
      </span>
    );
  }
  return (
    <button
      type="button"
      className="events-object-link cell-mono"
      title={`Open the details of ${target.label}`}
      aria-label={`Details of ${row.object}`}
      onClick={() => onOpen(target)}
    >
      {row.object}
    </button>
  );
}

export function EventsView() {
  const status = useEngineStatus();
  const events = useEngineEvents();
  const images = useImages();
  const openDetails = useUi((s) => s.openDetails);
  const now = useNow(5_000);
  const [filter, setFilter] = useState<EventFilter>(DEFAULT_FILTER);
  const update = (patch: Partial<EventFilter>): void => setFilter((previous) => ({ ...previous, ...patch }));

  const model = eventsViewModel(events.data ?? [], filter, now);

  let body;
  if (events.data === undefined) {
    if (status.data?.state !== 'connected') body = <EngineUnavailable status={status.data} error={status.error} />;
    else if (events.error !== null) {
      body = (
        <div className="empty-state" role="alert">
          <h2>Could not list events</h2>
          <p>{events.error.message}</p>
        </div>
      );
    } else body = <p className="notice">Loading events…</p>;
  } else if (model.rows.length === 0) {
    body = (
      <div className="empty-state">
        <h2>{model.total === 0 ? 'No events yet' : 'No matching events'}</h2>
        <p>
          {model.total === 0
            ? 'Pull, tag, build or remove an image (here or in a terminal) and it shows up here.'
            : 'No event matches the filters.'}
        </p>
      </div>
    );
  } else {
    body = (
      <table className="history-table events-table" aria-label="Engine events">
        <thead>
          <tr>
            <th scope="col" className="events-col-time">
              Time
            </th>
            <th scope="col" className="events-col-type">
              Type
            </th>
            <th scope="col" className="events-col-action">
              Action
            </th>
            <th scope="col" className="events-col-object">
              Object
            </th>
            <th scope="col">Attributes</th>
          </tr>
        </thead>
        <tbody>
          {model.rows.map((row) => (
            <tr key={row.key} data-testid="event-row" aria-label={`${row.type} ${row.action} ${row.object}`}>
              <td title={formatExact(row.time)}>{formatRelative(row.time, now)}</td>
              <td>{row.type}</td>
              <td>{row.action}</td>
              <td>
                <ObjectCell row={row} images={images.data} onOpen={openDetails} />
              </td>
              <td className="cell-wrap events-attributes">{row.attributes}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }

  const count = model.matching === model.total ? `${model.total}` : `${model.matching} of ${model.total}`;
  return (
    <section className="view" aria-labelledby="events-title">
      <header className="view-header">
        <h1 id="events-title">Events</h1>
        {events.data === undefined ? null : (
          <span className="muted count" aria-live="polite">
            {count} {model.total === 1 ? 'event' : 'events'}
            {model.rows.length < model.matching ? ` · newest ${model.rows.length} shown` : ''}
          </span>
        )}
        <div className="toolbar">
          <label className="picker">
            <span>Type</span>
            <select
              className="input"
              aria-label="Event type"
              value={filter.type}
              onChange={(event) => update({ type: event.target.value })}
            >
              <option value="all">All types</option>
              {model.types.map((type) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </select>
          </label>
          <input
            type="search"
            className="input filter-input"
            aria-label="Filter events by object"
            placeholder="Object: ID, name or attribute"
            value={filter.text}
            onChange={(event) => update({ text: event.target.value })}
          />
          <label className="picker">
            <span>Time</span>
            <select
              className="input"
              aria-label="Time range"
              value={filter.window}
              onChange={(event) => update({ window: event.target.value as TimeWindow })}
            >
              {TIME_WINDOWS.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.label}
                </option>
              ))}
            </select>
          </label>
        </div>
      </header>
      <div className="view-body">
        <div className="view-scroll">{body}</div>
      </div>
    </section>
  );
}
