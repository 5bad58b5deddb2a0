/**
 * go.mod: `require` lines and blocks (`// indirect` → not direct), with `replace` directives that
 * pin a version applied (the component then names the replacement module and its version; a
 * replacement by a local path leaves the requirement as it is). Versions keep Go's `v` prefix, as
 * the module proxy lists them. The `go` line (the minimum language version: constraint `>=1.21`)
 * and the `toolchain` line (an exact version) are runtime components (product `go`).
 */
import type { Component, Extractor } from '../model.js';
import type { Collector } from './library-support.js';
import { basename, guarded, inDirectory, isBlank, isConflictMarker, majorMinor, snippet } from './library-support.js';

/** Splits a go.mod line into tokens (quoted and raw strings unquoted) and its `//` comment. */
function lex(s: string): { tokens: string[]; comment: string } | null {
  const tokens: string[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    const ch = s[i];
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
    } else if (ch === '/' && s[i + 1] === '/') {
      return { tokens, comment: s.slice(i + 2).trim() };
    } else if (ch === '"' || ch === '`') {
      let k = i + 1;
      let out = '';
      while (k < n && s[k] !== ch) {
        if (ch === '"' && s[k] === '\\' && k + 1 < n) {
          out += s[k + 1];
          k += 2;
          continue;
        }
        out += s[k];
        k++;
      }
      if (k >= n) return null;
      tokens.push(out);
      i = k + 1;
    } else if (ch === '(' || ch === ')') {
      tokens.push(ch);
      i++;
    } else if (ch === '=' && s[i + 1] === '>') {
      tokens.push('=>');
      i += 2;
    } else {
      let k = i;
      while (k < n && !' \t\r"`()'.includes(s[k] ?? ' ') && !(s[k] === '/' && s[k + 1] === '/') && !(s[k] === '=' && s[k + 1] === '>')) k++;
      tokens.push(s.slice(i, k));
      i = k;
    }
  }
  return { tokens, comment: '' };
}

interface Replacement {
  path: string;
  version: string | null;
}

function isIndirect(comment: string): boolean {
  return comment === 'indirect' || comment.startsWith('indirect;');
}

function read(c: Collector): void {
  const requires: { path: string; version: string; indirect: boolean; line: number }[] = [];
  const replaceExact = new Map<string, Replacement>();
  const replaceAll = new Map<string, Replacement>();
  let block: string | null = null;
  let blockLine = 0;

  const directive = (verb: string, args: string[], comment: string, line: number): void => {
    switch (verb) {
      case 'require': {
        const [path, version] = args;
        if (path === undefined || version === undefined || args.length !== 2) {
          c.error(`malformed require: ${snippet(args.join(' '))}`, line);
          return;
        }
        requires.push({ path, version, indirect: isIndirect(comment), line });
        return;
      }
      case 'replace': {
        const arrow = args.indexOf('=>');
        const left = args.slice(0, arrow);
        const right = args.slice(arrow + 1);
        if (arrow < 1 || left.length > 2 || right.length < 1 || right.length > 2) {
          c.error(`malformed replace: ${snippet(args.join(' '))}`, line);
          return;
        }
        const target: Replacement = { path: right[0] ?? '', version: right[1] ?? null };
        const from = left[0] ?? '';
        if (left[1] !== undefined) replaceExact.set(`${from}@${left[1]}`, target);
        else replaceAll.set(from, target);
        return;
      }
      case 'go': {
        const v = args[0];
        if (v === undefined || !/^\d+(\.\d+)*([a-z]+\d+)?$/.test(v)) {
          c.error(`malformed go version: ${snippet(args.join(' '))}`, line);
          return;
        }
        const cycle = majorMinor(v);
        c.add(runtime({ version: null, constraint: `>=${v}`, ...(cycle !== undefined ? { cycle } : {}) }, c.path, line));
        return;
      }
      case 'toolchain': {
        const m = /^go(\d+(?:\.\d+)*(?:(?:rc|beta)\d+)?)/.exec(args[0] ?? '');
        if (m === null || m[1] === undefined) {
          if (args[0] !== 'default') c.error(`malformed toolchain: ${snippet(args.join(' '))}`, line);
          return;
        }
        const cycle = majorMinor(m[1]);
        c.add(runtime({ version: m[1], ...(cycle !== undefined ? { cycle } : {}) }, c.path, line));
        return;
      }
      default:
        return; // module, exclude, retract, godebug, tool, ignore: nothing to inventory
    }
  };

  const lines = c.text.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const lineNo = k + 1;
    if (isConflictMarker(lines[k] ?? '')) {
      c.error('merge conflict marker', lineNo);
      continue;
    }
    const lexed = lex(lines[k] ?? '');
    if (lexed === null) {
      c.error('unterminated string', lineNo);
      continue;
    }
    const { tokens, comment } = lexed;
    if (tokens.length === 0) continue;
    if (block !== null) {
      if (tokens[0] === ')') {
        block = null;
        continue;
      }
      directive(block, tokens, comment, lineNo);
      continue;
    }
    const [verb, ...args] = tokens;
    if (verb === undefined) continue;
    if (args[0] === '(') {
      if (args.length === 2 && args[1] === ')') continue; // `require ()`
      block = verb;
      blockLine = lineNo;
      continue;
    }
    directive(verb, args, comment, lineNo);
  }
  if (block !== null) c.error(`unclosed ${block} block`, blockLine);

  for (const r of requires) {
    const rep = replaceExact.get(`${r.path}@${r.version}`) ?? replaceAll.get(r.path);
    const pinned = rep !== undefined && rep.version !== null;
    const name = pinned ? rep.path : r.path;
    const version = pinned && rep.version !== null ? rep.version : r.version;
    c.library('go', { name, version, direct: !r.indirect, dev: false, line: r.line });
  }
}

function runtime(v: { version: string | null; constraint?: string; cycle?: string }, path: string, line: number): Component {
  const comp: Component = {
    kind: 'runtime',
    name: 'go',
    version: v.version,
    ecosystem: null,
    direct: true,
    dev: false,
    product: 'go',
    source: { path, line },
  };
  if (v.constraint !== undefined) comp.constraint = v.constraint;
  if (v.cycle !== undefined) comp.cycle = v.cycle;
  return comp;
}

export const goModExtractor: Extractor = {
  id: 'go-mod',
  fileRequired: (path) => basename(path) === 'go.mod' && !inDirectory(path, 'vendor'),
  extract: guarded((c) => {
    if (isBlank(c.text)) return;
    read(c);
  }),
};
