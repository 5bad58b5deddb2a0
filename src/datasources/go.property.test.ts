import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareGoVersions, escapeModulePath, unescapeModulePath } from './go.js';

/**
 * Module-path-like text: mixed case, slashes, dots. `!` is not allowed in module paths (Go's
 * CheckPath, and isModulePath here), which is what makes the escaping one-to-one.
 */
const pathLike = fc.string({ unit: fc.constantFrom(...'abcXYZmN09./-_~'.split('')), maxLength: 40 });
const anyText = fc.string({ unit: 'binary', maxLength: 40 }).filter((text) => !text.includes('!'));

describe('Go module path case-encoding (property)', () => {
  it('round-trips', () => {
    fc.assert(
      fc.property(fc.oneof(pathLike, anyText), (path) => {
        expect(unescapeModulePath(escapeModulePath(path))).toBe(path);
      }),
    );
  });

  it('leaves no uppercase ASCII letter', () => {
    fc.assert(fc.property(fc.oneof(pathLike, anyText), (path) => !/[A-Z]/.test(escapeModulePath(path))));
  });

  it('is injective: two paths differing only in case never collide', () => {
    fc.assert(
      fc.property(pathLike, pathLike, (a, b) => {
        fc.pre(a !== b);
        expect(escapeModulePath(a)).not.toBe(escapeModulePath(b));
      }),
    );
  });

  it('changes nothing in a path without uppercase letters', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'abc09./-_~'.split('')) }), (path) => escapeModulePath(path) === path));
  });

  it('refuses text no escaping produces', () => {
    fc.assert(
      fc.property(pathLike, fc.constantFrom('A', '!', '!A', '!0', '!!'), pathLike, (before, bad, after) => {
        // `bad` at the end, or followed by text, never decodes unless it is `!` + a-z
        const text = `${escapeModulePath(before)}${bad}`;
        expect(unescapeModulePath(text)).toBeNull();
        if (bad !== '!') expect(unescapeModulePath(`${text}${escapeModulePath(after)}`)).toBeNull();
      }),
    );
  });

  it('matches the proxy protocol examples', () => {
    expect(escapeModulePath('github.com/BurntSushi/toml')).toBe('github.com/!burnt!sushi/toml');
    expect(escapeModulePath('github.com/Azure/azure-sdk-for-go')).toBe('github.com/!azure/azure-sdk-for-go');
    expect(unescapeModulePath('github.com/!burnt!sushi/toml')).toBe('github.com/BurntSushi/toml');
  });
});

const ident = fc.oneof(fc.nat({ max: 30 }).map(String), fc.constantFrom('alpha', 'beta', 'rc', 'pre', 'x-y', '0a'));
const goVersion = fc
  .tuple(fc.nat({ max: 3 }), fc.nat({ max: 3 }), fc.nat({ max: 3 }), fc.option(fc.array(ident, { minLength: 1, maxLength: 3 })))
  .map(([a, b, c, pre]) => `v${a}.${b}.${c}${pre ? `-${pre.join('.')}` : ''}`);

describe('Go version order (property)', () => {
  it('is antisymmetric and transitive', () => {
    expect(compareGoVersions('v0.0.0', 'v0.0.0')).toBe(0);
    fc.assert(
      fc.property(goVersion, goVersion, goVersion, (a, b, c) => {
        // a sum, not toBe(-x): Object.is tells -0 from 0 when a and b are equal
        expect(Math.sign(compareGoVersions(a, b)) + Math.sign(compareGoVersions(b, a))).toBe(0);
        if (compareGoVersions(a, b) <= 0 && compareGoVersions(b, c) <= 0) expect(compareGoVersions(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });

  it('orders as semver does', () => {
    const sorted = ['v1.0.0-alpha', 'v1.0.0-alpha.1', 'v1.0.0-alpha.beta', 'v1.0.0-beta', 'v1.0.0-beta.2', 'v1.0.0-beta.11', 'v1.0.0-rc.1', 'v1.0.0', 'v1.0.1', 'v1.10.0', 'v2.0.0+incompatible'];
    expect([...sorted].reverse().sort(compareGoVersions)).toEqual(sorted);
    expect(compareGoVersions('garbage', 'v0.0.1')).toBeLessThan(0);
  });
});
