/**
 * Small formatting pieces the human-oriented reporters (table, markdown) share. They return plain,
 * unescaped text; each reporter escapes for its medium.
 */
import { SEVERITIES } from '../core/model.js';
import type { FindingRecord, Location, MetricRecord, Severity, SnapshotRecord } from '../core/model.js';

const DAY_MS = 86_400_000;

/**
 * A compact age: `<1min`, `40min` and `5h` within a day, `12d` under two months, `5mo` under two years, then
 * `3y`. Coarse on purpose: the table answers "how long has this been neglected", not "when exactly".
 */
export function formatAge(since: string, now: Date): string {
  const elapsed = Math.max(0, now.getTime() - Date.parse(since));
  if (!Number.isFinite(elapsed)) return '?';
  if (elapsed < 60_000) return '<1min';
  if (elapsed < 3_600_000) return `${Math.floor(elapsed / 60_000)}min`;
  if (elapsed < DAY_MS) return `${Math.floor(elapsed / 3_600_000)}h`;
  const days = Math.floor(elapsed / DAY_MS);
  if (days < 60) return `${days}d`;
  if (days < 730) return `${Math.floor(days / 30.4375)}mo`;
  return `${Math.floor(days / 365.25)}y`;
}

/** `850ms`, `3.2s`, `2m05s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/** `2024-05-01 10:00 UTC`; the raw text when it is not a date. */
export function formatInstant(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const date = new Date(time);
  if (date.getUTCFullYear() < 0 || date.getUTCFullYear() > 9999) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `a1b2c3d (main)`, `a1b2c3d (detached)`, or `no revision`. */
export function formatRevision(revision: SnapshotRecord['revision']): string {
  if (revision === null) return 'no revision';
  const sha = revision.commit.slice(0, 7);
  return `${sha} (${revision.branch ?? 'detached'})`;
}

/** `src/a.ts:12:3`, `src/a.ts:12`, `src/a.ts`, the URL, or `` for no location. */
export function formatLocation(location: Location): string {
  if (location === null) return '';
  if ('url' in location) return location.url;
  if (location.line === undefined) return location.path;
  return location.column === undefined
    ? `${location.path}:${location.line}`
    : `${location.path}:${location.line}:${location.column}`;
}

/** Integers as they are, other numbers to at most 3 decimals (`0.333`), without exponent noise. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  if (!Number.isFinite(value)) return String(value);
  return String(Math.round(value * 1000) / 1000);
}

/** `todo.count{tag="FIXME"}=12 markers` (labels sorted by key, so the output is stable). */
export function formatMetric(metric: MetricRecord): string {
  const labels = Object.keys(metric.labels)
    .sort()
    .map((key) => `${key}=${JSON.stringify(metric.labels[key] ?? '')}`)
    .join(',');
  const unit = metric.unit === '' ? '' : ` ${metric.unit}`;
  return `${metric.name}${labels === '' ? '' : `{${labels}}`}=${formatNumber(metric.value)}${unit}`;
}

export interface BacklogSummary {
  /** Open (new, open, reopened), not suppressed, by severity. */
  open: Record<Severity, number>;
  openTotal: number;
  new: number;
  reopened: number;
  /** Resolved in the reported snapshot(s), i.e. since the previous snapshot. */
  resolved: number;
  /** Not resolved but hidden by an `ignore:` entry. */
  suppressed: number;
}

export function isBacklog(finding: FindingRecord): boolean {
  return finding.status !== 'resolved' && finding.suppressed === undefined;
}

export function summarize(findings: readonly FindingRecord[]): BacklogSummary {
  const open = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  const summary: BacklogSummary = { open, openTotal: 0, new: 0, reopened: 0, resolved: 0, suppressed: 0 };
  for (const finding of findings) {
    if (finding.status === 'resolved') {
      summary.resolved++;
      continue;
    }
    if (finding.suppressed !== undefined) {
      summary.suppressed++;
      continue;
    }
    open[finding.severity]++;
    summary.openTotal++;
    if (finding.status === 'new') summary.new++;
    if (finding.status === 'reopened') summary.reopened++;
  }
  return summary;
}

/** One section per system, in the order systems first appear (snapshots first, then findings). */
export interface SystemSection {
  system: string;
  snapshots: SnapshotRecord[];
  findings: FindingRecord[];
  metrics: MetricRecord[];
}

export function sectionsBySystem(
  snapshots: readonly SnapshotRecord[],
  findings: readonly FindingRecord[],
  metrics: readonly MetricRecord[],
): SystemSection[] {
  const sections = new Map<string, SystemSection>();
  const sectionOf = (system: string): SystemSection => {
    let section = sections.get(system);
    if (section === undefined) {
      section = { system, snapshots: [], findings: [], metrics: [] };
      sections.set(system, section);
    }
    return section;
  };
  for (const snapshot of snapshots) sectionOf(snapshot.system).snapshots.push(snapshot);
  for (const finding of findings) sectionOf(finding.system).findings.push(finding);
  for (const metric of metrics) sectionOf(metric.system).metrics.push(metric);
  return [...sections.values()];
}
