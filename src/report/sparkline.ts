/**
 * A one-line chart of a series with the eight block characters, the way `spark` draws it. Scaled
 * between the series' own minimum and maximum; a flat series is a flat line.
 */
const BARS = '▁▂▃▄▅▆▇█';

export function sparkline(values: readonly number[], maxWidth = 60): string {
  const series = values.length > maxWidth ? resample(values, maxWidth) : values;
  if (series.length === 0) return '';
  const min = Math.min(...series);
  const max = Math.max(...series);
  const span = max - min;
  return series
    .map((value) => (span === 0 ? BARS[3] : BARS[Math.min(BARS.length - 1, Math.floor(((value - min) / span) * BARS.length))]))
    .join('');
}

/** Keeps the shape of a long series in `width` points by averaging buckets. */
function resample(values: readonly number[], width: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < width; i++) {
    const start = Math.floor((i * values.length) / width);
    const end = Math.max(start + 1, Math.floor(((i + 1) * values.length) / width));
    let sum = 0;
    for (let j = start; j < end; j++) sum += values[j]!;
    out.push(sum / (end - start));
  }
  return out;
}
