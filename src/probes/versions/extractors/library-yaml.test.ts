import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { parseLockYaml } from './library-yaml.js';

/** What the yaml library makes of a text: one value per document, or null when it reports errors. */
function reference(text: string): unknown[] | null {
  const docs = [...parseAllDocuments(text, { uniqueKeys: false })];
  if (docs.some((d) => d.errors.length > 0)) return null;
  return docs.map((d) => d.toJS() as unknown);
}

/** Lockfile-like values: maps of maps, scalar lists, strings that look like versions, keys with @ and /. */
const scalar = fc.oneof(
  fc.constantFrom('1.0.0', '1.10', '5.4', '0.0.0-use.local', 'sha512-AbC+/x==', '>=14', '^1.2.3 || ^2', 'npm:^1.0.0', 'link:../x', 'true', 'null', '~', '', '0x1F', "it's", 'a: b', '#x', '- a', '{x}', 'https://x.y/z?a=1#b'),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const key = fc.oneof(fc.constantFrom('@babel/core@7.0.0(x@1)', '/a/1.0.0_b@2', 'a@npm:^1, a@npm:^2', '.', 'packages/x', 'resolution', 'dev', '1.0', 'yes'), fc.string({ minLength: 1, maxLength: 10 }));
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(scalar, { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
})).node;

describe('parseLockYaml', () => {
  it('agrees with the yaml library on lockfile-shaped documents, in block or flow style', () => {
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 6 }), fc.constantFrom(false, 1, 2), (doc, flowLevel) => {
        const text = stringify(doc, flowLevel === false ? {} : { collectionStyle: 'block', flowCollectionPadding: false, indentSeq: flowLevel === 1 });
        const expected = reference(text);
        if (expected === null) return; // the library cannot read its own output (happens with odd keys)
        const got = parseLockYaml(text);
        expect(got.errors).toEqual([]);
        expect(got.documents).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees with the yaml library on arbitrary text when it reads it itself', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a: 1\n', '  b: x\n', '- c\n', "  'k': {x: 1, y: [a, b]}\n", 'd:\n', '    e: "q\\tq"\n', '# c\n', '\n', 'f: g # h\n', '  - i\n', '---\n', ' j: k\n'), { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        const got = parseLockYaml(text);
        const expected = reference(text);
        if (got.reader !== 'fast' || expected === null) return;
        expect(got.documents).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('records key lines of the first two levels', () => {
    const r = parseLockYaml('a: 1\n\nb:\n  c:\n    d: 2\n  e: 3\n');
    const root = r.documents[0] as { b: { c: object } };
    expect(r.keyLine(root, 'b')).toBe(3);
    expect(r.keyLine(root.b, 'e')).toBe(6);
    expect(r.keyLine(root.b.c, 'd')).toBeUndefined();
  });

  it('stops alias bombs', () => {
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 8 }, (_, k) => `${'bcdefghi'[k]}: &${'bcdefghi'[k]} [${Array(10).fill(`*${'abcdefgh'[k]}`).join(', ')}]`).join('\n')}\n`;
    const r = parseLockYaml(bomb);
    expect(r.reader).toBe('yaml');
    expect(r.errors.map((e) => e.message)).toEqual(['unreadable YAML: Excessive alias count indicates a resource exhaustion attack']);
  });
});
