/**
 * What changed between two snapshots of one system: findings new, resolved and reopened, and
 * metrics that moved. Pure: it works on what the store returns.
 */
import type { MetricRecord, SnapshotRecord } from '../core/model.js';
import type { StoredFinding } from '../store/store.js';

export interface MetricChange {
  probe: string;
  name: string;
  labels: Record<string, string>;
  unit: string;
  from: number | null;
  to: number | null;
  delta: number | null;
  /** Relative change in percent; null when `from` is 0 or missing. */
  deltaPercent: number | null;
}

export interface SnapshotDiff {
  system: string;
  from: SnapshotRef;
  to: SnapshotRef;
  findings: {
    new: StoredFinding[];
    resolved: StoredFinding[];
    reopened: StoredFinding[];
    /** Present in `from`, absent in `to`, but its probe did not run completely in `to`. */
    unobserved: StoredFinding[];
  };
  metrics: MetricChange[];
}

export interface SnapshotRef {
  id: string;
  startedAt: string;
  status: SnapshotRecord['status'];
  revision: SnapshotRecord['revision'];
}

/**
 * @param fromFindings findings observed at `from` (resolved ones are ignored)
 * @param toFindings findings observed at `to` (resolved ones are ignored)
 */
export function diffSnapshots(
  from: SnapshotRecord,
  to: SnapshotRecord,
  fromFindings: readonly StoredFinding[],
  toFindings: readonly StoredFinding[],
  fromMetrics: readonly MetricRecord[],
  toMetrics: readonly MetricRecord[],
): SnapshotDiff {
  const present = (findings: readonly StoredFinding[]) =>
    new Map(findings.filter((f) => f.status !== 'resolved').map((f) => [f.fingerprint, f]));
  const before = present(fromFindings);
  const after = present(toFindings);
  const completeInTo = new Set(to.probes.filter((p) => p.status === 'ok').map((p) => p.id));

  const result: SnapshotDiff['findings'] = { new: [], resolved: [], reopened: [], unobserved: [] };
  for (const [fp, finding] of after) {
    if (before.has(fp)) continue;
    // Seen before `from` (and gone at `from`): it came back.
    if (finding.firstSeen < from.startedAt) result.reopened.push(finding);
    else result.new.push(finding);
  }
  for (const [fp, finding] of before) {
    if (after.has(fp)) continue;
    (completeInTo.has(finding.probe) ? result.resolved : result.unobserved).push(finding);
  }

  const key = (m: MetricRecord) => `${m.probe}\0${m.name}\0${JSON.stringify(Object.entries(m.labels).sort())}`;
  const fromByKey = new Map(fromMetrics.map((m) => [key(m), m]));
  const toByKey = new Map(toMetrics.map((m) => [key(m), m]));
  const metrics: MetricChange[] = [];
  for (const k of new Set([...fromByKey.keys(), ...toByKey.keys()])) {
    const a = fromByKey.get(k);
    const b = toByKey.get(k);
    const base = (b ?? a)!;
    if (a && b && a.value === b.value) continue;
    const delta = a && b ? b.value - a.value : null;
    metrics.push({
      probe: base.probe,
      name: base.name,
      labels: base.labels,
      unit: base.unit,
      from: a?.value ?? null,
      to: b?.value ?? null,
      delta,
      deltaPercent: a && b && a.value !== 0 ? Math.round(((b.value - a.value) / Math.abs(a.value)) * 10_000) / 100 : null,
    });
  }
  metrics.sort((x, y) => (x.name === y.name ? key2(x).localeCompare(key2(y)) : x.name < y.name ? -1 : 1));

  const ref = (s: SnapshotRecord): SnapshotRef => ({ id: s.id, startedAt: s.startedAt, status: s.status, revision: s.revision });
  return { system: to.system, from: ref(from), to: ref(to), findings: result, metrics };
}

function key2(m: MetricChange): string {
  return JSON.stringify(Object.entries(m.labels).sort());
}
