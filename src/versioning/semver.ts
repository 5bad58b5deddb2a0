/**
 * Semantic Versioning 2.0.0 (https://semver.org): MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD], no leading
 * zeros, build metadata ignored for precedence. A leading "v" is tolerated (semver.org FAQ: common, if
 * not part of the version).
 */
import { compareSemver, parseStrictSemver, semverMajor, type SemverParts } from './semver-core.js';
import { defineScheme } from './util.js';

export const semver = defineScheme<SemverParts>({
  id: 'semver',
  parse: parseStrictSemver,
  compare: compareSemver,
  isStable: (v) => v.pre.length === 0,
  major: semverMajor,
});
