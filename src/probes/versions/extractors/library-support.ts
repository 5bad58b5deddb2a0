/**
 * Shared plumbing for the library extractors (lockfiles and manifests): line index, package URLs,
 * name normalisation, de-duplication of components, and the guard that turns any exception into a
 * file-scoped error so that `extract` never throws.
 */
import type { z } from 'zod';
import type { Component, Ecosystem, ExtractError, ExtractInput, ExtractResult } from '../model.js';

/** Files larger than this are not parsed (one error instead): no real lockfile comes close. */
export const MAX_TEXT_CHARS = 64 * 1024 * 1024;
/** At most this many errors are reported per file; the rest are counted in one last error. */
export const MAX_ERRORS = 50;

/** Whitespace or control characters: never part of a package name or an exact version. */
const UNPRINTABLE = /[\s\u0000-\u001f\u007f]/;

/** File content quoted in a message: control characters replaced, at most `max` characters. */
export function snippet(s: string, max = 80): string {
  const clean = s.replace(/[\u0000-\u001f\u007f\ufffd]/g, '?');
  return JSON.stringify(clean.length > max ? `${clean.slice(0, max)}…` : clean);
}

/** A git merge-conflict marker line (`<<<<<<<`, `=======`, `>>>>>>>`). */
export function isConflictMarker(line: string): boolean {
  return line.startsWith('<<<<<<<') || line.startsWith('>>>>>>>') || line.startsWith('=======');
}

/** Offsets of line starts, built once per file; `lineAt` is a binary search. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    let i = text.indexOf('\n');
    while (i !== -1) {
      this.starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
  }

  /** 1-based line of a 0-based character offset. */
  lineAt(offset: number): number {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((s[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  get count(): number {
    return this.starts.length;
  }
}

/** The last path segment (paths are repository-relative with forward slashes). */
export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** True when one of the path's directories is named `dir` (`node_modules`, `vendor`). */
export function inDirectory(path: string, dir: string): boolean {
  return path.startsWith(`${dir}/`) || path.includes(`/${dir}/`);
}

/** PEP 503 normalised Python project name: lower case, runs of `-_.` as one `-`. */
export function pep503(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

const enc = (s: string): string => encodeURIComponent(s);

/** Package URL for a library; without a version when none is known. Null when no name can be formed. */
export function purlFor(ecosystem: Ecosystem, name: string, version: string | null): string | null {
  if (name === '') return null;
  const at = version !== null && version !== '' ? `@${enc(version)}` : '';
  switch (ecosystem) {
    case 'npm': {
      if (name.startsWith('@')) {
        const slash = name.indexOf('/');
        if (slash < 0) return null;
        return `pkg:npm/${enc(name.slice(0, slash))}/${enc(name.slice(slash + 1))}${at}`;
      }
      return `pkg:npm/${enc(name)}${at}`;
    }
    case 'pypi':
      return `pkg:pypi/${enc(pep503(name))}${at}`;
    case 'go':
      return `pkg:golang/${name.split('/').map(enc).join('/')}${at}`;
    case 'cargo':
      return `pkg:cargo/${enc(name)}${at}`;
    case 'rubygems':
      return `pkg:gem/${enc(name)}${at}`;
    case 'packagist': {
      const slash = name.indexOf('/');
      if (slash < 0) return `pkg:composer/${enc(name)}${at}`;
      return `pkg:composer/${enc(name.slice(0, slash))}/${enc(name.slice(slash + 1))}${at}`;
    }
    case 'maven': {
      const colon = name.indexOf(':');
      if (colon < 0) return null;
      return `pkg:maven/${enc(name.slice(0, colon))}/${enc(name.slice(colon + 1))}${at}`;
    }
    case 'nuget':
      return `pkg:nuget/${enc(name)}${at}`;
  }
}

/** What an extractor reports for one library; `purl: null` means "do not form one" (non-registry source). */
export interface LibraryInit {
  name: string;
  version: string | null;
  constraint?: string;
  direct: boolean;
  dev: boolean;
  line?: number;
  purl?: string | null;
  /** The package's id in the file's dependency graph (lockfiles that record one); unique in the file. */
  id?: string;
  /** Ids (in the same file) of the packages it depends on; ids that name no component are dropped. */
  dependsOn?: readonly string[];
}

/**
 * Collects components and errors for one file; libraries with the same name and version are merged.
 * For lockfiles with a dependency graph, a merged copy's id becomes an alias of the first copy's id
 * (its children are added to the first copy's), and `result()` rewrites every `dependsOn` through
 * the aliases, dropping ids that name no component (workspaces, links, skipped entries) and self
 * references.
 */
export class Collector {
  readonly errors: ExtractError[] = [];
  private readonly components: Component[] = [];
  private readonly byKey = new Map<string, Component>();
  /** Ids of the components kept, and ids of merged copies pointing to the id kept for them. */
  private readonly ids = new Set<string>();
  private readonly aliases = new Map<string, string>();
  private dropped = 0;
  private lineIndex: LineIndex | undefined;

  constructor(
    readonly path: string,
    readonly text: string,
  ) {}

  /** The file's line index, built on first use. */
  get lines(): LineIndex {
    this.lineIndex ??= new LineIndex(this.text);
    return this.lineIndex;
  }

  error(message: string, line?: number): void {
    if (this.errors.length >= MAX_ERRORS) {
      this.dropped++;
      return;
    }
    this.errors.push(line !== undefined ? { message, line } : { message });
  }

  /** Reports the first issue of a failed zod validation. */
  zodError(what: string, error: z.ZodError, line?: number): void {
    const issue = error.issues[0];
    const where = issue !== undefined && issue.path.length > 0 ? ` (${issue.path.map(String).join('.')})` : '';
    this.error(`${what}: ${issue?.message ?? 'invalid'}${where}`, line);
  }

  library(ecosystem: Ecosystem, init: LibraryInit): void {
    if (init.name === '') return;
    if (UNPRINTABLE.test(init.name) || (init.version !== null && (init.version === '' || UNPRINTABLE.test(init.version)))) {
      this.error(`unreadable package name or version: ${snippet(init.name)} ${snippet(init.version ?? '')}`, init.line);
      return;
    }
    const purl = init.purl === null ? undefined : (init.purl ?? purlFor(ecosystem, init.name, init.version) ?? undefined);
    const c: Component = {
      kind: 'library',
      name: init.name,
      version: init.version,
      ecosystem,
      direct: init.direct,
      dev: init.dev,
      source: init.line !== undefined ? { path: this.path, line: init.line } : { path: this.path },
    };
    if (init.constraint !== undefined) c.constraint = init.constraint;
    if (purl !== undefined) c.purl = purl;
    if (init.id !== undefined) {
      c.id = init.id;
      c.dependsOn = [...(init.dependsOn ?? [])];
    }
    this.add(c);
  }

  /** Adds any component; same kind, ecosystem, name, version and constraint merge (direct if any is, dev if all are). */
  add(c: Component): void {
    const key = `${c.kind}\u0000${c.ecosystem ?? ''}\u0000${c.name}\u0000${c.version ?? ''}\u0000${c.constraint ?? ''}`;
    const seen = this.byKey.get(key);
    if (seen !== undefined) {
      seen.direct ||= c.direct;
      seen.dev &&= c.dev;
      if (seen.purl === undefined && c.purl !== undefined) seen.purl = c.purl;
      if (c.id !== undefined) this.mergeGraph(seen, c.id, c.dependsOn ?? []);
      return;
    }
    if (c.id !== undefined) {
      if (this.ids.has(c.id) || this.aliases.has(c.id)) {
        // Another package already has this id: the extractor's ids are not unique; keep the first.
        delete c.id;
        delete c.dependsOn;
      } else this.ids.add(c.id);
    }
    this.byKey.set(key, c);
    this.components.push(c);
  }

  private mergeGraph(seen: Component, id: string, dependsOn: readonly string[]): void {
    if (seen.id === undefined) {
      if (this.ids.has(id) || this.aliases.has(id)) return;
      seen.id = id;
      seen.dependsOn = [...dependsOn];
      this.ids.add(id);
      return;
    }
    if (id !== seen.id && !this.ids.has(id) && !this.aliases.has(id)) this.aliases.set(id, seen.id);
    (seen.dependsOn ??= []).push(...dependsOn);
  }

  result(): ExtractResult {
    const errors = this.dropped > 0 ? [...this.errors, { message: `${this.dropped} more errors not shown` }] : this.errors;
    if (this.ids.size > 0) {
      for (const c of this.components) {
        if (c.dependsOn === undefined || c.id === undefined) continue;
        const out = new Set<string>();
        for (const raw of c.dependsOn) {
          const id = this.aliases.get(raw) ?? raw;
          if (id !== c.id && this.ids.has(id)) out.add(id);
        }
        c.dependsOn = [...out];
      }
    }
    return { components: this.components, errors };
  }
}

/**
 * Wraps an extraction so that it never throws: oversized input is refused, an exception becomes an
 * error, and whatever was collected before it is kept.
 */
export function guarded(run: (c: Collector) => void): (input: ExtractInput) => ExtractResult {
  return (input) => {
    const path = typeof input?.path === 'string' ? input.path : '';
    const text = typeof input?.text === 'string' ? input.text : '';
    const c = new Collector(path, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    if (text.length > MAX_TEXT_CHARS) {
      c.error(`file too large to read (${text.length} characters, limit ${MAX_TEXT_CHARS})`);
      return c.result();
    }
    const nul = text.indexOf('\u0000');
    if (nul >= 0 && nul < 8192) {
      c.error('binary content (NUL bytes): not a text file, or not UTF-8', c.lines.lineAt(nul));
      return c.result();
    }
    try {
      run(c);
    } catch (e) {
      c.error(`could not read the file: ${e instanceof Error ? e.message : String(e)}`);
    }
    return c.result();
  };
}

/** A value as a string when it is a string or a finite number (YAML may type `1.0` as a number). */
export function asString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** A plain object (not an array, not null). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own entries of a record, or none when the value is not one. */
export function entriesOf(v: unknown): [string, unknown][] {
  return isRecord(v) ? Object.entries(v) : [];
}

/** The version looks like a registry version (starts with a digit, optional `v`), not a URL or path. */
export function looksLikeVersion(v: string): boolean {
  const c = v.charCodeAt(0) === 118 /* v */ ? v.charCodeAt(1) : v.charCodeAt(0);
  return c >= 48 && c <= 57 && !v.includes('/') && !v.includes(':');
}

/** `major.minor` of a dotted version (`1.22.3` → `1.22`, `1.21` → `1.21`), or the major alone. */
export function majorMinor(v: string): string | undefined {
  const m = /^(\d+)(?:\.(\d+))?/.exec(v);
  if (m === null) return undefined;
  return m[2] !== undefined ? `${m[1]}.${m[2]}` : m[1];
}

/** Sets a property, even `__proto__`, as an own enumerable data property. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** Splits an npm-style `name@range` (scoped names keep their leading `@`); null without a name. */
export function splitAtName(spec: string): { name: string; rest: string } | null {
  const at = spec.indexOf('@', 1);
  if (at <= 0) return null;
  return { name: spec.slice(0, at), rest: spec.slice(at + 1) };
}

/**
 * Validates `raw` with a lenient zod schema (no transforms) and returns `raw` itself, typed, so that
 * object identity is kept for line look-ups; reports the first issue and returns undefined otherwise.
 */
export function validate<S extends z.ZodType>(c: Collector, schema: S, raw: unknown, what: string | (() => string), line?: number): z.infer<S> | undefined {
  const r = schema.safeParse(raw);
  if (r.success) return raw as z.infer<S>;
  c.zodError(typeof what === 'string' ? what : what(), r.error, line);
  return undefined;
}

/** Text with nothing but whitespace: no components, no error. */
export function isBlank(text: string): boolean {
  return /^\s*$/.test(text);
}
