/**
 * Big lockfiles come back whole: every one of 5,000 packages, with its version, line and
 * dependencies. Their
 * speed is measured in bench/versions (docs/benchmarks.md), not here.
 */
import { describe, expect, it } from 'vitest';
import type { Extractor } from '../model.js';
import { cargoLockExtractor } from './cargo-lock.js';
import { packageLockExtractor } from './package-lock.js';
import { pnpmLockExtractor } from './pnpm-lock.js';
import { poetryLockExtractor } from './poetry-lock.js';
import { yarnLockExtractor } from './yarn-lock.js';
import { bigCargoLock, bigPackageLock, bigPnpmLock, bigPoetryLock, bigYarnLock, N } from './test-support/big-lockfiles.js';

// [name, extractor, path, generator, does the file say what is direct]
const CASES: [string, Extractor, string, () => string, boolean][] = [
  ['package-lock.json v3', packageLockExtractor, 'package-lock.json', () => bigPackageLock(), true],
  ['pnpm-lock.yaml v9', pnpmLockExtractor, 'pnpm-lock.yaml', () => bigPnpmLock(), true],
  ['yarn.lock v1', yarnLockExtractor, 'yarn.lock', () => bigYarnLock(), false],
  ['Cargo.lock v4', cargoLockExtractor, 'Cargo.lock', () => bigCargoLock(), true],
  ['poetry.lock 2.1', poetryLockExtractor, 'poetry.lock', () => bigPoetryLock(), false],
];

describe('5,000-package lockfiles', () => {
  for (const [name, extractor, path, make, saysDirect] of CASES) {
    it(name, () => {
      const text = make();
      const result = extractor.extract({ path, text });
      expect(result.errors).toEqual([]);
      expect(result.components).toHaveLength(N);
      expect(result.components.every((c) => c.version !== null && c.source.line !== undefined)).toBe(true);
      if (saysDirect) expect(result.components.filter((c) => c.direct).length).toBeGreaterThanOrEqual(100);
      // the dependency graph: unique ids, every package with its (generated) dependencies, none dangling
      const ids = new Set(result.components.map((c) => c.id));
      expect(ids.size).toBe(N);
      expect(result.components.every((c) => (c.dependsOn ?? []).every((id) => ids.has(id) && id !== c.id))).toBe(true);
      expect(result.components.filter((c) => (c.dependsOn ?? []).length > 0).length).toBeGreaterThan(N - 10); // package 0 depends only on itself
    });
  }
});
