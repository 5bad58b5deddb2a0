/**
 * File globs as users write them for build outputs (`build/test-results/**\/*.xml`), expanded
 * without a shell. Unlike repository listing, `.gitignore` is not honoured: test reports and
 * other build outputs are almost always ignored by git, and they are exactly what is asked for.
 *
 * `node:fs` has `glob`, but it is experimental on the Node.js 22 versions prodeng supports, so
 * this walks from each pattern's literal prefix and matches with picomatch (the matcher the
 * config's ignore paths already use).
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';

export interface GlobOptions {
  signal?: AbortSignal;
  /** Stop after this many files per pattern (default 100,000): a runaway `**` fails clearly. */
  limit?: number;
}

export interface GlobMatch {
  pattern: string;
  /** Absolute paths, sorted, without duplicates across patterns. */
  files: string[];
}

/** Thrown when a pattern matches more files than the limit. */
export class GlobLimitError extends Error {
  constructor(
    readonly pattern: string,
    readonly limit: number,
  ) {
    super(`"${pattern}" matches more than ${limit} files; make the pattern narrower`);
    this.name = 'GlobLimitError';
  }
}

/** True when the text has glob syntax picomatch would act on. */
export function hasMagic(pattern: string): boolean {
  return picomatch.scan(pattern).isGlob;
}

/**
 * Expands each pattern against `cwd` (absolute patterns stand alone). A pattern without glob
 * syntax names one file: it is returned when it exists as a file. Hidden files and directories
 * match like any other (`dot: true`); `.git` and `node_modules` directories are entered only when
 * the pattern names them literally.
 */
export function expandGlobs(patterns: readonly string[], cwd: string, options: GlobOptions = {}): GlobMatch[] {
  const seen = new Set<string>();
  const limit = options.limit ?? 100_000;
  return patterns.map((pattern) => {
    const files = expandOne(pattern, cwd, limit, options.signal).filter((file) => {
      if (seen.has(file)) return false;
      seen.add(file);
      return true;
    });
    return { pattern, files };
  });
}

function expandOne(pattern: string, cwd: string, limit: number, signal: AbortSignal | undefined): string[] {
  const normalised = pattern.replaceAll('\\', '/');
  if (!hasMagic(normalised)) {
    const file = resolve(cwd, pattern);
    return isFile(file) ? [file] : [];
  }
  const scan = picomatch.scan(normalised);
  const base = resolve(cwd, scan.base || '.');
  const rest = scan.glob;
  const matcher = picomatch(rest, { dot: true });
  // Without `**` a match is never deeper than the pattern's own segments.
  const maxDepth = rest.includes('**') ? Number.POSITIVE_INFINITY : rest.split('/').length;
  const enterSpecial = /(^|\/)(\.git|node_modules)(\/|$)/.test(rest);
  const found: string[] = [];
  const stack: Array<{ dir: string; depth: number }> = [{ dir: base, depth: 1 }];
  while (stack.length > 0) {
    signal?.throwIfAborted();
    const { dir, depth } = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // a missing base or an unreadable directory matches nothing
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth >= maxDepth) continue;
        if (!enterSpecial && (entry.name === '.git' || entry.name === 'node_modules')) continue;
        stack.push({ dir: path, depth: depth + 1 });
      } else if (entry.isFile() && matcher(toPosix(relative(base, path)))) {
        found.push(path);
        if (found.length > limit) throw new GlobLimitError(pattern, limit);
      }
    }
  }
  return found.sort();
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

