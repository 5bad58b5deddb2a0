/** Seeded synthetic series for the change-point tests. */
import { mulberry32 } from '../random.js';

/** Standard normal draws from a seeded generator (Box–Muller). */
export function gaussian(seed: number): () => number {
  const random = mulberry32(seed);
  return () => {
    let u = 0;
    while (u === 0) u = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
}

/**
 * A piecewise-constant series with Gaussian noise: `levels[i]` from `starts[i]` on (starts[0] must
 * be 0), `length` points in all.
 */
export function stepSeries(seed: number, length: number, starts: number[], levels: number[], sigma = 1): number[] {
  const noise = gaussian(seed);
  const series: number[] = [];
  let segment = 0;
  for (let i = 0; i < length; i++) {
    while (segment + 1 < starts.length && i >= starts[segment + 1]!) segment++;
    series.push(levels[segment]! + sigma * noise());
  }
  return series;
}
