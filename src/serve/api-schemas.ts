/**
 * Every parameter, body and response of `prodeng serve`'s API as a zod schema: the server validates
 * what comes in with them, the tests check what goes out against them, and the OpenAPI document
 * (`/api/openapi.json`, api-openapi.ts) is generated from them, so the three cannot drift apart.
 * docs/api.md is the prose of the same contract.
 */
import { z } from 'zod';
import { ASPECTS, EFFORTS, SEVERITIES } from '../core/model.js';

// ---------------------------------------------------------------------------------------------
// Building blocks

export const severitySchema = z.enum(SEVERITIES);
export const aspectSchema = z.enum(ASPECTS);
const isoTime = z.string().describe('ISO-8601 time, UTC');
const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** A real calendar date as YYYY-MM-DD (2026-02-30 is refused). */
export const calendarDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'expected a real calendar date');

/** An ISO-8601 time with a zone (`Z` or an offset), as query parameters give it. */
const timeParam = z.iso.datetime({ offset: true, error: 'expected an ISO-8601 time such as 2026-01-31T00:00:00Z' });

/** An integer query parameter within bounds. */
function intParam(min: number, max: number, fallback: number) {
  return z.coerce
    .number({ error: 'expected a whole number' })
    .int('expected a whole number')
    .min(min, `expected at least ${min}`)
    .max(max, `expected at most ${max}`)
    .default(fallback);
}

/** A comma-separated list of values, each checked with `item`; empty items are refused. */
function listParam<T extends z.ZodType<unknown, string>>(item: T, what: string) {
  return z
    .string()
    .transform((value) => value.split(','))
    .pipe(z.array(item).min(1, `expected one or more ${what}, comma-separated`))
    .describe(`one or more ${what}, comma-separated`);
}

export const countsSchema = z.object({
  critical: z.number().int(),
  high: z.number().int(),
  medium: z.number().int(),
  low: z.number().int(),
  info: z.number().int(),
});

export const locationSchema = z.union([
  z.object({ path: z.string(), line: z.number().int().optional(), column: z.number().int().optional() }),
  z.object({ url: z.string() }),
  z.null(),
]);

export const suppressionSchema = z.object({ reason: z.string(), until: z.string().nullable() });

/** A finding as the JSON report has it (docs/report-format.md). Repository text stays text: the dashboard escapes it. */
export const findingSchema = z.object({
  fingerprint: z.string(),
  system: z.string(),
  probe: z.string(),
  rule: z.string(),
  aspect: aspectSchema,
  severity: severitySchema,
  title: z.string(),
  message: z.string(),
  location: locationSchema,
  status: z.enum(['new', 'open', 'resolved', 'reopened']),
  firstSeen: isoTime,
  lastSeen: isoTime,
  data: z.record(z.string(), z.unknown()),
  remediation: z.string().nullable(),
  effort: z.enum(EFFORTS).nullable(),
  suppressed: suppressionSchema.optional(),
  priority: z.number(),
});

const probeErrorSchema = z.object({ message: z.string(), path: z.string().optional(), code: z.string().optional() });

export const probeRunSchema = z.object({
  id: z.string(),
  status: z.enum(['ok', 'partial', 'failed', 'skipped']),
  durationMs: z.number(),
  errors: z.array(probeErrorSchema),
  facts: z.unknown().optional().describe('Only in GET /api/v1/snapshots/{id}: what the probe reported, free-form JSON'),
});

const snapshotStatusSchema = z.enum(['complete', 'partial', 'failed']);
const revisionSchema = z.object({ commit: z.string(), branch: z.string().nullable() }).nullable();

export const snapshotSchema = z.object({
  id: z.string(),
  system: z.string(),
  startedAt: isoTime,
  finishedAt: isoTime,
  status: snapshotStatusSchema,
  revision: revisionSchema,
  probes: z.array(probeRunSchema),
});

export const scheduleSchema = z.object({
  cron: z.string(),
  timezone: z.string(),
  nextRunAt: isoTime.nullable(),
  lastRunAt: isoTime.nullable(),
  lastDurationMs: z.number().nullable(),
  lastStatus: z.enum(['complete', 'partial', 'failed', 'error']).nullable(),
  running: z.boolean(),
  failures: z.number().int(),
});

export const errorSchema = z.object({
  error: z.object({
    code: z.enum(['invalid', 'unauthorized', 'read-only', 'csrf', 'forbidden', 'not-found', 'method-not-allowed', 'busy', 'too-large', 'internal', 'unavailable']),
    message: z.string(),
  }),
});
export type ErrorCode = z.infer<typeof errorSchema>['error']['code'];

// ---------------------------------------------------------------------------------------------
// Parameters and bodies (validated by the server)

export const systemNameParam = z.string().min(1, 'expected a system name').max(200, 'expected at most 200 characters');
export const fingerprintParam = z.string().regex(/^[0-9A-Za-z._:-]{1,128}$/, 'expected a fingerprint as shown in reports');
export const snapshotIdParam = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/i, 'expected a snapshot id (26 characters)');
export const ignoreIdParam = z.coerce.number({ error: 'expected an ignore id' }).int('expected an ignore id').positive('expected an ignore id');

export const snapshotsQuerySchema = z
  .object({
    limit: intParam(1, 500, 50),
    before: timeParam.optional().describe('only snapshots started before this time'),
  })
  .strict();

export const FINDING_SORTS = ['priority', 'age', 'severity', 'lastSeen'] as const;
export const findingsQuerySchema = z
  .object({
    system: listParam(systemNameParam, 'system names').optional(),
    aspect: listParam(aspectSchema, 'aspects').optional(),
    severity: listParam(severitySchema, 'severities')
      .optional()
      .describe('one severity: that one and above; several, comma-separated: exactly those'),
    rule: listParam(z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'expected a rule id such as todo/marker'), 'rule ids').optional(),
    status: z.enum(['open', 'resolved', 'all']).default('open'),
    suppressed: z.enum(['exclude', 'include']).default('exclude'),
    minAgeDays: z.coerce.number({ error: 'expected a number of days' }).min(0, 'expected 0 or more').max(36_500, 'expected at most 36500').optional(),
    q: z.string().max(200, 'expected at most 200 characters').optional().describe('text in the title, message or location path (ASCII case-insensitive)'),
    sort: z.enum(FINDING_SORTS).default('priority'),
    offset: intParam(0, 10_000_000, 0),
    limit: intParam(1, 500, 50),
    format: z.enum(['json', 'csv', 'markdown']).default('json').describe('csv and markdown export every match, without paging'),
  })
  .strict();
export type FindingsQuery = z.infer<typeof findingsQuerySchema>;

export const metricsQuerySchema = z
  .object({
    name: listParam(z.string().min(1).max(200), 'metric names').optional(),
    last: intParam(1, 5000, 365).describe('the latest N points of each series'),
  })
  .strict();

export const diffQuerySchema = z
  .object({
    from: z.string().min(1).max(64).optional().describe('snapshot id, unique id prefix, or ~N (default ~1)'),
    to: z.string().min(1).max(64).optional().describe('snapshot id, unique id prefix, or ~N (default ~0, the latest)'),
  })
  .strict();

export const eolQuerySchema = z.object({ months: intParam(1, 120, 12) }).strict();

export const testsQuerySchema = z
  .object({
    status: z.enum(['flaky', 'broken', 'slow']).optional(),
    limit: intParam(1, 1000, 30).describe('tests listed with status=slow'),
  })
  .strict();

export const emptyQuerySchema = z.object({}).strict();

export const observeBodySchema = z.object({}).strict();

export const ignoreBodySchema = z
  .object({
    system: systemNameParam,
    fingerprint: z.string().regex(/^[0-9a-f]{8,64}$/, 'expected 8 to 64 lower-case hex digits of a fingerprint').optional(),
    rule: z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'expected a rule id such as todo/marker').optional(),
    reason: z.string().trim().min(1, 'say why this is ignored').max(1000, 'expected at most 1000 characters'),
    until: calendarDateSchema.nullable().default(null).describe('the last day the ignore applies (YYYY-MM-DD); null: no end'),
  })
  .strict()
  .refine((body) => (body.fingerprint === undefined) !== (body.rule === undefined), {
    message: 'give either a fingerprint or a rule',
    path: ['fingerprint'],
  });

// ---------------------------------------------------------------------------------------------
// Responses

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  database: z.enum(['ok', 'error']),
  scheduler: z.object({ running: z.boolean(), systems: z.number().int(), failing: z.number().int() }),
});

export const metaSchema = z.object({
  version: z.string(),
  writable: z.boolean(),
  authRequired: z.boolean(),
  aspects: z.array(aspectSchema),
  severities: z.array(severitySchema),
  eolData: z.object({ source: z.string(), asOf: ymd }).nullable(),
});

export const overviewSchema = z.object({
  generatedAt: isoTime,
  systems: z.array(
    z.object({
      name: z.string(),
      latestAt: isoTime.nullable(),
      latestStatus: snapshotStatusSchema.nullable(),
      aspects: z.record(aspectSchema, z.object({ open: countsSchema, weekAgo: countsSchema.nullable() })),
    }),
  ),
  worse: z.array(findingSchema),
});

export const systemSummarySchema = z.object({
  name: z.string(),
  snapshots: z.number().int(),
  latestSnapshotId: z.string().nullable(),
  latestAt: isoTime.nullable(),
  latestStatus: snapshotStatusSchema.nullable(),
  open: countsSchema,
  schedule: scheduleSchema.nullable(),
});
export const systemsSchema = z.object({ systems: z.array(systemSummarySchema) });
export const systemDetailSchema = systemSummarySchema.extend({ latest: snapshotSchema.nullable() });

export const snapshotsSchema = z.object({ snapshots: z.array(snapshotSchema) });

export const findingsPageSchema = z.object({
  total: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int(),
  findings: z.array(findingSchema),
});

export const findingHistorySchema = z.object({
  finding: findingSchema,
  history: z.array(z.object({ snapshotId: z.string(), at: isoTime, status: z.enum(['new', 'open', 'resolved', 'reopened']) })),
});

export const metricSeriesSchema = z.object({
  series: z.array(
    z.object({
      name: z.string(),
      labels: z.record(z.string(), z.string()),
      unit: z.string(),
      probe: z.string(),
      direction: z.enum(['higher-is-worse', 'higher-is-better']).nullable(),
      points: z.array(z.object({ snapshotId: z.string(), at: isoTime, value: z.number() })),
      changePoints: z.array(
        z.object({
          index: z.number().int(),
          at: isoTime,
          before: z.number(),
          after: z.number(),
          kind: z.enum(['regression', 'improvement', 'change']),
        }),
      ),
    }),
  ),
});

const metricChangeSchema = z.object({
  probe: z.string(),
  name: z.string(),
  labels: z.record(z.string(), z.string()),
  unit: z.string(),
  from: z.number().nullable(),
  to: z.number().nullable(),
  delta: z.number().nullable(),
  deltaPercent: z.number().nullable(),
});
const snapshotRefSchema = z.object({ id: z.string(), startedAt: isoTime, status: snapshotStatusSchema, revision: revisionSchema });
export const diffSchema = z.object({
  schemaVersion: z.literal(1),
  system: z.string(),
  from: snapshotRefSchema,
  to: snapshotRefSchema,
  findings: z.object({
    new: z.array(findingSchema),
    resolved: z.array(findingSchema),
    reopened: z.array(findingSchema),
    unobserved: z.array(findingSchema),
  }),
  metrics: z.array(metricChangeSchema),
});

export const eolItemSchema = z.object({
  system: z.string(),
  component: z.string().describe('the endoflife.date product, e.g. nodejs'),
  cycle: z.string().nullable(),
  version: z.string().nullable(),
  eol: ymd,
  daysLeft: z.number().int().describe('negative once passed'),
  path: z.string().nullable().describe('the file that declares it'),
  rule: z.string().nullable().describe('the open finding about it, if any'),
  fingerprint: z.string().nullable(),
});
export const eolSchema = z.object({ asOf: ymd, items: z.array(eolItemSchema) });

export const tlsSchema = z.object({ snapshotId: z.string(), at: isoTime, endpoints: z.array(z.unknown()).describe("the tls probe's facts.endpoints") });

const flakeEvidenceSchema = z.object({
  kind: z.enum(['retry', 'same-commit', 'flips']),
  runKey: z.string(),
  runId: z.string(),
  attempt: z.number().int(),
  commit: z.string().nullable(),
  branch: z.string().nullable(),
  at: isoTime,
  status: z.enum(['passed', 'failed', 'error', 'skipped', 'flaky']),
});
export const testsSchema = z.object({
  system: z.string(),
  generatedAt: isoTime,
  runs: z.number().int(),
  excludedRuns: z.number().int(),
  tests: z.array(
    z.object({
      id: z.string(),
      suite: z.string(),
      classname: z.string(),
      name: z.string(),
      file: z.string().nullable(),
      status: z.enum(['flaky', 'broken', 'healthy']),
      state: z.enum(['flaky', 'recovered', 'broken', 'healthy']),
      score: z.number(),
      runs: z.number().int(),
      failures: z.number().int(),
      flips: z.number().int(),
      firstFlake: isoTime.nullable(),
      lastFlake: isoTime.nullable(),
      meanSeconds: z.number().nullable(),
      p95Seconds: z.number().nullable(),
      evidence: z.array(flakeEvidenceSchema).describe('flaky tests: the most recent flakes, newest first; others: empty'),
    }),
  ),
});

export const ignoreSchema = z.object({
  id: z.number().int(),
  system: z.string(),
  fingerprint: z.string().nullable(),
  rule: z.string().nullable(),
  reason: z.string(),
  until: ymd.nullable(),
  createdAt: isoTime,
});
export const ignoresSchema = z.object({ ignores: z.array(ignoreSchema) });
export const ignoreCreatedSchema = z.object({ ignore: ignoreSchema, suppressed: z.number().int().describe('current findings it suppressed at once') });
export const observeQueuedSchema = z.object({ queued: z.literal(true) });
