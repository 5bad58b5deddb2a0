import { describe, expect, it } from 'vitest';
import { detectSeasonality, estimateSeasonality, removeSeasonality } from './seasonal.js';
import { gaussian, stepSeries } from './test-support/series.js';

describe('detectSeasonality', () => {
  it('finds a weekly and a daily cycle, and their profile', () => {
    for (const period of [7, 24]) {
      const noise = gaussian(period);
      const series = Array.from({ length: 10 * period }, (_, i) => 50 + 3 * Math.sin((2 * Math.PI * i) / period) + noise());
      const found = detectSeasonality(series)!;
      expect(found.period).toBe(period);
      expect(found.pValue).toBeLessThan(0.001);
      expect(found.profile.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 9);
      const peak = Math.round(period / 4);
      expect(found.profile[peak]!).toBeGreaterThan(2);
      const flat = removeSeasonality(series, found);
      expect(detectSeasonality(flat)).toBeNull();
    }
  });

  it('finds none in noise, steps, or short series', () => {
    let found = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const noise = gaussian(seed);
      if (detectSeasonality(Array.from({ length: 200 }, () => noise())) !== null) found++;
      if (detectSeasonality(stepSeries(seed, 200, [0, 60, 130], [0, 5, -2])) !== null) found++;
    }
    expect(found).toBeLessThanOrEqual(1);
    expect(detectSeasonality([1, 2, 3, 1, 2, 3, 1, 2, 3])).toBeNull();
  });

  it('estimates the profile of a known period', () => {
    const series = Array.from({ length: 40 }, (_, i) => [0, 10, 0, -10][i % 4]!);
    const { period, profile } = estimateSeasonality(series, 4);
    expect(period).toBe(4);
    expect(profile).toEqual([0, 10, 0, -10]);
  });
});
