import { describe, expect, it } from 'vitest';
import { libraryExtractors } from './library-extractors.js';

/** A path of each kind and the one library extractor that must want it. */
const WANTED: Record<string, string> = {
  'package-lock.json': 'package-lock',
  'web/npm-shrinkwrap.json': 'package-lock',
  'package.json': 'package-json',
  'yarn.lock': 'yarn-lock',
  'pnpm-lock.yaml': 'pnpm-lock',
  'bun.lock': 'bun-lock',
  'requirements.txt': 'requirements-txt',
  'requirements/dev.txt': 'requirements-txt',
  'poetry.lock': 'poetry-lock',
  'uv.lock': 'uv-lock',
  'Pipfile.lock': 'pipfile-lock',
  'go.mod': 'go-mod',
  'Cargo.lock': 'cargo-lock',
  'Gemfile.lock': 'gemfile-lock',
  'composer.lock': 'composer-lock',
  'pom.xml': 'pom-xml',
  'gradle.lockfile': 'gradle-lockfile',
  'src/App/packages.lock.json': 'nuget-packages-lock',
};

describe('libraryExtractors', () => {
  it('have unique ids', () => {
    const ids = libraryExtractors.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('each file kind is wanted by exactly one library extractor', () => {
    for (const [path, id] of Object.entries(WANTED)) {
      expect(
        libraryExtractors.filter((e) => e.fileRequired(path)).map((e) => e.id),
        path,
      ).toEqual([id]);
    }
  });

  it('want nothing of ordinary files, and never throw on odd paths', () => {
    for (const path of ['', '/', 'README.md', 'src/index.ts', 'Cargo.toml', 'pyproject.toml', 'Gemfile', 'composer.json', 'go.sum', 'build.gradle', 'x.csproj', 'lock', '.lock', 'a/b/c/']) {
      expect(
        libraryExtractors.filter((e) => e.fileRequired(path)).map((e) => e.id),
        path,
      ).toEqual([]);
    }
  });
});
