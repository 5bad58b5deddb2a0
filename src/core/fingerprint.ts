/**
 * Fingerprints give a finding its identity across snapshots. They hash what the finding *is*
 * (rule, file, normalised evidence) and never where it happens to sit (line numbers), so a marker
 * that moves keeps its identity. Identical evidence in one file is told apart by its ordinal among
 * its twins, which stays stable as long as their relative order does.
 */
import { createHash } from 'node:crypto';

/** 32 hex characters of SHA-256 over the parts (NUL-separated so `a`+`bc` differs from `ab`+`c`). */
export function fingerprint(...parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(part);
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 32);
}

/** Collapses whitespace runs and trims, so re-indenting or re-wrapping text keeps the fingerprint. */
export function normaliseEvidence(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Gives each item the ordinal of its key among items with the same key, in input order:
 * keys `[a, b, a]` get ordinals `[0, 0, 1]`. Use it to keep identical findings distinct.
 */
export function ordinals<T>(items: readonly T[], key: (item: T) => string): number[] {
  const counts = new Map<string, number>();
  return items.map((item) => {
    const k = key(item);
    const n = counts.get(k) ?? 0;
    counts.set(k, n + 1);
    return n;
  });
}
