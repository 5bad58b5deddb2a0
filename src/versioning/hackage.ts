/**
 * Hackage (Haskell/Cabal) package versions: Data.Version / Cabal's Version — non-negative integers
 * separated by ".", compared as lists (so "1.0" < "1.0.0"). Cabal has no pre-release syntax, so every
 * valid version is stable.
 */
import { compareNumberLists } from './cran.js';
import { defineScheme, safeNumber, stripZeros } from './util.js';

export interface HackageVersion {
  parts: string[];
}

const HACKAGE = /^[0-9]+(?:\.[0-9]+)*$/;

export function parseHackage(version: string): HackageVersion | null {
  if (!HACKAGE.test(version)) return null;
  return { parts: version.split('.').map(stripZeros) };
}

export const hackage = defineScheme<HackageVersion>({
  id: 'hackage',
  parse: parseHackage,
  compare: (a, b) => compareNumberLists(a.parts, b.parts),
  isStable: () => true,
  major: (v) => safeNumber(v.parts[0] ?? '0'),
});
