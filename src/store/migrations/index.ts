/**
 * Schema migrations, versioned in code and applied by Kysely's `Migrator` when a store opens.
 *
 * To add one: create `NNNN-what-it-does.ts` beside `0001-initial.ts` exporting a function of the
 * dialect that returns a Kysely `Migration`, and add it to {@link storeMigrations} under its file
 * name. Names sort in the order they must run; a migration, once released, never changes.
 */
import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import { StoreError, describeCause } from '../errors.js';
import { MIGRATION_LOCK_TABLE, MIGRATION_TABLE } from '../schema.js';
import { initialMigration } from './0001-initial.js';
import { testResultsMigration } from './0002-test-results.js';
import { ciRecordsMigration } from './0003-ci-records.js';
import { serveMigration } from './0004-serve.js';
import { changeCounterMigration } from './0005-change-counter.js';

export type StoreDialect = 'sqlite' | 'postgres';

export function storeMigrations(dialect: StoreDialect): Record<string, Migration> {
  return {
    '0001-initial': initialMigration(dialect),
    '0002-test-results': testResultsMigration(dialect),
    '0003-ci-records': ciRecordsMigration(dialect),
    '0004-serve': serveMigration(dialect),
    '0005-change-counter': changeCounterMigration(dialect),
  };
}

/** Tables of the database's current schema (the `main` database on SQLite). */
export async function listTables(db: Kysely<unknown>, dialect: StoreDialect): Promise<string[]> {
  const query =
    dialect === 'sqlite'
      ? sql<{ name: string }>`select name from sqlite_master where type = 'table' and substr(name, 1, 7) <> 'sqlite_'`
      : sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`;
  const { rows } = await query.execute(db);
  return rows.map((row) => row.name);
}

async function executedMigrations(db: Kysely<unknown>, dialect: StoreDialect): Promise<string[]> {
  const tables = await listTables(db, dialect);
  if (!tables.includes(MIGRATION_TABLE)) return [];
  const { rows } = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db);
  return rows.map((row) => row.name);
}

/**
 * Brings the schema up to date. Cheap when nothing is pending (one or two reads, no write, so a
 * read-only database can still be read). Safe when several processes start at once: the Migrator
 * runs the pending migrations in one transaction that holds PostgreSQL's advisory lock, or
 * SQLite's write lock (`BEGIN IMMEDIATE`), and re-reads what is executed inside it.
 *
 * @param translate maps a backend error (disk full, locked, …) to a StoreError, or null
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  dialect: StoreDialect,
  where: string,
  translate: (error: unknown) => StoreError | null,
): Promise<void> {
  const migrations = storeMigrations(dialect);
  const known = Object.keys(migrations).sort();
  const executed = await executedMigrations(db, dialect);

  const unknown = executed.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new StoreError(
      'newer-schema',
      `${where} was migrated by a newer prodeng: it has schema migration(s) ${unknown.map((name) => `"${name}"`).join(', ')} ` +
        `that this prodeng does not know (it knows up to "${known.at(-1) ?? ''}"). Upgrade prodeng, or pass --db to use another database.`,
    );
  }
  if (known.every((name) => executed.includes(name))) return;

  const provider: MigrationProvider = { getMigrations: async () => migrations };
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error === undefined) return;

  const translated = error instanceof StoreError ? error : translate(error);
  if (translated !== null) throw translated;
  const failed = results?.find((result) => result.status === 'Error')?.migrationName;
  throw new StoreError(
    'migration',
    `Migrating the schema of ${where} failed${failed === undefined ? '' : ` at "${failed}"`}: ${describeCause(error)}. ` +
      'Nothing of that migration was applied; report this as a prodeng bug, and meanwhile pass --db to use another database.',
    { cause: error },
  );
}
