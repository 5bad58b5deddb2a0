import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Extractor } from '../model.js';
import { runtimeExtractors } from './runtime-extractors.js';

/** The runtime extractor files of this folder (the library helper's files are listed in library-extractors.ts). */
const FILES = [
  'compose',
  'devcontainer',
  'dockerfile',
  'gemfile-ruby',
  'github-actions',
  'gitlab-ci',
  'global-json',
  'helm-values',
  'java-version',
  'kubernetes',
  'mise-toml',
  'node-version',
  'nvmrc',
  'package-json-engines',
  'pyproject-python',
  'python-version',
  'ruby-version',
  'runtime-txt',
  'rust-toolchain',
  'tool-versions',
];

describe('runtimeExtractors', () => {
  it('lists the one extractor of every runtime extractor file, each with its tests', async () => {
    const here = readdirSync(dirname(fileURLToPath(import.meta.url)));
    const exported: Extractor[] = [];
    for (const file of FILES) {
      expect(here, file).toContain(`${file}.ts`);
      expect(here, file).toContain(`${file}.test.ts`);
      const module = (await import(`./${file}.js`)) as Record<string, unknown>;
      const extractors = Object.values(module).filter((value): value is Extractor => typeof value === 'object' && value !== null && 'fileRequired' in value && 'extract' in value);
      expect(extractors, file).toHaveLength(1);
      exported.push(extractors[0]!);
    }
    expect(new Set(runtimeExtractors)).toEqual(new Set(exported));
  });

  it('claims each kind of file with one extractor', () => {
    const claims = (path: string) => runtimeExtractors.filter((extractor) => extractor.fileRequired(path)).map((extractor) => extractor.id);
    expect(claims('Dockerfile')).toEqual(['dockerfile']);
    expect(claims('docker-compose.yml')).toEqual(['compose']);
    expect(claims('chart/values.yaml')).toEqual(['helm-values']);
    expect(claims('.gitlab-ci.yml')).toEqual(['gitlab-ci']);
    expect(claims('.github/workflows/ci.yml')).toEqual(['github-actions']);
    expect(claims('deploy/app.yaml')).toEqual(['kubernetes']);
    expect(claims('package.json')).toEqual(['package-json-engines']);
    expect(claims('src/index.ts')).toEqual([]);
  });
});
