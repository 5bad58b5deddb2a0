import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fingerprint, normaliseEvidence, ordinals } from './fingerprint.js';

describe('fingerprint', () => {
  it('is 32 hex characters and separates its parts', () => {
    expect(fingerprint('a', 'bc')).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprint('a', 'bc')).not.toBe(fingerprint('ab', 'c'));
  });
  it('is deterministic', () => {
    fc.assert(fc.property(fc.array(fc.string()), (parts) => fingerprint(...parts) === fingerprint(...parts)));
  });
});

describe('normaliseEvidence', () => {
  it('ignores indentation and wrapping', () => {
    expect(normaliseEvidence('  TODO:  fix\n\tthis ')).toBe('TODO: fix this');
  });
});

describe('ordinals', () => {
  it('numbers twins in order', () => {
    expect(ordinals(['a', 'b', 'a', 'a'], (x) => x)).toEqual([0, 0, 1, 2]);
  });
});
