/**
 * What prodeng asks of git: which files a repository tracks, which commit it is at, and who wrote
 * a line when. Every call is bounded in time and goes through `exec` (no shell).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Revision } from '../core/model.js';
import { CommandFailedError, CommandNotFoundError, exec } from './exec.js';

export { CommandNotFoundError };

/** Is `dir` inside a git work tree? False when git is missing too (callers check that separately). */
export async function isGitWorkTree(dir: string, signal?: AbortSignal): Promise<boolean> {
  try {
    const { stdout } = await exec('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dir, signal, timeoutMs: 15_000 });
    return stdout.toString('utf8').trim() === 'true';
  } catch (error) {
    if (error instanceof CommandFailedError) return false;
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
}

/**
 * Regular files git tracks under `dir`, plus untracked files that no ignore rule excludes (a
 * laptop user's new file counts too). Symlinks and submodules are left out: following them could
 * leave the repository or loop.
 */
export async function gitListFiles(dir: string, signal?: AbortSignal): Promise<GitFile[]> {
  const staged = await exec('git', ['-c', 'core.quotePath=off', 'ls-files', '-z', '--stage'], { cwd: dir, signal });
  const files: GitFile[] = [];
  const seen = new Set<string>();
  for (const entry of splitNul(staged.stdout)) {
    // "<mode> <blob> <stage>\t<path>"
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [mode, blob, stage] = entry.slice(0, tab).split(' ');
    const path = entry.slice(tab + 1);
    if (stage !== '0' && stage !== '2') continue; // during a merge conflict list each path once
    if (mode !== '100644' && mode !== '100755') continue; // 120000 symlink, 160000 submodule
    if (seen.has(path)) continue;
    seen.add(path);
    files.push({ path, blob });
  }
  const untracked = await exec('git', ['-c', 'core.quotePath=off', 'ls-files', '-z', '--others', '--exclude-standard'], {
    cwd: dir,
    signal,
  });
  for (const path of splitNul(untracked.stdout)) if (!seen.has(path)) files.push({ path });
  return files;
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
 */
export async function gitBlameLines(
  dir: string,
  path: string,
  lines: readonly number[],
  options: { signal?: AbortSignal; now: Date; timeoutMs?: number },
): Promise<Map<number, BlameLine>> {
  const ranges = toRanges([...new Set(lines)].sort((a, b) => a - b));
  const args = ['blame', '--porcelain'];
  if (existsSync(join(dir, '.git-blame-ignore-revs'))) args.push('--ignore-revs-file', '.git-blame-ignore-revs');
  for (const [start, end] of ranges) args.push('-L', `${start},${end}`);
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
