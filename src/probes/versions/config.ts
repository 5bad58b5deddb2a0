import { z } from 'zod';
import type { ProbeOptionDoc } from '../../core/probe.js';
import { ECOSYSTEMS } from './model.js';

/**
 * Lockfiles and manifests inside these are not what the system runs on: vendored code, installed
 * packages, virtual environments, and test fixtures (which are often broken or ancient on purpose).
 */
export const DEFAULT_EXCLUDES = [
  '**/node_modules/**',
  '**/vendor/**',
  '**/bower_components/**',
  '**/.venv/**',
  '**/venv/**',
  '**/site-packages/**',
  '**/fixtures/**',
  '**/__fixtures__/**',
  '**/testdata/**',
];

export const versionsConfigSchema = z
  .object({
    freshness: z.enum(['direct', 'all', 'none']).default('direct'),
    includeDev: z.boolean().default(true),
    registries: z.partialRecord(z.enum(ECOSYSTEMS), z.url()).default({}),
    cacheTtlHours: z.number().positive().max(24 * 365).default(24),
    concurrency: z.number().int().min(1).max(64).default(16),
    exclude: z.array(z.string().min(1)).default([]),
    defaultExcludes: z.boolean().default(true),
    maxFileSize: z.number().int().positive().default(64 * 1024 * 1024),
    eolSoonDays: z.number().int().positive().default(180),
    dataMaxAgeDays: z.number().int().positive().default(90),
    unmaintainedDays: z.number().int().positive().default(730),
  })
  .strict();

export type VersionsConfig = z.infer<typeof versionsConfigSchema>;

export const versionsOptionDocs: ProbeOptionDoc[] = [
  { key: 'freshness', type: 'direct | all | none', default: 'direct', description: 'Which libraries are looked up in their registry: direct dependencies, all (transitive too), or none.' },
  { key: 'includeDev', type: 'boolean', default: 'true', description: 'Count development dependencies in freshness findings and metrics.' },
  { key: 'registries', type: '{ecosystem: url}', default: 'public registries', description: 'Base URLs of registry mirrors, e.g. {npm: "https://npm.example.com"}.' },
  { key: 'cacheTtlHours', type: 'number', default: '24', description: 'How long a registry answer is reused from the cache.' },
  { key: 'concurrency', type: 'integer', default: '16', description: 'Registry requests in flight at once.' },
  { key: 'exclude', type: 'glob[]', default: '[]', description: 'Extra path globs whose files are not read.' },
  { key: 'defaultExcludes', type: 'boolean', default: 'true', description: 'Skip node_modules, vendor, virtualenvs, site-packages and test fixtures (fixtures, __fixtures__, testdata).' },
  { key: 'maxFileSize', type: 'bytes', default: '67108864', description: 'Manifests and lockfiles larger than this are skipped and named.' },
  { key: 'eolSoonDays', type: 'integer', default: '180', description: 'End of life within this many days is reported as versions/eol-soon.' },
  { key: 'dataMaxAgeDays', type: 'integer', default: '90', description: 'End-of-life data older than this is itself a finding (run `prodeng data update`).' },
  { key: 'unmaintainedDays', type: 'integer', default: '730', description: 'A package with no release for this long is reported as versions/unmaintained.' },
];
