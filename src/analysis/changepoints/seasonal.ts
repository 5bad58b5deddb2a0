/**
 * Seasonality: a cycle of fixed period (a weekly rhythm in daily snapshots, a daily one in hourly
 * samples) moves a series' mean up and down for a few points at a time, which is exactly what a
 * change-point detector looks for. When a period stands out very clearly, its profile is removed
 * before detection.
 *
 * For each candidate period p (3 … 64, at least four cycles), the series minus its centred moving
 * median over p points (which removes the cycle of period p, and keeps the level and its steps) is
 * grouped by phase (i mod p); a one-way analysis of variance compares the phases' means with the
 * spread within the phases. The period with the smallest p-value wins if that p-value, Bonferroni-
 * corrected for the number of periods tried, is below `alpha` (default 0.001). Its profile is the
 * phases' medians of the detrended series, centred on zero.
 */
import { incompleteBeta } from './stats.js';

export interface Seasonality {
  period: number;
  /** What the cycle adds at each phase (i mod period); sums to zero. */
  profile: number[];
  /** Bonferroni-corrected p-value of the F-test. */
  pValue: number;
}

/** Periods looked for: MIN_PERIOD … MAX_PERIOD, with at least MIN_CYCLES cycles in the series. */
export const MIN_PERIOD = 3;
export const MAX_PERIOD = 64;
export const MIN_CYCLES = 4;
/** Level at which each half of the series must show the cycle on its own. */
const REPLICATION_ALPHA = 0.05;

/** Upper tail of the F distribution with d1 and d2 degrees of freedom. */
function fTail(f: number, d1: number, d2: number): number {
  if (!(f > 0)) return 1;
  return incompleteBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * The series minus its centred moving median over `period` points (period + 1 when even); NaN at
 * the ends. A median over a whole cycle sits at the cycle's centre, and it follows a step within a
 * point or two, where a moving average would smear it over a whole period.
 */
function detrend(z: ArrayLike<number>, period: number, out: Float64Array): void {
  const n = z.length;
  const half = period >> 1;
  const width = 2 * half + 1;
  out.fill(NaN);
  if (n < width) return;
  const window: number[] = [];
  const insert = (v: number): void => {
    let lo = 0;
    let hi = window.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (window[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    window.splice(lo, 0, v);
  };
  const remove = (v: number): void => {
    let lo = 0;
    let hi = window.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (window[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    window.splice(lo, 1);
  };
  for (let i = 0; i < width; i++) insert(z[i]!);
  for (let centre = half; ; centre++) {
    out[centre] = z[centre]! - window[half]!;
    if (centre + half + 1 >= n) break;
    remove(z[centre - half]!);
    insert(z[centre + half + 1]!);
  }
}

/** One-way ANOVA p-value of `residual[from, to)` grouped by phase (i mod period); NaNs skipped. */
function phaseTest(residual: Float64Array, period: number, from: number, to: number, sums: Float64Array, counts: Int32Array): number {
  sums.fill(0, 0, period);
  counts.fill(0, 0, period);
  let total = 0;
  let squares = 0;
  let count = 0;
  for (let i = from; i < to; i++) {
    const r = residual[i]!;
    if (Number.isNaN(r)) continue;
    sums[i % period]! += r;
    counts[i % period]!++;
    total += r;
    squares += r * r;
    count++;
  }
  const grand = total / count;
  let between = 0;
  for (let phase = 0; phase < period; phase++) {
    const c = counts[phase]!;
    if (c > 0) between += c * (sums[phase]! / c - grand) ** 2;
  }
  const withinSquares = squares - count * grand * grand - between;
  const d1 = period - 1;
  const d2 = count - period;
  if (d2 < 2 || !(withinSquares > 0)) return 1;
  return fTail(between / d1 / (withinSquares / d2), d1, d2);
}

/** The clearest significant cycle of `z`, or null. */
export function detectSeasonality(z: ArrayLike<number>, alpha = 0.001): Seasonality | null {
  const n = z.length;
  const maxPeriod = Math.min(MAX_PERIOD, Math.floor(n / MIN_CYCLES));
  if (maxPeriod < MIN_PERIOD) return null;
  const residual = new Float64Array(n);
  const sums = new Float64Array(maxPeriod);
  const counts = new Int32Array(maxPeriod);
  const tried = maxPeriod - MIN_PERIOD + 1;
  let best: { period: number; p: number } | null = null;
  for (let period = MIN_PERIOD; period <= maxPeriod; period++) {
    detrend(z, period, residual);
    const p = phaseTest(residual, period, 0, n, sums, counts);
    if (!(p * tried < alpha)) continue;
    // The cycle must show in each half of the series on its own: a step or a burst of outliers
    // leaves a pattern in one place only.
    const middle = Math.floor(n / 2 / period) * period;
    if (!(phaseTest(residual, period, 0, middle, sums, counts) < REPLICATION_ALPHA && phaseTest(residual, period, middle, n, sums, counts) < REPLICATION_ALPHA)) continue;
    if (best === null || p < best.p) best = { period, p };
  }
  if (best === null) return null;

  return { ...estimateSeasonality(z, best.period), pValue: Math.min(1, best.p * tried) };
}

/**
 * The profile of a cycle of known period: medians by phase of the detrended series (robust to
 * spikes and to the smear of steps), centred on zero. Its pValue is not computed (NaN).
 */
export function estimateSeasonality(z: ArrayLike<number>, period: number): Seasonality {
  const n = z.length;
  const residual = new Float64Array(n);
  detrend(z, period, residual);
  const byPhase: number[][] = Array.from({ length: period }, () => []);
  for (let i = 0; i < n; i++) if (!Number.isNaN(residual[i]!)) byPhase[i % period]!.push(residual[i]!);
  const raw = byPhase.map((xs) => (xs.length > 0 ? median(xs) : 0));
  const centre = raw.reduce((a, b) => a + b, 0) / raw.length;
  return { period, profile: raw.map((x) => x - centre), pValue: NaN };
}

/** `z` minus the cycle. */
export function removeSeasonality(z: ArrayLike<number>, seasonality: Seasonality): Float64Array {
  const out = new Float64Array(z.length);
  for (let i = 0; i < z.length; i++) out[i] = z[i]! - seasonality.profile[i % seasonality.period]!;
  return out;
}
