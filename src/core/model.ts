/**
 * The model every part of prodeng speaks: what a probe returns, and what the store keeps and the
 * reporters print. Probes produce {@link Finding}s and {@link Metric}s; the store turns them into
 * {@link FindingRecord}s with a lifecycle; reporters only ever see a {@link Report}.
 */
import { z } from 'zod';

/** Ordered from most to least severe; the order is part of the contract (`--fail-on`). */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const severitySchema = z.enum(SEVERITIES);

/** Rank used for comparisons: higher is more severe. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

/** True when `severity` is at or above `threshold` (e.g. `high` meets `medium`). */
export function meetsThreshold(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}

/** The maintenance aspects a probe can observe; they group findings in reports and the dashboard. */
export const ASPECTS = [
  'technology-upgrade',
  'security',
  'code-health',
  'tests',
  'ci',
  'performance',
  'availability',
  'cost',
  'governance',
] as const;
export type Aspect = (typeof ASPECTS)[number];

/**
 * A plain JSON-like object (`data` of a finding). Checked by shape only: zod's record schema
 * validates every key, which costs more than everything else in a large snapshot, and the values
 * are free-form anyway.
 */
export const plainObjectSchema = z.custom<Record<string, unknown>>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null),
  'expected a plain object',
);

/** Where a finding is: a file position, a URL, or nowhere in particular. */
export type Location = { path: string; line?: number; column?: number } | { url: string } | null;

export const locationSchema: z.ZodType<Location> = z.union([
  z.object({ path: z.string(), line: z.number().int().positive().optional(), column: z.number().int().positive().optional() }).strict(),
  z.object({ url: z.string() }).strict(),
  z.null(),
]);

/** Rough size of the work a finding asks for; it feeds the priority. */
export const EFFORTS = ['trivial', 'small', 'medium', 'large'] as const;
export type Effort = (typeof EFFORTS)[number];

/**
 * Something to maintain, as a probe reports it.
 *
 * @example
 * { rule: 'tls/cert-expiring', severity: 'high', title: 'Certificate expires in 12 days',
 *   message: '...', location: { url: 'https://shop.example:443' }, fingerprint: 'a1b2c3…',
 *   data: { daysLeft: 12 } }
 */
export interface Finding {
  /** `probe/rule`, e.g. `todo/marker`. Rule ids are a public contract. */
  rule: string;
  severity: Severity;
  /** One line, shown in tables. */
  title: string;
  /** The evidence in a sentence or two. */
  message: string;
  location: Location;
  /**
   * Stable identity of the finding across snapshots: unchanged by unrelated edits (a marker that
   * moves lines keeps it). Build it with `fingerprint()` from `core/fingerprint.ts`.
   */
  fingerprint: string;
  /** Rule-specific structured evidence (documented per rule). Never secrets. */
  data: Record<string, unknown>;
  /** What to do about it; falls back to the rule's remediation. */
  remediation?: string;
  effort?: Effort;
}

/** A number at a point in time, e.g. `todo.count{tag="FIXME"} = 12`. */
export interface Metric {
  name: string;
  value: number;
  unit: string;
  labels: Record<string, string>;
}

export interface ProbeError {
  message: string;
  /** Repository-relative path (or URL) the error is about, when it is about one. */
  path?: string;
  code?: string;
}

/**
 * What a probe returns. `partial` means some inputs could not be observed (listed in `errors`);
 * the findings it did make are still recorded.
 */
export type ProbeResult =
  | {
      status: 'ok' | 'partial';
      findings: Finding[];
      metrics: Metric[];
      facts?: unknown;
      errors: ProbeError[];
    }
  | { status: 'failed'; errors: ProbeError[] }
  /**
   * Nothing to observe, found out at run time (`appliesTo` cannot do I/O): e.g. no test results
   * recorded for the system. Recorded like a probe that did not apply; earlier findings stay.
   */
  | { status: 'skipped'; reason: string };

/** Status of one probe in one snapshot; `skipped` when it did not apply or was not selected. */
/**
 * The engine's own pseudo-probe: findings prodeng reports about itself (expired ignores). Its run
 * is stored so lifecycle works for those findings, and hidden from reports.
 */
export const CORE_PROBE_ID = 'core';

export type ProbeRunStatus = 'ok' | 'partial' | 'failed' | 'skipped';
export type SnapshotStatus = 'complete' | 'partial' | 'failed';
export type FindingStatus = 'new' | 'open' | 'resolved' | 'reopened';

export interface Revision {
  commit: string;
  branch: string | null;
}

// ---------------------------------------------------------------------------------------------
// The stored, reported shapes (the JSON report contract, docs/report-format.md).

export interface ProbeRunRecord {
  id: string;
  status: ProbeRunStatus;
  durationMs: number;
  errors: ProbeError[];
  facts?: unknown;
}

export interface SnapshotRecord {
  id: string;
  system: string;
  startedAt: string;
  finishedAt: string;
  status: SnapshotStatus;
  revision: Revision | null;
  probes: ProbeRunRecord[];
}

/** A suppression applied by an `ignore:` entry of the config. */
export interface Suppression {
  reason: string;
  until: string | null;
}

export interface FindingRecord {
  fingerprint: string;
  system: string;
  probe: string;
  rule: string;
  aspect: Aspect;
  severity: Severity;
  title: string;
  message: string;
  location: Location;
  status: FindingStatus;
  firstSeen: string;
  lastSeen: string;
  data: Record<string, unknown>;
  remediation: string | null;
  effort: Effort | null;
  /** Present when an `ignore:` entry hides this finding from the backlog and `--fail-on`. */
  suppressed?: Suppression;
  /** Computed at report time (docs/priority.md); higher comes first in the backlog. */
  priority: number;
}

export interface MetricRecord {
  system: string;
  probe: string;
  name: string;
  value: number;
  unit: string;
  labels: Record<string, string>;
}

/** One input to a report: the rule metadata reporters (SARIF) need, keyed by rule id. */
export interface RuleMeta {
  /** `probe/rule` */
  id: string;
  title: string;
  description: string;
  defaultSeverity: Severity;
  remediation: string;
  /** Link to the probe's documentation. */
  helpUri?: string;
}

export interface Report {
  schemaVersion: 1;
  generatedAt: string;
  tool: { name: 'prodeng'; version: string };
  snapshots: SnapshotRecord[];
  /** Ranked: highest priority first. Includes findings resolved in the reported snapshot(s). */
  findings: FindingRecord[];
  metrics: MetricRecord[];
  /** Metadata of every rule that appears in `findings` (not part of the JSON output). */
  rules: Record<string, RuleMeta>;
}
