/**
 * Go module versions, as golang.org/x/mod/semver orders them: "v" + SemVer 2.0.0, where "vMAJOR" and
 * "vMAJOR.MINOR" are shorthands for "vMAJOR.0.0" and "vMAJOR.MINOR.0" (without pre-release or build),
 * and build metadata — including "+incompatible" — is ignored. Pseudo-versions
 * ("v0.0.0-20191109021931-daa7c04131f5", "v1.2.4-0.20191109021931-daa7c04131f5",
 * "v1.2.3-pre.0.20191109021931-daa7c04131f5") are pre-releases and order as such. The leading "v"
 * is optional here because advisories (OSV) often omit it.
 */
import {
  compareSemver,
  identifiers,
  semverMajor,
  type SemverParts,
} from './semver-core.js';
import { defineScheme } from './util.js';

const NUM = '(0|[1-9]\\d*)';
const PRE_ID = '(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)';
const BUILD_ID = '[0-9a-zA-Z-]+';
const GO = new RegExp(
  `^v?${NUM}(?:\\.${NUM}(?:\\.${NUM}(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+(${BUILD_ID}(?:\\.${BUILD_ID})*))?)?)?$`,
);
const PSEUDO = /^v?\d+\.(?:0\.0-|\d+\.\d+-(?:[^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

export function parseGo(version: string): SemverParts | null {
  const m = GO.exec(version);
  if (m === null) return null;
  return {
    core: [m[1] as string, m[2] ?? '0', m[3] ?? '0'],
    pre: identifiers(m[4]),
    build: identifiers(m[5]),
  };
}

/** True for a Go pseudo-version (a commit, not a tagged release). */
export function isPseudoVersion(version: string): boolean {
  return parseGo(version) !== null && PSEUDO.test(version);
}

/** True for a "+incompatible" version (a v2+ tag in a module without a /vN path). */
export function isIncompatible(version: string): boolean {
  return parseGo(version) !== null && version.endsWith('+incompatible');
}

export const go = defineScheme<SemverParts>({
  id: 'go',
  parse: parseGo,
  compare: compareSemver,
  // Pseudo-versions always carry a pre-release, so "no pre-release" also excludes them.
  isStable: (v) => v.pre.length === 0,
  major: semverMajor,
});
