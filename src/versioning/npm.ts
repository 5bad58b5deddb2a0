/**
 * npm versions: SemVer 2.0.0 read the way node-semver reads them with `loose: true` — surrounding
 * whitespace, any run of leading "v", "=" and whitespace, leading zeros in numbers, and a pre-release
 * without its "-" ("1.2.3beta") are accepted. Like node-semver, numbers above 2^53-1 and strings
 * longer than 256 characters are invalid.
 */
import { compareSemver, identifiers, semverMajor, type SemverParts } from './semver-core.js';
import { defineScheme, stripZeros } from './util.js';

const MAX_LENGTH = 256;
const PRE_ID = '(?:\\d+|\\d*[a-zA-Z-][a-zA-Z0-9-]*)';
const LOOSE = new RegExp(
  `^[v=\\s]*(\\d+)\\.(\\d+)\\.(\\d+)(?:-?(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?$`,
);

export function parseNpm(version: string): SemverParts | null {
  if (version.length > MAX_LENGTH) return null;
  const m = LOOSE.exec(version.trim());
  if (m === null) return null;
  const core = [m[1] as string, m[2] as string, m[3] as string].map(stripZeros);
  if (core.some((n) => !Number.isSafeInteger(Number(n)))) return null;
  return { core, pre: identifiers(m[4]), build: identifiers(m[5]) };
}

export const npm = defineScheme<SemverParts>({
  id: 'npm',
  parse: parseNpm,
  compare: compareSemver,
  isStable: (v) => v.pre.length === 0,
  major: semverMajor,
});
