/**
 * The public API beyond ordering: schemeFor(), isValid(), isStable(), major(), the invalid-version
 * rule and the parse cache.
 */
import { describe, expect, it } from 'vitest';
import { cachedSchemes, schemeFor, schemeIdFor, schemes } from './index.js';
import { ParseCache } from './util.js';
import { SCHEMES, type SchemeId } from './versioning.js';

describe('schemeFor', () => {
  const cases: Array<[string, SchemeId]> = [
    ['npm', 'npm'],
    ['pypi', 'pypi'],
    ['PyPI', 'pypi'],
    ['go', 'go'],
    ['Go', 'go'],
    ['cargo', 'cargo'],
    ['crates.io', 'cargo'],
    ['rubygems', 'rubygems'],
    ['RubyGems', 'rubygems'],
    ['packagist', 'packagist'],
    ['Packagist', 'packagist'],
    ['composer', 'packagist'],
    ['maven', 'maven'],
    ['Maven', 'maven'],
    ['nuget', 'nuget'],
    ['NuGet', 'nuget'],
    ['Debian', 'debian'],
    ['Debian:12', 'debian'],
    ['Ubuntu:22.04:LTS', 'debian'],
    ['Alpine', 'alpine'],
    ['Alpine:v3.20', 'alpine'],
    ['Wolfi', 'alpine'],
    ['Red Hat', 'redhat'],
    ['Red Hat:enterprise_linux:9::appstream', 'redhat'],
    ['Rocky Linux:9', 'redhat'],
    ['openSUSE:Tumbleweed', 'redhat'],
    ['CRAN', 'cran'],
    ['Pub', 'pub'],
    ['Hackage', 'hackage'],
    ['Hex', 'semver'],
    ['semver', 'semver'],
  ];
  it.each(cases)('%s → %s', (ecosystem, id) => {
    expect(schemeIdFor(ecosystem)).toBe(id);
    expect(schemeFor(ecosystem)).toBe(schemes[id]);
  });

  it('falls back to semver for an unknown ecosystem, and says so through schemeIdFor', () => {
    expect(schemeIdFor('NoSuchEcosystem')).toBeNull();
    expect(schemeIdFor('constructor')).toBeNull();
    expect(schemeIdFor('__proto__')).toBeNull();
    expect(schemeFor('toString')).toBe(schemes.semver);
    expect(schemeFor('NoSuchEcosystem')).toBe(schemes.semver);
  });

  it('has a scheme with a matching id for every SchemeId', () => {
    for (const id of SCHEMES) expect(schemes[id].id).toBe(id);
  });
});

describe('isValid / isStable / major', () => {
  // [scheme, version, valid, stable, major]
  const cases: Array<[SchemeId, string, boolean, boolean, number | null]> = [
    ['semver', '1.2.3', true, true, 1],
    ['semver', 'v2.0.0-rc.1', true, false, 2],
    ['semver', '1.2.3+build.5', true, true, 1],
    ['semver', '1.2', false, false, null],
    ['semver', '01.2.3', false, false, null],
    ['npm', ' =v3.1.0 ', true, true, 3],
    ['npm', '1.2.3beta', true, false, 1],
    ['npm', '9007199254740992.0.0', false, false, null],
    ['cargo', '0.4.0-alpha.1', true, false, 0],
    ['pypi', '1!2.0', true, true, 2],
    ['pypi', '1.0.post1', true, true, 1],
    ['pypi', '1.0+ubuntu.1', true, true, 1],
    ['pypi', '1.0a1', true, false, 1],
    ['pypi', '1.0c1', true, false, 1],
    ['pypi', '1.0.dev3', true, false, 1],
    ['pypi', 'nonsense', false, false, null],
    ['rubygems', '4.1.0', true, true, 4],
    ['rubygems', '4.1.a', true, false, 4],
    ['rubygems', '1.0.0-rc1', true, false, 1],
    ['rubygems', '1..0', false, false, null],
    ['packagist', 'v5.4.3', true, true, 5],
    ['packagist', '1.0.0-patch1', true, true, 1],
    ['packagist', '1.0pl1', true, true, 1],
    ['packagist', '1.0.0-RC1', true, false, 1],
    ['packagist', '1.0.0-beta2', true, false, 1],
    ['packagist', '2.1.x-dev', true, false, 2],
    ['packagist', 'dev-main', true, false, null],
    ['packagist', 'latest', false, false, null],
    ['maven', '6.0', true, true, 6],
    ['maven', '6.0.RELEASE', true, true, 6],
    ['maven', '6.0.Final', true, true, 6],
    ['maven', '6.0-sp1', true, true, 6],
    ['maven', '6.0-SNAPSHOT', true, false, 6],
    ['maven', '6.0-alpha-1', true, false, 6],
    ['maven', '6.0-M2', true, false, 6],
    ['maven', '6.0.CR1', true, false, 6],
    ['maven', '6.0RC1', true, false, 6],
    ['nuget', '7.0.0.1', true, true, 7],
    ['nuget', '7.0.0-Preview.1', true, false, 7],
    ['nuget', '7.0.0+sha.abc', true, true, 7],
    ['debian', '1:8.2-1', true, true, 8],
    ['debian', '8.2~rc1-1', true, false, 8],
    ['debian', '1.2.3-1~deb7u1', true, true, 1],
    ['debian', '1:', false, false, null],
    ['alpine', '9.1-r0', true, true, 9],
    ['alpine', '9.1_p2-r0', true, true, 9],
    ['alpine', '9.1_rc1-r0', true, false, 9],
    ['alpine', '9.1_alpha', true, false, 9],
    ['redhat', '2:10.1-1.el9', true, true, 10],
    ['redhat', '10.1~rc1-1', true, false, 10],
    ['cran', '11.0-1', true, true, 11],
    ['cran', '1.a', false, false, null],
    ['pub', '12.0.0+1', true, true, 12],
    ['pub', '12.0.0-dev', true, false, 12],
    ['hackage', '13.1', true, true, 13],
    ['hackage', '13.1-x', false, false, null],
  ];
  it.each(cases)('%s %j: valid %s, stable %s, major %s', (id, version, valid, stable, major) => {
    const s = schemes[id];
    expect(s.isValid(version)).toBe(valid);
    expect(s.isStable(version)).toBe(stable);
    expect(s.major(version)).toBe(major);
  });
});

describe('invalid versions', () => {
  it.each(SCHEMES.map((id) => [id] as const))('%s: sort before valid ones, then by text', (id) => {
    const s = schemes[id];
    expect(s.isValid('')).toBe(false);
    expect(s.compare('', '1.0.0')).toBe(-1);
    expect(s.compare('1.0.0', '')).toBe(1);
    expect(s.compare('', ' ')).toBe(-1);
    expect(s.compare('\u0000', '\u0000')).toBe(0);
    expect(s.compare('not a version', 'not a version!')).toBe(-1);
    expect(() => s.compare(undefined as unknown as string, null as unknown as string)).not.toThrow();
  });
});

describe('ParseCache', () => {
  it('keeps at most two generations of entries and re-parses evicted ones', () => {
    let calls = 0;
    const cache = new ParseCache<string>((s) => {
      calls++;
      return s.toUpperCase();
    }, 2);
    for (const k of ['a', 'b', 'c', 'd', 'e']) expect(cache.get(k)).toBe(k.toUpperCase());
    expect(calls).toBe(5);
    cache.get('e');
    cache.get('d');
    expect(calls).toBe(5); // still cached
    cache.get('a');
    expect(calls).toBe(6); // evicted long ago
  });

  it('caches invalid results too', () => {
    const s = cachedSchemes.pypi;
    s.clearCache();
    expect(s.parse('definitely not pep 440')).toBeNull();
    expect(s.parse('1.0')).not.toBeNull();
  });
});
