import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../../test/support/cli.js';

// The compiled module only exists beside the compiled code (npm run build, which the test setup
// runs): this test loads that code, the one the CLI runs.
const { loadPrefilter } = (await import(join(ROOT, 'dist', 'probes', 'todo', 'prefilter.js'))) as typeof import('./prefilter.js');

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

  it('declines tags it cannot take, so the JavaScript pre-filter is used', () => {
    expect(loadPrefilter([])).toBeUndefined();
    expect(loadPrefilter(Array.from({ length: 17 }, (_, i) => `T${i}`))).toBeUndefined();
    expect(loadPrefilter(['A'.repeat(33)])).toBeUndefined();
    expect(loadPrefilter(['TÖDÖ'])).toBeUndefined();
  });
});
