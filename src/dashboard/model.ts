/**
 * What the pages compute from the API's answers: the overview's columns and trends, findings by
 * aspect, the end-of-life buckets, the TLS matrix. Pure functions, tested without a DOM.
 */
import { MAIN_ASPECTS, SEVERITIES, type Counts, type EolItem, type Finding, type OverviewSystem, type Severity, type TlsEndpoint } from './types.ts';

export function emptyCounts(): Counts {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}

export function totalOf(counts: Partial<Counts> | null | undefined): number {
  if (!counts) return 0;
  return SEVERITIES.reduce((sum, severity) => sum + (counts[severity] ?? 0), 0);
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

/**
 * The overview's columns: the main aspects in their order, then every other aspect (in the order
 * the API lists them) that has open findings now or a week ago in some system.
 */
export function aspectColumns(systems: readonly OverviewSystem[], known: readonly string[] = []): string[] {
  const present = new Set<string>();
  for (const system of systems) {
    for (const [aspect, cell] of Object.entries(system.aspects)) {
      if (totalOf(cell.open) > 0 || totalOf(cell.weekAgo) > 0) present.add(aspect);
    }
  }
  const others = [...known, ...[...present].sort()].filter((aspect, i, all) => all.indexOf(aspect) === i && !(MAIN_ASPECTS as readonly string[]).includes(aspect) && present.has(aspect));
  return [...MAIN_ASPECTS, ...others];
}

export type TrendDirection = 'worse' | 'better' | 'same' | 'unknown';

/**
 * How open findings changed since a week ago: the most severe level whose count changed decides
 * the direction (one new critical is worse even when five lows were fixed); `delta` is the change
 * of the total.
 */
export function trendOf(now: Partial<Counts> | null | undefined, weekAgo: Partial<Counts> | null | undefined): { direction: TrendDirection; delta: number } {
  if (!weekAgo) return { direction: 'unknown', delta: 0 };
  const delta = totalOf(now) - totalOf(weekAgo);
  for (const severity of SEVERITIES) {
    const difference = (now?.[severity] ?? 0) - (weekAgo[severity] ?? 0);
    if (difference > 0) return { direction: 'worse', delta };
    if (difference < 0) return { direction: 'better', delta };
  }
  return { direction: 'same', delta };
}

/** Sums of a system's open findings over all aspects. */
export function systemCounts(system: OverviewSystem): Counts {
  const counts = emptyCounts();
  for (const cell of Object.values(system.aspects)) {
    for (const severity of SEVERITIES) counts[severity] += cell.open[severity] ?? 0;
  }
  return counts;
}

/** Compares counts from the most severe level down: negative when `a` is worse. */
export function compareSeverity(a: Counts, b: Counts): number {
  for (const severity of SEVERITIES) {
    if (a[severity] !== b[severity]) return b[severity] - a[severity];
  }
  return 0;
}

export type SystemOrder = 'name' | 'worst';

/** The overview's rows: filtered by a case-insensitive substring of the name, in the chosen order. */
export function overviewRows(systems: readonly OverviewSystem[], filter: string, order: SystemOrder): OverviewSystem[] {
  const needle = filter.trim().toLowerCase();
  const rows = needle ? systems.filter((system) => system.name.toLowerCase().includes(needle)) : [...systems];
  if (order === 'worst') {
    const counts = new Map(rows.map((system) => [system, systemCounts(system)]));
    rows.sort((a, b) => compareSeverity(counts.get(a)!, counts.get(b)!) || a.name.localeCompare(b.name));
  } else {
    rows.sort((a, b) => a.name.localeCompare(b.name));
  }
  return rows;
}

/** Findings grouped by aspect, groups in the main aspects' order then by name, findings in the given order. */
export function groupByAspect(findings: readonly Finding[]): { aspect: string; findings: Finding[] }[] {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    let group = groups.get(finding.aspect);
    if (!group) groups.set(finding.aspect, (group = []));
    group.push(finding);
  }
  const rank = (aspect: string) => {
    const index = (MAIN_ASPECTS as readonly string[]).indexOf(aspect);
    return index === -1 ? MAIN_ASPECTS.length : index;
  };
  return [...groups.entries()].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b)).map(([aspect, list]) => ({ aspect, findings: list }));
}

export const EOL_BUCKETS = ['passed', 'months3', 'months6', 'months12'] as const;
export type EolBucket = (typeof EOL_BUCKETS)[number];

/** `YYYY-MM-DD` plus whole months (clamped to the month's last day). */
export function addMonths(ymd: string, months: number): string {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

/**
 * End-of-life items in buckets relative to `today` (`YYYY-MM-DD`): already passed, within 3
 * months, within 6, within 12; later items are left out. Each bucket soonest first.
 */
export function eolBuckets(items: readonly EolItem[], today: string): Record<EolBucket, EolItem[]> {
  const buckets: Record<EolBucket, EolItem[]> = { passed: [], months3: [], months6: [], months12: [] };
  const limits = { months3: addMonths(today, 3), months6: addMonths(today, 6), months12: addMonths(today, 12) };
  for (const item of items) {
    if (item.eol < today) buckets.passed.push(item);
    else if (item.eol <= limits.months3) buckets.months3.push(item);
    else if (item.eol <= limits.months6) buckets.months6.push(item);
    else if (item.eol <= limits.months12) buckets.months12.push(item);
  }
  for (const list of Object.values(buckets)) list.sort((a, b) => a.eol.localeCompare(b.eol) || a.system.localeCompare(b.system) || a.component.localeCompare(b.component));
  return buckets;
}

/** Items grouped by the month (`YYYY-MM`) of their end-of-life date, in order. */
export function byMonth(items: readonly EolItem[]): { month: string; items: EolItem[] }[] {
  const months = new Map<string, EolItem[]>();
  for (const item of items) {
    const key = item.eol.slice(0, 7);
    let list = months.get(key);
    if (!list) months.set(key, (list = []));
    list.push(item);
  }
  return [...months.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, list]) => ({ month, items: list }));
}

export const TLS_PROTOCOLS = ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;

export type CipherStrength = 'insecure' | 'weak' | 'legacy' | 'good';

/** A rough class of a cipher suite by its name, shown next to it (never by colour alone). */
export function cipherStrength(name: string): CipherStrength {
  const upper = name.toUpperCase();
  if (/NULL|_ANON_|^ADH|^AECDH|EXPORT|^EXP|RC4|RC2|DES40/.test(upper)) return 'insecure';
  if (/3DES|DES_EDE|DES-CBC3|IDEA|SEED/.test(upper)) return 'weak';
  if (/_DES_|^DES-/.test(upper)) return 'insecure';
  if (/CBC|^TLS_RSA_|^SSL_RSA_|^AES\d*-SHA/.test(upper) || (/_SHA$/.test(upper) && !/GCM|CHACHA|CCM/.test(upper))) return 'legacy';
  return 'good';
}

export interface TlsMatrix {
  /** Protocols in order, with whether the endpoint accepts each. */
  protocols: { name: string; accepted: boolean }[];
  /** One row per suite (first appearance order, i.e. the server's preference per protocol), cells per protocol. */
  rows: { name: string; code: string; strength: CipherStrength; cells: ('preferred' | 'offered' | null)[] }[];
}

/** The protocols × suites matrix of an endpoint's facts. */
export function tlsMatrix(endpoint: TlsEndpoint): TlsMatrix {
  const names = [...TLS_PROTOCOLS] as string[];
  for (const name of Object.keys(endpoint.protocols ?? {})) if (!names.includes(name)) names.push(name);
  for (const cipher of endpoint.ciphers ?? []) if (!names.includes(cipher.protocol)) names.push(cipher.protocol);
  const protocols = names.map((name) => ({ name, accepted: endpoint.protocols?.[name] === true || (endpoint.ciphers ?? []).some((c) => c.protocol === name) }));
  const rows = new Map<string, TlsMatrix['rows'][number]>();
  // Newest protocol first so that the rows start with the suites that matter most.
  const ordered = [...(endpoint.ciphers ?? [])].sort((a, b) => names.indexOf(b.protocol) - names.indexOf(a.protocol));
  for (const cipher of ordered) {
    let row = rows.get(cipher.name);
    if (!row) rows.set(cipher.name, (row = { name: cipher.name, code: cipher.code, strength: cipherStrength(cipher.name), cells: names.map(() => null) }));
    const column = names.indexOf(cipher.protocol);
    row.cells[column] = cipher.preferred ? 'preferred' : (row.cells[column] ?? 'offered');
  }
  return { protocols, rows: [...rows.values()] };
}

/** A URL that may be made a link: http(s) only (a repository's text could hold a script URL). */
export function safeHref(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** `path:line:column` of a file location, the URL of a URL location, or null. */
export function locationText(location: Finding['location']): string | null {
  if (!location) return null;
  if ('url' in location) return location.url;
  return `${location.path}${location.line ? `:${location.line}${location.column ? `:${location.column}` : ''}` : ''}`;
}

/** A metric's display name with its labels: `todo.count{tag="TODO"}`. */
export function seriesLabel(name: string, labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  return entries.length ? `${name}{${entries.map(([k, v]) => `${k}="${v}"`).join(', ')}}` : name;
}

/** A series that never moved (every value the same, no change point): listed, not charted. */
export function isFlat(series: { points: readonly { value: number }[]; changePoints: readonly unknown[] }): boolean {
  if (series.changePoints.length > 0) return false;
  const first = series.points[0]?.value;
  return series.points.every((point) => point.value === first);
}

/** The default pair of a diff: the two newest snapshots (newest first in the list). */
export function defaultPair(snapshotIds: readonly string[]): { from: string; to: string } | null {
  if (snapshotIds.length < 2) return null;
  return { from: snapshotIds[1]!, to: snapshotIds[0]! };
}
