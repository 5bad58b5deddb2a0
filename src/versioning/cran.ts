/**
 * CRAN (R) package versions, as R's package_version()/numeric_version() compare them: non-negative
 * integers separated by "." or "-" (both mean the same), compared numerically part by part; when one
 * is a prefix of the other the longer one is greater ("1.0" < "1.0.0"). R requires at least two parts
 * for a package version; a single number is accepted here as numeric_version() does.
 */
import { cmpDigits, defineScheme, safeNumber, stripZeros } from './util.js';

export interface CranVersion {
  parts: string[];
}

const CRAN = /^\s*[0-9]+(?:[.-][0-9]+)*\s*$/;

export function parseCran(version: string): CranVersion | null {
  if (!CRAN.test(version)) return null;
  return { parts: version.trim().split(/[.-]/).map(stripZeros) };
}

export function compareNumberLists(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const r = cmpDigits(a[i] as string, b[i] as string);
    if (r !== 0) return r;
  }
  return a.length - b.length;
}

export const cran = defineScheme<CranVersion>({
  id: 'cran',
  parse: parseCran,
  compare: (a, b) => compareNumberLists(a.parts, b.parts),
  isStable: () => true,
  major: (v) => safeNumber(v.parts[0] ?? '0'),
});
