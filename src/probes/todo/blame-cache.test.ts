import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/repo.js';
import { BlameCache } from './blame-cache.js';
import { gitBlobId } from './scan-batch.js';

let dir: { dir: string; remove(): void } | undefined;
afterEach(() => dir?.remove());

const line = (commit: string, t: number) => ({ commit, author: 'Ann', date: new Date(t * 1000) });

describe('BlameCache', () => {
  it('round-trips committed answers and keeps only what the last observation used', () => {
    dir = tempDir();
    const first = BlameCache.load(dir.dir);
    first.set('b1', new Map([[3, line('a'.repeat(40), 1_600_000_000)]]));
    first.set('b2', new Map([[1, line('c'.repeat(40), 1_700_000_000)]]));
    first.save();

    const second = BlameCache.load(dir.dir);
    expect(second.get('b1', [3])?.get(3)).toEqual(line('a'.repeat(40), 1_600_000_000));
    expect(second.get('b1', [3, 4])).toBeUndefined(); // a line it never saw
    second.save();
    expect(Object.keys(JSON.parse(readFileSync(join(dir.dir, 'todo-blame-v1.json'), 'utf8')))).toEqual(['b1']);
  });

  it('never keeps answers with uncommitted lines', () => {
    dir = tempDir();
    const cache = BlameCache.load(dir.dir);
    cache.set('b', new Map([[1, line('0'.repeat(40), 1)], [2, line('a'.repeat(40), 2)]]));
    cache.save();
    expect(BlameCache.load(dir.dir).get('b', [2])).toBeUndefined();
  });

  it('treats a corrupt cache file as empty', () => {
    dir = tempDir();
    writeFileSync(join(dir.dir, 'todo-blame-v1.json'), '{"b": {"1": {"c": 5}}');
    expect(BlameCache.load(dir.dir).get('b', [1])).toBeUndefined();
  });
});

describe('gitBlobId', () => {
  it('matches git hash-object', () => {
    // `printf 'hello\n' | git hash-object --stdin`
    expect(gitBlobId(Buffer.from('hello\n'))).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });
});
