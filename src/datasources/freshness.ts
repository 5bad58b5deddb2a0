/**
 * How far a version is behind its registry, scheme-agnostic: the version ordering comes in as
 * functions (a `VersionScheme` from src/versioning fits). Pure: no I/O, no clock unless given.
 */
import type { PackageInfo, ReleaseInfo } from './registry.js';

export interface VersionOrdering {
  /** Negative, zero or positive, like a sort comparator. */
  compare(a: string, b: string): number;
  /** Not a pre-release. */
  isStable(version: string): boolean;
  /** The major number, or null. */
  major(version: string): number | null;
}

export interface Freshness {
  /** The current version as the registry lists it, or null when the registry does not know it. */
  current: ReleaseInfo | null;
  /** The registry's latest when it is stable and not yanked, else the highest stable non-yanked release; null if none. */
  latestStable: string | null;
  /** `major(latestStable) − major(current)`, at least 0; null when either major is unknown. */
  majorsBehind: number | null;
  /**
   * Years between the publication of the current version and of the latest stable one (libyear),
   * at least 0 (0 when current is at or past the latest); null when a date is missing.
   */
  libyears: number | null;
  /** The registry's deprecation message for the current version, or null. */
  deprecated: string | null;
  /** The current version was withdrawn (yanked, unlisted, retracted). */
  yanked: boolean;
  /** When the newest release (any, pre-releases included; yanked ones only if nothing else) was published. */
  lastReleaseAt: string | null;
}

const YEAR_MS = 365.25 * 24 * 60 * 60 * 1000;

/** The current version's release: the exact string, else one the ordering says is equal (`1.0` and `1.0.0`). */
export function findRelease(info: PackageInfo, version: string, compare: VersionOrdering['compare']): ReleaseInfo | null {
  return info.releases.find((r) => r.version === version) ?? info.releases.find((r) => compare(r.version, version) === 0) ?? null;
}

/** The registry's own latest when it is a stable, non-yanked release; else the highest stable non-yanked release. */
export function latestStable(info: PackageInfo, ordering: Pick<VersionOrdering, 'compare' | 'isStable'>): string | null {
  if (info.latest !== null && ordering.isStable(info.latest)) {
    const listed = info.releases.find((r) => r.version === info.latest);
    if (!listed?.yanked) return info.latest;
  }
  let best: string | null = null;
  for (const release of info.releases) {
    if (release.yanked || !ordering.isStable(release.version)) continue;
    if (best === null || ordering.compare(release.version, best) > 0) best = release.version;
  }
  return best;
}

/** The latest publication time among the releases (non-yanked ones first), as given by the registry. */
export function lastReleaseAt(info: PackageInfo): string | null {
  const newest = (releases: readonly ReleaseInfo[]): string | null => {
    let best: string | null = null;
    let bestMs = -Infinity;
    for (const release of releases) {
      const ms = toMs(release.published);
      if (ms !== null && ms > bestMs) {
        bestMs = ms;
        best = release.published;
      }
    }
    return best;
  };
  return newest(info.releases.filter((r) => !r.yanked)) ?? newest(info.releases);
}

/** No release for over `years` (default 2) before `now`; null when no release is dated. */
export function isUnmaintained(lastRelease: string | null, now: Date, years = 2): boolean | null {
  const ms = toMs(lastRelease);
  return ms === null ? null : now.getTime() - ms > years * YEAR_MS;
}

/** libyears from `from` to `to` (ISO times), at least 0; null when either is missing or unreadable. */
export function libyearsBetween(from: string | null, to: string | null): number | null {
  const a = toMs(from);
  const b = toMs(to);
  return a === null || b === null ? null : Math.max(0, (b - a) / YEAR_MS);
}

export function freshness(info: PackageInfo, currentVersion: string, ordering: VersionOrdering): Freshness {
  const current = findRelease(info, currentVersion, ordering.compare);
  const latest = latestStable(info, ordering);
  let majorsBehind: number | null = null;
  let libyears: number | null = null;
  if (latest !== null) {
    const latestMajor = ordering.major(latest);
    const currentMajor = ordering.major(currentVersion);
    if (latestMajor !== null && currentMajor !== null) majorsBehind = Math.max(0, latestMajor - currentMajor);
    if (ordering.compare(currentVersion, latest) >= 0) {
      libyears = 0; // at or past the latest stable: nothing to catch up on
    } else {
      const latestRelease = info.releases.find((r) => r.version === latest) ?? findRelease(info, latest, ordering.compare);
      libyears = libyearsBetween(current?.published ?? null, latestRelease?.published ?? null);
    }
  }
  return {
    current,
    latestStable: latest,
    majorsBehind,
    libyears,
    deprecated: current?.deprecated ?? null,
    yanked: current?.yanked ?? false,
    lastReleaseAt: lastReleaseAt(info),
  };
}

function toMs(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}
