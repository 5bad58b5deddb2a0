import { z } from 'zod';
import type { ProbeOptionDoc } from '../../core/probe.js';

export const DEFAULT_TAGS = ['TODO', 'FIXME', 'HACK', 'XXX', 'BUG'] as const;

/**
 * Paths skipped unless `defaultExcludes: false`: vendored code, build output, minified bundles and
 * lockfiles are not the team's own debt.
 */
export const DEFAULT_EXCLUDES = [
  '**/node_modules/**',
  '**/bower_components/**',
  '**/jspm_packages/**',
  '**/vendor/**',
  '**/third_party/**',
  '**/third-party/**',
  '**/dist/**',
  '**/.next/**',
  '**/.nuxt/**',
  '**/coverage/**',
  '**/__snapshots__/**',
  '**/*.min.js',
  '**/*.min.mjs',
  '**/*.min.css',
  '**/*.map',
  '**/*.bundle.js',
  '**/package-lock.json',
  '**/npm-shrinkwrap.json',
  '**/yarn.lock',
  '**/pnpm-lock.yaml',
  '**/bun.lock',
  '**/Cargo.lock',
  '**/Gemfile.lock',
  '**/composer.lock',
  '**/poetry.lock',
  '**/uv.lock',
  '**/go.sum',
] as const;

export const todoConfigSchema = z
  .object({
    tags: z
      .array(z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/, 'expected a word such as TODO'))
      .min(1)
      .default([...DEFAULT_TAGS]),
    exclude: z.array(z.string().min(1)).default([]),
    defaultExcludes: z.boolean().default(true),
    maxFileSize: z.number().int().positive().default(2 * 1024 * 1024),
    blame: z.boolean().default(true),
    ageDays: z
      .object({
        low: z.number().int().nonnegative().default(30),
        medium: z.number().int().nonnegative().default(365),
        high: z.number().int().nonnegative().default(730),
      })
      .strict()
      .refine((t) => t.low <= t.medium && t.medium <= t.high, 'expected low <= medium <= high')
      .default({ low: 30, medium: 365, high: 730 }),
    urgentTags: z.array(z.string()).default(['FIXME', 'BUG']),
    workers: z.number().int().min(0).max(64).default(0),
    cache: z.boolean().default(true),
  })
  .strict();

export type TodoConfig = z.infer<typeof todoConfigSchema>;

export const todoOptionDocs: ProbeOptionDoc[] = [
  { key: 'tags', type: 'string[]', default: DEFAULT_TAGS.join(', '), description: 'Marker words to find in comments.' },
  { key: 'exclude', type: 'glob[]', default: '[]', description: 'Extra path globs to skip (relative to the repository).' },
  { key: 'defaultExcludes', type: 'boolean', default: 'true', description: 'Skip vendored, generated, minified and lock files (node_modules, vendor, dist, *.min.js, ...).' },
  { key: 'maxFileSize', type: 'bytes', default: '2097152', description: 'Files larger than this are skipped and counted.' },
  { key: 'blame', type: 'boolean', default: 'true', description: 'Attribute markers to author and date with git blame.' },
  { key: 'ageDays', type: '{low, medium, high}', default: '{30, 365, 730}', description: 'Age in days at which a marker becomes low, medium, high severity (younger: info).' },
  { key: 'urgentTags', type: 'string[]', default: 'FIXME, BUG', description: 'Tags that rank one severity step higher than their age alone.' },
  {
    key: 'cache',
    type: 'boolean',
    default: 'true',
    description: "Reuse the last scan's answers for tracked files git records as unchanged, so a repeated observation reads only what changed.",
  },
  { key: 'workers', type: 'integer', default: '0 (auto)', description: 'Threads that scan, the main thread included; 0 picks by CPU count and tree size, 1 scans on the main thread alone.' },
];
