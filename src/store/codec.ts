/**
 * What crosses the store's boundaries: the snapshot input (validated with zod before anything is
 * written) and the JSON text columns (validated when read back, since a hand-edited or damaged row
 * must not leak a wrong shape into reports).
 */
import { z } from 'zod';
import { ASPECTS, EFFORTS, plainObjectSchema, severitySchema, type Location } from '../core/model.js';
import { StoreError } from './errors.js';
import type { SnapshotInput } from './store.js';

export const PROBE_RUN_STATUSES = ['ok', 'partial', 'failed', 'skipped'] as const;
export const SNAPSHOT_STATUSES = ['complete', 'partial', 'failed'] as const;
export const FINDING_STATUSES = ['new', 'open', 'reopened', 'resolved'] as const;

export { severitySchema };
export const aspectSchema = z.enum(ASPECTS);
export const effortSchema = z.enum(EFFORTS);
export const probeRunStatusSchema = z.enum(PROBE_RUN_STATUSES);
export const snapshotStatusSchema = z.enum(SNAPSHOT_STATUSES);
export const findingStatusSchema = z.enum(FINDING_STATUSES);

export const probeErrorSchema = z.object({
  message: z.string(),
  path: z.string().optional(),
  code: z.string().optional(),
});
export const probeErrorsSchema = z.array(probeErrorSchema);
export const suppressionSchema = z.object({ reason: z.string(), until: z.string().nullable() });
export const dataSchema = plainObjectSchema;
export const labelsSchema = z.record(z.string(), z.string());

/**
 * Text that goes into a text column. PostgreSQL text cannot hold NUL characters (SQLite can); a
 * probe reading a binary-ish file may produce them, so both backends store U+FFFD instead and
 * behave the same. (JSON columns need nothing: JSON escapes NUL as \u0000.)
 */
const text = z.string().transform((value) => (value.includes('\0') ? value.replaceAll('\0', '\uFFFD') : value));
const name = text.pipe(z.string().min(1));

/** An ISO-8601 time, normalised to `Date#toISOString()` so that string order is time order. */
const isoTimeSchema = z.string().transform((value, context) => {
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    context.addIssue({ code: 'custom', message: `not an ISO-8601 time: ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return new Date(time).toISOString();
});

const findingInputSchema = z.object({
  probe: name,
  aspect: aspectSchema,
  rule: name,
  severity: severitySchema,
  title: text,
  message: text,
  location: z.union([
    z.object({ path: text, line: z.number().int().positive().optional(), column: z.number().int().positive().optional() }).strict(),
    z.object({ url: text }).strict(),
    z.null(),
  ]),
  fingerprint: name,
  data: dataSchema,
  remediation: text.optional(),
  effort: effortSchema.optional(),
  suppressed: suppressionSchema.optional(),
});

const metricInputSchema = z.object({
  probe: name,
  name,
  // z.number() rejects NaN and ±Infinity, which neither JSON nor SQLite's REAL keep.
  value: z.number(),
  unit: text,
  labels: labelsSchema,
});

const probeRunInputSchema = z.object({
  id: name,
  status: probeRunStatusSchema,
  durationMs: z.number(),
  errors: probeErrorsSchema,
  facts: z.unknown().optional(),
});

const snapshotInputSchema = z.object({
  system: name,
  startedAt: isoTimeSchema,
  finishedAt: isoTimeSchema,
  status: snapshotStatusSchema,
  revision: z.object({ commit: text, branch: text.nullable() }).nullable(),
  probes: z.array(probeRunInputSchema),
  findings: z.array(findingInputSchema),
  metrics: z.array(metricInputSchema),
});

export type ParsedSnapshotInput = z.infer<typeof snapshotInputSchema>;

/**
 * Validates a snapshot before the transaction starts. `data` and `facts` are only checked to be an
 * object / anything: values JSON cannot hold (a BigInt, a cycle) surface when they are serialised
 * inside the transaction, which then rolls back.
 */
export function parseSnapshotInput(input: SnapshotInput): ParsedSnapshotInput {
  const result = snapshotInputSchema.safeParse(input);
  if (!result.success) {
    throw new TypeError(`invalid snapshot input: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/** JSON text of a value; throws (inside the transaction) when JSON cannot represent it. */
export function toJsonText(value: unknown, what: string): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`${what} cannot be represented as JSON`);
  return text;
}

/** Plain code-unit order, the same whatever the database collation. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Labels as JSON with sorted keys, so that equal label sets have equal text. */
export function canonicalLabels(labels: Record<string, string>): string {
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(labels).sort(compareCodeUnits)) sorted[key] = labels[key] ?? '';
  return JSON.stringify(sorted);
}


/**
 * Parses a JSON column and checks its shape; a mismatch means the row was damaged or written by
 * something else, reported as `corrupt` with the place to look.
 */
export function parseJsonColumn<T>(text: string, schema: z.ZodType<T>, where: string, column: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StoreError('corrupt', `${where}: column ${column} holds invalid JSON; the database was damaged or edited by hand.`, {
      cause: error,
    });
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new StoreError(
      'corrupt',
      `${where}: column ${column} holds an unexpected value (${z.prettifyError(result.error)}); the database was damaged or edited by hand.`,
    );
  }
  return result.data;
}

/** Checks a text column that holds one of a few values. */
export function parseEnumColumn<T extends string>(value: string, schema: z.ZodType<T>, where: string, column: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new StoreError('corrupt', `${where}: column ${column} holds an unexpected value ${JSON.stringify(value)}.`);
  }
  return result.data;
}

export interface LocationColumns {
  location_path: string | null;
  location_line: number | null;
  location_column: number | null;
  location_url: string | null;
}

export function locationToColumns(location: Location): LocationColumns {
  if (location === null) return { location_path: null, location_line: null, location_column: null, location_url: null };
  if ('url' in location) return { location_path: null, location_line: null, location_column: null, location_url: location.url };
  return {
    location_path: location.path,
    location_line: location.line ?? null,
    location_column: location.column ?? null,
    location_url: null,
  };
}

/** The inverse of {@link locationToColumns}: only the keys that were given come back. */
export function columnsToLocation(columns: LocationColumns): Location {
  if (columns.location_path !== null) {
    const location: { path: string; line?: number; column?: number } = { path: columns.location_path };
    if (columns.location_line !== null) location.line = Number(columns.location_line);
    if (columns.location_column !== null) location.column = Number(columns.location_column);
    return location;
  }
  if (columns.location_url !== null) return { url: columns.location_url };
  return null;
}
