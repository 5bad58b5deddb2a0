/**
 * The OSV format (https://ossf.github.io/osv-schema/) as a zod schema: lenient on keys it does not
 * know (they are kept), strict on what matching needs (ids, the `affected` packages, range types and
 * events). A record that fails is rejected with the path and reason of the first problem; nothing
 * here throws for bad input ({@link parseOsv} returns a result).
 */
import { z } from 'zod';
import { issuePath } from '../datasources/http.js';

/** One `severity[]` item: `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu` (others are kept and ignored). */
export const severitySchema = z.looseObject({
  type: z.string(),
  score: z.string(),
});

const EVENT_KINDS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/**
 * One event: exactly one of `introduced`, `fixed`, `last_affected`, `limit` (the spec's rule), a
 * non-empty string.
 */
export const eventSchema = z
  .looseObject({
    introduced: z.string().min(1).optional(),
    fixed: z.string().min(1).optional(),
    last_affected: z.string().min(1).optional(),
    limit: z.string().min(1).optional(),
  })
  .superRefine((value, ctx) => {
    let count = 0;
    for (const kind of EVENT_KINDS) if (value[kind] !== undefined) count++;
    if (count !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: count === 0 ? 'an event needs one of introduced, fixed, last_affected, limit' : 'an event has more than one of introduced, fixed, last_affected, limit',
      });
    }
  });

export const RANGE_TYPES = ['SEMVER', 'ECOSYSTEM', 'GIT'] as const;

export const rangeSchema = z
  .looseObject({
    type: z.enum(RANGE_TYPES),
    repo: z.string().optional(),
    events: z.array(eventSchema).min(1),
    database_specific: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((value, ctx) => {
    if (!value.events.some((event) => event.introduced !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['events'], message: 'a range needs at least one introduced event' });
    }
  });

export const packageSchema = z.looseObject({
  ecosystem: z.string().min(1),
  name: z.string().min(1),
  purl: z.string().optional(),
});

export const affectedSchema = z.looseObject({
  /** Optional in the spec: GIT-only entries (OSS-Fuzz, CVE conversions) name no package. */
  package: packageSchema.optional(),
  severity: z.array(severitySchema).nullish(),
  ranges: z.array(rangeSchema).nullish(),
  versions: z.array(z.string()).nullish(),
  ecosystem_specific: z.record(z.string(), z.unknown()).nullish(),
  database_specific: z.record(z.string(), z.unknown()).nullish(),
});

export const referenceSchema = z.looseObject({
  type: z.string(),
  url: z.string(),
});

const timestamp = z.string().refine((text) => !Number.isNaN(Date.parse(text)), { message: 'not an RFC 3339 timestamp' });

export const osvSchema = z.looseObject({
  schema_version: z.string().optional(),
  id: z
    .string()
    .min(1)
    .max(256)
    .regex(/^[^\s/\\]+$/, { message: 'an id has no spaces or slashes' }),
  modified: timestamp,
  published: timestamp.nullish(),
  withdrawn: timestamp.nullish(),
  aliases: z.array(z.string()).nullish(),
  upstream: z.array(z.string()).nullish(),
  related: z.array(z.string()).nullish(),
  summary: z.string().nullish(),
  details: z.string().nullish(),
  severity: z.array(severitySchema).nullish(),
  affected: z.array(affectedSchema).nullish(),
  references: z.array(referenceSchema).nullish(),
  database_specific: z.record(z.string(), z.unknown()).nullish(),
});

export type OsvSeverity = z.infer<typeof severitySchema>;
export type OsvEvent = z.infer<typeof eventSchema>;
export type OsvRange = z.infer<typeof rangeSchema>;
export type OsvPackage = z.infer<typeof packageSchema>;
export type OsvAffected = z.infer<typeof affectedSchema>;
export type OsvReference = z.infer<typeof referenceSchema>;
export type OsvRecord = z.infer<typeof osvSchema>;

export type ParseResult = { ok: true; record: OsvRecord } | { ok: false; reason: string };

/** Validates an already-parsed JSON value as an OSV record; the reason names the first problem's path. */
export function parseOsv(data: unknown): ParseResult {
  const result = osvSchema.safeParse(data);
  if (result.success) return { ok: true, record: result.data };
  const issue = result.error.issues[0];
  const id = typeof data === 'object' && data !== null && typeof (data as { id?: unknown }).id === 'string' ? `${(data as { id: string }).id}: ` : '';
  return { ok: false, reason: `${id}not an OSV record: ${issue ? `${issuePath(issue.path)}: ${issue.message}` : 'invalid'}` };
}

/** Parses JSON text as one OSV record; the reason says whether the JSON or the record is wrong. */
export function parseOsvText(text: string): ParseResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
  return parseOsv(data);
}

/** The event's kind and version (every valid event has exactly one). */
export function eventOf(event: OsvEvent): { kind: EventKind; version: string } {
  if (event.introduced !== undefined) return { kind: 'introduced', version: event.introduced };
  if (event.fixed !== undefined) return { kind: 'fixed', version: event.fixed };
  if (event.last_affected !== undefined) return { kind: 'last_affected', version: event.last_affected };
  return { kind: 'limit', version: event.limit ?? '*' };
}
