/**
 * Shared plumbing for the runtime, OS, middleware and container extractors: path tests, the
 * component builder (product, cycle, exact version or constraint), version-file reading, variable
 * substitution, TOML line lookup, and the guard that turns any exception into a file-scoped error.
 */
import { activeEolData } from '../../../eol/data.js';
import { imageComponents, isTemplated, parseImageReference } from '../../../eol/images.js';
import { kindForProduct } from '../../../eol/products.js';
import { cycleFor, isExactVersion } from '../../../eol/verdict.js';
import type { Component, ComponentKind, ExtractError, ExtractInput, ExtractResult } from '../model.js';

/** Texts longer than this are not read (one error instead); no version file or manifest comes close. */
export const MAX_RUNTIME_TEXT = 8 * 1024 * 1024;

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function dirName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** Collects components and errors of one file; `add*` never throw. */
export class Results {
  readonly components: Component[] = [];
  readonly errors: ExtractError[] = [];
  private readonly seen = new Set<string>();

  constructor(readonly path: string) {}

  /** Adds a component unless an identical one (same line) is already there: merged YAML anchors repeat themselves. */
  private push(component: Component): void {
    const key = [component.kind, component.name, component.version, component.constraint, component.product, component.cycle, component.dev, component.source.line].join('\0');
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.components.push(component);
  }

  error(message: string, line?: number): void {
    if (this.errors.length >= 50) return;
    this.errors.push(line === undefined ? { message } : { message, line });
  }

  add(component: Component | null): void {
    if (component) this.push(component);
  }

  /**
   * Adds the components of an image reference. Templated values are skipped silently; a value that
   * is not an image reference is reported.
   */
  image(reference: string, line: number, options: { dev: boolean }): void {
    const value = reference.trim();
    if (value === '' || isTemplated(value)) return;
    if (value.toLowerCase() === 'scratch') return;
    if (!parseImageReference(value)) {
      this.error(`not a container image reference: ${JSON.stringify(value.slice(0, 120))}`, line);
      return;
    }
    for (const component of imageComponents(value, { path: this.path, line }, { dev: options.dev })) this.push(component);
  }

  result(): ExtractResult {
    return { components: this.components, errors: this.errors };
  }
}

/** Runs an extraction so that nothing escapes: an exception becomes one file-scoped error. */
export function guarded(run: (results: Results, input: ExtractInput) => void): (input: ExtractInput) => ExtractResult {
  return (input) => {
    const results = new Results(input.path);
    try {
      if (input.text.length > MAX_RUNTIME_TEXT) {
        results.error(`larger than ${MAX_RUNTIME_TEXT} characters; not read`);
      } else {
        run(results, input);
      }
    } catch (error) {
      results.error(`cannot read: ${(error as Error).message}`);
    }
    return results.result();
  };
}

export interface RuntimeInit {
  /** Name shown for the component (`node`, `python`, `java`, `ubuntu`). */
  name: string;
  /** The value as written (`18`, `v18.17.0`, `>=3.9`, `lts/*`, `3.11-slim`). */
  value: string;
  product: string | null;
  path: string;
  line: number;
  dev?: boolean;
  /** Defaults to the product's kind, or `runtime`. */
  kind?: ComponentKind;
}

/**
 * A runtime/OS/tool component. `version` when the value names one release (as many numeric parts
 * as the product's releases, e.g. `18.17.0`, `3.11.4`), else `constraint`; `cycle` through
 * endoflife.date data when the product is known and the value fits one.
 */
export function runtimeComponent(init: RuntimeInit): Component {
  const written = init.value.trim();
  const plain = written.replace(/^v(?=\d)/, '');
  const data = activeEolData();
  const kind = init.kind ?? (init.product ? kindForProduct(init.product, data) : 'runtime');
  const exact = /^\d+(?:\.\d+)+(?:[-+_.]?[0-9A-Za-z][0-9A-Za-z.+_-]*)?$/.test(plain) && isExactVersion(init.product, plain, data);
  const component: Component = {
    kind,
    name: init.name,
    version: exact ? plain : null,
    ecosystem: null,
    direct: true,
    dev: init.dev ?? false,
    source: { path: init.path, line: init.line },
  };
  if (!exact) component.constraint = written;
  if (init.product) {
    component.product = init.product;
    const cycle = cycleFor(init.product, plain, { data });
    if (cycle) component.cycle = cycle;
  }
  return component;
}

/** The first meaningful line of a one-value file (`.nvmrc`, `.ruby-version`): comments (`#`) and blanks skipped. */
export function firstValue(text: string): { value: string; line: number } | null {
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const value = lines[index]!.replace(/(^|\s)#.*$/, '').trim();
    if (value !== '') return { value, line: index + 1 };
  }
  return null;
}

/** Every meaningful line (`.python-version` lists several versions). */
export function allValues(text: string): Array<{ value: string; line: number }> {
  const out: Array<{ value: string; line: number }> = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const value = lines[index]!.replace(/(^|\s)#.*$/, '').trim();
    if (value !== '') out.push({ value, line: index + 1 });
  }
  return out;
}

/** Longer values are reported, not matched: no version is this long, and regexes stay cheap. */
export const MAX_VALUE_CHARS = 200;

/** False (and one error) when a value is too long to be a version. */
export function shortEnough(results: Results, value: string, line: number, what: string): boolean {
  if (value.length <= MAX_VALUE_CHARS) return true;
  results.error(`not ${what}: a value of ${value.length} characters`, line);
  return false;
}

/** Values that cannot be a version or a version keyword (spaces, quotes, control characters, very long). */
export function looksLikeVersionValue(value: string): boolean {
  return value.length <= 100 && /^[0-9A-Za-z*^~<>=!.,|/_+@:x -]+$/.test(value) && !/\s{2,}/.test(value);
}

/**
 * Substitutes `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}` from `variables`; variables not
 * given take their default, else the result is null (cannot be resolved). `$$` is a literal `$`.
 */
export function substitute(value: string, variables: ReadonlyMap<string, string>): string | null {
  let unresolved = false;
  const out = value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, braced?: string, operator?: string, fallback?: string, bare?: string) => {
    if (match === '$$') return '$';
    const name = (braced ?? bare)!;
    const known = variables.get(name);
    if (operator === ':-' || operator === '-') {
      if (known !== undefined && (operator === '-' || known !== '')) return known;
      return fallback ?? '';
    }
    if (operator === ':+' || operator === '+') return known !== undefined && (operator === '+' || known !== '') ? (fallback ?? '') : '';
    if (known === undefined) {
      unresolved = true;
      return match;
    }
    return known;
  });
  return unresolved ? null : out;
}

/**
 * The 1-based line of `key = …` inside TOML table `table` (`[tools]`, `[tool.poetry.dependencies]`;
 * `[]` for the root), or of the table header, or 1. Good enough for line references; the values
 * themselves come from a real TOML parser.
 */
export function tomlKeyLine(source: string, table: readonly string[], key: string): number {
  const lines = source.split(/\r?\n/);
  const wanted = table.join('.');
  let current = '';
  let headerLine = 0;
  const keyPattern = new RegExp(`^\\s*(?:"${escapeRegExp(key)}"|'${escapeRegExp(key)}'|${escapeRegExp(key)})\\s*(?:=|\\.)`);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const header = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?/.exec(line);
    if (header) {
      current = header[1]!.replace(/\s*\.\s*/g, '.').replace(/["']/g, '');
      if (current === wanted && headerLine === 0) headerLine = index + 1;
      continue;
    }
    if (current === wanted && keyPattern.test(line)) return index + 1;
    // Dotted keys from an enclosing table: `tool.poetry.dependencies.python = …` at the root.
    if (wanted !== '' && current === '' && new RegExp(`^\\s*${escapeRegExp(`${wanted}.${key}`)}\\s*=`).test(line)) return index + 1;
  }
  return headerLine || 1;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The line of a TOML parse error, when smol-toml says. */
export function tomlErrorLine(error: unknown): number | undefined {
  const line = (error as { line?: unknown }).line;
  return typeof line === 'number' && line > 0 ? line : undefined;
}

/** The first line of an error message (parsers add code frames). */
export function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
