/**
 * From a repository on disk to both documents, the way `prodeng sbom` does it: extractRepository
 * with the default versions config, then the generators, validated against the official schemas.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionsConfigSchema } from '../probes/versions/config.js';
import { extractRepository } from '../probes/versions/index.js';
import { toCycloneDx } from './cyclonedx.js';
import { toSpdx } from './spdx.js';
import { REPOSITORY } from './test-support/repository.js';
import { validateCycloneDx, validateSpdx } from './test-support/validators.js';

let root = '';

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'prodeng-sbom-'));
  for (const [path, text] of Object.entries(REPOSITORY)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  // skipped by the default excludes: not in the SBOM
  mkdirSync(join(root, 'node_modules', 'x'), { recursive: true });
  writeFileSync(join(root, 'node_modules', 'x', 'package.json'), '{"dependencies":{"evil":"1.0.0"}}');
});

afterAll(() => {
  if (root !== '') rmSync(root, { recursive: true, force: true });
});

describe('a repository on disk', () => {
  it('gives valid CycloneDX and SPDX documents of the same packages', async () => {
    const { components, errors } = await extractRepository(root, versionsConfigSchema.parse({}), new AbortController().signal);
    expect(errors.filter((e) => e.code !== 'git-missing')).toEqual([]);
    const now = new Date('2024-05-01T00:00:00Z');
    const bom = toCycloneDx(components, { name: 'shop', now, toolVersion: '0.1.0' });
    const doc = toSpdx(components, { name: 'shop', now, toolVersion: '0.1.0' });
    expect(validateCycloneDx(bom)).toEqual([]);
    expect(validateSpdx(doc)).toEqual([]);
    expect(doc.packages.length - 1).toBe(bom.components.length);
    expect(bom.components.some((c) => c.name === 'evil')).toBe(false);
    expect(bom.dependencies.find((d) => d.ref === 'pkg:npm/debug@4.3.4')?.dependsOn).toEqual(['pkg:npm/ms@2.1.2']);
    const purls = bom.components.map((c) => c.purl);
    for (const purl of ['pkg:npm/%40types/ms@0.7.34', 'pkg:pypi/django@4.2.7', 'pkg:golang/github.com/gin-gonic/gin@v1.9.1', 'pkg:maven/com.google.guava/guava@32.1.3-jre', 'pkg:docker/library/node@20.11.1-bookworm-slim']) {
      expect(purls).toContain(purl);
    }
  });
});
