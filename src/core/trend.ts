/**
 * Trends: change-point detection over every metric series of a system, run by the engine after
 * the probes, so a number that moved for good (a pipeline 40% slower since Tuesday, a p95 that
 * crept up, libyears that jumped) becomes a finding before anyone complains.
 *
 * For each metric of the snapshot being recorded (one series per name and exact label set), the
 * stored history plus the new value go through the E-Divisive detector with the product's
 * defaults. Only the latest change point of a series matters: it says where the series stands now.
 * A latest change for the worse is `trend/regression` (severity by its size), for the better
 * `trend/improvement` (info). One finding per series and kind, so it stays open while the series
 * stays at its new level and resolves when a later change brings it back (or the change leaves the
 * analysed window).
 *
 * Which way is worse comes from the probe's metric catalogue (`Probe.metrics`), else from the
 * metric's name (analysis/changepoints/direction.ts); metrics whose catalogue entry says
 * `better: 'neither'` (a count of files scanned, days left on a certificate) are not judged.
 */
import { directionOf, severityOfChange } from '../analysis/changepoints/direction.js';
import { detectChangePoints } from '../analysis/changepoints/edivisive.js';
import type { FindingInput, MetricInput, Store } from '../store/store.js';
import { fingerprint } from './fingerprint.js';
import type { Aspect, RuleMeta } from './model.js';
import type { MetricMeta } from './probe.js';

/** The pseudo-probe under which trend findings are recorded. */
export const TREND_PROBE_ID = 'trend';

export const TREND_REGRESSION_RULE: RuleMeta = {
  id: 'trend/regression',
  title: 'A metric changed for the worse',
  description:
    'Change-point detection (E-Divisive means with a permutation test) found that the latest shift of this metric series is for the worse, and the series has stayed there.',
  defaultSeverity: 'medium',
  remediation:
    'Look at what changed around the date of the shift (deploys, dependency upgrades, configuration, traffic) and fix it or accept the new level with an ignore that has a reason and an expiry.',
};

export const TREND_IMPROVEMENT_RULE: RuleMeta = {
  id: 'trend/improvement',
  title: 'A metric changed for the better',
  description: 'The latest shift of this metric series, found by change-point detection, is for the better.',
  defaultSeverity: 'info',
  remediation: 'Nothing to do; note what helped so it can be repeated elsewhere.',
};

export const TREND_RULES: readonly RuleMeta[] = [TREND_REGRESSION_RULE, TREND_IMPROVEMENT_RULE];

/** Documented defaults (docs/changepoints.md, Defaults). */
export const TREND_DEFAULTS = {
  /** Fewer points than this (history + the new value) are not analysed: too little to tell. */
  minPoints: 8,
  /** The newest points of a series that are analysed; an older shift leaves the window. */
  maxPoints: 200,
  /** Smaller relative shifts are not reported (a change from a mean of 0 always is). */
  minRelativeChange: 0.05,
} as const;

export interface TrendInput {
  store: Store;
  system: string;
  /** The metrics of the snapshot about to be recorded, with their probe. */
  metrics: readonly MetricInput[];
  /** The probe's aspect and metric catalogue, by probe id. */
  probeInfo: (probeId: string) => { aspect: Aspect; metrics?: Readonly<Record<string, MetricMeta>> } | undefined;
  /** The new snapshot's start time: the time of the new point. */
  at: string;
  signal: AbortSignal;
}

export interface TrendOutcome {
  findings: FindingInput[];
  /** Series analysed (enough points and a direction). */
  analysed: number;
}

function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function seriesName(name: string, labels: Record<string, string>): string {
  const entries = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? name : `${name}{${entries.map(([k, v]) => `${k}="${v}"`).join(',')}}`;
}

/** Three significant digits: a mean of noisy points has no more. */
function formatValue(value: number): string {
  return Math.abs(value) >= 1000 ? String(Math.round(value)) : String(Number(value.toPrecision(3)));
}

function formatChange(relative: number | null): string {
  if (relative === null) return 'from 0';
  const percent = Math.round(relative * 100);
  return `${percent >= 0 ? '+' : ''}${percent}%`;
}

/** Is a larger value better, worse, or neither, for this metric of this probe? */
export function metricDirection(name: string, catalogue: Readonly<Record<string, MetricMeta>> | undefined): 'higher-is-worse' | 'higher-is-better' | null {
  const declared = catalogue?.[name]?.better;
  if (declared === 'lower') return 'higher-is-worse';
  if (declared === 'higher') return 'higher-is-better';
  if (declared === 'neither') return null;
  return directionOf(name).direction;
}

export async function trendFindings(input: TrendInput): Promise<TrendOutcome> {
  const findings: FindingInput[] = [];
  let analysed = 0;
  // One history read per metric name; the label sets are told apart here.
  const byName = new Map<string, MetricInput[]>();
  for (const metric of input.metrics) {
    const list = byName.get(metric.name) ?? [];
    list.push(metric);
    byName.set(metric.name, list);
  }
  for (const [name, current] of byName) {
    input.signal.throwIfAborted();
    const history = await input.store.metricSeries(input.system, name);
    const seriesByLabels = new Map<string, number[]>();
    const timesByLabels = new Map<string, string[]>();
    for (const point of history) {
      const key = labelKey(point.labels);
      (seriesByLabels.get(key) ?? seriesByLabels.set(key, []).get(key)!).push(point.value);
      (timesByLabels.get(key) ?? timesByLabels.set(key, []).get(key)!).push(point.at);
    }
    const seen = new Set<string>();
    for (const metric of current) {
      const key = labelKey(metric.labels);
      if (seen.has(key)) continue; // a probe reporting one series twice: the first counts
      seen.add(key);
      const info = input.probeInfo(metric.probe);
      if (!info) continue;
      const direction = metricDirection(name, info.metrics);
      if (direction === null) continue;
      const values = [...(seriesByLabels.get(key) ?? []), metric.value].slice(-TREND_DEFAULTS.maxPoints);
      const times = [...(timesByLabels.get(key) ?? []), input.at].slice(-TREND_DEFAULTS.maxPoints);
      if (values.length < TREND_DEFAULTS.minPoints) continue;
      analysed++;
      const result = detectChangePoints(values);
      const latest = result.details.at(-1);
      if (!latest) continue;
      const { meanBefore, meanAfter, relativeChange } = latest;
      if (meanAfter === meanBefore) continue;
      if (relativeChange !== null && Math.abs(relativeChange) < TREND_DEFAULTS.minRelativeChange) continue;
      const worse = direction === 'higher-is-worse' ? meanAfter > meanBefore : meanAfter < meanBefore;
      const rule = worse ? TREND_REGRESSION_RULE : TREND_IMPROVEMENT_RULE;
      const series = seriesName(name, metric.labels);
      const since = times[latest.index]!;
      const unit = metric.unit === '' ? '' : ` ${metric.unit}`;
      const change = `${formatValue(meanBefore)} → ${formatValue(meanAfter)}${unit} (${formatChange(relativeChange)})`;
      const pointsAfter = values.length - latest.index;
      findings.push({
        probe: TREND_PROBE_ID,
        aspect: info.aspect,
        rule: rule.id,
        severity: worse ? severityOfChange(relativeChange) : 'info',
        title: `${series} ${worse ? 'got worse' : 'improved'}: ${change}`,
        message:
          `The latest change point of ${series} is at the observation of ${since.slice(0, 10)}: its mean moved ${change} ` +
          `and has stayed there for ${pointsAfter} observation${pointsAfter === 1 ? '' : 's'} ` +
          `(permutation p = ${latest.pValue.toFixed(3)}, Welch p = ${latest.meanPValue.toPrecision(2)}, ${values.length} points analysed; ` +
          `${direction === 'higher-is-worse' ? 'higher' : 'lower'} is worse for this metric).`,
        remediation: rule.remediation,
        location: null,
        // One per series and kind: stable while the series stays at its new level, whatever
        // the exact index the detector puts the shift at as points arrive.
        fingerprint: fingerprint(rule.id, name, labelKey(metric.labels)),
        data: {
          metric: name,
          labels: metric.labels,
          unit: metric.unit,
          direction,
          before: meanBefore,
          after: meanAfter,
          relativeChange,
          since,
          pointsAfter,
          points: values.length,
          pValue: latest.pValue,
          meanPValue: latest.meanPValue,
          changePoints: result.changePoints.map((index) => times[index]!),
        },
      });
    }
  }
  return { findings, analysed };
}
