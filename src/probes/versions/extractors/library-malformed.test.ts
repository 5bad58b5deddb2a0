/**
 * Malformed and hostile inputs for the library extractors. Every file of fixtures/malformed/ named
 * `<file name>--<what>.fixture` goes through every library extractor (not only the one that wants
 * the name): none may throw, and what comes back must be well-formed. The extractor that wants the
 * file must report errors and keep what it could read. Inputs too big to keep in the repository are
 * generated here, with a time bound that a quadratic algorithm would blow.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMPONENT_KINDS, ECOSYSTEMS } from '../model.js';
import type { ExtractResult, Extractor } from '../model.js';
import { libraryExtractors } from './library-extractors.js';
import { MAX_TEXT_CHARS } from './library-support.js';

const DIR = new URL('./fixtures/malformed/', import.meta.url);
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.fixture') && f.includes('--'))
  .sort();

function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The result is well-formed whatever the input. */
function expectSane(result: ExtractResult, text: string, path: string): void {
  const lines = lineCount(text);
  expect(Array.isArray(result.components)).toBe(true);
  expect(Array.isArray(result.errors)).toBe(true);
  for (const c of result.components) {
    expect(COMPONENT_KINDS).toContain(c.kind);
    expect(typeof c.name).toBe('string');
    expect(c.name.length).toBeGreaterThan(0);
    expect(c.version === null || (typeof c.version === 'string' && c.version.length > 0 && !/\s/.test(c.version))).toBe(true);
    expect(c.ecosystem === null || ECOSYSTEMS.includes(c.ecosystem)).toBe(true);
    expect(typeof c.direct).toBe('boolean');
    expect(typeof c.dev).toBe('boolean');
    expect(c.source.path).toBe(path);
    if (c.source.line !== undefined) {
      expect(c.source.line).toBeGreaterThanOrEqual(1);
      expect(c.source.line).toBeLessThanOrEqual(lines);
    }
  }
  for (const e of result.errors) {
    expect(typeof e.message).toBe('string');
    expect(e.message.length).toBeLessThan(400);
    if (e.line !== undefined) {
      expect(e.line).toBeGreaterThanOrEqual(1);
      expect(e.line).toBeLessThanOrEqual(lines);
    }
  }
}

function run(extractor: Extractor, path: string, text: string): ExtractResult {
  let result: ExtractResult | undefined;
  expect(() => {
    result = extractor.extract({ path, text });
  }).not.toThrow();
  expectSane(result as ExtractResult, text, path);
  return result as ExtractResult;
}

/** What the extractor that wants the file keeps (`name@version`); every one of these files also gives errors. */
const KEPT: Record<string, string[]> = {
  'Cargo.lock--merge-conflict.fixture': ['a@1.0.0', 'c@3.0.0'],
  'Cargo.lock--truncated.fixture': ['anyhow@1.0.75', 'gitdep@0.2.0'],
  'Gemfile.lock--broken.fixture': ['ok@1.0.0'],
  'Pipfile.lock--wrong-types.fixture': ['a@1.0'],
  'bun.lock--trailing-garbage.fixture': ['a@1.0.0'],
  'composer.lock--wrong-types.fixture': ['c/d@1.0.0'],
  'go.mod--broken.fixture': [],
  'gradle.lockfile--broken.fixture': ['good:artifact@1.0'],
  'npm-shrinkwrap.json--packages-array.fixture': [],
  'package-lock.json--merge-conflict.fixture': [],
  'package-lock.json--nul-bytes.fixture': [],
  'package-lock.json--truncated.fixture': ['@types/ms@0.7.34', 'debug@4.3.4', 'ms@2.1.2', 'is-number@7.0.0', 'is-odd@3.0.1', 'is-number@6.0.0'],
  'package-lock.json--wrong-types.fixture': ['d@2.0.0'],
  'package.json--array.fixture': [],
  'package.json--truncated.fixture': ['a@-'],
  'packages.lock.json--wrong-types.fixture': [],
  'pnpm-lock.yaml--alias-bomb.fixture': [],
  'pnpm-lock.yaml--invalid-yaml.fixture': [],
  'pnpm-lock.yaml--truncated.fixture': ['@types/ms@0.7.34', 'ansi-styles@4.3.0', 'chalk@4.1.2', 'color-convert@2.0.1'],
  'pnpm-lock.yaml--wrong-types.fixture': ['b@1.0.0'],
  'poetry.lock--duplicate-keys.fixture': [],
  'pom.xml--unclosed.fixture': ['a:b@1.0'],
  'requirements.txt--binary.fixture': [],
  'uv.lock--wrong-types.fixture': [],
  'yarn.lock--berry-wrong-types.fixture': ['c@-'],
  'yarn.lock--merge-conflict.fixture': ['lodash@4.17.20', 'lodash@4.17.21'],
  'yarn.lock--utf16.fixture': [],
};

describe('malformed corpus', () => {
  it('has files, and each names a file that some library extractor wants', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(25);
    for (const f of FILES) {
      const path = f.slice(0, f.indexOf('--'));
      expect(
        libraryExtractors.some((e) => e.fileRequired(path)),
        f,
      ).toBe(true);
    }
  });

  for (const f of FILES) {
    it(f, () => {
      const path = f.slice(0, f.indexOf('--'));
      const text = readFileSync(new URL(f, DIR), 'utf8');
      for (const extractor of libraryExtractors) {
        const result = run(extractor, path, text);
        if (!extractor.fileRequired(path)) continue;
        const kept = KEPT[f];
        if (kept === undefined) continue;
        expect(result.errors.length, `${f}: errors`).toBeGreaterThan(0);
        expect(result.components.filter((c) => c.kind === 'library').map((c) => `${c.name}@${c.version ?? '-'}`)).toEqual(kept);
      }
    });
  }

  it('the POM entity bomb expands nothing', () => {
    const f = 'pom.xml--entity-bomb.fixture';
    const text = readFileSync(new URL(f, DIR), 'utf8');
    const result = libraryExtractors.find((e) => e.id === 'pom-xml')?.extract({ path: 'pom.xml', text });
    expect(result?.components.map((c) => `${c.name} ${c.version} ${c.constraint}`)).toEqual(['a:b null &lol5;']);
  });
});

describe('generated hostile inputs', () => {
  const PATHS = ['package-lock.json', 'package.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'requirements.txt', 'poetry.lock', 'uv.lock', 'Pipfile.lock', 'go.mod', 'Cargo.lock', 'Gemfile.lock', 'composer.lock', 'pom.xml', 'gradle.lockfile', 'packages.lock.json'];

  function runAll(text: string): void {
    for (const path of PATHS) {
      for (const extractor of libraryExtractors) if (extractor.fileRequired(path)) run(extractor, path, text);
    }
  }

  it('deep nesting', () => {
    runAll('['.repeat(100_000));
    runAll(`${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`);
    runAll(`${Array.from({ length: 2000 }, (_, k) => `${' '.repeat(k)}k${k}:`).join('\n')}\n`);
    runAll(`${'<a>'.repeat(20_000)}${'</a>'.repeat(20_000)}`);
    runAll(`x = ${'['.repeat(10_000)}`);
  });

  // Linear time is what this checks: anything quadratic runs into the test timeout.
  it('one megabyte line, many lines, long keys', () => {
    runAll('x'.repeat(1_000_000));
    runAll(`${'"'.repeat(100_000)}\n${'\\'.repeat(100_000)}`);
    runAll('a==1.0 \\\n'.repeat(50_000));
    runAll(`lodash@^4:\n  version "4"\n${' '.repeat(200_000)}x\n`);
    runAll(`${'# '.repeat(100_000)}\n${':'.repeat(100_000)}\n${'- '.repeat(100_000)}\n`);
    runAll('a: b\n'.repeat(100_000));
  });

  it('refuses text over the size limit with one error', () => {
    const text = ' '.repeat(MAX_TEXT_CHARS + 1);
    for (const extractor of libraryExtractors) {
      const result = extractor.extract({ path: 'package-lock.json', text });
      expect(result.components).toEqual([]);
      expect(result.errors).toHaveLength(1);
    }
  });

  it('survives nonsense input objects', () => {
    for (const extractor of libraryExtractors) {
      for (const input of [{ path: 'x', text: '' }, { path: 'x', text: '\uFEFF' }, { path: '', text: '{}' }, {} as never, { path: 'x', text: 42 } as never]) {
        expect(() => extractor.extract(input)).not.toThrow();
      }
    }
  });
});
