/**
 * The store keeps the history: systems, snapshots, probe runs, findings with their lifecycle,
 * metric points and facts. Two implementations share this contract and one conformance suite
 * (`store-conformance.ts`): SQLite through the built-in `node:sqlite`, and PostgreSQL through `pg`.
 * Dialect differences live in this folder alone.
 */
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
  /** By name, in code-unit order (the same on every backend). */
  listSystems(): Promise<SystemSummary[]>;
  /**
   * Newest first (by `startedAt`, then id). Probe runs are included without their `facts` (which
   * can be large); `getSnapshot` has them.
   */
  listSnapshots(system: string, options?: { limit?: number }): Promise<SnapshotRecord[]>;
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
  close(): Promise<void>;
}

export type { Effort, FindingStatus, Severity };
