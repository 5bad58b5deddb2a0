/**
 * The tables as Kysely sees them (after migrations `0001-initial`, `0002-test-results`, `0003-ci-records` and `0004-serve`). Every JSON value is stored as
 * text on both backends, every time as ISO-8601 text in UTC (`Date#toISOString()`), so that string
 * order is time order and the two dialects behave the same.
 */
import type { Generated } from 'kysely';

export interface SystemsTable {
  id: Generated<number>;
  name: string;
  created_at: string;
  /** Touched by every recordSnapshot; on PostgreSQL the update also serialises writers of a system. */
  updated_at: string;
  /** Writes recorded for this system (0005-change-counter): what `changeToken()` sums. */
  changes: Generated<number>;
}

export interface SnapshotsTable {
  /** See `ids.ts`: 26 characters, time-sortable. */
  id: string;
  system_id: number;
  started_at: string;
  finished_at: string;
  status: string;
  revision_commit: string | null;
  revision_branch: string | null;
  /** When the store wrote the row (wall clock of the recording process). */
  recorded_at: string;
}

export interface ProbeRunsTable {
  snapshot_id: string;
  /** Position in `SnapshotInput.probes`, to give them back in the same order. */
  ordinal: number;
  probe: string;
  status: string;
  duration_ms: number;
  /** JSON array of ProbeError. */
  errors: string;
  /** JSON, or NULL when the probe reported no facts (`undefined`). */
  facts: string | null;
}

/** One row per (system, fingerprint): the finding's current state. */
export interface FindingsTable {
  id: Generated<number>;
  system_id: number;
  fingerprint: string;
  probe: string;
  rule: string;
  aspect: string;
  severity: string;
  title: string;
  message: string;
  location_path: string | null;
  location_line: number | null;
  location_column: number | null;
  location_url: string | null;
  data: string;
  remediation: string | null;
  effort: string | null;
  /** JSON Suppression, or NULL. */
  suppressed: string | null;
  state: 'open' | 'resolved';
  /** Status at the latest snapshot that observed or resolved it. */
  last_status: 'new' | 'open' | 'reopened' | 'resolved';
  first_seen: string;
  last_seen: string;
  first_snapshot_id: string;
  /** The latest snapshot that observed it. */
  last_snapshot_id: string;
  resolved_at: string | null;
  /** The snapshot that resolved it, while it stays resolved. */
  resolved_snapshot_id: string | null;
}

/** What a snapshot saw of a finding, or (status `resolved`) the finding it resolved. */
export interface FindingOccurrencesTable {
  snapshot_id: string;
  finding_id: number;
  status: 'new' | 'open' | 'reopened' | 'resolved';
  severity: string;
  title: string;
  message: string;
  location_path: string | null;
  location_line: number | null;
  location_column: number | null;
  location_url: string | null;
  data: string;
  suppressed: string | null;
  /** The snapshot's time when observed; the last observation's time when resolved. */
  last_seen: string;
}

export interface MetricPointsTable {
  snapshot_id: string;
  /** Position in `SnapshotInput.metrics`. */
  ordinal: number;
  system_id: number;
  probe: string;
  name: string;
  value: number;
  unit: string;
  /** JSON object with sorted keys (`canonicalLabels`). */
  labels: string;
}

/** One row per (system, run id, attempt): a CI run's test results, as ingested (`0002-test-results`). */
export interface TestRunsTable {
  /** `testRunKey(system, run id, attempt)`: 24 hex characters, the same in every database. */
  id: string;
  system_id: number;
  /** The run id as given (a CI build number, a workflow run id, …). */
  run_id: string;
  /** 1 for the first attempt; CI re-runs of the same run id are separate runs. */
  attempt: number;
  revision_commit: string | null;
  revision_branch: string | null;
  /** When the run happened (`--at`), ISO-8601 UTC: the order of a test's history. */
  started_at: string;
  /** What the results came from (`junit`, …). */
  source: string;
  /** When the store wrote the row (wall clock of the ingesting process). */
  recorded_at: string;
  /** Distinct test cases, and results by status (`failed` excludes `error`), filled at the end. */
  tests: number;
  results: number;
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
  flaky: number;
  /** Sum of the results' known durations, in seconds. */
  total_seconds: number;
}

/** One row per (system, test key): the identity of a test and its names for display. */
export interface TestCasesTable {
  id: Generated<number>;
  system_id: number;
  /** The normalised identity (`testresults/identity.ts`), at most 512 characters. */
  test_key: string;
  suite: string;
  classname: string;
  name: string;
  /** The latest file seen for this test, or NULL. */
  file: string | null;
}

/** One row per result: (run, position in the run's input). A test may have several per run. */
export interface TestResultsTable {
  run_id: string;
  ordinal: number;
  test_case_id: number;
  /** passed, failed, error, skipped or flaky. */
  status: string;
  duration_seconds: number | null;
  message: string | null;
  /** Reruns inside the run (Surefire flakyFailure, rerunFailure and the like). */
  retries: number;
}

/**
 * One row per (system, pipeline, run, attempt, job, step): a normalised CI record (`ci/model.ts`),
 * updated in place when recorded again (`0003-ci-records`).
 */
export interface CiRecordsTable {
  system_id: number;
  /** The workflow path or name; any stable id for other CIs. */
  pipeline: string;
  /** The CI's run id, as text (ordered as text). */
  run: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** The job name, or `''` for a run row (a primary key column cannot be NULL; CiRecord job names are never empty). */
  job: string;
  /** The step name, or `''` for a job or run row (same reason). */
  step: string;
  /** A `CiStatus`. */
  status: string;
  revision_commit: string | null;
  revision_branch: string | null;
  queued_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  url: string | null;
  /** What recorded the current values (`github-actions`, `jsonl`, …). */
  source: string;
  /** When the store last wrote the row (wall clock of the recording process). */
  recorded_at: string;
}

/** One row per ignore made through `prodeng serve`'s API (`0004-serve`). */
export interface IgnoresTable {
  id: Generated<number>;
  /** The system's name (not a foreign key: a configured system may have no snapshot yet). */
  system: string;
  /** A fingerprint or a prefix of one (8 to 64 hex digits), or NULL when `rule` is set. */
  fingerprint: string | null;
  /** A rule id, or NULL when `fingerprint` is set. */
  rule: string | null;
  reason: string;
  /** YYYY-MM-DD: the last day the ignore applies; NULL for no end. */
  until: string | null;
  created_at: string;
}

export interface Database {
  systems: SystemsTable;
  snapshots: SnapshotsTable;
  probe_runs: ProbeRunsTable;
  findings: FindingsTable;
  finding_occurrences: FindingOccurrencesTable;
  metric_points: MetricPointsTable;
  test_runs: TestRunsTable;
  test_cases: TestCasesTable;
  test_results: TestResultsTable;
  ci_records: CiRecordsTable;
  ignores: IgnoresTable;
}

/** Kysely's migration bookkeeping tables, prefixed so they never clash in a shared PostgreSQL database. */
export const MIGRATION_TABLE = 'prodeng_migration';
export const MIGRATION_LOCK_TABLE = 'prodeng_migration_lock';

/** The data tables, e.g. for tests that empty a database between cases. */
export const DATA_TABLES = [
  'ignores',
  'ci_records',
  'test_results',
  'test_cases',
  'test_runs',
  'metric_points',
  'finding_occurrences',
  'findings',
  'probe_runs',
  'snapshots',
  'systems',
] as const satisfies readonly (keyof Database)[];
