/**
 * Cargo (crates.io) versions: SemVer 2.0.0 as implemented by the `semver` crate, which Cargo uses.
 * Precedence ignores build metadata. Same parser as the semver scheme (a leading "v", which Cargo
 * itself rejects, is tolerated).
 */
import { compareSemver, parseStrictSemver, semverMajor, type SemverParts } from './semver-core.js';
import { defineScheme } from './util.js';

export const cargo = defineScheme<SemverParts>({
  id: 'cargo',
  parse: parseStrictSemver,
  compare: compareSemver,
  isStable: (v) => v.pre.length === 0,
  major: semverMajor,
});
