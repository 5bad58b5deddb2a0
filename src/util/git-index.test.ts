import { lstatSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { splitIndexThenAdd, tempRepo, type TempRepo } from '../../test/support/repo.js';
import { gitListTracked, readTrackedChunksFromIndex, readTrackedFromIndex, type GitFile } from './git.js';
import { parseGitIndex } from './git-index.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.remove());

/** What git ls-files can tell: path and blob (the index alone also knows the stamp). */
const listed = (files: GitFile[] | null) => files?.map(({ path, blob }) => ({ path, blob })) ?? null;

/** Makes every entry older than the index, as it is once git has rewritten the index later on. */
function ageIndex(dir: string): void {
  const later = new Date(Date.now() + 10_000);
  utimesSync(join(dir, '.git', 'index'), later, later);
}

function fillRepo(r: TempRepo): void {
  r.write('a.ts', '// a\n');
  r.write('bin/run.sh', '#!/bin/sh\n');
  r.git('update-index', '--add', '--chmod=+x', 'bin/run.sh');
  r.write('日本語/ファイル.md', '# x\n');
  r.write(`deep/${'d'.repeat(120)}/${'f'.repeat(200)}.txt`, 'long path\n');
  for (let i = 0; i < 40; i++) r.write(`many/file-${String(i).padStart(3, '0')}.js`, `// ${i}\n`);
  symlinkSync('a.ts', join(r.dir, 'link.ts'));
  r.commit('init');
  // A submodule entry (gitlink) without a real submodule behind it.
  r.git('update-index', '--add', '--cacheinfo', `160000,${'1'.repeat(40)},vendor/sub`);
}

describe('readTrackedFromIndex', () => {
  it.each([2, 3, 4])('lists exactly what git ls-files lists, index version %i', async (version) => {
    repo = tempRepo();
    fillRepo(repo);
    repo.git('update-index', '--index-version', String(version));
    const fromIndex = readTrackedFromIndex(repo.dir);
    expect(fromIndex).not.toBeNull();
    expect(listed(fromIndex)).toEqual(await gitListTracked(repo.dir));
    expect(fromIndex!.map((f) => f.path)).toContain('日本語/ファイル.md');
  });

  it('handles intent-to-add entries (extended flags) and merge conflicts like git', async () => {
    repo = tempRepo();
    repo.write('c.txt', 'base\n');
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'other');
    repo.write('c.txt', 'other\n');
    repo.commit('other');
    repo.git('checkout', '-q', 'main');
    repo.write('c.txt', 'main\n');
    repo.commit('main');
    try {
      repo.git('merge', '-q', 'other');
    } catch {
      // the conflict is the point
    }
    repo.write('new.txt', 'x\n');
    repo.git('add', '-N', 'new.txt');
    const fromIndex = readTrackedFromIndex(repo.dir);
    expect(listed(fromIndex)).toEqual(await gitListTracked(repo.dir));
    expect(fromIndex!.filter((f) => f.path === 'c.txt')).toHaveLength(1);
  });

  it("gives each entry the stamp git recorded, exactly as lstat shows it, once the entry is older than the index", () => {
    repo = tempRepo();
    fillRepo(repo);
    ageIndex(repo.dir);
    for (const file of readTrackedFromIndex(repo.dir)!) {
      const st = lstatSync(join(repo.dir, file.path), { bigint: true });
      expect(file.stamp, file.path).toEqual({
        size: Number(st.size),
        ctimeSec: Number(st.ctimeNs / 1_000_000_000n),
        ctimeNsec: Number(st.ctimeNs % 1_000_000_000n),
        mtimeSec: Number(st.mtimeNs / 1_000_000_000n),
        mtimeNsec: Number(st.mtimeNs % 1_000_000_000n),
        ino: Number(st.ino & 0xffffffffn),
      });
    }
  });

  it('gives no stamp where git itself would not trust it: racily clean or empty', () => {
    repo = tempRepo();
    repo.write('a.txt', 'a\n');
    repo.write('empty.txt', '');
    repo.commit('init');
    // Written in the same second as the index (the test runs well within it, or the next).
    const index = join(repo.dir, '.git', 'index');
    const now = new Date();
    utimesSync(index, now, now);
    writeFileSync(join(repo.dir, 'a.txt'), 'b\n');
    repo.git('add', 'a.txt');
    utimesSync(index, now, now);
    const files = readTrackedFromIndex(repo.dir)!;
    expect(files.find((file) => file.path === 'a.txt')!.stamp).toBeUndefined();
    ageIndex(repo.dir);
    const aged = readTrackedFromIndex(repo.dir)!;
    expect(aged.find((file) => file.path === 'a.txt')!.stamp).toBeDefined();
    expect(aged.find((file) => file.path === 'empty.txt')!.stamp).toBeUndefined();
  });

  it('leaves a split index to git', () => {
    repo = tempRepo();
    fillRepo(repo);
    repo.git('update-index', '--split-index');
    expect(readTrackedFromIndex(repo.dir)).toBeNull();
  });

  it('says so when a split index shows only after some chunks were read', () => {
    repo = tempRepo();
    fillRepo(repo);
    splitIndexThenAdd(repo, { '0-new.txt': 'one\n', '1-new.txt': 'two\n' });
    const chunks = readTrackedChunksFromIndex(repo.dir, 1)!;
    const read: string[] = [];
    let next = chunks.next();
    for (; !next.done; next = chunks.next()) read.push(...next.value.map((file) => file.path));
    expect(read).toEqual(['0-new.txt', '1-new.txt']);
    expect(next.value).toBe(false);
  });

  it('is not used below the top of the work tree or outside git', () => {
    repo = tempRepo();
    fillRepo(repo);
    expect(readTrackedFromIndex(join(repo.dir, 'many'))).toBeNull();
    const plain = tempRepo({ git: false });
    try {
      expect(readTrackedFromIndex(plain.dir)).toBeNull();
    } finally {
      plain.remove();
    }
  });
});

describe('parseGitIndex on damaged input', () => {
  it('returns null or entries, never throws, for every truncation of a real index', () => {
    repo = tempRepo();
    fillRepo(repo);
    for (const version of [2, 4]) {
      repo.git('update-index', '--index-version', String(version));
      const bytes = readFileSync(join(repo.dir, '.git', 'index'));
      for (let cut = 0; cut < bytes.length; cut += 7) {
        const result = parseGitIndex(bytes.subarray(0, cut));
        if (result !== null) expect(Array.isArray(result)).toBe(true);
      }
    }
  });

  it('never throws on arbitrary bytes, with or without a valid header', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.boolean(), fc.integer({ min: 0, max: 6 }), (body, header, version) => {
        const bytes = header
          ? Buffer.concat([Buffer.from('DIRC'), Buffer.from([0, 0, 0, version, 0, 0, 0, 3]), Buffer.from(body)])
          : Buffer.from(body);
        const result = parseGitIndex(bytes);
        return result === null || Array.isArray(result);
      }),
      { numRuns: 2000 },
    );
  });
});
