/**
 * The one implementation of {@link Store}, written once against Kysely's query builder and run on
 * SQLite (`node:sqlite`) or PostgreSQL (`pg`). What differs between the two — opening, column
 * types, error codes — is handed in as a {@link StoreBackend}.
 */
import { createHash } from 'node:crypto';
import { CompiledQuery, sql, type Compilable, type Kysely, type QueryResult, type Transaction, type UpdateQueryBuilder, type UpdateResult } from 'kysely';
import { z } from 'zod';
import { CI_STATUSES, ciRecordSchema, type CiRecord } from '../ci/model.js';
import { reconcile, type PriorFinding } from '../core/lifecycle.js';
import type { FindingStatus, MetricRecord, ProbeRunRecord, ProbeRunStatus, SnapshotRecord } from '../core/model.js';
import {
  aspectSchema,
  canonicalLabels,
  columnsToLocation,
  compareCodeUnits,
  dataSchema,
  effortSchema,
  findingStatusSchema,
  labelsSchema,
  locationToColumns,
  parseEnumColumn,
  parseJsonColumn,
  parseSnapshotInput,
  probeErrorsSchema,
  probeRunStatusSchema,
  severitySchema,
  snapshotStatusSchema,
  suppressionSchema,
  toJsonText,
  type LocationColumns,
  type ParsedSnapshotInput,
} from './codec.js';
import { StoreError } from './errors.js';
import { SNAPSHOT_ID_CHARS, SNAPSHOT_ID_LENGTH, newSnapshotId, snapshotIdFloor, snapshotIdTime } from './ids.js';
import { migrateToLatest, type StoreDialect } from './migrations/index.js';
import { withArrayRows } from './sqlite/node-sqlite-dialect.js';
import type { CiRecordsTable, Database, FindingsTable, TestRunsTable } from './schema.js';
import type {
  FindingChange,
  FindingCount,
  FindingFilter,
  FindingRank,
  IgnoreInput,
  SnapshotHead,
  StoredIgnore,
  CiRecordsInput,
  CiRecordsOptions,
  CiRecordsRecorded,
  MetricPoint,
  SnapshotInput,
  Store,
  StoredFinding,
  SystemSummary,
  TestCaseHistory,
  TestHistory,
  TestHistoryOptions,
  TestResultInput,
  TestRunInput,
  TestRunRecorded,
  TestRunSummary,
  TestStatus,
} from './store.js';

export interface StoreBackend {
  dialect: StoreDialect;
  /** Where the database is, for messages: a path, or a URL with its password redacted. */
  where: string;
  /** Maps a driver error to a StoreError, or null when it is not one the user can act on. */
  translate(error: unknown): StoreError | null;
  /** Runs before migrations (SQLite refuses to add its tables to somebody else's database). */
  beforeMigrate?(db: Kysely<Database>): Promise<void>;
}

/**
 * Rows per multi-row INSERT. SQLite binds at most 32,766 parameters per statement and PostgreSQL
 * 65,535; a findings row has 24 columns.
 */
const FINDINGS_CHUNK = 400;
const METRICS_CHUNK = 1000;
const PROBES_CHUNK = 1000;
const IDS_CHUNK = 1000;

/**
 * Test results per INSERT: 7 columns, so 14,000 parameters (SQLite allows 32,766). Every full
 * chunk has the same SQL text, so SQLite's statement cache reuses one prepared statement.
 */
const TEST_RESULTS_CHUNK = 1000;
/**
 * Test results per INSERT on PostgreSQL, where a column is one array parameter (`unnest`): the
 * statement is the same few parameters whatever the chunk, far from the limit of 65,535, and
 * cheaper for the server to parse and plan than 1,000 rows of VALUES (7,000 parameters); a larger
 * chunk is fewer round trips. Most of what remains is the two foreign-key checks per row.
 */
const TEST_RESULTS_CHUNK_POSTGRES = 5000;
const TEST_RESULT_COLUMNS = ['run_id', 'ordinal', 'test_case_id', 'status', 'duration_seconds', 'message', 'retries'] as const;
type TestResultRow = Record<(typeof TEST_RESULT_COLUMNS)[number], string | number | null>;
/** Test keys per lookup (`test_key in (…)`) and test cases per INSERT (6 columns). */
const TEST_KEYS_CHUNK = 1000;
/** Test keys remembered per recording (key → test case id); beyond it the cache starts over. */
const TEST_KEY_CACHE = 200_000;
export const MAX_TEST_KEY_LENGTH = 512;
export const TEST_STATUSES = ['passed', 'failed', 'error', 'skipped', 'flaky'] as const satisfies readonly TestStatus[];
const TEST_STATUS_SET: ReadonlySet<string> = new Set(TEST_STATUSES);
/** Each status to itself: a status read back is checked and shared, not kept as its own string. */
const TEST_STATUS_OF: ReadonlyMap<string, TestStatus> = new Map(TEST_STATUSES.map((status) => [status, status]));
/** Results per query when reading a history back: a run of any size costs bounded memory to read. */
const HISTORY_CHUNK = 20_000;

/** The key of a test run: 24 hex characters of SHA-256 over (system, run id, attempt). */
export function testRunKey(system: string, runId: string, attempt: number): string {
  return createHash('sha256').update(`${system}\0${runId}\0${attempt}`).digest('hex').slice(0, 24);
}

/** As in codec.ts: PostgreSQL text cannot hold NUL, so both backends store U+FFFD. */
function withoutNul(value: string): string {
  return value.includes('\0') ? value.replaceAll('\0', '\uFFFD') : value;
}
const inputText = z.string().transform(withoutNul);
const inputName = inputText.pipe(z.string().min(1));
const inputTime = z.string().transform((value, context) => {
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    context.addIssue({ code: 'custom', message: `not an ISO-8601 time: ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return new Date(time).toISOString();
});
const testRunHeaderSchema = z.object({
  system: inputName,
  runId: inputName,
  attempt: z.number().int().positive().max(2_147_483_647).optional(),
  commit: inputText.nullable().optional(),
  branch: inputText.nullable().optional(),
  at: inputTime,
  source: inputName,
});
type TestRunHeader = z.infer<typeof testRunHeaderSchema>;

interface CheckedTestResult {
  key: string;
  suite: string;
  classname: string;
  name: string;
  file: string | null;
  status: TestStatus;
  durationSeconds: number | null;
  message: string | null;
  retries: number;
}

/**
 * Checks one result by hand (zod per row would cost more than the insert for a million rows).
 * Throws a TypeError naming the result; the transaction then rolls back.
 */
function checkTestResult(raw: unknown, index: number): CheckedTestResult {
  const fail = (what: string): never => {
    const key = (raw as { key?: unknown } | null)?.key;
    const which = typeof key === 'string' ? ` (${JSON.stringify(key.slice(0, 80))})` : '';
    throw new TypeError(`invalid test run input: result ${index}${which}: ${what}`);
  };
  if (typeof raw !== 'object' || raw === null) return fail('not an object');
  const r = raw as Record<keyof TestResultInput, unknown>;
  if (typeof r.key !== 'string' || r.key.length === 0 || r.key.length > MAX_TEST_KEY_LENGTH) {
    return fail(`key must be a string of 1 to ${MAX_TEST_KEY_LENGTH} characters`);
  }
  for (const field of ['suite', 'classname', 'name'] as const) if (typeof r[field] !== 'string') fail(`${field} must be a string`);
  if (r.file !== null && typeof r.file !== 'string') fail('file must be a string or null');
  if (typeof r.status !== 'string' || !TEST_STATUS_SET.has(r.status)) fail(`status must be one of ${TEST_STATUSES.join(', ')}`);
  const duration = r.durationSeconds;
  if (duration !== null && (typeof duration !== 'number' || !Number.isFinite(duration) || duration < 0)) {
    fail('durationSeconds must be a finite number ≥ 0 or null');
  }
  if (r.message !== null && typeof r.message !== 'string') fail('message must be a string or null');
  const retries = r.retries ?? 0;
  if (typeof retries !== 'number' || !Number.isInteger(retries) || retries < 0 || retries > 2_147_483_647) fail('retries must be an integer ≥ 0');
  return {
    key: withoutNul(r.key),
    suite: withoutNul(r.suite as string),
    classname: withoutNul(r.classname as string),
    name: withoutNul(r.name as string),
    file: r.file === null ? null : withoutNul(r.file as string),
    status: r.status as TestStatus,
    durationSeconds: duration as number | null,
    message: r.message === null ? null : withoutNul(r.message as string),
    retries: retries as number,
  };
}

function isIterable(value: unknown): value is Iterable<unknown> | AsyncIterable<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  return typeof (value as Record<symbol, unknown>)[Symbol.iterator] === 'function' || typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function';
}

/**
 * CI records per upsert: 15 parameters a row, so 15,000 (SQLite allows 32,766). Every full chunk
 * has the same SQL text, so the statement is compiled and prepared once (see `#executeChunk`).
 */
const CI_CHUNK = 1000;
/** The key of a row after `system_id`: its primary key, the upsert's conflict target. */
const CI_KEY_COLUMNS = ['pipeline', 'run', 'attempt', 'job', 'step'] as const satisfies readonly (keyof CiRecordsTable)[];
/** What a recording compares with the stored row and overwrites: everything but the key and `recorded_at`. */
const CI_VALUE_COLUMNS = [
  'status',
  'revision_commit',
  'revision_branch',
  'queued_at',
  'started_at',
  'finished_at',
  'url',
  'source',
] as const satisfies readonly (keyof CiRecordsTable)[];
/** Every column, in the order `toCiRow` builds them (the order Kysely binds them in). */
const CI_COLUMNS = ['system_id', ...CI_KEY_COLUMNS, ...CI_VALUE_COLUMNS, 'recorded_at'] as const satisfies readonly (keyof CiRecordsTable)[];
/** The upper bound of an `integer` column on PostgreSQL; `ciRecordSchema` allows larger attempts. */
const MAX_INTEGER = 2_147_483_647;
/** `ciRecordSchema`, plus what the columns need. */
const storableCiRecordSchema = ciRecordSchema.refine((record) => record.attempt <= MAX_INTEGER, {
  message: `Too big: expected number to be <=${MAX_INTEGER}`,
  path: ['attempt'],
});
const ciRecordsHeaderSchema = z.object({ system: inputName, source: inputName });
const ciRecordsOptionsSchema = z.object({ since: inputTime.optional(), pipeline: inputText.optional() });
const ciStatusSchema = z.enum(CI_STATUSES);
type CiKeyRow = Pick<CiRecordsTable, (typeof CI_KEY_COLUMNS)[number]>;
type StoredCiRow = Pick<CiRecordsTable, (typeof CI_KEY_COLUMNS)[number] | (typeof CI_VALUE_COLUMNS)[number]>;

/**
 * Checks one record with `ciRecordSchema` (zod: the record comes from outside, a source or a
 * file). Throws a TypeError naming the record's index; the transaction then rolls back.
 */
function checkCiRecord(raw: unknown, index: number): CiRecord {
  const parsed = storableCiRecordSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.length === 0 ? '(record)' : issue.path.map(String).join('.')}: ${issue.message}`);
  throw new TypeError(`invalid CI records input: record ${index}: ${issues.join('; ')}`);
}

function nullableText(value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : withoutNul(value);
}

/** A record as a row; `''` stands for a null job or step (see `0003-ci-records`). Keys in CI_COLUMNS order. */
function toCiRow(record: CiRecord, systemId: number, source: string, recordedAt: string): CiRecordsTable {
  return {
    system_id: systemId,
    pipeline: withoutNul(record.pipeline),
    run: withoutNul(record.run),
    attempt: record.attempt,
    job: record.job === null ? '' : withoutNul(record.job),
    step: record.step === null ? '' : withoutNul(record.step),
    status: record.status,
    revision_commit: nullableText(record.commit),
    revision_branch: nullableText(record.branch),
    queued_at: record.queuedAt,
    started_at: record.startedAt,
    finished_at: record.finishedAt,
    url: nullableText(record.url),
    source,
    recorded_at: recordedAt,
  };
}

/** The key of a row as one string (NUL cannot occur in the stored text, so it separates). */
function ciKey(row: CiKeyRow): string {
  return `${row.pipeline}\0${row.run}\0${row.attempt}\0${row.job}\0${row.step}`;
}

/** ciRecords' order: the key, strings in code-unit order (`''`, a null job or step, first). */
function compareCiRows(a: CiKeyRow, b: CiKeyRow): number {
  return (
    compareCodeUnits(a.pipeline, b.pipeline) ||
    compareCodeUnits(a.run, b.run) ||
    a.attempt - b.attempt ||
    compareCodeUnits(a.job, b.job) ||
    compareCodeUnits(a.step, b.step)
  );
}

/** Facts are any JSON value; only their syntax is checked. */
const factsSchema = z.unknown();

type FindingsUpdate = UpdateQueryBuilder<Database, 'findings', 'findings', UpdateResult>;

const ASPECT_SET: ReadonlySet<string> = new Set(aspectSchema.options);
const SEVERITY_SET: ReadonlySet<string> = new Set(severitySchema.options);
const EFFORT_SET: ReadonlySet<string> = new Set(effortSchema.options);
const FINDING_STATUS_SET: ReadonlySet<string> = new Set(findingStatusSchema.options);

/** A time argument, normalised like every stored time (`toISOString()`); a TypeError otherwise. */
function checkedTime(value: string, what: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new TypeError(`${what}: not an ISO-8601 time: ${JSON.stringify(value)}`);
  return new Date(time).toISOString();
}

/** Lower-cases A–Z only, as SQLite's lower() and PostgreSQL's under the "C" collation do. */
function asciiLower(value: string): string {
  return value.replace(/[A-Z]/g, (char) => char.toLowerCase());
}

const findingFilterSchema = z.object({
  systems: z.array(inputText).optional(),
  aspects: z.array(aspectSchema).optional(),
  severities: z.array(severitySchema).optional(),
  rules: z.array(inputText).optional(),
  state: z.enum(['open', 'resolved', 'all']),
  includeSuppressed: z.boolean().optional(),
  firstSeenAtOrBefore: inputTime.optional(),
  text: inputText.optional(),
});

const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((value) => new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'expected a real calendar date');

/** The same rules as an `ignore:` entry of prodeng.yml (config/schema.ts), for one system. */
const ignoreInputSchema = z
  .object({
    system: inputName,
    fingerprint: z.string().regex(/^[0-9a-f]{8,64}$/, 'expected 8 to 64 lower-case hex digits of a fingerprint').nullable().optional(),
    rule: z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'expected a rule id such as todo/marker').nullable().optional(),
    reason: inputText.pipe(z.string().trim().min(1, 'say why this is ignored')),
    until: calendarDate.nullable(),
  })
  .refine((input) => (input.fingerprint ?? null) !== null || (input.rule ?? null) !== null, { message: 'an ignore needs a fingerprint or a rule' });

/** The suppression an ignore puts on a finding, as JSON text: the same text the engine writes. */
function suppressionText(ignore: Pick<StoredIgnore, 'reason' | 'until'>): string {
  return JSON.stringify({ reason: ignore.reason, until: ignore.until });
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Columns of `findings` that a new observation overwrites (everything but identity and first sighting). */
const OBSERVED_COLUMNS = [
  'probe',
  'rule',
  'aspect',
  'severity',
  'title',
  'message',
  'location_path',
  'location_line',
  'location_column',
  'location_url',
  'data',
  'remediation',
  'effort',
  'suppressed',
  'state',
  'last_status',
  'last_seen',
  'last_snapshot_id',
  'resolved_at',
  'resolved_snapshot_id',
] as const satisfies readonly (keyof FindingsTable)[];

interface SnapshotRow {
  id: string;
  system: string;
  started_at: string;
  finished_at: string;
  status: string;
  revision_commit: string | null;
  revision_branch: string | null;
}

interface ProbeRunRow {
  snapshot_id: string;
  probe: string;
  status: string;
  duration_ms: number;
  errors: string;
  facts?: string | null;
}

type FindingRow = LocationColumns & {
  fingerprint: string;
  system: string;
  probe: string;
  rule: string;
  aspect: string;
  severity: string;
  title: string;
  message: string;
  status: string;
  first_seen: string;
  last_seen: string;
  data: string;
  remediation: string | null;
  effort: string | null;
  suppressed: string | null;
};

export class KyselyStore implements Store {
  readonly #db: Kysely<Database>;
  readonly #backend: StoreBackend;
  #closed = false;
  /**
   * The SQL Kysely compiled for a full chunk of a chunked statement (by name), once checked to take
   * the parameters we build by hand, in that order; null when that check failed (every chunk of it
   * is then compiled). See {@link KyselyStore.#executeChunk}.
   */
  readonly #chunkSql = new Map<string, string | null>();

  constructor(db: Kysely<Database>, backend: StoreBackend) {
    this.#db = db;
    this.#backend = backend;
  }

  /** Where the database is (path, or URL without password). */
  get where(): string {
    return this.#backend.where;
  }

  get dialect(): StoreDialect {
    return this.#backend.dialect;
  }

  /** The Kysely instance, for tests and maintenance tools inside src/store. */
  get kysely(): Kysely<Database> {
    return this.#db;
  }

  /** Runs an operation and turns the driver's errors into StoreErrors where the user can act. */
  async #guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw this.#backend.translate(error) ?? error;
    }
  }

  migrate(): Promise<void> {
    return this.#guard(async () => {
      await this.#backend.beforeMigrate?.(this.#db);
      await migrateToLatest(this.#db as Kysely<unknown>, this.#backend.dialect, this.#backend.where, (error) =>
        this.#backend.translate(error),
      );
    });
  }

  /**
   * The id of a system, created if needed; `updated_at` is touched. Upsert with an update, not "do
   * nothing": on PostgreSQL the row lock it takes serialises concurrent recordings of one system
   * until commit (SQLite's write lock already does).
   */
  async #upsertSystem(trx: Transaction<Database>, name: string, at: string): Promise<number> {
    const system = await trx
      .insertInto('systems')
      .values({ name, created_at: at, updated_at: at, changes: 1 })
      .onConflict((conflict) => conflict.column('name').doUpdateSet({ updated_at: at, changes: sql<number>`systems.changes + 1` }))
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(system.id);
  }

  async recordSnapshot(raw: SnapshotInput): Promise<string> {
    const input = parseSnapshotInput(raw);
    return this.#guard(() => this.#db.transaction().execute((trx) => this.#record(trx, input)));
  }

  async #record(trx: Transaction<Database>, input: ParsedSnapshotInput): Promise<string> {
    const at = input.startedAt;
    const recordedAt = new Date().toISOString();
    const snapshotId = newSnapshotId(Date.parse(at));

    const systemId = await this.#upsertSystem(trx, input.system, recordedAt);

    await trx
      .insertInto('snapshots')
      .values({
        id: snapshotId,
        system_id: systemId,
        started_at: at,
        finished_at: input.finishedAt,
        status: input.status,
        revision_commit: input.revision?.commit ?? null,
        revision_branch: input.revision?.branch ?? null,
        recorded_at: recordedAt,
      })
      .execute();

    const probeRows = input.probes.map((probe, ordinal) => ({
      snapshot_id: snapshotId,
      ordinal,
      probe: probe.id,
      status: probe.status,
      duration_ms: probe.durationMs,
      errors: toJsonText(probe.errors, `errors of probe ${probe.id}`),
      facts: probe.facts === undefined ? null : toJsonText(probe.facts, `facts of probe ${probe.id}`),
    }));
    for (const chunk of chunks(probeRows, PROBES_CHUNK)) await trx.insertInto('probe_runs').values(chunk).execute();

    // The lifecycle: what the store knew before, what this snapshot observed, which probes ran ok.
    const priorRows = await trx
      .selectFrom('findings')
      .select(['id', 'fingerprint', 'probe', 'state'])
      .where('system_id', '=', systemId)
      .execute();
    const prior: PriorFinding[] = priorRows.map((row) => ({
      fingerprint: row.fingerprint,
      probe: row.probe,
      state: row.state === 'resolved' ? 'resolved' : 'open',
    }));
    const observed = new Map<string, ParsedSnapshotInput['findings'][number]>();
    for (const finding of input.findings) if (!observed.has(finding.fingerprint)) observed.set(finding.fingerprint, finding);
    const probeStatus = new Map<string, ProbeRunStatus>(input.probes.map((probe) => [probe.id, probe.status]));
    const transitions = reconcile(prior, observed.keys(), probeStatus);
    const statusOf = new Map<string, FindingStatus>(transitions.map((t) => [t.fingerprint, t.status]));

    // Observed findings: insert the new ones, overwrite the current fields of known ones.
    for (const chunk of chunks([...observed.values()], FINDINGS_CHUNK)) {
      const rows = chunk.map((finding) => ({
        system_id: systemId,
        fingerprint: finding.fingerprint,
        probe: finding.probe,
        rule: finding.rule,
        aspect: finding.aspect,
        severity: finding.severity,
        title: finding.title,
        message: finding.message,
        ...locationToColumns(finding.location),
        data: toJsonText(finding.data, `data of finding ${finding.fingerprint}`),
        remediation: finding.remediation ?? null,
        effort: finding.effort ?? null,
        suppressed: finding.suppressed === undefined ? null : toJsonText(finding.suppressed, 'suppression'),
        state: 'open' as const,
        last_status: (statusOf.get(finding.fingerprint) ?? 'open') as 'new' | 'open' | 'reopened',
        first_seen: at,
        last_seen: at,
        first_snapshot_id: snapshotId,
        last_snapshot_id: snapshotId,
        resolved_at: null,
        resolved_snapshot_id: null,
      }));
      await trx
        .insertInto('findings')
        .values(rows)
        .onConflict((conflict) =>
          conflict.columns(['system_id', 'fingerprint']).doUpdateSet((eb) => {
            const set: Record<string, unknown> = {};
            for (const column of OBSERVED_COLUMNS) set[column] = eb.ref(`excluded.${column}`);
            return set as never;
          }),
        )
        .execute();
    }

    // Findings this snapshot resolved.
    const resolved = new Set(transitions.filter((t) => t.status === 'resolved').map((t) => t.fingerprint));
    const resolvedIds = priorRows.filter((row) => resolved.has(row.fingerprint)).map((row) => Number(row.id));
    for (const ids of chunks(resolvedIds, IDS_CHUNK)) {
      await trx
        .updateTable('findings')
        .set({ state: 'resolved', last_status: 'resolved', resolved_at: at, resolved_snapshot_id: snapshotId })
        .where('id', 'in', ids)
        .execute();
    }

    // Occurrences are copied from the rows just written: the observed ones (last_snapshot_id is
    // this snapshot) and the resolved ones with their last known data (resolved_snapshot_id).
    await trx
      .insertInto('finding_occurrences')
      .columns([
        'snapshot_id',
        'finding_id',
        'status',
        'severity',
        'title',
        'message',
        'location_path',
        'location_line',
        'location_column',
        'location_url',
        'data',
        'suppressed',
        'last_seen',
      ])
      .expression((eb) =>
        eb
          .selectFrom('findings')
          .select((select) => [
            select.cast<string>(select.val(snapshotId), 'text').as('snapshot_id'),
            'id',
            'last_status',
            'severity',
            'title',
            'message',
            'location_path',
            'location_line',
            'location_column',
            'location_url',
            'data',
            'suppressed',
            'last_seen',
          ])
          .where('system_id', '=', systemId)
          .where((where) =>
            where.or([where('last_snapshot_id', '=', snapshotId), where('resolved_snapshot_id', '=', snapshotId)]),
          ),
      )
      .execute();

    const metricRows = input.metrics.map((metric, ordinal) => ({
      snapshot_id: snapshotId,
      ordinal,
      system_id: systemId,
      probe: metric.probe,
      name: metric.name,
      value: metric.value,
      unit: metric.unit,
      labels: canonicalLabels(metric.labels),
    }));
    for (const chunk of chunks(metricRows, METRICS_CHUNK)) await trx.insertInto('metric_points').values(chunk).execute();

    return snapshotId;
  }

  async recordTestRun(raw: TestRunInput): Promise<TestRunRecorded> {
    const parsed = testRunHeaderSchema.safeParse(raw);
    if (!parsed.success) throw new TypeError(`invalid test run input: ${z.prettifyError(parsed.error)}`);
    if (!isIterable((raw as { results?: unknown }).results)) throw new TypeError('invalid test run input: results must be an iterable or async iterable');
    const header = parsed.data;
    return this.#guard(() => this.#db.transaction().execute((trx) => this.#recordTestRun(trx, header, raw.results)));
  }

  async #recordTestRun(
    trx: Transaction<Database>,
    input: TestRunHeader,
    results: Iterable<TestResultInput> | AsyncIterable<TestResultInput>,
  ): Promise<TestRunRecorded> {
    const recordedAt = new Date().toISOString();
    const attempt = input.attempt ?? 1;
    const systemId = await this.#upsertSystem(trx, input.system, recordedAt);
    const runKey = testRunKey(input.system, input.runId, attempt);

    const existing = await trx.selectFrom('test_runs').select(['system_id', 'run_id', 'attempt']).where('id', '=', runKey).executeTakeFirst();
    if (existing !== undefined && (Number(existing.system_id) !== systemId || existing.run_id !== input.runId || Number(existing.attempt) !== attempt)) {
      throw new Error(`test run key ${runKey} collides with run ${existing.run_id} attempt ${existing.attempt} of another system or run`);
    }
    const header: Omit<TestRunsTable, 'id' | 'system_id' | 'run_id' | 'attempt'> = {
      revision_commit: input.commit ?? null,
      revision_branch: input.branch ?? null,
      started_at: input.at,
      source: input.source,
      recorded_at: recordedAt,
      tests: 0,
      results: 0,
      passed: 0,
      failed: 0,
      errors: 0,
      skipped: 0,
      flaky: 0,
      total_seconds: 0,
    };
    if (existing === undefined) {
      await trx.insertInto('test_runs').values({ id: runKey, system_id: systemId, run_id: input.runId, attempt, ...header }).execute();
    } else {
      await trx.deleteFrom('test_results').where('run_id', '=', runKey).execute();
    }

    const cache = new Map<string, number>();
    const counts = { passed: 0, failed: 0, errors: 0, skipped: 0, flaky: 0 };
    let totalSeconds = 0;
    let ordinal = 0;
    const postgres = this.#backend.dialect === 'postgres';
    const chunkSize = postgres ? TEST_RESULTS_CHUNK_POSTGRES : TEST_RESULTS_CHUNK;
    let batch: CheckedTestResult[] = [];
    // PostgreSQL: a chunk's insert runs on the server while the next chunk is read and parsed here.
    let inserting: Promise<void> | null = null;
    const inserted = async (): Promise<void> => {
      const pending = inserting;
      inserting = null;
      await pending;
    };
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      // Before anything else is sent: should the insert fail, its error is the one to report, not
      // that the transaction was aborted.
      await inserted();
      const ids = await this.#testCaseIds(trx, systemId, batch, cache);
      if (postgres) {
        inserting = this.#insertTestResultsPostgres(trx, runKey, ordinal, batch, ids);
        // Awaited by the next flush or at the end; should reading fail first, the transaction
        // rolls back after it (the connection runs queries in order), and its error is not unhandled.
        inserting.catch(() => undefined);
      } else {
        const rows: TestResultRow[] = batch.map((result, i) => ({
          run_id: runKey,
          ordinal: ordinal + i,
          test_case_id: ids[i] ?? 0,
          status: result.status,
          duration_seconds: result.durationSeconds,
          message: result.message,
          retries: result.retries,
        }));
        await this.#insertTestResults(trx, rows);
      }
      ordinal += batch.length;
      batch = [];
    };
    for await (const raw of results) {
      const result = checkTestResult(raw, ordinal + batch.length);
      switch (result.status) {
        case 'passed':
          counts.passed++;
          break;
        case 'failed':
          counts.failed++;
          break;
        case 'error':
          counts.errors++;
          break;
        case 'skipped':
          counts.skipped++;
          break;
        case 'flaky':
          counts.flaky++;
          break;
      }
      if (result.durationSeconds !== null) totalSeconds += result.durationSeconds;
      batch.push(result);
      if (batch.length >= chunkSize) await flush();
    }
    await flush();
    await inserted();

    const distinct = await trx
      .selectFrom('test_results')
      .select((eb) => eb.fn.count('test_case_id').distinct().as('n'))
      .where('run_id', '=', runKey)
      .executeTakeFirst();
    const tests = Number(distinct?.n ?? 0);
    await trx
      .updateTable('test_runs')
      .set({ ...header, tests, results: ordinal, ...counts, total_seconds: totalSeconds })
      .where('id', '=', runKey)
      .execute();
    return { runKey, tests, inserted: ordinal, replaced: existing !== undefined };
  }

  /**
   * Runs one chunk of a chunked statement. Building and compiling a query of thousands of values
   * costs more than SQLite's execution of it, and every full chunk has the same SQL text: a full
   * chunk reuses the SQL Kysely compiled for the first one with new parameters (`parameters()`, in
   * the order Kysely binds them: checked once against Kysely's own), so SQLite's statement cache
   * also prepares it once. Other chunks are built and compiled as usual.
   */
  async #executeChunk<R>(
    trx: Transaction<Database>,
    name: string,
    full: boolean,
    build: () => Compilable<R>,
    parameters: () => unknown[],
  ): Promise<QueryResult<R>> {
    const known = full ? this.#chunkSql.get(name) : null;
    if (typeof known === 'string') return trx.executeQuery(CompiledQuery.raw(known, parameters()) as CompiledQuery<R>);
    const compiled = build().compile();
    if (known === undefined) {
      const expected = parameters();
      const same = compiled.parameters.length === expected.length && compiled.parameters.every((value, i) => value === expected[i]);
      this.#chunkSql.set(name, same ? compiled.sql : null);
    }
    return trx.executeQuery(compiled);
  }

  /** Inserts test results (see {@link KyselyStore.#executeChunk}). */
  async #insertTestResults(trx: Transaction<Database>, rows: TestResultRow[]): Promise<void> {
    await this.#executeChunk(
      trx,
      'test_results insert',
      rows.length === TEST_RESULTS_CHUNK,
      () => trx.insertInto('test_results').values(rows as never),
      () => rows.flatMap((row) => TEST_RESULT_COLUMNS.map((column) => row[column])),
    );
  }

  /**
   * Inserts test results on PostgreSQL: one statement, a column an array parameter, ordinals from
   * the row's position (`with ordinality`, from 1).
   */
  async #insertTestResultsPostgres(trx: Transaction<Database>, runKey: string, first: number, batch: CheckedTestResult[], ids: number[]): Promise<void> {
    await sql`
      insert into test_results (run_id, ordinal, test_case_id, status, duration_seconds, message, retries)
      select ${runKey}, ${first}::integer + r.n - 1, r.test_case_id, r.status, r.duration_seconds, r.message, r.retries
      from unnest(${ids}::integer[], ${batch.map((result) => result.status)}::text[], ${batch.map((result) => result.durationSeconds)}::double precision[],
        ${batch.map((result) => result.message)}::text[], ${batch.map((result) => result.retries)}::integer[])
        with ordinality as r(test_case_id, status, duration_seconds, message, retries, n)`.execute(trx);
  }

  /**
   * The test case ids of a batch's keys: from the cache, else looked up, else inserted. Existing
   * test cases take the latest suite and (non-null) file.
   */
  async #testCaseIds(trx: Transaction<Database>, systemId: number, batch: CheckedTestResult[], cache: Map<string, number>): Promise<number[]> {
    const ids = batch.map((result) => cache.get(result.key) ?? -1);
    const missing = new Map<string, CheckedTestResult>();
    batch.forEach((result, i) => {
      if (ids[i] === -1 && !missing.has(result.key)) missing.set(result.key, result);
    });
    if (missing.size === 0) return ids;
    if (cache.size + missing.size > TEST_KEY_CACHE) cache.clear();

    const changed: { id: number; suite: string; file: string | null }[] = [];
    for (const row of await this.#findTestCases(trx, systemId, [...missing.keys()])) {
      const result = missing.get(row.test_key);
      if (result === undefined) continue;
      missing.delete(row.test_key);
      cache.set(row.test_key, Number(row.id));
      if (result.suite !== row.suite || (result.file !== null && result.file !== row.file)) {
        changed.push({ id: Number(row.id), suite: result.suite, file: result.file ?? row.file });
      }
    }
    await this.#updateTestCases(trx, changed);
    for (const row of await this.#insertTestCases(trx, systemId, [...missing.values()])) {
      missing.delete(row.test_key);
      cache.set(row.test_key, Number(row.id));
    }
    if (missing.size > 0) {
      // Inserted meanwhile by a concurrent recording (PostgreSQL): they are committed now.
      for (const row of await this.#findTestCases(trx, systemId, [...missing.keys()])) cache.set(row.test_key, Number(row.id));
    }
    return batch.map((result, i) => {
      const known = ids[i] ?? -1;
      if (known !== -1) return known;
      const id = cache.get(result.key);
      if (id === undefined) throw new Error(`test case ${JSON.stringify(result.key)} could not be recorded`);
      return id;
    });
  }

  /**
   * The stored test cases of these keys. On PostgreSQL the keys are one array parameter (any
   * number, one statement); on SQLite, `in (…)` lists of a bounded number of parameters.
   */
  async #findTestCases(trx: Transaction<Database>, systemId: number, keys: string[]): Promise<{ id: number; test_key: string; suite: string; file: string | null }[]> {
    if (keys.length === 0) return [];
    if (this.#backend.dialect === 'postgres') {
      const { rows } = await sql<{ id: number; test_key: string; suite: string; file: string | null }>`
        select id, test_key, suite, file from test_cases where system_id = ${systemId} and test_key = any(${keys}::text[])`.execute(trx);
      return rows;
    }
    const found: { id: number; test_key: string; suite: string; file: string | null }[] = [];
    for (const chunk of chunks(keys, TEST_KEYS_CHUNK)) {
      found.push(...(await trx.selectFrom('test_cases').select(['id', 'test_key', 'suite', 'file']).where('system_id', '=', systemId).where('test_key', 'in', chunk).execute()));
    }
    return found;
  }

  /** Sets the latest suite and file of test cases (on PostgreSQL in one statement). */
  async #updateTestCases(trx: Transaction<Database>, changed: { id: number; suite: string; file: string | null }[]): Promise<void> {
    if (changed.length === 0) return;
    if (this.#backend.dialect === 'postgres') {
      await sql`
        update test_cases as t set suite = c.suite, file = c.file
        from unnest(${changed.map((c) => c.id)}::integer[], ${changed.map((c) => c.suite)}::text[], ${changed.map((c) => c.file)}::text[]) as c(id, suite, file)
        where t.id = c.id`.execute(trx);
      return;
    }
    for (const { id, suite, file } of changed) await trx.updateTable('test_cases').set({ suite, file }).where('id', '=', id).execute();
  }

  /**
   * Inserts test cases of keys not stored yet; returns those it inserted (a key inserted meanwhile
   * by a concurrent recording is left out).
   */
  async #insertTestCases(trx: Transaction<Database>, systemId: number, news: CheckedTestResult[]): Promise<{ id: number; test_key: string }[]> {
    if (news.length === 0) return [];
    if (this.#backend.dialect === 'postgres') {
      const { rows } = await sql<{ id: number; test_key: string }>`
        insert into test_cases (system_id, test_key, suite, classname, name, file)
        select ${systemId}, c.test_key, c.suite, c.classname, c.name, c.file
        from unnest(${news.map((r) => r.key)}::text[], ${news.map((r) => r.suite)}::text[], ${news.map((r) => r.classname)}::text[],
          ${news.map((r) => r.name)}::text[], ${news.map((r) => r.file)}::text[]) as c(test_key, suite, classname, name, file)
        on conflict (system_id, test_key) do nothing
        returning id, test_key`.execute(trx);
      return rows;
    }
    const inserted: { id: number; test_key: string }[] = [];
    for (const chunk of chunks(news, TEST_KEYS_CHUNK)) {
      const rows = await trx
        .insertInto('test_cases')
        .values(chunk.map((result) => ({ system_id: systemId, test_key: result.key, suite: result.suite, classname: result.classname, name: result.name, file: result.file })))
        .onConflict((conflict) => conflict.columns(['system_id', 'test_key']).doNothing())
        .returning(['id', 'test_key'])
        .execute();
      inserted.push(...rows.map((row) => ({ id: Number(row.id), test_key: row.test_key })));
    }
    return inserted;
  }

  listTestRuns(system: string, options?: { limit?: number }): Promise<TestRunSummary[]> {
    return this.#guard(async () => {
      let query = this.#testRunQuery()
        .where('s.name', '=', system)
        .orderBy('r.started_at', 'desc')
        .orderBy('r.run_id', 'desc')
        .orderBy('r.attempt', 'desc');
      if (options?.limit !== undefined) query = query.limit(Math.max(0, Math.floor(options.limit)));
      const rows = await query.execute();
      return rows.map((row) => this.#toTestRun(row));
    });
  }

  #testRunQuery(db: Kysely<Database> = this.#db) {
    return db
      .selectFrom('test_runs as r')
      .innerJoin('systems as s', 's.id', 'r.system_id')
      .select([
        'r.id',
        'r.run_id',
        'r.attempt',
        'r.revision_commit',
        'r.revision_branch',
        'r.started_at',
        'r.source',
        'r.recorded_at',
        'r.tests',
        'r.results',
        'r.passed',
        'r.failed',
        'r.errors',
        'r.skipped',
        'r.flaky',
        'r.total_seconds',
      ]);
  }

  #toTestRun(row: Omit<TestRunsTable, 'system_id'>): TestRunSummary {
    return {
      runKey: row.id,
      runId: row.run_id,
      attempt: Number(row.attempt),
      commit: row.revision_commit,
      branch: row.revision_branch,
      at: row.started_at,
      source: row.source,
      recordedAt: row.recorded_at,
      tests: Number(row.tests),
      results: Number(row.results),
      passed: Number(row.passed),
      failed: Number(row.failed),
      errors: Number(row.errors),
      skipped: Number(row.skipped),
      flaky: Number(row.flaky),
      totalSeconds: Number(row.total_seconds),
    };
  }

  testHistory(system: string, options: TestHistoryOptions = {}): Promise<TestHistory> {
    let since: string | undefined;
    if (options.since !== undefined) {
      const time = Date.parse(options.since);
      if (Number.isNaN(time)) return Promise.reject(new TypeError(`testHistory: since is not an ISO-8601 time: ${JSON.stringify(options.since)}`));
      since = new Date(time).toISOString();
    }
    // One read transaction: a recording that replaces a run meanwhile is seen whole or not at all.
    return this.#guard(() =>
      this.#db
        .transaction()
        .setIsolationLevel('repeatable read')
        .setAccessMode('read only')
        .execute(async (trx) => {
          let query = this.#testRunQuery(trx).where('s.name', '=', system);
          if (since !== undefined) query = query.where('r.started_at', '>=', since);
          if (options.branch !== undefined) query = query.where('r.revision_branch', '=', options.branch);
          query = query.orderBy('r.started_at', 'desc').orderBy('r.run_id', 'desc').orderBy('r.attempt', 'desc');
          if (options.limit !== undefined) query = query.limit(Math.max(0, Math.floor(options.limit)));
          const runs = (await query.execute()).reverse().map((row) => this.#toTestRun(row));

          const byCase = new Map<number, TestCaseHistory>();
          if (this.#backend.dialect === 'postgres') await this.#readResultsPostgres(trx, runs, byCase);
          else for (const [index, run] of runs.entries()) await this.#readRunResultsSqlite(trx, run.runKey, index, byCase);
          for (const ids of chunks([...byCase.keys()], IDS_CHUNK)) {
            const rows = await trx.selectFrom('test_cases').select(['id', 'test_key', 'suite', 'classname', 'name', 'file']).where('id', 'in', ids).execute();
            for (const row of rows) {
              const history = byCase.get(Number(row.id));
              if (history === undefined) continue;
              history.key = row.test_key;
              history.suite = row.suite;
              history.classname = row.classname;
              history.name = row.name;
              history.file = row.file;
            }
          }
          const tests = [...byCase.values()].sort((a, b) => compareCodeUnits(a.key, b.key));
          return { system, runs, tests };
        }),
    );
  }

  /**
   * Adds one run's results to the histories by test case id, in chunks of the run's primary key.
   * A million rows is an ordinary history: each row comes as an array of values, not an object
   * (see `withArrayRows`).
   */
  async #readRunResultsSqlite(trx: Transaction<Database>, runKey: string, runIndex: number, byCase: Map<number, TestCaseHistory>): Promise<void> {
    for (let after = -1; ; ) {
      const query = trx
        .selectFrom('test_results')
        .select(['ordinal', 'test_case_id', 'status', 'duration_seconds', 'message', 'retries'])
        .where('run_id', '=', runKey)
        .where('ordinal', '>', after)
        .orderBy('ordinal')
        .limit(HISTORY_CHUNK)
        .compile();
      const { rows } = await trx.executeQuery(withArrayRows(query));
      for (const row of rows) {
        const history = this.#historyOf(byCase, Number(row[1]));
        history.runs.push(runIndex);
        history.statuses.push(this.#checkedStatus(row[2], runKey));
        history.durations.push(row[3] === null ? null : Number(row[3]));
        history.retries.push(Number(row[5]));
        if (row[4] !== null) history.lastMessage = String(row[4]);
      }
      if (rows.length < HISTORY_CHUNK) return;
      after = Number(rows[rows.length - 1]?.[0]);
    }
  }

  /**
   * As on SQLite, but the server joins each chunk into one text (`id,status,duration,retries,…`,
   * a duration as float8's shortest exact text, as `pg` receives it in a row): turning a million
   * rows into objects in `pg` cost more than the whole query. Messages, which may hold any
   * character, come as JSON, only where not null. A chunk is a range of ordinals (at most that many
   * rows, and no sort but the aggregate's); the query also says where the next one starts. The next
   * chunk is asked for before this one is taken apart, so that the server prepares it meanwhile.
   */
  async #readResultsPostgres(trx: Transaction<Database>, runs: TestRunSummary[], byCase: Map<number, TestCaseHistory>): Promise<void> {
    const fetch = (runIndex: number, after: number) => {
      const runKey = runs[runIndex]?.runKey ?? '';
      const last = after + HISTORY_CHUNK;
      const query = sql<{ n: number; next_ordinal: number | null; fields: string | null; messages: [number, string][] | null }>`
        select count(*)::integer as n,
          (select min(ordinal) from test_results where run_id = ${runKey} and ordinal > ${last}) as next_ordinal,
          string_agg(test_case_id || ',' || status || ',' || coalesce(duration_seconds::text, '') || ',' || retries, ',' order by ordinal) as fields,
          json_agg(json_build_array(test_case_id, message) order by ordinal) filter (where message is not null) as messages
        from test_results
        where run_id = ${runKey} and ordinal > ${after} and ordinal <= ${last}`
        .execute(trx)
        .then(({ rows }) => ({ runIndex, runKey, after, chunk: rows[0] }));
      // Awaited in turn below; if reading stops at an error first, its failure is not unhandled.
      query.catch(() => undefined);
      return query;
    };
    let next = runs.length === 0 ? null : fetch(0, -1);
    while (next !== null) {
      const { runIndex, runKey, after, chunk } = await next;
      const following = chunk?.next_ordinal ?? null;
      if (following !== null) next = fetch(runIndex, Number(following) - 1);
      else next = runIndex + 1 < runs.length ? fetch(runIndex + 1, -1) : null;
      if (chunk === undefined || chunk.n === 0 || chunk.fields === null) continue;
      const fields = chunk.fields.split(',');
      // A status holding a comma (the table edited by hand) would shift every field after it.
      if (fields.length !== 4 * chunk.n) await this.#throwUnexpectedStatus(trx, runKey, after);
      for (let i = 0; i < fields.length; i += 4) {
        const history = this.#historyOf(byCase, Number(fields[i]));
        history.runs.push(runIndex);
        history.statuses.push(this.#checkedStatus(fields[i + 1], runKey));
        const duration = fields[i + 2];
        history.durations.push(duration === '' || duration === undefined ? null : Number(duration));
        history.retries.push(Number(fields[i + 3]));
      }
      // In ordinal order, after the chunk's results: the last message of a test in the chunk wins.
      for (const [id, message] of chunk.messages ?? []) this.#historyOf(byCase, Number(id)).lastMessage = message;
    }
  }

  #historyOf(byCase: Map<number, TestCaseHistory>, id: number): TestCaseHistory {
    let history = byCase.get(id);
    if (history === undefined) {
      history = { key: '', suite: '', classname: '', name: '', file: null, runs: [], statuses: [], durations: [], retries: [], lastMessage: null };
      byCase.set(id, history);
    }
    return history;
  }

  #checkedStatus(value: unknown, runKey: string): TestStatus {
    const status = typeof value === 'string' ? TEST_STATUS_OF.get(value) : undefined;
    if (status === undefined) throw this.#corruptStatus(runKey, value);
    return status;
  }

  #corruptStatus(runKey: string, value: unknown): StoreError {
    return new StoreError('corrupt', `${this.#backend.where}: a result of test run ${runKey} has the unexpected status ${JSON.stringify(value)}; the database was damaged or edited by hand.`);
  }

  async #throwUnexpectedStatus(trx: Transaction<Database>, runKey: string, after: number): Promise<never> {
    const row = await trx
      .selectFrom('test_results')
      .select('status')
      .where('run_id', '=', runKey)
      .where('ordinal', '>', after)
      .where('status', 'not in', TEST_STATUSES)
      .orderBy('ordinal')
      .limit(1)
      .executeTakeFirst();
    throw this.#corruptStatus(runKey, row?.status);
  }

  async recordCiRecords(raw: CiRecordsInput): Promise<CiRecordsRecorded> {
    const parsed = ciRecordsHeaderSchema.safeParse(raw);
    if (!parsed.success) throw new TypeError(`invalid CI records input: ${z.prettifyError(parsed.error)}`);
    if (!isIterable((raw as { records?: unknown }).records)) throw new TypeError('invalid CI records input: records must be an iterable or async iterable');
    const header = parsed.data;
    return this.#guard(() => this.#db.transaction().execute((trx) => this.#recordCiRecords(trx, header.system, header.source, raw.records)));
  }

  async #recordCiRecords(
    trx: Transaction<Database>,
    system: string,
    source: string,
    records: Iterable<CiRecord> | AsyncIterable<CiRecord>,
  ): Promise<CiRecordsRecorded> {
    const recordedAt = new Date().toISOString();
    const systemId = await this.#upsertSystem(trx, system, recordedAt);
    // Inserted = rows added; updated = rows written that were there. The upsert reports rows
    // written, not which were new (SQLite's RETURNING cannot see the old row, and PostgreSQL's
    // xmax trick is its own), so the rows added come from counting before and after. Exact: the
    // system's row lock (PostgreSQL) or the write lock (SQLite) keeps other writers of this
    // system out until commit.
    const before = await this.#ciRecordCount(trx, systemId);
    let written = 0;
    let index = 0;
    let batch: CiRecordsTable[] = [];
    const keys = new Set<string>();
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      written += await this.#upsertCiRows(trx, batch);
      batch = [];
      keys.clear();
    };
    for await (const raw of records) {
      const row = toCiRow(checkCiRecord(raw, index), systemId, source, recordedAt);
      index++;
      // One statement may not touch a row twice (PostgreSQL refuses; the counts would be wrong
      // on SQLite): a key repeated within a chunk starts the next one, so records apply in order
      // and the last of duplicates wins.
      const key = ciKey(row);
      if (keys.has(key)) await flush();
      keys.add(key);
      batch.push(row);
      if (batch.length >= CI_CHUNK) await flush();
    }
    await flush();
    const inserted = (await this.#ciRecordCount(trx, systemId)) - before;
    return { inserted, updated: written - inserted, unchanged: index - written };
  }

  /**
   * Inserts new rows and overwrites those whose values differ (everything but the key); a row
   * whose values are all equal is left alone (not written, `recorded_at` kept). Returns the rows
   * written: both backends return from RETURNING only the rows inserted or updated.
   */
  async #upsertCiRows(trx: Transaction<Database>, rows: CiRecordsTable[]): Promise<number> {
    const result = await this.#executeChunk(
      trx,
      'ci_records upsert',
      rows.length === CI_CHUNK,
      () =>
        trx
          .insertInto('ci_records')
          .values(rows)
          .onConflict((conflict) =>
            conflict
              .columns(['system_id', ...CI_KEY_COLUMNS])
              .doUpdateSet((eb) => {
                const set: Record<string, unknown> = {};
                for (const column of [...CI_VALUE_COLUMNS, 'recorded_at'] as const) set[column] = eb.ref(`excluded.${column}`);
                return set as never;
              })
              // `is distinct from`: null = null is not true, and most value columns are nullable.
              .where((eb) => eb.or(CI_VALUE_COLUMNS.map((column) => eb(eb.ref(`ci_records.${column}`), 'is distinct from', eb.ref(`excluded.${column}`))))),
          )
          .returning('attempt'),
      () => rows.flatMap((row) => CI_COLUMNS.map((column) => row[column])),
    );
    return result.rows.length;
  }

  async #ciRecordCount(db: Kysely<Database>, systemId: number): Promise<number> {
    const row = await db
      .selectFrom('ci_records')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('system_id', '=', systemId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  ciRecords(system: string, options: CiRecordsOptions = {}): Promise<CiRecord[]> {
    const parsed = ciRecordsOptionsSchema.safeParse(options);
    if (!parsed.success) return Promise.reject(new TypeError(`ciRecords: invalid options: ${z.prettifyError(parsed.error)}`));
    const { since, pipeline } = parsed.data;
    return this.#guard(async () => {
      let query = this.#db
        .selectFrom('ci_records')
        .select([...CI_KEY_COLUMNS, ...CI_VALUE_COLUMNS])
        .where('system_id', '=', (eb) => eb.selectFrom('systems').select('systems.id').where('systems.name', '=', system));
      if (pipeline !== undefined) query = query.where('pipeline', '=', pipeline);
      if (since === undefined) {
        // The primary key's order: a range scan, and the sort below finds it sorted.
        for (const column of CI_KEY_COLUMNS) query = query.orderBy(column);
      } else {
        // The expression of `ci_records_system_time_idx`. No ORDER BY here: with one, SQLite (no
        // statistics) prefers walking the primary key in order over the index, i.e. reading the
        // whole history to keep the last weeks; the sort below orders what the index found.
        query = query.where(sql<string>`coalesce(started_at, queued_at, finished_at)`, '>=', since);
      }
      const rows = await query.execute();
      for (const row of rows) row.attempt = Number(row.attempt);
      // Sorted here in code-unit order whatever the database's collation (PostgreSQL "C" and
      // SQLite order by UTF-8 bytes, which differs from JavaScript's order for a few characters).
      rows.sort(compareCiRows);
      return rows.map((row) => this.#toCiRecord(row));
    });
  }

  #toCiRecord(row: StoredCiRow): CiRecord {
    const where = `${this.#backend.where}: CI record ${row.pipeline} run ${row.run} attempt ${row.attempt}`;
    return {
      pipeline: row.pipeline,
      run: row.run,
      attempt: row.attempt,
      job: row.job === '' ? null : row.job,
      step: row.step === '' ? null : row.step,
      status: parseEnumColumn(row.status, ciStatusSchema, where, 'status'),
      commit: row.revision_commit,
      branch: row.revision_branch,
      queuedAt: row.queued_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      url: row.url,
    };
  }

  ciRecordCount(system: string): Promise<number> {
    return this.#guard(async () => {
      const row = await this.#db
        .selectFrom('ci_records')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('system_id', '=', (eb) => eb.selectFrom('systems').select('systems.id').where('systems.name', '=', system))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    });
  }

  listSystems(options: { system?: string } = {}): Promise<SystemSummary[]> {
    return this.#guard(async () => {
      const rows = await this.#db
        .selectFrom('systems as s')
        .$if(options.system !== undefined, (qb) => qb.where('s.name', '=', options.system!))
        .select((eb) => [
          's.name',
          eb
            .selectFrom('snapshots')
            .select((count) => count.fn.countAll().as('n'))
            .whereRef('snapshots.system_id', '=', 's.id')
            .as('snapshots'),
          eb
            .selectFrom('snapshots')
            .select('snapshots.id')
            .whereRef('snapshots.system_id', '=', 's.id')
            .orderBy('snapshots.started_at', 'desc')
            .orderBy('snapshots.id', 'desc')
            .limit(1)
            .as('latest_id'),
          eb
            .selectFrom('snapshots')
            .select('snapshots.started_at')
            .whereRef('snapshots.system_id', '=', 's.id')
            .orderBy('snapshots.started_at', 'desc')
            .orderBy('snapshots.id', 'desc')
            .limit(1)
            .as('latest_at'),
        ])
        .execute();
      return rows
        .map((row) => ({
          name: row.name,
          snapshots: Number(row.snapshots ?? 0),
          latestSnapshotId: row.latest_id ?? null,
          latestAt: row.latest_at ?? null,
        }))
        .sort((a, b) => compareCodeUnits(a.name, b.name));
    });
  }

  listSnapshots(system: string, options?: { limit?: number; before?: string }): Promise<SnapshotRecord[]> {
    const before = options?.before === undefined ? undefined : checkedTime(options.before, 'listSnapshots: before');
    return this.#guard(async () => {
      let query = this.#snapshotQuery()
        .where('s.name', '=', system)
        .$if(before !== undefined, (qb) => qb.where('sn.started_at', '<', before!))
        .orderBy('sn.started_at', 'desc')
        .orderBy('sn.id', 'desc');
      if (options?.limit !== undefined) query = query.limit(Math.max(0, Math.floor(options.limit)));
      const rows = await query.execute();
      const runs = await this.#probeRuns(
        rows.map((row) => row.id),
        false,
      );
      return rows.map((row) => this.#toSnapshot(row, runs.get(row.id) ?? []));
    });
  }

  getSnapshot(id: string): Promise<SnapshotRecord | null> {
    return this.#guard(async () => {
      const row = await this.#snapshotQuery().where('sn.id', '=', id).executeTakeFirst();
      if (row === undefined) return null;
      const runs = await this.#probeRuns([id], true);
      return this.#toSnapshot(row, runs.get(id) ?? []);
    });
  }

  #snapshotQuery() {
    return this.#db
      .selectFrom('snapshots as sn')
      .innerJoin('systems as s', 's.id', 'sn.system_id')
      .select([
        'sn.id',
        's.name as system',
        'sn.started_at',
        'sn.finished_at',
        'sn.status',
        'sn.revision_commit',
        'sn.revision_branch',
      ]);
  }

  async #probeRuns(snapshotIds: string[], withFacts: boolean): Promise<Map<string, ProbeRunRecord[]>> {
    const bySnapshot = new Map<string, ProbeRunRecord[]>();
    for (const ids of chunks(snapshotIds, IDS_CHUNK)) {
      const base = this.#db
        .selectFrom('probe_runs')
        .select(['snapshot_id', 'probe', 'status', 'duration_ms', 'errors'])
        .where('snapshot_id', 'in', ids)
        .orderBy('snapshot_id')
        .orderBy('ordinal');
      const rows: ProbeRunRow[] = withFacts ? await base.select('facts').execute() : await base.execute();
      for (const row of rows) {
        const list = bySnapshot.get(row.snapshot_id) ?? [];
        list.push(this.#toProbeRun(row));
        bySnapshot.set(row.snapshot_id, list);
      }
    }
    return bySnapshot;
  }

  #toProbeRun(row: ProbeRunRow): ProbeRunRecord {
    const where = `${this.#backend.where}: probe run ${row.probe} of snapshot ${row.snapshot_id}`;
    const run: ProbeRunRecord = {
      id: row.probe,
      status: parseEnumColumn(row.status, probeRunStatusSchema, where, 'status'),
      durationMs: Number(row.duration_ms),
      errors: parseJsonColumn(row.errors, probeErrorsSchema, where, 'errors'),
    };
    if (row.facts !== undefined && row.facts !== null) run.facts = parseJsonColumn(row.facts, factsSchema, where, 'facts');
    return run;
  }

  #toSnapshot(row: SnapshotRow, probes: ProbeRunRecord[]): SnapshotRecord {
    return {
      id: row.id,
      system: row.system,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      status: parseEnumColumn(row.status, snapshotStatusSchema, `${this.#backend.where}: snapshot ${row.id}`, 'status'),
      revision: row.revision_commit === null ? null : { commit: row.revision_commit, branch: row.revision_branch },
      probes,
    };
  }

  findingsAt(snapshotId: string): Promise<StoredFinding[]> {
    return this.#guard(async () => {
      const rows = await this.#db
        .selectFrom('finding_occurrences as o')
        .innerJoin('findings as f', 'f.id', 'o.finding_id')
        .innerJoin('systems as s', 's.id', 'f.system_id')
        .select([
          'f.fingerprint',
          's.name as system',
          'f.probe',
          'f.rule',
          'f.aspect',
          'o.severity',
          'o.title',
          'o.message',
          'o.location_path',
          'o.location_line',
          'o.location_column',
          'o.location_url',
          'o.status',
          'f.first_seen',
          'o.last_seen',
          'o.data',
          'f.remediation',
          'f.effort',
          'o.suppressed',
        ])
        .where('o.snapshot_id', '=', snapshotId)
        .orderBy('f.id')
        .execute();
      return rows.map((row) => this.#toFinding(row));
    });
  }

  currentFindings(system: string): Promise<StoredFinding[]> {
    return this.#guard(async () => {
      const latest = await this.#db
        .selectFrom('snapshots as sn')
        .innerJoin('systems as s', 's.id', 'sn.system_id')
        .select(['sn.id', 's.id as system_id'])
        .where('s.name', '=', system)
        .orderBy('sn.started_at', 'desc')
        .orderBy('sn.id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (latest === undefined) return [];
      const rows = await this.#currentFindingQuery()
        .where('f.system_id', '=', latest.system_id)
        .where((eb) => eb.or([eb('f.state', '=', 'open'), eb('f.resolved_snapshot_id', '=', latest.id)]))
        .orderBy('f.id')
        .execute();
      return rows.map((row) => this.#toFinding(row));
    });
  }

  #toFinding(row: FindingRow): StoredFinding {
    const where = `${this.#backend.where}: finding ${row.fingerprint} of system ${row.system}`;
    const finding: StoredFinding = {
      fingerprint: row.fingerprint,
      system: row.system,
      probe: row.probe,
      rule: row.rule,
      aspect: parseEnumColumn(row.aspect, aspectSchema, where, 'aspect'),
      severity: parseEnumColumn(row.severity, severitySchema, where, 'severity'),
      title: row.title,
      message: row.message,
      location: columnsToLocation(row),
      status: parseEnumColumn(row.status, findingStatusSchema, where, 'status'),
      firstSeen: row.first_seen,
      lastSeen: row.last_seen,
      data: parseJsonColumn(row.data, dataSchema, where, 'data'),
      remediation: row.remediation,
      effort: row.effort === null ? null : parseEnumColumn(row.effort, effortSchema, where, 'effort'),
    };
    if (row.suppressed !== null) finding.suppressed = parseJsonColumn(row.suppressed, suppressionSchema, where, 'suppressed');
    return finding;
  }

  metricsAt(snapshotId: string): Promise<MetricRecord[]> {
    return this.#guard(async () => {
      const rows = await this.#db
        .selectFrom('metric_points as m')
        .innerJoin('systems as s', 's.id', 'm.system_id')
        .select(['s.name as system', 'm.probe', 'm.name', 'm.value', 'm.unit', 'm.labels'])
        .where('m.snapshot_id', '=', snapshotId)
        .orderBy('m.ordinal')
        .execute();
      return rows.map((row) => ({
        system: row.system,
        probe: row.probe,
        name: row.name,
        value: Number(row.value),
        unit: row.unit,
        labels: parseJsonColumn(row.labels, labelsSchema, `${this.#backend.where}: metric ${row.name}`, 'labels'),
      }));
    });
  }

  metricSeries(system: string, name: string, labels?: Record<string, string>): Promise<MetricPoint[]> {
    return this.#guard(async () => {
      const rows = await this.#db
        .selectFrom('metric_points as m')
        .innerJoin('snapshots as sn', 'sn.id', 'm.snapshot_id')
        .select(['m.snapshot_id', 'sn.started_at', 'm.value', 'm.unit', 'm.labels'])
        .where('m.system_id', '=', (eb) => eb.selectFrom('systems').select('systems.id').where('systems.name', '=', system))
        .where('m.name', '=', name)
        .orderBy('sn.started_at')
        .orderBy('sn.id')
        .orderBy('m.ordinal')
        .execute();
      // Label filtering happens here rather than in SQL: JSON operators differ between the
      // dialects, and a series is small next to what the index already narrowed it to.
      const wanted = Object.entries(labels ?? {});
      const points: MetricPoint[] = [];
      for (const row of rows) {
        const pointLabels = parseJsonColumn(row.labels, labelsSchema, `${this.#backend.where}: metric ${name}`, 'labels');
        if (!wanted.every(([key, value]) => pointLabels[key] === value)) continue;
        points.push({
          snapshotId: row.snapshot_id,
          at: row.started_at,
          value: Number(row.value),
          unit: row.unit,
          labels: pointLabels,
        });
      }
      return points;
    });
  }

  metricNames(system: string): Promise<string[]> {
    return this.#guard(async () => {
      const rows = await this.#db
        .selectFrom('metric_points as m')
        .innerJoin('systems as s', 's.id', 'm.system_id')
        .select('m.name')
        .distinct()
        .where('s.name', '=', system)
        .execute();
      return rows.map((row) => row.name).sort(compareCodeUnits);
    });
  }

  resolveSnapshotRef(system: string | undefined, ref: string): Promise<string> {
    return this.#guard(() => this.#resolveSnapshotRef(system, ref.trim()));
  }

  async #resolveSnapshotRef(system: string | undefined, ref: string): Promise<string> {
    const back = /^~(\d+)$/.exec(ref);
    if (back !== null) return this.#resolveBack(system, Number(back[1]));

    const prefix = ref.toUpperCase();
    if (prefix.length < 4 || prefix.length > SNAPSHOT_ID_LENGTH || !SNAPSHOT_ID_CHARS.test(prefix)) {
      throw new StoreError(
        'not-found',
        `"${ref}" is not a snapshot reference: give a snapshot id, a prefix of one (at least 4 characters), or ~N for the N-th snapshot back from the latest (~0 is the latest).`,
      );
    }
    let query = this.#db
      .selectFrom('snapshots as sn')
      .innerJoin('systems as s', 's.id', 'sn.system_id')
      .select(['sn.id', 's.name as system', 'sn.started_at'])
      .orderBy('sn.started_at', 'desc')
      .orderBy('sn.id', 'desc')
      .limit(11);
    query = prefix.length === SNAPSHOT_ID_LENGTH ? query.where('sn.id', '=', prefix) : query.where('sn.id', 'like', `${prefix}%`);
    if (system !== undefined) query = query.where('s.name', '=', system);
    const candidates = await query.execute();
    const [only] = candidates;
    if (candidates.length === 1 && only !== undefined) return only.id;
    const scope = system === undefined ? 'in the store' : `of system "${system}"`;
    if (candidates.length === 0) {
      const recent = system === undefined ? '' : await this.#recentSnapshotsHint(system);
      throw new StoreError('not-found', `No snapshot ${scope} has an id starting with "${prefix}" at ${this.#backend.where}.${recent}`);
    }
    const listed = candidates
      .slice(0, 10)
      .map((c) => `  ${c.id}  ${c.system}  ${c.started_at}`)
      .join('\n');
    const more = candidates.length > 10 ? '\n  …and more' : '';
    throw new StoreError(
      'ambiguous',
      `"${ref}" matches several snapshots ${scope}; give more characters of the id:\n${listed}${more}`,
    );
  }

  async #resolveBack(system: string | undefined, back: number): Promise<string> {
    let name = system;
    if (name === undefined) {
      const systems = await this.#db.selectFrom('systems').select('name').orderBy('name').limit(11).execute();
      const [only] = systems;
      if (only === undefined) throw new StoreError('not-found', `No snapshot has been recorded yet at ${this.#backend.where}.`);
      if (systems.length > 1) {
        const names = systems
          .slice(0, 10)
          .map((s) => s.name)
          .sort(compareCodeUnits);
        throw new StoreError(
          'ambiguous',
          `~${back} needs a system: the store holds several (${names.join(', ')}${systems.length > 10 ? ', …' : ''}); pass --system.`,
        );
      }
      name = only.name;
    }
    const row = await this.#db
      .selectFrom('snapshots as sn')
      .innerJoin('systems as s', 's.id', 'sn.system_id')
      .select('sn.id')
      .where('s.name', '=', name)
      .orderBy('sn.started_at', 'desc')
      .orderBy('sn.id', 'desc')
      .offset(back)
      .limit(1)
      .executeTakeFirst();
    if (row !== undefined) return row.id;
    const count = await this.#db
      .selectFrom('snapshots as sn')
      .innerJoin('systems as s', 's.id', 'sn.system_id')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('s.name', '=', name)
      .executeTakeFirst();
    const n = Number(count?.n ?? 0);
    if (n === 0) throw new StoreError('not-found', `System "${name}" has no snapshots at ${this.#backend.where}.`);
    throw new StoreError(
      'not-found',
      `~${back} is past the oldest snapshot of system "${name}": it has ${n} (~0 to ~${n - 1}).`,
    );
  }

  async #recentSnapshotsHint(system: string): Promise<string> {
    const recent = await this.#snapshotQuery()
      .where('s.name', '=', system)
      .orderBy('sn.started_at', 'desc')
      .orderBy('sn.id', 'desc')
      .limit(5)
      .execute();
    if (recent.length === 0) return ` System "${system}" has no snapshots.`;
    return ` Recent snapshots of "${system}":\n${recent.map((r) => `  ${r.id}  ${r.started_at}`).join('\n')}`;
  }

  // ---------------------------------------------------------------------------------------------
  // Reads and writes of `prodeng serve` (src/serve): across systems, and without N+1 over snapshots.

  latestSnapshots(options: { atOrBefore?: string } = {}): Promise<SnapshotHead[]> {
    return this.#guard(async () => {
      const atOrBefore = options.atOrBefore === undefined ? undefined : checkedTime(options.atOrBefore, 'latestSnapshots: atOrBefore');
      // One index seek per system for the id, then one lookup of those ids: a join on the
      // correlated subquery could make the planner re-run it for every snapshot row.
      const heads = await this.#db
        .selectFrom('systems as s')
        .select((eb) => [
          's.name',
          eb
            .selectFrom('snapshots as sn')
            .select('sn.id')
            .whereRef('sn.system_id', '=', 's.id')
            .$if(atOrBefore !== undefined, (qb) => qb.where('sn.started_at', '<=', atOrBefore!))
            .orderBy('sn.started_at', 'desc')
            .orderBy('sn.id', 'desc')
            .limit(1)
            .as('id'),
        ])
        .execute();
      const ids = heads.flatMap((head) => (head.id === null || head.id === undefined ? [] : [head.id]));
      const rows = new Map<string, SnapshotRow>();
      for (const chunk of chunks(ids, IDS_CHUNK)) {
        for (const row of await this.#snapshotQuery().where('sn.id', 'in', chunk).execute()) rows.set(row.id, row);
      }
      return ids
        .flatMap((id) => {
          const row = rows.get(id);
          return row === undefined ? [] : [this.#toSnapshot(row, [])];
        })
        .map(({ system, id, startedAt, finishedAt, status }) => ({ system, id, startedAt, finishedAt, status }))
        .sort((a, b) => compareCodeUnits(a.system, b.system));
    });
  }

  openFindingCounts(options: { system?: string } = {}): Promise<FindingCount[]> {
    return this.#guard(async () => {
      const rows = await this.#db
        .selectFrom('findings as f')
        .innerJoin('systems as s', 's.id', 'f.system_id')
        .select((eb) => ['s.name as system', 'f.aspect', 'f.severity', eb.fn.countAll().as('n')])
        .where('f.state', '=', 'open')
        .where('f.suppressed', 'is', null)
        .$if(options.system !== undefined, (qb) => qb.where('s.name', '=', options.system!))
        .groupBy(['s.name', 'f.aspect', 'f.severity'])
        .execute();
      return this.#toCounts(rows);
    });
  }

  findingCountsAt(snapshotIds: readonly string[]): Promise<FindingCount[]> {
    return this.#guard(async () => {
      const totals = new Map<string, { system: string; aspect: string; severity: string; n: number }>();
      for (const chunk of chunks([...new Set(snapshotIds)], IDS_CHUNK)) {
        const rows = await this.#db
          .selectFrom('finding_occurrences as o')
          .innerJoin('findings as f', 'f.id', 'o.finding_id')
          .innerJoin('systems as s', 's.id', 'f.system_id')
          .select((eb) => ['s.name as system', 'f.aspect', 'o.severity', eb.fn.countAll().as('n')])
          .where('o.snapshot_id', 'in', chunk)
          .where('o.status', '<>', 'resolved')
          .where('o.suppressed', 'is', null)
          .groupBy(['s.name', 'f.aspect', 'o.severity'])
          .execute();
        for (const row of rows) {
          const key = `${row.system}\0${row.aspect}\0${row.severity}`;
          const total = totals.get(key) ?? { system: row.system, aspect: row.aspect, severity: row.severity, n: 0 };
          total.n += Number(row.n);
          totals.set(key, total);
        }
      }
      return this.#toCounts([...totals.values()]);
    });
  }

  #toCounts(rows: ReadonlyArray<{ system: string; aspect: string; severity: string; n: unknown }>): FindingCount[] {
    return rows
      .map((row) => {
        const where = `${this.#backend.where}: findings of system ${row.system}`;
        return {
          system: row.system,
          aspect: parseEnumColumn(row.aspect, aspectSchema, where, 'aspect'),
          severity: parseEnumColumn(row.severity, severitySchema, where, 'severity'),
          count: Number(row.n),
        };
      })
      .sort((a, b) => compareCodeUnits(a.system, b.system) || compareCodeUnits(a.aspect, b.aspect) || compareCodeUnits(a.severity, b.severity));
  }

  findingRanks(raw: FindingFilter): Promise<FindingRank[]> {
    const filter = findingFilterSchema.parse(raw);
    return this.#guard(async () => {
      let query = this.#db
        .selectFrom('findings as f')
        .innerJoin('systems as s', 's.id', 'f.system_id')
        .select([
          'f.id',
          's.name as system',
          'f.fingerprint',
          'f.aspect',
          'f.severity',
          'f.effort',
          'f.last_status',
          'f.first_seen',
          'f.last_seen',
          // A flag, not the suppression's JSON: ranking reads every finding.
          sql<number>`case when f.suppressed is null then 0 else 1 end`.as('suppressed'),
        ]);
      if (filter.state !== 'all') query = query.where('f.state', '=', filter.state);
      if (filter.systems !== undefined) query = filter.systems.length > 0 ? query.where('s.name', 'in', filter.systems) : query.where(sql<boolean>`1 = 0`);
      if (filter.aspects !== undefined) query = filter.aspects.length > 0 ? query.where('f.aspect', 'in', filter.aspects) : query.where(sql<boolean>`1 = 0`);
      if (filter.severities !== undefined) query = filter.severities.length > 0 ? query.where('f.severity', 'in', filter.severities) : query.where(sql<boolean>`1 = 0`);
      if (filter.rules !== undefined) query = filter.rules.length > 0 ? query.where('f.rule', 'in', filter.rules) : query.where(sql<boolean>`1 = 0`);
      if (filter.includeSuppressed !== true) query = query.where('f.suppressed', 'is', null);
      if (filter.firstSeenAtOrBefore !== undefined) query = query.where('f.first_seen', '<=', filter.firstSeenAtOrBefore);
      if (filter.text !== undefined && filter.text !== '') {
        // lower() and LIKE fold ASCII only, on both backends alike (PostgreSQL's "C" collation).
        const pattern = `%${asciiLower(filter.text).replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
        query = query.where((eb) =>
          eb.or(
            (['f.title', 'f.message', 'f.location_path'] as const).map((column) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`),
          ),
        );
      }
      const rows = await query.execute();
      // Tens of thousands of rows: a set lookup per column, zod (and its message) only for a bad one.
      const check = <T extends string>(value: string, known: ReadonlySet<string>, schema: z.ZodType<T>, row: { fingerprint: string; system: string }, column: string): T =>
        known.has(value) ? (value as T) : parseEnumColumn(value, schema, `${this.#backend.where}: finding ${row.fingerprint} of system ${row.system}`, column);
      return rows.map(
        (row): FindingRank => ({
          ref: Number(row.id),
          system: row.system,
          fingerprint: row.fingerprint,
          aspect: check(row.aspect, ASPECT_SET, aspectSchema, row, 'aspect'),
          severity: check(row.severity, SEVERITY_SET, severitySchema, row, 'severity'),
          effort: row.effort === null ? null : check(row.effort, EFFORT_SET, effortSchema, row, 'effort'),
          status: check(row.last_status, FINDING_STATUS_SET, findingStatusSchema, row, 'last_status'),
          firstSeen: row.first_seen,
          lastSeen: row.last_seen,
          suppressed: Number(row.suppressed) === 1,
        }),
      );
    });
  }

  /** The columns of a finding's current state, as {@link KyselyStore.#toFinding} reads them. */
  #currentFindingQuery() {
    return this.#db
      .selectFrom('findings as f')
      .innerJoin('systems as s', 's.id', 'f.system_id')
      .select([
        'f.id',
        'f.fingerprint',
        's.name as system',
        'f.probe',
        'f.rule',
        'f.aspect',
        'f.severity',
        'f.title',
        'f.message',
        'f.location_path',
        'f.location_line',
        'f.location_column',
        'f.location_url',
        'f.last_status as status',
        'f.first_seen',
        'f.last_seen',
        'f.data',
        'f.remediation',
        'f.effort',
        'f.suppressed',
      ]);
  }

  findingsByRef(refs: readonly number[]): Promise<StoredFinding[]> {
    return this.#guard(async () => {
      const byId = new Map<number, StoredFinding>();
      const wanted = [...new Set(refs.filter((ref) => Number.isSafeInteger(ref)))];
      for (const chunk of chunks(wanted, IDS_CHUNK)) {
        for (const row of await this.#currentFindingQuery().where('f.id', 'in', chunk).execute()) byId.set(Number(row.id), this.#toFinding(row));
      }
      return refs.flatMap((ref) => {
        const finding = byId.get(ref);
        return finding === undefined ? [] : [finding];
      });
    });
  }

  findingsChangedSince(since: string): Promise<StoredFinding[]> {
    const floor = snapshotIdFloor(Date.parse(checkedTime(since, 'findingsChangedSince: since')));
    return this.#guard(async () => {
      // Two steps, so that both backends start from the few recent changes rather than from every
      // open finding.
      const changed = await this.#db
        .selectFrom('finding_occurrences as o')
        .select('o.finding_id')
        .distinct()
        // Literal, so that the partial index finding_occurrences_recent_changes_idx applies.
        .where(sql<boolean>`o.status <> 'open'`)
        .where('o.status', 'in', ['new', 'reopened'])
        // Snapshot ids begin with their start time (ids.ts): a range of ids is a range of time.
        .where('o.snapshot_id', '>=', floor)
        .execute();
      const ids = changed.map((row) => Number(row.finding_id)).sort((a, b) => a - b);
      const findings: StoredFinding[] = [];
      for (const chunk of chunks(ids, IDS_CHUNK)) {
        const rows = await this.#currentFindingQuery().where('f.id', 'in', chunk).where('f.state', '=', 'open').orderBy('f.id').execute();
        for (const row of rows) findings.push(this.#toFinding(row));
      }
      return findings;
    });
  }

  findingHistory(system: string, fingerprint: string): Promise<{ finding: StoredFinding; changes: FindingChange[] } | null> {
    return this.#guard(async () => {
      const row = await this.#currentFindingQuery().where('s.name', '=', system).where('f.fingerprint', '=', fingerprint).executeTakeFirst();
      if (row === undefined) return null;
      const changes = await this.#db
        .selectFrom('finding_occurrences as o')
        .innerJoin('snapshots as sn', 'sn.id', 'o.snapshot_id')
        .select(['o.snapshot_id', 'sn.started_at', 'o.status'])
        .where('o.finding_id', '=', Number(row.id))
        // Literal, so that the partial index finding_occurrences_changes_idx applies.
        .where(sql<boolean>`o.status <> 'open'`)
        .orderBy('sn.started_at')
        .orderBy('o.snapshot_id')
        .execute();
      const where = `${this.#backend.where}: finding ${fingerprint} of system ${system}`;
      return {
        finding: this.#toFinding(row),
        changes: changes.map((change) => ({
          snapshotId: change.snapshot_id,
          at: change.started_at,
          status: parseEnumColumn(change.status, findingStatusSchema, where, 'status'),
        })),
      };
    });
  }

  latestProbeSnapshots(probe: string, options: { system?: string } = {}): Promise<Array<{ system: string; snapshotId: string; at: string }>> {
    return this.#guard(async () => {
      let query = this.#db.selectFrom('systems as s').select((eb) => [
        's.name',
        // Newest snapshots of the system first, each checked by the probe_runs primary key: stops
        // at the first one where the probe ran.
        eb
          .selectFrom('snapshots as sn')
          .innerJoin('probe_runs as pr', 'pr.snapshot_id', 'sn.id')
          .select('sn.id')
          .whereRef('sn.system_id', '=', 's.id')
          .where('pr.probe', '=', probe)
          .where('pr.status', 'in', ['ok', 'partial'])
          .orderBy('sn.started_at', 'desc')
          .orderBy('sn.id', 'desc')
          .limit(1)
          .as('id'),
      ]);
      if (options.system !== undefined) query = query.where('s.name', '=', options.system);
      const heads = (await query.execute()).flatMap((head) => (head.id === null || head.id === undefined ? [] : [{ system: head.name, id: head.id }]));
      const times = new Map<string, string>();
      for (const chunk of chunks(
        heads.map((head) => head.id),
        IDS_CHUNK,
      )) {
        for (const row of await this.#db.selectFrom('snapshots').select(['id', 'started_at']).where('id', 'in', chunk).execute()) times.set(row.id, row.started_at);
      }
      return heads
        .map((head) => ({ system: head.system, snapshotId: head.id, at: times.get(head.id) ?? '' }))
        .sort((a, b) => compareCodeUnits(a.system, b.system));
    });
  }

  probeFacts(probe: string, snapshotIds: readonly string[]): Promise<Map<string, unknown>> {
    return this.#guard(async () => {
      const facts = new Map<string, unknown>();
      for (const chunk of chunks([...new Set(snapshotIds)], IDS_CHUNK)) {
        const rows = await this.#db
          .selectFrom('probe_runs')
          .select(['snapshot_id', 'facts'])
          .where('snapshot_id', 'in', chunk)
          .where('probe', '=', probe)
          .where('facts', 'is not', null)
          .orderBy('snapshot_id')
          .orderBy('ordinal')
          .execute();
        for (const row of rows) {
          if (row.facts === null || facts.has(row.snapshot_id)) continue;
          facts.set(row.snapshot_id, parseJsonColumn(row.facts, factsSchema, `${this.#backend.where}: probe run ${probe} of snapshot ${row.snapshot_id}`, 'facts'));
        }
      }
      return facts;
    });
  }

  systemMetrics(system: string, options: { since?: string } = {}): Promise<Array<MetricPoint & { name: string; probe: string }>> {
    const since = options.since === undefined ? undefined : checkedTime(options.since, 'systemMetrics: since');
    return this.#guard(async () => {
      // No join with snapshots: an id begins with its snapshot's start time (ids.ts), so id order is
      // time order, a time range is an id range, and the time is read from the id. The rows then
      // come from one range of metric_points_system_series_idx.
      let query = this.#db
        .selectFrom('metric_points as m')
        .select(['m.name', 'm.probe', 'm.snapshot_id', 'm.value', 'm.unit', 'm.labels'])
        .where('m.system_id', '=', (eb) => eb.selectFrom('systems').select('systems.id').where('systems.name', '=', system));
      if (since !== undefined) query = query.where('m.snapshot_id', '>=', snapshotIdFloor(Date.parse(since)));
      const rows = await query.orderBy('m.name').orderBy('m.snapshot_id').orderBy('m.ordinal').execute();
      const labels = new Map<string, Record<string, string>>();
      const times = new Map<string, string>();
      return rows.map((row) => {
        let parsed = labels.get(row.labels);
        if (parsed === undefined) {
          parsed = parseJsonColumn(row.labels, labelsSchema, `${this.#backend.where}: metric ${row.name}`, 'labels');
          labels.set(row.labels, parsed);
        }
        let at = times.get(row.snapshot_id);
        if (at === undefined) {
          const time = snapshotIdTime(row.snapshot_id);
          if (time === null) throw new StoreError('corrupt', `${this.#backend.where}: metric ${row.name} belongs to ${JSON.stringify(row.snapshot_id)}, which is not a snapshot id.`);
          at = new Date(time).toISOString();
          times.set(row.snapshot_id, at);
        }
        return { name: row.name, probe: row.probe, snapshotId: row.snapshot_id, at, value: Number(row.value), unit: row.unit, labels: { ...parsed } };
      });
    });
  }

  createIgnore(raw: IgnoreInput, options: { now?: Date } = {}): Promise<{ ignore: StoredIgnore; suppressed: number }> {
    const parsed = ignoreInputSchema.safeParse(raw);
    if (!parsed.success) return Promise.reject(new TypeError(`invalid ignore: ${z.prettifyError(parsed.error)}`));
    const input = parsed.data;
    return this.#guard(() =>
      this.#db.transaction().execute(async (trx) => {
        const createdAt = (options.now ?? new Date()).toISOString();
        const row = await trx
          .insertInto('ignores')
          .values({ system: input.system, fingerprint: input.fingerprint ?? null, rule: input.rule ?? null, reason: input.reason, until: input.until, created_at: createdAt })
          .returning('id')
          .executeTakeFirstOrThrow();
        const ignore: StoredIgnore = {
          id: Number(row.id),
          system: input.system,
          fingerprint: input.fingerprint ?? null,
          rule: input.rule ?? null,
          reason: input.reason,
          until: input.until,
          createdAt,
        };
        // An ignore past its last day hides nothing (the engine reports it as expired instead).
        if (ignore.until !== null && ignore.until < createdAt.slice(0, 10)) return { ignore, suppressed: 0 };
        const result = await this.#matchingFindings(trx.updateTable('findings').set({ suppressed: suppressionText(ignore) }), ignore)
          .where('state', '=', 'open')
          .where('suppressed', 'is', null)
          .executeTakeFirst();
        return { ignore, suppressed: Number(result.numUpdatedRows) };
      }),
    );
  }

  /** Narrows an update of `findings` to the rows an ignore matches (its system, fingerprint prefix or rule). */
  #matchingFindings(query: FindingsUpdate, ignore: Pick<StoredIgnore, 'system' | 'fingerprint' | 'rule'>): FindingsUpdate {
    let narrowed = query.where('system_id', '=', (eb) => eb.selectFrom('systems').select('systems.id').where('systems.name', '=', ignore.system));
    // Fingerprints are checked as hex by ignoreInputSchema: nothing to escape in the pattern.
    if (ignore.fingerprint !== null) narrowed = narrowed.where('fingerprint', 'like', `${ignore.fingerprint}%`);
    if (ignore.rule !== null) narrowed = narrowed.where('rule', '=', ignore.rule);
    return narrowed;
  }

  changeToken(): Promise<string> {
    return this.#guard(async () => {
      // Every recording (snapshot, test run, CI records) increments its system's write counter
      // in its own transaction, so the sum moves with each one, even two in one millisecond; the
      // number of systems guards against a sum that a new system and a lost one would keep.
      // Ignores are few: their content itself is hashed, so equal tokens mean equal data even
      // when ids are reused.
      const row = await this.#db
        .selectNoFrom((eb) => [
          eb.selectFrom('systems').select((count) => count.fn.countAll().as('n')).as('systems'),
          eb.selectFrom('systems').select((sum) => sum.fn.sum('changes').as('t')).as('changes'),
        ])
        .executeTakeFirstOrThrow();
      const ignores = await this.#db.selectFrom('ignores').select(['id', 'system', 'fingerprint', 'rule', 'reason', 'until']).orderBy('id').execute();
      const hash = createHash('sha256').update(JSON.stringify(ignores.map((i) => [Number(i.id), i.system, i.fingerprint, i.rule, i.reason, i.until]))).digest('hex').slice(0, 16);
      return `${String(row.systems)}/${String(row.changes ?? 0)}/${hash}`;
    });
  }

  listIgnores(options: { system?: string } = {}): Promise<StoredIgnore[]> {
    return this.#guard(async () => {
      let query = this.#db.selectFrom('ignores').selectAll().orderBy('id');
      if (options.system !== undefined) query = query.where('system', '=', options.system);
      return (await query.execute()).map((row) => ({
        id: Number(row.id),
        system: row.system,
        fingerprint: row.fingerprint,
        rule: row.rule,
        reason: row.reason,
        until: row.until,
        createdAt: row.created_at,
      }));
    });
  }

  deleteIgnore(id: number): Promise<boolean> {
    if (!Number.isSafeInteger(id)) return Promise.resolve(false);
    return this.#guard(() =>
      this.#db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('ignores').selectAll().where('id', '=', id).executeTakeFirst();
        if (row === undefined) return false;
        await trx.deleteFrom('ignores').where('id', '=', id).execute();
        // Only the suppression this ignore wrote (same text): one of prodeng.yml stays.
        await this.#matchingFindings(trx.updateTable('findings').set({ suppressed: null }), row)
          .where('suppressed', '=', suppressionText(row))
          .execute();
        return true;
      }),
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#db.destroy();
  }
}
