/**
 * A counter of writes per system, for `changeToken()`: every recording (snapshot, test run, CI
 * records) increments its system's `changes` in the same transaction. The token was built from
 * `max(updated_at)`, a millisecond time, which two writes within one millisecond leave unchanged —
 * and a cache of the service would then keep serving what the second write changed.
 *
 * Same dialect rules as `0001-initial`.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { StoreDialect } from './index.js';

export function changeCounterMigration(dialect: StoreDialect): Migration {
  const integer = dialect === 'postgres' ? sql`bigint` : sql`integer`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`alter table systems add column changes ${integer} not null default 0`.execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await sql`alter table systems drop column changes`.execute(db);
    },
  };
}
