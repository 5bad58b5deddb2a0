/**
 * JSON and JSONC (comments, trailing commas: devcontainer.json, global.json) → located trees
 * (runtime-tree.ts). A small recursive-descent parser that keeps each value's line; bounded depth,
 * linear time. Throws {@link JsonSyntaxError} with the line of the problem.
 */
import { MAX_TREE_DEPTH, MAX_TREE_NODES, type TreeMap, type TreeNode } from './runtime-tree.js';

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

export interface JsonOptions {
  /** Accept `//` and `/* *\/` comments and trailing commas (JSONC). */
  jsonc?: boolean;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

export function parseJsonTree(source: string, options: JsonOptions = {}): TreeNode {
  const jsonc = options.jsonc ?? false;
  let index = 0;
  let line = 1;
  let nodes = 0;

  const fail = (message: string): never => {
    throw new JsonSyntaxError(message, line);
  };

  const skip = (): void => {
    for (;;) {
      const char = source.charCodeAt(index);
      if (char === 10) {
        line++;
        index++;
      } else if (char === 32 || char === 9 || char === 13 || char === 0xfeff) {
        index++;
      } else if (jsonc && char === 47 && source.charCodeAt(index + 1) === 47) {
        const end = source.indexOf('\n', index);
        index = end < 0 ? source.length : end;
      } else if (jsonc && char === 47 && source.charCodeAt(index + 1) === 42) {
        const end = source.indexOf('*/', index + 2);
        if (end < 0) fail('unterminated comment');
        for (let at = index; at < end; at++) if (source.charCodeAt(at) === 10) line++;
        index = end + 2;
      } else {
        return;
      }
    }
  };

  const string = (): string => {
    STRING_BODY.lastIndex = index + 1;
    if (!STRING_BODY.test(source)) fail('unterminated or invalid string');
    const end = STRING_BODY.lastIndex;
    const value = JSON.parse(source.slice(index, end)) as string;
    index = end;
    return value;
  };

  const value = (depth: number): TreeNode => {
    if (++nodes > MAX_TREE_NODES) fail(`more than ${MAX_TREE_NODES} JSON values; not read`);
    if (depth > MAX_TREE_DEPTH) fail(`JSON nested deeper than ${MAX_TREE_DEPTH} levels`);
    skip();
    const start = line;
    const char = source[index];
    if (char === '{') {
      index++;
      const map: TreeMap = { type: 'map', line: start, entries: new Map(), keyLines: new Map() };
      skip();
      if (source[index] === '}') {
        index++;
        return map;
      }
      for (;;) {
        skip();
        if (jsonc && source[index] === '}' && map.entries.size > 0) {
          index++;
          return map;
        }
        if (source[index] !== '"') fail('expected a property name in double quotes');
        const keyLine = line;
        const key = string();
        skip();
        if (source[index] !== ':') fail(`expected ':' after "${key.slice(0, 40)}"`);
        index++;
        const entry = value(depth + 1);
        map.entries.set(key, entry);
        map.keyLines.set(key, keyLine);
        skip();
        if (source[index] === ',') {
          index++;
          continue;
        }
        if (source[index] === '}') {
          index++;
          return map;
        }
        fail("expected ',' or '}'");
      }
    }
    if (char === '[') {
      index++;
      const items: TreeNode[] = [];
      skip();
      if (source[index] === ']') {
        index++;
        return { type: 'seq', line: start, items };
      }
      for (;;) {
        skip();
        if (jsonc && source[index] === ']' && items.length > 0) {
          index++;
          return { type: 'seq', line: start, items };
        }
        items.push(value(depth + 1));
        skip();
        if (source[index] === ',') {
          index++;
          continue;
        }
        if (source[index] === ']') {
          index++;
          return { type: 'seq', line: start, items };
        }
        fail("expected ',' or ']'");
      }
    }
    if (char === '"') {
      const text = string();
      return { type: 'scalar', line: start, value: text, text };
    }
    NUMBER.lastIndex = index;
    const number = NUMBER.exec(source);
    if (number) {
      index = NUMBER.lastIndex;
      return { type: 'scalar', line: start, value: Number(number[0]), text: number[0] };
    }
    for (const [word, literal] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (source.startsWith(word, index)) {
        index += word.length;
        return { type: 'scalar', line: start, value: literal, text: null };
      }
    }
    return fail(index >= source.length ? 'unexpected end of input' : `unexpected character ${JSON.stringify(source[index])}`);
  };

  const root = value(0);
  skip();
  if (index < source.length) fail('unexpected text after the end of the document');
  return root;
}
