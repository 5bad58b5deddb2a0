import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRange, satisfies } from './npm-range.js';

describe('satisfies', () => {
  it.each([
    ['1.2.3', '^1.2.0', true],
    ['2.0.0', '^1.2.0', false],
    ['0.2.5', '^0.2.3', true],
    ['0.3.0', '^0.2.3', false],
    ['0.0.3', '^0.0.3', true],
    ['0.0.4', '^0.0.3', false],
    ['1.9.9', '^1', true],
    ['0.9.0', '^0.x', true],
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2.3', false],
    ['1.9.0', '~1', true],
    ['1.2.5', '~>1.2', true],
    ['1.4.0', '1.x', true],
    ['2.0.0', '1.x', false],
    ['1.2.7', '1.2.*', true],
    ['5.0.0', '*', true],
    ['5.0.0', '', true],
    ['1.2.3', '1.2.3', true],
    ['1.2.4', '=1.2.3', false],
    ['1.2.3', 'v1.2.3', true],
    ['2.5.0', '>=2.0.0 <3.0.0', true],
    ['3.0.0', '>= 2.0.0 < 3.0.0', false],
    ['1.5.0', '1.2 - 2.3', true],
    ['2.3.9', '1.2 - 2.3', true],
    ['2.4.0', '1.2 - 2.3', false],
    ['2.3.4', '1.2.3 - 2.3.4', true],
    ['3.1.0', '~1.2 || >=3', true],
    ['2.0.0', '~1.2 || >=3', false],
    ['1.3.0', '>1.2', true],
    ['1.2.9', '>1.2', false],
    ['1.1.9', '<1.2', true],
    ['1.2.9', '<=1.2', true],
    ['1.3.0-beta.1', '^1.2.0', false],
    ['1.3.0-beta.2', '^1.3.0-beta.1', true],
    ['1.3.0', '^1.3.0-beta.1', true],
    ['1.4.0-beta.1', '^1.3.0-beta.1', false],
    ['2.0.0-rc.1', '<2.0.0', false],
  ] as const)('%s satisfies %s: %s', (version, range, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });

  it('does not guess about what is not a semver range or version', () => {
    expect(satisfies('1.0.0', 'latest')).toBeNull();
    expect(satisfies('1.0.0', 'github:user/repo')).toBeNull();
    expect(satisfies('not-a-version', '^1.0.0')).toBeNull();
    expect(parseRange('>=1.0.0 <x.y.z junk')).toBeNull();
  });

  const version = fc.tuple(fc.nat(50), fc.nat(50), fc.nat(50)).map(([a, b, c]) => `${a}.${b}.${c}`);

  it('agrees with itself on generated versions', () => {
    fc.assert(
      fc.property(version, (v) => {
        expect(satisfies(v, v)).toBe(true);
        expect(satisfies(v, `^${v}`)).toBe(true);
        expect(satisfies(v, `~${v}`)).toBe(true);
        expect(satisfies(v, `>=${v}`)).toBe(true);
        expect(satisfies(v, `<${v}`)).toBe(false);
        expect(satisfies(v, `>${v} || =${v}`)).toBe(true);
      }),
    );
  });

  it('never throws on arbitrary ranges', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), version, (range, v) => {
        const answer = satisfies(v, range);
        expect(answer === null || typeof answer === 'boolean').toBe(true);
      }),
    );
  });
});
