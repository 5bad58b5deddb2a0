/**
 * Red Hat (RPM) versions: [epoch:]version[-release], compared with rpm's rpmvercmp: separators (any
 * character other than ASCII letters, digits, "~" and "^") are skipped; "~" sorts before anything,
 * even the end ("1.0~rc1" < "1.0"); "^" sorts after the end but before anything else ("1.0" <
 * "1.0^git1" < "1.0.1"); runs of digits compare numerically and above runs of letters; letters
 * compare by ASCII. The epoch is the leading run of digits before a ":" (missing = 0); the release is
 * everything after the last "-". A version with a release sorts after the same version without one.
 */
import { defineScheme, hasSpaceOrControl, isAsciiLetterCode, isDigitCode, safeNumber, stripZeros } from './util.js';

export interface RedHatVersion {
  epoch: string;
  version: string;
  release: string | null;
}

export function parseRedHat(input: string): RedHatVersion | null {
  const s = input.trim();
  if (s === '' || hasSpaceOrControl(s)) return null;
  let i = 0;
  while (i < s.length && isDigitCode(s.charCodeAt(i))) i++;
  let epoch = '0';
  let rest = s;
  if (s.charCodeAt(i) === 58 /* : */) {
    epoch = i === 0 ? '0' : s.slice(0, i);
    rest = s.slice(i + 1);
  }
  const dash = rest.lastIndexOf('-');
  return dash === -1
    ? { epoch, version: rest, release: null }
    : { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) };
}

function isAlnum(c: number): boolean {
  return isDigitCode(c) || isAsciiLetterCode(c);
}

/** rpm's rpmvercmp(). */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  const at = (s: string, k: number): number => (k < s.length ? s.charCodeAt(k) : 0);
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(at(a, i)) && at(a, i) !== 126 && at(a, i) !== 94) i++;
    while (j < b.length && !isAlnum(at(b, j)) && at(b, j) !== 126 && at(b, j) !== 94) j++;
    const ca = at(a, i);
    const cb = at(b, j);
    // "~" sorts before everything else, including the end of the string.
    if (ca === 126 || cb === 126) {
      if (ca !== 126) return 1;
      if (cb !== 126) return -1;
      i++;
      j++;
      continue;
    }
    // "^" sorts after the end of the string but before anything else.
    if (ca === 94 || cb === 94) {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (ca !== 94) return 1;
      if (cb !== 94) return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const numeric = isDigitCode(ca);
    const take = numeric ? isDigitCode : isAsciiLetterCode;
    const si = i;
    const sj = j;
    while (i < a.length && take(at(a, i))) i++;
    while (j < b.length && take(at(b, j))) j++;
    if (sj === j) return numeric ? 1 : -1; // numbers are newer than letters
    let x = a.slice(si, i);
    let y = b.slice(sj, j);
    if (numeric) {
      x = stripZeros(x);
      y = stripZeros(y);
      if (x.length !== y.length) return x.length > y.length ? 1 : -1;
    }
    if (x !== y) return x < y ? -1 : 1;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

export function compareRedHat(a: RedHatVersion, b: RedHatVersion): number {
  const r = rpmvercmp(a.epoch, b.epoch) || rpmvercmp(a.version, b.version);
  if (r !== 0) return r;
  if (a.release === null || b.release === null) {
    return a.release === b.release ? 0 : a.release === null ? -1 : 1;
  }
  return rpmvercmp(a.release, b.release);
}

export const redhat = defineScheme<RedHatVersion>({
  id: 'redhat',
  parse: parseRedHat,
  compare: compareRedHat,
  // "~" in the version marks a pre-release (1.0~rc1).
  isStable: (v) => !v.version.includes('~'),
  major: (v) => {
    const m = /^\d+/.exec(v.version);
    return m === null ? null : safeNumber(stripZeros(m[0]));
  },
});
