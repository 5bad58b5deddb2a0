/**
 * Slow tests, from a test history (pure functions): mean and p95 duration per test, the slowest N,
 * and duration regressions (the recent mean against the earlier one).
 *
 * Durations count every result that ran (passed, failed, error, flaky; not skipped) and has a
 * known duration, outside excluded runs (infrastructure failures, see `flaky.ts`).
 */
import type { TestCaseHistory, TestHistory } from '../store/store.js';

export interface DurationStats {
  /** Results with a known duration. */
  samples: number;
  meanSeconds: number | null;
  /** Nearest-rank 95th percentile. */
  p95Seconds: number | null;
  totalSeconds: number;
}

export interface SlowTest extends DurationStats {
  id: string;
  suite: string;
  classname: string;
  name: string;
  file: string | null;
}

export interface SlowOptions {
  /** How many of the slowest tests (default 20). */
  top?: number;
  /** Runs (indices into `history.runs`) to leave out. */
  excludedRuns?: ReadonlySet<number>;
}

export interface RegressionOptions {
  /** The recent window: the test's last N timed results (default 10). */
  recent?: number;
  /** The baseline: up to N timed results before the recent window (default 30). */
  baseline?: number;
  /** Fewest results in the baseline (default 10). */
  minBaseline?: number;
  /** Relative slow-down that counts: recent ≥ baseline × (1 + threshold) (default 0.5, i.e. +50%). */
  threshold?: number;
  /** Absolute slow-down that counts, seconds, so that noise on tiny tests does not (default 0.1). */
  minDeltaSeconds?: number;
  excludedRuns?: ReadonlySet<number>;
}

export interface DurationRegression {
  id: string;
  suite: string;
  classname: string;
  name: string;
  file: string | null;
  baselineSeconds: number;
  recentSeconds: number;
  /** recent / baseline − 1 (0.5 = 50% slower); null when the baseline mean is 0. */
  change: number | null;
  /** When the recent window starts (the `at` of its first run). */
  since: string | null;
}

export const DEFAULT_SLOW_TOP = 20;
export const DEFAULT_REGRESSION = { recent: 10, baseline: 30, minBaseline: 10, threshold: 0.5, minDeltaSeconds: 0.1 } as const;

const EMPTY: ReadonlySet<number> = new Set();

/** Mean, p95 and total of some durations (nulls ignored). */
export function durationStats(durations: readonly (number | null)[]): DurationStats {
  const known: number[] = [];
  let total = 0;
  for (const duration of durations) {
    if (duration === null) continue;
    known.push(duration);
    total += duration;
  }
  if (known.length === 0) return { samples: 0, meanSeconds: null, p95Seconds: null, totalSeconds: 0 };
  known.sort((a, b) => a - b);
  const p95 = known[Math.max(0, Math.ceil(0.95 * known.length) - 1)] ?? null;
  return { samples: known.length, meanSeconds: total / known.length, p95Seconds: p95, totalSeconds: total };
}

/** The durations of a test's results that ran, in run order, outside excluded runs. */
export function timedResults(test: TestCaseHistory, excluded: ReadonlySet<number> = EMPTY): { durations: number[]; runs: number[] } {
  const durations: number[] = [];
  const runs: number[] = [];
  for (let i = 0; i < test.statuses.length; i++) {
    const duration = test.durations[i];
    const run = test.runs[i] ?? -1;
    if (duration === null || duration === undefined || test.statuses[i] === 'skipped' || excluded.has(run)) continue;
    durations.push(duration);
    runs.push(run);
  }
  return { durations, runs };
}

function identity(test: TestCaseHistory): Pick<SlowTest, 'id' | 'suite' | 'classname' | 'name' | 'file'> {
  return { id: test.key, suite: test.suite, classname: test.classname, name: test.name, file: test.file };
}

/** The slowest tests by mean duration (ties: by id). */
export function slowestTests(history: TestHistory, options: SlowOptions = {}): SlowTest[] {
  const top = options.top ?? DEFAULT_SLOW_TOP;
  const excluded = options.excludedRuns ?? EMPTY;
  const all: SlowTest[] = [];
  for (const test of history.tests) {
    const stats = durationStats(timedResults(test, excluded).durations);
    if (stats.meanSeconds === null) continue;
    all.push({ ...identity(test), ...stats });
  }
  all.sort((a, b) => (b.meanSeconds ?? 0) - (a.meanSeconds ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return all.slice(0, Math.max(0, top));
}

/** Tests whose recent mean duration grew past the thresholds, largest relative change first. */
export function durationRegressions(history: TestHistory, options: RegressionOptions = {}): DurationRegression[] {
  const recent = options.recent ?? DEFAULT_REGRESSION.recent;
  const baseline = options.baseline ?? DEFAULT_REGRESSION.baseline;
  const minBaseline = options.minBaseline ?? DEFAULT_REGRESSION.minBaseline;
  const threshold = options.threshold ?? DEFAULT_REGRESSION.threshold;
  const minDelta = options.minDeltaSeconds ?? DEFAULT_REGRESSION.minDeltaSeconds;
  const excluded = options.excludedRuns ?? EMPTY;
  const out: DurationRegression[] = [];
  for (const test of history.tests) {
    const { durations, runs } = timedResults(test, excluded);
    if (durations.length < recent + minBaseline) continue;
    const split = durations.length - recent;
    const recentMean = mean(durations, split, durations.length);
    const baselineMean = mean(durations, Math.max(0, split - baseline), split);
    if (recentMean - baselineMean < minDelta) continue;
    if (baselineMean > 0 && recentMean < baselineMean * (1 + threshold)) continue;
    out.push({
      ...identity(test),
      baselineSeconds: baselineMean,
      recentSeconds: recentMean,
      change: baselineMean > 0 ? recentMean / baselineMean - 1 : null,
      since: history.runs[runs[split] ?? -1]?.at ?? null,
    });
  }
  const rank = (change: number | null) => change ?? Number.POSITIVE_INFINITY;
  out.sort((a, b) => rank(b.change) - rank(a.change) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return out;
}

function mean(values: readonly number[], from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i] ?? 0;
  return to > from ? sum / (to - from) : 0;
}
