import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyseCi, buildExecutions, criticalPath, percentile } from './analysis.js';
import { CI_STATUSES, type CiRecord } from './model.js';

const T0 = Date.parse('2024-05-01T00:00:00Z');

/** Timestamps as sources give them, and some they should not: null, junk, far past and future. */
const timestamp = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 6 * 3600 }).map((s) => new Date(T0 + s * 1000).toISOString()) },
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom('1', '-271821-04-20T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '2024-05-01T00:00:00+14:00', 'NaN') },
);

const record: fc.Arbitrary<CiRecord> = fc
  .record({
    pipeline: fc.constantFrom('ci.yml', 'deploy', 'x'),
    run: fc.constantFrom('1', '2', '3', '10', 'r-1', ''),
    attempt: fc.integer({ min: 1, max: 3 }),
    job: fc.option(fc.constantFrom('build', 'test', 'lint', 'deploy', ''), { nil: null }),
    step: fc.option(fc.constantFrom('checkout', 'compile', 'unit', 'Set up job'), { nil: null }),
    status: fc.constantFrom(...CI_STATUSES),
    commit: fc.option(fc.constantFrom('abc1234', 'def5678'), { nil: null }),
    branch: fc.option(fc.constantFrom('main', 'dev'), { nil: null }),
    queuedAt: timestamp,
    startedAt: timestamp,
    finishedAt: timestamp,
    url: fc.option(fc.constantFrom('https://ci.example/1', 'https://ci.example/2'), { nil: null }),
  })
  // arbitrary on purpose: steps without a job happen here too (the schema refuses them, the analysis must not care)
  .map((r) => r as CiRecord);

const config = fc.record(
  {
    branch: fc.option(fc.constantFrom('main', 'dev'), { nil: null }),
    durationStatuses: fc.subarray([...CI_STATUSES], { minLength: 1 }),
    queueAggregate: fc.constantFrom('max' as const, 'sum' as const),
    recentRuns: fc.integer({ min: 1, max: 5 }),
    baselineRuns: fc.integer({ min: 1, max: 5 }),
    minRecentRuns: fc.integer({ min: 1, max: 3 }),
    minBaselineRuns: fc.integer({ min: 1, max: 3 }),
    regressionMinSeconds: fc.integer({ min: 0, max: 60 }),
    slowStepSeconds: fc.integer({ min: 1, max: 600 }),
    minSamples: fc.integer({ min: 1, max: 3 }),
    queueP95Seconds: fc.integer({ min: 1, max: 600 }),
    overlapToleranceSeconds: fc.integer({ min: 0, max: 5 }),
  },
  { requiredKeys: [] },
);

describe('analyseCi properties', () => {
  it('never throws, and its numbers are finite and consistent', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 60 }), config, (records, options) => {
        const { pipelines, findings, metrics } = analyseCi(records, options);
        for (const metric of metrics) {
          expect(Number.isFinite(metric.value)).toBe(true);
          expect(metric.value).toBeGreaterThanOrEqual(0);
          expect(metric.labels.pipeline).toBeDefined();
        }
        for (const stats of pipelines) {
          if (stats.failureRate !== null) {
            expect(stats.failureRate).toBeGreaterThanOrEqual(0);
            expect(stats.failureRate).toBeLessThanOrEqual(1);
          }
          expect(stats.failures).toBeLessThanOrEqual(stats.finished);
          expect(stats.finished).toBeLessThanOrEqual(stats.executions);
          for (const d of [stats.duration, stats.queue, ...stats.slowestJobs, ...stats.slowestSteps]) {
            if (d === null) continue;
            expect(d.p50Seconds).toBeLessThanOrEqual(d.p95Seconds);
            expect(d.p95Seconds).toBeLessThanOrEqual(d.maxSeconds);
            expect(d.meanSeconds).toBeLessThanOrEqual(d.maxSeconds + 0.001);
            expect(d.p50Seconds).toBeGreaterThanOrEqual(0);
          }
          for (const job of stats.criticalJobs) expect(job.share).toBeLessThanOrEqual(1);
        }
        for (const finding of findings) {
          expect(['ci/slow-step', 'ci/duration-regression', 'ci/queue-time']).toContain(finding.rule);
          expect(finding.fingerprint).toMatch(/^[0-9a-f]{32}$/);
          expect(() => JSON.stringify(finding)).not.toThrow();
        }
        expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(findings.length);
      }),
      { numRuns: 400 },
    );
  });

  it('critical paths are chains of non-overlapping jobs, no shorter than the longest job', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 40 }), fc.integer({ min: 0, max: 3 }), (records, tolerance) => {
        for (const execution of buildExecutions(records)) {
          const path = criticalPath(execution.jobs, tolerance);
          const timed = execution.jobs.filter((j) => j.status !== 'skipped' && j.startedAt !== null && j.finishedAt !== null && j.finishedAt >= j.startedAt);
          if (timed.length === 0) {
            expect(path).toBeNull();
            continue;
          }
          expect(path).not.toBeNull();
          if (path === null) continue;
          for (let i = 1; i < path.jobs.length; i++) {
            const before = Date.parse((path.jobs[i - 1] as { finishedAt: string }).finishedAt);
            const after = Date.parse((path.jobs[i] as { startedAt: string }).startedAt);
            expect(after + tolerance * 1000).toBeGreaterThanOrEqual(before);
          }
          const longest = Math.max(...timed.map((j) => ((j.finishedAt as number) - (j.startedAt as number)) / 1000));
          expect(path.busySeconds).toBeGreaterThanOrEqual(Math.round(longest * 1000) / 1000 - 0.001);
          if (tolerance === 0) expect(path.busySeconds).toBeLessThanOrEqual(path.spanSeconds + 0.001);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('percentile properties', () => {
  it('is one of the values, between the minimum and the maximum, and grows with p', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 50 }), fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (values, p, q) => {
        const value = percentile(values, p) as number;
        expect(values).toContain(value);
        expect(value).toBeGreaterThanOrEqual(Math.min(...values));
        expect(value).toBeLessThanOrEqual(Math.max(...values));
        const [lo, hi] = p <= q ? [p, q] : [q, p];
        expect(percentile(values, lo) as number).toBeLessThanOrEqual(percentile(values, hi) as number);
      }),
      { numRuns: 500 },
    );
  });
});
