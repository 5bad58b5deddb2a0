/**
 * NuGet versions (NuGet.Versioning NuGetVersion): SemVer 2.0.0 with one to four numeric parts
 * (missing parts are 0, so "1.0" = "1.0.0.0"; leading zeros allowed), pre-release labels compared
 * case-insensitively, and build metadata ignored.
 */
import { compareCore, comparePre, identifiers, semverMajor, type SemverParts } from './semver-core.js';
import { defineScheme } from './util.js';

const ID = '[0-9A-Za-z-]+';
const NUGET = new RegExp(
  `^(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:\\.(\\d+))?(?:-(${ID}(?:\\.${ID})*))?(?:\\+(${ID}(?:\\.${ID})*))?$`,
);

export function parseNuget(version: string): SemverParts | null {
  const m = NUGET.exec(version);
  if (m === null) return null;
  return {
    core: [m[1] as string, m[2] ?? '0', m[3] ?? '0', m[4] ?? '0'],
    // Labels compare case-insensitively: fold once here.
    pre: identifiers(m[5]?.toLowerCase()),
    build: identifiers(m[6]),
  };
}

export const nuget = defineScheme<SemverParts>({
  id: 'nuget',
  parse: parseNuget,
  compare: (a, b) => compareCore(a.core, b.core) || comparePre(a.pre, b.pre),
  isStable: (v) => v.pre.length === 0,
  major: semverMajor,
});
