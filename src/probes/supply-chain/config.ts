import { z } from 'zod';
import type { ProbeOptionDoc } from '../../core/probe.js';

/**
 * Paths no rule reads unless `defaultExcludes: false`: vendored and installed code (not the
 * project's own supply chain) and test fixtures, which hold broken or dangerous inputs on purpose.
 */
export const DEFAULT_EXCLUDES = [
  '**/node_modules/**',
  '**/bower_components/**',
  '**/jspm_packages/**',
  '**/vendor/**',
  '**/third_party/**',
  '**/.venv/**',
  '**/venv/**',
  '**/site-packages/**',
  '**/.git/**',
  '**/fixtures/**',
  '**/__fixtures__/**',
  '**/testdata/**',
];

/**
 * Paths the secret scan alone skips unless `defaultExcludes: false`: lockfiles and checksum files
 * (integrity hashes are high-entropy by design), minified bundles and source maps.
 */
export const SECRET_DEFAULT_EXCLUDES = [
  '**/package-lock.json',
  '**/npm-shrinkwrap.json',
  '**/yarn.lock',
  '**/pnpm-lock.yaml',
  '**/bun.lock',
  '**/Cargo.lock',
  '**/Gemfile.lock',
  '**/gems.locked',
  '**/composer.lock',
  '**/poetry.lock',
  '**/uv.lock',
  '**/pdm.lock',
  '**/Pipfile.lock',
  '**/go.sum',
  '**/go.work.sum',
  '**/packages.lock.json',
  '**/gradle.lockfile',
  '**/flake.lock',
  '**/.terraform.lock.hcl',
  '**/*.min.js',
  '**/*.min.mjs',
  '**/*.min.css',
  '**/*.map',
  '**/*.bundle.js',
];

export const supplyChainConfigSchema = z
  .object({
    exclude: z.array(z.string().min(1)).default([]),
    defaultExcludes: z.boolean().default(true),
    maxFileSize: z.number().int().positive().default(2 * 1024 * 1024),
    maxLockfileSize: z.number().int().positive().default(64 * 1024 * 1024),
    secrets: z.boolean().default(true),
    secretExclude: z.array(z.string().min(1)).default([]),
    entropyThreshold: z.number().min(0).max(8).default(3.5),
    minSecretLength: z.number().int().min(8).max(512).default(16),
    trustedActionOwners: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'expected a GitHub user or organisation name')).default([]),
  })
  .strict();

export type SupplyChainConfig = z.infer<typeof supplyChainConfigSchema>;

export const supplyChainOptionDocs: ProbeOptionDoc[] = [
  { key: 'exclude', type: 'glob[]', default: '[]', description: 'Extra path globs no rule reads (relative to the repository).' },
  {
    key: 'defaultExcludes',
    type: 'boolean',
    default: 'true',
    description: 'Skip node_modules, vendor, third_party, virtualenvs and test fixtures (fixtures, __fixtures__, testdata); the secret scan also skips lockfiles, minified files and source maps.',
  },
  { key: 'maxFileSize', type: 'bytes', default: '2097152', description: 'Files larger than this are not read: skipped by the secret scan, an error for workflows, Dockerfiles and manifests.' },
  { key: 'maxLockfileSize', type: 'bytes', default: '67108864', description: 'Lockfiles (read for lockfile-out-of-sync) larger than this are not read.' },
  { key: 'secrets', type: 'boolean', default: 'true', description: 'Scan every text file for committed credentials (supply-chain/secret).' },
  { key: 'secretExclude', type: 'glob[]', default: '[]', description: 'Extra path globs the secret scan alone skips, e.g. ["docs/examples/**"].' },
  { key: 'entropyThreshold', type: 'number', default: '3.5', description: 'Shannon entropy (bits per character) above which a value assigned to a password/secret/token/api_key is reported.' },
  { key: 'minSecretLength', type: 'integer', default: '16', description: 'Shortest value of a generic password/secret/token assignment that is considered.' },
  { key: 'trustedActionOwners', type: 'string[]', default: '[]', description: 'GitHub owners (users or organisations) whose actions may be referenced by tag or branch without a finding.' },
];
