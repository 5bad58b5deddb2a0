import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandGlobs, GlobLimitError, hasMagic } from './glob.js';

let root: string;
const files = [
  'build/test-results/test/TEST-a.xml',
  'build/test-results/test/TEST-b.xml',
  'build/test-results/test/binary/output.bin',
  'module/target/surefire-reports/TEST-c.xml',
  'module/target/surefire-reports/c.txt',
  '.hidden/TEST-d.xml',
  'node_modules/pkg/TEST-e.xml',
  'junit.xml',
];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'prodeng-glob-'));
  for (const file of files) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), '<testsuite/>');
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const rel = (paths: string[]) => paths.map((path) => path.slice(root.length + 1));

describe('expandGlobs', () => {
  it('expands ** across directories, hidden ones included, and skips node_modules', () => {
    const [match] = expandGlobs(['**/TEST-*.xml'], root);
    expect(rel(match!.files)).toEqual([
      '.hidden/TEST-d.xml',
      'build/test-results/test/TEST-a.xml',
      'build/test-results/test/TEST-b.xml',
      'module/target/surefire-reports/TEST-c.xml',
    ]);
  });

  it('enters node_modules when the pattern names it', () => {
    expect(rel(expandGlobs(['node_modules/**/*.xml'], root)[0]!.files)).toEqual(['node_modules/pkg/TEST-e.xml']);
  });

  it('keeps a pattern without ** to its own depth', () => {
    expect(rel(expandGlobs(['build/test-results/*/*.xml'], root)[0]!.files)).toEqual([
      'build/test-results/test/TEST-a.xml',
      'build/test-results/test/TEST-b.xml',
    ]);
    expect(expandGlobs(['build/*.xml'], root)[0]!.files).toEqual([]);
  });

  it('takes literal paths and absolute patterns, and drops duplicates across patterns', () => {
    const matches = expandGlobs(['junit.xml', `${root}/module/**/*.xml`, '**/TEST-c.xml', 'missing.xml'], root);
    expect(matches.map((m) => rel(m.files))).toEqual([['junit.xml'], ['module/target/surefire-reports/TEST-c.xml'], [], []]);
  });

  it('matches nothing under a base that does not exist', () => {
    expect(expandGlobs(['nope/**/*.xml'], root)[0]!.files).toEqual([]);
  });

  it('fails clearly past the limit', () => {
    expect(() => expandGlobs(['**/*'], root, { limit: 3 })).toThrow(GlobLimitError);
  });

  it('tells glob syntax from plain paths', () => {
    expect(hasMagic('a/b.xml')).toBe(false);
    expect(hasMagic('a/*.xml')).toBe(true);
    expect(hasMagic('a/{b,c}.xml')).toBe(true);
  });
});
