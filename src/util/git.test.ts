import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempRepo, type TempRepo } from '../../test/support/repo.js';
import { gitBlameLines, gitListFiles, gitRevision, gitStagedPaths, isGitWorkTree, parseBlamePorcelain } from './git.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.remove());

describe('git helpers on a real repository', () => {
  it('lists tracked and untracked files, not ignored ones, symlinks or submodule links', async () => {
    repo = tempRepo();
    repo.write('.gitignore', 'ignored.txt\n');
    repo.write('a.ts', '// a\n');
    repo.write('dir/b.py', '# b\n');
    repo.write('ignored.txt', 'x');
    symlinkSync('a.ts', join(repo.dir, 'link.ts'));
    repo.commit('init');
    repo.write('new.go', '// new\n');
    const files = (await gitListFiles(repo.dir)).map((f) => f.path).sort();
    expect(files).toEqual(['.gitignore', 'a.ts', 'dir/b.py', 'new.go']);
    expect(await isGitWorkTree(repo.dir)).toBe(true);
  });

  it('lists paths relative to a subdirectory', async () => {
    repo = tempRepo();
    repo.write('top.txt', 'x');
    repo.write('sub/inner.txt', 'y');
    repo.commit('init');
    expect((await gitListFiles(join(repo.dir, 'sub'))).map((f) => f.path)).toEqual(['inner.txt']);
  });

  it('reports commit and branch, and null before the first commit', async () => {
    repo = tempRepo();
    expect(await gitRevision(repo.dir)).toBeNull();
    const sha = repo.commit('first');
    expect(await gitRevision(repo.dir)).toEqual({ commit: sha, branch: 'main' });
  });

  it('blames lines with author and date, and uncommitted lines as now', async () => {
    repo = tempRepo();
    repo.write('f.ts', 'one\ntwo\n');
    repo.commit('first', { author: 'Alice <a@x.test>', date: '2020-05-01T00:00:00Z' });
    repo.write('f.ts', 'one\ntwo\nthree\n');
    repo.commit('second', { author: '山田 太郎 <t@x.test>', date: '2023-01-02T00:00:00Z' });
    repo.write('f.ts', 'one\ntwo\nthree\nfour\n');
    const now = new Date('2026-01-01T00:00:00Z');
    const blame = await gitBlameLines(repo.dir, 'f.ts', [1, 3, 4, 2], { now });
    expect(blame.get(1)).toMatchObject({ author: 'Alice', date: new Date('2020-05-01T00:00:00Z') });
    expect(blame.get(2)?.author).toBe('Alice');
    expect(blame.get(3)).toMatchObject({ author: '山田 太郎', date: new Date('2023-01-02T00:00:00Z') });
    expect(blame.get(4)).toMatchObject({ author: null, date: now });
  });

  it('blames HEAD as the work tree when the file is as committed, and lists staged paths', async () => {
    repo = tempRepo();
    expect(await gitStagedPaths(repo.dir)).toBeNull(); // no HEAD yet
    repo.write('f.ts', 'one\ntwo\n');
    repo.write('g.ts', 'g\n');
    repo.commit('first', { author: 'Alice <a@x.test>', date: '2020-05-01T00:00:00Z' });
    repo.write('f.ts', 'one\ntwo\nthree\n');
    repo.commit('second', { author: 'Bob <b@x.test>', date: '2023-01-02T00:00:00Z' });
    const now = new Date('2026-01-01T00:00:00Z');
    const lines = [1, 2, 3];
    expect(await gitBlameLines(repo.dir, 'f.ts', lines, { now, revision: 'HEAD' })).toEqual(await gitBlameLines(repo.dir, 'f.ts', lines, { now }));
    expect(await gitStagedPaths(repo.dir)).toEqual(new Set());
    repo.write('g.ts', 'staged\n');
    repo.git('add', 'g.ts');
    expect(await gitStagedPaths(repo.dir)).toEqual(new Set(['g.ts']));
    // The work tree's answer differs once the file is not as committed: that is why callers check.
    repo.write('f.ts', 'zero\none\ntwo\nthree\n');
    expect((await gitBlameLines(repo.dir, 'f.ts', [1], { now })).get(1)).toMatchObject({ author: null });
  });

  it('tolerates garbage in porcelain output', () => {
    expect(parseBlamePorcelain('nonsense\n\tline\n', new Date()).size).toBe(0);
  });
});
