/**
 * The one implementation of {@link Store}, written once against Kysely's query builder and run on
 * SQLite (`node:sqlite`) or PostgreSQL (`pg`). What differs between the two — opening, column
 * types, error codes — is handed in as a {@link StoreBackend}.
 */
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
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
import { SNAPSHOT_ID_CHARS, SNAPSHOT_ID_LENGTH, newSnapshotId } from './ids.js';
import { migrateToLatest, type StoreDialect } from './migrations/index.js';
import type { Database, FindingsTable } from './schema.js';
import type { MetricPoint, SnapshotInput, Store, StoredFinding, SystemSummary } from './store.js';

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

/** Facts are any JSON value; only their syntax is checked. */
const factsSchema = z.unknown();

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

  async recordSnapshot(raw: SnapshotInput): Promise<string> {
    const input = parseSnapshotInput(raw);
    return this.#guard(() => this.#db.transaction().execute((trx) => this.#record(trx, input)));
  }

  async #record(trx: Transaction<Database>, input: ParsedSnapshotInput): Promise<string> {
    const at = input.startedAt;
    const recordedAt = new Date().toISOString();
    const snapshotId = newSnapshotId(Date.parse(at));

    // Upsert with an update, not "do nothing": on PostgreSQL the row lock it takes serialises
    // concurrent recordings of one system until commit (SQLite's write lock already does).
    const system = await trx
      .insertInto('systems')
      .values({ name: input.system, created_at: recordedAt, updated_at: recordedAt })
      .onConflict((conflict) => conflict.column('name').doUpdateSet({ updated_at: recordedAt }))
      .returning('id')
      .executeTakeFirstOrThrow();
    const systemId = Number(system.id);

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

  listSystems(): Promise<SystemSummary[]> {
    return this.#guard(async () => {
      const rows = await this.#db
        .selectFrom('systems as s')
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

  listSnapshots(system: string, options?: { limit?: number }): Promise<SnapshotRecord[]> {
    return this.#guard(async () => {
      let query = this.#snapshotQuery()
        .where('s.name', '=', system)
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
      const rows = await this.#db
        .selectFrom('findings as f')
        .innerJoin('systems as s', 's.id', 'f.system_id')
        .select([
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
        ])
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

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#db.destroy();
  }
}
