import { escapeControls } from '../report/escape.js';
import { formatInstant, formatNumber } from '../report/format.js';
import { sparkline } from '../report/sparkline.js';
import { padEnd, stringWidth } from '../report/string-width.js';
import type { MetricPoint } from '../store/store.js';
import { defineCommand, choice, positiveInt, UsageError, type CommandSpec, type OptionsSpec } from './args.js';
import { openDatabase, writeOutput } from './context.js';
import { chosenSystem } from './systems.js';

export const historySpec = {
  name: 'history',
  summary: "Show a metric's series over snapshots, with a sparkline; without --metric, every metric of the system.",
  usage: 'prodeng history --system NAME [--metric NAME] [--label KEY=VALUE] [options]',
  options: {
    system: { type: 'string', value: 'NAME', description: 'The system (needed when the database holds several).' },
    metric: { type: 'string', value: 'NAME', description: 'One metric, e.g. todo.count.' },
    label: { type: 'string', multiple: true, value: 'KEY=VALUE', description: 'Only the series with this label.' },
    last: { type: 'string', value: 'N', description: 'Only the last N points (default: all in json, 60 in the chart).' },
    db: { type: 'string', value: 'URL', description: 'Database (default $PRODENG_DB or .prodeng/prodeng.db).' },
    format: { type: 'string', value: 'FORMAT', description: 'table (default) or json.' },
    output: { type: 'string', short: 'o', value: 'FILE', description: 'Write to FILE instead of stdout.' },
  },
  positionals: { max: 0, hint: 'use --metric NAME' },
} as const satisfies CommandSpec<OptionsSpec>;

interface Series {
  name: string;
  labels: Record<string, string>;
  unit: string;
  points: Array<{ snapshotId: string; at: string; value: number }>;
}

export const historyCommand = defineCommand(historySpec, async ({ options }, io) => {
  const format = choice('format', options.format, ['table', 'json'] as const, 'table');
  const last = options.last === undefined ? undefined : positiveInt('last', options.last, 60);
  const labels: Record<string, string> = {};
  for (const pair of options.label ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--label ${pair}: expected KEY=VALUE`);
    labels[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const store = await openDatabase(options.db, io, { create: false });
  try {
    const system = await chosenSystem(store, options.system);
    const names = await store.metricNames(system);
    if (options.metric !== undefined && !names.includes(options.metric)) {
      throw new UsageError(`no metric "${options.metric}" for system "${system}"; known metrics: ${names.join(', ') || 'none yet'}`);
    }
    const series: Series[] = [];
    for (const name of options.metric === undefined ? names : [options.metric]) {
      series.push(...groupByLabels(name, await store.metricSeries(system, name, labels), last));
    }
    if (format === 'json') {
      writeOutput(`${JSON.stringify({ schemaVersion: 1, system, series }, null, 2)}\n`, options.output, io);
      return 0;
    }
    writeOutput(renderSeries(system, series, options.metric !== undefined, last ?? 60), options.output, io);
    return 0;
  } finally {
    await store.close();
  }
});

function groupByLabels(name: string, points: readonly MetricPoint[], last: number | undefined): Series[] {
  const groups = new Map<string, Series>();
  for (const point of points) {
    const key = JSON.stringify(Object.entries(point.labels).sort());
    let group = groups.get(key);
    if (!group) {
      group = { name, labels: point.labels, unit: point.unit, points: [] };
      groups.set(key, group);
    }
    group.points.push({ snapshotId: point.snapshotId, at: point.at, value: point.value });
  }
  return [...groups.values()].map((group) => (last === undefined ? group : { ...group, points: group.points.slice(-last) }));
}

function seriesName(series: Series): string {
  const labels = Object.keys(series.labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(series.labels[k])}`)
    .join(',');
  return escapeControls(`${series.name}${labels ? `{${labels}}` : ''}`);
}

function renderSeries(system: string, series: readonly Series[], detailed: boolean, width: number): string {
  if (series.length === 0) return `${escapeControls(system)}: no metric points recorded\n`;
  const out = [`${escapeControls(system)}: ${series.length} series`];
  const nameWidth = Math.max(...series.map((s) => stringWidth(seriesName(s))));
  for (const s of series) {
    const values = s.points.map((p) => p.value);
    const first = values[0]!;
    const latest = values.at(-1)!;
    const span = `${s.points[0]!.at.slice(0, 10)} … ${s.points.at(-1)!.at.slice(0, 10)}`;
    out.push(
      `${padEnd(seriesName(s), nameWidth)}  ${sparkline(values.slice(-width), width)}  ${formatNumber(first)} → ${formatNumber(latest)} ${escapeControls(s.unit)}  (${values.length} points, ${span})`,
    );
  }
  if (detailed) {
    for (const s of series) {
      out.push('', seriesName(s));
      for (const point of s.points.slice(-width)) out.push(`  ${formatInstant(point.at)}  ${point.snapshotId.slice(0, 10)}  ${formatNumber(point.value)}`);
    }
  }
  return `${out.join('\n')}\n`;
}
