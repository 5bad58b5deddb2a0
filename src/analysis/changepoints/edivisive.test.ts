import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestSplit, CHANGEPOINT_DEFAULTS, detectChangePoints, residualAutocorrelation, SPAN } from './edivisive.js';
import { gaussian, stepSeries } from './test-support/series.js';

/** Q̂(X, Y; α = 1) straight from the definition (Matteson & James 2014). */
function qhat(x: number[], y: number[]): number {
  const m = x.length;
  const k = y.length;
  let cross = 0;
  for (const a of x) for (const b of y) cross += Math.abs(a - b);
  let withinX = 0;
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) withinX += Math.abs(x[i]! - x[j]!);
  let withinY = 0;
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) withinY += Math.abs(y[i]! - y[j]!);
  const energy = (2 * cross) / (m * k) - (m > 1 ? withinX / ((m * (m - 1)) / 2) : 0) - (k > 1 ? withinY / ((k * (k - 1)) / 2) : 0);
  return ((m * k) / (m + k)) * energy;
}

/** The largest Q̂ over the splits the detector searches: Y to the end, or Y of at most SPAN points. */
function bruteForceBest(series: number[], minSegment: number): number {
  const n = series.length;
  let best = -Infinity;
  for (let tau = minSegment; tau <= n - minSegment; tau++) {
    for (let kappa = tau + minSegment; kappa <= n; kappa++) {
      if (kappa !== n && kappa - tau > SPAN) continue;
      best = Math.max(best, qhat(series.slice(0, tau), series.slice(tau, kappa)));
    }
  }
  return best;
}

const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });

describe('bestSplit (the energy statistic)', () => {
  it('matches the definition, ties included', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(finite, fc.integer({ min: -3, max: 3 })), { minLength: 4, maxLength: 40 }), fc.integer({ min: 2, max: 5 }), (series, minSegment) => {
        fc.pre(series.length >= 2 * minSegment);
        const found = bestSplit(series, minSegment)!;
        const expected = bruteForceBest(series, minSegment);
        const tolerance = 1e-9 * Math.max(1, Math.abs(expected), ...series.map(Math.abs));
        expect(found.qhat).toBeCloseTo(expected, 6);
        expect(Math.abs(found.qhat - expected)).toBeLessThanOrEqual(tolerance * series.length ** 2);
        // The split it names reaches that value.
        const at = qhat(series.slice(0, found.index), series.slice(found.index, found.end));
        expect(Math.abs(at - expected)).toBeLessThanOrEqual(tolerance * series.length ** 2);
      }),
      { numRuns: 150 },
    );
  });

  it('searches short Y segments beyond SPAN points from the start of long series', () => {
    // A bump of 10 points in 300: Y must end at the bump's end, far from the series' end.
    const series = stepSeries(3, 300, [0, 200, 210], [0, 6, 0], 1);
    const found = bestSplit(series, 3)!;
    expect(found.index).toBe(200);
    expect(found.end).toBe(210);
  });
});

describe('detectChangePoints: known changes', () => {
  it('finds a single step exactly (±2)', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const { changePoints } = detectChangePoints(stepSeries(seed, 100, [0, 60], [100, 104], 1));
      expect(changePoints).toHaveLength(1);
      expect(Math.abs(changePoints[0]! - 60)).toBeLessThanOrEqual(2);
    }
  });

  it('finds steps up and down, and a temporary regression', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const series = stepSeries(seed, 200, [0, 50, 120, 170, 185], [10, 15, 11, 17, 11], 1);
      const { changePoints } = detectChangePoints(series);
      expect(changePoints).toHaveLength(4);
      [50, 120, 170, 185].forEach((expected, i) => expect(Math.abs(changePoints[i]! - expected)).toBeLessThanOrEqual(2));
    }
  });

  it('finds a change in the last few points', () => {
    const series = stepSeries(7, 60, [0, 55], [200, 260], 5);
    expect(detectChangePoints(series).changePoints).toEqual([55]);
  });

  it('reports the means and the relative change', () => {
    const series = [...Array<number>(20).fill(10), ...Array<number>(20).fill(12)];
    const { changePoints, details } = detectChangePoints(series);
    expect(changePoints).toEqual([20]);
    expect(details).toEqual([{ index: 20, pValue: 0, meanPValue: 0, meanBefore: 10, meanAfter: 12, relativeChange: 0.2 }]);
  });

  it('gives no relative change from a mean of zero', () => {
    const { details } = detectChangePoints([0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3, 3]);
    expect(details).toEqual([expect.objectContaining({ index: 6, meanBefore: 0, meanAfter: 3, relativeChange: null })]);
  });

  it('takes an exact count that steps and stays, however short', () => {
    expect(detectChangePoints([3, 3, 3, 5, 5, 5]).changePoints).toEqual([3]);
    expect(detectChangePoints([1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1]).changePoints).toEqual([4, 7]);
  });

  it('works on huge, tiny and negative values alike', () => {
    const base = stepSeries(11, 80, [0, 40], [0, 5], 1);
    const expected = detectChangePoints(base).changePoints;
    expect(expected).toHaveLength(1);
    for (const [scale, offset] of [
      [1e300, 0],
      [1e-300, 0],
      [1, -1e9],
      [-1, 0],
      [1e-3, 1e12],
    ] as const) {
      const series = base.map((v) => offset + scale * v);
      expect(detectChangePoints(series).changePoints).toEqual(expected);
    }
    // Values spanning the whole double range: the range itself overflows.
    const extreme = [...Array<number>(10).fill(-1.7e308), ...Array<number>(10).fill(1.7e308)];
    const result = detectChangePoints(extreme);
    expect(result.changePoints).toEqual([10]);
    expect(result.details[0]!.meanBefore).toBe(-1.7e308);
    expect(result.details[0]!.meanAfter).toBe(1.7e308);
  });

  it('keeps the strongest changes under maxChangePoints', () => {
    const series = stepSeries(5, 150, [0, 50, 100], [0, 10, 12], 1);
    expect(detectChangePoints(series).changePoints).toHaveLength(2);
    const one = detectChangePoints(series, { maxChangePoints: 1 });
    expect(one.changePoints).toHaveLength(1);
    expect(Math.abs(one.changePoints[0]! - 50)).toBeLessThanOrEqual(2);
    expect(detectChangePoints(series, { maxChangePoints: 0 }).changePoints).toEqual([]);
  });
});

describe('detectChangePoints: nothing to find', () => {
  it('finds nothing in a constant series', () => {
    expect(detectChangePoints(Array<number>(50).fill(7))).toEqual({ changePoints: [], details: [], seasonalPeriod: null });
    expect(detectChangePoints(Array<number>(50).fill(-1e308)).changePoints).toEqual([]);
  });

  it('finds nothing in a series shorter than 2 × minSegment', () => {
    expect(detectChangePoints([]).changePoints).toEqual([]);
    expect(detectChangePoints([1]).changePoints).toEqual([]);
    expect(detectChangePoints([1, 1, 9, 9, 9]).changePoints).toEqual([]);
    expect(detectChangePoints([1, 1, 1, 9, 9, 9, 9, 9], { minSegment: 5 }).changePoints).toEqual([]);
  });

  it('rarely reports a change in white noise', () => {
    let withChange = 0;
    const runs = 300;
    for (let seed = 1; seed <= runs; seed++) {
      const noise = gaussian(1000 + seed);
      const length = [20, 60, 150][seed % 3]!;
      const series = Array.from({ length }, () => 50 + 3 * noise());
      if (detectChangePoints(series).changePoints.length > 0) withChange++;
    }
    // The significance level is 1 %; allow for sampling.
    expect(withChange / runs).toBeLessThanOrEqual(0.03);
  });

  it('does not report a change of spread alone', () => {
    let withChange = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const noise = gaussian(seed);
      const series = Array.from({ length: 160 }, (_, i) => 100 + (i < 80 ? 1 : 4) * noise());
      if (detectChangePoints(series).changePoints.length > 0) withChange++;
    }
    expect(withChange).toBeLessThanOrEqual(3);
  });

  it('does not report single spikes', () => {
    let withChange = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const noise = gaussian(seed);
      const series = Array.from({ length: 120 }, () => 100 + noise());
      series[(seed * 37) % 120] = 130;
      if (detectChangePoints(series).changePoints.length > 0) withChange++;
    }
    expect(withChange).toBeLessThanOrEqual(2);
  });

  it('removes a clear cycle, and still finds a step through it', () => {
    const noise = gaussian(9);
    const cycle = Array.from({ length: 240 }, (_, i) => 100 + 4 * Math.sin((2 * Math.PI * i) / 24) + noise());
    const plain = detectChangePoints(cycle);
    expect(plain.seasonalPeriod).toBe(24);
    expect(plain.changePoints).toEqual([]);
    expect(detectChangePoints(cycle, { seasonality: 'none' }).seasonalPeriod).toBeNull();
    expect(detectChangePoints(cycle, { seasonality: 24 }).changePoints).toEqual([]);
    const stepped = cycle.map((v, i) => (i >= 150 ? v + 6 : v));
    const found = detectChangePoints(stepped).changePoints;
    expect(found).toHaveLength(1);
    expect(Math.abs(found[0]! - 150)).toBeLessThanOrEqual(2);
  });
});

describe('detectChangePoints: determinism and invariants', () => {
  it('gives the same answer for the same input and seed', () => {
    const series = stepSeries(21, 120, [0, 40, 80], [0, 1.2, 0], 1);
    const a = detectChangePoints(series, { seed: 99 });
    const b = detectChangePoints([...series], { seed: 99 });
    expect(b).toEqual(a);
    expect(detectChangePoints(series)).toEqual(detectChangePoints(series, { seed: CHANGEPOINT_DEFAULTS.seed }));
  });

  it('never throws on finite arrays; indices are sorted, in range and minSegment apart', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: -5, max: 5 })), { maxLength: 90 }),
        fc.record({ minSegment: fc.integer({ min: 2, max: 8 }), pValue: fc.constantFrom(0.001, 0.01, 0.05, 0.2), permutations: fc.integer({ min: 1, max: 60 }), seed: fc.integer() }, { requiredKeys: [] }),
        (series, options) => {
          const minSegment = options.minSegment ?? CHANGEPOINT_DEFAULTS.minSegment;
          const { changePoints, details } = detectChangePoints(series, options);
          expect(details.map((d) => d.index)).toEqual(changePoints);
          let previous = 0;
          for (const index of changePoints) {
            expect(Number.isInteger(index)).toBe(true);
            expect(index - previous).toBeGreaterThanOrEqual(minSegment);
            previous = index;
          }
          if (changePoints.length > 0) expect(series.length - previous).toBeGreaterThanOrEqual(minSegment);
          for (const d of details) {
            expect(d.pValue).toBeGreaterThanOrEqual(0);
            expect(d.pValue).toBeLessThanOrEqual(1);
            expect(Number.isFinite(d.meanBefore) && Number.isFinite(d.meanAfter)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('detectChangePoints: invalid input', () => {
  it('rejects NaN, Infinity and non-numbers, naming the element', () => {
    expect(() => detectChangePoints([1, 2, NaN, 4])).toThrow(/series\[2\] is NaN/);
    expect(() => detectChangePoints([1, Infinity])).toThrow(/series\[1\] is Infinity/);
    expect(() => detectChangePoints([-Infinity])).toThrow(RangeError);
    expect(() => detectChangePoints([1, '2' as unknown as number])).toThrow(/series\[1\] is string/);
    expect(() => detectChangePoints('123' as unknown as number[])).toThrow(TypeError);
  });

  it('rejects invalid options', () => {
    expect(() => detectChangePoints([1, 2], { pValue: 0 })).toThrow(/pValue/);
    expect(() => detectChangePoints([1, 2], { pValue: 1 })).toThrow(/pValue/);
    expect(() => detectChangePoints([1, 2], { permutations: 0 })).toThrow(/permutations/);
    expect(() => detectChangePoints([1, 2], { permutations: 2.5 })).toThrow(/permutations/);
    expect(() => detectChangePoints([1, 2], { minSegment: 1 })).toThrow(/minSegment/);
    expect(() => detectChangePoints([1, 2], { seed: 0.5 })).toThrow(/seed/);
    expect(() => detectChangePoints([1, 2], { maxChangePoints: -1 })).toThrow(/maxChangePoints/);
    expect(() => detectChangePoints([1, 2], { seasonality: 1 })).toThrow(/seasonality/);
  });
});

describe('residualAutocorrelation', () => {
  it('is about zero for white noise and clearly positive for AR(1) noise', () => {
    const noise = gaussian(4);
    const white = Array.from({ length: 2000 }, () => noise());
    expect(residualAutocorrelation(white, [0, 1000, 2000])).toBeLessThan(0.08);
    let e = 0;
    const correlated = Array.from({ length: 2000 }, () => (e = 0.6 * e + noise()));
    expect(residualAutocorrelation(correlated, [0, 2000])).toBeGreaterThan(0.5);
  });
});
