/**
 * YAML for lockfiles (pnpm-lock.yaml, yarn berry's yarn.lock). Package managers write a small,
 * regular subset of YAML: block mappings, one-line flow collections, quoted or plain scalars,
 * sequences of scalars. A line-based reader for that subset runs in a few milliseconds on a
 * 5,000-package lockfile, where the general `yaml` library takes half a second; anything outside
 * the subset (anchors, tags, block scalars, multi-line scalars, complex keys…) falls back to the
 * `yaml` library, with an alias limit against alias bombs. Both record the line of the keys of
 * the first two levels of mappings (the root and the mappings under it: where packages are listed).
 */
import { isMap, isScalar, parseAllDocuments } from 'yaml';
import type { Document, YAMLMap } from 'yaml';
import type { ExtractError } from '../model.js';
import { isRecord, LineIndex, setOwn } from './library-support.js';

export interface YamlParseResult {
  /** One value per document (a lockfile has one; pnpm ≥ 10 may prepend an environment document). */
  documents: unknown[];
  errors: ExtractError[];
  keyLine(obj: object, key: string): number | undefined;
  /** Which reader produced the result (for tests). */
  reader: 'fast' | 'yaml';
}

const MAX_ALIASES = 100;

class Bail extends Error {}
function bail(why: string): never {
  throw new Bail(why);
}

export function parseLockYaml(text: string): YamlParseResult {
  try {
    return fastParse(text);
  } catch (e) {
    if (!(e instanceof Bail)) throw e;
    return libraryParse(text);
  }
}

// ---------------------------------------------------------------- fast subset reader

type MapFrame = { kind: 'map'; indent: number; obj: Record<string, unknown>; lines: Map<string, number> | null };

/** Key lines are kept for the root mapping and the mappings directly under it (where lockfiles list packages). */
const LINE_DEPTH = 2;
type SeqFrame = { kind: 'seq'; indent: number; arr: unknown[] };
type Frame = MapFrame | SeqFrame;

function fastParse(text: string): YamlParseResult {
  const keyLines = new WeakMap<object, Map<string, number>>();
  const documents: unknown[] = [];
  const n = text.length;
  let pos = 0;
  let lineNo = 0;

  let root: Record<string, unknown> | null = null;
  let stack: Frame[] = [];
  let pending: { frame: MapFrame; key: string; indent: number } | null = null;
  let sawContent = false;

  const newMap = (indent: number, depth: number): MapFrame => {
    const obj: Record<string, unknown> = {};
    if (depth > LINE_DEPTH) return { kind: 'map', indent, obj, lines: null };
    const lines = new Map<string, number>();
    keyLines.set(obj, lines);
    return { kind: 'map', indent, obj, lines };
  };
  const closeDocument = (): void => {
    if (pending !== null) setOwn(pending.frame.obj, pending.key, null);
    pending = null;
    documents.push(root);
    root = null;
    stack = [];
    sawContent = false;
  };

  while (pos < n) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    lineNo++;
    let line = text.slice(pos, end);
    pos = end + 1;
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);

    let indent = 0;
    while (line.charCodeAt(indent) === 32) indent++;
    if (indent === line.length) continue;
    const first = line.charCodeAt(indent);
    if (first === 35 /* # */) continue;
    if (first === 9) bail('tab indentation');
    const content = indent === 0 ? line : line.slice(indent);

    if (indent === 0 && (content === '---' || content.startsWith('--- ') || content === '...')) {
      if (content !== '---') bail('document marker with content');
      if (sawContent) closeDocument();
      sawContent = true; // an explicit document, even if empty
      continue;
    }
    if (first === 37 /* % */ && indent === 0) bail('directive');
    sawContent = true;

    if (root === null) {
      if (indent !== 0) bail('indented first line');
      const frame = newMap(0, 1);
      root = frame.obj;
      stack = [frame];
    }

    const isItem = first === 45 /* - */ && (content.length === 1 || content.charCodeAt(1) === 32);

    if (pending !== null) {
      const p: { frame: MapFrame; key: string; indent: number } = pending;
      pending = null;
      if (indent > p.indent || (indent === p.indent && isItem)) {
        if (isItem) {
          const arr: unknown[] = [];
          setOwn(p.frame.obj, p.key, arr);
          stack.push({ kind: 'seq', indent, arr });
        } else {
          const child = newMap(indent, stack.length + 1);
          setOwn(p.frame.obj, p.key, child.obj);
          stack.push(child);
        }
      } else setOwn(p.frame.obj, p.key, null);
    }

    let top = stack[stack.length - 1];
    while (top !== undefined && stack.length > 1 && (top.indent > indent || (top.indent === indent && top.kind === 'seq' && !isItem))) {
      stack.pop();
      top = stack[stack.length - 1];
    }
    if (top === undefined || top.indent !== indent) bail('unexpected indentation');

    if (top.kind === 'seq') {
      if (!isItem) bail('expected a sequence item');
      const rest = content.slice(2).trim();
      if (rest === '') bail('nested block in a sequence');
      if (splitKey(rest) !== null) bail('mapping in a sequence');
      top.arr.push(inlineValue(rest));
      continue;
    }

    if (isItem) bail('sequence item in a mapping');
    const kv = splitKey(content);
    if (kv === null) bail('expected a key');
    const { key, rest } = kv;
    top.lines?.set(key, lineNo);
    const value = rest.trim();
    if (value === '' || value.charCodeAt(0) === 35 /* # */) pending = { frame: top, key, indent };
    else setOwn(top.obj, key, inlineValue(value));
  }
  if (sawContent || root !== null) closeDocument();
  return {
    documents,
    errors: [],
    keyLine: (obj, key) => keyLines.get(obj)?.get(key),
    reader: 'fast',
  };
}

/** Splits `key: value` / `key:`; null when the line is not a mapping entry. Quoted keys are unquoted. */
function splitKey(content: string): { key: string; rest: string } | null {
  const c = content.charCodeAt(0);
  if (c === 34 /* " */ || c === 39 /* ' */) {
    const q = c === 34 ? readDoubleQuoted(content, 0) : readSingleQuoted(content, 0);
    if (q === null) return null;
    let k = q.end;
    while (content.charCodeAt(k) === 32) k++;
    if (content.charCodeAt(k) !== 58) return null;
    const after = content.charCodeAt(k + 1);
    if (k + 1 < content.length && after !== 32) return null;
    return { key: q.value, rest: content.slice(k + 1) };
  }
  if ('?&*!|>{[@`%'.includes(content[0] ?? '')) {
    // Flow or complex keys and other indicators: only plain values may start so (handled by the caller).
    return null;
  }
  let idx = content.indexOf(':');
  while (idx >= 0) {
    if (idx === content.length - 1 || content.charCodeAt(idx + 1) === 32) {
      const hash = content.indexOf(' #');
      if (hash >= 0 && hash < idx) return null;
      return { key: content.slice(0, idx).trimEnd(), rest: content.slice(idx + 1) };
    }
    idx = content.indexOf(':', idx + 1);
  }
  return null;
}

/** A value written on one line after `key:` or `- `. */
function inlineValue(s: string): unknown {
  const c = s.charCodeAt(0);
  if (c === 34 || c === 39) {
    const q = c === 34 ? readDoubleQuoted(s, 0) : readSingleQuoted(s, 0);
    if (q === null) return bail('unterminated or multi-line quoted scalar');
    assertNothingAfter(s, q.end);
    return q.value;
  }
  if (c === 123 || c === 91) {
    const r = { pos: 0 };
    const v = flowValue(s, r);
    assertNothingAfter(s, r.pos);
    return v;
  }
  if ('&*!|>%@`'.includes(s[0] ?? '')) return bail('unsupported value indicator');
  if ((c === 45 || c === 63 || c === 58) && (s.length === 1 || s.charCodeAt(1) === 32)) return bail('indicator as value');
  let plain = s;
  const hash = plain.indexOf(' #');
  if (hash >= 0) plain = plain.slice(0, hash);
  plain = plain.trimEnd();
  if (plain.includes(': ') || plain.endsWith(':')) return bail('mapping indicator in a plain scalar');
  return resolvePlain(plain);
}

function assertNothingAfter(s: string, from: number): void {
  let k = from;
  while (s.charCodeAt(k) === 32) k++;
  if (k < s.length && s.charCodeAt(k) !== 35) bail('text after a value');
}

function readDoubleQuoted(s: string, start: number): { value: string; end: number } | null {
  let k = start + 1;
  let escaped = false;
  while (k < s.length) {
    const c = s.charCodeAt(k);
    if (c === 92) {
      escaped = true;
      k += 2;
      continue;
    }
    if (c === 34) {
      const raw = s.slice(start + 1, k);
      return { value: escaped ? unescapeDouble(raw) : raw, end: k + 1 };
    }
    k++;
  }
  return null;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};

function unescapeDouble(raw: string): string {
  let out = '';
  for (let k = 0; k < raw.length; k++) {
    const ch = raw[k] ?? '';
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const e = raw[k + 1] ?? '';
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      k++;
      continue;
    }
    const len = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    const hex = raw.slice(k + 2, k + 2 + len);
    if (len === 0 || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) return bail('unknown escape');
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff) return bail('escape out of range');
    out += String.fromCodePoint(cp);
    k += 1 + len;
  }
  return out;
}

function readSingleQuoted(s: string, start: number): { value: string; end: number } | null {
  let k = start + 1;
  let out = '';
  let from = k;
  while (k < s.length) {
    if (s.charCodeAt(k) === 39) {
      if (s.charCodeAt(k + 1) === 39) {
        out += s.slice(from, k + 1);
        k += 2;
        from = k;
        continue;
      }
      return { value: out + s.slice(from, k), end: k + 1 };
    }
    k++;
  }
  return null;
}

/** A flow collection or scalar on one line; `r.pos` advances past it. */
function flowValue(s: string, r: { pos: number }): unknown {
  skipSpaces(s, r);
  const c = s.charCodeAt(r.pos);
  if (c === 123 /* { */) {
    r.pos++;
    const obj: Record<string, unknown> = {};
    for (;;) {
      skipSpaces(s, r);
      if (s.charCodeAt(r.pos) === 125) {
        r.pos++;
        return obj;
      }
      if (r.pos >= s.length) return bail('unterminated flow mapping');
      const key = flowScalar(s, r, true);
      skipSpaces(s, r);
      let value: unknown = null;
      if (s.charCodeAt(r.pos) === 58) {
        r.pos++;
        skipSpaces(s, r);
        const d = s.charCodeAt(r.pos);
        if (d !== 44 && d !== 125) value = flowValue(s, r);
      }
      setOwn(obj, typeof key === 'string' ? key : String(key), value);
      skipSpaces(s, r);
      const d = s.charCodeAt(r.pos);
      if (d === 44) r.pos++;
      else if (d !== 125) return bail('expected , or } in a flow mapping');
    }
  }
  if (c === 91 /* [ */) {
    r.pos++;
    const arr: unknown[] = [];
    for (;;) {
      skipSpaces(s, r);
      if (s.charCodeAt(r.pos) === 93) {
        r.pos++;
        return arr;
      }
      if (r.pos >= s.length) return bail('unterminated flow sequence');
      arr.push(flowValue(s, r));
      skipSpaces(s, r);
      const d = s.charCodeAt(r.pos);
      if (d === 44) r.pos++;
      else if (d !== 93) return bail('expected , or ] in a flow sequence');
    }
  }
  return flowScalar(s, r, false);
}

function flowScalar(s: string, r: { pos: number }, isKey: boolean): unknown {
  const c = s.charCodeAt(r.pos);
  if (c === 34 || c === 39) {
    const q = c === 34 ? readDoubleQuoted(s, r.pos) : readSingleQuoted(s, r.pos);
    if (q === null) return bail('unterminated quoted scalar');
    r.pos = q.end;
    return q.value;
  }
  if ('&*!|>%@`{[#'.includes(s[r.pos] ?? '')) return bail('unsupported flow scalar');
  const start = r.pos;
  while (r.pos < s.length) {
    const d = s.charCodeAt(r.pos);
    if (d === 44 || d === 93 || d === 125) break;
    if (d === 91 || d === 123) return bail('flow indicator in a plain scalar');
    if (d === 58) {
      const e = s.charCodeAt(r.pos + 1);
      if (r.pos + 1 >= s.length || e === 32 || e === 44 || e === 93 || e === 125) break;
    }
    if (d === 35 && s.charCodeAt(r.pos - 1) === 32) return bail('comment inside a flow collection');
    r.pos++;
  }
  const plain = s.slice(start, r.pos).trim();
  return isKey ? plain : resolvePlain(plain);
}

function skipSpaces(s: string, r: { pos: number }): void {
  while (s.charCodeAt(r.pos) === 32) r.pos++;
}

const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/** Plain scalars typed as the YAML 1.2 core schema does (what the `yaml` library does by default). */
function resolvePlain(s: string): unknown {
  switch (s) {
    case '':
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
    case '.inf':
    case '.Inf':
    case '.INF':
    case '+.inf':
    case '+.Inf':
    case '+.INF':
      return Infinity;
    case '-.inf':
    case '-.Inf':
    case '-.INF':
      return -Infinity;
    case '.nan':
    case '.NaN':
    case '.NAN':
      return NaN;
  }
  const c = s.charCodeAt(0);
  if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return s;
  const dot = s.indexOf('.');
  if (dot >= 0 && s.indexOf('.', dot + 1) >= 0) return s; // 1.2.3: never a number
  if (INT.test(s)) return Number(s);
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16);
  if (FLOAT.test(s)) return Number(s);
  return s;
}

// ---------------------------------------------------------------- fallback: the yaml library

function libraryParse(text: string): YamlParseResult {
  const keyLines = new WeakMap<object, Map<string, number>>();
  const errors: ExtractError[] = [];
  const documents: unknown[] = [];
  const index = new LineIndex(text);
  let docs: Document.Parsed[] = [];
  try {
    const parsed = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false });
    docs = [...parsed];
    if ('empty' in parsed) {
      for (const e of parsed.errors) errors.push({ message: `invalid YAML: ${firstLine(e.message)}`, line: index.lineAt(e.pos[0]) });
    }
  } catch (e) {
    errors.push({ message: `invalid YAML: ${e instanceof Error ? firstLine(e.message) : String(e)}` });
  }
  for (const doc of docs) {
    for (const e of doc.errors.slice(0, 20)) errors.push({ message: `invalid YAML: ${firstLine(e.message)}`, line: index.lineAt(e.pos[0]) });
    let value: unknown = null;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (e) {
      errors.push({ message: `unreadable YAML: ${e instanceof Error ? firstLine(e.message) : String(e)}` });
      value = null;
    }
    documents.push(value);
    if (isMap(doc.contents) && isRecord(value)) recordLines(doc.contents, value, index, keyLines, 2);
  }
  return { documents, errors, keyLine: (obj, key) => keyLines.get(obj)?.get(key), reader: 'yaml' };
}

function recordLines(
  node: YAMLMap,
  value: Record<string, unknown>,
  index: LineIndex,
  keyLines: WeakMap<object, Map<string, number>>,
  depth: number,
): void {
  const lines = new Map<string, number>();
  keyLines.set(value, lines);
  for (const pair of node.items) {
    const k = pair.key;
    if (!isScalar(k) || k.range === undefined || k.range === null) continue;
    const name = String(k.value);
    lines.set(name, index.lineAt(k.range[0]));
    const child = Object.hasOwn(value, name) ? value[name] : undefined;
    if (depth > 1 && isMap(pair.value) && isRecord(child)) recordLines(pair.value, child, index, keyLines, depth - 1);
  }
}

function firstLine(s: string): string {
  const nl = s.indexOf('\n');
  return nl < 0 ? s : s.slice(0, nl);
}
