/**
 * What prodeng asks of git: which files a repository tracks, which commit it is at, and who wrote
 * a line when. Every call is bounded in time and goes through `exec` (no shell).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Revision } from '../core/model.js';
import { CommandFailedError, CommandNotFoundError, exec } from './exec.js';
import { parseGitIndexChunks, type IndexEntry, type IndexStat } from './git-index.js';

export { CommandNotFoundError };

/** Is `dir` inside a git work tree? False when git is missing too (callers check that separately). */
export async function isGitWorkTree(dir: string, signal?: AbortSignal): Promise<boolean> {
  return (await gitWorkTree(dir, signal)) !== null;
}

/**
 * The work tree `dir` is in, with the absolute path of its index file (whose size tells roughly
 * how many files git tracks before listing them); null outside git. Throws
 * {@link CommandNotFoundError} without git.
 */
export async function gitWorkTree(dir: string, signal?: AbortSignal): Promise<{ index: string } | null> {
  try {
    const { stdout } = await exec('git', ['rev-parse', '--is-inside-work-tree', '--git-path', 'index'], { cwd: dir, signal, timeoutMs: 15_000 });
    const [inside, index] = stdout.toString('utf8').split('\n');
    // --git-path answers relative to `dir` unless the git directory lives elsewhere.
    return inside === 'true' && index ? { index: resolve(dir, index) } : null;
  } catch (error) {
    if (error instanceof CommandFailedError) return null;
    throw error;
  }
}

/** The commit and branch of a work tree; null outside git, in an empty repository, or without git. */
export async function gitRevision(dir: string, signal?: AbortSignal): Promise<Revision | null> {
  try {
    const { stdout } = await exec('git', ['rev-parse', '--verify', '-q', 'HEAD'], { cwd: dir, signal, timeoutMs: 15_000 });
    const commit = stdout.toString('utf8').trim();
    if (!/^[0-9a-f]{40,64}$/.test(commit)) return null;
    let branch: string | null = null;
    try {
      const head = await exec('git', ['symbolic-ref', '--short', '-q', 'HEAD'], { cwd: dir, signal, timeoutMs: 15_000 });
      branch = head.stdout.toString('utf8').trim() || null;
    } catch (error) {
      if (!(error instanceof CommandFailedError)) throw error; // detached HEAD exits 1
    }
    return { commit, branch };
  } catch (error) {
    if (error instanceof CommandFailedError || error instanceof CommandNotFoundError) return null;
    throw error;
  }
}

export interface GitFile {
  /** Path relative to the directory listed, with forward slashes. */
  path: string;
  /** The blob id in the index; undefined for untracked files. */
  blob?: string;
  /** The file's size when git last looked at it (from the index file only; a hint, not a fact). */
  size?: number;
  /**
   * What the work-tree file showed when git recorded `blob` (from the index file only, and only
   * when that record can be trusted: see {@link readTrackedFromIndex}). A file that still shows
   * exactly this stamp has not been written since, so its content is `blob`.
   */
  stamp?: FileStamp;
}

/** The parts of a file's status that any write changes (ctime cannot be set back by a user). */
export type FileStamp = IndexStat;

/**
 * Regular files git tracks under `dir`, with their index blob ids. Symlinks and submodules are
 * left out: following them could leave the repository or loop.
 */
export async function gitListTracked(dir: string, signal?: AbortSignal): Promise<GitFile[]> {
  const staged = await exec('git', ['-c', 'core.quotePath=off', 'ls-files', '-z', '--stage'], { cwd: dir, signal });
  // Parsed by hand: tens of thousands of entries, on the path every observation takes.
  // Each entry is "<mode> <blob> <stage>\t<path>\0".
  const text = staged.stdout.toString('utf8');
  const files: GitFile[] = [];
  let previous = '';
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\0', start);
    if (end < 0) end = text.length;
    const tab = text.indexOf('\t', start);
    if (tab > start && tab < end) {
      const mode = text.slice(start, start + 6);
      const stage = text.charCodeAt(tab - 1);
      const path = text.slice(tab + 1, end);
      // Regular files only (120000 is a symlink, 160000 a submodule); during a merge conflict
      // each path is listed once per stage, and consecutively.
      if ((mode === '100644' || mode === '100755') && (stage === 48 || stage === 50) && path !== previous) {
        files.push({ path, blob: text.slice(start + 7, tab - 2) });
        previous = path;
      }
    }
    start = end + 1;
  }
  return files;
}

/**
 * The tracked regular files of the work tree whose top is `root`, read from `.git/index` without
 * starting git; null when that cannot be done reliably (then use {@link gitListTracked}): `root`
 * is not the top of a work tree with its own `.git` directory, git is pointed elsewhere by the
 * environment, the repository uses SHA-256, or the index uses a layout the reader leaves to git.
 */
export function readTrackedFromIndex(root: string): GitFile[] | null {
  const chunks = readTrackedChunksFromIndex(root);
  if (chunks === null) return null;
  const files: GitFile[] = [];
  for (;;) {
    const next = chunks.next();
    if (next.done) return next.value ? files : null;
    for (const file of next.value) files.push(file);
  }
}

/**
 * {@link readTrackedFromIndex} in chunks, so that a scan can start on the first files while the
 * rest of a large index is read. null when the index cannot be read at all; the generator returns
 * false when the index turns out, part way, to use a layout the reader leaves to git (a split or
 * sparse index): then the chunks so far are not the whole list, and git must be asked.
 */
export function readTrackedChunksFromIndex(root: string, chunkSize = 4096): Generator<GitFile[], boolean, undefined> | null {
  if (process.env.GIT_DIR || process.env.GIT_INDEX_FILE || process.env.GIT_WORK_TREE) return null;
  const gitDir = join(root, '.git');
  try {
    if (!statSync(gitDir).isDirectory()) return null;
    if (/objectformat\s*=\s*sha256/i.test(readFileSync(join(gitDir, 'config'), 'utf8'))) return null;
  } catch {
    return null;
  }
  // The index's own time, taken before reading it: a rewrite in between only makes it older.
  let indexSec: number;
  let bytes: Buffer;
  try {
    indexSec = Math.floor(statSync(join(gitDir, 'index')).mtimeMs / 1000);
    bytes = readFileSync(join(gitDir, 'index'));
  } catch {
    return null;
  }
  return trackedFiles(parseGitIndexChunks(bytes, chunkSize), indexSec);
}

function* trackedFiles(entries: Generator<IndexEntry[], boolean, undefined>, indexSec: number): Generator<GitFile[], boolean, undefined> {
  let previous = '';
  for (;;) {
    const next = entries.next();
    if (next.done) return next.value;
    const files: IndexEntry[] = [];
    for (const entry of next.value) {
      // Exactly what gitListTracked lists: regular files, one entry per path during a merge.
      if (entry.mode !== 0o100644 && entry.mode !== 0o100755) continue;
      if ((entry.stage !== 0 && entry.stage !== 2) || entry.path === previous) continue;
      // Git's "racy clean" rule, at whole seconds: a file written in the second the index was
      // written (or later) may have changed again without its times showing it. Size 0 is how git
      // marks such an entry for a re-check (and empty files cost nothing to read). A conflicted
      // entry (stage 2) has no work-tree record at all.
      const trusted = entry.stage === 0 && entry.size > 0 && entry.changedSec < indexSec && !entry.skipWorktree;
      // The entry is the answer (a GitFile with more fields): no copy of tens of thousands.
      entry.trusted = trusted;
      files.push(entry);
      previous = entry.path;
    }
    yield files;
  }
}

/** Untracked files that no ignore rule excludes: a laptop user's new file counts too. */
export async function gitListUntracked(dir: string, signal?: AbortSignal): Promise<string[]> {
  const untracked = await exec('git', ['-c', 'core.quotePath=off', 'ls-files', '-z', '--others', '--exclude-standard'], { cwd: dir, signal });
  return splitNul(untracked.stdout);
}

/** Tracked and untracked files together (see {@link gitListTracked} and {@link gitListUntracked}). */
export async function gitListFiles(dir: string, signal?: AbortSignal): Promise<GitFile[]> {
  // Both at once: the untracked listing walks the work tree and takes the longer.
  const [tracked, untracked] = await Promise.all([gitListTracked(dir, signal), gitListUntracked(dir, signal)]);
  const seen = new Set(tracked.map((file) => file.path));
  return [...tracked, ...untracked.filter((path) => !seen.has(path)).map((path) => ({ path }))];
}

/**
 * Paths whose staged content differs from HEAD (`git diff-index --cached`), so that a file whose
 * content is its index blob is known to be as committed unless listed here. null when there is no
 * HEAD yet (or git cannot tell): then nothing is known to be committed.
 */
export async function gitStagedPaths(dir: string, signal?: AbortSignal): Promise<Set<string> | null> {
  try {
    const { stdout } = await exec('git', ['-c', 'core.quotePath=off', 'diff-index', '--cached', '--name-only', '-z', '--no-renames', 'HEAD', '--'], { cwd: dir, signal });
    return new Set(splitNul(stdout));
  } catch (error) {
    if (error instanceof CommandFailedError) return null;
    throw error;
  }
}

export interface BlameLine {
  commit: string;
  /** null for lines not committed yet. */
  author: string | null;
  /** When the line was written (author time); the observation time for uncommitted lines. */
  date: Date;
}

/**
 * Blames the given 1-based lines of one file in a single git process (one `-L` per line run).
 * Honours `.git-blame-ignore-revs` when the repository has one, as GitHub does.
 *
 * Without `revision` the work-tree file is blamed (uncommitted lines included), which makes git
 * read the whole index twice: on a large repository most of the time of each call. When the
 * caller knows the file is as committed, `revision: 'HEAD'` gives the same answer several times
 * faster.
 */
export async function gitBlameLines(
  dir: string,
  path: string,
  lines: readonly number[],
  options: { signal?: AbortSignal; now: Date; timeoutMs?: number; revision?: string },
): Promise<Map<number, BlameLine>> {
  const ranges = toRanges([...new Set(lines)].sort((a, b) => a - b));
  const args = ['blame', '--porcelain'];
  if (existsSync(join(dir, '.git-blame-ignore-revs'))) args.push('--ignore-revs-file', '.git-blame-ignore-revs');
  for (const [start, end] of ranges) args.push('-L', `${start},${end}`);
  if (options.revision !== undefined) args.push(options.revision);
  args.push('--', path);
  const { stdout } = await exec('git', args, { cwd: dir, signal: options.signal, timeoutMs: options.timeoutMs ?? 60_000 });
  return parseBlamePorcelain(stdout.toString('utf8'), options.now);
}

/** Parses `git blame --porcelain` output into final line number → attribution. */
export function parseBlamePorcelain(text: string, now: Date): Map<number, BlameLine> {
  const commits = new Map<string, { author: string | null; time: number | null }>();
  const result = new Map<number, BlameLine>();
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    const header = /^([0-9a-f]{40,64}) \d+ (\d+)(?: \d+)?$/.exec(lines[i] ?? '');
    i++;
    if (!header) continue;
    const commit = header[1]!;
    const finalLine = Number(header[2]);
    let info = commits.get(commit);
    if (!info) {
      info = { author: null, time: null };
      commits.set(commit, info);
    }
    while (i < lines.length && !(lines[i] ?? '').startsWith('\t')) {
      const line = lines[i]!;
      if (line.startsWith('author ')) info.author = line.slice(7);
      else if (line.startsWith('author-time ')) info.time = Number(line.slice(12));
      i++;
    }
    i++; // the content line
    const uncommitted = /^0+$/.test(commit);
    result.set(finalLine, {
      commit,
      author: uncommitted ? null : info.author,
      date: uncommitted || info.time === null ? now : new Date(info.time * 1000),
    });
  }
  return result;
}

function toRanges(sorted: readonly number[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const line of sorted) {
    const last = ranges.at(-1);
    if (last && line === last[1] + 1) last[1] = line;
    else ranges.push([line, line]);
  }
  return ranges;
}

function splitNul(buffer: Buffer): string[] {
  const text = buffer.toString('utf8');
  return text.split('\0').filter((part) => part.length > 0);
}
