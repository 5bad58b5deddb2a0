import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { schemeFor, schemes, type VersionScheme } from '../versioning/index.js';
import {
  isAffected,
  lowestFix,
  namesPackage,
  normalizePackageName,
  osvEcosystem,
  recordAffects,
  recordLowestFix,
} from './match.js';
import type { OsvAffected, OsvRange } from './schema.js';
import { fixture, fixtureIds } from './test-support/fixtures.js';

const npm = schemes.npm;
const semverRange = (events: OsvRange['events'], type: OsvRange['type'] = 'SEMVER'): OsvAffected => ({ ranges: [{ type, events }] });

describe('the OSV spec examples', () => {
  it('unfixed: every version is affected', () => {
    const affected = semverRange([{ introduced: '0' }]);
    for (const v of ['0.0.0', '0.0.1-alpha', '1.0.0', '99.1.2']) expect(isAffected(affected, v, npm)).toBe(true);
    expect(lowestFix(affected, '1.0.0', npm)).toBeNull();
  });

  it('fixed: everything before 1.0.2', () => {
    const affected = semverRange([{ introduced: '0' }, { fixed: '1.0.2' }]);
    expect(isAffected(affected, '1.0.1', npm)).toBe(true);
    expect(isAffected(affected, '1.0.2-rc.1', npm)).toBe(true);
    expect(isAffected(affected, '1.0.2', npm)).toBe(false);
    expect(isAffected(affected, '2.0.0', npm)).toBe(false);
    expect(lowestFix(affected, '0.9.0', npm)).toBe('1.0.2');
  });

  it('multiple ranges in one events list: [1.0.0, 1.0.2) and [3.0.0, 3.2.5)', () => {
    const affected = semverRange([{ introduced: '1.0.0' }, { fixed: '1.0.2' }, { introduced: '3.0.0' }, { fixed: '3.2.5' }]);
    const expected: Record<string, boolean> = {
      '0.9.9': false,
      '1.0.0': true,
      '1.0.1': true,
      '1.0.2': false,
      '2.5.0': false,
      '3.0.0': true,
      '3.2.4': true,
      '3.2.5': false,
      '4.0.0': false,
    };
    for (const [v, affectedOrNot] of Object.entries(expected)) expect(isAffected(affected, v, npm), v).toBe(affectedOrNot);
    expect(lowestFix(affected, '1.0.1', npm)).toBe('1.0.2');
    expect(lowestFix(affected, '3.1.0', npm)).toBe('3.2.5');
    expect(lowestFix(affected, '2.0.0', npm)).toBeNull();
  });

  it('events need not be sorted in the record', () => {
    const affected = semverRange([{ fixed: '3.2.5' }, { introduced: '3.0.0' }, { fixed: '1.0.2' }, { introduced: '1.0.0' }]);
    expect(isAffected(affected, '1.0.1', npm)).toBe(true);
    expect(isAffected(affected, '2.0.0', npm)).toBe(false);
    expect(isAffected(affected, '3.2.0', npm)).toBe(true);
  });

  it('last_affected includes the version itself; fixed excludes it', () => {
    const last = semverRange([{ introduced: '0' }, { last_affected: '2.1.214' }], 'ECOSYSTEM');
    const fixed = semverRange([{ introduced: '0' }, { fixed: '2.1.214' }]);
    const maven = schemes.maven;
    expect(isAffected(last, '2.1.214', maven)).toBe(true);
    expect(isAffected(last, '2.1.215', maven)).toBe(false);
    expect(lowestFix(last, '2.1.214', maven)).toBeNull();
    expect(isAffected(fixed, '2.1.214', npm)).toBe(false);
    expect(isAffected(fixed, '2.1.213', npm)).toBe(true);
  });

  it('limit: affected only below a limit; "*" is infinity; several limits widen', () => {
    const limited = semverRange([{ introduced: '1.0.0' }, { limit: '2.0.0' }]);
    expect(isAffected(limited, '0.9.0', npm)).toBe(false);
    expect(isAffected(limited, '1.5.0', npm)).toBe(true);
    expect(isAffected(limited, '2.0.0', npm)).toBe(false);
    expect(isAffected(limited, '3.0.0', npm)).toBe(false);
    const star = semverRange([{ introduced: '1.0.0' }, { limit: '*' }]);
    expect(isAffected(star, '100.0.0', npm)).toBe(true);
    const two = semverRange([{ introduced: '1.0.0' }, { limit: '2.0.0' }, { limit: '3.0.0' }]);
    expect(isAffected(two, '2.5.0', npm)).toBe(true);
    expect(isAffected(two, '3.0.0', npm)).toBe(false);
    // a limit bounds, it never fixes
    expect(lowestFix(limited, '1.5.0', npm)).toBeNull();
  });

  it('versions: an explicit list is enough, whatever the ranges say', () => {
    const affected: OsvAffected = { versions: ['2.8.0', '2.8.0.post1'], ranges: [{ type: 'GIT', repo: 'https://x', events: [{ introduced: '0' }, { fixed: 'abc' }] }] };
    const pypi = schemes.pypi;
    expect(isAffected(affected, '2.8.0', pypi)).toBe(true);
    expect(isAffected(affected, '2.8.0-post1', pypi)).toBe(true); // the same PEP 440 version
    expect(isAffected(affected, '2.8.1', pypi)).toBe(false);
  });

  it('GIT ranges are ignored (no commit to compare with)', () => {
    const affected: OsvAffected = { ranges: [{ type: 'GIT', repo: 'https://github.com/a/b', events: [{ introduced: '0' }] }] };
    expect(isAffected(affected, '1.0.0', npm)).toBe(false);
  });

  it('ties keep the record order: introduced X then fixed X is empty; fixed X then introduced X reopens', () => {
    expect(isAffected(semverRange([{ introduced: '1.0.0' }, { fixed: '1.0.0' }]), '1.0.0', npm)).toBe(false);
    const reopened = semverRange([{ introduced: '0' }, { fixed: '1.0.0' }, { introduced: '1.0.0' }, { fixed: '2.0.0' }]);
    expect(isAffected(reopened, '1.0.0', npm)).toBe(true);
    expect(isAffected(reopened, '1.5.0', npm)).toBe(true);
    expect(lowestFix(reopened, '1.5.0', npm)).toBe('2.0.0');
  });
});

describe('versions the scheme cannot read', () => {
  it('an unreadable fixed or last_affected is ignored (errs towards reporting)', () => {
    expect(isAffected(semverRange([{ introduced: '0' }, { fixed: 'not a version' }]), '5.0.0', npm)).toBe(true);
    expect(isAffected(semverRange([{ introduced: '0' }, { last_affected: '???' }]), '5.0.0', npm)).toBe(true);
  });

  it('an unreadable introduced counts as "0"', () => {
    expect(isAffected(semverRange([{ introduced: 'garbage' }, { fixed: '2.0.0' }]), '1.0.0', npm)).toBe(true);
  });

  it('an unreadable limit is ignored', () => {
    expect(isAffected(semverRange([{ introduced: '0' }, { limit: 'x.y' }]), '1.0.0', npm)).toBe(true);
  });

  it('a queried version that is not valid is in no range, but an exact versions entry matches', () => {
    const affected: OsvAffected = { versions: ['file:../x'], ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] };
    expect(isAffected(affected, 'github:a/b#c', npm)).toBe(false);
    expect(isAffected(affected, 'file:../x', npm)).toBe(true);
  });

  it('SEMVER ranges on a non-SemVer ecosystem use SemVer 2.0 order', () => {
    const affected = semverRange([{ introduced: '1.0.0' }, { fixed: '1.2.0' }]);
    expect(isAffected(affected, '1.1.0', schemes.pypi)).toBe(true);
    expect(isAffected(affected, '1.1', schemes.pypi)).toBe(false); // not SemVer
  });
});

describe('packages', () => {
  it('maps our ecosystem ids to OSV names', () => {
    expect(['npm', 'pypi', 'go', 'cargo', 'rubygems', 'packagist', 'maven', 'nuget'].map((e) => osvEcosystem(e as never))).toEqual([
      'npm',
      'PyPI',
      'Go',
      'crates.io',
      'RubyGems',
      'Packagist',
      'Maven',
      'NuGet',
    ]);
  });

  it('normalises names per ecosystem', () => {
    expect(normalizePackageName('PyPI', ' Django_REST.framework ')).toBe('django-rest-framework');
    expect(normalizePackageName('crates.io', 'Serde_JSON')).toBe('serde-json');
    expect(normalizePackageName('NuGet', 'Newtonsoft.Json')).toBe('newtonsoft.json');
    expect(normalizePackageName('Packagist', 'Symfony/HTTP-Kernel')).toBe('symfony/http-kernel');
    expect(normalizePackageName('Go', 'github.com/BurntSushi/toml')).toBe('github.com/BurntSushi/toml');
    expect(normalizePackageName('npm', 'JSONStream')).toBe('JSONStream');
    expect(normalizePackageName('Maven', 'org.Apache:Foo')).toBe('org.Apache:Foo');
    expect(normalizePackageName('RubyGems', 'Rack')).toBe('Rack');
  });

  it('compares ecosystems case-sensitively, as OSV does', () => {
    const affected: OsvAffected = { package: { ecosystem: 'PyPI', name: 'django' } };
    expect(namesPackage(affected, 'PyPI', 'Django')).toBe(true);
    expect(namesPackage(affected, 'pypi', 'django')).toBe(false);
    expect(namesPackage(affected, 'PyPI:extra', 'django')).toBe(false);
  });
});

describe('real-shaped advisories', () => {
  it('all fixtures parse', () => {
    expect(fixtureIds().length).toBeGreaterThanOrEqual(10);
    for (const id of fixtureIds()) expect(fixture(id).id).toBe(id);
  });

  const cases: Array<[id: string, ecosystem: string, name: string, version: string, affected: boolean, fix?: string | null]> = [
    ['GHSA-35jh-r3h4-6jhm', 'npm', 'lodash', '4.17.20', true, '4.17.21'],
    ['GHSA-35jh-r3h4-6jhm', 'npm', 'lodash', '4.17.21', false],
    ['GHSA-35jh-r3h4-6jhm', 'npm', 'lodash-es', '4.17.15', true, '4.17.21'],
    ['GHSA-35jh-r3h4-6jhm', 'npm', 'Lodash', '4.17.15', false], // npm names are case-sensitive
    ['GHSA-jh3w-4vvf-mjgr', 'PyPI', 'Django', '3.2.19', true, '3.2.20'],
    ['GHSA-jh3w-4vvf-mjgr', 'PyPI', 'django', '4.0.5', true, '4.1.10'],
    ['GHSA-jh3w-4vvf-mjgr', 'PyPI', 'django', '4.2rc1', true, '4.2.3'],
    ['GHSA-jh3w-4vvf-mjgr', 'PyPI', 'django', '4.2.3', false],
    ['GHSA-jh3w-4vvf-mjgr', 'PyPI', 'django', '3.1.14', false],
    ['PYSEC-2023-100', 'PyPI', 'django', '4.1.9', true, '4.1.10'],
    ['PYSEC-2023-100', 'PyPI', 'django', '4.1.10', false],
    ['PYSEC-2021-XXXX', 'PyPI', 'pikepdf', '2.8.0.post1', true, null],
    ['PYSEC-2021-XXXX', 'PyPI', 'PikePDF', '2.9.2', true, null],
    ['PYSEC-2021-XXXX', 'PyPI', 'pikepdf', '2.10.0', false],
    ['GO-2022-1144', 'Go', 'stdlib', 'v1.18.8', true, '1.18.9'],
    ['GO-2022-1144', 'Go', 'stdlib', 'v1.19.0-rc.1', true, '1.19.4'],
    ['GO-2022-1144', 'Go', 'stdlib', 'v1.19.4', false],
    ['GO-2022-1144', 'Go', 'golang.org/x/net', 'v0.3.0', true, '0.4.0'],
    ['GO-2022-1144', 'Go', 'golang.org/x/net', 'v0.0.0-20220906165146-f3363e06e74c', true, '0.4.0'],
    ['GO-2022-1144', 'Go', 'golang.org/x/net', 'v0.4.0', false],
    ['RUSTSEC-2019-0033', 'crates.io', 'http', '0.1.19', true, '0.1.20'],
    ['RUSTSEC-2019-0033', 'crates.io', 'http', '0.2.0', false],
    ['RUSTSEC-2021-0124', 'crates.io', 'tokio', '1.8.3', true, '1.8.4'],
    ['RUSTSEC-2021-0124', 'crates.io', 'tokio', '1.8.4', false],
    ['RUSTSEC-2021-0124', 'crates.io', 'tokio', '1.12.0', true, '1.13.1'],
    ['RUSTSEC-2021-0124', 'crates.io', 'tokio', '0.1.13', false],
    ['GHSA-22wj-vf5f-wrvj', 'Maven', 'com.h2database:h2', '2.1.214', true, null],
    ['GHSA-22wj-vf5f-wrvj', 'Maven', 'com.h2database:h2', '1.4.200', true, null],
    ['GHSA-22wj-vf5f-wrvj', 'Maven', 'com.h2database:h2', '2.2.220', false],
    ['GHSA-5crp-9r3c-p9vr', 'NuGet', 'newtonsoft.json', '12.0.3', true, '13.0.1'],
    ['GHSA-5crp-9r3c-p9vr', 'NuGet', 'Newtonsoft.Json', '13.0.1', false],
    ['OSV-2024-LIMIT', 'RubyGems', 'rack', '1.6.13', true, null],
    ['OSV-2024-LIMIT', 'RubyGems', 'rack', '2.0.0', false],
    ['OSV-2024-LIMIT', 'RubyGems', 'rack', '0.9.1', false],
  ];
  it.each(cases)('%s: %s %s@%s affected=%s', (id, ecosystem, name, version, affected, fix) => {
    const record = fixture(id);
    expect(recordAffects(record, ecosystem, name, version)).toBe(affected);
    if (affected) expect(recordLowestFix(record, ecosystem, name, version)).toBe(fix ?? null);
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests: the matcher against a deliberately simple reference that never compares
// version strings. A universe of versions is built in a known order (so the reference works on
// indices); the reference paints the universe event by event in sorted order.

type Kind = 'introduced' | 'fixed' | 'last_affected' | 'limit';
interface GenEvent {
  kind: Kind;
  /** Index into the universe; -1 is "0" (introduced); Infinity is "*" (limit). */
  index: number;
}
interface GenRange {
  type: 'SEMVER' | 'ECOSYSTEM';
  events: GenEvent[];
}

interface Flavour {
  name: string;
  scheme: VersionScheme;
  types: Array<GenRange['type']>;
  /** The versions of one release tuple, in ascending order (pre-releases, release, post-releases). */
  variants(core: string, extra: boolean): string[];
  /** How the queried version is spelled (Go components carry a `v`). */
  query(version: string): string;
}

const FLAVOURS: Flavour[] = [
  {
    name: 'npm',
    scheme: schemes.npm,
    types: ['SEMVER', 'ECOSYSTEM'],
    variants: (core, extra) => (extra ? [`${core}-alpha.1`, `${core}-beta.2`, core] : [core]),
    query: (v) => v,
  },
  {
    name: 'PyPI',
    scheme: schemes.pypi,
    types: ['ECOSYSTEM'],
    variants: (core, extra) => (extra ? [`${core}a1`, `${core}rc1`, core, `${core}.post1`] : [core]),
    query: (v) => v,
  },
  {
    name: 'Go',
    scheme: schemes.go,
    types: ['SEMVER'],
    variants: (core, extra) => (extra ? [`${core}-rc.1`, core] : [core]),
    query: (v) => `v${v}`,
  },
  {
    name: 'crates.io',
    scheme: schemes.cargo,
    types: ['SEMVER'],
    variants: (core, extra) => (extra ? [`${core}-alpha`, core] : [core]),
    query: (v) => v,
  },
];

function universeArb(flavour: Flavour): fc.Arbitrary<string[]> {
  return fc
    .uniqueArray(fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3)), { minLength: 2, maxLength: 14, selector: (t) => t.join('.') })
    .chain((triples) => fc.array(fc.boolean(), { minLength: triples.length, maxLength: triples.length }).map((flags) => ({ triples, flags })))
    .map(({ triples, flags }) => {
      const sorted = triples
        .map((t, i) => ({ t, extra: flags[i] ?? false }))
        .sort((a, b) => a.t[0] - b.t[0] || a.t[1] - b.t[1] || a.t[2] - b.t[2]);
      return sorted.flatMap(({ t, extra }) => flavour.variants(t.join('.'), extra));
    });
}

function rangeArb(n: number, types: Array<GenRange['type']>): fc.Arbitrary<GenRange> {
  const index = fc.nat(n - 1);
  const event: fc.Arbitrary<GenEvent> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant<Kind>('introduced'), index: fc.oneof(fc.constant(-1), index) }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant<Kind>('fixed'), index }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant<Kind>('last_affected'), index }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant<Kind>('limit'), index: fc.oneof(fc.constant(Number.POSITIVE_INFINITY), index) }) },
  );
  return fc.record({
    type: fc.constantFrom(...types),
    events: fc.array(event, { minLength: 1, maxLength: 7 }).chain((events) =>
      events.some((e) => e.kind === 'introduced')
        ? fc.constant(events)
        : fc.oneof(fc.constant(-1), index).map((i) => [{ kind: 'introduced' as Kind, index: i }, ...events]),
    ),
  });
}

function toOsv(universe: readonly string[], ranges: readonly GenRange[], versions: readonly number[]): OsvAffected {
  const text = (e: GenEvent): string => (e.index === -1 ? '0' : e.index === Number.POSITIVE_INFINITY ? '*' : (universe[e.index] as string));
  return {
    ranges: ranges.map((range) => ({
      type: range.type,
      events: range.events.map((e) => ({ [e.kind]: text(e) }) as OsvRange['events'][number]),
    })),
    versions: versions.map((i) => universe[i] as string),
  };
}

/** Reference: which universe indices a range covers, by painting. */
function referenceRange(range: GenRange, n: number): boolean[] {
  const walk = range.events
    .map((event, order) => ({ event, order }))
    .filter(({ event }) => event.kind !== 'limit')
    .sort((a, b) => a.event.index - b.event.index || a.order - b.order);
  const state = new Array<boolean>(n).fill(false);
  for (const { event } of walk) {
    const from = event.kind === 'last_affected' ? event.index + 1 : Math.max(0, event.index);
    for (let j = from; j < n; j++) state[j] = event.kind === 'introduced';
  }
  const limits = range.events.filter((e) => e.kind === 'limit');
  return state.map((on, j) => on && (limits.length === 0 || limits.some((l) => j < l.index)));
}

function reference(universe: readonly string[], ranges: readonly GenRange[], versions: readonly number[]): Array<{ affected: boolean; fix: string | null }> {
  const n = universe.length;
  const painted = ranges.map((range) => referenceRange(range, n));
  return universe.map((_, i) => {
    const inRanges = painted.map((p) => p[i] === true);
    let fix = Number.POSITIVE_INFINITY;
    ranges.forEach((range, r) => {
      if (!inRanges[r]) return;
      for (const e of range.events) if (e.kind === 'fixed' && e.index > i && e.index < fix) fix = e.index;
    });
    return {
      affected: versions.includes(i) || inRanges.some(Boolean),
      fix: fix === Number.POSITIVE_INFINITY ? null : (universe[fix] as string),
    };
  });
}

describe('property: the matcher agrees with the reference', () => {
  const runs = Number(process.env.OSV_PROPERTY_RUNS ?? 300);
  for (const flavour of FLAVOURS) {
    it(`${flavour.name}: isAffected and lowestFix on random ranges`, () => {
      const scenario = universeArb(flavour).chain((universe) =>
        fc.record({
          universe: fc.constant(universe),
          ranges: fc.array(rangeArb(universe.length, flavour.types), { minLength: 0, maxLength: 3 }),
          versions: fc.uniqueArray(fc.nat(universe.length - 1), { maxLength: 3 }),
        }),
      );
      fc.assert(
        fc.property(scenario, ({ universe, ranges, versions }) => {
          const affected = toOsv(universe, ranges, versions);
          const expected = reference(universe, ranges, versions);
          universe.forEach((version, i) => {
            const q = flavour.query(version);
            const want = expected[i] as { affected: boolean; fix: string | null };
            expect(isAffected(affected, q, flavour.scheme), `${q} affected`).toBe(want.affected);
            expect(lowestFix(affected, q, flavour.scheme), `${q} fix`).toBe(want.fix);
          });
        }),
        { numRuns: runs },
      );
    });
  }

  it('the universe is in the order the schemes use (the reference relies on it)', () => {
    for (const flavour of FLAVOURS) {
      fc.assert(
        fc.property(universeArb(flavour), (universe) => {
          for (let i = 1; i < universe.length; i++) expect(flavour.scheme.compare(universe[i - 1] as string, universe[i] as string)).toBe(-1);
        }),
        { numRuns: 100 },
      );
    }
  });

  it('recordAffects finds the package entry by ecosystem and name', () => {
    const scheme = schemeFor('PyPI');
    const rec = { id: 'X-1', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'PyPI', name: 'Foo.Bar' }, versions: ['1.0'] }] };
    expect(recordAffects(rec, 'PyPI', 'foo-bar', '1.0', scheme)).toBe(true);
    expect(recordAffects(rec, 'PyPI', 'foo-baz', '1.0', scheme)).toBe(false);
  });
});
