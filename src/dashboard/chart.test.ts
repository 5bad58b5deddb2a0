import { describe, expect, it } from 'vitest';
import { chartGeometry, DEFAULT_SIZE, linePath, niceTicks, seriesSummary, timeTicks, valueRange } from './chart.ts';

const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString();

describe('chart geometry', () => {
  it('chooses round ticks', () => {
    expect(niceTicks(0, 10, 4)).toEqual([0, 2.5, 5, 7.5, 10]);
    expect(niceTicks(0, 97, 4)).toEqual([0, 25, 50, 75]);
    expect(niceTicks(0.1, 0.35, 4)).toEqual([0.1, 0.2, 0.3]);
    expect(niceTicks(0.1, 0.35, 8)).toEqual([0.1, 0.15, 0.2, 0.25, 0.3, 0.35]);
    expect(niceTicks(5, 5)).toEqual([5]);
    expect(niceTicks(Number.NaN, 1)).toEqual([]);
  });

  it('pads the value range and starts non-negative data near zero at zero', () => {
    expect(valueRange([])).toEqual({ min: 0, max: 1 });
    expect(valueRange([1, 5]).min).toBe(0);
    expect(valueRange([3, 5]).min).toBeCloseTo(2.9);
    expect(valueRange([100, 110]).min).toBeCloseTo(99.5);
    expect(valueRange([0, 0])).toEqual({ min: 0, max: 1 });
    expect(valueRange([-4, -2]).max).toBeCloseTo(-1.9);
  });

  it('draws the line through every point, left to right within the plot area', () => {
    const points = Array.from({ length: 365 }, (_, i) => ({ at: day(i), value: i < 200 ? 10 : 20 }));
    const geometry = chartGeometry({ points, changePoints: [{ index: 200, at: day(200), before: 10, after: 20, kind: 'regression' }] });
    expect(geometry.dots).toHaveLength(365);
    expect(geometry.dots[0]!.x).toBe(DEFAULT_SIZE.left);
    expect(geometry.dots.at(-1)!.x).toBe(DEFAULT_SIZE.width - DEFAULT_SIZE.right);
    for (const dot of geometry.dots) {
      expect(dot.y).toBeGreaterThanOrEqual(DEFAULT_SIZE.top);
      expect(dot.y).toBeLessThanOrEqual(DEFAULT_SIZE.height - DEFAULT_SIZE.bottom);
    }
    expect(geometry.path.startsWith(`M${DEFAULT_SIZE.left} `)).toBe(true);
    expect(geometry.path.match(/L/g)).toHaveLength(364);
    expect(geometry.markers).toEqual([{ x: geometry.dots[200]!.x, kind: 'regression', at: day(200), before: 10, after: 20 }]);
    expect(geometry.means).toHaveLength(2);
    expect(geometry.means[0]!.y).toBe(geometry.dots[0]!.y);
    expect(geometry.means[1]!.y).toBe(geometry.dots[300]!.y);
  });

  it('ignores change points outside the series and copes with one point', () => {
    const geometry = chartGeometry({ points: [{ at: day(0), value: 3 }], changePoints: [{ index: 5, at: day(5), before: 1, after: 2, kind: 'improvement' }] });
    expect(geometry.markers).toEqual([]);
    expect(geometry.dots).toHaveLength(1);
    expect(Number.isFinite(geometry.dots[0]!.x)).toBe(true);
    expect(chartGeometry({ points: [], changePoints: [] }).path).toBe('');
  });

  it('spreads time ticks over whole days', () => {
    const t0 = Date.parse(day(0));
    const ticks = timeTicks(t0, Date.parse(day(364)), 4);
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(ticks.every((t) => t % 86_400_000 === 0)).toBe(true);
    expect(timeTicks(t0, t0)).toEqual([t0]);
  });

  it('summarises a series', () => {
    expect(seriesSummary([{ value: 3 }, { value: 1 }, { value: 7 }, { value: 5 }])).toEqual({ first: 3, last: 5, min: 1, max: 7 });
    expect(seriesSummary([])).toBeNull();
    expect(linePath([{ x: 1.234, y: 5.678 }, { x: 2, y: 3 }])).toBe('M1.2 5.7L2 3');
  });
});
