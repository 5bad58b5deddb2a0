/**
 * The store keeps the history: systems, snapshots, probe runs, findings with their lifecycle,
 * metric points and facts, test results and CI records. Two implementations share this contract and one conformance suite
 * (`store-conformance.ts`): SQLite through the built-in `node:sqlite`, and PostgreSQL through `pg`.
 * Dialect differences live in this folder alone.
 */
import type { CiRecord } from '../ci/model.js';
import type {
  Aspect,
  Effort,
  Finding,
  FindingRecord,
  FindingStatus,
  Metric,
  MetricRecord,
  ProbeRunRecord,
  Revision,
  Severity,
  SnapshotRecord,
  SnapshotStatus,
  Suppression,
} from '../core/model.js';

/** A finding as the engine hands it to the store: the probe's finding plus where it came from. */
export interface FindingInput extends Finding {
  probe: string;
  aspect: Aspect;
  suppressed?: Suppression;
}

export interface MetricInput extends Metric {
  probe: string;
}

/** Everything one observation of one system produced; recorded atomically. */
export interface SnapshotInput {
  system: string;
  startedAt: string;
  finishedAt: string;
  status: SnapshotStatus;
  revision: Revision | null;
  /** Every probe considered for this system, including skipped ones. */
  probes: ProbeRunRecord[];
  findings: FindingInput[];
  metrics: MetricInput[];
}

export interface SystemSummary {
  name: string;
  snapshots: number;
  latestSnapshotId: string | null;
  latestAt: string | null;
}

/**
 * A finding as stored: its current state (for the backlog) or its state at one snapshot. `priority`
 * is not stored; the report layer computes it (it depends on the clock).
 */
export type StoredFinding = Omit<FindingRecord, 'priority'>;

export interface MetricPoint {
  snapshotId: string;
  at: string;
  value: number;
  unit: string;
  labels: Record<string, string>;
}

/** What a test run reported for one test (see `TestStatus`). */
export type TestStatus = 'passed' | 'failed' | 'error' | 'skipped' | 'flaky';

/** One test's result in a run, as `testresults/ingest.ts` makes it from a JUnit test case. */
export interface TestResultInput {
  /** The test's stable identity (`testresults/identity.ts`); 1 to 512 characters. */
  key: string;
  suite: string;
  classname: string;
  name: string;
  file: string | null;
  /** `flaky`: failed, then passed on a rerun within the run. */
  status: TestStatus;
  /** Seconds; null when unknown. */
  durationSeconds: number | null;
  message: string | null;
  /** Reruns within the run (default 0). */
  retries?: number;
}

/** One CI run's test results; recorded atomically, replacing an earlier recording of the same run. */
export interface TestRunInput {
  system: string;
  /** The CI's id of the run (build number, workflow run id…). */
  runId: string;
  /** A positive integer; default 1. Attempts of one run id are separate runs. */
  attempt?: number;
  commit?: string | null;
  branch?: string | null;
  /** When the run happened (ISO-8601); a test's history is ordered by it. */
  at: string;
  /** What the results came from, e.g. `junit`. */
  source: string;
  /**
   * Any (async) iterable: a generator that parses files as the store writes keeps memory constant.
   * If it throws, nothing of the run is recorded (an earlier recording stays).
   */
  results: Iterable<TestResultInput> | AsyncIterable<TestResultInput>;
}

export interface TestRunRecorded {
  /** The run's key: the same for the same (system, run id, attempt), in any database. */
  runKey: string;
  /** Distinct tests in the run. */
  tests: number;
  /** Results written (every input result, duplicates of a test included). */
  inserted: number;
  /** Whether an earlier recording of this run was replaced. */
  replaced: boolean;
}

export interface TestRunSummary {
  runKey: string;
  runId: string;
  attempt: number;
  commit: string | null;
  branch: string | null;
  at: string;
  source: string;
  recordedAt: string;
  tests: number;
  results: number;
  passed: number;
  /** Results with status `failed` (not `error`). */
  failed: number;
  errors: number;
  skipped: number;
  flaky: number;
  /** Sum of the known durations, seconds. */
  totalSeconds: number;
}

export interface TestHistoryOptions {
  /** Only runs at or after this time (ISO-8601). */
  since?: string;
  /** Only runs of this branch. */
  branch?: string;
  /** Only the most recent N runs (after the other filters). */
  limit?: number;
}

/**
 * One test's results over the history's runs, as parallel arrays (one entry per result, in run
 * order; a run that reported the test twice gives two entries with the same run index).
 */
export interface TestCaseHistory {
  key: string;
  suite: string;
  classname: string;
  name: string;
  file: string | null;
  /** Index into `TestHistory.runs`, non-decreasing. */
  runs: number[];
  statuses: TestStatus[];
  durations: (number | null)[];
  retries: number[];
  /** The most recent non-null message. */
  lastMessage: string | null;
}

export interface TestHistory {
  system: string;
  /** Oldest first: by `at`, then run id, then attempt. */
  runs: TestRunSummary[];
  /** Every test with a result in those runs, by key (code-unit order). */
  tests: TestCaseHistory[];
}

/** CI records of one system (`ci/model.ts`), recorded atomically; see {@link Store.recordCiRecords}. */
export interface CiRecordsInput {
  system: string;
  /** What the records came from, e.g. `github-actions` or `jsonl`; kept with each row written. */
  source: string;
  /**
   * Any (async) iterable: the ingest's generator can be handed over as it is (records are written
   * in chunks as they come). If it throws, or a record is invalid, nothing is recorded.
   */
  records: Iterable<CiRecord> | AsyncIterable<CiRecord>;
}

/**
 * What a recording did, one count per input record, each against the stored state just before it
 * (so a key given twice counts once as inserted, then as updated or unchanged).
 */
export interface CiRecordsRecorded {
  /** Records whose (pipeline, run, attempt, job, step) the system did not have. */
  inserted: number;
  /** Records that replaced a stored one with other values (status, times, commit, branch, url or source). */
  updated: number;
  /** Records equal to the stored one; not written again. */
  unchanged: number;
}

export interface CiRecordsOptions {
  /**
   * Only records whose time — `startedAt`, else `queuedAt`, else `finishedAt` — is at or after
   * this (ISO-8601). Records with none of the three are left out.
   */
  since?: string;
  /** Only records of this pipeline. */
  pipeline?: string;
}

/** One system's snapshot, as {@link Store.latestSnapshots} gives it. */
export interface SnapshotHead {
  system: string;
  id: string;
  startedAt: string;
  finishedAt: string;
  status: SnapshotStatus;
}

/** How many findings of a system have an aspect and a severity. */
export interface FindingCount {
  system: string;
  aspect: Aspect;
  severity: Severity;
  count: number;
}

/** Which findings {@link Store.findingRanks} selects; every given filter must hold. */
export interface FindingFilter {
  systems?: readonly string[];
  aspects?: readonly Aspect[];
  severities?: readonly Severity[];
  rules?: readonly string[];
  /** `open`: the current backlog (state open); `resolved`: resolved and not seen since; `all`: both. */
  state: 'open' | 'resolved' | 'all';
  /** Suppressed findings are left out unless this is true. */
  includeSuppressed?: boolean;
  /** Only findings first seen at or before this time (ISO-8601). */
  firstSeenAtOrBefore?: string;
  /** Case-insensitive (ASCII) substring of the title, the message or the location's path. */
  text?: string;
}

/**
 * What ranking a finding needs (see `report/priority.ts`), without its text and data: cheap to
 * read for every finding of every system. `ref` designates the finding in {@link Store.findingsByRef}.
 */
export interface FindingRank {
  ref: number;
  system: string;
  fingerprint: string;
  aspect: Aspect;
  severity: Severity;
  effort: Effort | null;
  status: FindingStatus;
  firstSeen: string;
  lastSeen: string;
  suppressed: boolean;
}

/** A snapshot at which a finding's status changed (it was new, reopened or resolved). */
export interface FindingChange {
  snapshotId: string;
  at: string;
  status: FindingStatus;
}

export interface IgnoreInput {
  system: string;
  /** A fingerprint or a prefix of one (8 to 64 lower-case hex digits); or give `rule`. */
  fingerprint?: string | null;
  /** A rule id such as `todo/marker`; or give `fingerprint`. */
  rule?: string | null;
  reason: string;
  /** YYYY-MM-DD, the last day it applies; null for no end. */
  until: string | null;
}

/** An ignore made through `prodeng serve`'s API; applied at observation like an `ignore:` entry. */
export interface StoredIgnore {
  id: number;
  system: string;
  fingerprint: string | null;
  rule: string | null;
  reason: string;
  until: string | null;
  createdAt: string;
}

export interface Store {
  /** Applies pending migrations (idempotent; safe when several processes start at once). */
  migrate(): Promise<void>;
  /**
   * Records one snapshot in one transaction and reconciles the findings' lifecycle (see
   * `core/lifecycle.ts`). Either everything is recorded or nothing is. Returns the new id.
   * Duplicate fingerprints in one input: the first wins. Times are stored as `toISOString()`.
   * Rejects with a TypeError for invalid input, a `StoreError` for backend failures.
   */
  recordSnapshot(input: SnapshotInput): Promise<string>;
  /** By name, in code-unit order (the same on every backend); only the one named by `system`, if given. */
  listSystems(options?: { system?: string }): Promise<SystemSummary[]>;
  /**
   * Newest first (by `startedAt`, then id). Probe runs are included without their `facts` (which
   * can be large); `getSnapshot` has them. `before` (ISO-8601): only snapshots started before it.
   */
  listSnapshots(system: string, options?: { limit?: number; before?: string }): Promise<SnapshotRecord[]>;
  /** With probe runs and their facts; null when there is no such snapshot. */
  getSnapshot(id: string): Promise<SnapshotRecord | null>;
  /**
   * Findings as they were at a snapshot: those observed in it (status new/open/reopened) and those
   * it resolved (status resolved). Ordered by first appearance; empty for an unknown snapshot.
   */
  findingsAt(snapshotId: string): Promise<StoredFinding[]>;
  /**
   * The backlog of a system: every finding whose current state is open (observed and not yet
   * resolved by a later complete run of its probe), plus those resolved by the system's latest
   * snapshot. Status is the finding's status at its latest observation. Ordered by first
   * appearance; empty for an unknown system.
   */
  currentFindings(system: string): Promise<StoredFinding[]>;
  /**
   * The id of the snapshot `ref` designates: a full id, a unique id prefix of at least 4
   * characters (case-insensitive), or `~N`, the N-th snapshot back from the latest of `system`
   * (`~0` is the latest; without a system, the store must hold exactly one). A given `system` also
   * restricts ids and prefixes to its snapshots. Throws a `StoreError` with code `not-found` or
   * `ambiguous` whose message lists the candidates.
   */
  resolveSnapshotRef(system: string | undefined, ref: string): Promise<string>;
  /** In the order they were given to recordSnapshot. */
  metricsAt(snapshotId: string): Promise<MetricRecord[]>;
  /** Oldest first; every label set unless `labels` narrows it (exact match on the given keys). */
  metricSeries(system: string, name: string, labels?: Record<string, string>): Promise<MetricPoint[]>;
  /** Distinct metric names recorded for a system. */
  metricNames(system: string): Promise<string[]>;
  /**
   * Records one run's test results in one transaction, creating the system if needed. Idempotent:
   * recording the same (system, run id, attempt) again replaces the earlier results (same key,
   * same counts). Results stream in (any iterable) and are written in chunks. Rejects with a
   * TypeError for invalid input (nothing recorded), a `StoreError` for backend failures.
   */
  recordTestRun(input: TestRunInput): Promise<TestRunRecorded>;
  /** A system's test runs, newest first (by `at`, then run id, then attempt). */
  listTestRuns(system: string, options?: { limit?: number }): Promise<TestRunSummary[]>;
  /**
   * The results of a system's tests over its runs (filtered by `options`), compact: see
   * {@link TestHistory}. Empty for an unknown system. Memory grows with the number of results
   * returned; runs are read one at a time.
   */
  testHistory(system: string, options?: TestHistoryOptions): Promise<TestHistory>;
  /**
   * Records normalised CI records (each checked with `ciRecordSchema`) in one transaction,
   * creating the system if needed. Idempotent: one row per (system, pipeline, run, attempt, job,
   * step); a record recorded again is `unchanged`, or `updated` when its values changed (a run
   * first seen in progress, now finished). Duplicate keys in one input: the last wins. Rejects
   * with a TypeError naming the record's index for invalid input (nothing recorded), a
   * `StoreError` for backend failures.
   */
  recordCiRecords(input: CiRecordsInput): Promise<CiRecordsRecorded>;
  /**
   * A system's CI records (empty for an unknown system), ordered by pipeline, run (as text), attempt,
   * job, step — strings in code-unit order, null job and step first — with `url` always present
   * (null when unknown). Memory grows with the records returned: narrow with `options`.
   */
  ciRecords(system: string, options?: CiRecordsOptions): Promise<CiRecord[]>;
  /** How many CI records a system has (0 for an unknown system). */
  ciRecordCount(system: string): Promise<number>;
  /**
   * Each system's latest snapshot (by `startedAt`, then id), or with `atOrBefore` its latest one
   * started at or before that time; systems without one are left out. By system name.
   */
  latestSnapshots(options?: { atOrBefore?: string }): Promise<SnapshotHead[]>;
  /** Open (state open), unsuppressed findings by system, aspect and severity; only non-zero counts; of one system if given. */
  openFindingCounts(options?: { system?: string }): Promise<FindingCount[]>;
  /** What the given snapshots observed (resolved and suppressed findings left out), counted as above. */
  findingCountsAt(snapshotIds: readonly string[]): Promise<FindingCount[]>;
  /** The ranking fields of every finding the filter selects (any order). */
  findingRanks(filter: FindingFilter): Promise<FindingRank[]>;
  /** The current state of the findings `refs` designate (from {@link findingRanks}), in the order given. */
  findingsByRef(refs: readonly number[]): Promise<StoredFinding[]>;
  /**
   * Findings open now that were new or reopened at a snapshot started at or after `since`
   * (ISO-8601), any system; ordered by first appearance.
   */
  findingsChangedSince(since: string): Promise<StoredFinding[]>;
  /**
   * A finding's current state and every snapshot where its status changed (new, reopened,
   * resolved), oldest first; null when the system has no finding with that fingerprint.
   */
  findingHistory(system: string, fingerprint: string): Promise<{ finding: StoredFinding; changes: FindingChange[] } | null>;
  /**
   * For each system (or the one named), the latest snapshot in which `probe` ran (status ok or
   * partial), by system name.
   */
  latestProbeSnapshots(probe: string, options?: { system?: string }): Promise<Array<{ system: string; snapshotId: string; at: string }>>;
  /** The facts `probe` reported in each of the given snapshots (absent: it reported none there). */
  probeFacts(probe: string, snapshotIds: readonly string[]): Promise<Map<string, unknown>>;
  /**
   * Every metric point of a system from its snapshots started at or after `since` (all when
   * absent), ordered by name, then time (then snapshot id, then recording order); one query, for the
   * dashboard's charts.
   */
  systemMetrics(system: string, options?: { since?: string }): Promise<Array<MetricPoint & { name: string; probe: string }>>;
  /**
   * Records an ignore and applies it at once: the system's findings it matches that no other
   * ignore suppresses become suppressed (unless its `until` is before `now`'s day). Rejects with a
   * TypeError for invalid input. Returns the ignore and how many findings it suppressed.
   */
  createIgnore(input: IgnoreInput, options?: { now?: Date }): Promise<{ ignore: StoredIgnore; suppressed: number }>;
  /**
   * A value that changes whenever what the other reads return can have changed — a snapshot
   * recorded, an ignore made or deleted, by this process or any other — and is equal only when
   * they cannot have. Cheap (a few aggregates), for caches of derived results.
   */
  changeToken(): Promise<string>;
  /** Ignores made through the API, oldest first; of one system when `system` is given. */
  listIgnores(options?: { system?: string }): Promise<StoredIgnore[]>;
  /**
   * Deletes an ignore and lifts the suppression it put on the current findings (the next
   * observation re-applies any other ignore that matches them). False when there is no such ignore.
   */
  deleteIgnore(id: number): Promise<boolean>;
  close(): Promise<void>;
}

export type { Effort, FindingStatus, Severity };
