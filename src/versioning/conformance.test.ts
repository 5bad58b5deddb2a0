/**
 * The version-ordering conformance suite (test/data/version-ordering, from google/osv-scalibr,
 * Apache-2.0): every "a < b", "a = b" or "a > b" line must hold, both ways round.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { schemes } from './index.js';
import type { SchemeId } from './versioning.js';

const DATA = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'data', 'version-ordering');

/** Suite file prefix → the schemes it applies to (semver-versions.txt is shared by the semver family). */
const FILE_SCHEMES: Record<string, SchemeId[]> = {
  semver: ['semver', 'npm', 'cargo', 'go'],
  pypi: ['pypi'],
  maven: ['maven'],
  rubygems: ['rubygems'],
  packagist: ['packagist'],
  nuget: ['nuget'],
  debian: ['debian'],
  alpine: ['alpine'],
  redhat: ['redhat'],
  cran: ['cran'],
  pub: ['pub'],
  hackage: ['hackage'],
};

interface Case {
  line: number;
  text: string;
  a: string;
  b: string;
  expected: -1 | 0 | 1;
}

/** Case lines are "a OP b"; blank lines and lines starting with "#" or "//" are not cases. */
function readCases(file: string): Case[] {
  const cases: Case[] = [];
  readFileSync(join(DATA, file), 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const text = raw.replace(/\r$/, '');
      if (text.trim() === '' || text.startsWith('#') || text.startsWith('//')) return;
      const parts = text.split(' ');
      const [a, op, b] = parts;
      if (parts.length !== 3 || a === undefined || b === undefined || (op !== '<' && op !== '=' && op !== '>')) {
        throw new Error(`${file}:${i + 1}: not a case line: ${JSON.stringify(text)}`);
      }
      cases.push({ line: i + 1, text, a, b, expected: op === '<' ? -1 : op === '=' ? 0 : 1 });
    });
  return cases;
}

const files = readdirSync(DATA)
  .filter((f) => f.endsWith('.txt'))
  .sort();

const symbol = (n: number): string => (n < 0 ? '<' : n > 0 ? '>' : '=');

describe('version-ordering conformance suite', () => {
  it('has a scheme for every suite file', () => {
    expect(files.length).toBeGreaterThanOrEqual(19);
    for (const file of files) expect(FILE_SCHEMES[file.split('-')[0] ?? '']).toBeDefined();
  });

  for (const file of files) {
    for (const id of FILE_SCHEMES[file.split('-')[0] ?? ''] ?? []) {
      it(`${id}: every line of ${file}`, () => {
        const scheme = schemes[id];
        const cases = readCases(file);
        expect(cases.length).toBeGreaterThan(0);
        const failures: string[] = [];
        for (const c of cases) {
          const forward = Math.sign(scheme.compare(c.a, c.b));
          const backward = Math.sign(scheme.compare(c.b, c.a));
          if (forward !== c.expected) {
            failures.push(`${file}:${c.line}: ${c.text} — got ${c.a} ${symbol(forward)} ${c.b}`);
          } else if (backward !== -forward) {
            failures.push(`${file}:${c.line}: ${c.text} — not antisymmetric: ${c.b} ${symbol(backward)} ${c.a}`);
          }
        }
        expect(failures).toEqual([]);
      });
    }
  }
});
