import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../../test/support/cli.js';

// The compiled module only exists beside the compiled code (npm run build, which the test setup
// runs): this test loads that code, the one the CLI runs.
const { loadPrefilter } = (await import(join(ROOT, 'dist', 'probes', 'todo', 'prefilter.js'))) as typeof import('./prefilter.js');
const { scanFileUnchecked } = (await import(join(ROOT, 'dist', 'probes', 'todo', 'scanner.js'))) as typeof import('./scanner.js');

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * What the scanner's regular expressions answer over a latin1 view: the first case-insensitive
 * whole-word match (as the scanner's candidate search), else -2 when a tag occurs inside a word
 * (as its quick test), else -1.
 */
function oracle(tags: readonly string[], bytes: Uint8Array): number {
  const text = Buffer.from(bytes).toString('latin1');
  const words = tags.map((tag) => `\\b${escape(tag)}${/\w$/.test(tag) ? '\\b' : ''}`);
  const whole = text.search(new RegExp(words.join('|'), 'i'));
  if (whole >= 0) return whole;
  return text.search(new RegExp(tags.map(escape).join('|'), 'i')) >= 0 ? -2 : -1;
}

function first(filter: NonNullable<ReturnType<typeof loadPrefilter>>, bytes: Uint8Array): number {
  const area = filter.area(bytes.length);
  area.set(bytes);
  return filter.first(bytes.length);
}

const tagArb = fc.oneof(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,11}$/), fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{28,31}$/));
// (Tags that end in `-` need no boundary after them, as in the scanner's `wordAlternation`.)
/** Bytes rich in near-misses: tag letters in both cases, punctuation, high bytes, NULs. */
const byteArb = fc.oneof(
  fc.constantFrom(...Buffer.from('TODOtodoFIXMEfixmeHACKhackXXXxxxBUGbug_-09 \n/*#@')),
  fc.integer({ min: 0, max: 255 }),
);

describe('the WebAssembly pre-filter', () => {
  it('answers exactly what the scanner\'s regular expressions answer', () => {
    /** A file made of pieces: the tags in random case, word characters, punctuation, any byte. */
    const fileArb = (tags: readonly string[]) =>
      fc
        .array(
          fc.oneof(
            fc.tuple(fc.constantFrom(...tags), fc.array(fc.boolean(), { minLength: 32, maxLength: 32 })).map(([tag, upper]) =>
              Buffer.from([...tag].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(''), 'latin1'),
            ),
            fc.array(byteArb, { maxLength: 20 }).map((bytes) => Buffer.from(bytes)),
            fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)),
          ),
          { maxLength: 12 },
        )
        .map((pieces) => new Uint8Array(Buffer.concat(pieces)));
    fc.assert(
      fc.property(
        fc.uniqueArray(tagArb, { minLength: 1, maxLength: 16, selector: (t) => t.toLowerCase() }).chain((tags) => fc.tuple(fc.constant(tags), fc.array(fileArb(tags), { minLength: 1, maxLength: 6 }))),
        ([tags, files]) => {
          const filter = loadPrefilter(tags);
          expect(filter).toBeDefined();
          // One area for several files in turn: what an earlier, longer file left must not count.
          for (const bytes of files) expect(first(filter!, bytes)).toBe(oracle(tags, bytes));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('finds tags planted anywhere, in any case, at block edges and at the very end', () => {
    const tags = ['TODO', 'FIXME', 'HACK', 'XXX', 'BUG', 'X'];
    const filter = loadPrefilter(tags)!;
    for (let at = 0; at < 70; at++) {
      for (const tag of ['todo', 'FiXmE', 'HACK', 'xXx', 'bug']) {
        const bytes = Buffer.from(`${'.'.repeat(at)}${tag}`, 'latin1');
        expect(first(filter, bytes), `${tag} at ${at}`).toBe(oracle(tags, bytes));
      }
    }
    expect(first(filter, Buffer.from('no tags here at all, none'.repeat(1000)))).toBe(-1);
    expect(first(filter, Buffer.from('debug(todos); xxxl; _bug; bug2'))).toBe(-2);
    expect(first(filter, Buffer.from('debug(todos) -- bug'))).toBe(16);
    // Larger than the initial memory: the area grows and keeps working.
    const big = Buffer.alloc(5_000_000, 0x2e);
    big.write('Bug', 4_999_990, 'latin1');
    expect(first(filter, big)).toBe(4_999_990);
  });

  it('takes tags of the longest length the configuration allows (32)', () => {
    const tags = ['X'.repeat(31), 'Y'.repeat(32), 'TODO'];
    const filter = loadPrefilter(tags)!;
    for (const tag of tags) {
      const bytes = Buffer.from(`// ${tag}: fix ${tag.toLowerCase()}`, 'latin1');
      expect(first(filter, bytes), tag).toBe(3);
    }
  });

  it('finds every whole-word tag in turn, judging word boundaries on the bytes before', () => {
    const filter = loadPrefilter(['TODO', 'BUG'])!;
    const bytes = Buffer.from('x TODO xbug bug_ Bug todo', 'latin1');
    filter.area(bytes.length).set(bytes);
    const all: number[] = [];
    for (let at = filter.first(bytes.length); at >= 0; at = filter.next(at + 1, bytes.length)) all.push(at);
    expect(all).toEqual([2, 17, 21]);
    // From inside a word: `ug` after `b` is no tag, nor is `bug` preceded by `x`.
    expect(filter.next(8, bytes.length)).toBe(17);
    expect(filter.next(9, bytes.length)).toBe(17);
  });

  it('gives the scanner the markers it finds without it, in every language', () => {
    const TAGS = { tags: ['TODO', 'FIXME', 'HACK', 'XXX', 'BUG'] };
    const filter = loadPrefilter(TAGS.tags)!;
    const piece = fc.oneof(
      { arbitrary: fc.constantFrom('TODO', 'todo:', 'FIXME(bob):', '@todo', 'xxx', 'Bug', 'debug', 'HACK -', 'todos'), weight: 4 },
      { arbitrary: fc.constantFrom('//', '/*', '*/', '#', '--', '<!--', '-->', '"', "'", '`', '\\n', '\n', '\r\n', ' ', ':', 'é', '\\'), weight: 6 },
      { arbitrary: fc.string({ maxLength: 6 }), weight: 1 },
    );
    const paths = ['a.js', 'a.ts', 'a.py', 'a.c', 'a.rb', 'a.sh', 'a.html', 'a.sql', 'a.yaml', 'a.go', 'tool', 'LICENSE'];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.boolean(), fc.array(piece, { maxLength: 60 }), (path, bom, pieces) => {
        const text = (path === 'tool' ? '#!/bin/sh\n' : '') + pieces.join('');
        const bytes = Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
        filter.area(bytes.length).set(bytes);
        const found = { first: filter.first(bytes.length), next: (from: number) => filter.next(from, bytes.length) };
        expect(scanFileUnchecked(path, bytes, TAGS, undefined, found)).toEqual(scanFileUnchecked(path, bytes, TAGS));
      }),
      { numRuns: 2000 },
    );
  });

  it('declines tags it cannot take, so the JavaScript pre-filter is used', () => {
    expect(loadPrefilter([])).toBeUndefined();
    expect(loadPrefilter(Array.from({ length: 17 }, (_, i) => `T${i}`))).toBeUndefined();
    expect(loadPrefilter(['A'.repeat(33)])).toBeUndefined();
    expect(loadPrefilter(['TÖDÖ'])).toBeUndefined();
    // The expression wants no word boundary before a tag that starts with punctuation.
    expect(loadPrefilter(['TODO', '!!!'])).toBeUndefined();
  });
});
