/**
 * Which way is worse, per metric: a change point in a metric is a regression or an improvement
 * depending on what the metric measures. prodeng's own metrics are listed by name; any other
 * metric is classified by the words in its name (split at `.`, `_`, `-`, `/` and spaces), the first
 * matching rule in table order winning; a metric that matches nothing is treated as "higher is
 * worse" — most things prodeng measures are costs — and reported as `known: false`.
 */

export type Direction = 'higher-is-worse' | 'higher-is-better';
export type ChangeKind = 'regression' | 'improvement' | 'unchanged';
export type Severity = 'high' | 'medium' | 'low';

/** prodeng's own metrics (see the probes), by exact name. */
export const KNOWN_METRICS: Readonly<Record<string, { direction: Direction; why: string }>> = {
  'versions.libyears': { direction: 'higher-is-worse', why: 'years of releases the dependencies are behind' },
  'versions.majors_behind': { direction: 'higher-is-worse', why: 'major versions behind' },
  'versions.eol_count': { direction: 'higher-is-worse', why: 'components past end of life' },
  'versions.eol_soon_count': { direction: 'higher-is-worse', why: 'components reaching end of life soon' },
  'versions.dependencies': { direction: 'higher-is-worse', why: 'more dependencies, more to keep up to date' },
  'versions.up_to_date_ratio': { direction: 'higher-is-better', why: 'share of dependencies at their latest version' },
  'vulns.count': { direction: 'higher-is-worse', why: 'known vulnerabilities' },
  'vulns.fixable_count': { direction: 'higher-is-worse', why: 'vulnerabilities with a fix available' },
  'vulns.exposure_days_max': { direction: 'higher-is-worse', why: 'longest exposure to a known vulnerability' },
  'vulns.packages_checked': { direction: 'higher-is-better', why: 'packages checked: fewer means less is observed' },
  'todo.count': { direction: 'higher-is-worse', why: 'TODO/FIXME markers' },
  'todo.oldest_days': { direction: 'higher-is-worse', why: 'age of the oldest marker' },
  'todo.age_median_days': { direction: 'higher-is-worse', why: 'median age of the markers' },
  'todo.files_scanned': { direction: 'higher-is-better', why: 'files scanned: fewer means less is observed' },
  'supply_chain.findings': { direction: 'higher-is-worse', why: 'supply-chain findings' },
  'supply_chain.action_references': { direction: 'higher-is-worse', why: 'third-party actions referenced' },
  'supply_chain.pinned_actions_ratio': { direction: 'higher-is-better', why: 'share of actions pinned to a commit' },
  'supply_chain.files_scanned': { direction: 'higher-is-better', why: 'files scanned: fewer means less is observed' },
};

/**
 * Keyword rules for any other metric, in priority order. A keyword is a word of the name, or
 * several consecutive words joined by `_` (`error_rate`, `up_to_date`).
 */
export const KEYWORD_RULES: ReadonlyArray<{ keywords: readonly string[]; direction: Direction; why: string }> = [
  // Names that contain a "better" word but measure a cost: decided first.
  { keywords: ['error_rate', 'failure_rate', 'fail_rate', 'miss_rate', 'cache_miss', 'drop_rate', 'risk_score', 'risk', 'debt'], direction: 'higher-is-worse', why: 'a rate of failures or a risk' },
  {
    keywords: ['coverage', 'availability', 'uptime', 'up_to_date', 'up_to_date_ratio', 'pinned', 'grade_score', 'observatory_score', 'score', 'grade', 'success', 'success_rate', 'pass_rate', 'passed', 'hit_rate', 'cache_hit', 'apdex', 'throughput', 'rps', 'qps', 'ops', 'sla', 'slo', 'satisfaction', 'scanned', 'checked'],
    direction: 'higher-is-better',
    why: 'coverage, availability, a score or a throughput',
  },
  {
    keywords: ['latency', 'duration', 'time', 'elapsed', 'p50', 'p75', 'p90', 'p95', 'p99', 'p999', 'ms', 'seconds', 'error', 'errors', 'failure', 'failures', 'failed', 'fail', 'flaky', 'flakes', 'flake', 'retries', 'retry', 'timeouts', 'crashes', 'incidents', 'mttr', 'libyears', 'behind', 'majors_behind', 'eol', 'eol_count', 'vulns', 'vulnerabilities', 'cve', 'cves', 'todo', 'fixme', 'warnings', 'findings', 'outdated', 'deprecated', 'size', 'bytes', 'memory', 'cpu', 'queue', 'backlog', 'age', 'days', 'cost'],
    direction: 'higher-is-worse',
    why: 'a time, a count of problems, or a size',
  },
];

export interface MetricDirection {
  direction: Direction;
  /** False when nothing matched and "higher is worse" is a guess. */
  known: boolean;
  why: string;
}

function words(name: string): Set<string> {
  const parts = name.toLowerCase().split(/[._\-/\s]+/).filter((w) => w !== '');
  const set = new Set<string>();
  for (let i = 0; i < parts.length; i++) {
    let joined = parts[i]!;
    set.add(joined);
    for (let j = i + 1; j < parts.length && j < i + 4; j++) {
      joined += `_${parts[j]!}`;
      set.add(joined);
    }
  }
  return set;
}

/** Which way is worse for `metricName`. */
export function directionOf(metricName: string): MetricDirection {
  const exact = KNOWN_METRICS[metricName];
  if (exact !== undefined) return { direction: exact.direction, known: true, why: exact.why };
  const present = words(metricName);
  for (const rule of KEYWORD_RULES) {
    const hit = rule.keywords.find((k) => present.has(k));
    if (hit !== undefined) return { direction: rule.direction, known: true, why: `"${hit}": ${rule.why}` };
  }
  return { direction: 'higher-is-worse', known: false, why: 'unknown metric: assumed higher is worse' };
}

/** A move of `metricName` from `before` to `after` (e.g. the means around a change point). */
export function classifyChange(metricName: string, before: number, after: number): ChangeKind {
  if (Number.isNaN(before) || Number.isNaN(after)) throw new RangeError(`cannot classify a change of ${metricName} from ${before} to ${after}`);
  if (after === before) return 'unchanged';
  const worse = directionOf(metricName).direction === 'higher-is-worse' ? after > before : after < before;
  return worse ? 'regression' : 'improvement';
}

/** Thresholds on |relative change|: at least HIGH is high, at least MEDIUM medium, else low. */
export const SEVERITY_THRESHOLDS = { high: 0.5, medium: 0.2 } as const;

/**
 * How big a change is, by its relative size (0.4 = 40 %), in either direction. null — a change from
 * a mean of 0, which no ratio describes (0 → 3 vulnerabilities) — is high.
 */
export function severityOfChange(relativeChange: number | null): Severity {
  if (relativeChange === null) return 'high';
  if (Number.isNaN(relativeChange)) throw new RangeError('relativeChange is NaN');
  const size = Math.abs(relativeChange);
  if (size >= SEVERITY_THRESHOLDS.high) return 'high';
  if (size >= SEVERITY_THRESHOLDS.medium) return 'medium';
  return 'low';
}
