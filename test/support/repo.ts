/**
 * Real git repositories for tests: files committed with chosen authors and dates, in a temporary
 * directory that is removed afterwards.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempRepo {
  dir: string;
  write(path: string, content: string | Uint8Array): void;
  commit(message: string, options?: { author?: string; date?: string }): string;
  git(...args: string[]): string;
  remove(): void;
}

export function tempDir(prefix = 'prodeng-test-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function tempRepo(options: { git?: boolean; name?: string } = {}): TempRepo {
  const parent = tempDir();
  const dir = join(parent.dir, options.name ?? 'repo');
  mkdirSync(dir);
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    });
  if (options.git !== false) {
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'Test Author');
    git('config', 'user.email', 'author@example.test');
    git('config', 'commit.gpgsign', 'false');
  }
  return {
    dir,
    write(path, content) {
      const abs = join(dir, path);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    },
    commit(message, { author = 'Test Author <author@example.test>', date = '2024-01-15T12:00:00Z' } = {}) {
      git('add', '-A');
      const env = { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
      execFileSync('git', ['commit', '-q', '--allow-empty', '-m', message, `--author=${author}`], {
        cwd: dir,
        env: { ...process.env, ...env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
      });
      return git('rev-parse', 'HEAD').trim();
    },
    git,
    remove: parent.remove,
  };
}

/**
 * Splits the repository's index (`git update-index --split-index`) and then adds `files`, so that
 * their entries live in the small main index, ahead of the extension that says it is split (the
 * names sort first), while every other entry stays in the shared index: what a reader of the
 * index meets part way through. Entries are kept from looking racily clean, so that adding leaves
 * the shared ones alone.
 */
export function splitIndexThenAdd(r: TempRepo, files: Record<string, string>): void {
  const age = () => {
    const later = new Date(Date.now() + 10_000);
    utimesSync(join(r.dir, '.git', 'index'), later, later);
  };
  r.git('config', 'splitIndex.maxPercentChange', '100'); // never merged back, however much is added
  age();
  r.git('update-index', '--split-index');
  age();
  for (const [path, content] of Object.entries(files)) r.write(path, content);
  r.git('update-index', '--add', ...Object.keys(files));
}
