/**
 * The priority of a finding and the order of the backlog (docs/priority.md). Priority is computed
 * at report time, never stored: it grows with the finding's age, so it depends on the clock.
 */
import { severityRank } from '../core/model.js';
import type { Aspect, Effort, FindingRecord, Severity } from '../core/model.js';

export type UnrankedFinding = Omit<FindingRecord, 'priority'>;

/** How much worse each severity is; steep on purpose, so one critical outranks a pile of lows. */
export const SEVERITY_WEIGHTS: Readonly<Record<Severity, number>> = {
  critical: 100,
  high: 40,
  medium: 15,
  low: 5,
  info: 1,
};

/** How much an aspect matters to keeping a system running, relative to tests/ci/cost (1.0). */
export const ASPECT_WEIGHTS: Readonly<Record<Aspect, number>> = {
  security: 1.5,
  availability: 1.3,
  'technology-upgrade': 1.2,
  performance: 1.1,
  tests: 1.0,
  ci: 1.0,
  cost: 1.0,
  'code-health': 0.8,
  governance: 0.7,
};

/** Cheap work is worth doing sooner; unknown effort is treated as small (neutral). */
export const EFFORT_FACTORS: Readonly<Record<Effort | 'unknown', number>> = {
  trivial: 0.8,
  small: 1.0,
  medium: 1.3,
  large: 1.7,
  unknown: 1.0,
};

const DAY_MS = 86_400_000;

/**
 * Whole and fractional days from `firstSeen` to `now`; 0 when `firstSeen` is in the future or not a
 * date (clock skew between machines must not make a finding less urgent than a fresh one).
 */
export function ageDays(firstSeen: string, now: Date): number {
  const elapsed = now.getTime() - Date.parse(firstSeen);
  return Number.isFinite(elapsed) && elapsed > 0 ? elapsed / DAY_MS : 0;
}

/**
 * `1 + log2(1 + ageDays / 30)`: 1 when new, 2 after a month, 3 after three months, ~4.6 after a year.
 * Logarithmic so that age lifts a neglected finding without letting an old `info` outrank a new
 * `critical`.
 */
export function ageFactor(days: number): number {
  return 1 + Math.log2(1 + Math.max(0, days) / 30);
}

/**
 * severity weight × aspect weight × age factor ÷ effort factor, rounded to 2 decimals.
 *
 * @example
 * // high security finding, first seen 90 days ago, small effort: 40 × 1.5 × 3 ÷ 1.0
 * priority({ severity: 'high', aspect: 'security', firstSeen: '2024-01-01T00:00:00Z', effort: 'small', … },
 *          new Date('2024-03-31T00:00:00Z')) // 180
 */
export function priority(finding: UnrankedFinding, now: Date): number {
  const raw =
    (SEVERITY_WEIGHTS[finding.severity] *
      ASPECT_WEIGHTS[finding.aspect] *
      ageFactor(ageDays(finding.firstSeen, now))) /
    EFFORT_FACTORS[finding.effort ?? 'unknown'];
  return Math.round(raw * 100) / 100;
}

/** 0: in the backlog, 1: resolved (shown for the record), 2: suppressed (hidden by config). */
function group(finding: UnrankedFinding): number {
  if (finding.suppressed !== undefined) return 2;
  return finding.status === 'resolved' ? 1 : 0;
}

function timeOf(iso: string): number {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? Number.POSITIVE_INFINITY : time;
}

/** Plain code-unit comparison: locale-independent, so the order is the same on every machine. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The backlog order, a total order: suppressed last, resolved after open ones; within a group
 * priority descending, then severity, then oldest `firstSeen` first, then fingerprint (and system,
 * since one fingerprint may occur in two systems).
 */
export function compareRanked(a: FindingRecord, b: FindingRecord): number {
  return (
    group(a) - group(b) ||
    b.priority - a.priority ||
    severityRank(b.severity) - severityRank(a.severity) ||
    timeOf(a.firstSeen) - timeOf(b.firstSeen) ||
    compareStrings(a.firstSeen, b.firstSeen) ||
    compareStrings(a.fingerprint, b.fingerprint) ||
    compareStrings(a.system, b.system)
  );
}

/**
 * Computes every finding's priority against `now` and returns them in backlog order (new objects;
 * the input is not modified). A `priority` already present is recomputed.
 */
export function rankFindings(findings: readonly UnrankedFinding[], now: Date): FindingRecord[] {
  // The order of compareRanked, with each finding's keys computed once rather than in every
  // comparison: parsing two dates per comparison took seconds for a backlog of 100k findings.
  const keyed = findings.map((finding) => {
    const record: FindingRecord = { ...finding, priority: priority(finding, now) };
    return { record, group: group(record), severity: severityRank(record.severity), time: timeOf(record.firstSeen) };
  });
  keyed.sort(
    (a, b) =>
      a.group - b.group ||
      b.record.priority - a.record.priority ||
      b.severity - a.severity ||
      a.time - b.time ||
      compareStrings(a.record.firstSeen, b.record.firstSeen) ||
      compareStrings(a.record.fingerprint, b.record.fingerprint) ||
      compareStrings(a.record.system, b.record.system),
  );
  return keyed.map((key) => key.record);
}
