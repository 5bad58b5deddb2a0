/**
 * `/metrics`: the Prometheus text exposition format 0.0.4 of what prodeng knows — each system's
 * latest vital signs, its open findings, and the scheduler's own health — so that the usual
 * alerting can watch the maintenance backlog. Valid for `promtool check metrics`, lint included:
 * names follow Prometheus' conventions, so a prodeng metric is renamed on the way out (docs/api.md):
 * units become base units (`http.latency_p95_ms` → `prodeng_http_latency_p95_seconds`, the value
 * divided by 1000), and suffixes reserved for counters and histograms are dropped
 * (`todo.count` → `prodeng_todo`).
 */
import { ASPECTS, SEVERITIES, type MetricRecord } from '../core/model.js';
import type { FindingCount } from '../store/store.js';
import type { ScheduleState } from './scheduler-contract.js';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface MetricsInput {
  version: string;
  /** Each system's latest snapshot: its start and its metrics. */
  systems: ReadonlyArray<{ system: string; at: string; metrics: readonly MetricRecord[] }>;
  openFindings: readonly FindingCount[];
  /** Null without a scheduler (`--no-scheduler`). */
  scheduler: readonly ScheduleState[] | null;
}

/** A unit in a metric's name (one `_`-separated word), and the factor to its base unit. */
const UNIT_WORDS: Readonly<Record<string, { base: 'seconds' | 'bytes'; factor: number }>> = {
  ns: { base: 'seconds', factor: 1e-9 },
  nanoseconds: { base: 'seconds', factor: 1e-9 },
  us: { base: 'seconds', factor: 1e-6 },
  microseconds: { base: 'seconds', factor: 1e-6 },
  ms: { base: 'seconds', factor: 1e-3 },
  milliseconds: { base: 'seconds', factor: 1e-3 },
  s: { base: 'seconds', factor: 1 },
  sec: { base: 'seconds', factor: 1 },
  secs: { base: 'seconds', factor: 1 },
  m: { base: 'seconds', factor: 60 },
  min: { base: 'seconds', factor: 60 },
  mins: { base: 'seconds', factor: 60 },
  minutes: { base: 'seconds', factor: 60 },
  h: { base: 'seconds', factor: 3600 },
  hours: { base: 'seconds', factor: 3600 },
  d: { base: 'seconds', factor: 86_400 },
  days: { base: 'seconds', factor: 86_400 },
  weeks: { base: 'seconds', factor: 604_800 },
  b: { base: 'bytes', factor: 1 },
  kb: { base: 'bytes', factor: 1e3 },
  kilobytes: { base: 'bytes', factor: 1e3 },
  mb: { base: 'bytes', factor: 1e6 },
  megabytes: { base: 'bytes', factor: 1e6 },
  gb: { base: 'bytes', factor: 1e9 },
  gigabytes: { base: 'bytes', factor: 1e9 },
  tb: { base: 'bytes', factor: 1e12 },
  pb: { base: 'bytes', factor: 1e15 },
};
/** Suffixes Prometheus reserves for counters, histograms and summaries; a gauge must not end so. */
const RESERVED_SUFFIXES = new Set(['count', 'sum', 'bucket', 'total', 'created']);
/** Words lint refuses in a name (the metric's type). */
const TYPE_WORDS = new Set(['gauge', 'counter', 'histogram', 'summary', 'untyped']);
/** The families this module writes itself; a probe's metric cannot take one of these names. */
const OWN_FAMILIES = [
  'prodeng_build_info',
  'prodeng_snapshot_timestamp_seconds',
  'prodeng_findings_open',
  'prodeng_scheduler_last_run_timestamp_seconds',
  'prodeng_scheduler_last_run_duration_seconds',
  'prodeng_scheduler_next_run_timestamp_seconds',
  'prodeng_scheduler_runs_total',
  'prodeng_scheduler_running',
  'prodeng_scheduler_consecutive_failures',
];

/** The family name of a prodeng metric and the factor its values are multiplied by. */
export function prometheusName(name: string, unit: string): { family: string; factor: number } {
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_');
  let words = snake.split('_').filter((word) => word !== '' && !TYPE_WORDS.has(word));
  let factor = 1;
  const unitIndex = words.findIndex((word) => UNIT_WORDS[word] !== undefined);
  if (unitIndex >= 0) {
    const found = UNIT_WORDS[words[unitIndex]!]!;
    factor = found.factor;
    words[unitIndex] = found.base;
  } else {
    const fromUnit = UNIT_WORDS[unit.trim().toLowerCase()];
    if (fromUnit !== undefined) {
      factor = fromUnit.factor;
      words.push(fromUnit.base);
    }
  }
  while (words.length > 1 && RESERVED_SUFFIXES.has(words.at(-1)!)) words = words.slice(0, -1);
  // Two words in a row of one base unit (`duration_seconds_seconds`) say it once.
  words = words.filter((word, i) => i === 0 || word !== words[i - 1] || (word !== 'seconds' && word !== 'bytes'));
  const body = words.join('_') || 'metric';
  return { family: `prodeng_${/^[0-9]/.test(body) ? `_${body}` : body}`, factor };
}

/** A label name Prometheus accepts; `system` (ours) and `__`-names (reserved) are renamed. */
export function prometheusLabel(name: string): string {
  let label = name.replace(/[^a-zA-Z0-9_]/g, '_');
  if (label === '' || /^[0-9]/.test(label)) label = `_${label}`;
  if (label.startsWith('__')) label = `label${label}`;
  if (label === 'system') label = 'metric_system';
  return label;
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

function labelText(labels: ReadonlyArray<readonly [string, string]>): string {
  return labels.length === 0 ? '' : `{${labels.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}`;
}

class Family {
  readonly lines: string[] = [];
  readonly #seen = new Set<string>();
  constructor(
    readonly name: string,
    readonly type: 'gauge' | 'counter',
    readonly help: string,
  ) {}

  /** Adds a sample; a second one with the same labels is dropped (a family holds each series once). */
  add(labels: ReadonlyArray<readonly [string, string]>, value: number): void {
    const text = labelText(labels);
    if (this.#seen.has(text)) return;
    this.#seen.add(text);
    this.lines.push(`${this.name}${text} ${formatValue(value)}`);
  }

  render(): string {
    return `# HELP ${this.name} ${escapeHelp(this.help)}\n# TYPE ${this.name} ${this.type}\n${this.lines.join('\n')}\n`;
  }
}

function seconds(iso: string | null): number | null {
  if (iso === null) return null;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? null : time / 1000;
}

export function renderMetrics(input: MetricsInput): string {
  const families = new Map<string, Family>();
  const family = (name: string, type: 'gauge' | 'counter', help: string): Family => {
    let found = families.get(name);
    if (found === undefined) {
      found = new Family(name, type, help);
      families.set(name, found);
    }
    return found;
  };

  family('prodeng_build_info', 'gauge', 'The running prodeng; always 1.').add([['version', input.version]], 1);

  const snapshotTimes = family('prodeng_snapshot_timestamp_seconds', 'gauge', "Start of each system's latest snapshot, Unix time.");
  const probeFamilies = new Map<string, Family>();
  for (const { system, at, metrics } of input.systems) {
    const time = seconds(at);
    if (time !== null) snapshotTimes.add([['system', system]], time);
    for (const metric of metrics) {
      const { family: name, factor } = prometheusName(metric.name, metric.unit);
      if (OWN_FAMILIES.includes(name)) continue;
      let target = probeFamilies.get(name);
      if (target === undefined) {
        const unit = metric.unit === '' ? '' : ` (recorded in ${metric.unit}${factor === 1 ? '' : `, converted to base units`})`;
        target = new Family(name, 'gauge', `prodeng metric ${metric.name} of probe ${metric.probe}${unit}, from each system's latest snapshot.`);
        probeFamilies.set(name, target);
      }
      const labels: Array<[string, string]> = [['system', system]];
      const names = new Set(['system']);
      for (const key of Object.keys(metric.labels).sort()) {
        const label = prometheusLabel(key);
        if (names.has(label)) continue;
        names.add(label);
        labels.push([label, metric.labels[key] ?? '']);
      }
      target.add(labels, metric.value * factor);
    }
  }

  const open = family('prodeng_findings_open', 'gauge', 'Open findings (not suppressed) by system, aspect and severity; every severity of an aspect with open findings.');
  const bySystemAspect = new Map<string, Map<string, number>>();
  for (const count of input.openFindings) {
    const key = `${count.system}\0${count.aspect}`;
    const bySeverity = bySystemAspect.get(key) ?? new Map<string, number>();
    bySeverity.set(count.severity, (bySeverity.get(count.severity) ?? 0) + count.count);
    bySystemAspect.set(key, bySeverity);
  }
  const keys = [...bySystemAspect.keys()].sort((a, b) => {
    const [sa = '', aa = ''] = a.split('\0');
    const [sb = '', ab = ''] = b.split('\0');
    return sa < sb ? -1 : sa > sb ? 1 : ASPECTS.indexOf(aa as never) - ASPECTS.indexOf(ab as never);
  });
  for (const key of keys) {
    const [system = '', aspect = ''] = key.split('\0');
    const bySeverity = bySystemAspect.get(key)!;
    for (const severity of SEVERITIES) {
      open.add(
        [
          ['system', system],
          ['aspect', aspect],
          ['severity', severity],
        ],
        bySeverity.get(severity) ?? 0,
      );
    }
  }

  if (input.scheduler !== null) {
    const lastRun = family('prodeng_scheduler_last_run_timestamp_seconds', 'gauge', 'Start of the latest observation of each system, Unix time.');
    const duration = family('prodeng_scheduler_last_run_duration_seconds', 'gauge', 'How long the latest observation of each system took.');
    const nextRun = family('prodeng_scheduler_next_run_timestamp_seconds', 'gauge', 'When the next scheduled observation of each system starts, Unix time.');
    const runs = family('prodeng_scheduler_runs_total', 'counter', 'Observations run by this process, by system and outcome.');
    const running = family('prodeng_scheduler_running', 'gauge', '1 while an observation of the system runs.');
    const failures = family('prodeng_scheduler_consecutive_failures', 'gauge', 'Observations of the system in a row that ended failed or in error.');
    for (const state of input.scheduler) {
      const system: Array<[string, string]> = [['system', state.system]];
      const last = seconds(state.lastRunAt);
      if (last !== null) lastRun.add(system, last);
      if (state.lastDurationMs !== null) duration.add(system, state.lastDurationMs / 1000);
      const next = seconds(state.nextRunAt);
      if (next !== null) nextRun.add(system, next);
      for (const status of ['complete', 'partial', 'failed', 'error'] as const) runs.add([...system, ['status', status]], state.runs[status]);
      running.add(system, state.running ? 1 : 0);
      failures.add(system, state.failures);
    }
  }

  const all = [...families.values(), ...[...probeFamilies.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))];
  // A family without samples says nothing (and promtool frowns on it).
  return all
    .filter((f) => f.lines.length > 0)
    .map((f) => f.render())
    .join('');
}
