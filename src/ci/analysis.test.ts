import { describe, expect, it } from 'vitest';
import { analyseCi, buildExecutions, ciConfigSchema, ciRuleMeta, criticalPath, deriveStatus, percentile } from './analysis.js';
import type { CiRecord, CiStatus } from './model.js';

const T0 = Date.parse('2024-05-01T00:00:00Z');
/** `minutes` after T0, as a record timestamp (fractions allowed). */
const at = (minutes: number) => new Date(T0 + Math.round(minutes * 60_000)).toISOString();

function job(run: string | number, name: string, queued: number | null, started: number | null, finished: number | null, status: CiStatus = 'success', extra: Partial<CiRecord> = {}): CiRecord {
  return {
    pipeline: 'ci.yml',
    run: String(run),
    attempt: 1,
    job: name,
    step: null,
    status,
    commit: null,
    branch: 'main',
    queuedAt: queued === null ? null : at(queued),
    startedAt: started === null ? null : at(started),
    finishedAt: finished === null ? null : at(finished),
    ...extra,
  };
}

function step(run: string | number, jobName: string, name: string, started: number, finished: number, status: CiStatus = 'success', extra: Partial<CiRecord> = {}): CiRecord {
  return { ...job(run, jobName, null, started, finished, status, extra), step: name };
}

/** A run of one job lasting `minutes`, started at `start` minutes (so runs are in time order). */
function simpleRun(run: number, start: number, minutes: number, extra: Partial<CiRecord> = {}): CiRecord[] {
  return [job(run, 'build', start, start, start + minutes, 'success', extra)];
}

describe('percentile (nearest rank)', () => {
  it('picks the smallest value with at least p % at or below it', () => {
    expect(percentile([50, 15, 40, 20, 35], 50)).toBe(35);
    expect(percentile([50, 15, 40, 20, 35], 95)).toBe(50);
    expect(percentile([50, 15, 40, 20, 35], 20)).toBe(15);
    expect(percentile([50, 15, 40, 20, 35], 0)).toBe(15);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 100)).toBe(4);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNull();
    expect(percentile([Number.NaN, 3], 50)).toBe(3);
  });
});

describe('deriveStatus', () => {
  it('takes the worst child status; skipped children do not count', () => {
    expect(deriveStatus(['success', 'skipped'])).toBe('success');
    expect(deriveStatus(['success', 'failure', 'cancelled'])).toBe('failure');
    expect(deriveStatus(['failure', 'timed_out'])).toBe('timed_out');
    expect(deriveStatus(['failure', 'in_progress'])).toBe('in_progress');
    expect(deriveStatus(['skipped', 'skipped'])).toBe('skipped');
    expect(deriveStatus([])).toBe('other');
  });
});

describe('analyseCi: a small pipeline computed by hand', () => {
  const records: CiRecord[] = [
    // run 1: 1 min → 11 min = 600 s; waits 60 s (build) and 120 s (test)
    job(1, 'build', 0, 1, 6),
    job(1, 'test', 6, 8, 11),
    // run 2: 10.5 → 19.5 = 540 s; waits 30 s and 30 s
    job(2, 'build', 10, 10.5, 14.5),
    job(2, 'test', 14.5, 15, 19.5),
    // run 3: failed build, test skipped; waits 60 s
    job(3, 'build', 20, 21, 23, 'failure'),
    job(3, 'test', 23, 23, 23, 'skipped'),
    // run 4: still running
    job(4, 'build', 30, 31, null, 'in_progress'),
  ];

  it('computes duration, queue, failure rate and slowest jobs', () => {
    const { pipelines, metrics, findings } = analyseCi(records);
    expect(findings).toEqual([]);
    expect(pipelines).toHaveLength(1);
    const stats = pipelines[0];
    expect(stats).toMatchObject({
      pipeline: 'ci.yml',
      executions: 4,
      finished: 3,
      failures: 1,
      failureRate: 0.3333,
      duration: { samples: 2, meanSeconds: 570, p50Seconds: 540, p95Seconds: 600, maxSeconds: 600 },
      // per execution the longest job wait: 120, 30, 60 (run 4 is not finished)
      queue: { samples: 3, p50Seconds: 60, p95Seconds: 120, maxSeconds: 120, meanSeconds: 70 },
    });
    // build: 300, 240, 120 s (a failed job still took its time); test: 180, 270 s
    expect(stats?.slowestJobs).toEqual([
      { job: 'test', samples: 2, meanSeconds: 225, p50Seconds: 180, p95Seconds: 270, maxSeconds: 270 },
      { job: 'build', samples: 3, meanSeconds: 220, p50Seconds: 240, p95Seconds: 300, maxSeconds: 300 },
    ]);
    expect(metrics).toEqual([
      { name: 'ci.runs', value: 4, unit: 'runs', labels: { pipeline: 'ci.yml' } },
      { name: 'ci.failure_rate', value: 0.3333, unit: 'ratio', labels: { pipeline: 'ci.yml' } },
      { name: 'ci.duration_p50_seconds', value: 540, unit: 'seconds', labels: { pipeline: 'ci.yml' } },
      { name: 'ci.duration_p95_seconds', value: 600, unit: 'seconds', labels: { pipeline: 'ci.yml' } },
      { name: 'ci.queue_p95_seconds', value: 120, unit: 'seconds', labels: { pipeline: 'ci.yml' } },
    ]);
  });

  it('sums the job waits with queueAggregate: sum, and counts failures as durations when asked', () => {
    const stats = analyseCi(records, { queueAggregate: 'sum', durationStatuses: ['success', 'failure'] }).pipelines[0];
    expect(stats?.queue).toMatchObject({ samples: 3, p95Seconds: 180, p50Seconds: 60 }); // 180, 60, 60
    expect(stats?.duration).toMatchObject({ samples: 3, p50Seconds: 540, maxSeconds: 600 }); // 600, 540, 120
  });

  it('labels metrics with the branch filter and keeps other branches out', () => {
    const other = simpleRun(9, 40, 50, { branch: 'feature' });
    const result = analyseCi([...records, ...other], { branch: 'main' });
    expect(result.pipelines[0]?.executions).toBe(4);
    expect(result.metrics[0]).toEqual({ name: 'ci.runs', value: 4, unit: 'runs', labels: { pipeline: 'ci.yml', branch: 'main' } });
    expect(analyseCi([...records, ...other]).pipelines[0]?.executions).toBe(5);
  });

  it('gives the same result whatever the record order', () => {
    const shuffled = [...records].reverse();
    expect(analyseCi(shuffled)).toEqual(analyseCi(records));
  });
});

describe('analyseCi: record granularity', () => {
  it('derives jobs from steps when there are no job rows (the JSON Lines form)', () => {
    const records = [
      { ...step(1, 'build', 'checkout', 2, 3), queuedAt: at(0) },
      { ...step(1, 'build', 'compile', 3, 9), queuedAt: at(0) },
      { ...step(1, 'test', 'unit', 10, 12), queuedAt: at(9) },
      { ...step(1, 'test', 'unit', 12, 13), queuedAt: at(9) }, // a second step of the same name
    ];
    const [execution] = buildExecutions(records);
    expect(execution).toMatchObject({ status: 'success', seconds: 660, queueSeconds: 120 });
    expect(execution?.jobs.map((j) => [j.job, j.startedAt, j.finishedAt, j.queueSeconds])).toEqual([
      ['build', T0 + 120_000, T0 + 540_000, 120],
      ['test', T0 + 600_000, T0 + 780_000, 60],
    ]);
    expect(execution?.jobs[1]?.steps.map((s) => s.step)).toEqual(['unit', 'unit (2)']);
  });

  it('prefers summary rows: a job and run that succeeded despite a failed step (continue-on-error)', () => {
    const records: CiRecord[] = [
      { ...job(1, '', null, 0, 10), job: null }, // run row
      job(1, 'lint', 0, 1, 10, 'success'),
      step(1, 'lint', 'eslint', 1, 5, 'failure'),
      step(1, 'lint', 'prettier', 5, 10),
    ];
    const [execution] = buildExecutions(records);
    expect(execution?.status).toBe('success');
    expect(execution?.jobs[0]?.status).toBe('success');
    // the duration is the jobs' (1 → 10 min), not the run row's (0 → 10): the first wait is queue time
    expect(execution?.seconds).toBe(540);
    expect(analyseCi(records).pipelines[0]?.failureRate).toBe(0);
  });

  it('uses the run row alone for a run without jobs', () => {
    const records: CiRecord[] = [{ ...job(5, '', 0, 1, 4, 'cancelled'), job: null }];
    const [execution] = buildExecutions(records);
    expect(execution).toMatchObject({ status: 'cancelled', seconds: 180, queueSeconds: null });
    expect(analyseCi(records).pipelines[0]).toMatchObject({ finished: 1, failures: 1, failureRate: 1, duration: null });
  });

  it('keeps attempts apart and counts each as an execution', () => {
    const records = [job(7, 'build', 0, 1, 3, 'failure'), job(7, 'build', 10, 11, 16, 'success', { attempt: 2 })];
    const stats = analyseCi(records).pipelines[0];
    expect(stats).toMatchObject({ executions: 2, finished: 2, failures: 1, failureRate: 0.5, duration: { samples: 1, p50Seconds: 300 } });
  });

  it('does not count skipped executions as finished, nor duplicated step rows twice', () => {
    const records = [job(1, 'deploy', 0, 0, 0, 'skipped'), step(2, 'build', 'make', 0, 2), step(2, 'build', 'make', 0, 2)];
    const stats = analyseCi(records).pipelines[0];
    expect(stats).toMatchObject({ executions: 2, finished: 1, failures: 0 });
    expect(stats?.slowestSteps[0]).toMatchObject({ step: 'make', samples: 1 });
  });
});

describe('criticalPath', () => {
  const jobsOf = (records: CiRecord[]) => buildExecutions(records)[0]?.jobs ?? [];

  it('follows the longest chain of non-overlapping jobs', () => {
    const jobs = jobsOf([
      job(1, 'A', 0, 0, 10),
      job(1, 'B', 0, 0, 3),
      job(1, 'C', 3, 3, 8), // after B
      job(1, 'D', 10, 10, 12), // after A (and after C)
      job(1, 'E', 4, 4, 5),
      job(1, 'skipped', 12, 12, 12, 'skipped'),
    ]);
    // A→D = 12 min beats B→C→D = 10 min and B→E→… shorter chains
    expect(criticalPath(jobs)).toEqual({
      jobs: [
        { job: 'A', startedAt: at(0), finishedAt: at(10), seconds: 600 },
        { job: 'D', startedAt: at(10), finishedAt: at(12), seconds: 120 },
      ],
      busySeconds: 720,
      spanSeconds: 720,
    });
  });

  it('counts the gaps between chained jobs in the span, not in the busy time', () => {
    const jobs = jobsOf([job(1, 'build', 0, 0, 5), job(1, 'deploy', 5, 8, 10)]);
    expect(criticalPath(jobs)).toMatchObject({ busySeconds: 420, spanSeconds: 600 });
    expect(criticalPath(jobs)?.jobs.map((j) => j.job)).toEqual(['build', 'deploy']);
  });

  it('chains slightly overlapping jobs only within the tolerance', () => {
    const jobs = jobsOf([job(1, 'X', 0, 0, 10), job(1, 'Y', 9.99, 9.99, 20)]);
    expect(criticalPath(jobs)?.jobs.map((j) => j.job)).toEqual(['Y']);
    expect(criticalPath(jobs, 1)?.jobs.map((j) => j.job)).toEqual(['X', 'Y']);
  });

  it('is null without timed jobs, and reported per pipeline with how often each job is on it', () => {
    expect(criticalPath(jobsOf([job(1, 'a', 0, null, null, 'in_progress')]))).toBeNull();
    const records = [
      job(1, 'build', 0, 0, 5),
      job(1, 'lint', 0, 0, 2),
      job(1, 'deploy', 5, 5, 6),
      job(2, 'build', 10, 10, 11),
      job(2, 'lint', 10, 10, 14),
      job(2, 'deploy', 14, 14, 15),
    ];
    const stats = analyseCi(records).pipelines[0];
    expect(stats?.criticalPath).toMatchObject({ run: '2', attempt: 1, jobs: [{ job: 'lint' }, { job: 'deploy' }], busySeconds: 300 });
    expect(stats?.criticalJobs).toEqual([
      { job: 'deploy', share: 1 },
      { job: 'build', share: 0.5 },
      { job: 'lint', share: 0.5 },
    ]);
  });
});

describe('analyseCi: ci/duration-regression', () => {
  /** `baseline` runs of `before` minutes then `recent` runs of `after` minutes, from run `first + 1`. */
  function history(baseline: number, before: number, recent: number, after: number, first = 0): CiRecord[] {
    const records: CiRecord[] = [];
    for (let i = first; i < first + baseline + recent; i++) {
      const minutes = i - first < baseline ? before + (i % 3) * 0.1 : after;
      records.push(...simpleRun(i + 1, i * 100, minutes, { url: `https://ci.example/runs/${i + 1}` }));
    }
    return records;
  }

  it('flags a median 30 % and 3 min above the previous window', () => {
    const { pipelines, findings } = analyseCi(history(30, 10, 10, 13));
    expect(pipelines[0]?.regression).toMatchObject({ recentRuns: 10, baselineRuns: 30, recentMedianSeconds: 780, baselineMedianSeconds: 606, regressed: true });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'ci/duration-regression',
      severity: 'medium',
      location: { url: 'https://ci.example/runs/40' },
      data: { pipeline: 'ci.yml', recentMedianSeconds: 780, baselineMedianSeconds: 606, jobs: [{ job: 'build', deltaSeconds: 174 }] },
    });
    expect(findings[0]?.title).toBe('ci.yml got 29% slower');
  });

  it('compares only the windows: older history does not dilute the baseline', () => {
    // 50 old runs of 20 min, then 30 of 10 min, then 10 of 13 min
    const regression = analyseCi([...history(50, 20, 0, 0), ...history(30, 10, 10, 13, 50)]).pipelines[0]?.regression;
    expect(regression).toMatchObject({ baselineRuns: 30, baselineMedianSeconds: 606, recentMedianSeconds: 780, regressed: true });
  });

  it('is high when the median doubled', () => {
    expect(analyseCi(history(30, 5, 10, 11)).findings[0]?.severity).toBe('high');
  });

  it('does not flag growth under the relative threshold', () => {
    const { pipelines, findings } = analyseCi(history(30, 10, 10, 11.5)); // +14 %
    expect(pipelines[0]?.regression?.regressed).toBe(false);
    expect(findings).toEqual([]);
  });

  it('does not flag a large relative growth of a few seconds', () => {
    const { findings } = analyseCi(history(30, 1, 10, 1.5)); // +50 %, but +30 s < 60 s
    expect(findings).toEqual([]);
    expect(analyseCi(history(30, 1, 10, 1.5), { regressionMinSeconds: 10 }).findings).toHaveLength(1);
  });

  it('needs enough runs in both windows', () => {
    expect(analyseCi(history(9, 10, 10, 20)).pipelines[0]?.regression).toBeNull();
    expect(analyseCi(history(30, 10, 10, 20), { recentRuns: 4 }).pipelines[0]?.regression).toBeNull(); // 4 < minRecentRuns
    expect(analyseCi(history(9, 10, 10, 20), { minBaselineRuns: 5 }).findings).toHaveLength(1);
  });

  it('only compares executions whose status counts for durations', () => {
    const records = history(30, 10, 10, 10);
    // ten fast failures at the end do not make a regression (or an improvement)
    for (let i = 0; i < 10; i++) records.push(job(100 + i, 'build', 5000 + i * 100, 5000 + i * 100, 5000 + i * 100 + 1, 'failure'));
    const regression = analyseCi(records).pipelines[0]?.regression;
    expect(regression).toMatchObject({ recentMedianSeconds: 600, regressed: false });
  });

  it('keeps its fingerprint when the numbers change, and changes it per pipeline and branch filter', () => {
    const a = analyseCi(history(30, 10, 10, 13)).findings[0];
    const b = analyseCi(history(30, 8, 10, 15)).findings[0];
    expect(a?.fingerprint).toBe(b?.fingerprint);
    const other = analyseCi(history(30, 10, 10, 13).map((r) => ({ ...r, pipeline: 'release.yml' }))).findings[0];
    expect(other?.fingerprint).not.toBe(a?.fingerprint);
    expect(analyseCi(history(30, 10, 10, 13), { branch: 'main' }).findings[0]?.fingerprint).not.toBe(a?.fingerprint);
  });
});

describe('analyseCi: ci/slow-step', () => {
  function runs(n: number, steps: Array<[name: string, minutes: number]>, jobName = 'test'): CiRecord[] {
    const records: CiRecord[] = [];
    for (let i = 0; i < n; i++) {
      let t = i * 100;
      records.push(job(i + 1, jobName, t, t, t + steps.reduce((sum, [, m]) => sum + m, 0), 'success', { url: `https://ci.example/runs/${i + 1}/job` }));
      for (const [name, minutes] of steps) {
        records.push(step(i + 1, jobName, name, t, t + minutes, 'success', { url: `https://ci.example/runs/${i + 1}/job` }));
        t += minutes;
      }
    }
    return records;
  }

  it('flags a step whose p95 is at least 10 minutes', () => {
    const { findings } = analyseCi(runs(5, [['checkout', 0.5], ['e2e', 11], ['report', 0.5]]));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'ci/slow-step',
      severity: 'low',
      title: 'Slow step "e2e" in job test of ci.yml',
      location: { url: 'https://ci.example/runs/5/job' },
      data: { job: 'test', step: 'e2e', reason: 'duration', samples: 5, p95Seconds: 660, medianShare: 0.9167 },
    });
    expect(findings[0]?.message).toBe('Step "e2e" of job test in ci.yml takes 11 min at the median and 11 min at p95 over 5 runs, a median 92% of the run.');
  });

  it('flags a step that is most of the run when it is not short', () => {
    const { findings } = analyseCi(runs(6, [['setup', 1], ['unit', 3.5]])); // 210 s, 78 % of 270 s
    expect(findings.map((f) => [f.data.step, f.data.reason])).toEqual([['unit', 'share']]);
    // the same shares in a 1-minute pipeline are not worth a finding
    expect(analyseCi(runs(6, [['setup', 0.2], ['unit', 0.8]])).findings).toEqual([]);
  });

  it('needs minSamples runs', () => {
    expect(analyseCi(runs(4, [['e2e', 20]])).findings).toEqual([]);
    expect(analyseCi(runs(4, [['e2e', 20]]), { minSamples: 4 }).findings).toHaveLength(1);
  });

  it('reports at most maxSlowStepsPerPipeline, the slowest first, with stable fingerprints', () => {
    const steps: Array<[string, number]> = [['a', 12], ['b', 15], ['c', 11]];
    const { findings } = analyseCi(runs(5, steps), { maxSlowStepsPerPipeline: 2 });
    expect(findings.map((f) => f.data.step)).toEqual(['b', 'a']);
    const again = analyseCi(runs(7, steps.map(([n, m]) => [n, m + 1] as [string, number])), { maxSlowStepsPerPipeline: 2 }).findings;
    expect(again.map((f) => f.fingerprint)).toEqual(findings.map((f) => f.fingerprint));
    expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(2);
  });

  it('lists the slowest steps with their share', () => {
    const stats = analyseCi(runs(5, [['setup', 1], ['unit', 3]])).pipelines[0];
    expect(stats?.slowestSteps[0]).toEqual({ job: 'test', step: 'unit', samples: 5, meanSeconds: 180, p50Seconds: 180, p95Seconds: 180, maxSeconds: 180, medianShare: 0.75 });
  });
});

describe('analyseCi: ci/queue-time', () => {
  function waits(seconds: number[]): CiRecord[] {
    return seconds.flatMap((wait, i) => [job(i + 1, 'build', i * 100, i * 100 + wait / 60, i * 100 + wait / 60 + 5, 'success', { url: `https://ci.example/runs/${i + 1}` })]);
  }

  it('flags a queue p95 above 5 minutes', () => {
    const { findings } = analyseCi(waits([10, 20, 30, 400, 600]));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'ci/queue-time',
      severity: 'medium',
      title: 'Jobs of ci.yml wait 10 min for a runner (p95)',
      location: { url: 'https://ci.example/runs/5' },
      data: { samples: 5, p50Seconds: 30, p95Seconds: 600, maxSeconds: 600, aggregate: 'max', jobs: [{ job: 'build', p95Seconds: 600 }] },
    });
  });

  it('does not flag a p95 at or under the threshold, or too few runs', () => {
    expect(analyseCi(waits([10, 20, 30, 40, 300])).findings).toEqual([]);
    expect(analyseCi(waits([900, 900, 900, 900])).findings).toEqual([]);
    expect(analyseCi(waits([400, 400, 400, 400, 400]), { queueP95Seconds: 600 }).findings).toEqual([]);
  });
});

describe('configuration and rules', () => {
  it('has documented defaults and refuses unknown keys', () => {
    expect(ciConfigSchema.parse({})).toMatchObject({ recentRuns: 10, baselineRuns: 30, regressionThreshold: 0.2, slowStepSeconds: 600, queueP95Seconds: 300, minSamples: 5 });
    expect(ciConfigSchema.safeParse({ slowStepSecs: 5 }).success).toBe(false);
    expect(() => analyseCi([], { slowStepShare: 2 })).toThrow();
  });

  it('has metadata for every rule it reports', () => {
    expect(ciRuleMeta.map((rule) => rule.id)).toEqual(['ci/slow-step', 'ci/duration-regression', 'ci/queue-time']);
    for (const rule of ciRuleMeta) {
      expect(rule.title.length).toBeGreaterThan(0);
      expect(rule.description.length).toBeGreaterThan(0);
      expect(rule.remediation.length).toBeGreaterThan(0);
    }
  });

  it('analyses nothing into nothing', () => {
    expect(analyseCi([])).toEqual({ pipelines: [], findings: [], metrics: [] });
  });
});
