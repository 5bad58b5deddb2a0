import { describe, expect, it } from 'vitest';
import { durationRegressions, durationStats, slowestTests } from './slow.js';
import { at, makeHistory } from './test-support/history.js';

describe('durationStats', () => {
  it('gives mean, nearest-rank p95 and total, ignoring unknown durations', () => {
    expect(durationStats([])).toStrictEqual({ samples: 0, meanSeconds: null, p95Seconds: null, totalSeconds: 0 });
    expect(durationStats([null, 2, null])).toStrictEqual({ samples: 1, meanSeconds: 2, p95Seconds: 2, totalSeconds: 2 });
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(durationStats(hundred)).toMatchObject({ samples: 100, meanSeconds: 50.5, p95Seconds: 95, totalSeconds: 5050 });
    expect(durationStats([1, 2, 3]).p95Seconds).toBe(3);
  });
});

describe('slowestTests', () => {
  it('ranks by mean duration of the results that ran, outside excluded runs', () => {
    const history = makeHistory(4, {
      fast: { results: 'PPPP', duration: () => 0.1 },
      slow: { results: 'PFPP', duration: () => 5 },
      skippedSlow: { results: 'SSSS', duration: () => 100 },
      spiky: { results: 'PPPP', duration: (run) => (run === 3 ? 40 : 1) },
      unknown: { results: 'PPPP', duration: () => null },
    });
    expect(slowestTests(history).map((t) => [t.id, t.meanSeconds, t.p95Seconds, t.samples])).toStrictEqual([
      ['spiky', 10.75, 40, 4],
      ['slow', 5, 5, 4],
      ['fast', 0.1, 0.1, 4],
    ]);
    expect(slowestTests(history, { top: 1 }).map((t) => t.id)).toStrictEqual(['spiky']);
    expect(slowestTests(history, { excludedRuns: new Set([3]) }).map((t) => t.id)).toStrictEqual(['slow', 'spiky', 'fast']);
  });
});

describe('durationRegressions', () => {
  const step = (from: number, seconds: number, before = 1) => (run: number) => (run >= from ? seconds : before);

  it('finds tests whose recent mean grew past both thresholds', () => {
    const history = makeHistory(40, {
      doubled: { results: 'P'.repeat(40), duration: step(30, 2) },
      slightlySlower: { results: 'P'.repeat(40), duration: step(30, 1.3) },
      tinyButTripled: { results: 'P'.repeat(40), duration: step(30, 0.03, 0.01) },
      stable: { results: 'P'.repeat(40), duration: () => 1 },
      tooYoung: { results: `${'.'.repeat(25)}${'P'.repeat(15)}`, duration: step(35, 9) },
      fromZero: { results: 'P'.repeat(40), duration: step(30, 0.5, 0) },
    });
    const regressions = durationRegressions(history);
    expect(regressions.map((r) => [r.id, r.baselineSeconds, r.recentSeconds, r.change, r.since])).toStrictEqual([
      ['fromZero', 0, 0.5, null, at(30)],
      ['doubled', 1, 2, 1, at(30)],
    ]);
    expect(durationRegressions(history, { threshold: 0.2 }).map((r) => r.id)).toStrictEqual(['fromZero', 'doubled', 'slightlySlower']);
    expect(durationRegressions(history, { minDeltaSeconds: 0.01 }).map((r) => r.id)).toStrictEqual(['fromZero', 'tinyButTripled', 'doubled']);
    expect(durationRegressions(history, { minBaseline: 5 }).map((r) => r.id)).toContain('tooYoung');
  });

  it('compares with the baseline window right before the recent one', () => {
    // Slow long ago, fast since, slower again recently: the baseline is the fast period.
    const history = makeHistory(60, { t: { results: 'P'.repeat(60), duration: (run) => (run < 20 ? 3 : run < 50 ? 1 : 1.6) } });
    expect(durationRegressions(history)).toMatchObject([{ id: 't', baselineSeconds: 1, recentSeconds: expect.closeTo(1.6, 9) }]);
    expect(durationRegressions(history, { baseline: 50 })).toStrictEqual([]);
  });
});
