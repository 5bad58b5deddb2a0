/**
 * Geometry of the dashboard's time-series charts (hand-written SVG): scales, ticks, the line's
 * path and the change-point markers. Pure functions, so they are tested without a DOM.
 */

export interface ChartSize {
  width: number;
  height: number;
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export const DEFAULT_SIZE: ChartSize = { width: 480, height: 160, top: 10, right: 12, bottom: 24, left: 48 };

export interface ChartInput {
  points: readonly { at: string; value: number }[];
  changePoints: readonly { index: number; at: string; before: number; after: number; kind: string }[];
}

export interface ChartGeometry {
  size: ChartSize;
  path: string;
  /** Horizontal segments of the mean before and after each change point. */
  means: { x1: number; x2: number; y: number }[];
  yTicks: { value: number; y: number }[];
  xTicks: { time: number; x: number }[];
  markers: { x: number; kind: string; at: string; before: number; after: number }[];
  /** Each point's position, for the last point's dot and keyboard inspection. */
  dots: { x: number; y: number; at: string; value: number }[];
  min: number;
  max: number;
}

const round = (value: number) => Math.round(value * 10) / 10;

/** About `count` round tick values spanning [min, max] (1, 2, 2.5, 5 × 10ⁿ steps). */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const span = max - min;
  const rough = span / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let value = Math.ceil(min / step) * step; value <= max + step * 1e-9; value += step) {
    ticks.push(Number(value.toPrecision(12)));
  }
  return ticks;
}

/** The y range shown: the data's range padded a little, including zero for non-negative data close to it. */
export function valueRange(values: readonly number[]): { min: number; max: number } {
  if (values.length === 0) return { min: 0, max: 1 };
  // Loops, not Math.min(...values): years of snapshots must not overflow the stack as arguments.
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (min >= 0 && min <= (max - min) * 0.5) min = 0;
  if (min === max) {
    const pad = Math.abs(min) * 0.1 || 1;
    return { min: min - (min === 0 ? 0 : pad), max: max + pad };
  }
  const pad = (max - min) * 0.05;
  return { min: min === 0 ? 0 : min - pad, max: max + pad };
}

/** An SVG path through the points (`M x y L x y …`), one decimal. */
export function linePath(points: readonly { x: number; y: number }[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(p.x)} ${round(p.y)}`).join('');
}

export function chartGeometry(input: ChartInput, size: ChartSize = DEFAULT_SIZE): ChartGeometry {
  const times = input.points.map((p) => new Date(p.at).getTime());
  const values = input.points.map((p) => p.value);
  const { min, max } = valueRange([...values, ...input.changePoints.flatMap((c) => [c.before, c.after])]);
  const t0 = times.length ? times.reduce((a, b) => Math.min(a, b)) : 0;
  const t1 = times.length ? times.reduce((a, b) => Math.max(a, b)) : 1;
  const innerWidth = size.width - size.left - size.right;
  const innerHeight = size.height - size.top - size.bottom;
  const x = (t: number) => size.left + (t1 === t0 ? innerWidth / 2 : ((t - t0) / (t1 - t0)) * innerWidth);
  const y = (v: number) => size.top + innerHeight - ((v - min) / (max - min || 1)) * innerHeight;
  const dots = input.points.map((p, i) => ({ x: round(x(times[i]!)), y: round(y(p.value)), at: p.at, value: p.value }));

  const markers = input.changePoints
    .filter((c) => c.index >= 0 && c.index < input.points.length)
    .map((c) => ({ x: round(x(times[c.index]!)), kind: c.kind, at: c.at, before: c.before, after: c.after }));
  // The segment means: from the previous change point (or the start) to this one, and after the last.
  const means: ChartGeometry['means'] = [];
  const sorted = [...input.changePoints].filter((c) => c.index > 0 && c.index < input.points.length).sort((a, b) => a.index - b.index);
  let start = 0;
  for (const change of sorted) {
    means.push({ x1: round(x(times[start]!)), x2: round(x(times[change.index - 1]!)), y: round(y(change.before)) });
    start = change.index;
  }
  const last = sorted.at(-1);
  if (last) means.push({ x1: round(x(times[last.index]!)), x2: round(x(times[times.length - 1]!)), y: round(y(last.after)) });

  const xTicks = timeTicks(t0, t1, 4).map((time) => ({ time, x: round(x(time)) }));
  const yTicks = niceTicks(min, max, 4).map((value) => ({ value, y: round(y(value)) }));
  return { size, path: linePath(dots), means, yTicks, xTicks, markers, dots, min, max };
}

/** Up to `count` instants between t0 and t1 at whole UTC days, evenly spread. */
export function timeTicks(t0: number, t1: number, count = 4): number[] {
  if (!(t1 > t0)) return Number.isFinite(t0) ? [t0] : [];
  const day = 86_400_000;
  const span = t1 - t0;
  if (span < day * count) return Array.from({ length: count + 1 }, (_, i) => t0 + (span * i) / count);
  const step = Math.ceil(span / count / day) * day;
  const ticks: number[] = [];
  for (let t = Math.ceil(t0 / day) * day; t <= t1; t += step) ticks.push(t);
  return ticks;
}

/** A one-sentence summary of a series for screen readers. */
export function seriesSummary(points: readonly { value: number }[]): { first: number; last: number; min: number; max: number } | null {
  if (points.length === 0) return null;
  const values = points.map((p) => p.value);
  return { first: values[0]!, last: values[values.length - 1]!, min: values.reduce((a, b) => Math.min(a, b)), max: values.reduce((a, b) => Math.max(a, b)) };
}
