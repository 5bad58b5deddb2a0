/**
 * `ignore:` entries of the config. An ignore hides a finding from the backlog and `--fail-on`, but
 * the finding is still recorded (marked suppressed), so its age survives when the ignore ends. An
 * ignore past its `until` date stops hiding anything and is itself reported, so "temporary"
 * exceptions cannot quietly become permanent.
 */
import picomatch from 'picomatch';
import type { LocatedIgnore } from '../config/load.js';
import type { StoredIgnore } from '../store/store.js';
import { fingerprint } from './fingerprint.js';
import type { Finding, RuleMeta, Suppression } from './model.js';

export const IGNORE_EXPIRED_RULE: RuleMeta = {
  id: 'core/ignore-expired',
  title: 'An ignore entry has expired',
  description:
    'An ignore entry in prodeng.yml (or one made through `prodeng serve`) is past its `until` date, so the findings it hid are back in the backlog.',
  defaultSeverity: 'low',
  remediation: 'Fix what the entry was hiding, or extend `until` with a reason that still holds, or delete the entry.',
};

/**
 * Ignores made through `prodeng serve`'s API (kept in the store), as entries of prodeng.yml would
 * be: the engine applies both alike. Their "file" is the API path that deletes them, which is
 * where an expired one is reported.
 */
export function storedIgnoreEntries(ignores: readonly StoredIgnore[]): LocatedIgnore[] {
  return ignores.map((ignore) => ({
    ...(ignore.fingerprint === null ? {} : { fingerprint: ignore.fingerprint }),
    ...(ignore.rule === null ? {} : { rule: ignore.rule }),
    reason: ignore.reason,
    ...(ignore.until === null ? {} : { until: ignore.until }),
    source: { file: `api/v1/ignores/${ignore.id}`, line: undefined },
  }));
}

/** Rules that prodeng itself reports, outside any probe. */
export const CORE_RULES: readonly RuleMeta[] = [IGNORE_EXPIRED_RULE];

export interface IgnoreMatcher {
  /** The suppression for a finding, or undefined when no active ignore matches it. */
  match(finding: Pick<Finding, 'fingerprint' | 'rule' | 'location' | 'data'>): Suppression | undefined;
  /** Findings for entries whose `until` has passed. */
  expired: Finding[];
}

/** `today` is a YYYY-MM-DD date: an ignore is active through its `until` day. */
export function compileIgnores(entries: readonly LocatedIgnore[], now: Date): IgnoreMatcher {
  const today = now.toISOString().slice(0, 10);
  const active: Array<{ entry: LocatedIgnore; path?: (path: string) => boolean }> = [];
  const expired: Finding[] = [];
  for (const entry of entries) {
    if (entry.until !== undefined && entry.until < today) {
      const what = entry.fingerprint
        ? `fingerprint ${entry.fingerprint}`
        : entry.advisory
          ? `advisory ${entry.advisory}`
          : `rule ${entry.rule}${entry.path ? ` on ${entry.path}` : ''}`;
      expired.push({
        rule: IGNORE_EXPIRED_RULE.id,
        severity: 'low',
        title: `Ignore of ${what} expired on ${entry.until}`,
        message: `The ignore entry for ${what} ("${entry.reason}") expired on ${entry.until}; what it hid is reported again.`,
        location: { path: entry.source.file, ...(entry.source.line === undefined ? {} : { line: entry.source.line }) },
        fingerprint: fingerprint(IGNORE_EXPIRED_RULE.id, entry.fingerprint ?? '', entry.rule ?? '', entry.path ?? '', entry.advisory ?? ''),
        data: { fingerprint: entry.fingerprint ?? null, rule: entry.rule ?? null, advisory: entry.advisory ?? null, path: entry.path ?? null, reason: entry.reason, until: entry.until },
        remediation: IGNORE_EXPIRED_RULE.remediation,
        effort: 'trivial',
      });
      continue;
    }
    active.push({ entry, ...(entry.path === undefined ? {} : { path: picomatch(entry.path, { dot: true }) }) });
  }
  return {
    expired,
    match(finding) {
      for (const { entry, path } of active) {
        if (entry.fingerprint !== undefined && !finding.fingerprint.startsWith(entry.fingerprint)) continue;
        if (entry.rule !== undefined && entry.rule !== finding.rule) continue;
        // Findings about an advisory carry its id and aliases in data (vulns/known-vulnerability).
        if (entry.advisory !== undefined && !namesAdvisory(finding.data, entry.advisory)) continue;
        if (path !== undefined) {
          const location = finding.location;
          if (location === null || !('path' in location) || !path(location.path)) continue;
        }
        return { reason: entry.reason, until: entry.until ?? null };
      }
      return undefined;
    },
  };
}

function namesAdvisory(data: Record<string, unknown>, advisory: string): boolean {
  const wanted = advisory.toUpperCase();
  if (typeof data.id === 'string' && data.id.toUpperCase() === wanted) return true;
  return Array.isArray(data.aliases) && data.aliases.some((alias) => typeof alias === 'string' && alias.toUpperCase() === wanted);
}
