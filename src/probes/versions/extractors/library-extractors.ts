/**
 * The library extractors: lockfiles and manifests of the package ecosystems. See
 * readme-libraries.md for what each reads and how `direct` and `dev` are decided.
 */
import type { Extractor } from '../model.js';
import { bunLockExtractor } from './bun-lock.js';
import { cargoLockExtractor } from './cargo-lock.js';
import { composerLockExtractor } from './composer-lock.js';
import { gemfileLockExtractor } from './gemfile-lock.js';
import { goModExtractor } from './go-mod.js';
import { gradleLockfileExtractor } from './gradle-lockfile.js';
import { nugetPackagesLockExtractor } from './nuget-packages-lock.js';
import { packageJsonExtractor } from './package-json.js';
import { packageLockExtractor } from './package-lock.js';
import { pipfileLockExtractor } from './pipfile-lock.js';
import { pnpmLockExtractor } from './pnpm-lock.js';
import { poetryLockExtractor } from './poetry-lock.js';
import { pomXmlExtractor } from './pom-xml.js';
import { requirementsTxtExtractor } from './requirements-txt.js';
import { uvLockExtractor } from './uv-lock.js';
import { yarnLockExtractor } from './yarn-lock.js';

export const libraryExtractors: readonly Extractor[] = [
  packageLockExtractor,
  packageJsonExtractor,
  yarnLockExtractor,
  pnpmLockExtractor,
  bunLockExtractor,
  requirementsTxtExtractor,
  poetryLockExtractor,
  uvLockExtractor,
  pipfileLockExtractor,
  goModExtractor,
  cargoLockExtractor,
  gemfileLockExtractor,
  composerLockExtractor,
  pomXmlExtractor,
  gradleLockfileExtractor,
  nugetPackagesLockExtractor,
];
