/**
 * The Markdown reporter, shaped for a pull-request comment (GitHub-flavoured Markdown): a heading,
 * a summary line, the top of the backlog as a table, and the details (probe runs, errors, metrics,
 * what was resolved) folded into a `<details>` block so the comment stays short.
 *
 * Every piece of report text goes through `escapeMarkdownInline`: a hostile title can neither
 * break the table, inject HTML, load an image, nor mention people. The only HTML emitted is the
 * fixed `<details>`/`<summary>` pair.
 */
import type { FindingRecord, MetricRecord, Report, SnapshotRecord } from '../core/model.js';
import { probeNotes, probeSections } from './sections.js';
import { escapeMarkdownInline } from './escape.js';
import {
  formatAge,
  formatDuration,
  formatInstant,
  formatLocation,
  formatNumber,
  formatRevision,
  isBacklog,
  sectionsBySystem,
  summarize,
} from './format.js';
import type { BacklogSummary } from './format.js';
import { resolveLimit } from './reporter.js';
import type { RenderOptions, Reporter } from './reporter.js';

/** Metric rows in the details before "… and N more": GitHub comments are capped at 65,536 characters. */
const MAX_METRICS = 100;

const md = escapeMarkdownInline;

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function summaryLine(summary: BacklogSummary): string {
  const bySeverity = (Object.keys(summary.open) as (keyof BacklogSummary['open'])[])
    .filter((severity) => summary.open[severity] > 0)
    .map((severity) => `${summary.open[severity]} ${severity}`);
  const parts = [`**${summary.openTotal} open**${bySeverity.length > 0 ? ` (${bySeverity.join(', ')})` : ''}`];
  parts.push(`**${summary.new} new**`);
  if (summary.reopened > 0) parts.push(`${summary.reopened} reopened`);
  parts.push(`**${summary.resolved} resolved** since the last snapshot`);
  if (summary.suppressed > 0) parts.push(`${summary.suppressed} suppressed`);
  return parts.join(' · ');
}

function snapshotLine(snapshot: SnapshotRecord, now: Date): string {
  const counts = new Map<string, number>();
  for (const run of snapshot.probes) counts.set(run.status, (counts.get(run.status) ?? 0) + 1);
  const probes = [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
  return [
    `**${md(snapshot.system)}**`,
    snapshot.status,
    md(`${formatInstant(snapshot.finishedAt)} (${formatAge(snapshot.finishedAt, now)} ago)`),
    md(formatRevision(snapshot.revision)),
    `probes: ${probes === '' ? 'none' : probes}`,
  ].join(' · ');
}

function findingsTable(findings: FindingRecord[], withSystem: boolean, now: Date, withMarker: boolean): string[] {
  const headers = ['#', 'Severity', ...(withSystem ? ['System'] : []), 'Rule', 'Title', 'Location', 'Age'];
  const align = ['--:', '---', ...(withSystem ? ['---'] : []), '---', '---', '---', '--:'];
  if (withMarker) {
    headers.push('Status');
    align.push('---');
  }
  const lines = [row(headers), row(align)];
  findings.forEach((finding, index) => {
    const severity = finding.severity === 'critical' || finding.severity === 'high' ? `**${finding.severity}**` : finding.severity;
    const cells = [
      String(index + 1),
      severity,
      ...(withSystem ? [md(finding.system)] : []),
      md(finding.rule),
      md(finding.title),
      md(formatLocation(finding.location)),
      md(formatAge(finding.firstSeen, now)),
    ];
    if (withMarker) cells.push(finding.status === 'new' || finding.status === 'reopened' ? finding.status : '');
    lines.push(row(cells));
  });
  return lines;
}

/** Errors listed per probe; the JSON report has all of them. */
const MAX_ERRORS_SHOWN = 8;

function probeTable(snapshot: SnapshotRecord): string[] {
  if (snapshot.probes.length === 0) return [];
  const lines = [row(['Probe', 'Status', 'Duration', 'Notes and errors']), row(['---', '---', '--:', '---'])];
  for (const run of snapshot.probes) {
    const errors = run.errors.slice(0, MAX_ERRORS_SHOWN).map((error) => {
      const where = error.path === undefined ? '' : ` (${error.path})`;
      const code = error.code === undefined ? '' : ` [${error.code}]`;
      return md(`${error.message}${where}${code}`);
    });
    if (run.errors.length > MAX_ERRORS_SHOWN) errors.push(`… and ${run.errors.length - MAX_ERRORS_SHOWN} more`);
    const notes = probeNotes(run).map(md);
    const duration = run.status === 'skipped' ? '' : formatDuration(run.durationMs);
    lines.push(row([md(run.id), run.status, duration, [...notes, ...errors].join('; ')]));
  }
  return lines;
}

function metricsTable(metrics: MetricRecord[]): string[] {
  if (metrics.length === 0) return [];
  const lines = [row(['Metric', 'Labels', 'Value', 'Unit']), row(['---', '---', '--:', '---'])];
  for (const metric of metrics.slice(0, MAX_METRICS)) {
    const labels = Object.keys(metric.labels)
      .sort()
      .map((key) => `${key}=${metric.labels[key] ?? ''}`)
      .join(', ');
    lines.push(row([md(`${metric.probe}: ${metric.name}`), md(labels), formatNumber(metric.value), md(metric.unit)]));
  }
  if (metrics.length > MAX_METRICS) lines.push('', `… and ${metrics.length - MAX_METRICS} more metrics.`);
  return lines;
}

export const markdownReporter: Reporter = {
  render(report: Report, options: RenderOptions): string {
    const sections = sectionsBySystem(report.snapshots, report.findings, report.metrics);
    const onlySystem = sections.length === 1 ? sections[0] : undefined;
    const out: string[] = [onlySystem === undefined ? '## prodeng report' : `## prodeng: ${md(onlySystem.system)}`, ''];

    out.push(summaryLine(summarize(report.findings)), '');
    if (report.snapshots.length === 0) out.push('No snapshots in this report.', '');
    else if (report.snapshots.length === 1 && report.snapshots[0] !== undefined) {
      out.push(snapshotLine(report.snapshots[0], options.now), '');
    } else {
      for (const snapshot of report.snapshots) out.push(`- ${snapshotLine(snapshot, options.now)}`);
      out.push('');
    }

    const backlog = report.findings.filter(isBacklog);
    const limit = resolveLimit(options);
    const shown = backlog.slice(0, limit);
    const withSystem = sections.length > 1;
    if (backlog.length === 0) out.push('No open findings.', '');
    else {
      if (shown.length > 0) {
        const withMarker = shown.some((finding) => finding.status === 'new' || finding.status === 'reopened');
        for (const line of findingsTable(shown, withSystem, options.now, withMarker)) out.push(line);
        out.push('');
      }
      if (backlog.length > shown.length) {
        out.push(`… and ${backlog.length - shown.length} more (use \`--format json\` for all).`, '');
      }
    }

    for (const extra of probeSections(report.snapshots)) {
      out.push(`### ${md(extra.title)}${withSystem ? ` (${md(extra.system)})` : ''}`, '');
      // `1.` at the start of an item would open a nested ordered list.
      for (const item of extra.items.slice(0, limit)) out.push(`- ${md(item).replace(/^(\d+)\./, '$1\\.')}`);
      if (extra.items.length > limit) out.push(`- … and ${extra.items.length - limit} more`);
      out.push('');
    }

    // A blank line after <summary> and before </details> lets GitHub render the Markdown inside.
    const details: string[] = [];
    for (const section of sections) {
      details.push(`### ${md(section.system)}`, '');
      for (const snapshot of section.snapshots) {
        const probes = probeTable(snapshot);
        details.push(`Snapshot ${md(snapshot.id)}: ${snapshotLine(snapshot, options.now)}`, '');
        if (probes.length > 0) details.push(...probes, '');
      }
      const metrics = metricsTable(section.metrics);
      if (metrics.length > 0) details.push(...metrics, '');
      const allResolved = section.findings.filter((finding) => finding.status === 'resolved');
      const resolved = allResolved.slice(0, limit);
      if (resolved.length > 0) {
        details.push('Resolved since the last snapshot:', '');
        for (const finding of resolved) {
          const where = formatLocation(finding.location);
          details.push(`- ${finding.severity} ${md(finding.rule)}: ${md(finding.title)}${where === '' ? '' : ` (${md(where)})`}`);
        }
        if (allResolved.length > resolved.length) details.push(`- … and ${allResolved.length - resolved.length} more`);
        details.push('');
      }
    }
    if (details.length > 0) {
      out.push('<details>', '<summary>Probes, metrics and resolved findings</summary>', '', ...details, '</details>', '');
    }

    out.push(`_Generated by prodeng ${md(report.tool.version)} at ${md(formatInstant(report.generatedAt))}._`);
    return `${out.join('\n')}\n`;
  },
};
