import { describe, expect, it } from 'vitest';
import type { Store, StoredFinding } from '../store/store.js';
import { buildReport } from './report-builder.js';
import type { MetricRecord, SnapshotRecord } from './model.js';

const snapshot: SnapshotRecord = {
  id: 's1',
  system: 'big',
  startedAt: '2026-11-30T00:00:00.000Z',
  finishedAt: '2026-11-30T00:00:01.000Z',
  status: 'complete',
  revision: null,
  probes: [{ id: 'todo', status: 'ok', durationMs: 1, errors: [] }],
};

function finding(n: number): StoredFinding {
  return {
    fingerprint: `f${n}`,
    system: 'big',
    probe: 'todo',
    rule: 'todo/marker',
    aspect: 'code-health',
    severity: n % 2 === 0 ? 'low' : 'info',
    title: `TODO ${n}`,
    message: `item ${n}`,
    location: { path: `big${n % 20}.go`, line: n },
    status: 'open',
    firstSeen: '2026-11-30T00:00:00.000Z',
    lastSeen: '2026-11-30T00:00:00.000Z',
    data: {},
    remediation: null,
    effort: null,
  };
}

/** Only what buildReport asks of a store, answering with a backlog of `count` findings. */
function storeWith(count: number): Store {
  const findings = Array.from({ length: count }, (_, n) => finding(n));
  const metrics: MetricRecord[] = Array.from({ length: count }, (_, n) => ({ system: 'big', probe: 'todo', name: 'm', value: n, unit: 'x', labels: { n: String(n) } }));
  const fake: Partial<Store> = {
    getSnapshot: async (id) => (id === 's1' ? snapshot : null),
    listSnapshots: async () => [{ ...snapshot, findingCounts: undefined } as never],
    currentFindings: async () => findings,
    findingsAt: async () => findings,
    metricsAt: async () => metrics,
  };
  return fake as Store;
}

describe('buildReport', () => {
  it('takes a backlog of 200,000 findings and metrics (more than a call can take as arguments)', async () => {
    const report = await buildReport(storeWith(200_000), ['s1'], { now: new Date('2026-12-01T00:00:00Z'), toolVersion: 'test', rules: new Map() });
    expect(report.findings).toHaveLength(200_000);
    expect(report.metrics).toHaveLength(200_000);
    // Ranked: the low-severity half before the informational one.
    expect(report.findings[0]!.severity).toBe('low');
    expect(report.findings.at(-1)!.severity).toBe('info');
    expect(Object.keys(report.rules)).toEqual(['todo/marker']);
  });
});
