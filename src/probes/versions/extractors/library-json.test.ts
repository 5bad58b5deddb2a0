import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonWithLines } from './library-json.js';

describe('parseJsonWithLines', () => {
  it('agrees with JSON.parse on any JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, '\t'), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const parsed = parseJsonWithLines(text);
        expect(parsed.error).toBeUndefined();
        expect(parsed.value).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('rejects what JSON.parse rejects (strict mode)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        let native = true;
        try {
          JSON.parse(text);
        } catch {
          native = false;
        }
        if (!native) expect(parseJsonWithLines(text).error).toBeDefined();
      }),
      { numRuns: 1000 },
    );
  });

  it('records the line of every key and container', () => {
    const text = '{\n  "a": {\n    "b": 1,\n    "c": [\n      {"d": 2}\n    ]\n  },\n  "e": "x\\ny"\n}\n';
    const r = parseJsonWithLines(text);
    const root = r.value as { a: { c: object[] } };
    expect(r.keyLine(root, 'a')).toBe(2);
    expect(r.keyLine(root, 'e')).toBe(8);
    expect(r.keyLine(root.a, 'c')).toBe(4);
    expect(r.nodeLine(root.a.c)).toBe(4);
    expect(r.nodeLine(root.a.c[0] as object)).toBe(5);
  });

  it('keeps what it read before an error, with the error line', () => {
    const r = parseJsonWithLines('{\n  "a": 1,\n  "b": [1, 2,\n');
    expect(r.value).toEqual({ a: 1, b: [1, 2] });
    expect(r.error).toEqual({ message: 'unexpected end of file', line: 4 });
  });

  it('JSONC: comments and trailing commas', () => {
    const r = parseJsonWithLines('// c\n{ /* x\n */ "a": [1, 2,], "b": {"c": 1,}, }\n', { jsonc: true });
    expect(r.error).toBeUndefined();
    expect(r.value).toEqual({ a: [1, 2], b: { c: 1 } });
    expect(r.keyLine(r.value as object, 'a')).toBe(3);
    expect(parseJsonWithLines('{"a": 1,}').error).toBeDefined();
  });

  it('__proto__ is an ordinary key; deep nesting stops with an error', () => {
    const r = parseJsonWithLines('{"__proto__": {"polluted": true}}');
    expect(Object.keys(r.value as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(parseJsonWithLines('['.repeat(10_000)).error?.message).toBe('nesting deeper than 512 levels');
  });
});
