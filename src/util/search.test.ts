import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lowerBound } from './search.js';

const less = (a: number, b: number) => a < b;

describe('lowerBound', () => {
  it('finds the first item not below the target', () => {
    expect(lowerBound([1, 3, 3, 5], 3, less)).toBe(1);
    expect(lowerBound([1, 3, 3, 5], 4, less)).toBe(3);
    expect(lowerBound([1, 3, 3, 5], 0, less)).toBe(0);
    expect(lowerBound([1, 3, 3, 5], 9, less)).toBe(4);
    expect(lowerBound([], 1, less)).toBe(0);
    expect(lowerBound(['a', 'c'], 'b', (item, target) => item < target)).toBe(1);
  });

  it('agrees with a linear search on any sorted list', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 })), fc.integer({ min: -60, max: 60 }), (items, target) => {
        const sorted = [...items].sort((a, b) => a - b);
        const linear = sorted.findIndex((item) => item >= target);
        expect(lowerBound(sorted, target, less)).toBe(linear < 0 ? sorted.length : linear);
      }),
    );
  });
});
