import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/repo.js';
import type { FileStamp } from '../../util/git.js';
import { cacheKey, ScanCache, writeStamp, type Outcome } from './scan-cache.js';

let dir: { dir: string; remove(): void } | undefined;
afterEach(() => dir?.remove());

const ROOT = '/repo';
const KEY = cacheKey({ tags: ['TODO'], maxFileSize: 1000 });
const stamp = (n: number): FileStamp => ({ size: 10 + n, ctimeSec: 1_700_000_000 + n, ctimeNsec: 5, mtimeSec: 1_700_000_000, mtimeNsec: 7, ino: 4_000_000_000 + n });
const asArray = (s: FileStamp) => {
  const out: number[] = [];
  writeStamp(out, 0, s);
  return out;
};
const blob = (n: number) => n.toString(16).padStart(40, '0');
const marker = { tag: 'TODO', line: 3, column: 4, text: 'x', comment: '// TODO x' };

function cacheFile(): string {
  const folder = join(dir!.dir, 'todo-scan');
  return join(folder, readdirSync(folder).find((name) => name.endsWith('.json'))!);
}

describe('ScanCache', () => {
  it('gives back what was recorded, only for the same blob and stamp', () => {
    dir = tempDir();
    const outcomes: Outcome[] = [0, 'binary', { l: 'typescript', m: [marker] }, { l: 'python', m: [{ ...marker, owner: 'alice' }] }];
    const first = ScanCache.load(dir.dir, ROOT, KEY);
    outcomes.forEach((outcome, n) => first.record(n, `src/日本語-${n}.ts`, blob(n), asArray(stamp(n)), 0, outcome));
    first.save();
    expect(readFileSync(cacheFile()).every((byte) => byte < 0x80)).toBe(true);

    const second = ScanCache.load(dir.dir, ROOT, KEY);
    expect(second.size).toBe(4);
    outcomes.forEach((outcome, n) => {
      const entry = second.lookup(`src/日本語-${n}.ts`, blob(n), stamp(n));
      expect(entry).toBeGreaterThanOrEqual(0);
      expect(second.outcome(entry)).toEqual(outcome);
      expect(second.sizeOf(entry)).toBe(10 + n);
    });
    expect(second.lookup('src/日本語-1.ts', blob(9), stamp(1))).toBe(-1);
    expect(second.lookup('src/日本語-1.ts', blob(1), { ...stamp(1), ctimeNsec: 6 })).toBe(-1);
    expect(second.lookup('src/日本語-1.ts', blob(1), { ...stamp(1), ino: 1 })).toBe(-1);
    expect(second.lookup('elsewhere.ts', blob(1), stamp(1))).toBe(-1);
  });

  it('finds entries when lookups come out of stored order', () => {
    dir = tempDir();
    const first = ScanCache.load(dir.dir, ROOT, KEY);
    for (let n = 0; n < 50; n++) first.record(n, `f${String(n).padStart(2, '0')}.c`, blob(n), asArray(stamp(n)), 0, n % 7 === 0 ? { l: 'c', m: [marker] } : 0);
    first.save();
    const second = ScanCache.load(dir.dir, ROOT, KEY);
    for (const n of [3, 2, 40, 41, 0, 49, 17]) {
      const entry = second.lookup(`f${String(n).padStart(2, '0')}.c`, blob(n), stamp(n));
      expect(second.outcome(entry)).toEqual(n % 7 === 0 ? { l: 'c', m: [marker] } : 0);
    }
  });

  it('finds entries stored in an order JavaScript does not sort them in, and misses new paths', () => {
    dir = tempDir();
    // Git sorts by bytes: U+FFFD (EF BF BD) before U+1F600 (F0 9F 98 80); as UTF-16 the emoji's
    // surrogate (D83D) sorts first. And a listing git completed may be in any order.
    const names = ['a/\uFFFD.ts', 'a/\u{1F600}.ts', 'z.ts', 'b.ts'];
    const first = ScanCache.load(dir.dir, ROOT, KEY);
    names.forEach((name, n) => first.record(n, name, blob(n), asArray(stamp(n)), 0, 0));
    first.save();
    const second = ScanCache.load(dir.dir, ROOT, KEY);
    for (const n of [3, 1, 0, 2]) expect(second.lookup(names[n]!, blob(n), stamp(n)), names[n]).toBe(n);
    expect(second.lookup('c.ts', blob(9), stamp(9))).toBe(-1);

    const sorted = ScanCache.load(dir.dir, '/sorted', KEY);
    ['a.ts', 'b.ts', 'd.ts'].forEach((name, n) => sorted.record(n, name, blob(n), asArray(stamp(n)), 0, 0));
    sorted.save();
    const again = ScanCache.load(dir.dir, '/sorted', KEY);
    expect(again.lookup('c.ts', blob(9), stamp(9))).toBe(-1);
    expect(again.lookup('0.ts', blob(9), stamp(9))).toBe(-1);
    expect(again.lookup('e.ts', blob(9), stamp(9))).toBe(-1);
    expect(again.lookup('d.ts', blob(2), stamp(2))).toBe(2);
    expect(again.lookup('a.ts', blob(0), stamp(0))).toBe(0);
  });

  it('keeps what was reused and ages out the rest; writes nothing when nothing changed', () => {
    dir = tempDir();
    const first = ScanCache.load(dir.dir, ROOT, KEY);
    first.record(0, 'a.ts', blob(1), asArray(stamp(1)), 0, 0);
    first.record(1, 'b.ts', blob(2), [0, ...asArray(stamp(2))], 1, 'generated');
    first.save();
    const written = statSync(cacheFile()).mtimeMs;

    const unchanged = ScanCache.load(dir.dir, ROOT, KEY);
    unchanged.keep(0, unchanged.lookup('a.ts', blob(1), stamp(1)));
    unchanged.keep(1, unchanged.lookup('b.ts', blob(2), stamp(2)));
    writeFileSync(join(dir.dir, 'marker'), ''); // let the clock move on
    unchanged.save();
    expect(statSync(cacheFile()).mtimeMs).toBe(written);

    const third = ScanCache.load(dir.dir, ROOT, KEY);
    third.keep(0, third.lookup('a.ts', blob(1), stamp(1)));
    third.save();
    const fourth = ScanCache.load(dir.dir, ROOT, KEY);
    expect(fourth.size).toBe(1);
    expect(fourth.lookup('b.ts', blob(2), stamp(2))).toBe(-1);
  });

  it('starts empty for another scanner configuration or another repository', () => {
    dir = tempDir();
    const first = ScanCache.load(dir.dir, ROOT, KEY);
    first.record(0, 'a.ts', blob(1), asArray(stamp(1)), 0, 0);
    first.save();
    expect(ScanCache.load(dir.dir, ROOT, cacheKey({ tags: ['TODO', 'FIXME'], maxFileSize: 1000 })).size).toBe(0);
    expect(ScanCache.load(dir.dir, ROOT, cacheKey({ tags: ['TODO'], maxFileSize: 999 })).size).toBe(0);
    expect(ScanCache.load(dir.dir, '/other', KEY).size).toBe(0);
    expect(ScanCache.load(dir.dir, ROOT, KEY).size).toBe(1);
  });

  it('treats a damaged file as an empty cache, never as an error', () => {
    dir = tempDir();
    const first = ScanCache.load(dir.dir, ROOT, KEY);
    first.record(0, 'a.ts', blob(1), asArray(stamp(1)), 0, { l: 'typescript', m: [marker] });
    first.save();
    const file = cacheFile();
    const good = readFileSync(file, 'latin1');
    const damaged = [
      '',
      'not json',
      good.slice(0, good.length / 2),
      good.replace('"format":1', '"format":2'),
      good.replace(/"blobs":"[0-9a-f]+"/, '"blobs":"zz"'),
      good.replace(/"stamps":"[^"]*"/, '"stamps":"AAAA"'),
      good.replace('"paths":[', '"paths":[1,'),
      good.replace('"line":3', '"line":-3'),
      good.replace('"outcomes":{', '"outcomes":{"x":0,'),
      JSON.stringify({ ...JSON.parse(good), extra: true }),
    ];
    for (const text of damaged) {
      writeFileSync(file, text, 'latin1');
      expect(ScanCache.load(dir.dir, ROOT, KEY).size, text.slice(0, 80)).toBe(0);
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        writeFileSync(file, text);
        const cache = ScanCache.load(dir!.dir, ROOT, KEY);
        return cache.lookup('a.ts', blob(1), stamp(1)) === -1 || cache.size === 1;
      }),
      { numRuns: 200 },
    );
  });

  it('never fails an observation when it cannot be written', () => {
    dir = tempDir();
    writeFileSync(join(dir.dir, 'todo-scan'), 'a file where the folder would go');
    const cache = ScanCache.load(dir.dir, ROOT, KEY);
    cache.record(0, 'a.ts', blob(1), asArray(stamp(1)), 0, 0);
    expect(() => cache.save()).not.toThrow();
  });
});
