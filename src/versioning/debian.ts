/**
 * Debian package versions, deb-version(7) as dpkg compares them: [epoch:]upstream[-revision]. The
 * epoch is a number; upstream and revision are compared by dpkg's verrevcmp: alternately a run of
 * non-digits, compared character by character with "~" before the end of the string, the end before
 * letters and letters before other characters, then a run of digits compared numerically. A missing
 * revision equals "0".
 */
import { cmpDigits, defineScheme, isAllDigits, isAsciiLetterCode, isDigitCode, safeNumber, stripZeros } from './util.js';

export interface DebianVersion {
  epoch: string;
  upstream: string;
  revision: string;
}

const UPSTREAM = /^[0-9][A-Za-z0-9.+~-]*$/;
const REVISION = /^[A-Za-z0-9.+~]+$/;

export function parseDebian(version: string): DebianVersion | null {
  const s = version.trim();
  const colon = s.indexOf(':');
  let epoch = '0';
  let rest = s;
  if (colon !== -1) {
    epoch = s.slice(0, colon);
    if (!isAllDigits(epoch)) return null;
    rest = s.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  const upstream = dash === -1 ? rest : rest.slice(0, dash);
  const revision = dash === -1 ? '' : rest.slice(dash + 1);
  if (!UPSTREAM.test(upstream)) return null;
  if (dash !== -1 && !REVISION.test(revision)) return null;
  return { epoch: stripZeros(epoch), upstream, revision };
}

/** dpkg's character weight for the non-digit runs. */
function order(c: number): number {
  if (isDigitCode(c) || c === 0) return 0;
  if (isAsciiLetterCode(c)) return c;
  if (c === 126 /* ~ */) return -1;
  return c + 256;
}

/** dpkg verrevcmp(). */
export function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  const at = (s: string, k: number): number => (k < s.length ? s.charCodeAt(k) : 0);
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigitCode(at(a, i))) || (j < b.length && !isDigitCode(at(b, j)))) {
      const ac = order(at(a, i));
      const bc = order(at(b, j));
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (at(a, i) === 48) i++;
    while (at(b, j) === 48) j++;
    while (isDigitCode(at(a, i)) && isDigitCode(at(b, j))) {
      if (firstDiff === 0) firstDiff = at(a, i) - at(b, j);
      i++;
      j++;
    }
    if (isDigitCode(at(a, i))) return 1;
    if (isDigitCode(at(b, j))) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

export function compareDebian(a: DebianVersion, b: DebianVersion): number {
  return cmpDigits(a.epoch, b.epoch) || verrevcmp(a.upstream, b.upstream) || verrevcmp(a.revision, b.revision);
}

export const debian = defineScheme<DebianVersion>({
  id: 'debian',
  parse: parseDebian,
  compare: compareDebian,
  // "~" in the upstream version marks a pre-release (1.0~rc1); in the revision it marks a backport.
  isStable: (v) => !v.upstream.includes('~'),
  major: (v) => safeNumber(stripZeros(/^\d+/.exec(v.upstream)?.[0] ?? '0')),
});
