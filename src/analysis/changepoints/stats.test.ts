import { describe, expect, it } from 'vitest';
import { incompleteBeta, logGamma, meanVariance, studentTwoSidedP, welch } from './stats.js';

describe('logGamma', () => {
  it('matches factorials and Γ(½) = √π', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(20)).toBeCloseTo(Math.log(121645100408832000), 10);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });
});

describe('incompleteBeta', () => {
  it('has the closed forms of simple cases', () => {
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(incompleteBeta(0.3, 2, 1)).toBeCloseTo(0.09, 12);
    expect(incompleteBeta(0.5, 3, 3)).toBeCloseTo(0.5, 12);
    expect(incompleteBeta(0, 2, 3)).toBe(0);
    expect(incompleteBeta(1, 2, 3)).toBe(1);
  });
  it('is symmetric: I_x(a, b) = 1 − I_{1−x}(b, a)', () => {
    for (const [x, a, b] of [[0.2, 2.5, 7], [0.9, 0.5, 30], [0.01, 50, 0.5]] as const) {
      expect(incompleteBeta(x, a, b)).toBeCloseTo(1 - incompleteBeta(1 - x, b, a), 12);
    }
  });
});

describe('studentTwoSidedP', () => {
  it('gives the two-sided levels of the tabulated critical values', () => {
    expect(studentTwoSidedP(12.706205, 1)).toBeCloseTo(0.05, 6);
    expect(studentTwoSidedP(2.570582, 5)).toBeCloseTo(0.05, 6);
    expect(studentTwoSidedP(-2.228139, 10)).toBeCloseTo(0.05, 6);
    expect(studentTwoSidedP(2.84534, 20)).toBeCloseTo(0.01, 6);
    expect(studentTwoSidedP(1.959964, 1e7)).toBeCloseTo(0.05, 5);
  });
  it('handles the edges', () => {
    expect(studentTwoSidedP(0, 4)).toBe(1);
    expect(studentTwoSidedP(Infinity, 4)).toBe(0);
    expect(studentTwoSidedP(1e200, 4)).toBe(0);
    expect(studentTwoSidedP(NaN, 4)).toBe(1);
  });
});

describe('welch', () => {
  it('computes t and the Welch–Satterthwaite degrees of freedom', () => {
    const a = meanVariance([1, 2, 3, 4, 5], 0, 5);
    const b = meanVariance([6, 7, 8, 9, 10], 0, 5);
    expect(a).toEqual({ mean: 3, variance: 2.5, count: 5 });
    const result = welch(a, b);
    expect(result.t).toBeCloseTo(5, 12);
    expect(result.df).toBeCloseTo(8, 12);
    // t(8) two-sided: 5.041 is the 0.001 critical value.
    expect(result.p).toBeGreaterThan(0.001);
    expect(result.p).toBeLessThan(0.0012);
    // Unequal spreads: df between the smaller sample's and the pooled.
    const c = welch(meanVariance([1, 2, 3], 0, 3), meanVariance([0, 10, 20, 30, 40, 50], 0, 6));
    expect(c.df).toBeGreaterThan(5 - 1);
    expect(c.df).toBeLessThan(3 + 6 - 2);
  });

  it('calls two spread-less samples different exactly when their means differ', () => {
    expect(welch({ mean: 1, variance: 0, count: 3 }, { mean: 2, variance: 0, count: 3 }).p).toBe(0);
    expect(welch({ mean: 1, variance: 0, count: 3 }, { mean: 1, variance: 0, count: 3 }).p).toBe(1);
  });
});
