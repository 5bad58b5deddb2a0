/**
 * Go module versions (there is no Go file in the conformance suite): ordering as
 * golang.org/x/mod/semver.Compare gives it, pseudo-versions, +incompatible and shorthands.
 */
import { describe, expect, it } from 'vitest';
import { go, isIncompatible, isPseudoVersion } from './go.js';

/** Each list is in strictly ascending order. */
const ASCENDING: string[][] = [
  [
    'v0.0.0-20191109021931-daa7c04131f5',
    'v0.0.0-20200101000000-0123456789ab',
    'v0.0.1-alpha',
    'v0.0.1',
    'v0.1.0',
    'v1.0.0-alpha',
    'v1.0.0-alpha.1',
    'v1.0.0-alpha.beta',
    'v1.0.0-beta',
    'v1.0.0-beta.2',
    'v1.0.0-beta.11',
    'v1.0.0-rc.1',
    'v1.0.0',
    'v1.2.3',
    // A pseudo-version based on v1.2.3 (the next patch, pre-release "0.<time>-<hash>"): above v1.2.3,
    // below every pre-release of v1.2.4 and below v1.2.4 itself.
    'v1.2.4-0.20191109021931-daa7c04131f5',
    'v1.2.4-0.20191109021932-0123456789ab',
    'v1.2.4-alpha',
    'v1.2.4-pre',
    // A pseudo-version based on the pre-release v1.2.4-pre: above it, below the next pre-release.
    'v1.2.4-pre.0.20191109021931-daa7c04131f5',
    'v1.2.4-pre.1',
    'v1.2.4',
    'v1.10.0',
    'v2.0.0-20180101000000-abcdefabcdef',
    'v2.0.0-rc.1+incompatible',
    'v2.0.0+incompatible',
    'v2.0.1+incompatible',
    'v3.0.0',
    'v10.0.0',
  ],
  // Invalid versions sort first (by text), then valid ones.
  ['', 'latest', 'master', 'v01.2.3', 'v1.2-pre', 'v1.2.3.4', 'v0.0.0', 'v1'],
];

describe('go', () => {
  it.each(ASCENDING.map((list, i) => [i, list] as const))('orders list %i ascending', (_, list) => {
    for (let i = 0; i < list.length; i++) {
      for (let j = 0; j < list.length; j++) {
        const a = list[i] as string;
        const b = list[j] as string;
        expect([a, b, go.compare(a, b)]).toEqual([a, b, Math.sign(i - j) + 0]);
      }
    }
    const shuffled = [...list].reverse();
    expect(shuffled.sort(go.compare)).toEqual(list);
  });

  it('treats build metadata, including +incompatible, as not part of the order', () => {
    expect(go.compare('v2.0.0+incompatible', 'v2.0.0')).toBe(0);
    expect(go.compare('v1.2.3+meta', 'v1.2.3+other')).toBe(0);
    expect(isIncompatible('v2.0.0+incompatible')).toBe(true);
    expect(isIncompatible('v2.0.0')).toBe(false);
    expect(isIncompatible('not-a-version+incompatible')).toBe(false);
  });

  it('reads shorthands and versions without the leading v', () => {
    expect(go.compare('v1', 'v1.0.0')).toBe(0);
    expect(go.compare('v1.2', 'v1.2.0')).toBe(0);
    expect(go.compare('1.2.3', 'v1.2.3')).toBe(0);
    expect(go.compare('1.2.3-rc.1', 'v1.2.3')).toBe(-1);
    expect(go.isValid('v1.2')).toBe(true);
    for (const bad of ['v1.2-pre', 'v1.2.3.4', 'v01.2.3', 'v1.2.3-01', 'v1.2.3-', 'v1.2.3+', 'V1.2.3', '']) {
      expect([bad, go.isValid(bad)]).toEqual([bad, false]);
    }
  });

  it('recognises pseudo-versions', () => {
    for (const p of [
      'v0.0.0-20191109021931-daa7c04131f5',
      'v1.2.4-0.20191109021931-daa7c04131f5',
      'v1.2.4-pre.0.20191109021931-daa7c04131f5',
      'v1.2.4-0.20191109021931-daa7c04131f5+incompatible',
      '0.0.0-20191109021931-daa7c04131f5',
    ]) {
      expect([p, isPseudoVersion(p), go.isStable(p)]).toEqual([p, true, false]);
    }
    for (const p of ['v1.2.3', 'v1.2.4-pre', 'v1.2.4-1.20191109021931-daa7c04131f5', 'v0.0.0-2019110902193-daa7c04131f5']) {
      expect([p, isPseudoVersion(p)]).toEqual([p, false]);
    }
  });

  it('reports stability and the major version', () => {
    expect(go.isStable('v1.2.3')).toBe(true);
    expect(go.isStable('v2.0.0+incompatible')).toBe(true);
    expect(go.isStable('v1.2.3-rc.1')).toBe(false);
    expect(go.isStable('nonsense')).toBe(false);
    expect(go.major('v2.3.4')).toBe(2);
    expect(go.major('v0.0.0-20191109021931-daa7c04131f5')).toBe(0);
    expect(go.major('v17')).toBe(17);
    expect(go.major('latest')).toBeNull();
  });
});
