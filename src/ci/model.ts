/**
 * The normalised CI record both ingest sources produce (GitHub Actions, generic JSON Lines) and the
 * analysis reads. A record is one unit of a pipeline execution at one granularity:
 *
 * - a step: `job` and `step` set;
 * - a job: `job` set, `step` null (a summary of the job, or a job without steps);
 * - a run: `job` and `step` null (a summary of the run attempt, or a run without jobs).
 *
 * A source may give any mix; the analysis prefers the summary rows of a level and derives a missing
 * level from its children (see readme.md). Times are ISO 8601 in UTC (`toISOString()` form).
 */
import { z } from 'zod';

export const CI_STATUSES = ['success', 'failure', 'cancelled', 'skipped', 'timed_out', 'in_progress', 'other'] as const;
export type CiStatus = (typeof CI_STATUSES)[number];

export interface CiRecord {
  /** The pipeline: a workflow path (`.github/workflows/ci.yml`) or name; any stable id for other CIs. */
  pipeline: string;
  /** The run id, as a string. */
  run: string;
  /** 1 for the first attempt, higher for re-runs. */
  attempt: number;
  /** The job name; null on a run row. */
  job: string | null;
  /** The step name; null on a job or run row. */
  step: string | null;
  status: CiStatus;
  /** The commit SHA built, when known. */
  commit: string | null;
  branch: string | null;
  /** When the unit was queued (for a step: its job's queue time). */
  queuedAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** A page showing the run or job (GitHub `html_url`), when the source knows one. Never credentials. */
  url?: string | null;
}

/** A normalised timestamp: `2024-05-01T10:00:00.000Z` (UTC, as `Date#toISOString` writes it). */
const utcTimestamp = z.iso.datetime({ precision: 3 });

/** The normalised record (what sources emit and storage may keep). Strict: unknown keys are refused. */
export const ciRecordSchema: z.ZodType<CiRecord> = z
  .object({
    pipeline: z.string().min(1),
    run: z.string().min(1),
    attempt: z.number().int().positive(),
    job: z.string().min(1).nullable(),
    step: z.string().min(1).nullable(),
    status: z.enum(CI_STATUSES),
    commit: z.string().nullable(),
    branch: z.string().nullable(),
    queuedAt: utcTimestamp.nullable(),
    startedAt: utcTimestamp.nullable(),
    finishedAt: utcTimestamp.nullable(),
    url: z.string().nullable().optional(),
  })
  .strict()
  .refine((record) => record.step === null || record.job !== null, { message: 'a step row needs its job', path: ['job'] });

/** `true` for the statuses of a unit that has ended (everything but `in_progress`). */
export function isFinished(status: CiStatus): boolean {
  return status !== 'in_progress';
}

const STATUS_ALIASES: Record<string, CiStatus> = {
  success: 'success',
  succeeded: 'success',
  successful: 'success',
  passed: 'success',
  pass: 'success',
  ok: 'success',
  failure: 'failure',
  failed: 'failure',
  fail: 'failure',
  error: 'failure',
  errored: 'failure',
  broken: 'failure',
  startup_failure: 'failure',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  aborted: 'cancelled',
  skipped: 'skipped',
  skip: 'skipped',
  not_run: 'skipped',
  timed_out: 'timed_out',
  timedout: 'timed_out',
  timeout: 'timed_out',
  in_progress: 'in_progress',
  running: 'in_progress',
  queued: 'in_progress',
  pending: 'in_progress',
  waiting: 'in_progress',
  requested: 'in_progress',
  created: 'in_progress',
  other: 'other',
};

/**
 * A CI system's status word as a {@link CiStatus}: case and `-`/space insensitive, with common
 * aliases (`passed`, `failed`, `canceled`, `running`…). Anything unknown is `other`.
 */
export function normaliseStatus(value: string): CiStatus {
  const key = value.trim().toLowerCase().replace(/[\s-]+/g, '_');
  return STATUS_ALIASES[key] ?? 'other';
}

/**
 * A GitHub `status` + `conclusion` pair as a {@link CiStatus}. Not completed → `in_progress`
 * (queued, waiting, pending, requested too); `neutral`, `action_required`, `stale` → `other`;
 * `startup_failure` → `failure`.
 */
export function githubStatus(status: string | null | undefined, conclusion: string | null | undefined): CiStatus {
  if (status !== 'completed') return status === null || status === undefined ? 'other' : 'in_progress';
  if (conclusion === null || conclusion === undefined) return 'other';
  const mapped = normaliseStatus(conclusion);
  return mapped === 'in_progress' ? 'other' : mapped;
}

/** ISO 8601 with a time zone (`Z` or `±hh:mm`); seconds and fractions optional. */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/**
 * An ISO 8601 timestamp with a time zone as UTC `toISOString()` form, or undefined when it is not
 * one (no zone, not a real date). Fractions beyond milliseconds are truncated.
 */
export function normaliseTimestamp(value: string): string | undefined {
  const text = value.trim();
  if (!ISO_WITH_ZONE.test(text)) return undefined;
  // Date.parse takes at most milliseconds reliably: cut longer fractions first.
  const ms = Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
  if (Number.isNaN(ms)) return undefined;
  // Date.parse rolls 2024-02-30 over to March: the calendar day must survive the round trip
  // (compared in the stated offset, so a day written in local time is checked as written).
  const offset = /(?:Z|([+-])(\d{2}):(\d{2}))$/i.exec(text);
  const offsetMinutes = offset?.[1] ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
  const local = new Date(ms + offsetMinutes * 60_000).toISOString();
  if (local.slice(0, 16) !== `${text.slice(0, 10)}T${text.slice(11, 16)}`) return undefined;
  return new Date(ms).toISOString();
}

/** Milliseconds since the epoch for a record timestamp, or null (absent or unreadable). */
export function timeOf(value: string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}
