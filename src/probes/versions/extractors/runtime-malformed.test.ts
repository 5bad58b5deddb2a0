/**
 * Every runtime extractor against a corpus of broken files (fixtures/malformed-runtime/): nothing
 * throws, problems come back as file-scoped errors with a message and, when known, a line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ExtractResult } from '../model.js';
import { runtimeExtractors } from './runtime-extractors.js';

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'malformed-runtime');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/** Files whose extractor must report at least one error (the others just yield nothing usable). */
const MUST_REPORT = new Set([
  '.nvmrc',
  '.node-version',
  '.tool-versions',
  'mise.toml',
  '.python-version',
  'runtime.txt',
  'pyproject.toml',
  'package.json',
  'deep/package.json',
  '.ruby-version',
  '.java-version',
  'global.json',
  'rust-toolchain.toml',
  'rust-toolchain',
  '.github/workflows/ci.yml',
  'Dockerfile',
  'docker-compose.yml',
  'k8s/deployment.yaml',
  'k8s/bomb.yaml',
  'values.yaml',
  '.gitlab-ci.yml',
  '.devcontainer/devcontainer.json',
]);

const corpus = files(CORPUS).map((file) => ({ path: relative(CORPUS, file).split('\\').join('/'), text: readFileSync(file, 'utf8') }));

function checkShape(result: ExtractResult): void {
  expect(Array.isArray(result.components)).toBe(true);
  for (const error of result.errors) {
    expect(typeof error.message).toBe('string');
    expect(error.message.length).toBeGreaterThan(0);
    if (error.line !== undefined) expect(Number.isInteger(error.line) && error.line > 0).toBe(true);
  }
  for (const component of result.components) {
    expect(component.source.line).toBeGreaterThan(0);
    expect(component.ecosystem).toBeNull();
  }
}

describe('malformed corpus', () => {
  it('exercises every runtime extractor', () => {
    const used = new Set(corpus.flatMap(({ path }) => runtimeExtractors.filter((extractor) => extractor.fileRequired(path)).map((extractor) => extractor.id)));
    expect([...used].sort()).toEqual(runtimeExtractors.map((extractor) => extractor.id).sort());
  });

  it.each(corpus.map((file) => [file.path, file] as const))('%s', (path, file) => {
    const extractors = runtimeExtractors.filter((extractor) => extractor.fileRequired(path));
    expect(extractors.length).toBeGreaterThan(0);
    let errors = 0;
    for (const extractor of extractors) {
      const result = extractor.extract(file);
      checkShape(result);
      errors += result.errors.length;
    }
    if (MUST_REPORT.has(path)) expect(errors).toBeGreaterThan(0);
  });
});
