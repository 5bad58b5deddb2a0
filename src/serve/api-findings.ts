/**
 * The findings of every system as the API serves them: filtered in the database, ranked here
 * (priority depends on the clock, so it is never stored: docs/priority.md), and only the page asked
 * for read in full. Ranking reads a few columns of every matching finding; the text, data and
 * location of 50 of them. Also the exports: CSV (RFC 4180, guarded against formula injection) and
 * Markdown.
 */
import { SEVERITIES, severityRank, type FindingRecord, type Severity } from '../core/model.js';
import { escapeMarkdownInline } from '../report/escape.js';
import { priority, rankFindings, type UnrankedFinding } from '../report/priority.js';
import { toJsonValue } from '../report/json.js';
import type { FindingFilter, FindingRank, Store, StoredFinding } from '../store/store.js';
import type { FindingsQuery } from './api-schemas.js';

const DAY_MS = 86_400_000;

/** The report's shape of a finding (docs/report-format.md), fields in the documented order. */
export interface ApiFinding {
  fingerprint: string;
  system: string;
  probe: string;
  rule: string;
  aspect: FindingRecord['aspect'];
  severity: Severity;
  title: string;
  message: string;
  location: FindingRecord['location'];
  status: FindingRecord['status'];
  firstSeen: string;
  lastSeen: string;
  data: unknown;
  remediation: string | null;
  effort: FindingRecord['effort'];
  suppressed?: { reason: string; until: string | null };
  priority: number;
}

export function toApiFinding(record: FindingRecord): ApiFinding {
  const location = record.location === null ? null : 'url' in record.location ? { url: record.location.url } : { ...record.location };
  return {
    fingerprint: record.fingerprint,
    system: record.system,
    probe: record.probe,
    rule: record.rule,
    aspect: record.aspect,
    severity: record.severity,
    title: record.title,
    message: record.message,
    location,
    status: record.status,
    firstSeen: record.firstSeen,
    lastSeen: record.lastSeen,
    data: toJsonValue(record.data),
    remediation: record.remediation,
    effort: record.effort,
    ...(record.suppressed === undefined ? {} : { suppressed: { reason: record.suppressed.reason, until: record.suppressed.until } }),
    priority: record.priority,
  };
}

/** Findings ranked against `now` (backlog order) in the API's shape. */
export function rankedApiFindings(findings: readonly StoredFinding[], now: Date): ApiFinding[] {
  return rankFindings(findings, now).map(toApiFinding);
}

/** The store filter a query asks for. `severity`: one value means "that and above", several exactly those. */
export function findingFilter(query: FindingsQuery, now: Date): FindingFilter {
  const filter: FindingFilter = { state: query.status, includeSuppressed: query.suppressed === 'include' };
  if (query.system !== undefined) filter.systems = [...new Set(query.system)];
  if (query.aspect !== undefined) filter.aspects = [...new Set(query.aspect)];
  if (query.severity !== undefined) {
    const [only] = query.severity;
    filter.severities = query.severity.length === 1 && only !== undefined ? SEVERITIES.filter((s) => severityRank(s) >= severityRank(only)) : [...new Set(query.severity)];
  }
  if (query.rule !== undefined) filter.rules = [...new Set(query.rule)];
  if (query.minAgeDays !== undefined) filter.firstSeenAtOrBefore = new Date(now.getTime() - query.minAgeDays * DAY_MS).toISOString();
  if (query.q !== undefined && query.q.trim() !== '') filter.text = query.q.trim();
  return filter;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Orders ranks as asked: always backlog before resolved before suppressed (as in reports), then by
 * the chosen key, then the backlog order of `compareRanked` (report/priority.ts) — a total order,
 * so pages never overlap. The keys are computed once per finding: tens of thousands are sorted for
 * every page.
 */
export function sortRanks(ranks: readonly FindingRank[], sort: FindingsQuery['sort'], now: Date): FindingRank[] {
  const keyed = ranks.map((rank) => {
    // priority() reads severity, aspect, firstSeen and effort only: a rank has them all.
    const value = priority({ severity: rank.severity, aspect: rank.aspect, firstSeen: rank.firstSeen, effort: rank.effort } as UnrankedFinding, now);
    const first = Date.parse(rank.firstSeen);
    return {
      rank,
      group: rank.suppressed ? 2 : rank.status === 'resolved' ? 1 : 0,
      priority: value,
      severity: severityRank(rank.severity),
      first: Number.isNaN(first) ? Number.POSITIVE_INFINITY : first,
      last: Date.parse(rank.lastSeen) || 0,
    };
  });
  type Keyed = (typeof keyed)[number];
  const byKey: (a: Keyed, b: Keyed) => number =
    sort === 'age' ? (a, b) => a.first - b.first : sort === 'severity' ? (a, b) => b.severity - a.severity : sort === 'lastSeen' ? (a, b) => b.last - a.last : () => 0;
  keyed.sort(
    (a, b) =>
      a.group - b.group ||
      byKey(a, b) ||
      b.priority - a.priority ||
      b.severity - a.severity ||
      (a.first === b.first ? 0 : a.first < b.first ? -1 : 1) ||
      compareText(a.rank.firstSeen, b.rank.firstSeen) ||
      compareText(a.rank.fingerprint, b.rank.fingerprint) ||
      compareText(a.rank.system, b.rank.system),
  );
  return keyed.map((entry) => entry.rank);
}

/** Reads the findings of `ranks` in full, in order (in chunks: an export can be every finding). */
export async function loadRanked(store: Store, ranks: readonly FindingRank[], now: Date): Promise<ApiFinding[]> {
  const out: ApiFinding[] = [];
  for (let i = 0; i < ranks.length; i += 1000) {
    const findings = await store.findingsByRef(ranks.slice(i, i + 1000).map((rank) => rank.ref));
    for (const finding of findings) out.push(toApiFinding({ ...finding, priority: priority(finding, now) }));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Exports

const CSV_COLUMNS = [
  'priority',
  'severity',
  'status',
  'system',
  'aspect',
  'rule',
  'title',
  'message',
  'location',
  'firstSeen',
  'lastSeen',
  'effort',
  'suppressed',
  'fingerprint',
] as const;

/**
 * One CSV cell. A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@` (or a tab or CR
 * before one) as a formula; repository text must never be one, so such a cell gets a leading `'`
 * (OWASP's advice). Then RFC 4180 quoting.
 */
export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function locationText(location: ApiFinding['location']): string {
  if (location === null) return '';
  if ('url' in location) return location.url;
  return `${location.path}${location.line === undefined ? '' : `:${location.line}`}${location.column === undefined ? '' : `:${location.column}`}`;
}

export function findingsCsv(findings: readonly ApiFinding[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const f of findings) {
    const row: Record<(typeof CSV_COLUMNS)[number], string | number | null> = {
      priority: f.priority,
      severity: f.severity,
      status: f.status,
      system: f.system,
      aspect: f.aspect,
      rule: f.rule,
      title: f.title,
      message: f.message,
      location: locationText(f.location),
      firstSeen: f.firstSeen,
      lastSeen: f.lastSeen,
      effort: f.effort,
      suppressed: f.suppressed === undefined ? null : f.suppressed.reason,
      fingerprint: f.fingerprint,
    };
    lines.push(CSV_COLUMNS.map((column) => csvCell(row[column])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function findingsMarkdown(findings: readonly ApiFinding[], generatedAt: string): string {
  const cell = (text: string) => escapeMarkdownInline(text);
  const lines = [
    `# prodeng findings`,
    '',
    `${findings.length} finding${findings.length === 1 ? '' : 's'}, ${generatedAt.slice(0, 10)}, highest priority first.`,
    '',
    '| Priority | Severity | System | Finding | Location | Rule | First seen |',
    '| ---: | --- | --- | --- | --- | --- | --- |',
  ];
  for (const f of findings) {
    const status = f.status === 'resolved' ? ' (resolved)' : f.suppressed !== undefined ? ` (suppressed: ${f.suppressed.reason})` : '';
    lines.push(
      `| ${f.priority} | ${f.severity} | ${cell(f.system)} | ${cell(f.title + status)} | ${cell(locationText(f.location))} | ${cell(f.rule)} | ${f.firstSeen.slice(0, 10)} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
