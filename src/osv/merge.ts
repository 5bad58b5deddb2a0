/**
 * Advisories from several databases often describe one vulnerability: GHSA-x aliases CVE-y,
 * PYSEC-z aliases CVE-y too. They are grouped when they share an id or an alias, transitively
 * (union-find over identifiers); withdrawn advisories are dropped first (they link nothing).
 *
 * A group becomes one {@link Vulnerability}: the primary id prefers GHSA, then CVE, then the
 * others (ids that have a record before ids only seen as aliases, then alphabetical); aliases are
 * every other identifier; severity is the worst of the members (a scored rating beats an unscored
 * one of the same band); published is the earliest; the fix is the highest of the members' lowest
 * fixes (the lowest version every member considers fixed).
 */
import { schemeFor, type VersionScheme } from '../versioning/index.js';
import { namesPackage, recordLowestFix } from './match.js';
import type { OsvRecord, OsvReference } from './schema.js';
import { compareSeverity, severityOf, UNKNOWN_SEVERITY, type Severity, type SeverityInfo } from './severity.js';

export interface Vulnerability {
  /** The primary id (GHSA, else CVE, else another). */
  id: string;
  /** Every other id and alias of the group, sorted. */
  aliases: string[];
  summary: string | null;
  severity: Severity;
  /** CVSS base score of the worst-rated member, or null. */
  score: number | null;
  vector: string | null;
  /** Earliest publication (as written in the record), or null. */
  published: string | null;
  /** Latest modification. */
  modified: string | null;
  /** The lowest version above the current one that fixes it on the same line, or null (no fix known). */
  fixed: string | null;
  references: OsvReference[];
  /** The ids of the records merged into this group. */
  records: string[];
}

export interface PackageContext {
  /** OSV ecosystem name (`npm`, `PyPI`, `Debian:12`…). */
  ecosystem: string;
  name: string;
  version: string;
  scheme?: VersionScheme;
}

/** GHSA 0, CVE 1, others 2. */
function idClass(id: string): number {
  if (/^GHSA-/i.test(id)) return 0;
  if (/^CVE-/i.test(id)) return 1;
  return 2;
}

function time(text: string | null | undefined): number {
  if (!text) return Number.NaN;
  return Date.parse(text);
}

/** Groups records sharing an id or alias, transitively; withdrawn records are dropped. */
export function groupRecords(records: readonly OsvRecord[]): OsvRecord[][] {
  const live = records.filter((record) => !record.withdrawn);
  const parent = live.map((_, index) => index);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] as number;
    let node = i;
    while (parent[node] !== root) {
      const next = parent[node] as number;
      parent[node] = root;
      node = next;
    }
    return root;
  };
  const owner = new Map<string, number>();
  live.forEach((record, index) => {
    for (const identifier of [record.id, ...(record.aliases ?? [])]) {
      const key = identifier.trim().toUpperCase();
      if (key === '') continue;
      const other = owner.get(key);
      if (other === undefined) owner.set(key, index);
      else {
        const a = find(index);
        const b = find(other);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  });
  const groups = new Map<number, OsvRecord[]>();
  live.forEach((record, index) => {
    const root = find(index);
    const group = groups.get(root);
    if (group) group.push(record);
    else groups.set(root, [record]);
  });
  return [...groups.values()];
}

/** The primary id of a group: GHSA, then CVE, then others; record ids before alias-only ids; then alphabetical. */
export function primaryId(group: readonly OsvRecord[]): string {
  const own = new Set(group.map((record) => record.id));
  const all = new Set<string>();
  for (const record of group) {
    all.add(record.id);
    for (const alias of record.aliases ?? []) if (alias.trim() !== '') all.add(alias.trim());
  }
  return [...all].sort((a, b) => idClass(a) - idClass(b) || Number(own.has(b)) - Number(own.has(a)) || (a < b ? -1 : a > b ? 1 : 0))[0] as string;
}

/** One group as a vulnerability; `context` selects the package's `affected` entries (severity, fix). */
export function mergeGroup(group: readonly OsvRecord[], context?: PackageContext): Vulnerability {
  const id = primaryId(group);
  const ids = new Map<string, string>();
  for (const record of group) {
    for (const identifier of [record.id, ...(record.aliases ?? [])]) {
      const trimmed = identifier.trim();
      if (trimmed !== '' && trimmed.toUpperCase() !== id.toUpperCase() && !ids.has(trimmed.toUpperCase())) ids.set(trimmed.toUpperCase(), trimmed);
    }
  }
  // the primary's record first, then GHSA, CVE, others
  const ordered = [...group].sort((a, b) => Number(b.id === id) - Number(a.id === id) || idClass(a.id) - idClass(b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const scheme = context ? (context.scheme ?? schemeFor(context.ecosystem)) : undefined;
  let severity: SeverityInfo = UNKNOWN_SEVERITY;
  let published: string | null = null;
  let modified: string | null = null;
  let fixed: string | null = null;
  const references: OsvReference[] = [];
  const urls = new Set<string>();
  for (const record of ordered) {
    const affected = context ? (record.affected ?? []).filter((entry) => namesPackage(entry, context.ecosystem, context.name)) : (record.affected ?? []);
    const info = severityOf(record, affected);
    if (compareSeverity(info, severity) < 0) severity = info;
    if (record.published && (published === null || time(record.published) < time(published))) published = record.published;
    if (modified === null || time(record.modified) > time(modified)) modified = record.modified;
    if (context && scheme) {
      const fix = recordLowestFix(record, context.ecosystem, context.name, context.version, scheme);
      if (fix !== null && (fixed === null || scheme.compare(fix, fixed) > 0)) fixed = fix;
    }
    for (const reference of record.references ?? []) {
      if (urls.has(reference.url)) continue;
      urls.add(reference.url);
      references.push({ type: reference.type, url: reference.url });
    }
  }
  const summary = ordered.map((record) => record.summary?.trim()).find((text) => text !== undefined && text !== '') ?? null;
  return {
    id,
    aliases: [...ids.values()].sort(),
    summary,
    severity: severity.severity,
    score: severity.score,
    vector: severity.vector,
    published,
    modified,
    fixed,
    references,
    records: ordered.map((record) => record.id),
  };
}

/** Groups and merges records (for one package when `context` is given), worst first, then by id. */
export function mergeAdvisories(records: readonly OsvRecord[], context?: PackageContext): Vulnerability[] {
  return groupRecords(dedupeById(records))
    .map((group) => mergeGroup(group, context))
    .sort((a, b) => compareSeverity(a, b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** One record per id: the latest `modified` (the first seen on a tie). */
export function dedupeById(records: readonly OsvRecord[]): OsvRecord[] {
  const byId = new Map<string, OsvRecord>();
  for (const record of records) {
    const seen = byId.get(record.id);
    if (!seen || time(record.modified) > time(seen.modified)) byId.set(record.id, record);
  }
  return [...byId.values()];
}
