/**
 * Version ordering per ecosystem: one VersionScheme per SchemeId, and the lookup from ecosystem names
 * (package-manager names and OSV ecosystem names) to schemes.
 */
import { alpine } from './alpine.js';
import { cargo } from './cargo.js';
import { cran } from './cran.js';
import { debian } from './debian.js';
import { go } from './go.js';
import { hackage } from './hackage.js';
import { maven } from './maven.js';
import { npm } from './npm.js';
import { nuget } from './nuget.js';
import { packagist } from './packagist.js';
import { pub } from './pub.js';
import { pypi } from './pypi.js';
import { redhat } from './redhat.js';
import { rubygems } from './rubygems.js';
import { semver } from './semver.js';
import type { CachedVersionScheme } from './util.js';
import type { SchemeId, VersionScheme } from './versioning.js';

export { SCHEMES, type SchemeId, type VersionScheme } from './versioning.js';
export type { CachedVersionScheme } from './util.js';
export { isIncompatible, isPseudoVersion } from './go.js';
export { isStrictAlpineVersion } from './alpine.js';
export {
  alpine,
  cargo,
  cran,
  debian,
  go,
  hackage,
  maven,
  npm,
  nuget,
  packagist,
  pub,
  pypi,
  redhat,
  rubygems,
  semver,
};

/** Every scheme, with its parse cache exposed. */
export const cachedSchemes: Record<SchemeId, CachedVersionScheme> = {
  semver,
  npm,
  pypi,
  go,
  cargo,
  rubygems,
  packagist,
  maven,
  nuget,
  debian,
  alpine,
  redhat,
  cran,
  pub,
  hackage,
};

export const schemes: Record<SchemeId, VersionScheme> = cachedSchemes;

/** Ecosystem names (lower-cased, without spaces, dashes, underscores or dots) to schemes. */
const ALIASES: Record<string, SchemeId> = {
  semver: 'semver',
  npm: 'npm',
  node: 'npm',
  nodejs: 'npm',
  yarn: 'npm',
  pnpm: 'npm',
  jsr: 'npm',
  pypi: 'pypi',
  pip: 'pypi',
  python: 'pypi',
  poetry: 'pypi',
  uv: 'pypi',
  go: 'go',
  golang: 'go',
  gomod: 'go',
  gomodules: 'go',
  cargo: 'cargo',
  cratesio: 'cargo',
  crates: 'cargo',
  rust: 'cargo',
  rubygems: 'rubygems',
  gem: 'rubygems',
  gems: 'rubygems',
  bundler: 'rubygems',
  ruby: 'rubygems',
  packagist: 'packagist',
  composer: 'packagist',
  php: 'packagist',
  maven: 'maven',
  gradle: 'maven',
  java: 'maven',
  nuget: 'nuget',
  dotnet: 'nuget',
  debian: 'debian',
  deb: 'debian',
  dpkg: 'debian',
  ubuntu: 'debian',
  alpine: 'alpine',
  apk: 'alpine',
  alpaquita: 'alpine',
  wolfi: 'alpine',
  chainguard: 'alpine',
  minimos: 'alpine',
  redhat: 'redhat',
  rhel: 'redhat',
  rpm: 'redhat',
  almalinux: 'redhat',
  rockylinux: 'redhat',
  fedora: 'redhat',
  centos: 'redhat',
  opensuse: 'redhat',
  suse: 'redhat',
  suselinuxenterprise: 'redhat',
  mageia: 'redhat',
  photonos: 'redhat',
  openeuler: 'redhat',
  azurelinux: 'redhat',
  cran: 'cran',
  r: 'cran',
  bioconductor: 'cran',
  pub: 'pub',
  dart: 'pub',
  flutter: 'pub',
  hackage: 'hackage',
  haskell: 'hackage',
  cabal: 'hackage',
  hex: 'semver',
  erlang: 'semver',
  elixir: 'semver',
  swifturl: 'semver',
  swift: 'semver',
  bitnami: 'semver',
};

/**
 * The scheme for an ecosystem name: a package-manager name ("npm", "pip", "cargo") or an OSV ecosystem
 * ("PyPI", "crates.io", "Red Hat", "Debian:12", "Alpine:v3.20", "Ubuntu:22.04:LTS"). Matching ignores
 * case, spaces, dashes, underscores and dots, and anything after the first ":" (OSV's release suffix).
 * Unknown ecosystems get the semver scheme.
 */
export function schemeFor(ecosystem: string): VersionScheme {
  const id = schemeIdFor(ecosystem);
  return id === null ? schemes.semver : schemes[id];
}

/** The scheme id for an ecosystem name, or null when it is not known. */
export function schemeIdFor(ecosystem: string): SchemeId | null {
  const base = String(ecosystem).split(':')[0] ?? '';
  const key = base.toLowerCase().replace(/[\s._-]+/g, '');
  return Object.hasOwn(ALIASES, key) ? (ALIASES[key] as SchemeId) : null;
}
