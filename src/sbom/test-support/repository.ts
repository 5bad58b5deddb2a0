/**
 * A realistic multi-ecosystem repository for the SBOM tests, extracted by the real extractors from
 * their fixtures: npm (scoped names, aliases, a workspace, a dependency graph) twice — at the root
 * and in apps/web — PyPI (poetry.lock), Go (go.mod), Maven (pom.xml), a runtime (.nvmrc) and the
 * runtime and OS of a container image (Dockerfile).
 */
import { fixture } from '../../probes/versions/extractors/test-support/library.js';
import { libraryExtractors } from '../../probes/versions/extractors/library-extractors.js';
import { runtimeExtractors } from '../../probes/versions/extractors/runtime-extractors.js';
import type { Component } from '../../probes/versions/model.js';

export const REPOSITORY: Record<string, string> = {
  'package.json': fixture('npm-v3/package.json.fixture'),
  'package-lock.json': fixture('npm-v3/package-lock.json.fixture'),
  'apps/web/package-lock.json': fixture('npm-v3/package-lock.json.fixture'),
  'services/ml/poetry.lock': fixture('python/poetry-2.lock.fixture'),
  'services/gateway/go.mod': fixture('go/go.mod.fixture'),
  'services/billing/pom.xml': fixture('java/pom.xml.fixture'),
  '.nvmrc': '20\n',
  Dockerfile: 'FROM node:20.11.1-bookworm-slim AS build\nRUN npm ci\nFROM nginx:1.25-alpine3.18\n',
};

/** Every component the extractors find in the files, in file order (like extractRepository). */
export function extractFiles(files: Record<string, string> = REPOSITORY): Component[] {
  const out: Component[] = [];
  for (const [path, text] of Object.entries(files)) {
    for (const extractor of [...runtimeExtractors, ...libraryExtractors]) {
      if (!extractor.fileRequired(path)) continue;
      const result = extractor.extract({ path, text });
      if (result.errors.length > 0) throw new Error(`${path}: ${result.errors.map((e) => e.message).join('; ')}`);
      out.push(...result.components);
    }
  }
  return out;
}
