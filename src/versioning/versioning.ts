/**
 * Version ordering per ecosystem. Each scheme parses and compares versions the way its package
 * manager does; the conformance suite in ../shared/data/version-ordering passes in the tests.
 */

export const SCHEMES = [
  'semver',
  'npm',
  'pypi',
  'go',
  'cargo',
  'rubygems',
  'packagist',
  'maven',
  'nuget',
  'debian',
  'alpine',
  'redhat',
  'cran',
  'pub',
  'hackage',
] as const;
export type SchemeId = (typeof SCHEMES)[number];

export interface VersionScheme {
  id: SchemeId;
  /** Can this string be read as a version of this scheme? */
  isValid(version: string): boolean;
  /** Negative, zero or positive, like a sort comparator. Invalid versions sort before valid ones, then by text. */
  compare(a: string, b: string): number;
  /** True for a release that is not a pre-release (alpha, beta, rc, dev, snapshot, pseudo-version…). */
  isStable(version: string): boolean;
  /** The major number (the first numeric component; for Go `v0`/`v1` paths the module major), or null. */
  major(version: string): number | null;
}
