/**
 * TOML lockfiles made of `[[package]]` tables (Cargo.lock, poetry.lock, uv.lock). smol-toml has no
 * positions, so the line of each package is the line of its `[[package]]` header, found in one
 * scan of the text. When the whole file does not parse (a merge conflict, a truncated file), each
 * `[[package]]` section is parsed on its own so that the readable ones still count.
 */
import { parse, TomlError } from 'smol-toml';
import { isRecord } from './library-support.js';
import type { Collector } from './library-support.js';

export interface TomlPackage {
  value: Record<string, unknown>;
  /** Line of the package's `[[package]]` header. */
  line?: number;
}

export interface TomlLock {
  /** The top-level table (without the packages), or null when it did not parse. */
  root: Record<string, unknown> | null;
  packages: TomlPackage[];
}

const OPTIONS = { unsafeKeyBehaviour: 'drop' } as const;

/** 1-based lines of the `[[package]]` headers (a trailing comment allowed). */
function headerLines(text: string): number[] {
  const out: number[] = [];
  let pos = 0;
  let line = 0;
  const n = text.length;
  while (pos < n) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    line++;
    const s = skipBlanks(text, pos, end);
    if (text.startsWith('[[package]]', s)) {
      const after = text.slice(s + 11, end).trim();
      if (after === '' || after.startsWith('#')) out.push(line);
    }
    pos = end + 1;
  }
  return out;
}

function skipBlanks(text: string, from: number, end: number): number {
  let k = from;
  while (k < end && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k++;
  return k;
}

function tomlMessage(e: unknown): { message: string; line?: number } {
  if (e instanceof TomlError) {
    const first = e.message.split('\n')[0] ?? e.message;
    return { message: first.replace(/^Invalid TOML document: /, ''), line: e.line };
  }
  return { message: e instanceof Error ? e.message : String(e) };
}

export function parseTomlLock(c: Collector): TomlLock {
  const text = c.text;
  const headers = headerLines(text);
  try {
    const doc = parse(text, OPTIONS) as Record<string, unknown>;
    const list = doc['package'];
    const packages: TomlPackage[] = [];
    if (list !== undefined && !Array.isArray(list)) c.error('`package` is not an array of tables');
    if (Array.isArray(list)) {
      const withLines = headers.length === list.length;
      list.forEach((p, k) => {
        if (!isRecord(p)) {
          c.error(`package #${k + 1} is not a table`, withLines ? headers[k] : undefined);
          return;
        }
        const line = withLines ? headers[k] : undefined;
        packages.push(line !== undefined ? { value: p, line } : { value: p });
      });
    }
    const root: Record<string, unknown> = { ...doc };
    delete root['package'];
    return { root, packages };
  } catch (e) {
    const { message, line } = tomlMessage(e);
    c.error(`invalid TOML: ${message}`, line);
  }
  // Section by section: the preamble, then each [[package]] up to the next one.
  const starts = lineStartOffsets(text, headers);
  const packages: TomlPackage[] = [];
  let root: Record<string, unknown> | null = null;
  const preamble = text.slice(0, starts[0] ?? text.length);
  try {
    root = parse(preamble, OPTIONS) as Record<string, unknown>;
  } catch {
    root = null;
  }
  for (let k = 0; k < starts.length; k++) {
    const from = starts[k] ?? 0;
    const to = starts[k + 1] ?? text.length;
    const line = headers[k] ?? 1;
    try {
      const doc = parse(text.slice(from, to), OPTIONS) as Record<string, unknown>;
      const list = doc['package'];
      const first: unknown = Array.isArray(list) ? list[0] : undefined;
      if (isRecord(first)) packages.push({ value: first, line });
      if (root !== null) for (const [key, v] of Object.entries(doc)) if (key !== 'package' && !(key in root)) root[key] = v;
    } catch (e) {
      const m = tomlMessage(e);
      // Not reported again when it is the error already reported for the whole file.
      const at = m.line !== undefined ? line + m.line - 1 : line;
      if (c.errors.at(-1)?.line !== at) c.error(`package section skipped: ${m.message}`, at);
    }
  }
  return { root, packages };
}

function lineStartOffsets(text: string, lines: number[]): number[] {
  const out: number[] = [];
  if (lines.length === 0) return out;
  let line = 1;
  let pos = 0;
  let k = 0;
  while (k < lines.length && pos <= text.length) {
    if (line === lines[k]) {
      out.push(pos);
      k++;
      continue;
    }
    const nl = text.indexOf('\n', pos);
    if (nl < 0) break;
    pos = nl + 1;
    line++;
  }
  return out;
}
