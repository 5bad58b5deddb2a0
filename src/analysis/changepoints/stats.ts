/**
 * The little statistics the change-point detector needs: Welch's two-sample t-test and the
 * Student-t distribution behind it (through the regularised incomplete beta function).
 */

/** Lanczos coefficients (g = 7, n = 9), the usual double-precision choice. */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Continued fraction of the incomplete beta function, by the modified Lentz method. */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b), for a, b > 0 and x in [0, 1]. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (!(x > 0)) return 0;
  if (!(x < 1)) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(a, b, x)) / a;
  return 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** Two-sided p-value of a Student-t statistic `t` with `df` (possibly fractional) degrees of freedom. */
export function studentTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return 1;
  if (!Number.isFinite(t)) return 0;
  const p = incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return Math.min(1, Math.max(0, p));
}

/** Mean and unbiased variance of `values[from, to)`, in two passes (no cancellation). */
export function meanVariance(values: ArrayLike<number>, from: number, to: number): { mean: number; variance: number; count: number } {
  const count = to - from;
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i]!;
  const mean = sum / count;
  let squares = 0;
  for (let i = from; i < to; i++) {
    const d = values[i]! - mean;
    squares += d * d;
  }
  return { mean, variance: count > 1 ? squares / (count - 1) : 0, count };
}

export interface WelchResult {
  t: number;
  df: number;
  p: number;
}

/**
 * Welch's unequal-variance t-test between two samples given by their mean, unbiased variance and
 * size (each at least 2). Two samples without any spread are "different" (p = 0) exactly when their
 * means differ.
 */
export function welch(a: { mean: number; variance: number; count: number }, b: { mean: number; variance: number; count: number }): WelchResult {
  const va = a.variance / a.count;
  const vb = b.variance / b.count;
  const se2 = va + vb;
  const diff = b.mean - a.mean;
  if (!(se2 > 0)) return diff === 0 ? { t: 0, df: a.count + b.count - 2, p: 1 } : { t: diff > 0 ? Infinity : -Infinity, df: a.count + b.count - 2, p: 0 };
  const t = diff / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (a.count - 1) + (vb * vb) / (b.count - 1));
  return { t, df, p: studentTwoSidedP(t, df) };
}
