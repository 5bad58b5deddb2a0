/**
 * Test histories written as strings, for the analysis tests: one character per run —
 * P passed, F failed, E error, S skipped, K flaky (failed then passed on retry), . not run.
 */
import type { TestCaseHistory, TestHistory, TestRunSummary, TestStatus } from '../../store/store.js';

const STATUS: Record<string, TestStatus> = { P: 'passed', F: 'failed', E: 'error', S: 'skipped', K: 'flaky' };

export interface RunSpec {
  branch?: string | null;
  commit?: string | null;
  runId?: string;
  attempt?: number;
}

export interface TestSpec {
  results: string;
  /** Seconds per run index (default 1). */
  duration?: (run: number) => number | null;
}

const BASE = Date.parse('2024-03-01T00:00:00.000Z');

export function at(run: number): string {
  return new Date(BASE + run * 3_600_000).toISOString();
}

/**
 * A history of `runs` runs (each on its own commit `c<i>` of `main` unless specified) holding the
 * given tests; run summaries are counted from the tests.
 */
export function makeHistory(runCount: number, tests: Record<string, string | TestSpec>, runs: RunSpec[] = []): TestHistory {
  const summaries: TestRunSummary[] = Array.from({ length: runCount }, (_, i) => {
    const spec = runs[i] ?? {};
    return {
      runKey: `key${i}`,
      runId: spec.runId ?? `run${i}`,
      attempt: spec.attempt ?? 1,
      commit: spec.commit === undefined ? `c${i}` : spec.commit,
      branch: spec.branch === undefined ? 'main' : spec.branch,
      at: at(i),
      source: 'junit',
      recordedAt: at(i),
      tests: 0,
      results: 0,
      passed: 0,
      failed: 0,
      errors: 0,
      skipped: 0,
      flaky: 0,
      totalSeconds: 0,
    };
  });
  const histories: TestCaseHistory[] = [];
  for (const [key, value] of Object.entries(tests).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const spec = typeof value === 'string' ? { results: value } : value;
    const history: TestCaseHistory = { key, suite: 's', classname: 'c', name: key, file: null, runs: [], statuses: [], durations: [], retries: [], lastMessage: null };
    // Several characters per run are allowed with "|": "P|F" = passed then failed in one run.
    const perRun = spec.results.includes('|') ? spec.results.split(' ') : [...spec.results];
    perRun.forEach((cell, run) => {
      for (const char of cell.split('|')) {
        const status = STATUS[char];
        if (status === undefined) continue;
        const summary = summaries[run];
        if (summary === undefined) throw new Error(`test ${key} has more results than runs`);
        const duration = spec.duration === undefined ? 1 : spec.duration(run);
        history.runs.push(run);
        history.statuses.push(status);
        history.durations.push(duration);
        history.retries.push(status === 'flaky' ? 1 : 0);
        if (status === 'failed' || status === 'error') history.lastMessage = `${key} failed in run ${run}`;
        summary.results++;
        summary.tests++;
        if (duration !== null) summary.totalSeconds += duration;
        const counter = status === 'error' ? 'errors' : status;
        summary[counter]++;
      }
    });
    histories.push(history);
  }
  return { system: 'web', runs: summaries, tests: histories };
}
