/**
 * Lists the files of a directory that is not a git work tree (or when git is missing), honouring
 * `.gitignore` files the way git would: each applies to its own directory and below. Symlinks are
 * never followed, so a symlink loop cannot trap the walk.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';

interface Rules {
  /** Directory of the .gitignore, relative to the root, '' for the root. */
  base: string;
  matcher: Ignore;
}

export interface WalkOptions {
  signal?: AbortSignal;
  /** Called for directories that could not be read; the walk goes on. */
  onError?: (path: string, error: Error) => void;
}

/** Relative paths (forward slashes) of regular files under `root`, in a stable order. */
export function walkFiles(root: string, options: WalkOptions = {}): string[] {
  const files: string[] = [];
  const stack: Array<{ rel: string; rules: Rules[] }> = [{ rel: '', rules: [] }];
  while (stack.length > 0) {
    options.signal?.throwIfAborted();
    const { rel, rules: inherited } = stack.pop()!;
    const abs = rel ? join(root, rel) : root;
    let entries;
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch (error) {
      options.onError?.(rel || '.', error as Error);
      continue;
    }
    const rules = [...inherited];
    if (entries.some((entry) => entry.name === '.gitignore' && entry.isFile())) {
      try {
        rules.push({ base: rel, matcher: ignore().add(readFileSync(join(abs, '.gitignore'), 'utf8')) });
      } catch (error) {
        options.onError?.(`${rel ? `${rel}/` : ''}.gitignore`, error as Error);
      }
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const dirs: string[] = [];
    for (const entry of entries) {
      if (entry.name === '.git') continue;
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      const isDir = entry.isDirectory();
      if (!isDir && !entry.isFile()) continue; // symlinks, sockets, devices
      if (isIgnored(rules, path, isDir)) continue;
      if (isDir) dirs.push(path);
      else files.push(path);
    }
    for (let i = dirs.length - 1; i >= 0; i--) stack.push({ rel: dirs[i]!, rules });
  }
  return files;
}

function isIgnored(rules: readonly Rules[], path: string, isDir: boolean): boolean {
  let ignored = false;
  for (const { base, matcher } of rules) {
    const local = base ? path.slice(base.length + 1) : path;
    const result = matcher.test(isDir ? `${local}/` : local);
    // Deeper .gitignore files may re-include (!pattern) what a shallower one excluded.
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}
