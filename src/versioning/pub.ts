/**
 * Dart pub versions (package pub_semver): MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]. Unlike SemVer 2.0.0,
 * build metadata takes part in the order: a version with a build sorts after the same version without
 * one, and builds compare like pre-releases (numbers numerically and below text). A leading "v" is
 * tolerated; numbers of any size compare exactly.
 */
import {
  compareCore,
  compareIdentifiers,
  comparePre,
  identifiers,
  semverMajor,
  type SemverParts,
} from './semver-core.js';
import { defineScheme } from './util.js';

const ID = '[0-9A-Za-z-]+';
const PUB = new RegExp(`^v?(\\d+)\\.(\\d+)\\.(\\d+)(?:-(${ID}(?:\\.${ID})*))?(?:\\+(${ID}(?:\\.${ID})*))?$`);

export function parsePub(version: string): SemverParts | null {
  const m = PUB.exec(version);
  if (m === null) return null;
  return {
    core: [m[1] as string, m[2] as string, m[3] as string],
    pre: identifiers(m[4]),
    build: identifiers(m[5]),
  };
}

function comparePub(a: SemverParts, b: SemverParts): number {
  const r = compareCore(a.core, b.core) || comparePre(a.pre, b.pre);
  if (r !== 0) return r;
  if (a.build.length === 0 || b.build.length === 0) {
    return a.build.length === b.build.length ? 0 : a.build.length === 0 ? -1 : 1;
  }
  return compareIdentifiers(a.build, b.build);
}

export const pub = defineScheme<SemverParts>({
  id: 'pub',
  parse: parsePub,
  compare: comparePub,
  isStable: (v) => v.pre.length === 0,
  major: semverMajor,
});
