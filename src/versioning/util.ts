/**
 * Shared plumbing for the version schemes: a bounded parse cache, the "invalid versions sort first,
 * then by text" rule, and small comparison helpers that work on digit strings of any length.
 */
import type { SchemeId, VersionScheme } from './versioning.js';

/** Longest string any scheme will try to parse; longer input is invalid (keeps parsing linear and cheap). */
export const MAX_VERSION_LENGTH = 1024;

/** Plain text order (UTF-16 code units), as -1, 0 or 1. */
export function cmpText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Strips leading zeros from a string of ASCII digits ("" and "000" become "0"). */
export function stripZeros(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  return i === 0 ? (digits === '' ? '0' : digits) : digits.slice(i);
}

/**
 * Compares two strings of ASCII digits by numeric value, without converting them (so values beyond
 * 2^53 compare exactly). Leading zeros are ignored.
 */
export function cmpDigits(a: string, b: string): number {
  if (a === b) return 0;
  const x = stripZeros(a);
  const y = stripZeros(b);
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return cmpText(x, y);
}

export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAsciiLetterCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** True when the string is one or more ASCII digits. */
export function isAllDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isDigitCode(s.charCodeAt(i))) return false;
  return true;
}

/** A digit string as a number when it is a safe integer, otherwise null. */
export function safeNumber(digits: string): number | null {
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : null;
}

/** True when the string has whitespace or ASCII control characters anywhere. */
export function hasSpaceOrControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c === 127) return true;
  }
  return /\s/.test(s);
}

/**
 * A cache of parsed versions bounded in size: two generations of at most `limit` entries each; when
 * the young generation fills up it becomes the old one and the previous old one is dropped. Lookups
 * that hit the old generation are promoted, so a hot working set stays cached.
 */
export class ParseCache<P> {
  private young = new Map<string, P | null>();
  private old = new Map<string, P | null>();

  private readonly parse: (s: string) => P | null;
  private readonly limit: number;

  constructor(parse: (s: string) => P | null, limit = 50_000) {
    this.parse = parse;
    this.limit = limit;
  }

  get(s: string): P | null {
    let v = this.young.get(s);
    if (v !== undefined) return v;
    v = this.old.get(s);
    if (v === undefined) v = s.length > MAX_VERSION_LENGTH ? null : this.parse(s);
    if (this.young.size >= this.limit) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(s, v);
    return v;
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }
}

export interface SchemeDefinition<P> {
  id: SchemeId;
  /** The parsed form, or null when the string is not a version of this scheme. Must not throw. */
  parse(version: string): P | null;
  /** Compares two parsed versions (any sign/magnitude; normalised by the caller). */
  compare(a: P, b: P): number;
  isStable(v: P): boolean;
  major(v: P): number | null;
}

/** A VersionScheme with its cache exposed (for tests and benchmarks). */
export interface CachedVersionScheme<P = unknown> extends VersionScheme {
  /** The parsed form, or null when invalid (cached). */
  parse(version: string): P | null;
  /** compare() without the shortcut for identical strings (for testing the comparator itself). */
  compareParsed(a: string, b: string): number;
  clearCache(): void;
}

/**
 * Builds a scheme from a parser and a comparator: results are cached, invalid versions order before
 * valid ones and among themselves by text, and nothing throws.
 */
export function defineScheme<P>(def: SchemeDefinition<P>): CachedVersionScheme<P> {
  const cache = new ParseCache<P>((s) => {
    try {
      return def.parse(s);
    } catch {
      return null;
    }
  });
  const get = (s: unknown): P | null => (typeof s === 'string' ? cache.get(s) : null);
  const compareParsed = (a: string, b: string): number => {
    const pa = get(a);
    const pb = get(b);
    if (pa === null || pb === null) {
      if (pa !== null) return 1;
      if (pb !== null) return -1;
      return cmpText(String(a), String(b));
    }
    const r = def.compare(pa, pb);
    return r < 0 ? -1 : r > 0 ? 1 : 0;
  };
  return {
    id: def.id,
    parse: get,
    clearCache: () => cache.clear(),
    isValid(version: string): boolean {
      return get(version) !== null;
    },
    compare(a: string, b: string): number {
      return a === b ? 0 : compareParsed(a, b);
    },
    compareParsed,
    isStable(version: string): boolean {
      const p = get(version);
      return p !== null && def.isStable(p);
    },
    major(version: string): number | null {
      const p = get(version);
      return p === null ? null : def.major(p);
    },
  };
}
