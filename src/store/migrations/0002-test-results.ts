/**
 * Test results: CI runs (`test_runs`), the identities of tests (`test_cases`) and what each run
 * reported for each test (`test_results`), for flaky, broken and slow test analysis.
 *
 * `test_results` is the big one (a million rows is an ordinary history): its primary key is its
 * only index, (run, ordinal), so that writing a run appends to one place and reading a run is a
 * range scan. On SQLite the table is `WITHOUT ROWID`, so the rows live in that key's b-tree and are
 * not written twice. Same dialect rules as `0001-initial`.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { StoreDialect } from './index.js';

export function testResultsMigration(dialect: StoreDialect): Migration {
  const text = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  const double = dialect === 'postgres' ? sql`double precision` : sql`real`;

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('test_runs')
        .addColumn('id', text, (col) => col.primaryKey())
        .addColumn('system_id', 'integer', (col) => col.notNull().references('systems.id'))
        .addColumn('run_id', text, (col) => col.notNull())
        .addColumn('attempt', 'integer', (col) => col.notNull())
        .addColumn('revision_commit', text)
        .addColumn('revision_branch', text)
        .addColumn('started_at', text, (col) => col.notNull())
        .addColumn('source', text, (col) => col.notNull())
        .addColumn('recorded_at', text, (col) => col.notNull())
        .addColumn('tests', 'integer', (col) => col.notNull())
        .addColumn('results', 'integer', (col) => col.notNull())
        .addColumn('passed', 'integer', (col) => col.notNull())
        .addColumn('failed', 'integer', (col) => col.notNull())
        .addColumn('errors', 'integer', (col) => col.notNull())
        .addColumn('skipped', 'integer', (col) => col.notNull())
        .addColumn('flaky', 'integer', (col) => col.notNull())
        .addColumn('total_seconds', double, (col) => col.notNull())
        .addUniqueConstraint('test_runs_system_run_attempt_key', ['system_id', 'run_id', 'attempt'])
        .execute();
      // A system's runs in time order (testHistory, listTestRuns).
      await db.schema.createIndex('test_runs_system_started_idx').on('test_runs').columns(['system_id', 'started_at', 'run_id', 'attempt']).execute();

      await db.schema
        .createTable('test_cases')
        .addColumn('id', 'integer', (col) =>
          dialect === 'postgres' ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey(),
        )
        .addColumn('system_id', 'integer', (col) => col.notNull().references('systems.id'))
        .addColumn('test_key', text, (col) => col.notNull())
        .addColumn('suite', text, (col) => col.notNull())
        .addColumn('classname', text, (col) => col.notNull())
        .addColumn('name', text, (col) => col.notNull())
        .addColumn('file', text)
        // The lookup of a run's tests by key, and the upsert's conflict target.
        .addUniqueConstraint('test_cases_system_key_key', ['system_id', 'test_key'])
        .execute();

      await db.schema
        .createTable('test_results')
        .addColumn('run_id', text, (col) => col.notNull().references('test_runs.id'))
        .addColumn('ordinal', 'integer', (col) => col.notNull())
        .addColumn('test_case_id', 'integer', (col) => col.notNull().references('test_cases.id'))
        .addColumn('status', text, (col) => col.notNull())
        .addColumn('duration_seconds', double)
        .addColumn('message', text)
        .addColumn('retries', 'integer', (col) => col.notNull())
        .addPrimaryKeyConstraint('test_results_pk', ['run_id', 'ordinal'])
        .$call((builder) => (dialect === 'sqlite' ? builder.modifyEnd(sql`without rowid`) : builder))
        .execute();
    },
  };
}
