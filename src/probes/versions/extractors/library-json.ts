/**
 * A JSON (and JSONC) reader that remembers where things are: the 1-based line of every object key
 * and of every object or array. Iterative, one pass, no regular expressions. On malformed input it
 * stops at the first problem and returns the value built so far (open containers kept as they
 * were), so a truncated lockfile still yields the packages before the cut.
 */
import { setOwn } from './library-support.js';

export interface JsonParseResult {
  /** The parsed value; partial (or undefined) when `error` is set. */
  value: unknown;
  error?: { message: string; line: number };
  /** Line of the key `key` in object `obj`, when the object came from this parse. */
  keyLine(obj: object, key: string): number | undefined;
  /** Line where an object or array opened. */
  nodeLine(node: object): number | undefined;
}

export interface JsonOptions {
  /** Allow `//` and block comments and trailing commas (bun.lock, tsconfig-style files). */
  jsonc?: boolean;
  /** Deepest nesting accepted before giving up (default 512). */
  maxDepth?: number;
}

class JsonStop extends Error {}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/;

type Frame =
  | { obj: Record<string, unknown>; arr: null; key: string; lines: Map<string, number> }
  | { obj: null; arr: unknown[]; key: string; lines: null };

// Parser states (plain numbers: no enums, so Node's type stripping can run this file too).
const Value = 0;
const KeyOrEnd = 1;
const Key = 2;
const ValueOrEnd = 3;
const After = 4;
type State = typeof Value | typeof KeyOrEnd | typeof Key | typeof ValueOrEnd | typeof After;

export function parseJsonWithLines(text: string, options: JsonOptions = {}): JsonParseResult {
  const jsonc = options.jsonc === true;
  const maxDepth = options.maxDepth ?? 512;
  const keyLines = new WeakMap<object, Map<string, number>>();
  const nodeLines = new WeakMap<object, number>();
  const n = text.length;
  let i = 0;
  let line = 1;
  let root: unknown = undefined;
  const stack: Frame[] = [];

  const fail = (message: string): never => {
    throw new JsonStop(message);
  };

  const skipWs = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 13 || c === 0xfeff) i++;
      else if (c === 10) {
        i++;
        line++;
      } else if (jsonc && c === 47 /* / */) {
        const d = text.charCodeAt(i + 1);
        if (d === 47) {
          const end = text.indexOf('\n', i);
          i = end < 0 ? n : end;
        } else if (d === 42 /* * */) {
          const end = text.indexOf('*/', i + 2);
          if (end < 0) fail('unterminated comment');
          for (let k = i; k < end; k++) if (text.charCodeAt(k) === 10) line++;
          i = end + 2;
        } else return;
      } else return;
    }
  };

  const readString = (): string => {
    // text[i] is the opening quote.
    const start = ++i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return text.slice(start, i - 1);
      }
      if (c === 92 || c === 10) break;
      i++;
    }
    if (i >= n) fail('unterminated string');
    if (text.charCodeAt(i) === 10) fail('line break inside a string');
    // Slow path: escapes.
    let out = text.slice(start, i);
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return out;
      }
      if (c === 10) fail('line break inside a string');
      if (c !== 92) {
        const next = nextSpecial(i);
        out += text.slice(i, next);
        i = next;
        continue;
      }
      const e = text.charCodeAt(i + 1);
      i += 2;
      switch (e) {
        case 34:
          out += '"';
          break;
        case 92:
          out += '\\';
          break;
        case 47:
          out += '/';
          break;
        case 98:
          out += '\b';
          break;
        case 102:
          out += '\f';
          break;
        case 110:
          out += '\n';
          break;
        case 114:
          out += '\r';
          break;
        case 116:
          out += '\t';
          break;
        case 117: {
          const hex = text.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
          break;
        }
        default:
          fail('invalid escape in string');
      }
    }
    return fail('unterminated string');
  };

  const nextSpecial = (from: number): number => {
    let k = from;
    while (k < n) {
      const c = text.charCodeAt(k);
      if (c === 34 || c === 92 || c === 10) return k;
      k++;
    }
    return k;
  };

  const readPrimitive = (): unknown => {
    const c = text.charCodeAt(i);
    if (c === 34) return readString();
    if (c === 116 && text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (c === 102 && text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (c === 110 && text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      const start = i;
      while (i < n) {
        const d = text.charCodeAt(i);
        if ((d >= 48 && d <= 57) || d === 45 || d === 43 || d === 46 || d === 101 || d === 69) i++;
        else break;
      }
      const literal = text.slice(start, i);
      if (!NUMBER.test(literal)) fail('invalid number');
      return Number(literal);
    }
    return fail(i >= n ? 'unexpected end of file' : `unexpected character '${text[i]}'`);
  };

  const attach = (v: unknown): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) root = v;
    else if (top.arr !== null) top.arr.push(v);
    else setOwn(top.obj, top.key, v);
  };

  let state: State = Value as State;
  try {
    for (;;) {
      skipWs();
      if (state === After) {
        const top = stack[stack.length - 1];
        if (top === undefined) {
          if (i < n) fail('unexpected data after the end of the document');
          break;
        }
        const c = text.charCodeAt(i);
        if (c === 44 /* , */) {
          i++;
          state = top.arr !== null ? Value : Key;
          if (jsonc) state = top.arr !== null ? ValueOrEnd : KeyOrEnd;
        } else if (c === 125 /* } */ && top.obj !== null) {
          i++;
          stack.pop();
        } else if (c === 93 /* ] */ && top.arr !== null) {
          i++;
          stack.pop();
        } else fail(i >= n ? 'unexpected end of file' : top.arr !== null ? "expected ',' or ']'" : "expected ',' or '}'");
        continue;
      }
      if (state === KeyOrEnd || state === Key) {
        const top = stack[stack.length - 1];
        const c = text.charCodeAt(i);
        if (c === 125 && state === KeyOrEnd) {
          i++;
          stack.pop();
          state = After;
          continue;
        }
        if (c !== 34) fail(i >= n ? 'unexpected end of file' : 'expected a property name');
        const keyLine = line;
        const key = readString();
        skipWs();
        if (text.charCodeAt(i) !== 58 /* : */) fail(i >= n ? 'unexpected end of file' : "expected ':' after a property name");
        i++;
        if (top !== undefined && top.obj !== null) {
          top.key = key;
          top.lines.set(key, keyLine);
        }
        state = Value;
        continue;
      }
      if (state === ValueOrEnd) {
        if (text.charCodeAt(i) === 93) {
          i++;
          stack.pop();
          state = After;
          continue;
        }
        state = Value;
      }
      // Value
      if (i >= n) fail('unexpected end of file');
      const c = text.charCodeAt(i);
      if (c === 123 /* { */ || c === 91 /* [ */) {
        if (stack.length >= maxDepth) fail(`nesting deeper than ${maxDepth} levels`);
        i++;
        if (c === 123) {
          const obj: Record<string, unknown> = {};
          const lines = new Map<string, number>();
          nodeLines.set(obj, line);
          keyLines.set(obj, lines);
          attach(obj);
          stack.push({ obj, arr: null, key: '', lines });
          state = KeyOrEnd;
        } else {
          const arr: unknown[] = [];
          nodeLines.set(arr, line);
          attach(arr);
          stack.push({ obj: null, arr, key: '', lines: null });
          state = ValueOrEnd;
        }
        continue;
      }
      attach(readPrimitive());
      state = After;
    }
  } catch (e) {
    if (!(e instanceof JsonStop)) throw e;
    return {
      value: root,
      error: { message: e.message, line },
      keyLine: (obj, key) => keyLines.get(obj)?.get(key),
      nodeLine: (node) => nodeLines.get(node),
    };
  }
  return {
    value: root,
    keyLine: (obj, key) => keyLines.get(obj)?.get(key),
    nodeLine: (node) => nodeLines.get(node),
  };
}
