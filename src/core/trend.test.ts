import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ResolvedSystem } from '../config/load.js';
import { openStore } from '../store/open.js';
import type { Store, StoredFinding } from '../store/store.js';
import { observe } from './engine.js';
import type { Metric } from './model.js';
import type { AnyProbe } from './probe.js';
import { metricDirection, TREND_PROBE_ID } from './trend.js';

/** A probe that reports whatever metrics `current` holds at the time it runs. */
function metricsProbe(id: string, current: () => Metric[], metrics?: AnyProbe['metrics'], fail?: () => boolean): AnyProbe {
  return {
    id,
    aspect: 'performance',
    title: id,
    description: id,
    rules: [],
    options: [],
    configSchema: z.object({}).strict(),
    ...(metrics ? { metrics } : {}),
    appliesTo: () => true,
    run: async () => (fail?.() ? { status: 'failed', errors: [{ message: 'down' }] } : { status: 'ok', findings: [], metrics: current(), errors: [] }),
  };
}

/** Deterministic noise in [-1, 1]. */
function noise(i: number): number {
  const x = Math.sin(i * 12.9898 + 78.233) * 43_758.5453;
  return (x - Math.floor(x)) * 2 - 1;
}

let store: Store;
beforeEach(async () => {
  store = await openStore(':memory:');
});
afterEach(async () => store.close());

async function observeSeries(probes: AnyProbe[], count: number, clock: { t: number }, only?: Set<string>): Promise<void> {
  const system: ResolvedSystem = { name: 'web', sources: {}, probes: new Map(probes.map((p) => [p.id, { enabled: true as const, config: {} }])), ignores: [] };
  for (let i = 0; i < count; i++) {
    clock.t += 86_400_000;
    await observe({
      systems: [system],
      probes,
      ...(only ? { only } : {}),
      store,
      offline: true,
      timeoutMs: 5_000,
      cacheDir: '/tmp/prodeng-trend-test-cache',
      signal: new AbortController().signal,
      now: () => new Date(clock.t),
    });
  }
}

const open = (findings: StoredFinding[]) => findings.filter((f) => f.status !== 'resolved' && f.probe === TREND_PROBE_ID).map((f) => [f.rule, f.severity, (f.data as { metric: string }).metric]);

describe('trend findings at observe', () => {
  it('reports a lasting regression by its size, keeps it while the series stays there, and resolves it when the series recovers', async () => {
    let step = 0;
    let level = 100;
    const latency = metricsProbe('lat', (): Metric[] => [
      { name: 'http.latency_p95_ms', value: level + 3 * noise(step++), unit: 'ms', labels: { endpoint: 'https://a' } },
      // Same shift, but more is better: an improvement.
      { name: 'http.availability', value: level === 100 ? 0.9 + 0.001 * noise(step) : 0.99 + 0.001 * noise(step), unit: 'ratio', labels: {} },
      // A shift of a metric that is neither better nor worse is not judged.
      { name: 'lat.files', value: level, unit: 'files', labels: {} },
    ], { 'lat.files': { better: 'neither' } });
    const clock = { t: Date.parse('2026-01-01T00:00:00Z') };
    await observeSeries([latency], 12, clock); // 2 to 13 January
    expect(open(await store.currentFindings('web'))).toEqual([]);

    level = 160; // +60 %: high
    await observeSeries([latency], 6, clock);
    const findings = await store.currentFindings('web');
    expect(open(findings).sort()).toEqual([
      ['trend/improvement', 'info', 'http.availability'],
      ['trend/regression', 'high', 'http.latency_p95_ms'],
    ]);
    const regression = findings.find((f) => f.rule === 'trend/regression')!;
    expect(regression.aspect).toBe('performance');
    expect(regression.title).toMatch(/^http\.latency_p95_ms\{endpoint="https:\/\/a"\} got worse: 100 → 160 ms \(\+60%\)$/);
    expect(regression.data).toMatchObject({ since: '2026-01-14T00:00:00.000Z', direction: 'higher-is-worse' });
    const firstSeen = regression.firstSeen;

    await observeSeries([latency], 3, clock);
    const later = (await store.currentFindings('web')).find((f) => f.rule === 'trend/regression')!;
    expect(later.firstSeen).toBe(firstSeen); // the same finding, still open

    level = 100; // back: the latest change is now an improvement of latency
    await observeSeries([latency], 6, clock);
    const after = await store.currentFindings('web');
    expect(after.find((f) => f.fingerprint === regression.fingerprint && f.status !== 'resolved')).toBeUndefined();
    expect(open(after).sort()).toEqual([
      ['trend/improvement', 'info', 'http.latency_p95_ms'],
      // Availability went back down: now that is the regression (-9 %: low).
      ['trend/regression', 'low', 'http.availability'],
    ]);
  });

  it('reports nothing for noise, short series and small shifts', async () => {
    let step = 0;
    let small = 50;
    const probe = metricsProbe('p', () => [
      { name: 'ci.duration_p95_seconds', value: 300 + 20 * noise(step++), unit: 's', labels: {} },
      { name: 'todo.count', value: small, unit: 'markers', labels: {} },
    ]);
    const clock = { t: Date.parse('2026-01-01T00:00:00Z') };
    await observeSeries([probe], 5, clock);
    small = 51; // +2 %: a real shift, too small to report
    await observeSeries([probe], 25, clock);
    expect(open(await store.currentFindings('web'))).toEqual([]);
  });

  it('keeps trend findings open when a probe failed or the run was narrowed, and records the pseudo-probe', async () => {
    let level = 10;
    let failing = false;
    const probe = metricsProbe('p', () => [{ name: 'vulns.count', value: level, unit: 'n', labels: {} }], undefined, () => failing);
    const other = metricsProbe('q', () => []);
    const clock = { t: Date.parse('2026-01-01T00:00:00Z') };
    await observeSeries([probe, other], 8, clock);
    level = 20;
    await observeSeries([probe, other], 5, clock);
    expect(open(await store.currentFindings('web'))).toEqual([['trend/regression', 'high', 'vulns.count']]);

    failing = true;
    await observeSeries([probe, other], 1, clock);
    expect(open(await store.currentFindings('web'))).toEqual([['trend/regression', 'high', 'vulns.count']]);
    const [latest] = await store.listSnapshots('web', { limit: 1 });
    const snapshot = await store.getSnapshot(latest!.id);
    expect(snapshot!.probes.find((p) => p.id === TREND_PROBE_ID)).toMatchObject({ status: 'partial', facts: { notes: [expect.stringContaining('p did not observe completely')] } });
    expect(snapshot!.status).toBe('partial');

    failing = false;
    await observeSeries([probe, other], 1, clock, new Set(['q']));
    expect(open(await store.currentFindings('web'))).toEqual([['trend/regression', 'high', 'vulns.count']]);
  });
});

describe('metricDirection', () => {
  it('prefers the probe catalogue and falls back to the name', () => {
    expect(metricDirection('tls.cert_days_left', { 'tls.cert_days_left': { better: 'neither' } })).toBeNull();
    expect(metricDirection('x.score', { 'x.score': { better: 'lower' } })).toBe('higher-is-worse');
    expect(metricDirection('http.latency_p95_ms', undefined)).toBe('higher-is-worse');
    expect(metricDirection('coverage.lines', {})).toBe('higher-is-better');
  });
});
