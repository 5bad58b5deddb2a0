/**
 * Seeded pseudo-randomness for the permutation test: the same seed always gives the same stream,
 * so `detectChangePoints` is a pure function of its input and options.
 */

/** mulberry32: a tiny 32-bit generator, good enough to shuffle; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Mixes integers into one 32-bit seed (murmur3's finaliser after each word), so that each segment
 * of a series gets its own stream: the result for one segment never depends on the order in which
 * the others were examined.
 */
export function mixSeed(...words: number[]): number {
  let h = 0x9e3779b9;
  for (const word of words) {
    h = Math.imul(h ^ (word | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}
