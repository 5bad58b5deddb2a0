import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CiRecord } from '../../ci/model.js';
import type { Finding, ProbeResult } from '../../core/model.js';
import type { ProbeContext, SystemHistory } from '../../core/probe.js';
import { openStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import { ciProbe, ciProbeConfigSchema } from './index.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY = 86_400_000;
let store: Store;

beforeEach(async () => {
  store = await openStore(':memory:');
});
afterEach(async () => {
  await store.close();
});

function history(system: string): SystemHistory {
  return {
    recordTestRun: (input) => store.recordTestRun({ ...input, system }),
    testHistory: (options) => store.testHistory(system, options),
    ciRecords: (options) => store.ciRecords(system, options),
  };
}

function context(system = 'app'): ProbeContext {
  return {
    system: { name: system, sources: {} },
    signal: new AbortController().signal,
    now: NOW,
    offline: true,
    cacheDir: '/nonexistent',
    progress: () => undefined,
    history: history(system),
  };
}

async function run(options: Record<string, unknown> = {}, system = 'app'): Promise<ProbeResult> {
  return ciProbe.run(context(system), ciProbeConfigSchema.parse(options));
}

type Observed = Extract<ProbeResult, { findings: Finding[] }> & { facts: { pipelines: number; records: number; sections: Array<{ title: string; items: string[] }> } };

function ok(result: ProbeResult): Observed {
  if (result.status !== 'ok') throw new Error(JSON.stringify(result));
  return result as never;
}

const iso = (ms: number) => new Date(ms).toISOString();

interface RunShape {
  pipeline?: string;
  run: number;
  /** Days before NOW the run was queued. */
  daysAgo: number;
  queueSeconds: number;
  setupSeconds: number;
  testSeconds: number;
  status?: CiRecord['status'];
  branch?: string;
}

/** One run of one job ("test") with two steps ("Set up", "Run tests"), as `ingest ci` records it. */
function records({ pipeline = 'build', run, daysAgo, queueSeconds, setupSeconds, testSeconds, status = 'success', branch = 'main' }: RunShape): CiRecord[] {
  const queued = NOW.getTime() - daysAgo * DAY;
  const started = queued + queueSeconds * 1000;
  const setupDone = started + setupSeconds * 1000;
  const finished = setupDone + testSeconds * 1000;
  const base = { pipeline, run: String(run), attempt: 1, job: 'test', commit: `c${run}`, branch, queuedAt: iso(queued) };
  return [
    { ...base, step: null, status, startedAt: iso(started), finishedAt: iso(finished) },
    { ...base, step: 'Set up', status: 'success', startedAt: iso(started), finishedAt: iso(setupDone) },
    { ...base, step: 'Run tests', status, startedAt: iso(setupDone), finishedAt: iso(finished) },
  ];
}

async function recordRuns(shapes: RunShape[], system = 'app'): Promise<void> {
  await store.recordCiRecords({ system, source: 'jsonl', records: shapes.flatMap(records) });
}

describe('ci probe', () => {
  it('is skipped, with the reason, when the system has no CI records', async () => {
    const outcome = await run();
    expect(outcome.status).toBe('skipped');
    expect(outcome.status === 'skipped' && outcome.reason).toContain('no CI runs of the last 90 days recorded for app');
    expect(outcome.status === 'skipped' && outcome.reason).toContain('prodeng ingest github-actions');
  });

  it('is skipped when the only records are older than `days`, or belong to another system', async () => {
    await recordRuns([{ run: 1, daysAgo: 120, queueSeconds: 5, setupSeconds: 30, testSeconds: 60 }]);
    await recordRuns([{ run: 2, daysAgo: 1, queueSeconds: 5, setupSeconds: 30, testSeconds: 60 }], 'other');
    expect((await run()).status).toBe('skipped');
    expect((await run({ days: 30 })).status).toBe('skipped');
    const wider = ok(await run({ days: 365 }));
    expect(wider.facts).toMatchObject({ pipelines: 1, records: 3 });
  });

  it('reports quiet pipelines with metrics and no findings', async () => {
    await recordRuns(Array.from({ length: 12 }, (_, i) => ({ run: i + 1, daysAgo: 20 - i, queueSeconds: 10, setupSeconds: 20, testSeconds: 100 })));
    const outcome = ok(await run());
    expect(outcome.findings).toEqual([]);
    expect(outcome.errors).toEqual([]);
    const metrics = Object.fromEntries(outcome.metrics.map((m) => [m.name, m]));
    expect(metrics['ci.runs']).toMatchObject({ value: 12, unit: 'runs', labels: { pipeline: 'build' } });
    expect(metrics['ci.failure_rate']).toMatchObject({ value: 0, unit: 'ratio' });
    expect(metrics['ci.duration_p50_seconds']).toMatchObject({ value: 120, unit: 'seconds' });
    expect(metrics['ci.duration_p95_seconds']).toMatchObject({ value: 120, unit: 'seconds' });
    expect(metrics['ci.queue_p95_seconds']).toMatchObject({ value: 10, unit: 'seconds' });
    expect(outcome.facts.sections).toEqual([
      {
        title: 'build',
        items: [
          '12 runs, 0 failed (0%); duration p50 2.0 min, p95 2.0 min; queue p95 10 s',
          'slowest steps: test › Run tests p95 1.7 min; test › Set up p95 20 s',
          'critical path of run 12: test (2.0 min)',
        ],
      },
    ]);
  });

  it('finds a slow step, a duration regression and long queues, per pipeline', async () => {
    // build: 30 runs of ~12 min, then 10 of ~26 min; jobs wait 400 s. docs: quick, never slow.
    const build = Array.from({ length: 40 }, (_, i) => ({ run: 100 + i, daysAgo: 60 - i, queueSeconds: 400, setupSeconds: 60, testSeconds: i < 30 ? 700 : 1500 }));
    const docs = Array.from({ length: 10 }, (_, i) => ({ pipeline: 'docs', run: 500 + i, daysAgo: 30 - i, queueSeconds: 5, setupSeconds: 10, testSeconds: 20, status: i === 9 ? ('failure' as const) : undefined }));
    await recordRuns([...build, ...docs]);
    const outcome = ok(await run());
    expect(outcome.facts).toMatchObject({ pipelines: 2, records: 150 });

    const rules = outcome.findings.map((f) => `${f.rule} ${(f.data as { pipeline: string }).pipeline}`).sort();
    expect(rules).toEqual(['ci/duration-regression build', 'ci/queue-time build', 'ci/slow-step build']);
    const byRule = Object.fromEntries(outcome.findings.map((f) => [f.rule, f]));
    expect(byRule['ci/slow-step']).toMatchObject({ severity: 'low', data: { job: 'test', step: 'Run tests', reason: 'duration', samples: 40, p95Seconds: 1500 } });
    expect(byRule['ci/duration-regression']).toMatchObject({
      severity: 'high', // 760 s → 1560 s: more than doubled
      data: { recentRuns: 10, baselineRuns: 30, baselineMedianSeconds: 760, recentMedianSeconds: 1560, jobs: [{ job: 'test', deltaSeconds: 800 }] },
    });
    expect(byRule['ci/queue-time']).toMatchObject({ severity: 'medium', data: { p95Seconds: 400, samples: 40, jobs: [{ job: 'test', p95Seconds: 400 }] } });

    const metric = (name: string, pipeline: string) => outcome.metrics.find((m) => m.name === name && m.labels.pipeline === pipeline)?.value;
    expect(metric('ci.runs', 'build')).toBe(40);
    expect(metric('ci.runs', 'docs')).toBe(10);
    expect(metric('ci.failure_rate', 'docs')).toBe(0.1);
    expect(metric('ci.duration_p95_seconds', 'build')).toBe(1560);
    // Failed runs do not count for durations (durationStatuses: success).
    expect(metric('ci.duration_p50_seconds', 'docs')).toBe(30);

    // Fingerprints are per pipeline and rule, so the next observation matches them.
    const again = ok(await run());
    expect(again.findings.map((f) => f.fingerprint).sort()).toEqual(outcome.findings.map((f) => f.fingerprint).sort());
  });

  it('passes the analysis options through: branch, thresholds', async () => {
    await recordRuns([
      // Most of the run, but under slowStepShareMinSeconds (120 s): not slow by default.
      ...Array.from({ length: 6 }, (_, i) => ({ run: i + 1, daysAgo: 10 - i, queueSeconds: 30, setupSeconds: 10, testSeconds: 100 })),
      ...Array.from({ length: 6 }, (_, i) => ({ run: 50 + i, daysAgo: 10 - i, queueSeconds: 900, setupSeconds: 10, testSeconds: 900, branch: 'feature' })),
    ]);
    const all = ok(await run());
    expect(all.findings.map((f) => f.rule).sort()).toEqual(['ci/queue-time', 'ci/slow-step']);
    const main = ok(await run({ branch: 'main' }));
    expect(main.findings).toEqual([]);
    expect(main.metrics.find((m) => m.name === 'ci.runs')).toMatchObject({ value: 6, labels: { pipeline: 'build', branch: 'main' } });
    const strict = ok(await run({ branch: 'main', slowStepSeconds: 90, queueP95Seconds: 20 }));
    expect(strict.findings.map((f) => f.rule).sort()).toEqual(['ci/queue-time', 'ci/slow-step']);
    expect(() => ciProbeConfigSchema.parse({ days: 0 })).toThrow();
    expect(() => ciProbeConfigSchema.parse({ unknown: 1 })).toThrow();
  });
});
