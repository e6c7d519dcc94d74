/** The Stats tab: live CPU, memory, network and block I/O of a running container, as numbers and small charts. */
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import type { StatsSample } from '../../../../shared/api';
import { useStrata } from '../../api/StrataContext';
import { formatBytes } from '../../lib/format';
import {
  appendSample,
  formatBinaryBytes,
  formatPercentValue,
  hasLiveProcess,
  memoryPercent,
  ratesOf,
  sparklinePoints,
  STATS_WINDOW,
} from './containerDetailsModel';
import { useWatch, type WatchEvent } from './useWatch';

const CHART_WIDTH = 200;
const CHART_HEIGHT = 48;

export interface StatsTabProps {
  readonly container: string;
  /** The container's state from inspect: stats exist only while it runs. */
  readonly state: string;
}

function Sparkline({
  label,
  values,
  latest,
  max,
  caption,
}: {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly latest: string;
  /** The top of the scale at least (the largest value raises it). */
  readonly max?: number;
  /** A word over the chart when a card holds two ("in", "out"). */
  readonly caption?: string;
}) {
  const points = sparklinePoints(values, CHART_WIDTH, CHART_HEIGHT, STATS_WINDOW, max);
  const chart = (
    <svg
      className="stats-chart"
      role="img"
      aria-label={`${label}: ${latest}`}
      viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`}
      preserveAspectRatio="none"
    >
      <rect className="stats-chart-frame" x={0} y={0} width={CHART_WIDTH} height={CHART_HEIGHT} />
      {points === '' ? null : <polyline className="stats-chart-line" points={points} />}
    </svg>
  );
  if (caption === undefined) return chart;
  return (
    <div className="stats-chart-captioned">
      <span className="muted stats-caption" aria-hidden="true">
        {caption}
      </span>
      {chart}
    </div>
  );
}

/** Scales never collapse to nothing: an idle container's 0.1% CPU is not drawn as a full chart. */
const CPU_SCALE_FLOOR = 5;
const RATE_SCALE_FLOOR = 1000;

function StatCard({
  title,
  value,
  detail,
  children,
}: {
  readonly title: string;
  readonly value: string;
  readonly detail?: string;
  readonly children: ReactNode;
}) {
  return (
    <section className="stats-card" aria-label={title}>
      <h3>{title}</h3>
      <p className="stats-value" data-testid={`stat-${title.toLowerCase().replace(/\W+/g, '-')}`}>
        {value}
      </p>
      {detail === undefined ? null : <p className="muted stats-detail">{detail}</p>}
      {children}
    </section>
  );
}

const rate = (value: number | null | undefined): string =>
  value === null || value === undefined ? '—' : `${formatBytes(value)}/s`;

export function StatsTab({ container, state }: StatsTabProps) {
  const strata = useStrata();
  const [samples, setSamples] = useState<readonly StatsSample[]>([]);
  const live = hasLiveProcess(state);

  const start = useCallback(() => {
    setSamples([]);
    return strata.containers.statsWatch({ container });
  }, [strata, container]);
  const onEvent = useCallback((event: WatchEvent) => {
    if (event.type === 'watch.stats') setSamples((s) => appendSample(s, event.sample));
  }, []);
  const { state: watch, restart } = useWatch(live ? start : undefined, container, onEvent);

  const series = useMemo(
    () => ({
      cpu: samples.map((s) => s.cpuPercent),
      memory: samples.map((s) => s.memoryUsed),
      rx: ratesOf(samples, (s) => s.networkRx),
      tx: ratesOf(samples, (s) => s.networkTx),
      read: ratesOf(samples, (s) => s.blockRead),
      write: ratesOf(samples, (s) => s.blockWrite),
    }),
    [samples],
  );

  if (!live) {
    return (
      <section className="stats-tab" aria-label="Stats">
        <p className="notice">Stats are only for running containers: this one is {state}.</p>
      </section>
    );
  }

  const last = samples.at(-1);
  const memPct = last === undefined ? null : memoryPercent(last);
  const cpuText = formatPercentValue(last?.cpuPercent ?? null);
  const memText =
    last === undefined ? '—' : `${formatBinaryBytes(last.memoryUsed)} / ${formatBinaryBytes(last.memoryLimit)}`;
  const netText = last === undefined ? '—' : `${formatBytes(last.networkRx)} / ${formatBytes(last.networkTx)}`;
  const blockText = last === undefined ? '—' : `${formatBytes(last.blockRead)} / ${formatBytes(last.blockWrite)}`;

  return (
    <section className="stats-tab" aria-label="Stats">
      {watch.status === 'ended' ? (
        <div className={`notice${watch.error === null ? '' : ' notice-error'}`} role="alert">
          <span>{watch.error === null ? 'The stats stream ended (the container stopped?).' : watch.error.message}</span>{' '}
          <button type="button" className="button button-small" onClick={restart}>
            Start again
          </button>
        </div>
      ) : null}
      {last === undefined && watch.status !== 'ended' ? <p className="notice">Waiting for the first sample…</p> : null}
      <div className="stats-grid">
        <StatCard
          title="CPU"
          value={cpuText}
          detail={last?.pids === null || last === undefined ? undefined : `${last.pids} processes`}
        >
          <Sparkline label="CPU" values={series.cpu} latest={cpuText} max={CPU_SCALE_FLOOR} />
        </StatCard>
        <StatCard title="Memory" value={memText} detail={memPct === null ? undefined : formatPercentValue(memPct)}>
          <Sparkline
            label="Memory"
            values={series.memory}
            latest={`${memText}${memPct === null ? '' : ` (${formatPercentValue(memPct)})`}`}
          />
        </StatCard>
        <StatCard
          title="Network rx / tx"
          value={netText}
          detail={`${rate(series.rx.at(-1))} in, ${rate(series.tx.at(-1))} out`}
        >
          <Sparkline
            label="Network received per second"
            caption="in"
            max={RATE_SCALE_FLOOR}
            values={series.rx}
            latest={rate(series.rx.at(-1))}
          />
          <Sparkline
            label="Network sent per second"
            caption="out"
            max={RATE_SCALE_FLOOR}
            values={series.tx}
            latest={rate(series.tx.at(-1))}
          />
        </StatCard>
        <StatCard
          title="Block read / write"
          value={blockText}
          detail={`${rate(series.read.at(-1))} read, ${rate(series.write.at(-1))} written`}
        >
          <Sparkline
            label="Block read per second"
            caption="read"
            max={RATE_SCALE_FLOOR}
            values={series.read}
            latest={rate(series.read.at(-1))}
          />
          <Sparkline
            label="Block written per second"
            caption="written"
            max={RATE_SCALE_FLOOR}
            values={series.write}
            latest={rate(series.write.at(-1))}
          />
        </StatCard>
      </div>
      <p className="muted">The last {STATS_WINDOW} samples, about one a second.</p>
    </section>
  );
}
