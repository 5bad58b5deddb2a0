/**
 * Change points in a noisy series: E-Divisive with means (Matteson & James 2014, as used by
 * MongoDB's signal-processing-algorithms and Apache Otava), followed by a merge step that keeps only
 * the changes of the *mean*.
 *
 * 1. Split. The energy statistic with α = 1 — the distance between the two sides' values minus the
 *    distances within each side,
 *
 *        Q̂(τ) = 2/(m+k)·Σ|x−y| − 2k/((m+k)(m−1))·Σ|x−x'| − 2m/((m+k)(k−1))·Σ|y−y'|
 *
 *    for a segment split into m points before τ and k points from τ on — is maximised over τ (each
 *    side at least `minSegment` points long). A permutation test decides whether that maximum is
 *    larger than in shuffled copies of the segment: p = (1 + #{permuted max ≥ observed}) /
 *    (1 + permutations). A significant split cuts the segment in two and both halves are examined in
 *    turn (hierarchical bisection), until no segment has a significant split.
 *    The three sums are kept in O(log n) per point with Fenwick trees over the values' ranks, so a
 *    whole scan — and every permutation — costs O(n log n) rather than the O(n²) pairwise matrix.
 * 2. Merge. The energy statistic reacts to any change of distribution, including a change of spread
 *    alone. A split is reported only if the means on either side of it, between its neighbouring
 *    splits, differ by Welch's t-test at the same `pValue`; the weakest split that fails is removed
 *    and its neighbours re-tested, until all pass (Fleming et al. 2023, "Hunter", merge step).
 *
 * Deterministic: permutations come from mulberry32 seeded with `seed` and the segment's bounds.
 */
import { mixSeed, mulberry32 } from './random.js';
import { detectSeasonality, estimateSeasonality, removeSeasonality, type Seasonality } from './seasonal.js';
import { meanVariance, welch } from './stats.js';

export interface ChangePointOptions {
  /**
   * Significance level of both tests (permutation test of the split, t-test of the means), in
   * (0, 1). Default 0.05. The permutation p-value cannot be below 1 / (permutations + 1).
   */
  pValue?: number;
  /** Shuffles in the permutation test, an integer ≥ 1. Default 100 (p-value resolution ≈ 0.01). */
  permutations?: number;
  /** Fewest points on either side of a change point, an integer ≥ 2. Default 5. */
  minSegment?: number;
  /** Seed of the permutations' pseudo-random generator. Default 1. */
  seed?: number;
  /** Report at most this many change points: the most significant ones. Default: no limit. */
  maxChangePoints?: number;
  /**
   * A periodic cycle to remove before detection: 'auto' (default) looks for one and removes it
   * only if it is very clear (see seasonal.ts), 'none' never does, a number is a known period.
   */
  seasonality?: 'auto' | 'none' | number;
}

export interface ChangePointDetail {
  /** Index of the first point of the new segment. */
  index: number;
  /** The permutation test's p-value for the split when it was found (E-Divisive). */
  pValue: number;
  /** Welch's t-test p-value between the means of the segments before and after, in the final segmentation. */
  meanPValue: number;
  /** Mean of the segment before the change (from the previous change point, or the start). */
  meanBefore: number;
  /** Mean of the segment after the change (to the next change point, or the end). */
  meanAfter: number;
  /** (meanAfter − meanBefore) / |meanBefore|: 0.4 is 40 % higher; null when meanBefore is 0. */
  relativeChange: number | null;
}

export interface ChangePointResult {
  /** Sorted indices at which a new segment starts. */
  changePoints: number[];
  details: ChangePointDetail[];
  /** The period of the cycle removed before detection, if any. */
  seasonalPeriod: number | null;
}

/** The defaults, tuned with bench/changepoints/bench.ts (see readme.md). */
export const CHANGEPOINT_DEFAULTS = {
  pValue: 0.01,
  permutations: 100,
  minSegment: 3,
  seed: 1,
} as const;

interface Resolved {
  pValue: number;
  permutations: number;
  minSegment: number;
  seed: number;
  maxChangePoints: number;
  seasonality: 'auto' | 'none' | number;
}

function resolveOptions(options: ChangePointOptions): Resolved {
  const pValue = options.pValue ?? CHANGEPOINT_DEFAULTS.pValue;
  if (typeof pValue !== 'number' || !(pValue > 0 && pValue < 1)) throw new RangeError(`pValue must be a number between 0 and 1 (exclusive), not ${String(pValue)}`);
  const permutations = options.permutations ?? CHANGEPOINT_DEFAULTS.permutations;
  if (!Number.isInteger(permutations) || permutations < 1) throw new RangeError(`permutations must be a positive integer, not ${String(permutations)}`);
  const minSegment = options.minSegment ?? CHANGEPOINT_DEFAULTS.minSegment;
  if (!Number.isInteger(minSegment) || minSegment < 2) throw new RangeError(`minSegment must be an integer of at least 2, not ${String(minSegment)}`);
  const seed = options.seed ?? CHANGEPOINT_DEFAULTS.seed;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, not ${String(seed)}`);
  const maxChangePoints = options.maxChangePoints ?? Infinity;
  if (maxChangePoints !== Infinity && (!Number.isInteger(maxChangePoints) || maxChangePoints < 0)) {
    throw new RangeError(`maxChangePoints must be a non-negative integer, not ${String(maxChangePoints)}`);
  }
  const seasonality = options.seasonality ?? 'auto';
  if (seasonality !== 'auto' && seasonality !== 'none' && !(Number.isInteger(seasonality) && seasonality >= 2)) {
    throw new RangeError(`seasonality must be 'auto', 'none' or a period (an integer ≥ 2), not ${String(seasonality)}`);
  }
  return { pValue, permutations, minSegment, seed, maxChangePoints, seasonality };
}

/** Throws a RangeError naming the first value that is not a finite number. */
function checkSeries(series: readonly number[]): void {
  if (!Array.isArray(series)) throw new TypeError('the series must be an array of numbers');
  for (let i = 0; i < series.length; i++) {
    const v: unknown = series[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new RangeError(`series[${i}] is ${typeof v === 'number' ? String(v) : typeof v}: change-point detection needs finite numbers (remove or interpolate NaN and Infinity first)`);
    }
  }
}

/**
 * Q̂ over the candidate splits of one segment, in reusable buffers. Values come with their dense rank
 * in the segment (equal values, equal rank), fixed under permutation, so that Σ|v − vᵢ| over the
 * points before v is one Fenwick-tree prefix query and Σ|v − vᵢ| over the whole segment is a table.
 *
 * The search covers every τ with Y = [τ, end) (MongoDB's E-Divisive) and every τ with a shorter
 * Y = [τ, κ) of up to `span` points (Matteson & James search every κ): without the latter, a short
 * temporary regression in a long segment is diluted by the points after it and missed. For
 * segments up to `span` + `minSegment` points the search is exhaustive.
 */
class EnergyScanner {
  private readonly count: Int32Array;
  private readonly sum: Float64Array;
  /** Σ|v − vᵢ| over the whole segment, by rank. */
  private readonly toAll: Float64Array;
  /** Σ|vₜ − vᵢ| over i < t. */
  private readonly toEarlier: Float64Array;
  /** within[t]: Σ|vᵢ − vⱼ| over pairs in [0, t). */
  private readonly within: Float64Array;
  /** withinAfter[t]: the same over pairs in [t, length). */
  private readonly withinAfter: Float64Array;
  /** within[τ] / (τ − 1): the X term's average, without its weight. */
  private readonly averageBefore: Float64Array;
  /** withinY[τ]: Σ|vᵢ − vⱼ| over pairs in [τ, κ) for the κ being swept. */
  private readonly withinY: Float64Array;
  /** 1 / (k − 1). */
  private readonly inverse: Float64Array;
  bestTau = -1;
  /** End (exclusive) of Y at the best split. */
  bestKappa = -1;
  bestQ = -Infinity;

  constructor(capacity: number) {
    this.count = new Int32Array(capacity + 1);
    this.sum = new Float64Array(capacity + 1);
    this.toAll = new Float64Array(capacity + 1);
    this.toEarlier = new Float64Array(capacity + 1);
    this.within = new Float64Array(capacity + 1);
    this.withinAfter = new Float64Array(capacity + 1);
    this.averageBefore = new Float64Array(capacity + 1);
    this.withinY = new Float64Array(capacity + 1);
    this.inverse = new Float64Array(capacity + 1);
    for (let k = 2; k <= capacity; k++) this.inverse[k] = 1 / (k - 1);
  }

  /** Prepares the rank table of a segment: `values` and `ranks` in any order, `distinct` ranks. */
  prepare(values: Float64Array, ranks: Int32Array, length: number, distinct: number): void {
    const { count, sum, toAll } = this;
    count.fill(0, 0, distinct + 1);
    sum.fill(0, 0, distinct + 1);
    for (let t = 0; t < length; t++) {
      count[ranks[t]!]!++;
      sum[ranks[t]!] = values[t]!;
    }
    // sum[r] holds the value of rank r; turn it into Σ|u_r − vᵢ| over all i.
    let total = 0;
    for (let r = 1; r <= distinct; r++) total += count[r]! * sum[r]!;
    let below = 0;
    let belowSum = 0;
    for (let r = 1; r <= distinct; r++) {
      const u = sum[r]!;
      below += count[r]!;
      belowSum += count[r]! * u;
      toAll[r] = u * below - belowSum + (total - belowSum) - u * (length - below);
    }
  }

  /** Maximises Q̂(τ, κ); the answer is in bestTau / bestQ. `prepare` must have seen the segment. */
  scan(values: Float64Array, ranks: Int32Array, length: number, distinct: number, minSegment: number, span: number): void {
    const { count, sum, toAll, toEarlier, within, withinAfter, averageBefore, withinY, inverse } = this;
    count.fill(0, 0, distinct + 1);
    sum.fill(0, 0, distinct + 1);
    within[0] = 0;
    let total = 0;
    for (let t = 0; t < length; t++) {
      const v = values[t]!;
      const r = ranks[t]!;
      let c = 0;
      let s = 0;
      for (let i = r; i > 0; i -= i & -i) {
        c += count[i]!;
        s += sum[i]!;
      }
      const d = v * c - s + (total - s - v * (t - c));
      toEarlier[t] = d;
      within[t + 1] = within[t]! + d;
      for (let i = r; i <= distinct; i += i & -i) {
        count[i]!++;
        sum[i]! += v;
      }
      total += v;
      averageBefore[t + 1] = t > 0 ? within[t + 1]! / t : 0;
    }
    withinAfter[length] = 0;
    for (let t = length - 1; t >= 0; t--) withinAfter[t] = withinAfter[t + 1]! + toAll[ranks[t]!]! - toEarlier[t]!;

    // Y running to the end of the segment.
    const all = within[length]!;
    let bestTau = -1;
    let best = -Infinity;
    for (let tau = minSegment; tau <= length - minSegment; tau++) {
      const k = length - tau;
      const after = withinAfter[tau]!;
      const q = all - within[tau]! - after - k * averageBefore[tau]! - tau * after * inverse[k]!;
      if (q > best) {
        best = q;
        bestTau = tau;
      }
    }
    let bestQ = (2 * best) / length;
    let bestKappa = length;

    // Shorter Y = [τ, κ): κ sweeps the segment, withinY[τ] grows with it.
    for (let last = minSegment; last < length - 1; last++) {
      const v = values[last]!;
      const end = last + 1;
      const lowest = Math.max(minSegment, end - span);
      withinY[last] = 0;
      let acc = 0;
      let localBest = -Infinity;
      let localTau = -1;
      const prefix = within[end]!;
      // Y shorter than minSegment: only grow withinY.
      const firstScored = end - minSegment;
      let tau = last - 1;
      for (; tau > firstScored && tau >= lowest; tau--) {
        acc += Math.abs(v - values[tau]!);
        withinY[tau]! += acc;
      }
      for (; tau >= lowest; tau--) {
        acc += Math.abs(v - values[tau]!);
        const y = withinY[tau]! + acc;
        withinY[tau] = y;
        const k = end - tau;
        const q = prefix - within[tau]! - y - k * averageBefore[tau]! - tau * y * inverse[k]!;
        if (q > localBest) {
          localBest = q;
          localTau = tau;
        }
      }
      if (localTau >= 0) {
        const q = (2 * localBest) / end;
        if (q > bestQ) {
          bestQ = q;
          bestTau = localTau;
          bestKappa = end;
        }
      }
    }
    this.bestTau = bestTau;
    this.bestKappa = bestKappa;
    this.bestQ = bestQ;
  }
}

/** Longest Y = [τ, κ) short of the segment's end that the search covers (see EnergyScanner). */
export const SPAN = 25;

/** Shuffles before a split can be accepted early, and by how many standard deviations (see splitPhase). */
const EARLY_PERMUTATIONS = 20;
const EARLY_SIGMAS = 8;

interface Split {
  index: number;
  pValue: number;
}

function isConstant(z: Float64Array, from: number, to: number): boolean {
  for (let i = from + 1; i < to; i++) if (z[i] !== z[from]) return false;
  return true;
}

/** Hierarchical bisection with the permutation test: every significant split, unsorted. */
function splitPhase(z: Float64Array, o: Resolved): Split[] {
  const n = z.length;
  const scanner = new EnergyScanner(n);
  const values = new Float64Array(n);
  const ranks = new Int32Array(n);
  const shuffledValues = new Float64Array(n);
  const shuffledRanks = new Int32Array(n);
  const order: number[] = [];
  const splits: Split[] = [];
  const stack: Array<[number, number]> = [[0, n]];
  while (stack.length > 0) {
    const [start, end] = stack.pop()!;
    const length = end - start;
    if (length < 2 * o.minSegment) continue;

    // Dense ranks of the segment's values: fixed under permutation, so computed once.
    order.length = 0;
    for (let i = 0; i < length; i++) order.push(i);
    order.sort((a, b) => z[start + a]! - z[start + b]!);
    let distinct = 0;
    let previous = NaN;
    for (const i of order) {
      const v = z[start + i]!;
      if (v !== previous) {
        distinct++;
        previous = v;
      }
      ranks[i] = distinct;
      values[i] = v;
    }
    if (distinct < 2) continue;

    scanner.prepare(values, ranks, length, distinct);
    scanner.scan(values, ranks, length, distinct, o.minSegment, SPAN);
    const tau = scanner.bestTau;
    const observed = scanner.bestQ;
    if (tau < 0 || !(observed > 0)) continue;

    // Two runs of one value each (an exact count that stepped and stayed): certain, however short,
    // where a permutation test of a few points could never reach the significance level.
    if (isConstant(z, start, start + tau) && isConstant(z, start + tau, start + scanner.bestKappa)) {
      splits.push({ index: start + tau, pValue: 0 });
      stack.push([start + tau, end], [start, start + tau]);
      continue;
    }

    // Permutation test. Stops as soon as the split can no longer be significant, or — after
    // EARLY_PERMUTATIONS shuffles none of which reached it — when the observed statistic stands so
    // far above the permuted maxima (EARLY_SIGMAS standard deviations) that the remaining shuffles
    // could not plausibly change the decision; its p-value is then reported as 1 / (permutations + 1).
    const random = mulberry32(mixSeed(o.seed, start, end));
    const threshold = observed - 1e-9 * Math.abs(observed);
    const allowed = o.pValue * (o.permutations + 1);
    let extreme = 0;
    let significant = true;
    let mean = 0;
    let squares = 0;
    shuffledValues.set(values.subarray(0, length));
    shuffledRanks.set(ranks.subarray(0, length));
    for (let p = 1; p <= o.permutations; p++) {
      for (let i = length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const v = shuffledValues[i]!;
        shuffledValues[i] = shuffledValues[j]!;
        shuffledValues[j] = v;
        const r = shuffledRanks[i]!;
        shuffledRanks[i] = shuffledRanks[j]!;
        shuffledRanks[j] = r;
      }
      scanner.scan(shuffledValues, shuffledRanks, length, distinct, o.minSegment, SPAN);
      const q = scanner.bestQ;
      if (q >= threshold) {
        extreme++;
        if (extreme + 1 > allowed) {
          significant = false;
          break;
        }
      }
      const delta = q - mean;
      mean += delta / p;
      squares += delta * (q - mean);
      if (extreme === 0 && p >= EARLY_PERMUTATIONS && observed > mean + EARLY_SIGMAS * Math.sqrt(squares / (p - 1))) break;
    }
    if (!significant) continue;
    splits.push({ index: start + tau, pValue: (extreme + 1) / (o.permutations + 1) });
    stack.push([start + tau, end], [start, start + tau]);
  }
  return splits;
}

interface Kept extends Split {
  meanPValue: number;
  strength: number;
}

/**
 * Lag-1 autocorrelation of the residuals around the segments' means, clipped to [0, 0.9]: 0 for
 * independent noise, more when consecutive points wander together (a slow machine for a few runs).
 * Removing each segment's mean biases the estimate down by about (1 + 3φ) / L for segments of L
 * points (Marriott & Pope 1954); that is added back.
 */
export function residualAutocorrelation(z: ArrayLike<number>, bounds: readonly number[]): number {
  let products = 0;
  let squares = 0;
  for (let b = 0; b + 1 < bounds.length; b++) {
    const from = bounds[b]!;
    const to = bounds[b + 1]!;
    const { mean } = meanVariance(z, from, to);
    let previous = z[from]! - mean;
    squares += previous * previous;
    for (let i = from + 1; i < to; i++) {
      const r = z[i]! - mean;
      products += r * previous;
      squares += r * r;
      previous = r;
    }
  }
  if (!(squares > 0)) return 0;
  const raw = products / squares;
  const length = (bounds[bounds.length - 1]! - bounds[0]!) / (bounds.length - 1);
  return Math.min(0.9, Math.max(0, raw + (1 + 3 * raw) / length));
}

/**
 * Keeps the splits across which the mean changes: repeatedly drops the weakest split (largest t-test
 * p-value, then smallest |t|) while it is not significant or there are more than maxChangePoints,
 * re-testing its neighbours on their merged segments. The t-test counts each segment's points at
 * their effective number under lag-1 autocorrelation φ of the residuals, n·(1 − φ)/(1 + φ); φ is
 * re-estimated on the merged segmentation until it settles.
 */
function mergePhase(z: Float64Array, splits: Split[], o: Resolved): Kept[] {
  const kept: Kept[] = splits.sort((a, b) => a.index - b.index).map((s) => ({ ...s, meanPValue: 1, strength: 0 }));
  const n = z.length;
  let shrink = 1;
  const effective = (stats: { mean: number; variance: number; count: number }) => ({ ...stats, count: Math.max(2, stats.count * shrink) });
  const retest = (i: number): void => {
    const cp = kept[i];
    if (cp === undefined) return;
    const from = i === 0 ? 0 : kept[i - 1]!.index;
    const to = i === kept.length - 1 ? n : kept[i + 1]!.index;
    const result = welch(effective(meanVariance(z, from, cp.index)), effective(meanVariance(z, cp.index, to)));
    cp.meanPValue = result.p;
    cp.strength = Math.abs(result.t);
  };
  let phi = -1;
  for (let round = 0; round < 5 && kept.length > 0; round++) {
    const estimate = residualAutocorrelation(z, [0, ...kept.map((cp) => cp.index), n]);
    if (estimate <= phi + 0.01) break;
    phi = estimate;
    shrink = (1 - phi) / (1 + phi);
    for (let i = 0; i < kept.length; i++) retest(i);
    while (kept.length > 0) {
      let weakest = 0;
      for (let i = 1; i < kept.length; i++) {
        const a = kept[i]!;
        const b = kept[weakest]!;
        if (a.meanPValue > b.meanPValue || (a.meanPValue === b.meanPValue && a.strength < b.strength)) weakest = i;
      }
      if (kept[weakest]!.meanPValue <= o.pValue && kept.length <= o.maxChangePoints) break;
      kept.splice(weakest, 1);
      retest(weakest - 1);
      retest(weakest);
    }
  }
  return kept;
}

/**
 * The energy statistic's best split of a whole series (no test): the index where Y starts, the end
 * of Y, and Q̂ there, on the series as given (no scaling). Exposed for tests and for the curious.
 */
export function bestSplit(series: readonly number[], minSegment: number = CHANGEPOINT_DEFAULTS.minSegment): { index: number; end: number; qhat: number } | null {
  checkSeries(series);
  const n = series.length;
  if (n < 2 * minSegment) return null;
  const order = series.map((_, i) => i).sort((a, b) => series[a]! - series[b]!);
  const values = new Float64Array(series);
  const ranks = new Int32Array(n);
  let distinct = 0;
  let previous = NaN;
  for (const i of order) {
    if (series[i] !== previous) {
      distinct++;
      previous = series[i]!;
    }
    ranks[i] = distinct;
  }
  const scanner = new EnergyScanner(n);
  scanner.prepare(values, ranks, n, distinct);
  scanner.scan(values, ranks, n, distinct, minSegment, SPAN);
  return scanner.bestTau < 0 ? null : { index: scanner.bestTau, end: scanner.bestKappa, qhat: scanner.bestQ };
}

/**
 * Finds the points where the series' mean shifts for good. Throws a RangeError for NaN, ±Infinity,
 * non-numbers or invalid options; a constant series, or one shorter than 2 × minSegment, has none.
 */
export function detectChangePoints(series: readonly number[], options: ChangePointOptions = {}): ChangePointResult {
  const o = resolveOptions(options);
  checkSeries(series);
  const n = series.length;
  const none: ChangePointResult = { changePoints: [], details: [], seasonalPeriod: null };
  if (n < 2 * o.minSegment || o.maxChangePoints === 0) return none;

  // Work on values scaled into [0, 1] (or [−1, 1] when the range itself overflows): the energy
  // statistic and the t-test do not change, and sums of distances between huge values stay finite.
  let min = Infinity;
  let max = -Infinity;
  for (const v of series) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  let center = min;
  let scale = max - min;
  if (scale === Infinity) {
    center = min / 2 + max / 2;
    scale = max / 2 - min / 2;
  }
  if (!(scale > 0)) return none;
  const scaled = new Float64Array(n);
  for (let i = 0; i < n; i++) scaled[i] = (series[i]! - center) / scale;
  let seasonality: Seasonality | null = null;
  if (o.seasonality === 'auto') seasonality = detectSeasonality(scaled);
  else if (o.seasonality !== 'none' && o.seasonality * 2 <= n) seasonality = estimateSeasonality(scaled, o.seasonality);
  const z = seasonality === null ? scaled : removeSeasonality(scaled, seasonality);

  const kept = mergePhase(z, splitPhase(z, o), o);
  const details = kept.map((cp, i): ChangePointDetail => {
    const from = i === 0 ? 0 : kept[i - 1]!.index;
    const to = i === kept.length - 1 ? n : kept[i + 1]!.index;
    const meanBefore = center + scale * meanVariance(scaled, from, cp.index).mean;
    const meanAfter = center + scale * meanVariance(scaled, cp.index, to).mean;
    const ratio = (meanAfter - meanBefore) / Math.abs(meanBefore);
    return {
      index: cp.index,
      pValue: cp.pValue,
      meanPValue: cp.meanPValue,
      meanBefore,
      meanAfter,
      relativeChange: meanBefore !== 0 && Number.isFinite(ratio) ? ratio : null,
    };
  });
  return { changePoints: details.map((d) => d.index), details, seasonalPeriod: seasonality?.period ?? null };
}
