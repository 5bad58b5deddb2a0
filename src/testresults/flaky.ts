/**
 * Flaky and broken tests, from a test history (`store.testHistory`) — pure functions, no I/O.
 *
 * Runs where most tests failed at once (an infrastructure failure: more than `infraFailureRatio`
 * of the results that ran failed, in a run of at least `infraMinTests`) are left out of everything.
 * Skipped results are ignored. A result "passes" when its status is passed or flaky (it passed in
 * the end) and "fails" when it is failed or error.
 *
 * A result is a **flake** (evidence that the test is flaky) when:
 * - `retry`: its status is `flaky` — it failed, then passed on a retry within the run (Surefire's
 *   flakyFailure/flakyError);
 * - `same-commit`: it failed on a commit on which the test also passed (across runs, attempts, or
 *   within one run that reported the test twice, as Gradle's retry plugin does);
 * - `flips`: on the default branch, the test's last `flipWindow` results flip between pass and fail
 *   at least `minFlips` times and at a rate of at least `flipRate` per result (needs `minRuns`
 *   results); then each failure next to a pass in that window is a flake.
 *
 * A test is **broken** when every result of it that ran failed, or its last `brokenAfter` results
 * all failed — consistently failing is not flaky, whatever happened before. Otherwise it is
 * **flaky** when it has flakes, and **recovered** (reported with status `healthy`) once its last
 * `recoverAfter` results all passed cleanly (status `passed`) since its last flake.
 *
 * The **score** (0–1) is the recency-weighted share of the test's results that were flakes: each
 * result weighs 2^(−age / halfLifeRuns), its age counted in analysed runs back from the latest.
 */
import type { TestHistory, TestRunSummary, TestStatus } from '../store/store.js';
import { durationStats, timedResults } from './slow.js';

export type TestState = 'flaky' | 'recovered' | 'broken' | 'healthy';
export type FlakeKind = 'retry' | 'same-commit' | 'flips';

export interface FlakyOptions {
  /**
   * The branch whose runs count for flips. Default: `main` if any run has it, else `master`, else
   * the most frequent branch. Runs without a branch always count as default-branch runs.
   */
  defaultBranch?: string | null;
  /** How many of a test's latest default-branch results the flip rule looks at (default 50). */
  flipWindow?: number;
  /** Fewest results in that window for the flip rule to apply (default 10). */
  minRuns?: number;
  /** Flips per result (flips / (results − 1)) at or above which a test is flaky (default 0.1). */
  flipRate?: number;
  /** Fewest flips for the flip rule (default 4: twice failing and recovering). */
  minFlips?: number;
  /** A run where more than this share of the results that ran failed is excluded (default 0.5). */
  infraFailureRatio?: number;
  /** Runs with fewer results that ran are never excluded (default 10). */
  infraMinTests?: number;
  /** Clean passes after the last flake that make a flaky test `recovered` (default 10). */
  recoverAfter?: number;
  /** Consecutive latest failures that make a test `broken` (default 10). */
  brokenAfter?: number;
  /** Half-life of a result's weight in the score, in runs (default 20). */
  halfLifeRuns?: number;
  /** Evidence entries kept per test, most recent first (default 10). */
  maxEvidence?: number;
}

export const DEFAULT_FLAKY_OPTIONS = {
  flipWindow: 50,
  minRuns: 10,
  flipRate: 0.1,
  minFlips: 4,
  infraFailureRatio: 0.5,
  infraMinTests: 10,
  recoverAfter: 10,
  brokenAfter: 10,
  halfLifeRuns: 20,
  maxEvidence: 10,
} as const;

export interface FlakeEvidence {
  kind: FlakeKind;
  runKey: string;
  runId: string;
  attempt: number;
  commit: string | null;
  branch: string | null;
  at: string;
  status: TestStatus;
}

export interface TestReport {
  /** The test's stable id (its key). */
  id: string;
  suite: string;
  classname: string;
  name: string;
  file: string | null;
  /** What `prodeng tests` shows: `recovered` tests are `healthy`. */
  status: 'flaky' | 'broken' | 'healthy';
  state: TestState;
  score: number;
  /** Analysed runs in which the test ran (not skipped). */
  runs: number;
  /** Analysed results that failed (failed or error). */
  failures: number;
  /** Pass↔fail changes over the test's analysed default-branch results. */
  flips: number;
  /** `at` of the run of the first and the last flake; null without flakes. */
  firstFlake: string | null;
  lastFlake: string | null;
  meanSeconds: number | null;
  p95Seconds: number | null;
  /** Kinds of evidence found, in the order retry, same-commit, flips. */
  reasons: FlakeKind[];
  /** Most recent first, at most `maxEvidence`. */
  evidence: FlakeEvidence[];
  /** Flakes in all (evidence may be capped). */
  flakes: number;
  lastMessage: string | null;
}

export interface ExcludedRun {
  /** Index into `history.runs`. */
  index: number;
  runKey: string;
  runId: string;
  attempt: number;
  at: string;
  /** Results that ran, and those that failed. */
  ran: number;
  failed: number;
}

export interface TestsAnalysis {
  system: string;
  defaultBranch: string | null;
  /** Runs analysed (history runs minus excluded ones). */
  runs: number;
  excludedRuns: ExcludedRun[];
  /** Flaky first (highest score first), then broken, then healthy; by id within. */
  tests: TestReport[];
  counts: Record<TestState, number>;
}

/** One entry of the quarantine export: the tests to quarantine, with why. */
export interface QuarantineEntry {
  id: string;
  suite: string;
  classname: string;
  name: string;
  file: string | null;
  score: number;
  firstFlake: string | null;
  lastFlake: string | null;
  reasons: FlakeKind[];
}

type Resolved = Required<Omit<FlakyOptions, 'defaultBranch'>>;

const NONE = 0;
const RETRY = 1;
const SAME_COMMIT = 2;
const FLIPS = 3;
const KINDS: readonly FlakeKind[] = ['retry', 'same-commit', 'flips'];

function isPass(status: TestStatus | undefined): boolean {
  return status === 'passed' || status === 'flaky';
}

function isFail(status: TestStatus | undefined): boolean {
  return status === 'failed' || status === 'error';
}

/** `main`, else `master`, else the most frequent branch (ties: alphabetical); null without branches. */
export function inferDefaultBranch(runs: readonly TestRunSummary[]): string | null {
  const counts = new Map<string, number>();
  for (const run of runs) if (run.branch !== null) counts.set(run.branch, (counts.get(run.branch) ?? 0) + 1);
  if (counts.has('main')) return 'main';
  if (counts.has('master')) return 'master';
  let best: string | null = null;
  let bestCount = 0;
  for (const [branch, count] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (count > bestCount) {
      best = branch;
      bestCount = count;
    }
  }
  return best;
}

/** Runs where most tests failed at once (see the module comment). */
export function infrastructureFailures(runs: readonly TestRunSummary[], options: Pick<FlakyOptions, 'infraFailureRatio' | 'infraMinTests'> = {}): ExcludedRun[] {
  const ratio = options.infraFailureRatio ?? DEFAULT_FLAKY_OPTIONS.infraFailureRatio;
  const minTests = options.infraMinTests ?? DEFAULT_FLAKY_OPTIONS.infraMinTests;
  const out: ExcludedRun[] = [];
  runs.forEach((run, index) => {
    const ran = run.results - run.skipped;
    const failed = run.failed + run.errors;
    if (ran >= minTests && ran > 0 && failed / ran > ratio) {
      out.push({ index, runKey: run.runKey, runId: run.runId, attempt: run.attempt, at: run.at, ran, failed });
    }
  });
  return out;
}

function resolveOptions(options: FlakyOptions): Resolved {
  const merged = { ...DEFAULT_FLAKY_OPTIONS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as Resolved & {
    defaultBranch?: unknown;
  };
  delete merged.defaultBranch;
  return merged;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** Classifies every test of the history (see the module comment for the rules). */
export function analyzeTests(history: TestHistory, options: FlakyOptions = {}): TestsAnalysis {
  const o = resolveOptions(options);
  const { runs } = history;
  const excludedRuns = infrastructureFailures(runs, o);
  const excluded = new Uint8Array(runs.length);
  for (const run of excludedRuns) excluded[run.index] = 1;
  const defaultBranch = options.defaultBranch === undefined ? inferDefaultBranch(runs) : options.defaultBranch;
  const onDefault = new Uint8Array(runs.length);
  const commitOf = new Int32Array(runs.length).fill(-1);
  const commits = new Map<string, number>();
  const position = new Int32Array(runs.length).fill(-1);
  let analysed = 0;
  runs.forEach((run, i) => {
    onDefault[i] = run.branch === null || run.branch === defaultBranch ? 1 : 0;
    if (run.commit !== null) {
      let c = commits.get(run.commit);
      if (c === undefined) {
        c = commits.size;
        commits.set(run.commit, c);
      }
      commitOf[i] = c;
    }
    if (excluded[i] === 0) position[i] = analysed++;
  });
  const weight = new Float64Array(analysed);
  for (let p = 0; p < analysed; p++) weight[p] = 2 ** (-(analysed - 1 - p) / o.halfLifeRuns);
  const passedOn = new Int32Array(commits.size);
  const excludedSet = new Set(excludedRuns.map((run) => run.index));

  const tests: TestReport[] = [];
  const counts: Record<TestState, number> = { flaky: 0, recovered: 0, broken: 0, healthy: 0 };
  history.tests.forEach((test, t) => {
    const stamp = t + 1;
    const { statuses } = test;
    const kept: number[] = [];
    for (let k = 0; k < statuses.length; k++) {
      const run = test.runs[k] ?? -1;
      if (run < 0 || excluded[run] === 1 || statuses[k] === 'skipped') continue;
      kept.push(k);
      const c = commitOf[run] ?? -1;
      if (c >= 0 && isPass(statuses[k])) passedOn[c] = stamp;
    }

    const events = new Uint8Array(statuses.length);
    let failures = 0;
    let runCount = 0;
    let lastRun = -1;
    for (const k of kept) {
      const run = test.runs[k] ?? -1;
      if (run !== lastRun) runCount++;
      lastRun = run;
      const status = statuses[k];
      if (status === 'flaky') events[k] = RETRY;
      else if (isFail(status)) {
        failures++;
        const c = commitOf[run] ?? -1;
        if (c >= 0 && passedOn[c] === stamp) events[k] = SAME_COMMIT;
      }
    }

    // Flips on the default branch.
    const sequence = kept.filter((k) => onDefault[test.runs[k] ?? 0] === 1);
    let flips = 0;
    for (let j = 1; j < sequence.length; j++) if (isPass(statuses[sequence[j] ?? 0]) !== isPass(statuses[sequence[j - 1] ?? 0])) flips++;
    const window = sequence.slice(-o.flipWindow);
    let windowFlips = 0;
    for (let j = 1; j < window.length; j++) if (isPass(statuses[window[j] ?? 0]) !== isPass(statuses[window[j - 1] ?? 0])) windowFlips++;
    if (window.length >= o.minRuns && windowFlips >= o.minFlips && windowFlips / (window.length - 1) >= o.flipRate) {
      for (let j = 0; j < window.length; j++) {
        const k = window[j] ?? 0;
        if (events[k] !== NONE || !isFail(statuses[k])) continue;
        const before = j > 0 && isPass(statuses[window[j - 1] ?? 0]);
        const after = j + 1 < window.length && isPass(statuses[window[j + 1] ?? 0]);
        if (before || after) events[k] = FLIPS;
      }
    }

    // Score, evidence, first and last flake.
    let weighted = 0;
    let total = 0;
    const flakeIndices: number[] = [];
    const kinds = new Set<number>();
    for (const k of kept) {
      const w = weight[position[test.runs[k] ?? 0] ?? 0] ?? 0;
      total += w;
      const event = events[k] ?? NONE;
      if (event !== NONE) {
        weighted += w;
        flakeIndices.push(k);
        kinds.add(event);
      }
    }
    const runAt = (k: number | undefined) => (k === undefined ? null : (runs[test.runs[k] ?? -1]?.at ?? null));

    let trailingFails = 0;
    for (let j = kept.length - 1; j >= 0 && isFail(statuses[kept[j] ?? 0]); j--) trailingFails++;
    let clean = 0;
    for (let j = kept.length - 1; j >= 0 && statuses[kept[j] ?? 0] === 'passed'; j--) clean++;

    let state: TestState;
    if (kept.length > 0 && (failures === kept.length || trailingFails >= o.brokenAfter)) state = 'broken';
    else if (flakeIndices.length > 0) state = clean >= o.recoverAfter ? 'recovered' : 'flaky';
    else state = 'healthy';
    counts[state]++;

    const evidence: FlakeEvidence[] = [];
    for (let j = flakeIndices.length - 1; j >= 0 && evidence.length < o.maxEvidence; j--) {
      const k = flakeIndices[j] ?? 0;
      const run = runs[test.runs[k] ?? -1];
      if (run === undefined) continue;
      evidence.push({
        kind: KINDS[(events[k] ?? RETRY) - 1] ?? 'retry',
        runKey: run.runKey,
        runId: run.runId,
        attempt: run.attempt,
        commit: run.commit,
        branch: run.branch,
        at: run.at,
        status: statuses[k] ?? 'failed',
      });
    }
    const stats = durationStats(timedResults(test, excludedSet).durations);
    tests.push({
      id: test.key,
      suite: test.suite,
      classname: test.classname,
      name: test.name,
      file: test.file,
      status: state === 'recovered' ? 'healthy' : state,
      state,
      score: total > 0 ? round(weighted / total) : 0,
      runs: runCount,
      failures,
      flips,
      firstFlake: runAt(flakeIndices[0]),
      lastFlake: runAt(flakeIndices.at(-1)),
      meanSeconds: stats.meanSeconds,
      p95Seconds: stats.p95Seconds,
      reasons: [RETRY, SAME_COMMIT, FLIPS].filter((kind) => kinds.has(kind)).map((kind) => KINDS[kind - 1] ?? 'retry'),
      evidence,
      flakes: flakeIndices.length,
      lastMessage: test.lastMessage,
    });
  });

  const rank: Record<TestReport['status'], number> = { flaky: 0, broken: 1, healthy: 2 };
  tests.sort((a, b) => rank[a.status] - rank[b.status] || b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { system: history.system, defaultBranch, runs: analysed, excludedRuns, tests, counts };
}

/** The indices of the excluded runs, for `slow.ts`. */
export function excludedRunSet(analysis: TestsAnalysis): Set<number> {
  return new Set(analysis.excludedRuns.map((run) => run.index));
}

/** The tests to quarantine: those currently flaky (not recovered), highest score first. */
export function quarantineList(analysis: TestsAnalysis, options: { minScore?: number } = {}): QuarantineEntry[] {
  const minScore = options.minScore ?? 0;
  return analysis.tests
    .filter((test) => test.state === 'flaky' && test.score >= minScore)
    .map((test) => ({
      id: test.id,
      suite: test.suite,
      classname: test.classname,
      name: test.name,
      file: test.file,
      score: test.score,
      firstFlake: test.firstFlake,
      lastFlake: test.lastFlake,
      reasons: test.reasons,
    }));
}

/** The `prodeng tests` JSON contract: `{ tests: [...] }` with the documented fields (and `state`). */
export function testsOutput(analysis: TestsAnalysis): {
  tests: Pick<
    TestReport,
    'id' | 'suite' | 'classname' | 'name' | 'file' | 'status' | 'state' | 'score' | 'runs' | 'failures' | 'flips' | 'firstFlake' | 'lastFlake' | 'meanSeconds' | 'p95Seconds'
  >[];
} {
  return {
    tests: analysis.tests.map((test) => ({
      id: test.id,
      suite: test.suite,
      classname: test.classname,
      name: test.name,
      file: test.file,
      status: test.status,
      state: test.state,
      score: test.score,
      runs: test.runs,
      failures: test.failures,
      flips: test.flips,
      firstFlake: test.firstFlake,
      lastFlake: test.lastFlake,
      meanSeconds: test.meanSeconds,
      p95Seconds: test.p95Seconds,
    })),
  };
}
