/**
 * The table reporter: the backlog for a human at a terminal. Per system: the snapshot header(s)
 * with probe statuses and errors, the top findings as an aligned table fitted to the terminal
 * width, a compact metrics summary and a one-line summary.
 *
 * All repository-controlled text goes through `escapeControls` before it is measured or printed,
 * so hostile titles cannot emit escape sequences, and widths are measured in terminal columns
 * (CJK counts two). Colour is applied after measuring and padding, and only when asked for.
 */
import { styleText } from 'node:util';
import type { FindingRecord, ProbeRunStatus, Report, Severity, SnapshotRecord, SnapshotStatus } from '../core/model.js';
import { escapeControls } from './escape.js';
import { probeNotes, probeSections } from './sections.js';
import {
  formatAge,
  formatDuration,
  formatInstant,
  formatLocation,
  formatMetric,
  formatRevision,
  isBacklog,
  sectionsBySystem,
  summarize,
} from './format.js';
import type { BacklogSummary, SystemSection } from './format.js';
import { DEFAULT_TERMINAL_WIDTH, resolveLimit } from './reporter.js';
import type { RenderOptions, Reporter } from './reporter.js';
import { padEnd, padStart, stringWidth, truncateEnd, truncateStart } from './string-width.js';

type Style = Parameters<typeof styleText>[0];

const SEVERITY_STYLES: Record<Severity, Style> = {
  critical: ['bold', 'red'],
  high: 'red',
  medium: 'yellow',
  low: 'cyan',
  info: 'gray',
};
const SNAPSHOT_STYLES: Record<SnapshotStatus, Style> = { complete: 'green', partial: 'yellow', failed: 'red' };
const PROBE_STYLES: Record<ProbeRunStatus, Style> = { ok: 'green', partial: 'yellow', failed: 'red', skipped: 'gray' };

/** Metrics shown per system before "… and N more"; the table is a glance, JSON has them all. */
const MAX_METRICS = 40;
/**
 * The title is what a reader scans, so it is guaranteed a third of the line (at least 16 columns):
 * location and rule give up width (down to 12 columns) before the title is cut harder.
 */
const MIN_TITLE_WIDTH = 16;
const TITLE_SHARE = 1 / 3;
const MIN_SHRUNK_WIDTH = 12;
const MAX_RULE_WIDTH = 28;
const MAX_LOCATION_WIDTH = 40;
const GAP = '  ';
const INDENT = '  ';

interface Painter {
  (style: Style, text: string): string;
}

function painter(color: boolean): Painter {
  // validateStream: false — whether to colour is the caller's decision (TTY, NO_COLOR, flags),
  // not the process's stdout's: the output may be going to a file or a pager.
  return color ? (style, text) => (text === '' ? text : styleText(style, text, { validateStream: false })) : (_style, text) => text;
}

/** A table cell: plain text (already escaped) plus the style to paint it with after padding. */
interface Cell {
  text: string;
  style?: Style;
}

interface Column {
  header: string;
  align: 'left' | 'right';
  width: number;
  /** How to cut a value that does not fit. */
  cut: 'end' | 'start';
}

function fitCell(text: string, column: Column): string {
  const cut = column.cut === 'end' ? truncateEnd(text, column.width) : truncateStart(text, column.width);
  return column.align === 'right' ? padStart(cut, column.width) : padEnd(cut, column.width);
}

function renderRow(cells: Cell[], columns: Column[], paint: Painter): string {
  const parts = cells.map((cell, index) => {
    const column = columns[index];
    if (column === undefined) return '';
    const fitted = fitCell(cell.text, column);
    if (cell.style === undefined) return fitted;
    // Style the visible text only, so padding stays outside the escape codes.
    const visible = fitted.trimEnd();
    const leading = fitted.length - fitted.trimStart().length;
    return (
      fitted.slice(0, leading) +
      paint(cell.style, visible.slice(leading)) +
      ' '.repeat(fitted.length - visible.length)
    );
  });
  return parts.join(GAP).replace(/ +$/, '');
}

function markerOf(finding: FindingRecord): Cell {
  if (finding.status === 'new') return { text: 'new', style: 'green' };
  if (finding.status === 'reopened') return { text: 'reopened', style: 'magenta' };
  return { text: '' };
}

function backlogTable(findings: FindingRecord[], options: RenderOptions, paint: Painter): string[] {
  const width = Math.max(40, Math.floor(options.terminalWidth ?? DEFAULT_TERMINAL_WIDTH));
  const rows: Cell[][] = findings.map((finding, index) => [
    { text: String(index + 1) },
    { text: finding.severity, style: SEVERITY_STYLES[finding.severity] },
    { text: escapeControls(finding.rule) },
    { text: escapeControls(finding.title) },
    { text: escapeControls(formatLocation(finding.location)) },
    { text: formatAge(finding.firstSeen, options.now) },
    markerOf(finding),
  ]);
  const hasMarkers = rows.some((row) => row[6]?.text !== '');
  const natural = (index: number, header: string): number =>
    rows.reduce((widest, row) => Math.max(widest, stringWidth(row[index]?.text ?? '')), stringWidth(header));

  const columns: Column[] = [
    { header: '#', align: 'right', width: natural(0, '#'), cut: 'end' },
    { header: 'Severity', align: 'left', width: natural(1, 'Severity'), cut: 'end' },
    { header: 'Rule', align: 'left', width: Math.min(MAX_RULE_WIDTH, natural(2, 'Rule')), cut: 'end' },
    { header: 'Title', align: 'left', width: 0, cut: 'end' },
    { header: 'Location', align: 'left', width: Math.min(MAX_LOCATION_WIDTH, natural(4, 'Location')), cut: 'start' },
    { header: 'Age', align: 'right', width: natural(5, 'Age'), cut: 'end' },
  ];
  if (hasMarkers) columns.push({ header: '', align: 'left', width: natural(6, ''), cut: 'end' });
  const [, , rule, title, location] = columns;
  if (rule === undefined || title === undefined || location === undefined) return [];

  // The title takes what the other columns leave; when that is too little, narrower location and
  // rule columns make room before the line is allowed to overflow.
  const othersWidth = (): number =>
    columns.reduce((sum, column) => (column === title ? sum : sum + column.width), 0) +
    GAP.length * (columns.length - 1);
  const titleNatural = natural(3, 'Title');
  const wanted = Math.min(titleNatural, Math.max(MIN_TITLE_WIDTH, Math.floor(width * TITLE_SHARE)));
  let room = width - othersWidth();
  for (const column of [location, rule]) {
    if (room >= wanted) break;
    const give = Math.min(wanted - room, Math.max(0, column.width - MIN_SHRUNK_WIDTH));
    column.width -= give;
    room += give;
  }
  // On absurdly narrow terminals the line overflows rather than the title disappearing.
  title.width = Math.max(Math.min(MIN_TITLE_WIDTH, titleNatural), Math.min(room, titleNatural));

  const header = columns.map((column): Cell => ({ text: column.header, style: 'dim' }));
  const trimmedRows = hasMarkers ? rows : rows.map((row) => row.slice(0, 6));
  return [renderRow(header, columns, paint), ...trimmedRows.map((row) => renderRow(row, columns, paint))];
}

interface PackItem {
  /** Columns of the item's visible text. */
  width: number;
  /** The item as printed (possibly with colour codes). */
  painted: string;
}

/**
 * Lays items out after `lead`, separated by `separator`, starting a new line (indented under the
 * first item) whenever the next one would pass `width`. Widths are measured on plain text because
 * the painted form carries invisible escape codes.
 */
function pack(lead: string, items: PackItem[], separator: string, width: number): string[] {
  const continuation = ' '.repeat(stringWidth(lead));
  const lines: string[] = [];
  let line = lead;
  let lineWidth = stringWidth(lead);
  let first = true;
  for (const item of items) {
    if (!first && lineWidth + stringWidth(separator) + item.width > width) {
      lines.push(line);
      line = continuation;
      lineWidth = stringWidth(continuation);
      first = true;
    }
    const gap = first ? ' ' : separator;
    line += gap + item.painted;
    lineWidth += stringWidth(gap) + item.width;
    first = false;
  }
  lines.push(line);
  return lines;
}

/** Errors listed per probe in the header; the JSON report has all of them. */
const MAX_ERRORS_SHOWN = 8;

function snapshotHeader(snapshot: SnapshotRecord, options: RenderOptions, paint: Painter): string[] {
  const width = options.terminalWidth ?? DEFAULT_TERMINAL_WIDTH;
  const when = `${formatInstant(snapshot.finishedAt)} (${formatAge(snapshot.finishedAt, options.now)} ago)`;
  const lines = [
    [
      paint('bold', escapeControls(snapshot.system)),
      paint(SNAPSHOT_STYLES[snapshot.status], snapshot.status),
      escapeControls(when),
      escapeControls(formatRevision(snapshot.revision)),
    ].join(GAP),
  ];

  if (snapshot.probes.length === 0) lines.push(`${INDENT}probes: none`);
  else {
    const items = snapshot.probes.map((run): PackItem => {
      const duration = run.status === 'skipped' ? '' : ` ${formatDuration(run.durationMs)}`;
      const id = escapeControls(run.id);
      return {
        width: stringWidth(`${id} ${run.status}${duration}`),
        painted: `${id} ${paint(PROBE_STYLES[run.status], run.status)}${duration}`,
      };
    });
    lines.push(...pack(`${INDENT}probes:`, items, ' · ', width));
  }

  for (const run of snapshot.probes) {
    for (const note of probeNotes(run)) lines.push(truncateEnd(`${INDENT}${escapeControls(`${run.id}: ${note}`)}`, width));
    // A probe with many file-scoped errors would bury the backlog: the first few, then a count.
    for (const error of run.errors.slice(0, MAX_ERRORS_SHOWN)) {
      const mark = run.status === 'failed' ? paint('red', '✗') : paint('yellow', '!');
      const where = error.path === undefined ? '' : ` (${error.path})`;
      const code = error.code === undefined ? '' : ` [${error.code}]`;
      lines.push(`${INDENT}${mark} ${escapeControls(`${run.id}: ${error.message}${where}${code}`)}`);
    }
    if (run.errors.length > MAX_ERRORS_SHOWN) {
      lines.push(`${INDENT}  … and ${run.errors.length - MAX_ERRORS_SHOWN} more ${escapeControls(run.id)} errors (use --format json for all)`);
    }
    if (run.status === 'failed' && run.errors.length === 0) {
      lines.push(`${INDENT}${paint('red', '✗')} ${escapeControls(run.id)}: failed without an error message`);
    }
  }
  return lines;
}

function metricsLines(section: SystemSection, options: RenderOptions): string[] {
  if (section.metrics.length === 0) return [];
  const width = Math.max(40, options.terminalWidth ?? DEFAULT_TERMINAL_WIDTH);
  const lead = `${INDENT}metrics:`;
  const room = width - stringWidth(lead) - 1;
  const texts = section.metrics.slice(0, MAX_METRICS).map((metric) => truncateEnd(escapeControls(formatMetric(metric)), room));
  const rest = section.metrics.length - texts.length;
  if (rest > 0) texts.push(`… and ${rest} more`);
  return pack(lead, texts.map((text) => ({ width: stringWidth(text), painted: text })), '  ', width);
}

/** `6 open (1 critical, 2 high, 3 info) · 2 new · 3 resolved since last snapshot · 1 suppressed` */
export function summaryLine(summary: BacklogSummary, paint: Painter = (_style, text) => text): string {
  const bySeverity = (Object.keys(summary.open) as Severity[])
    .filter((severity) => summary.open[severity] > 0)
    .map((severity) => paint(SEVERITY_STYLES[severity], `${summary.open[severity]} ${severity}`));
  const parts = [`${summary.openTotal} open${bySeverity.length > 0 ? ` (${bySeverity.join(', ')})` : ''}`];
  parts.push(`${summary.new} new`);
  if (summary.reopened > 0) parts.push(`${summary.reopened} reopened`);
  parts.push(`${summary.resolved} resolved since last snapshot`);
  if (summary.suppressed > 0) parts.push(`${summary.suppressed} suppressed`);
  return parts.join(' · ');
}

function renderSection(section: SystemSection, options: RenderOptions, paint: Painter): string[] {
  const lines: string[] = [];
  if (section.snapshots.length === 0) {
    lines.push(`${paint('bold', escapeControls(section.system))}${GAP}no snapshot in this report`);
  }
  for (const snapshot of section.snapshots) for (const line of snapshotHeader(snapshot, options, paint)) lines.push(line);
  lines.push('');

  const backlog = section.findings.filter(isBacklog);
  const limit = resolveLimit(options);
  if (backlog.length === 0) lines.push('No open findings.');
  else {
    const shown = backlog.slice(0, limit);
    // Appended one by one: spreading 100k+ rows into push() would overflow the stack.
    for (const line of backlogTable(shown, options, paint)) lines.push(line);
    if (backlog.length > shown.length) {
      lines.push(`… and ${backlog.length - shown.length} more (use --format json for all)`);
    }
  }

  for (const extra of probeSections(section.snapshots)) {
    const width = Math.max(40, options.terminalWidth ?? DEFAULT_TERMINAL_WIDTH);
    lines.push('', paint('bold', `${escapeControls(extra.title)} (${extra.probe})`));
    for (const item of extra.items.slice(0, limit)) lines.push(truncateEnd(`${INDENT}${escapeControls(item)}`, width));
    if (extra.items.length > limit) lines.push(`${INDENT}… and ${extra.items.length - limit} more`);
  }

  const metrics = metricsLines(section, options);
  if (metrics.length > 0) lines.push('', ...metrics);
  lines.push('', summaryLine(summarize(section.findings), paint));
  return lines;
}

export const tableReporter: Reporter = {
  render(report: Report, options: RenderOptions): string {
    const paint = painter(options.color);
    const sections = sectionsBySystem(report.snapshots, report.findings, report.metrics);
    if (sections.length === 0) return `No snapshots and no findings.\n\n${summaryLine(summarize([]), paint)}\n`;
    const blocks = sections.map((section) => renderSection(section, options, paint).join('\n'));
    if (sections.length > 1) blocks.push(`Total: ${summaryLine(summarize(report.findings), paint)}`);
    return `${blocks.join('\n\n')}\n`;
  },
};
