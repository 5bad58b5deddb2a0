import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findReference } from './references.js';

describe('findReference', () => {
  it.each([
    ['retry on 503 (#123)', '#123'],
    ['see acme/web#42 first', 'acme/web#42'],
    ['tracked in GH-7', 'GH-7'],
    ['PROJ-1234: remove flag', 'PROJ-1234'],
    ['see https://example.com/issues/9.', 'https://example.com/issues/9'],
    ['remove after ABC-1, see #2', 'ABC-1'],
  ])('%s -> %s', (text, expected) => {
    expect(findReference(text)).toBe(expected);
  });

  it.each(['rewrite in C# later', 'use UTF-8 everywhere', 'a#b', 'no reference here', '&#123; entity'])('%s has none', (text) => {
    expect(findReference(text)).toBeNull();
  });

  it('never throws and returns a substring of the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const ref = findReference(text);
        return ref === null || text.includes(ref);
      }),
    );
  });
});

describe('findReference on standards', () => {
  it.each(['hash with SHA-256', 'decode ISO-8859-1', 'AES-128 is fine'])('%s has none', (text) => {
    expect(findReference(text)).toBeNull();
  });
  it('treats a CVE id as a reference', () => {
    expect(findReference('drop after CVE-2021-44228 is patched')).toBe('CVE-2021-44228');
  });
});
