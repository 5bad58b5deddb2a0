/**
 * The `ci` probe: how long a system's pipelines take and wait, from the CI runs its history holds
 * (`prodeng ingest github-actions` or `prodeng ingest ci`). The analysis itself is `src/ci`; this
 * probe reads the recent records and hands its findings and metrics to the snapshot, so CI
 * durations get a history, trends and a place in the backlog like everything else.
 */
import { z } from 'zod';
import { analyseCi, ciConfigSchema, ciRuleMeta, type CiConfig, type PipelineStats } from '../../ci/analysis.js';
import type { Probe, ProbeOptionDoc } from '../../core/probe.js';

export const ciProbeConfigSchema = ciConfigSchema.extend({
  /** Only runs of the last N days are analysed: a step that was slow last year is not a chore now. */
  days: z.number().int().positive().default(90),
});
export type CiProbeConfig = CiConfig & { days: number };

const options: ProbeOptionDoc[] = [
  { key: 'days', type: 'integer', default: '90', description: 'Only CI runs of the last N days are analysed.' },
  { key: 'branch', type: 'string', default: 'all branches', description: 'Only runs on this branch (e.g. main, to keep pull requests out).' },
  { key: 'durationStatuses', type: 'list', default: '[success]', description: 'Run statuses whose durations count.' },
  { key: 'queueAggregate', type: 'max | sum', default: 'max', description: "A run's queue time: its longest job wait, or all its jobs' waits added." },
  { key: 'recentRuns', type: 'integer', default: '10', description: 'Regression: the latest runs compared…' },
  { key: 'baselineRuns', type: 'integer', default: '30', description: '…with the runs just before them.' },
  { key: 'minRecentRuns', type: 'integer', default: '5', description: 'Fewest recent runs for a regression verdict.' },
  { key: 'minBaselineRuns', type: 'integer', default: '10', description: 'Fewest baseline runs for a regression verdict.' },
  { key: 'regressionThreshold', type: 'ratio', default: '0.2', description: 'Growth of the median duration that is a regression (0.2 = +20%).' },
  { key: 'regressionMinSeconds', type: 'seconds', default: '60', description: '…and the least absolute growth.' },
  { key: 'slowStepSeconds', type: 'seconds', default: '600', description: 'A step with a p95 at or above this is slow.' },
  { key: 'slowStepShare', type: 'ratio', default: '0.5', description: '…or one taking at least this share of its run…' },
  { key: 'slowStepShareMinSeconds', type: 'seconds', default: '120', description: '…with a p95 of at least this.' },
  { key: 'maxSlowStepsPerPipeline', type: 'integer', default: '5', description: 'Most ci/slow-step findings per pipeline.' },
  { key: 'minSamples', type: 'integer', default: '5', description: 'Fewest runs for a slow-step or queue-time verdict.' },
  { key: 'queueP95Seconds', type: 'seconds', default: '300', description: 'Queue time p95 above this is reported.' },
  { key: 'topN', type: 'integer', default: '10', description: 'Length of the slowest jobs and steps lists.' },
  { key: 'overlapToleranceSeconds', type: 'seconds', default: '0', description: 'Critical path: clock skew tolerated between a job and its predecessor.' },
];

function minutes(seconds: number): string {
  return seconds >= 90 ? `${(seconds / 60).toFixed(1)} min` : `${Math.round(seconds)} s`;
}

function pipelineLines(stats: PipelineStats): string[] {
  const items = [
    `${stats.executions} runs, ${stats.failures} failed${stats.failureRate === null ? '' : ` (${Math.round(stats.failureRate * 100)}%)`}` +
      (stats.duration ? `; duration p50 ${minutes(stats.duration.p50Seconds)}, p95 ${minutes(stats.duration.p95Seconds)}` : '') +
      (stats.queue ? `; queue p95 ${minutes(stats.queue.p95Seconds)}` : ''),
  ];
  if (stats.slowestSteps.length > 0) {
    items.push(`slowest steps: ${stats.slowestSteps.slice(0, 3).map((s) => `${s.job} › ${s.step} p95 ${minutes(s.p95Seconds)}`).join('; ')}`);
  }
  if (stats.criticalPath) {
    items.push(`critical path of run ${stats.criticalPath.run}: ${stats.criticalPath.jobs.map((j) => `${j.job} (${minutes(j.seconds)})`).join(' → ')}`);
  }
  return items;
}

export const ciProbe: Probe<CiProbeConfig> = {
  id: 'ci',
  aspect: 'ci',
  title: 'CI duration, queue time and slow steps',
  description:
    'Pipeline duration p50/p95, queue time, failure rate, slowest jobs and steps and the critical path, from the CI runs recorded for the system (`prodeng ingest github-actions`, `prodeng ingest ci`).',
  rules: ciRuleMeta,
  configSchema: ciProbeConfigSchema as z.ZodType<CiProbeConfig>,
  options,
  // The history is only known at run time: a system without CI runs is skipped then.
  // Directions the trend analysis cannot tell from the names (see core/trend.ts).
  metrics: { 'ci.runs': { better: 'neither' } },
  appliesTo: () => true,

  async run(ctx, config) {
    const since = new Date(ctx.now.getTime() - config.days * 86_400_000).toISOString();
    const records = await ctx.history.ciRecords({ since });
    if (records.length === 0) {
      return {
        status: 'skipped',
        reason: `no CI runs of the last ${config.days} days recorded for ${ctx.system.name}: record them with \`prodeng ingest github-actions\` or \`prodeng ingest ci\``,
      };
    }
    const { days: _days, ...analysisConfig } = config;
    const analysis = analyseCi(records, analysisConfig);
    return {
      status: 'ok',
      findings: analysis.findings,
      metrics: analysis.metrics,
      facts: {
        pipelines: analysis.pipelines.length,
        records: records.length,
        sections: analysis.pipelines.map((stats) => ({ title: stats.pipeline, items: pipelineLines(stats) })),
      },
      errors: [],
    };
  },
};
