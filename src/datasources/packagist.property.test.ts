import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandMinified } from './packagist.js';

/**
 * Composer's `MetadataMinifier::minify` (composer/metadata-minifier), as the reference: each
 * version keeps the keys whose value changed since the previous one, and `"__unset"` for keys it
 * no longer has. (PHP's `isset` would also drop null values; here a key is present or not.)
 */
function minify(versions: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let last: Map<string, unknown> | undefined;
  for (const version of versions) {
    const entries = Object.entries(version);
    if (!last) {
      last = new Map(entries);
      out.push(version);
      continue;
    }
    const diff: Array<[string, unknown]> = [];
    for (const [key, value] of entries) {
      if (!last.has(key) || !isDeepStrictEqual(last.get(key), value)) {
        diff.push([key, value]);
        last.set(key, value);
      }
    }
    for (const key of [...last.keys()]) {
      if (!Object.hasOwn(version, key)) {
        diff.push([key, '__unset']);
        last.delete(key);
      }
    }
    out.push(Object.fromEntries(diff));
  }
  return out;
}

const key = fc.oneof(fc.constantFrom('version', 'time', 'require', 'abandoned', 'dist', '__proto__', 'constructor', 'toString'), fc.string({ maxLength: 8 }));
const value = fc.jsonValue({ maxDepth: 2 }).filter((v) => v !== '__unset');
const version = fc.dictionary(key, value, { maxKeys: 6, noNullPrototype: true });
const versions = fc.array(version, { maxLength: 8 });

describe('Packagist un-minifier (property)', () => {
  it('expands what Composer minifies back to the original versions', () => {
    fc.assert(
      fc.property(versions, (original) => {
        const expanded = expandMinified(minify(original));
        expect(expanded).toHaveLength(original.length);
        expanded.forEach((v, i) => expect(isDeepStrictEqual(v, original[i])).toBe(true));
      }),
    );
  });

  it('gives each version its own keys over the previous expanded one, minus "__unset"', () => {
    const minified = fc.array(fc.dictionary(key, fc.oneof(value, fc.constant('__unset')), { maxKeys: 6, noNullPrototype: true }), { maxLength: 8 });
    fc.assert(
      fc.property(minified, (input) => {
        const snapshot = structuredClone(input);
        const expanded = expandMinified(input);
        expect(input).toEqual(snapshot); // the input is not modified
        expanded.forEach((v, i) => {
          const own = input[i] ?? {};
          const previous = i === 0 ? undefined : expanded[i - 1];
          for (const [k, val] of Object.entries(own)) {
            if (val === '__unset' && i > 0) expect(Object.hasOwn(v, k)).toBe(false);
            else expect(isDeepStrictEqual(v[k], val)).toBe(true);
          }
          if (previous) {
            for (const k of Object.keys(previous)) if (!Object.hasOwn(own, k)) expect(isDeepStrictEqual(v[k], previous[k])).toBe(true);
          }
          for (const k of Object.keys(v)) expect(Object.hasOwn(own, k) || (previous !== undefined && Object.hasOwn(previous, k))).toBe(true);
        });
      }),
    );
  });

  it('keeps a "__proto__" key as data', () => {
    const [first, second] = expandMinified([JSON.parse('{"version":"1","__proto__":{"polluted":true}}') as Record<string, unknown>, { version: '2' }]);
    expect(Object.getPrototypeOf(second)).toBe(Object.prototype);
    expect(Object.hasOwn(second ?? {}, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(first?.version).toBe('1');
  });
});
