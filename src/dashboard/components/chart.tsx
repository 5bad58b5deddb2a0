/**
 * A time-series chart in hand-written SVG: the line, the segment means, and the change points
 * (regressions and improvements) as marked vertical lines. The SVG is an image for screen
 * readers (its aria-label summarises the series); the data is also available as a table.
 */
import { useState } from 'preact/hooks';
import { chartGeometry, seriesSummary } from '../chart.ts';
import { useApp } from '../context.ts';
import { seriesLabel } from '../model.ts';
import type { Series } from '../types.ts';

type Kind = 'regression' | 'improvement' | 'change';
const kindOf = (kind: string): Kind => (kind === 'regression' || kind === 'improvement' ? kind : 'change');
const KEYS = { regression: 'chart.regression', improvement: 'chart.improvement', change: 'chart.change' } as const;

/** The marker's head: down for a regression, up for an improvement, a diamond for a change without direction. */
function head(kind: Kind, x: number, top: number): string {
  if (kind === 'regression') return `M${x - 5} ${top}h10l-5 7z`;
  if (kind === 'improvement') return `M${x - 5} ${top + 7}h10l-5 -7z`;
  return `M${x} ${top}l4 4l-4 4l-4 -4z`;
}

export function SeriesChart({ series }: { series: Series }) {
  const { t, f } = useApp();
  const [showTable, setShowTable] = useState(false);
  const geometry = chartGeometry(series);
  const label = seriesLabel(series.name, series.labels);
  const summary = seriesSummary(series.points);
  const unit = series.unit ? ` ${series.unit}` : '';
  const ariaLabel = summary
    ? t('chart.label', {
        name: label,
        n: series.points.length,
        from: f.date(series.points[0]?.at),
        to: f.date(series.points.at(-1)?.at),
        first: `${f.number(summary.first)}${unit}`,
        last: `${f.number(summary.last)}${unit}`,
        min: `${f.number(summary.min)}${unit}`,
        max: `${f.number(summary.max)}${unit}`,
        changes: series.changePoints.length,
      })
    : t('chart.empty', { name: label });
  const { size } = geometry;
  const last = geometry.dots.at(-1);
  const span = (geometry.xTicks.at(-1)?.time ?? 0) - (geometry.xTicks[0]?.time ?? 0);
  const tickText = span < 2 * 86_400_000 ? f.shortTime : f.shortDate;
  const anchor = (x: number) => (x < size.left + 20 ? 'start' : x > size.width - size.right - 20 ? 'end' : 'middle');
  return (
    <figure class="chart-card">
      <figcaption>
        <span class="metric-name">{label}</span>
        <span class="metric-latest">
          {summary ? `${f.number(summary.last)}${unit}` : '–'}
          {series.changePoints.length > 0 && <span class="badge change-badge">{t('chart.changeCount', { n: series.changePoints.length })}</span>}
        </span>
      </figcaption>
      <svg class="chart" viewBox={`0 0 ${size.width} ${size.height}`} role="img" aria-label={ariaLabel} focusable="false">
        {geometry.yTicks.map((tick) => (
          <g key={`y${tick.value}`} class="grid">
            <line x1={size.left} x2={size.width - size.right} y1={tick.y} y2={tick.y} />
            <text x={size.left - 6} y={tick.y + 4} text-anchor="end">
              {f.number(tick.value)}
            </text>
          </g>
        ))}
        {geometry.xTicks.filter((tick, i, all) => i === 0 || tickText(tick.time) !== tickText(all[i - 1]!.time)).map((tick) => (
          <text key={`x${tick.time}`} class="axis" x={tick.x} y={size.height - 6} text-anchor={anchor(tick.x)}>
            {tickText(tick.time)}
          </text>
        ))}
        {geometry.means.map((mean, i) => (
          <line key={`m${i}`} class="mean" x1={mean.x1} x2={mean.x2} y1={mean.y} y2={mean.y} />
        ))}
        <path class="line" d={geometry.path} />
        {geometry.markers.map((marker, i) => (
          <g key={`c${i}`} class={`change change-${kindOf(marker.kind)}`}>
            <title>{t(KEYS[kindOf(marker.kind)], { at: f.dateTime(marker.at), before: f.number(marker.before), after: f.number(marker.after) })}</title>
            <line x1={marker.x} x2={marker.x} y1={size.top} y2={size.height - size.bottom} />
            <path d={head(kindOf(marker.kind), marker.x, size.top)} />
          </g>
        ))}
        {last && <circle class="dot" cx={last.x} cy={last.y} r="3" />}
      </svg>
      {series.changePoints.length > 0 && <ChangeList changes={series.changePoints} />}
      <button type="button" class="link-button" aria-expanded={showTable} onClick={() => setShowTable(!showTable)}>
        {showTable ? t('chart.hideData') : t('chart.showData')}
      </button>
      {showTable && (
        <div class="table-wrap small" role="region" aria-label={t('chart.dataOf', { name: label })} tabIndex={0}>
          <table>
            <caption class="sr-only">{t('chart.dataOf', { name: label })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('chart.when')}</th>
                <th scope="col" class="num">
                  {t('chart.value')}
                </th>
              </tr>
            </thead>
            <tbody>
              {[...series.points].reverse().map((point) => (
                <tr key={point.snapshotId}>
                  <td>{f.dateTime(point.at)}</td>
                  <td class="num">
                    {f.number(point.value)}
                    {unit}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </figure>
  );
}

const RECENT_CHANGES = 3;

/** The latest change points in words; the older ones behind a disclosure. */
function ChangeList({ changes }: { changes: Series['changePoints'] }) {
  const { t, f } = useApp();
  const item = (change: Series['changePoints'][number], i: number) => (
    <li key={i} class={`change-${kindOf(change.kind)}`}>
      {t(KEYS[kindOf(change.kind)], { at: f.date(change.at), before: f.number(change.before), after: f.number(change.after) })}
    </li>
  );
  const recent = changes.slice(-RECENT_CHANGES);
  const older = changes.slice(0, -RECENT_CHANGES);
  return (
    <>
      {older.length > 0 && (
        <details class="older-changes">
          <summary>{t('chart.olderChanges', { n: older.length })}</summary>
          <ul class="change-list">{older.map(item)}</ul>
        </details>
      )}
      <ul class="change-list">{recent.map(item)}</ul>
    </>
  );
}
