/**
 * Properties of every runtime extractor: arbitrary text never throws and yields well-formed
 * results; YAML-, JSON- and Dockerfile-shaped noise too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Extractor } from '../model.js';
import { runtimeExtractors } from './runtime-extractors.js';

/** A path each extractor accepts. */
const SAMPLE_PATHS: Readonly<Record<string, string>> = {
  nvmrc: '.nvmrc',
  'node-version': '.node-version',
  'tool-versions': '.tool-versions',
  'mise-toml': 'mise.toml',
  'python-version': '.python-version',
  'runtime-txt': 'runtime.txt',
  'pyproject-python': 'pyproject.toml',
  'package-json-engines': 'package.json',
  'ruby-version': '.ruby-version',
  'gemfile-ruby': 'Gemfile',
  'java-version': '.java-version',
  'global-json': 'global.json',
  'rust-toolchain': 'rust-toolchain.toml',
  'github-actions': '.github/workflows/ci.yml',
  dockerfile: 'Dockerfile',
  compose: 'docker-compose.yml',
  kubernetes: 'k8s/app.yaml',
  'helm-values': 'chart/values.yaml',
  'gitlab-ci': '.gitlab-ci.yml',
  devcontainer: '.devcontainer/devcontainer.json',
};

const WORDS = [
  'apiVersion: v1', 'kind: Pod', 'image:', 'containers:', '- name: a', '  image: node:18', 'services:', 'FROM', 'ARG', 'AS', '--platform=x', '${A:-1}', '$B',
  'node', 'lts/*', '^18', '>=3.9', '[tools]', 'python = "3.11"', '{', '}', '[', ']', '"', ':', ',', '&a', '*a', '<<:', '\\', '`', '#', '//', '/*', '*/',
  'jobs:', 'runs-on: ubuntu-20.04', '${{ matrix.x }}', 'uses: actions/setup-node@v4', 'with:', 'node-version:', 'engines', '"node"', 'sdk', 'version',
  '\t', '  ', '\n', '\r\n', '---', '|', '>', '!reference', '{{ .Values.x }}',
];

const noise = fc.array(fc.constantFrom(...WORDS), { maxLength: 60 }).map((parts) => parts.join(' '));
const lines = fc.array(fc.array(fc.constantFrom(...WORDS), { maxLength: 6 }).map((parts) => parts.join(' ')), { maxLength: 30 }).map((parts) => parts.join('\n'));

function holds(extractor: Extractor, text: string): void {
  const result = extractor.extract({ path: SAMPLE_PATHS[extractor.id]!, text });
  expect(Array.isArray(result.components)).toBe(true);
  expect(Array.isArray(result.errors)).toBe(true);
  for (const component of result.components) expect(component.source.line).toBeGreaterThan(0);
}

describe('every runtime extractor', () => {
  it('has a sample path it accepts, and a unique id', () => {
    expect(new Set(runtimeExtractors.map((extractor) => extractor.id)).size).toBe(runtimeExtractors.length);
    for (const extractor of runtimeExtractors) expect(extractor.fileRequired(SAMPLE_PATHS[extractor.id]!), extractor.id).toBe(true);
  });

  it.each(runtimeExtractors.map((extractor) => [extractor.id, extractor] as const))('%s never throws on arbitrary text', (_id, extractor) => {
    fc.assert(fc.property(fc.string({ maxLength: 400, unit: 'binary' }), (text) => holds(extractor, text)), { numRuns: 150 });
    fc.assert(fc.property(noise, (text) => holds(extractor, text)), { numRuns: 150 });
    fc.assert(fc.property(lines, (text) => holds(extractor, text)), { numRuns: 150 });
  });
});
