/**
 * What `prodeng serve` needs: ignores made through its API, and indexes for the dashboard's reads.
 *
 * `ignores`: one row per ignore made with `POST /api/v1/ignores`, applied at every observation of
 * its system like an `ignore:` entry of prodeng.yml. The system is kept by name, not as a foreign
 * key: a configured system may be ignored before its first snapshot.
 *
 * The partial indexes on `finding_occurrences` cover only the rows where a finding's status
 * changed (new, reopened, resolved) — a small share of the table, which repeats every open
 * finding at every snapshot — so that a finding's history and "what changed this week" are index
 * lookups instead of scans of the whole history. Queries must repeat the predicate
 * `status <> 'open'` literally (not as a bound parameter) for SQLite and PostgreSQL to use them.
 *
 * `findings_state_system_idx`: the findings of every system at once by state (the dashboard's
 * overview, /metrics, the cross-system findings list); on SQLite covering what ranking and counting
 * read, so that neither touches the table's wide rows (title, message, data).
 *
 * `metric_points_system_series_idx`: a system's series in one contiguous range (by name, then
 * snapshot id, which sorts by time); on SQLite covering, so the dashboard's charts read no table row.
 *
 * Same dialect rules as `0001-initial`.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { StoreDialect } from './index.js';

export function serveMigration(dialect: StoreDialect): Migration {
  const text = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('ignores')
        .addColumn('id', 'integer', (col) =>
          dialect === 'postgres' ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey(),
        )
        .addColumn('system', text, (col) => col.notNull())
        .addColumn('fingerprint', text)
        .addColumn('rule', text)
        .addColumn('reason', text, (col) => col.notNull())
        .addColumn('until', text)
        .addColumn('created_at', text, (col) => col.notNull())
        .execute();
      // The ignores of one system, read at every observation.
      await db.schema.createIndex('ignores_system_idx').on('ignores').column('system').execute();

      // A finding's history: its status changes in time order (snapshot ids sort by time).
      await db.schema
        .createIndex('finding_occurrences_changes_idx')
        .on('finding_occurrences')
        .columns(['finding_id', 'snapshot_id'])
        .where(sql<boolean>`status <> 'open'`)
        .execute();
      // Status changes since a time, across systems (the overview's "worse this week").
      await db.schema
        .createIndex('finding_occurrences_recent_changes_idx')
        .on('finding_occurrences')
        .columns(['snapshot_id', 'status'])
        .where(sql<boolean>`status <> 'open'`)
        .execute();
      // Covering on SQLite only: PostgreSQL refuses index entries over a third of a page, and a
      // suppression's reason or a label value has no length limit. PostgreSQL reads the rows from
      // its shared buffers instead.
      await db.schema
        .createIndex('findings_state_system_idx')
        .on('findings')
        .columns(
          dialect === 'sqlite'
            ? ['state', 'system_id', 'aspect', 'severity', 'rule', 'effort', 'last_status', 'first_seen', 'last_seen', 'fingerprint', 'suppressed']
            : ['state', 'system_id'],
        )
        .execute();
      await db.schema
        .createIndex('metric_points_system_series_idx')
        .on('metric_points')
        .columns(dialect === 'sqlite' ? ['system_id', 'name', 'snapshot_id', 'ordinal', 'probe', 'value', 'unit', 'labels'] : ['system_id', 'name', 'snapshot_id', 'ordinal'])
        .execute();
    },
  };
}
