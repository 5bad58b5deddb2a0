/**
 * npm-family helpers shared by package-lock.json, package.json, yarn.lock, pnpm-lock.yaml and bun.lock.
 */
import { parseJsonWithLines } from './library-json.js';
import type { JsonOptions, JsonParseResult } from './library-json.js';
import type { Collector } from './library-support.js';
import { inDirectory } from './library-support.js';

/** The dependency groups of a package.json-like object; `dev` only for devDependencies. */
export const DEPENDENCY_GROUPS = [
  { field: 'dependencies', dev: false },
  { field: 'optionalDependencies', dev: false },
  { field: 'peerDependencies', dev: false },
  { field: 'devDependencies', dev: true },
] as const;

/** Parses JSON, reporting a syntax error (with its line) on the collector; the partial value is kept. */
export function readJson(c: Collector, options?: JsonOptions): JsonParseResult {
  const parsed = parseJsonWithLines(c.text, options);
  if (parsed.error !== undefined) c.error(`invalid JSON: ${parsed.error.message}`, parsed.error.line);
  return parsed;
}

/** npm files under node_modules/ belong to installed packages, not to the project. */
export function outsideNodeModules(path: string): boolean {
  return !inDirectory(path, 'node_modules');
}

/**
 * A dependency specifier from package.json: an alias `npm:real@range` names another package; local
 * protocols (`file:`, `link:`, `workspace:`, `portal:`) name the project's own code.
 */
export function readSpecifier(name: string, spec: string): { name: string; range: string } | 'local' {
  if (/^(file|link|workspace|portal):/.test(spec)) return 'local';
  if (spec.startsWith('npm:')) {
    const target = spec.slice(4);
    const at = target.indexOf('@', 1);
    if (at < 0) return { name: target, range: '*' };
    return { name: target.slice(0, at), range: target.slice(at + 1) };
  }
  return { name, range: spec };
}

/** A range that points outside the registry (git, URL, GitHub shorthand, local path). */
export function isNonRegistryRange(range: string): boolean {
  return /^(file:|link:|portal:|git|github:|gitlab:|bitbucket:|https?:|\.{0,2}\/)/.test(range) || (range.includes('/') && !range.startsWith('npm:'));
}
