/**
 * CI records: the normalised rows of `ci/model.ts` (`CiRecord`: one per run, job or step of a
 * pipeline execution), as the GitHub Actions and JSON Lines sources give them, kept so the CI
 * analysis can be run over a system's history instead of a fresh download each time.
 *
 * One row per (system, pipeline, run, attempt, job, step): recording the same records again
 * updates them in place (an execution first seen in progress is later seen finished). `job` and
 * `step` are NOT NULL with `''` standing for null, because a primary key needs NOT NULL columns on
 * PostgreSQL, and because two NULLs never conflict, so a run row (job and step null) could not be
 * upserted on either backend. `''` is a safe sentinel: `ciRecordSchema` refuses empty job and step
 * names. It also sorts first, so "nulls first" is the key's own order.
 *
 * On SQLite the table is `WITHOUT ROWID` (as `test_results`): the rows live in the primary key's
 * b-tree, so the key's text is not written twice, an upsert touches one b-tree plus the time
 * index, and reading a system's records in key order is one range scan. Same dialect rules as
 * `0001-initial`.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { StoreDialect } from './index.js';

export function ciRecordsMigration(dialect: StoreDialect): Migration {
  const text = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('ci_records')
        .addColumn('system_id', 'integer', (col) => col.notNull().references('systems.id'))
        .addColumn('pipeline', text, (col) => col.notNull())
        .addColumn('run', text, (col) => col.notNull())
        .addColumn('attempt', 'integer', (col) => col.notNull())
        .addColumn('job', text, (col) => col.notNull())
        .addColumn('step', text, (col) => col.notNull())
        .addColumn('status', text, (col) => col.notNull())
        .addColumn('revision_commit', text)
        .addColumn('revision_branch', text)
        .addColumn('queued_at', text)
        .addColumn('started_at', text)
        .addColumn('finished_at', text)
        .addColumn('url', text)
        .addColumn('source', text, (col) => col.notNull())
        .addColumn('recorded_at', text, (col) => col.notNull())
        // The upsert's conflict target, the lookup of a chunk's stored rows, and ciRecords' order.
        .addPrimaryKeyConstraint('ci_records_pk', ['system_id', 'pipeline', 'run', 'attempt', 'job', 'step'])
        .$call((builder) => (dialect === 'sqlite' ? builder.modifyEnd(sql`without rowid`) : builder))
        .execute();
      // A system's records in time order: ciRecords' `since` filters on this very expression (a
      // record's time is its start, else its queue time, else its end), so both backends can
      // answer "the last N weeks" from the index instead of scanning the whole history.
      await db.schema
        .createIndex('ci_records_system_time_idx')
        .on('ci_records')
        .column('system_id')
        .expression(sql`coalesce(started_at, queued_at, finished_at)`)
        .execute();
    },
  };
}
