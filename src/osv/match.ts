/**
 * Does an OSV `affected` entry cover a version? The spec's evaluation
 * (https://ossf.github.io/osv-schema/#evaluation), with the version order of the package's
 * ecosystem:
 *
 * - a version is affected when it is listed in `versions` or lies in one of the `SEMVER` or
 *   `ECOSYSTEM` ranges; `GIT` ranges need commit information and are ignored;
 * - a range: only when the version is below one of its `limit` events (none = no limit; a limit
 *   containing `*` is infinity), walk its events sorted by version (`introduced: "0"` first, ties
 *   keep their order in the record): `introduced` ≤ v → affected, `fixed` ≤ v → not affected,
 *   `last_affected` < v → not affected.
 *
 * Versions the scheme cannot read: a queried version that is not valid is never inside a range
 * (only an exact entry of `versions` matches it); an `introduced` that is not valid counts as `"0"`
 * and a `fixed`, `last_affected` or `limit` that is not valid is ignored, so that a malformed bound
 * errs towards reporting (never towards silence).
 */
import type { Ecosystem } from '../probes/versions/model.js';
import { schemeFor, schemes, type VersionScheme } from '../versioning/index.js';
import { eventOf, type EventKind, type OsvAffected, type OsvRange, type OsvRecord } from './schema.js';

/** Our ecosystem ids → OSV ecosystem names (OSV compares them case-sensitively). */
export const OSV_ECOSYSTEMS: Readonly<Record<Ecosystem, string>> = {
  npm: 'npm',
  pypi: 'PyPI',
  go: 'Go',
  cargo: 'crates.io',
  rubygems: 'RubyGems',
  packagist: 'Packagist',
  maven: 'Maven',
  nuget: 'NuGet',
};

export function osvEcosystem(ecosystem: Ecosystem): string {
  return OSV_ECOSYSTEMS[ecosystem];
}

/**
 * A package name as its ecosystem compares names: PyPI per PEP 503 (lower case, runs of `-_.` →
 * `-`), crates.io without case and with `_` = `-`, NuGet and Packagist without case; npm, Go,
 * Maven (`group:artifact`), RubyGems and the rest as they are (trimmed).
 */
export function normalizePackageName(ecosystem: string, name: string): string {
  const trimmed = name.trim();
  switch (ecosystemBase(ecosystem)) {
    case 'PyPI':
      return trimmed.toLowerCase().replace(/[-_.]+/g, '-');
    case 'crates.io':
      return trimmed.toLowerCase().replace(/_/g, '-');
    case 'NuGet':
    case 'Packagist':
      return trimmed.toLowerCase();
    default:
      return trimmed;
  }
}

/** `Debian:12` → `Debian`; `Maven` → `Maven`. */
export function ecosystemBase(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon < 0 ? ecosystem : ecosystem.slice(0, colon);
}

/** Schemes that order SemVer 2.0 as the spec's SEMVER ranges require (with their own spelling leniency). */
const SEMVER_LIKE = new Set(['semver', 'npm', 'go', 'cargo']);

/** The order a range's events use: the ecosystem's for ECOSYSTEM, SemVer 2.0 for SEMVER. */
export function schemeForRange(range: OsvRange, scheme: VersionScheme): VersionScheme {
  return range.type === 'SEMVER' && !SEMVER_LIKE.has(scheme.id) ? schemes.semver : scheme;
}

interface SortedEvent {
  kind: Exclude<EventKind, 'limit'>;
  version: string;
  /** `introduced: "0"` (or an unreadable introduced): before every version. */
  zero: boolean;
}

/**
 * The range's introduced/fixed/last_affected events in evaluation order: by version, `"0"` first,
 * a stable sort (ties keep the record's order). Unreadable fixed/last_affected are dropped.
 */
export function sortedEvents(range: OsvRange, scheme: VersionScheme): SortedEvent[] {
  const out: SortedEvent[] = [];
  for (const raw of range.events) {
    const { kind, version } = eventOf(raw);
    if (kind === 'limit') continue;
    if (kind === 'introduced') {
      out.push({ kind, version, zero: version === '0' || !scheme.isValid(version) });
    } else if (scheme.isValid(version)) {
      out.push({ kind, version, zero: false });
    }
  }
  if (out.length > 1) {
    out.sort((a, b) => {
      if (a.zero || b.zero) return a.zero === b.zero ? 0 : a.zero ? -1 : 1;
      return scheme.compare(a.version, b.version);
    });
  }
  return out;
}

/** BeforeLimits: no (readable) limit, or v below one of them; `*` is infinity. */
export function beforeLimits(range: OsvRange, version: string, scheme: VersionScheme): boolean {
  let limited = false;
  for (const raw of range.events) {
    const limit = raw.limit;
    if (limit === undefined) continue;
    if (limit.includes('*')) return true;
    if (!scheme.isValid(limit)) continue;
    limited = true;
    if (scheme.compare(version, limit) < 0) return true;
  }
  return !limited;
}

/** Is `version` inside this SEMVER or ECOSYSTEM range? (GIT and unknown types: never.) */
export function rangeContains(range: OsvRange, version: string, ecosystemScheme: VersionScheme): boolean {
  if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') return false;
  const scheme = schemeForRange(range, ecosystemScheme);
  if (!scheme.isValid(version)) return false;
  if (!beforeLimits(range, version, scheme)) return false;
  let vulnerable = false;
  for (const event of sortedEvents(range, scheme)) {
    if (event.kind === 'introduced') {
      if (event.zero || scheme.compare(version, event.version) >= 0) vulnerable = true;
    } else if (event.kind === 'fixed') {
      if (scheme.compare(version, event.version) >= 0) vulnerable = false;
    } else if (scheme.compare(version, event.version) > 0) {
      vulnerable = false;
    }
  }
  return vulnerable;
}

/** Is `version` listed in `versions` (the same string, or equal in the ecosystem's order)? */
export function listedIn(versions: readonly string[] | null | undefined, version: string, scheme: VersionScheme): boolean {
  if (!versions || versions.length === 0) return false;
  if (versions.includes(version)) return true;
  if (!scheme.isValid(version)) return false;
  for (const listed of versions) if (scheme.isValid(listed) && scheme.compare(listed, version) === 0) return true;
  return false;
}

/** The spec's `IncludedInVersions || IncludedInRanges` for one affected entry (the package is not checked). */
export function isAffected(affected: OsvAffected, version: string, scheme: VersionScheme): boolean {
  if (listedIn(affected.versions, version, scheme)) return true;
  for (const range of affected.ranges ?? []) if (rangeContains(range, version, scheme)) return true;
  return false;
}

/**
 * The lowest `fixed` version above `version` in the ranges of this entry that contain it (the
 * fix on the same line), or null (not in a range, only `last_affected`, or no fix yet).
 */
export function lowestFix(affected: OsvAffected, version: string, scheme: VersionScheme): string | null {
  let best: string | null = null;
  let bestScheme: VersionScheme = scheme;
  for (const range of affected.ranges ?? []) {
    if (!rangeContains(range, version, scheme)) continue;
    const rangeScheme = schemeForRange(range, scheme);
    for (const raw of range.events) {
      const fixed = raw.fixed;
      if (fixed === undefined || !rangeScheme.isValid(fixed)) continue;
      if (rangeScheme.compare(fixed, version) <= 0) continue;
      if (best === null || bestScheme.compare(fixed, best) < 0) {
        best = fixed;
        bestScheme = rangeScheme;
      }
    }
  }
  return best;
}

/** Does this `affected` entry name the package? Ecosystem exactly, name as the ecosystem compares names. */
export function namesPackage(affected: OsvAffected, ecosystem: string, name: string): boolean {
  const pkg = affected.package;
  if (!pkg || pkg.ecosystem !== ecosystem) return false;
  return pkg.name === name || normalizePackageName(ecosystem, pkg.name) === normalizePackageName(ecosystem, name);
}

/** The spec's IsVulnerable: some entry for the package affects the version. */
export function recordAffects(record: OsvRecord, ecosystem: string, name: string, version: string, scheme: VersionScheme = schemeFor(ecosystem)): boolean {
  for (const affected of record.affected ?? []) {
    if (namesPackage(affected, ecosystem, name) && isAffected(affected, version, scheme)) return true;
  }
  return false;
}

/** The lowest fix above `version` over the record's entries for the package that affect it, or null. */
export function recordLowestFix(record: OsvRecord, ecosystem: string, name: string, version: string, scheme: VersionScheme = schemeFor(ecosystem)): string | null {
  let best: string | null = null;
  for (const affected of record.affected ?? []) {
    if (!namesPackage(affected, ecosystem, name)) continue;
    const fix = lowestFix(affected, version, scheme);
    if (fix !== null && (best === null || scheme.compare(fix, best) < 0)) best = fix;
  }
  return best;
}
