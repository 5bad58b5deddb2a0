/**
 * Builds a {@link Report} from the store alone, so `observe` and `report` print exactly the same
 * thing for the same snapshot, and reporters never see probe internals.
 */
import { rankFindings } from '../report/priority.js';
import type { Store, StoredFinding } from '../store/store.js';
import { CORE_PROBE_ID, type MetricRecord, type Report, type RuleMeta, type SnapshotRecord } from './model.js';

export interface BuildReportOptions {
  now: Date;
  toolVersion: string;
  /** Rule metadata by id (from the probe registry and the core). */
  rules: ReadonlyMap<string, RuleMeta>;
}

/**
 * The report of the given snapshots. With `backlog` (the default) each system's findings are its
 * current backlog (open findings, including those of probes the snapshot did not run, plus what
 * the snapshot resolved); otherwise exactly what the snapshot saw.
 */
export async function buildReport(
  store: Store,
  snapshotIds: readonly string[],
  options: BuildReportOptions & { backlog?: boolean },
): Promise<Report> {
  const snapshots: SnapshotRecord[] = [];
  const findings: StoredFinding[] = [];
  const metrics: MetricRecord[] = [];
  for (const id of snapshotIds) {
    const snapshot = await store.getSnapshot(id);
    if (!snapshot) continue;
    // The core pseudo-probe always runs and always succeeds; showing it would only be noise.
    snapshots.push({ ...snapshot, probes: snapshot.probes.filter((probe) => probe.id !== CORE_PROBE_ID) });
    const isLatest = (await store.listSnapshots(snapshot.system, { limit: 1 }))[0]?.id === id;
    // The current backlog only makes sense for a system's latest snapshot; an older one is
    // reported as it was.
    const found = options.backlog !== false && isLatest ? await store.currentFindings(snapshot.system) : await store.findingsAt(id);
    // One by one: spreading a backlog of 100k+ findings into push() overflows the stack.
    for (const finding of found) findings.push(finding);
    for (const metric of await store.metricsAt(id)) metrics.push(metric);
  }
  const ranked = rankFindings(findings, options.now);
  const rules: Record<string, RuleMeta> = {};
  for (const finding of ranked) {
    rules[finding.rule] ??= options.rules.get(finding.rule) ?? {
      id: finding.rule,
      title: finding.rule,
      description: finding.rule,
      defaultSeverity: finding.severity,
      remediation: finding.remediation ?? '',
    };
  }
  return {
    schemaVersion: 1,
    generatedAt: options.now.toISOString(),
    tool: { name: 'prodeng', version: options.toolVersion },
    snapshots,
    findings: ranked,
    metrics,
    rules,
  };
}

/** The latest snapshot id of each system (or of the named ones), in the order given. */
export async function latestSnapshotIds(store: Store, systems?: readonly string[]): Promise<string[]> {
  const summaries = await store.listSystems();
  const names = systems ?? summaries.map((summary) => summary.name);
  return names.flatMap((name) => {
    const id = summaries.find((summary) => summary.name === name)?.latestSnapshotId;
    return id ? [id] : [];
  });
}
