/**
 * CI analysis (pure): from normalised {@link CiRecord}s to per-pipeline statistics, metrics and
 * findings (`ci/slow-step`, `ci/duration-regression`, `ci/queue-time`). Definitions are in
 * readme.md; in short:
 *
 * - an *execution* is one attempt of one run (`pipeline, run, attempt`); re-runs are executions
 *   of their own;
 * - its duration is the first job start → the last job finish (the run row's own times when it
 *   has no jobs); the wait for runners is not in it, it is the queue time;
 * - its queue time is the longest wait of one of its jobs (`started − queued`), or the sum
 *   (`queueAggregate`);
 * - the critical path is the chain of non-overlapping jobs (each starting after the previous one
 *   finished) with the greatest total duration: without `needs` from the API, time order stands in
 *   for dependencies.
 *
 * Nothing here throws on odd records: unreadable or reversed times only make values unknown.
 */
import { z } from 'zod';
import { fingerprint } from '../core/fingerprint.js';
import type { Finding, Metric, RuleMeta, Severity } from '../core/model.js';
import { CI_STATUSES, type CiRecord, type CiStatus, isFinished, timeOf } from './model.js';

// --- configuration ------------------------------------------------------------------------------

/** Thresholds and windows of the analysis, every one optional with its default. */
export const ciConfigSchema = z
  .object({
    /** Only executions on this branch (e.g. `main`, to keep pull requests out); null: all. */
    branch: z.string().min(1).nullable().default(null),
    /** Executions whose duration counts (p50/p95, regressions, shares). */
    durationStatuses: z.array(z.enum(CI_STATUSES)).min(1).default(['success']),
    /** An execution's queue time: its longest job wait (`max`) or all its jobs' waits added (`sum`). */
    queueAggregate: z.enum(['max', 'sum']).default('max'),
    /** Regression: the latest executions compared… */
    recentRuns: z.number().int().positive().default(10),
    /** …with the ones just before them. */
    baselineRuns: z.number().int().positive().default(30),
    /** Fewest executions in each window for a verdict. */
    minRecentRuns: z.number().int().positive().default(5),
    minBaselineRuns: z.number().int().positive().default(10),
    /** Relative growth of the median duration that is a regression (0.2 = +20 %). */
    regressionThreshold: z.number().positive().default(0.2),
    /** …and the least absolute growth, in seconds (a 30 s pipeline getting 8 s slower is noise). */
    regressionMinSeconds: z.number().nonnegative().default(60),
    /** Slow step: p95 of its duration at or above this many seconds… */
    slowStepSeconds: z.number().positive().default(600),
    /** …or a median share of its execution's duration at or above this (0–1)… */
    slowStepShare: z.number().gt(0).max(1).default(0.5),
    /** …with a p95 of at least this many seconds. */
    slowStepShareMinSeconds: z.number().nonnegative().default(120),
    /** Most `ci/slow-step` findings per pipeline (the slowest by p95 first). */
    maxSlowStepsPerPipeline: z.number().int().nonnegative().default(5),
    /** Fewest samples for a slow-step or queue-time verdict. */
    minSamples: z.number().int().positive().default(5),
    /** Queue time: p95 over executions above this many seconds. */
    queueP95Seconds: z.number().positive().default(300),
    /** Length of the slowest-jobs, slowest-steps and critical-jobs lists. */
    topN: z.number().int().positive().default(10),
    /** Critical path: a job may start this many seconds before its predecessor finished (clock skew). */
    overlapToleranceSeconds: z.number().nonnegative().default(0),
  })
  .strict();
export type CiConfig = z.infer<typeof ciConfigSchema>;
export type CiConfigInput = z.input<typeof ciConfigSchema>;

// --- rules --------------------------------------------------------------------------------------

const HELP = 'https://github.com/prodeng/prodeng/blob/main/src/ci/readme.md';

export const ciRuleMeta: RuleMeta[] = [
  {
    id: 'ci/slow-step',
    title: 'Slow CI step',
    description:
      'A step whose p95 duration is at or above `slowStepSeconds` (10 min), or which takes at least `slowStepShare` (half) of its pipeline execution with a p95 of `slowStepShareMinSeconds` (2 min) or more, over at least `minSamples` executions.',
    defaultSeverity: 'low',
    remediation:
      'Cache what the step downloads or builds (dependencies, toolchains, build outputs), split it into parallel jobs or shards, or run it only when the files it checks change.',
    helpUri: HELP,
  },
  {
    id: 'ci/duration-regression',
    title: 'CI pipeline got slower',
    description:
      'The median duration of the latest `recentRuns` (10) executions is at least `regressionThreshold` (20 %) and `regressionMinSeconds` (60 s) above the median of the `baselineRuns` (30) before them. High when it doubled.',
    defaultSeverity: 'medium',
    remediation:
      'Compare the jobs listed in the finding between a recent and an older run: look for a lost cache, a new or slower step, a bigger test suite or a dependency change in the commits between them.',
    helpUri: HELP,
  },
  {
    id: 'ci/queue-time',
    title: 'CI jobs wait long for runners',
    description:
      'The p95 over executions of the queue time (the longest wait of a job between queued and started) is above `queueP95Seconds` (5 min), over at least `minSamples` executions.',
    defaultSeverity: 'medium',
    remediation:
      'Add runners (or autoscaling) for the labels the waiting jobs ask for, cap concurrency of less urgent workflows, or cancel superseded runs (`concurrency: cancel-in-progress`).',
    helpUri: HELP,
  },
];

// --- the model of executions --------------------------------------------------------------------

export interface StepRun {
  /** The step name; the 2nd, 3rd… step of the same name in one job is `name (2)`, `name (3)`. */
  step: string;
  status: CiStatus;
  startedAt: number | null;
  finishedAt: number | null;
  /** Finished, not skipped, both times known and in order; else null. */
  seconds: number | null;
  url: string | null;
}

export interface JobRun {
  job: string;
  status: CiStatus;
  queuedAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  seconds: number | null;
  /** `started − queued` (negative skew counts as 0); null when either is unknown or the job was skipped. */
  queueSeconds: number | null;
  steps: StepRun[];
  url: string | null;
}

export interface Execution {
  pipeline: string;
  run: string;
  attempt: number;
  status: CiStatus;
  branch: string | null;
  commit: string | null;
  startedAt: number | null;
  finishedAt: number | null;
  seconds: number | null;
  queueSeconds: number | null;
  jobs: JobRun[];
  url: string | null;
  /** What orders executions in time: the start, else the queue time (ms), else null. */
  at: number | null;
}

interface ExecutionDraft {
  pipeline: string;
  run: string;
  attempt: number;
  runRow: CiRecord | null;
  jobs: Map<string, { row: CiRecord | null; steps: CiRecord[]; seen: Set<string> }>;
  /** The first branch/commit/queue time seen on any row, for executions without a run row. */
  branch: string | null;
  commit: string | null;
}

/**
 * Groups records into executions (per pipeline, run and attempt), in time order per pipeline.
 * Summary rows win over their children; a level without one is derived from its children.
 * Exact duplicate step rows (same name, status and times) count once.
 */
export function buildExecutions(records: Iterable<CiRecord>, options: { overlapToleranceSeconds?: number; queueAggregate?: 'max' | 'sum' } = {}): Execution[] {
  const drafts = new Map<string, ExecutionDraft>();
  for (const record of records) {
    const key = `${record.pipeline}\0${record.run}\0${record.attempt}`;
    let draft = drafts.get(key);
    if (!draft) {
      draft = { pipeline: record.pipeline, run: record.run, attempt: record.attempt, runRow: null, jobs: new Map(), branch: null, commit: null };
      drafts.set(key, draft);
    }
    draft.branch ??= record.branch;
    draft.commit ??= record.commit;
    if (record.job === null) {
      draft.runRow = record;
      continue;
    }
    let job = draft.jobs.get(record.job);
    if (!job) {
      job = { row: null, steps: [], seen: new Set() };
      draft.jobs.set(record.job, job);
    }
    if (record.step === null) {
      job.row = record;
    } else {
      const identity = `${record.step}\0${record.status}\0${record.startedAt}\0${record.finishedAt}`;
      if (!job.seen.has(identity)) {
        job.seen.add(identity);
        job.steps.push(record);
      }
    }
  }
  const aggregate = options.queueAggregate ?? 'max';
  const executions = [...drafts.values()].map((draft) => finishExecution(draft, aggregate));
  return executions.sort(compareExecutions);
}

function finishExecution(draft: ExecutionDraft, aggregate: 'max' | 'sum'): Execution {
  const jobs: JobRun[] = [];
  for (const [name, job] of draft.jobs) jobs.push(finishJob(name, job.row, job.steps));
  const runRow = draft.runRow;
  const status = runRow?.status ?? deriveStatus(jobs.map((job) => job.status));
  const timed = jobs.filter((job) => job.status !== 'skipped' && job.startedAt !== null);
  let startedAt: number | null;
  let finishedAt: number | null;
  if (timed.length > 0) {
    startedAt = minOf(timed.map((job) => job.startedAt));
    finishedAt = timed.some((job) => job.finishedAt === null) ? null : maxOf(timed.map((job) => job.finishedAt));
  } else {
    startedAt = timeOf(runRow?.startedAt);
    finishedAt = timeOf(runRow?.finishedAt);
  }
  const seconds = isFinished(status) && status !== 'skipped' ? span(startedAt, finishedAt) : null;
  const waits = jobs.filter((job) => job.status !== 'skipped').map((job) => job.queueSeconds).filter((wait): wait is number => wait !== null);
  const queueSeconds = waits.length === 0 ? null : aggregate === 'max' ? (maxOf(waits) as number) : round(waits.reduce((a, b) => a + b, 0));
  const queuedAt = minOf([timeOf(runRow?.queuedAt), ...jobs.map((job) => job.queuedAt)]);
  return {
    pipeline: draft.pipeline,
    run: draft.run,
    attempt: draft.attempt,
    status,
    branch: runRow?.branch ?? draft.branch,
    commit: runRow?.commit ?? draft.commit,
    startedAt,
    finishedAt,
    seconds,
    queueSeconds,
    jobs,
    url: runRow?.url ?? jobs.find((job) => job.url !== null)?.url ?? null,
    at: startedAt ?? queuedAt,
  };
}

function finishJob(name: string, row: CiRecord | null, stepRows: CiRecord[]): JobRun {
  const counts = new Map<string, number>();
  const steps: StepRun[] = stepRows.map((record) => {
    const stepName = record.step as string;
    const n = (counts.get(stepName) ?? 0) + 1;
    counts.set(stepName, n);
    const startedAt = timeOf(record.startedAt);
    const finishedAt = timeOf(record.finishedAt);
    return {
      step: n === 1 ? stepName : `${stepName} (${n})`,
      status: record.status,
      startedAt,
      finishedAt,
      seconds: isFinished(record.status) && record.status !== 'skipped' ? span(startedAt, finishedAt) : null,
      url: record.url ?? null,
    };
  });
  const status = row?.status ?? deriveStatus(steps.map((step) => step.status));
  const stepTimes = steps.filter((step) => step.status !== 'skipped');
  const startedAt = timeOf(row?.startedAt) ?? minOf(stepTimes.map((step) => step.startedAt));
  const finishedAt = timeOf(row?.finishedAt) ?? (isFinished(status) ? maxOf(stepTimes.map((step) => step.finishedAt)) : null);
  const queuedAt = timeOf(row?.queuedAt) ?? minOf(stepRows.map((record) => timeOf(record.queuedAt)));
  const queueSeconds = status !== 'skipped' && queuedAt !== null && startedAt !== null ? Math.max(0, (startedAt - queuedAt) / 1000) : null;
  return {
    job: name,
    status,
    queuedAt,
    startedAt,
    finishedAt,
    seconds: isFinished(status) && status !== 'skipped' ? span(startedAt, finishedAt) : null,
    queueSeconds: queueSeconds === null || !Number.isFinite(queueSeconds) ? null : queueSeconds,
    steps,
    url: row?.url ?? steps.find((step) => step.url !== null)?.url ?? null,
  };
}

/**
 * The status of a unit from its children's: running while any runs; else the worst of
 * timed_out > failure > cancelled > other; success when all the rest succeeded; skipped when all
 * were skipped (or `other` when there are none).
 */
export function deriveStatus(statuses: readonly CiStatus[]): CiStatus {
  if (statuses.length === 0) return 'other';
  const relevant = statuses.filter((status) => status !== 'skipped');
  if (relevant.length === 0) return 'skipped';
  for (const status of ['in_progress', 'timed_out', 'failure', 'cancelled', 'other'] as const) if (relevant.includes(status)) return status;
  return 'success';
}

function compareExecutions(a: Execution, b: Execution): number {
  if (a.pipeline !== b.pipeline) return a.pipeline < b.pipeline ? -1 : 1;
  if (a.at !== b.at) {
    if (a.at === null) return -1;
    if (b.at === null) return 1;
    return a.at - b.at;
  }
  if (a.run !== b.run) {
    const x = Number(a.run);
    const y = Number(b.run);
    if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
    return a.run < b.run ? -1 : 1;
  }
  return a.attempt - b.attempt;
}

// --- numbers ------------------------------------------------------------------------------------

/**
 * The nearest-rank percentile: the smallest value with at least p % of the values at or below it
 * (`sorted[ceil(p/100 × n) − 1]`; p = 0 gives the minimum). Null for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return null;
  const sorted = [...finite].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((Math.min(100, Math.max(0, p)) / 100) * sorted.length)));
  return sorted[rank - 1] ?? null;
}

export interface DurationStats {
  samples: number;
  meanSeconds: number;
  p50Seconds: number;
  p95Seconds: number;
  maxSeconds: number;
}

function durationStats(values: readonly number[]): DurationStats | null {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return null;
  return {
    samples: finite.length,
    meanSeconds: round(finite.reduce((a, b) => a + b, 0) / finite.length),
    p50Seconds: round(percentile(finite, 50) ?? 0),
    p95Seconds: round(percentile(finite, 95) ?? 0),
    maxSeconds: round(maxOf(finite) as number),
  };
}

// --- critical path ------------------------------------------------------------------------------

export interface CriticalPath {
  jobs: Array<{ job: string; startedAt: string; finishedAt: string; seconds: number }>;
  /** The jobs' durations added. */
  busySeconds: number;
  /** First start to last finish of the chain; `span − busy` is waiting between its jobs. */
  spanSeconds: number;
}

/**
 * The critical path of an execution, approximated: among its timed jobs (not skipped, both times
 * known), the chain in which each job starts no earlier than the previous one finished (less
 * `toleranceSeconds`) with the greatest total duration (weighted interval scheduling). Ties go to
 * the chain that finishes last, then to input order. Null without timed jobs.
 */
export function criticalPath(jobs: readonly JobRun[], toleranceSeconds = 0): CriticalPath | null {
  const timed = jobs
    .filter((job) => job.status !== 'skipped' && job.startedAt !== null && job.finishedAt !== null && job.finishedAt >= job.startedAt)
    .map((job, index) => ({ job, index, start: job.startedAt as number, finish: job.finishedAt as number }))
    .sort((a, b) => a.finish - b.finish || a.start - b.start || a.index - b.index);
  if (timed.length === 0) return null;
  const tolerance = toleranceSeconds * 1000;
  const best: number[] = [];
  const previous: number[] = [];
  for (let i = 0; i < timed.length; i++) {
    const current = timed[i] as (typeof timed)[number];
    let bestBefore = 0;
    let from = -1;
    for (let j = 0; j < i; j++) {
      const candidate = timed[j] as (typeof timed)[number];
      const value = best[j] as number;
      if (candidate.finish <= current.start + tolerance && value > bestBefore) {
        bestBefore = value;
        from = j;
      }
    }
    best.push(bestBefore + (current.finish - current.start));
    previous.push(from);
  }
  let end = 0;
  for (let i = 1; i < timed.length; i++) {
    // `>=`: equal totals go to the later finish (sorted by finish)
    if ((best[i] as number) >= (best[end] as number)) end = i;
  }
  const chain: Array<(typeof timed)[number]> = [];
  for (let i = end; i >= 0; i = previous[i] as number) chain.unshift(timed[i] as (typeof timed)[number]);
  const first = chain[0] as (typeof timed)[number];
  const last = chain[chain.length - 1] as (typeof timed)[number];
  return {
    jobs: chain.map((item) => ({ job: item.job.job, startedAt: new Date(item.start).toISOString(), finishedAt: new Date(item.finish).toISOString(), seconds: round((item.finish - item.start) / 1000) })),
    busySeconds: round((best[end] as number) / 1000),
    spanSeconds: round((last.finish - first.start) / 1000),
  };
}

// --- per pipeline -------------------------------------------------------------------------------

export interface RegressionCheck {
  recentRuns: number;
  baselineRuns: number;
  recentMedianSeconds: number;
  baselineMedianSeconds: number;
  /** `(recent − baseline) / baseline`. */
  change: number;
  regressed: boolean;
  /** Jobs whose median grew most between the windows (up to 3, growth > 0). */
  jobs: Array<{ job: string; baselineMedianSeconds: number; recentMedianSeconds: number; deltaSeconds: number }>;
}

export interface PipelineStats {
  pipeline: string;
  /** Executions (run attempts) analysed, any status. */
  executions: number;
  /** Finished, not skipped. */
  finished: number;
  /** Finished executions that did not succeed (failure, timed_out, cancelled, other). */
  failures: number;
  failureRate: number | null;
  /** Over executions with a status in `durationStatuses`. */
  duration: DurationStats | null;
  /** Over finished executions with a known queue time. */
  queue: DurationStats | null;
  slowestJobs: Array<DurationStats & { job: string }>;
  slowestSteps: Array<DurationStats & { job: string; step: string; medianShare: number | null }>;
  /** Of the latest execution with timed jobs. */
  criticalPath: (CriticalPath & { run: string; attempt: number; url: string | null }) | null;
  /** How often each job lies on its execution's critical path (share of executions with one). */
  criticalJobs: Array<{ job: string; share: number }>;
  /** Null when a window has too few executions. */
  regression: RegressionCheck | null;
}

export interface CiAnalysis {
  pipelines: PipelineStats[];
  findings: Finding[];
  metrics: Metric[];
}

/** Analyses `records` (any order, any mix of step, job and run rows). */
export function analyseCi(records: Iterable<CiRecord>, configInput: CiConfigInput = {}): CiAnalysis {
  const config = ciConfigSchema.parse(configInput);
  let executions = buildExecutions(records, config);
  if (config.branch !== null) executions = executions.filter((execution) => execution.branch === config.branch);
  const byPipeline = new Map<string, Execution[]>();
  for (const execution of executions) {
    const list = byPipeline.get(execution.pipeline);
    if (list) list.push(execution);
    else byPipeline.set(execution.pipeline, [execution]);
  }
  const pipelines: PipelineStats[] = [];
  const findings: Finding[] = [];
  const metrics: Metric[] = [];
  for (const [pipeline, list] of [...byPipeline].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const { stats, slowSteps } = analysePipeline(pipeline, list, config);
    pipelines.push(stats);
    metrics.push(...pipelineMetrics(stats, config));
    findings.push(...pipelineFindings(stats, list, slowSteps, config));
  }
  return { pipelines, findings, metrics };
}

interface SlowStep {
  job: string;
  step: string;
  stats: DurationStats;
  medianShare: number | null;
  reason: 'duration' | 'share';
  url: string | null;
}

function analysePipeline(pipeline: string, executions: Execution[], config: CiConfig): { stats: PipelineStats; slowSteps: SlowStep[] } {
  const finished = executions.filter((execution) => isFinished(execution.status) && execution.status !== 'skipped');
  const failures = finished.filter((execution) => execution.status !== 'success').length;
  const timedRuns = executions.filter((execution) => execution.seconds !== null && config.durationStatuses.includes(execution.status));

  // jobs and steps across executions
  const jobSamples = new Map<string, number[]>();
  const stepSamples = new Map<string, { job: string; step: string; seconds: number[]; shares: number[]; url: string | null }>();
  for (const execution of executions) {
    for (const job of execution.jobs) {
      if (job.seconds !== null) push(jobSamples, job.job, job.seconds);
      for (const step of job.steps) {
        if (step.seconds === null) continue;
        const key = `${job.job}\0${step.step}`;
        let entry = stepSamples.get(key);
        if (!entry) {
          entry = { job: job.job, step: step.step, seconds: [], shares: [], url: null };
          stepSamples.set(key, entry);
        }
        entry.seconds.push(step.seconds);
        if (execution.seconds !== null && execution.seconds > 0) entry.shares.push(Math.min(1, step.seconds / execution.seconds));
        entry.url = step.url ?? job.url ?? execution.url ?? entry.url; // executions are in time order: the latest wins
      }
    }
  }
  const slowestJobs = [...jobSamples]
    .map(([job, seconds]) => ({ job, ...(durationStats(seconds) as DurationStats) }))
    .sort((a, b) => b.meanSeconds - a.meanSeconds || b.p95Seconds - a.p95Seconds || compareText(a.job, b.job))
    .slice(0, config.topN);
  const steps = [...stepSamples.values()].map((entry) => ({
    job: entry.job,
    step: entry.step,
    stats: durationStats(entry.seconds) as DurationStats,
    medianShare: entry.shares.length === 0 ? null : round(percentile(entry.shares, 50) ?? 0, 4),
    url: entry.url,
  }));
  const slowestSteps = [...steps]
    .sort((a, b) => b.stats.meanSeconds - a.stats.meanSeconds || b.stats.p95Seconds - a.stats.p95Seconds || compareText(`${a.job}\0${a.step}`, `${b.job}\0${b.step}`))
    .slice(0, config.topN)
    .map((entry) => ({ job: entry.job, step: entry.step, ...entry.stats, medianShare: entry.medianShare }));

  const slowSteps: SlowStep[] = [];
  for (const entry of steps) {
    if (entry.stats.samples < config.minSamples) continue;
    let reason: SlowStep['reason'] | null = null;
    if (entry.stats.p95Seconds >= config.slowStepSeconds) reason = 'duration';
    else if (entry.medianShare !== null && entry.medianShare >= config.slowStepShare && entry.stats.p95Seconds >= config.slowStepShareMinSeconds) reason = 'share';
    if (reason !== null) slowSteps.push({ job: entry.job, step: entry.step, stats: entry.stats, medianShare: entry.medianShare, reason, url: entry.url });
  }
  slowSteps.sort((a, b) => b.stats.p95Seconds - a.stats.p95Seconds || compareText(`${a.job}\0${a.step}`, `${b.job}\0${b.step}`));

  // critical paths
  const onPath = new Map<string, number>();
  let withPath = 0;
  let latest: PipelineStats['criticalPath'] = null;
  for (const execution of executions) {
    const path = criticalPath(execution.jobs, config.overlapToleranceSeconds);
    if (path === null) continue;
    withPath++;
    for (const job of new Set(path.jobs.map((item) => item.job))) onPath.set(job, (onPath.get(job) ?? 0) + 1);
    latest = { run: execution.run, attempt: execution.attempt, url: execution.url, ...path };
  }
  const criticalJobs = [...onPath]
    .map(([job, count]) => ({ job, share: round(count / withPath, 4) }))
    .sort((a, b) => b.share - a.share || compareText(a.job, b.job))
    .slice(0, config.topN);

  const stats: PipelineStats = {
    pipeline,
    executions: executions.length,
    finished: finished.length,
    failures,
    failureRate: finished.length === 0 ? null : round(failures / finished.length, 4),
    duration: durationStats(timedRuns.map((execution) => execution.seconds as number)),
    queue: durationStats(finished.map((execution) => execution.queueSeconds).filter((wait): wait is number => wait !== null)),
    slowestJobs,
    slowestSteps,
    criticalPath: latest,
    criticalJobs,
    regression: regressionCheck(timedRuns, config),
  };
  return { stats, slowSteps: slowSteps.slice(0, config.maxSlowStepsPerPipeline) };
}

/** Compares the medians of the latest `recentRuns` timed executions and the `baselineRuns` before them. */
function regressionCheck(timedRuns: readonly Execution[], config: CiConfig): RegressionCheck | null {
  const recent = timedRuns.slice(-config.recentRuns);
  const baseline = timedRuns.slice(Math.max(0, timedRuns.length - config.recentRuns - config.baselineRuns), timedRuns.length - recent.length);
  if (recent.length < config.minRecentRuns || baseline.length < config.minBaselineRuns) return null;
  const median = (list: readonly Execution[]): number => percentile(list.map((execution) => execution.seconds as number), 50) ?? 0;
  const recentMedian = median(recent);
  const baselineMedian = median(baseline);
  if (!(baselineMedian > 0)) return null;
  const change = (recentMedian - baselineMedian) / baselineMedian;
  const jobMedians = (list: readonly Execution[]): Map<string, number> => {
    const samples = new Map<string, number[]>();
    for (const execution of list) for (const job of execution.jobs) if (job.seconds !== null) push(samples, job.job, job.seconds);
    return new Map([...samples].map(([job, values]) => [job, percentile(values, 50) ?? 0]));
  };
  const before = jobMedians(baseline);
  const jobs = [...jobMedians(recent)]
    .filter(([job]) => before.has(job))
    .map(([job, now]) => ({ job, baselineMedianSeconds: round(before.get(job) ?? 0), recentMedianSeconds: round(now), deltaSeconds: round(now - (before.get(job) ?? 0)) }))
    .filter((job) => job.deltaSeconds > 0)
    .sort((a, b) => b.deltaSeconds - a.deltaSeconds || compareText(a.job, b.job))
    .slice(0, 3);
  return {
    recentRuns: recent.length,
    baselineRuns: baseline.length,
    recentMedianSeconds: round(recentMedian),
    baselineMedianSeconds: round(baselineMedian),
    change: round(change, 4),
    regressed: change >= config.regressionThreshold && recentMedian - baselineMedian >= config.regressionMinSeconds,
    jobs,
  };
}

function pipelineMetrics(stats: PipelineStats, config: CiConfig): Metric[] {
  const labels: Record<string, string> = config.branch === null ? { pipeline: stats.pipeline } : { pipeline: stats.pipeline, branch: config.branch };
  const metrics: Metric[] = [{ name: 'ci.runs', value: stats.executions, unit: 'runs', labels: { ...labels } }];
  if (stats.failureRate !== null) metrics.push({ name: 'ci.failure_rate', value: stats.failureRate, unit: 'ratio', labels: { ...labels } });
  if (stats.duration !== null) {
    metrics.push({ name: 'ci.duration_p50_seconds', value: stats.duration.p50Seconds, unit: 'seconds', labels: { ...labels } });
    metrics.push({ name: 'ci.duration_p95_seconds', value: stats.duration.p95Seconds, unit: 'seconds', labels: { ...labels } });
  }
  if (stats.queue !== null) metrics.push({ name: 'ci.queue_p95_seconds', value: stats.queue.p95Seconds, unit: 'seconds', labels: { ...labels } });
  return metrics;
}

function pipelineFindings(stats: PipelineStats, executions: readonly Execution[], slowSteps: readonly SlowStep[], config: CiConfig): Finding[] {
  const findings: Finding[] = [];
  const scope = config.branch ?? '';
  const on = config.branch === null ? '' : ` on ${config.branch}`;
  const latestUrl = [...executions].reverse().find((execution) => execution.url !== null)?.url ?? null;
  const location = (url: string | null): Finding['location'] => (url === null ? null : { url });

  for (const slow of slowSteps) {
    const share = slow.medianShare === null ? '' : `, a median ${percent(slow.medianShare)} of the run`;
    findings.push({
      rule: 'ci/slow-step',
      severity: 'low',
      title: `Slow step "${slow.step}" in job ${slow.job} of ${stats.pipeline}`,
      message: `Step "${slow.step}" of job ${slow.job} in ${stats.pipeline}${on} takes ${seconds(slow.stats.p50Seconds)} at the median and ${seconds(slow.stats.p95Seconds)} at p95 over ${slow.stats.samples} runs${share}.`,
      location: location(slow.url ?? latestUrl),
      fingerprint: fingerprint('ci/slow-step', stats.pipeline, slow.job, slow.step, scope),
      data: {
        pipeline: stats.pipeline,
        branch: config.branch,
        job: slow.job,
        step: slow.step,
        reason: slow.reason,
        samples: slow.stats.samples,
        meanSeconds: slow.stats.meanSeconds,
        p50Seconds: slow.stats.p50Seconds,
        p95Seconds: slow.stats.p95Seconds,
        maxSeconds: slow.stats.maxSeconds,
        medianShare: slow.medianShare,
        thresholdSeconds: config.slowStepSeconds,
        thresholdShare: config.slowStepShare,
      },
      effort: 'medium',
    });
  }

  const regression = stats.regression;
  if (regression?.regressed) {
    const severity: Severity = regression.change >= 1 ? 'high' : 'medium';
    const culprits = regression.jobs.length === 0 ? '' : ` Grew most: ${regression.jobs.map((job) => `${job.job} (+${seconds(job.deltaSeconds)})`).join(', ')}.`;
    findings.push({
      rule: 'ci/duration-regression',
      severity,
      title: `${stats.pipeline} got ${percent(regression.change)} slower`,
      message: `The median duration of the last ${regression.recentRuns} runs of ${stats.pipeline}${on} is ${seconds(regression.recentMedianSeconds)}, against ${seconds(regression.baselineMedianSeconds)} for the ${regression.baselineRuns} runs before (+${percent(regression.change)}).${culprits}`,
      location: location(latestUrl),
      fingerprint: fingerprint('ci/duration-regression', stats.pipeline, '', '', scope),
      data: {
        pipeline: stats.pipeline,
        branch: config.branch,
        recentRuns: regression.recentRuns,
        baselineRuns: regression.baselineRuns,
        recentMedianSeconds: regression.recentMedianSeconds,
        baselineMedianSeconds: regression.baselineMedianSeconds,
        change: regression.change,
        jobs: regression.jobs,
        threshold: config.regressionThreshold,
      },
      effort: 'medium',
    });
  }

  const queue = stats.queue;
  if (queue !== null && queue.samples >= config.minSamples && queue.p95Seconds > config.queueP95Seconds) {
    const waits = new Map<string, number[]>();
    for (const execution of executions) for (const job of execution.jobs) if (job.queueSeconds !== null) push(waits, job.job, job.queueSeconds);
    const jobs = [...waits]
      .map(([job, values]) => ({ job, p95Seconds: round(percentile(values, 95) ?? 0) }))
      .sort((a, b) => b.p95Seconds - a.p95Seconds || compareText(a.job, b.job))
      .slice(0, 3);
    findings.push({
      rule: 'ci/queue-time',
      severity: 'medium',
      title: `Jobs of ${stats.pipeline} wait ${seconds(queue.p95Seconds)} for a runner (p95)`,
      message: `Runs of ${stats.pipeline}${on} wait up to ${seconds(queue.p95Seconds)} (p95; median ${seconds(queue.p50Seconds)}, ${queue.samples} runs) before their jobs start. Longest waits: ${jobs.map((job) => `${job.job} (${seconds(job.p95Seconds)})`).join(', ')}.`,
      location: location(latestUrl),
      fingerprint: fingerprint('ci/queue-time', stats.pipeline, '', '', scope),
      data: {
        pipeline: stats.pipeline,
        branch: config.branch,
        aggregate: config.queueAggregate,
        samples: queue.samples,
        p50Seconds: queue.p50Seconds,
        p95Seconds: queue.p95Seconds,
        maxSeconds: queue.maxSeconds,
        jobs,
        thresholdSeconds: config.queueP95Seconds,
      },
      effort: 'small',
    });
  }
  return findings;
}

// --- helpers ------------------------------------------------------------------------------------

function span(start: number | null, finish: number | null): number | null {
  if (start === null || finish === null || finish < start) return null;
  const value = (finish - start) / 1000;
  return Number.isFinite(value) ? value : null;
}

function minOf(values: ReadonlyArray<number | null>): number | null {
  let out: number | null = null;
  for (const value of values) if (value !== null && (out === null || value < out)) out = value;
  return out;
}

function maxOf(values: ReadonlyArray<number | null>): number | null {
  let out: number | null = null;
  for (const value of values) if (value !== null && (out === null || value > out)) out = value;
  return out;
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

/** `42 s`, `7 min 5 s`, `1 h 2 min`. */
function seconds(value: number): string {
  const total = Math.round(value);
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return total % 60 === 0 ? `${minutes} min` : `${minutes} min ${total % 60} s`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}
