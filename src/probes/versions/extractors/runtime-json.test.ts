import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, parseJsonTree } from './runtime-json.js';
import { get, isSeq, text } from './runtime-tree.js';

describe('parseJsonTree', () => {
  it('parses JSON with the line of every value', () => {
    const root = parseJsonTree('{\n  "a": {\n    "b": "x\\"y",\n    "n": 1.10\n  },\n  "list": [true, null, -2e3]\n}');
    expect(text(get(root, 'a', 'b'))).toBe('x"y');
    expect(get(root, 'a', 'b')!.line).toBe(3);
    expect(text(get(root, 'a', 'n'))).toBe('1.10');
    const list = get(root, 'list');
    expect(isSeq(list) && list.items.map((item) => item.type === 'scalar' && item.value)).toEqual([true, null, -2000]);
  });

  it('accepts comments and trailing commas only in JSONC', () => {
    const source = '// c\n{\n  /* multi\n line */ "a": [1, 2,],\n}\n';
    expect(get(parseJsonTree(source, { jsonc: true }), 'a')!.line).toBe(4);
    expect(() => parseJsonTree(source)).toThrow(JsonSyntaxError);
    expect(() => parseJsonTree('{"a": 1,}')).toThrow(/property name/);
  });

  it.each([
    ['', 'unexpected end of input', 1],
    ['{"a" 1}', "expected ':' after \"a\"", 1],
    ['{\n"a": tru}', 'unexpected character "t"', 2],
    ['[1 2]', "expected ',' or ']'", 1],
    ['{} x', 'unexpected text after the end of the document', 1],
    ['"\n"', 'unterminated or invalid string', 1],
    ['/* open', 'unexpected character "/"', 1],
  ])('%j → %s', (source, message, line) => {
    try {
      parseJsonTree(source);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(JsonSyntaxError);
      expect((error as JsonSyntaxError).message).toBe(message);
      expect((error as JsonSyntaxError).line).toBe(line);
    }
  });

  it('refuses very deep nesting instead of overflowing the stack', () => {
    expect(() => parseJsonTree('['.repeat(100_000))).toThrow(/deeper than/);
  });
});
