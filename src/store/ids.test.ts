import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SNAPSHOT_ID_CHARS, newSnapshotId, snapshotIdTime } from './ids.js';

describe('snapshot ids', () => {
  it('are 26 Crockford base32 characters that encode the time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), (time) => {
        const id = newSnapshotId(time);
        expect(id).toHaveLength(26);
        expect(SNAPSHOT_ID_CHARS.test(id)).toBe(true);
        expect(snapshotIdTime(id)).toBe(time);
      }),
    );
  });

  it('sort by time, and strictly increase within one millisecond', () => {
    const time = Date.parse('2024-05-01T00:00:00.000Z');
    const burst = Array.from({ length: 500 }, () => newSnapshotId(time));
    expect([...burst].sort()).toEqual(burst);
    expect(new Set(burst).size).toBe(burst.length);
    expect(newSnapshotId(time - 1) < newSnapshotId(time)).toBe(true);
    expect(newSnapshotId(time + 1) > burst.at(-1)!).toBe(true);
  });

  it('recognises only well-formed ids', () => {
    expect(snapshotIdTime('0'.repeat(25))).toBeNull();
    expect(snapshotIdTime('I'.repeat(26))).toBeNull();
    expect(snapshotIdTime('0'.repeat(26))).toBe(0);
  });
});
