/**
 * Change-point detection quality and speed, on synthetic series whose change points are known.
 *
 *   npx tsc -p tsconfig.build.json && npx node bench/changepoints/bench.ts [--series N] [--tune]
 *
 * Every scenario draws its series from a seeded generator: the *training* seeds (1 …) are the ones
 * the defaults were tuned on (`--tune` prints the grid), the *test* seeds (100001 …) are reported
 * as the figures. A detection matches an expected change point when it falls in its window (±5
 * points around a step; the ramp itself ±5 for a gradual drift); each expected point matches at most
 * one detection, and unmatched detections are false positives. Precision, recall and F1 are
 * micro-averaged (summed counts) per scenario and overall. Then the time to analyse 10,000 points.
 * Prints a JSON summary on stdout.
 */
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

type EDivisive = typeof import('../../src/analysis/changepoints/edivisive.js');
const { detectChangePoints, CHANGEPOINT_DEFAULTS } = (await import(join(import.meta.dirname, '..', '..', 'dist', 'analysis', 'changepoints', 'edivisive.js'))) as EDivisive;
type Options = NonNullable<Parameters<EDivisive['detectChangePoints']>[1]>;

const { values } = parseArgs({ options: { series: { type: 'string', default: '100' }, tune: { type: 'boolean', default: false } } });
const SERIES_PER_SCENARIO = Number(values.series);
const TRAIN_SEED = 1;
const TEST_SEED = 100_001;
const MARGIN = 5;

/** mulberry32, as in the detector (an independent copy: the bench must not share its stream). */
function generator(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Noise {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = generator(seed);
  }
  uniform(a: number, b: number): number {
    return a + (b - a) * this.next();
  }
  int(a: number, b: number): number {
    return Math.floor(this.uniform(a, b + 1));
  }
  sign(): number {
    return this.next() < 0.5 ? -1 : 1;
  }
  /** Box–Muller. */
  gauss(): number {
    let u = 0;
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
  poisson(lambda: number): number {
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }
}

/**
 * An expected change point: a detection in [from, to] matches it. A drift is a region: any
 * detection on it is right, the first one matches, the others are counted apart (`onDrift`) —
 * neither true nor false positives.
 */
interface Expected {
  at: number;
  from: number;
  to: number;
  drift?: boolean;
}
interface Case {
  series: number[];
  expected: Expected[];
}
const at = (index: number): Expected => ({ at: index, from: index - MARGIN, to: index + MARGIN });

/** `count` change-point positions with at least `gap` points between them and from either end. */
function positions(noise: Noise, n: number, count: number, gap: number): number[] {
  const slack = n - (count + 1) * gap;
  if (slack < 0) throw new Error(`${count} change points ${gap} apart do not fit in ${n} points`);
  const offsets = Array.from({ length: count }, () => noise.int(0, slack)).sort((a, b) => a - b);
  return offsets.map((offset, i) => gap * (i + 1) + offset);
}

const LEVEL = 100;
const SIGMA = 5;

/** Piecewise-constant mean + Gaussian noise. */
function steps(noise: Noise, n: number, changes: number[], sizeInSigmas: () => number): Case {
  const series: number[] = [];
  let level = LEVEL;
  let next = 0;
  for (let i = 0; i < n; i++) {
    if (next < changes.length && i === changes[next]) {
      level += noise.sign() * sizeInSigmas() * SIGMA;
      next++;
    }
    series.push(level + SIGMA * noise.gauss());
  }
  return { series, expected: changes.map(at) };
}

/**
 * The scenarios. Sizes are in noise standard deviations (σ = 5 % of the level): what matters to a
 * detector is the step relative to the noise, not to the level.
 */
const SCENARIOS: Record<string, (noise: Noise) => Case> = {
  /** One step of 3–6 σ. */
  'step-large': (noise) => {
    const n = noise.int(60, 200);
    return steps(noise, n, positions(noise, n, 1, 10), () => noise.uniform(3, 6));
  },
  /** One step of 1.5–3 σ, at least 20 points from either end. */
  'step-medium': (noise) => {
    const n = noise.int(80, 200);
    return steps(noise, n, positions(noise, n, 1, 20), () => noise.uniform(1.5, 3));
  },
  /** One step of 1–1.5 σ, at least 30 points from either end: near the limit of what can be told from noise. */
  'step-small': (noise) => {
    const n = noise.int(100, 240);
    return steps(noise, n, positions(noise, n, 1, 30), () => noise.uniform(1, 1.5));
  },
  /** A step in the last 8–15 points (the "it got slower last Tuesday" case). */
  'step-recent': (noise) => {
    const n = noise.int(60, 160);
    return steps(noise, n, [n - noise.int(8, 15)], () => noise.uniform(2.5, 5));
  },
  /** A step of 3–6 σ in the last 4–7 points: caught only if minSegment allows it. */
  'step-very-recent': (noise) => {
    const n = noise.int(40, 160);
    return steps(noise, n, [n - noise.int(4, 7)], () => noise.uniform(3, 6));
  },
  /** 2–5 steps up and down of 2–5 σ, 15+ points apart. */
  'steps-multiple': (noise) => {
    const n = noise.int(120, 300);
    return steps(noise, n, positions(noise, n, noise.int(2, 5), 15), () => noise.uniform(2, 5));
  },
  /** A temporary regression: up by 3–5 σ for 10–25 points, then back. */
  'step-and-back': (noise) => {
    const n = noise.int(100, 240);
    const start = noise.int(25, n - 50);
    const end = start + noise.int(10, 25);
    const size = noise.sign() * noise.uniform(3, 5) * SIGMA;
    const series = Array.from({ length: n }, (_, i) => LEVEL + (i >= start && i < end ? size : 0) + SIGMA * noise.gauss());
    return { series, expected: [at(start), at(end)] };
  },
  /**
   * A gradual drift: a linear ramp of 3–6 σ over 6–10 points between two plateaus. Expected: one
   * change point at the middle of the ramp (±5 covers the whole ramp).
   */
  'ramp-short': (noise) => {
    const n = noise.int(80, 200);
    const length = noise.int(6, 10);
    const start = noise.int(20, n - 20 - length);
    const size = noise.sign() * noise.uniform(3, 6) * SIGMA;
    const series = Array.from({ length: n }, (_, i) => LEVEL + size * Math.min(1, Math.max(0, (i - start + 1) / (length + 1))) + SIGMA * noise.gauss());
    return { series, expected: [{ ...at(start + Math.floor(length / 2)), drift: true }] };
  },
  /**
   * A slow drift: a ramp of 3–6 σ over 20–40 points. Expected: one change point anywhere on the
   * ramp (±5); a second detection on it is a false positive.
   */
  'ramp-long': (noise) => {
    const n = noise.int(120, 240);
    const length = noise.int(20, 40);
    const start = noise.int(30, n - 30 - length);
    const size = noise.sign() * noise.uniform(3, 6) * SIGMA;
    const series = Array.from({ length: n }, (_, i) => LEVEL + size * Math.min(1, Math.max(0, (i - start + 1) / (length + 1))) + SIGMA * noise.gauss());
    return { series, expected: [{ at: start + Math.floor(length / 2), from: start - MARGIN, to: start + length + MARGIN, drift: true }] };
  },
  /** Mean constant, standard deviation × 2–4 (or ÷): E-Divisive *means* must not report it. */
  variance: (noise) => {
    const n = noise.int(80, 240);
    const [change] = positions(noise, n, 1, 20);
    const factor = noise.uniform(2, 4);
    const [a, b] = noise.sign() > 0 ? [1, factor] : [factor, 1];
    return { series: Array.from({ length: n }, (_, i) => LEVEL + SIGMA * (i < change! ? a : b) * noise.gauss()), expected: [] };
  },
  /** 1–3 isolated spikes of 5–12 σ (a slow runner, a retried job): not a change. */
  outliers: (noise) => {
    const n = noise.int(60, 200);
    const series = Array.from({ length: n }, () => LEVEL + SIGMA * noise.gauss());
    for (let k = noise.int(1, 3); k > 0; k--) series[noise.int(0, n - 1)]! += noise.sign() * noise.uniform(5, 12) * SIGMA;
    return { series, expected: [] };
  },
  /** A weekly (period 7) or daily-in-hours (period 24) cycle of 1–2 σ: not a change. */
  seasonal: (noise) => {
    const n = noise.int(100, 300);
    const period = noise.next() < 0.5 ? 7 : 24;
    const amplitude = noise.uniform(1, 2) * SIGMA;
    const phase = noise.uniform(0, 2 * Math.PI);
    return { series: Array.from({ length: n }, (_, i) => LEVEL + amplitude * Math.sin(phase + (2 * Math.PI * i) / period) + SIGMA * noise.gauss()), expected: [] };
  },
  /** White noise only. */
  noise: (noise) => {
    const n = noise.int(30, 300);
    return { series: Array.from({ length: n }, () => LEVEL + SIGMA * noise.gauss()), expected: [] };
  },
  /** Integer counts drawn from Poisson(λ) where λ jumps ×2–4 once or twice (flaky tests, open TODOs). */
  'counts-poisson': (noise) => {
    const n = noise.int(80, 200);
    const changes = positions(noise, n, noise.int(1, 2), 20);
    let lambda = noise.uniform(3, 8);
    let next = 0;
    const series: number[] = [];
    for (let i = 0; i < n; i++) {
      if (next < changes.length && i === changes[next]) {
        lambda = noise.sign() > 0 ? lambda * noise.uniform(2, 4) : lambda / noise.uniform(2, 4);
        next++;
      }
      series.push(noise.poisson(lambda));
    }
    return { series, expected: changes.map(at) };
  },
  /** Exact counts without noise (EOL components, majors behind): 1–3 steps of ±1–5, runs of 4+ points. */
  'counts-exact': (noise) => {
    const n = noise.int(16, 80);
    const changes = positions(noise, n, noise.int(1, 3), 4);
    let level = noise.int(0, 20);
    let next = 0;
    const series: number[] = [];
    for (let i = 0; i < n; i++) {
      if (next < changes.length && i === changes[next]) {
        const delta = noise.int(1, 5);
        level = noise.sign() > 0 || level < delta ? level + delta : level - delta;
        next++;
      }
      series.push(level);
    }
    return { series, expected: changes.map(at) };
  },
  /** Skewed timings: log-normal noise (σ_log = 0.05–0.15) around a level that moves by 20–60 %. */
  'lognormal-step': (noise) => {
    const n = noise.int(80, 200);
    const changes = positions(noise, n, noise.int(1, 2), 20);
    const spread = noise.uniform(0.05, 0.15);
    let level = LEVEL;
    let next = 0;
    const series: number[] = [];
    for (let i = 0; i < n; i++) {
      if (next < changes.length && i === changes[next]) {
        level *= noise.sign() > 0 ? 1 + noise.uniform(0.2, 0.6) : 1 / (1 + noise.uniform(0.2, 0.6));
        next++;
      }
      series.push(level * Math.exp(spread * noise.gauss()));
    }
    return { series, expected: changes.map(at) };
  },
  /** 1–3 steps of 2–5 σ, plus a weekly cycle of 1 σ and 1–2 spikes of 8 σ. */
  'combo-steps-season-outliers': (noise) => {
    const n = noise.int(120, 300);
    const base = steps(noise, n, positions(noise, n, noise.int(1, 3), 20), () => noise.uniform(2, 5));
    const phase = noise.uniform(0, 2 * Math.PI);
    const series = base.series.map((v, i) => v + SIGMA * Math.sin(phase + (2 * Math.PI * i) / 7));
    for (let k = noise.int(1, 2); k > 0; k--) series[noise.int(0, n - 1)]! += noise.sign() * 8 * SIGMA;
    return { series, expected: base.expected };
  },
  /** A change of spread at one place and a 3–5 σ step of the mean at another. */
  'combo-variance-step': (noise) => {
    const n = noise.int(120, 300);
    const [first, second] = positions(noise, n, 2, 25);
    const varianceFirst = noise.sign() > 0;
    const spreadAt = varianceFirst ? first! : second!;
    const stepAt = varianceFirst ? second! : first!;
    const size = noise.sign() * noise.uniform(3, 5) * SIGMA;
    const factor = noise.uniform(2, 3);
    const series = Array.from({ length: n }, (_, i) => LEVEL + (i >= stepAt ? size : 0) + SIGMA * (i >= spreadAt ? factor : 1) * noise.gauss());
    return { series, expected: [at(stepAt)] };
  },
};

/**
 * Outside the model, reported apart and not in the overall figures: noise correlated from one point
 * to the next (AR(1), φ = 0.5) — a slow machine for a few runs — breaks the permutation test's
 * assumption that, without a change, the points are exchangeable.
 */
const STRESS: Record<string, (noise: Noise) => Case> = {
  'ar1-noise': (noise) => {
    const n = noise.int(60, 240);
    let e = 0;
    return { series: Array.from({ length: n }, () => LEVEL + SIGMA * (e = 0.5 * e + Math.sqrt(0.75) * noise.gauss())), expected: [] };
  },
};

interface Counts {
  tp: number;
  fp: number;
  fn: number;
  onDrift: number;
  series: number;
  seriesWithFalsePositive: number;
}

/** Greedy one-to-one matching, nearest first. */
function score(expected: Expected[], detected: number[]): { tp: number; fp: number; fn: number; onDrift: number } {
  const pairs: Array<[number, number, number]> = [];
  expected.forEach((e, i) => detected.forEach((d, j) => d >= e.from && d <= e.to && pairs.push([Math.abs(d - e.at), i, j])));
  pairs.sort((a, b) => a[0] - b[0]);
  const usedE = new Set<number>();
  const usedD = new Set<number>();
  for (const [, i, j] of pairs) {
    if (usedE.has(i) || usedD.has(j)) continue;
    usedE.add(i);
    usedD.add(j);
  }
  const onDrift = detected.filter((d, j) => !usedD.has(j) && expected.some((e) => e.drift === true && d >= e.from && d <= e.to)).length;
  return { tp: usedE.size, fp: detected.length - usedD.size - onDrift, fn: expected.length - usedE.size, onDrift };
}

function evaluate(options: Options, firstSeed: number, scenarios = SCENARIOS): Record<string, Counts> {
  const result: Record<string, Counts> = {};
  Object.entries(scenarios).forEach(([name, generate], s) => {
    const counts: Counts = { tp: 0, fp: 0, fn: 0, onDrift: 0, series: 0, seriesWithFalsePositive: 0 };
    for (let k = 0; k < SERIES_PER_SCENARIO; k++) {
      const c = generate(new Noise(firstSeed + s * 10_000 + k));
      const { changePoints } = detectChangePoints(c.series, options);
      const r = score(c.expected, changePoints);
      counts.tp += r.tp;
      counts.fp += r.fp;
      counts.fn += r.fn;
      counts.onDrift += r.onDrift;
      counts.series++;
      if (r.fp > 0) counts.seriesWithFalsePositive++;
    }
    result[name] = counts;
  });
  return result;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
/**
 * Precision, recall and F1 from counts. A scenario with nothing to find has no recall and no F1
 * (null): its figure is how many series got a false positive; its false positives still count
 * against the overall precision.
 */
function rates(c: { tp: number; fp: number; fn: number }): { precision: number | null; recall: number | null; f1: number | null } {
  if (c.tp + c.fn === 0) return { precision: null, recall: null, f1: null };
  const precision = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const recall = c.tp / (c.tp + c.fn);
  return { precision: round(precision), recall: round(recall), f1: precision + recall === 0 ? 0 : round((2 * precision * recall) / (precision + recall)) };
}
function total(counts: Record<string, Counts>): { tp: number; fp: number; fn: number } {
  const t = { tp: 0, fp: 0, fn: 0 };
  for (const c of Object.values(counts)) {
    t.tp += c.tp;
    t.fp += c.fp;
    t.fn += c.fn;
  }
  return t;
}
function report(counts: Record<string, Counts>) {
  const scenarios: Record<string, unknown> = {};
  for (const [name, c] of Object.entries(counts)) {
    scenarios[name] = { ...rates(c), tp: c.tp, fp: c.fp, fn: c.fn, ...(c.onDrift > 0 ? { onDrift: c.onDrift } : {}), seriesWithFalsePositive: `${c.seriesWithFalsePositive}/${c.series}` };
  }
  const t = total(counts);
  return { overall: { ...rates(t), ...t }, scenarios };
}

// Tuning grid, on the training seeds only.
let tuning: unknown;
if (values.tune) {
  const grid: Array<{ options: Options; f1: number; precision: number | null; recall: number | null }> = [];
  for (const pValue of [0.005, 0.01, 0.02, 0.05]) {
    for (const permutations of [100, 200]) {
      if (pValue * (permutations + 1) < 1) continue;
      for (const minSegment of [3, 4, 5, 8]) {
        const options = { pValue, permutations, minSegment };
        const r = rates(total(evaluate(options, TRAIN_SEED)));
        grid.push({ options, f1: r.f1 ?? 0, precision: r.precision, recall: r.recall });
        console.error(JSON.stringify(grid.at(-1)));
      }
    }
  }
  grid.sort((a, b) => b.f1 - a.f1);
  const isDefault = (g: (typeof grid)[number]) =>
    g.options.pValue === CHANGEPOINT_DEFAULTS.pValue && g.options.permutations === CHANGEPOINT_DEFAULTS.permutations && g.options.minSegment === CHANGEPOINT_DEFAULTS.minSegment;
  tuning = { seeds: 'training', configurations: grid.length, best: grid.slice(0, 5), defaultsRank: grid.findIndex(isDefault) + 1, defaults: grid.find(isDefault) };
}

const train = report(evaluate({}, TRAIN_SEED));
const test = report(evaluate({}, TEST_SEED));
const stress = report(evaluate({}, TEST_SEED, STRESS)).scenarios;

// Speed: 10,000 points, median of 5 runs after a warm-up, for three shapes of series.
function timed(series: number[]): { medianMs: number; changePoints: number } {
  const runs: number[] = [];
  let found = 0;
  for (let i = 0; i < 6; i++) {
    const started = performance.now();
    found = detectChangePoints(series).changePoints.length;
    if (i > 0) runs.push(performance.now() - started);
  }
  runs.sort((a, b) => a - b);
  return { medianMs: Math.round(runs[Math.floor(runs.length / 2)]!), changePoints: found };
}
const noise = new Noise(424242);
const N = 10_000;
const speed = {
  points: N,
  noiseOnly: timed(Array.from({ length: N }, () => LEVEL + SIGMA * noise.gauss())),
  tenSteps: timed(steps(noise, N, positions(noise, N, 10, 300), () => noise.uniform(2, 5)).series),
  hundredSteps: timed(steps(noise, N, positions(noise, N, 100, 40), () => noise.uniform(2, 5)).series),
};

console.log(
  JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`,
      defaults: CHANGEPOINT_DEFAULTS,
      seriesPerScenario: SERIES_PER_SCENARIO,
      margin: MARGIN,
      test,
      train: { overall: train.overall },
      stress,
      ...(tuning === undefined ? {} : { tuning }),
      speed,
    },
    null,
    2,
  ),
);
