import { describe, expect, it } from 'vitest';
import { findRelease, freshness, isUnmaintained, lastReleaseAt, latestStable, libyearsBetween, type VersionOrdering } from './freshness.js';
import type { PackageInfo, ReleaseInfo } from './registry.js';

/** A small x.y.z[-pre] ordering for the tests; the probe passes a real VersionScheme. */
const parse = (v: string) => {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-(.+))?$/.exec(v);
  return m ? { nums: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)], pre: m[4] } : null;
};
const ordering: VersionOrdering = {
  compare(a, b) {
    const x = parse(a);
    const y = parse(b);
    if (!x || !y) return x ? 1 : y ? -1 : a.localeCompare(b);
    for (let i = 0; i < 3; i++) if ((x.nums[i] ?? 0) !== (y.nums[i] ?? 0)) return (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (x.pre === y.pre) return 0;
    if (x.pre === undefined) return 1;
    if (y.pre === undefined) return -1;
    return x.pre < y.pre ? -1 : 1;
  },
  isStable: (v) => parse(v)?.pre === undefined,
  major: (v) => parse(v)?.nums[0] ?? null,
};

const r = (version: string, published: string | null, extra: Partial<ReleaseInfo> = {}): ReleaseInfo => ({ version, published, deprecated: null, yanked: false, ...extra });
const pkg = (releases: ReleaseInfo[], latest: string | null = null): PackageInfo => ({ ecosystem: 'npm', name: 'p', latest, releases });

const sample = pkg([
  r('1.0.0', '2020-01-01T00:00:00Z', { deprecated: 'upgrade to 2' }),
  r('1.0', null),
  r('2.0.0', '2021-01-01T00:00:00Z'),
  r('3.0.0', '2022-01-01T00:00:00Z'),
  r('3.1.0', '2023-01-01T00:00:00Z', { yanked: true }),
  r('4.0.0-beta.1', '2024-01-01T00:00:00Z'),
]);

describe('latestStable', () => {
  it("prefers the registry's latest when it is stable and not yanked", () => {
    expect(latestStable({ ...sample, latest: '2.0.0' }, ordering)).toBe('2.0.0'); // a dist-tag may lag behind on purpose
  });
  it('computes the highest stable, non-yanked release otherwise', () => {
    expect(latestStable(sample, ordering)).toBe('3.0.0');
    expect(latestStable({ ...sample, latest: '4.0.0-beta.1' }, ordering)).toBe('3.0.0');
    expect(latestStable({ ...sample, latest: '3.1.0' }, ordering)).toBe('3.0.0');
    expect(latestStable(pkg([r('1.0.0-rc.1', null)]), ordering)).toBeNull();
  });
});

describe('freshness', () => {
  it('measures majors behind and libyears between publication dates', () => {
    const f = freshness(sample, '1.0.0', ordering);
    expect(f.latestStable).toBe('3.0.0');
    expect(f.majorsBehind).toBe(2);
    expect(f.libyears).toBeCloseTo(731 / 365.25, 6);
    expect(f.deprecated).toBe('upgrade to 2');
    expect(f.yanked).toBe(false);
    expect(f.current?.version).toBe('1.0.0');
  });

  it('is 0 behind at or past the latest stable, even without dates', () => {
    const f = freshness(sample, '4.0.0-beta.1', ordering);
    expect(f.majorsBehind).toBe(0); // major 4 against 3: never negative
    expect(f.libyears).toBe(0);
    expect(freshness(pkg([r('1.0.0', null)]), '1.0.0', ordering).libyears).toBe(0);
  });

  it('has no libyears when a date is missing', () => {
    expect(freshness(pkg([r('1.0.0', null), r('2.0.0', '2021-01-01T00:00:00Z')]), '1.0.0', ordering).libyears).toBeNull();
    expect(freshness(pkg([r('1.0.0', '2020-01-01T00:00:00Z'), r('2.0.0', 'not a date')]), '1.0.0', ordering).libyears).toBeNull();
  });

  it('never gives negative libyears when an older line was published later', () => {
    const f = freshness(pkg([r('1.0.0', '2024-01-01T00:00:00Z'), r('2.0.0', '2020-01-01T00:00:00Z')]), '1.0.0', ordering);
    expect(f.libyears).toBe(0);
  });

  it('finds the current release by equal order when the text differs', () => {
    expect(findRelease(sample, '2.0', ordering.compare)?.version).toBe('2.0.0');
    expect(findRelease(sample, '1.0', ordering.compare)?.version).toBe('1.0'); // exact text first
    const unknown = freshness(sample, '9.9.9', ordering);
    expect(unknown.current).toBeNull();
    expect(unknown.deprecated).toBeNull();
    expect(unknown.libyears).toBe(0);
  });

  it('reports a yanked current version', () => {
    expect(freshness(sample, '3.1.0', ordering).yanked).toBe(true);
  });

  it('has null majorsBehind when a major is unknown, and nothing when there is no stable release', () => {
    expect(freshness(sample, 'garbage', ordering).majorsBehind).toBeNull();
    const none = freshness(pkg([r('1.0.0-rc.1', '2020-01-01T00:00:00Z')]), '1.0.0-rc.1', ordering);
    expect(none).toMatchObject({ latestStable: null, majorsBehind: null, libyears: null });
  });
});

describe('maintenance', () => {
  it('takes the newest publication, non-yanked first', () => {
    expect(lastReleaseAt(sample)).toBe('2024-01-01T00:00:00Z');
    expect(lastReleaseAt(pkg([r('1.0.0', '2020-01-01T00:00:00Z'), r('1.0.1', '2021-01-01T00:00:00Z', { yanked: true })]))).toBe('2020-01-01T00:00:00Z');
    expect(lastReleaseAt(pkg([r('1.0.1', '2021-01-01T00:00:00Z', { yanked: true })]))).toBe('2021-01-01T00:00:00Z');
    expect(lastReleaseAt(pkg([r('1.0.0', null)]))).toBeNull();
  });

  it('calls a package unmaintained after two years without a release', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(isUnmaintained('2023-12-01T00:00:00Z', now)).toBe(true);
    expect(isUnmaintained('2024-02-01T00:00:00Z', now)).toBe(false);
    expect(isUnmaintained('2025-01-01T00:00:00Z', now, 0.5)).toBe(true);
    expect(isUnmaintained(null, now)).toBeNull();
  });

  it('computes libyears between two times', () => {
    expect(libyearsBetween('2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z')).toBe(0);
    expect(libyearsBetween(null, '2020-01-01T00:00:00Z')).toBeNull();
  });
});
