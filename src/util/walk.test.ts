import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempRepo, type TempRepo } from '../../test/support/repo.js';
import { walkFiles } from './walk.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.remove());

describe('walkFiles', () => {
  it('honours nested .gitignore files with re-includes and skips .git and symlinks', () => {
    repo = tempRepo({ git: false });
    repo.write('.gitignore', '*.log\nbuild/\n');
    repo.write('a.txt', 'a');
    repo.write('x.log', 'x');
    repo.write('build/out.js', 'o');
    repo.write('sub/.gitignore', '!keep.log\nlocal.txt\n');
    repo.write('sub/keep.log', 'k');
    repo.write('sub/local.txt', 'l');
    repo.write('sub/deep/y.log', 'y');
    repo.write('.git/config', 'not a real git dir');
    mkdirSync(join(repo.dir, 'loop'));
    symlinkSync('..', join(repo.dir, 'loop', 'up'));
    symlinkSync('a.txt', join(repo.dir, 'link.txt'));
    expect(walkFiles(repo.dir)).toEqual(['.gitignore', 'a.txt', 'sub/.gitignore', 'sub/keep.log']);
  });

  it('reports unreadable directories and goes on', () => {
    repo = tempRepo({ git: false });
    repo.write('ok.txt', 'x');
    const errors: string[] = [];
    expect(walkFiles(join(repo.dir, 'missing'), { onError: (path) => errors.push(path) })).toEqual([]);
    expect(errors).toEqual(['.']);
  });
});
