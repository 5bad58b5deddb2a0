/**
 * yarn.lock, both formats:
 *
 * - yarn v1 (`# yarn lockfile v1`): its own indentation format, read line by line with a small
 *   tokenizer (quoted strings, bare words, `:` and `,`). Each block header lists the descriptors
 *   (`name@range`) that resolved to the block's `version`.
 * - yarn berry (2+, a `__metadata:` block): YAML; the version comes from `resolution`
 *   (`name@npm:1.2.3`), unwrapping `patch:` (URL-encoded inner resolution) and `virtual:` wrappers.
 *   Workspaces (`workspace:`) and local folders (`link:`, `portal:`, `file:`) give no component.
 *
 * Neither format records dev-only packages, so `dev` is false. Direct: in berry, the packages the
 * workspace entries depend on; in v1 (which has no root entry) a lower bound — a block that no
 * other block depends on must be a declared dependency of the project, and so is what a local
 * (`file:`/`link:`) block depends on.
 *
 * Dependency graph: a component's `id` is the first descriptor of its block (`debug@^4.3.1`,
 * berry `debug@npm:^4.3.1`), and `dependsOn` the blocks its `dependencies` and
 * `optionalDependencies` (`name: range`) resolve to through the descriptors.
 */
import type { Extractor } from '../model.js';
import { isNonRegistryRange, outsideNodeModules } from './library-npm.js';
import type { Collector } from './library-support.js';
import { asString, basename, entriesOf, guarded, isBlank, isConflictMarker, isRecord, looksLikeVersion, snippet, splitAtName } from './library-support.js';
import { parseLockYaml } from './library-yaml.js';

// ---------------------------------------------------------------- yarn v1

interface V1Block {
  keys: string[];
  line: number;
  fields: Record<string, string>;
  nested: Record<string, Record<string, string>>;
}

type Token = { t: 'str'; v: string } | { t: ':' } | { t: ',' };

/** Tokens of one line; null when a quoted string does not close. */
function tokenize(s: string): Token[] | null {
  const out: Token[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    const ch = s.charCodeAt(i);
    if (ch === 32 || ch === 9) {
      i++;
    } else if (ch === 35 /* # */ && (i === 0 || s.charCodeAt(i - 1) === 32)) {
      break;
    } else if (ch === 44) {
      out.push({ t: ',' });
      i++;
    } else if (ch === 58 && (i + 1 >= n || s.charCodeAt(i + 1) === 32)) {
      out.push({ t: ':' });
      i++;
    } else if (ch === 34) {
      let k = i + 1;
      let escaped = false;
      while (k < n && s.charCodeAt(k) !== 34) {
        if (s.charCodeAt(k) === 92) {
          escaped = true;
          k++;
        }
        k++;
      }
      if (k >= n) return null;
      const raw = s.slice(i + 1, k);
      let v = raw;
      if (escaped) {
        try {
          v = JSON.parse(`"${raw}"`) as string;
        } catch {
          return null;
        }
      }
      out.push({ t: 'str', v });
      i = k + 1;
    } else {
      let k = i;
      while (k < n) {
        const d = s.charCodeAt(k);
        if (d === 32 || d === 9 || d === 44) break;
        if (d === 58 && (k + 1 >= n || s.charCodeAt(k + 1) === 32)) break;
        k++;
      }
      out.push({ t: 'str', v: s.slice(i, k) });
      i = k;
    }
  }
  return out;
}

function parseV1(c: Collector): V1Block[] {
  const text = c.text;
  const blocks: V1Block[] = [];
  let current: V1Block | null = null;
  let nestedName: string | null = null;
  let pos = 0;
  let lineNo = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    lineNo++;
    let line = text.slice(pos, end);
    pos = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (isConflictMarker(line)) {
      c.error('merge conflict marker', lineNo);
      current = null;
      continue;
    }
    let indent = 0;
    while (line.charCodeAt(indent) === 32) indent++;
    if (indent === line.length || line.charCodeAt(indent) === 35) continue;
    const tokens = tokenize(line.slice(indent));
    if (tokens === null) {
      c.error('unterminated quoted string', lineNo);
      continue;
    }
    if (tokens.length === 0) continue;
    const last = tokens[tokens.length - 1];
    const opensObject = last?.t === ':' && tokens.length >= 2;
    if (indent === 0) {
      nestedName = null;
      if (!opensObject) {
        current = null;
        if (!(tokens.length === 2 && tokens[0]?.t === 'str')) c.error('expected a `name@range:` block header', lineNo);
        continue;
      }
      const keys: string[] = [];
      for (const tok of tokens.slice(0, -1)) if (tok.t === 'str') keys.push(tok.v);
      current = { keys, line: lineNo, fields: {}, nested: {} };
      blocks.push(current);
      continue;
    }
    if (current === null) continue;
    const first = tokens[0];
    if (first?.t !== 'str') continue;
    if (indent <= 2) {
      nestedName = null;
      if (opensObject && tokens.length === 2) {
        nestedName = first.v;
        current.nested[nestedName] = {};
        continue;
      }
      const value = tokens.find((tok, k) => k > 0 && tok.t === 'str');
      if (value?.t === 'str') current.fields[first.v] = value.v;
    } else if (nestedName !== null) {
      const value = tokens.find((tok, k) => k > 0 && tok.t === 'str');
      const map = current.nested[nestedName];
      if (value?.t === 'str' && map !== undefined) map[first.v] = value.v;
    }
  }
  return blocks;
}

/** Name and range of a v1 descriptor, resolving `alias@npm:real@range` to the real package. */
function v1Descriptor(key: string): { name: string; range: string } | null {
  const split = splitAtName(key);
  if (split === null) return null;
  if (split.rest.startsWith('npm:')) {
    const target = splitAtName(split.rest.slice(4));
    if (target !== null) return { name: target.name, range: target.rest };
    return { name: split.rest.slice(4), range: '*' };
  }
  return { name: split.name, range: split.rest };
}

function readV1(c: Collector): void {
  const blocks = parseV1(c);
  const byDescriptor = new Map<string, V1Block>();
  for (const b of blocks) for (const k of b.keys) if (!byDescriptor.has(k)) byDescriptor.set(k, b);
  // Descriptors that installed packages depend on, and those that local packages (`file:`,
  // `link:` — workspaces and the like) declare.
  const required = new Set<string>();
  const declaredByLocal = new Set<string>();
  for (const b of blocks) {
    const first = b.keys[0] !== undefined ? v1Descriptor(b.keys[0]) : null;
    const local = first !== null && /^(file|link|portal|workspace):/.test(first.range);
    for (const group of ['dependencies', 'optionalDependencies']) {
      for (const [name, range] of Object.entries(b.nested[group] ?? {})) (local ? declaredByLocal : required).add(`${name}@${range}`);
    }
  }
  for (const b of blocks) {
    const first = b.keys[0];
    const d = first !== undefined ? v1Descriptor(first) : null;
    if (d === null) {
      c.error(`cannot read the package name of ${snippet(first ?? '')}`, b.line);
      continue;
    }
    if (/^(file|link|portal|workspace):/.test(d.range)) continue;
    const version = b.fields['version'];
    if (version === undefined) {
      c.error(`${snippet(first ?? '')} has no version`, b.line);
      continue;
    }
    const registry = !isNonRegistryRange(d.range) && looksLikeVersion(version);
    const dependsOn: string[] = [];
    for (const group of ['dependencies', 'optionalDependencies']) {
      for (const [name, range] of Object.entries(b.nested[group] ?? {})) {
        const target = byDescriptor.get(`${name}@${range}`)?.keys[0];
        if (target !== undefined) dependsOn.push(target);
      }
    }
    c.library('npm', {
      name: d.name,
      version,
      direct: b.keys.some((k) => declaredByLocal.has(k)) || b.keys.every((k) => !required.has(k)),
      dev: false,
      line: b.line,
      purl: registry ? undefined : null,
      ...(first !== undefined ? { id: first, dependsOn } : {}),
    });
  }
}

// ---------------------------------------------------------------- yarn berry

type Resolution =
  | { kind: 'npm'; name: string; version: string }
  | { kind: 'workspace' | 'local' }
  | { kind: 'other'; name: string }
  | null;

/** Reads a berry resolution (`name@npm:1.2.3`, `name@patch:name@npm%3A1.2.3#…`, `name@virtual:…#npm:1.2.3`). */
function berryResolution(res: string, depth = 0): Resolution {
  const split = splitAtName(res);
  if (split === null || depth > 4) return null;
  const { name, rest } = split;
  if (rest.startsWith('npm:')) {
    const ref = rest.slice(4);
    // `npm:real@1.2.3` (an alias kept in the resolution) names the real package
    const alias = splitAtName(ref);
    if (alias !== null && !looksLikeVersion(ref)) return { kind: 'npm', name: alias.name, version: alias.rest };
    return { kind: 'npm', name, version: ref };
  }
  if (rest.startsWith('patch:')) {
    const inner = rest.slice(6);
    const hash = inner.indexOf('#');
    let decoded: string;
    try {
      decoded = decodeURIComponent(hash >= 0 ? inner.slice(0, hash) : inner);
    } catch {
      return null;
    }
    return berryResolution(decoded, depth + 1);
  }
  if (rest.startsWith('virtual:')) {
    const hash = rest.indexOf('#');
    if (hash < 0) return null;
    return berryResolution(`${name}@${rest.slice(hash + 1)}`, depth + 1);
  }
  if (rest.startsWith('workspace:')) return { kind: 'workspace' };
  if (/^(link|portal|file):/.test(rest)) return { kind: 'local' };
  return { kind: 'other', name };
}

function readBerry(c: Collector): void {
  const parsed = parseLockYaml(c.text);
  for (const e of parsed.errors) c.error(e.message, e.line);
  const root = parsed.documents[0];
  if (!isRecord(root)) {
    if (root !== null && root !== undefined) c.error('yarn.lock is not a YAML mapping');
    return;
  }
  const byDescriptor = new Map<string, string>();
  for (const key of Object.keys(root)) {
    if (key === '__metadata') continue;
    for (const d of key.split(',')) byDescriptor.set(d.trim(), key);
  }
  const direct = new Set<string>();
  const entries: { key: string; entry: Record<string, unknown>; res: Resolution }[] = [];
  for (const [key, entry] of Object.entries(root)) {
    if (key === '__metadata') continue;
    const line = parsed.keyLine(root, key);
    if (!isRecord(entry)) {
      c.error(`${snippet(key)} is not a mapping`, line);
      continue;
    }
    const resolution = asString(entry['resolution']);
    if (resolution === undefined) {
      c.error(`${snippet(key)} has no resolution`, line);
      continue;
    }
    const res = berryResolution(resolution);
    if (res === null) c.error(`cannot read the resolution ${snippet(resolution)}`, line);
    entries.push({ key, entry, res });
    if (res?.kind !== 'workspace') continue;
    for (const group of ['dependencies', 'optionalDependencies']) {
      for (const [dep, rangeRaw] of entriesOf(entry[group])) {
        const range = asString(rangeRaw);
        if (range === undefined) continue;
        const target = byDescriptor.get(`${dep}@${range}`) ?? byDescriptor.get(`${dep}@npm:${range}`);
        if (target !== undefined) direct.add(target);
      }
    }
  }
  /** A block's id: its first descriptor. */
  const idOf = (key: string): string => {
    const comma = key.indexOf(',');
    return (comma < 0 ? key : key.slice(0, comma)).trim();
  };
  for (const { key, entry, res } of entries) {
    if (res === null || res.kind === 'workspace' || res.kind === 'local') continue;
    const line = parsed.keyLine(root, key);
    const dependsOn: string[] = [];
    for (const group of ['dependencies', 'optionalDependencies']) {
      for (const [dep, rangeRaw] of entriesOf(entry[group])) {
        const range = asString(rangeRaw);
        if (range === undefined) continue;
        const target = byDescriptor.get(`${dep}@${range}`) ?? byDescriptor.get(`${dep}@npm:${range}`);
        if (target !== undefined) dependsOn.push(idOf(target));
      }
    }
    const graph = { id: idOf(key), dependsOn };
    if (res.kind === 'npm') {
      c.library('npm', { name: res.name, version: res.version, direct: direct.has(key), dev: false, line, ...graph });
    } else if (res.kind === 'other') {
      const version = asString(entry['version']) ?? null;
      c.library('npm', { name: res.name, version, direct: direct.has(key), dev: false, line, purl: null, ...graph });
    }
  }
}

// ---------------------------------------------------------------- both

/** Berry lockfiles start (after comments) with a `__metadata:` block. */
function isBerry(text: string): boolean {
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end).trim();
    pos = end + 1;
    if (line === '' || line.startsWith('#')) continue;
    return line.startsWith('__metadata:') || line.startsWith('"__metadata":');
  }
  return false;
}

export const yarnLockExtractor: Extractor = {
  id: 'yarn-lock',
  fileRequired: (path) => basename(path) === 'yarn.lock' && outsideNodeModules(path),
  extract: guarded((c) => {
    if (isBlank(c.text)) return;
    if (isBerry(c.text)) readBerry(c);
    else readV1(c);
  }),
};
