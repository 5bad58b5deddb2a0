/**
 * Packagist (Composer) versions, ordered the way PHP's version_compare() orders them (which is what
 * Composer's constraints use): an optional leading "v"/"V" is dropped; "-", "_" and "+" separate
 * parts like "."; a change between digits and non-digits starts a new part ("1.0rc1" is 1.0.rc.1).
 * Numbers compare numerically; other parts by their stability form, matched by prefix and
 * case-sensitively as PHP does:
 *
 *   any other string < dev < alpha = a < beta = b < RC = rc < # < pl = p
 *
 * A number against a string counts as "#" (so "1.0" > "1.0rc1" and "1.0" < "1.0pl1"), and when one
 * version runs out, the other is greater if its next part is a number, otherwise its remaining parts
 * are weighed against "#" ("1.0" > "1.0-beta", "1.0" < "1.0-patch1"). Branch versions ("dev-main")
 * therefore sort below every numbered release.
 */
import { cmpDigits, defineScheme, hasSpaceOrControl, isDigitCode, safeNumber, stripZeros } from './util.js';

interface Part {
  numeric: boolean;
  text: string;
  /** Weight of a non-numeric part in the stability order (see above). */
  weight: number;
}

export interface PackagistVersion {
  parts: Part[];
}

const NUMBER_WEIGHT = 4; // "#"

/** compare_special_version_forms(): the first matching prefix wins, in this order. */
function weigh(part: string): number {
  if (part.startsWith('dev')) return 0;
  if (part.startsWith('a')) return 1; // alpha, a
  if (part.startsWith('b')) return 2; // beta, b
  if (part.startsWith('RC') || part.startsWith('rc')) return 3;
  if (part.startsWith('#')) return 4;
  if (part.startsWith('p')) return 5; // pl, p
  return -1;
}

function isSeparator(c: number): boolean {
  return c === 46 /* . */ || c === 45 /* - */ || c === 95 /* _ */ || c === 43; /* + */
}

/** Splits a version into parts the way php_canonicalize_version() + version_compare() see it. */
export function packagistParts(version: string): string[] {
  let s = version;
  if (s.startsWith('v') || s.startsWith('V')) s = s.slice(1);
  const parts: string[] = [];
  let current = '';
  let currentDigit = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isSeparator(c)) {
      if (current !== '') parts.push(current);
      current = '';
      continue;
    }
    const digit = isDigitCode(c);
    if (current !== '' && digit !== currentDigit) {
      parts.push(current);
      current = '';
    }
    current += s[i];
    currentDigit = digit;
  }
  if (current !== '') parts.push(current);
  return parts;
}

const VERSION_START = /^(?:[vV]?[0-9]|dev-)/i;

export function parsePackagist(version: string): PackagistVersion | null {
  // A version starts with a number (after an optional "v") or is a "dev-" branch.
  if (!VERSION_START.test(version) || hasSpaceOrControl(version)) return null;
  const parts = packagistParts(version).map((text): Part => {
    const numeric = isDigitCode(text.charCodeAt(0));
    return numeric
      ? { numeric, text: stripZeros(text), weight: NUMBER_WEIGHT }
      : { numeric, text, weight: weigh(text) };
  });
  if (parts.length === 0) return null;
  return { parts };
}

/** Remaining parts of the longer version, weighed against the end of the shorter one ("#"). */
function compareTail(rest: Part[], from: number): number {
  for (let i = from; i < rest.length; i++) {
    const p = rest[i] as Part;
    if (p.numeric) return 1;
    if (p.weight !== NUMBER_WEIGHT) return p.weight < NUMBER_WEIGHT ? -1 : 1;
  }
  return 0;
}

export function comparePackagist(a: PackagistVersion, b: PackagistVersion): number {
  const n = Math.min(a.parts.length, b.parts.length);
  for (let i = 0; i < n; i++) {
    const x = a.parts[i] as Part;
    const y = b.parts[i] as Part;
    const r = x.numeric && y.numeric ? cmpDigits(x.text, y.text) : x.weight - y.weight;
    if (r !== 0) return r;
  }
  if (a.parts.length > n) return compareTail(a.parts, n);
  if (b.parts.length > n) return -compareTail(b.parts, n);
  return 0;
}

const UNSTABLE = new Set(['dev', 'alpha', 'a', 'beta', 'b', 'rc']);

export const packagist = defineScheme<PackagistVersion>({
  id: 'packagist',
  parse: parsePackagist,
  compare: comparePackagist,
  // Composer stabilities: dev < alpha < beta < RC < stable; "patch"/"pl"/"p" releases are stable.
  isStable: (v) => v.parts.every((p) => p.numeric || !UNSTABLE.has(p.text.toLowerCase())),
  major: (v) => {
    const first = v.parts[0];
    return first?.numeric === true ? safeNumber(first.text) : null;
  },
});
