/**
 * Renders a {@link SnapshotDiff} for `prodeng diff`: a terminal view, JSON (a documented contract,
 * docs/report-format.md), and Markdown for a pull-request comment.
 */
import { styleText } from 'node:util';
import type { MetricChange, SnapshotDiff } from '../analysis/diff.js';
import type { FindingRecord } from '../core/model.js';
import type { StoredFinding } from '../store/store.js';
import { escapeControls, escapeMarkdownInline } from './escape.js';
import { formatInstant, formatLocation, formatNumber, formatRevision } from './format.js';
import { rankFindings } from './priority.js';
import { padEnd, truncateEnd } from './string-width.js';

export type DiffFormat = 'table' | 'json' | 'markdown';

const SECTIONS = [
  ['new', 'New'],
  ['reopened', 'Reopened'],
  ['resolved', 'Resolved'],
  ['unobserved', 'Not observed (probe did not run completely)'],
] as const;

export function renderDiff(diff: SnapshotDiff, format: DiffFormat, options: { now: Date; color: boolean; width?: number }): string {
  const ranked = Object.fromEntries(SECTIONS.map(([key]) => [key, rankFindings(diff.findings[key], options.now)])) as Record<
    (typeof SECTIONS)[number][0],
    FindingRecord[]
  >;
  if (format === 'json') {
    return `${JSON.stringify({ schemaVersion: 1, system: diff.system, from: diff.from, to: diff.to, findings: ranked, metrics: diff.metrics }, null, 2)}\n`;
  }
  if (format === 'markdown') return renderMarkdown(diff, ranked);
  return renderTable(diff, ranked, options);
}

function snapshotLabel(ref: SnapshotDiff['from']): string {
  return `${ref.id.slice(0, 10)} (${formatInstant(ref.startedAt)}, ${formatRevision(ref.revision)})`;
}

function metricName(change: MetricChange): string {
  const labels = Object.keys(change.labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(change.labels[k])}`)
    .join(',');
  return `${change.name}${labels ? `{${labels}}` : ''}`;
}

function metricDelta(change: MetricChange): string {
  const from = change.from === null ? '—' : formatNumber(change.from);
  const to = change.to === null ? '—' : formatNumber(change.to);
  const delta = change.delta === null ? '' : ` (${change.delta > 0 ? '+' : ''}${formatNumber(change.delta)}${change.deltaPercent === null ? '' : `, ${change.deltaPercent > 0 ? '+' : ''}${change.deltaPercent}%`})`;
  return `${from} → ${to}${change.unit ? ` ${change.unit}` : ''}${delta}`;
}

function renderTable(diff: SnapshotDiff, ranked: Record<string, FindingRecord[]>, options: { color: boolean; width?: number }): string {
  const paint = (style: Parameters<typeof styleText>[0], text: string) => (options.color ? styleText(style, text) : text);
  const width = options.width ?? 100;
  const out = [
    paint('bold', `${escapeControls(diff.system)}: ${snapshotLabel(diff.from)} → ${snapshotLabel(diff.to)}`),
    `findings: ${diff.findings.new.length} new, ${diff.findings.reopened.length} reopened, ${diff.findings.resolved.length} resolved` +
      (diff.findings.unobserved.length ? `, ${diff.findings.unobserved.length} not observed` : ''),
  ];
  for (const [key, title] of SECTIONS) {
    const findings = ranked[key] ?? [];
    if (findings.length === 0) continue;
    out.push('', paint('bold', `${title} (${findings.length})`));
    for (const finding of findings) out.push(`  ${findingLine(finding, width - 2, paint)}`);
  }
  out.push('', paint('bold', `Metrics that moved (${diff.metrics.length})`));
  if (diff.metrics.length === 0) out.push('  none');
  const nameWidth = Math.min(50, Math.max(0, ...diff.metrics.map((m) => metricName(m).length)));
  for (const change of diff.metrics) {
    out.push(`  ${padEnd(truncateEnd(escapeControls(metricName(change)), nameWidth), nameWidth)}  ${metricDelta(change)}`);
  }
  return `${out.join('\n')}\n`;
}

function findingLine(finding: StoredFinding, width: number, paint: (style: Parameters<typeof styleText>[0], text: string) => string): string {
  const severity = padEnd(finding.severity, 8);
  const colored = finding.severity === 'critical' || finding.severity === 'high' ? paint('red', severity) : finding.severity === 'medium' ? paint('yellow', severity) : severity;
  const location = escapeControls(formatLocation(finding.location));
  const rest = `${finding.rule}  ${escapeControls(finding.title)}`;
  return `${colored}  ${truncateEnd(rest, Math.max(20, width - 10 - location.length - 2))}  ${location}`;
}

function renderMarkdown(diff: SnapshotDiff, ranked: Record<string, FindingRecord[]>): string {
  const cell = escapeMarkdownInline;
  const out = [
    `### prodeng diff: ${cell(diff.system)}`,
    '',
    `\`${diff.from.id.slice(0, 10)}\` → \`${diff.to.id.slice(0, 10)}\`: **${diff.findings.new.length} new**, ${diff.findings.reopened.length} reopened, **${diff.findings.resolved.length} resolved**`,
  ];
  for (const [key, title] of SECTIONS) {
    const findings = ranked[key] ?? [];
    if (findings.length === 0) continue;
    out.push('', `#### ${title} (${findings.length})`, '', '| Severity | Rule | Finding | Location |', '| --- | --- | --- | --- |');
    for (const f of findings) out.push(`| ${f.severity} | \`${f.rule}\` | ${cell(f.title)} | ${cell(formatLocation(f.location))} |`);
  }
  if (diff.metrics.length > 0) {
    out.push('', '<details><summary>Metrics that moved</summary>', '', '| Metric | Change |', '| --- | --- |');
    for (const change of diff.metrics) out.push(`| ${cell(metricName(change))} | ${cell(metricDelta(change))} |`);
    out.push('', '</details>');
  }
  return `${out.join('\n')}\n`;
}
