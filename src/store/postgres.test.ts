/**
 * The store on PostgreSQL, at PRODENG_TEST_POSTGRES_URL, in a database of its own; gated as
 * test/support/postgres.ts describes (required in CI, skipped with a reason elsewhere).
 */
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyStore } from './kysely-store.js';
import { openKyselyStore, openStore } from './open.js';
import { redactUrl, translatePostgresError } from './postgres/postgres-store.js';
import { DATA_TABLES } from './schema.js';
import { describeStoreConformance, finding, snapshotInput, expectStoreError, testResult, testRun } from './store-conformance.js';
import {
  createTestDatabase,
  dropTestDatabases,
  postgresAdmin,
  postgresBaseUrl,
} from '../../test/support/postgres.js';

const baseUrl = postgresBaseUrl;
const admin = postgresAdmin;
const createDatabase = createTestDatabase;
const dropDatabases = dropTestDatabases;

describe(
  'PostgreSQL store',
  () => {
    let url = '';

    beforeAll(async () => {
      url = await createDatabase();
    });

    afterAll(async () => {
      await dropDatabases();
    });

    describeStoreConformance('PostgreSQL (pg)', async () => {
      const store = await openKyselyStore(url);
      return {
        store,
        async cleanup() {
          // One database per file; between tests, empty the data tables (the schema stays).
          await emptyTables(store);
          await store.close();
        },
        execute: async (statement) => void (await sql.raw(statement).execute(store.kysely)),
      };
    });

    it('migrates a fresh database once when several processes start at once', async () => {
      const fresh = await createDatabase();
      const stores = await Promise.all(Array.from({ length: 4 }, () => openStore(fresh)));
      const ids = await Promise.all(stores.map((store, i) => store.recordSnapshot(snapshotInput(i, { findings: [finding('a')] }))));
      expect(new Set(ids).size).toBe(4);
      const [first] = stores;
      expect((await first?.listSnapshots('web'))?.length).toBe(4);
      // Serialised per system: exactly one snapshot saw `a` as new.
      const statuses = await Promise.all(ids.map(async (id) => (await first?.findingsAt(id))?.[0]?.status));
      expect(statuses.filter((s) => s === 'new')).toHaveLength(1);
      await Promise.all(stores.map((store) => store.close()));
      const rows = await admin((client) => client.query(`select count(*)::int as n from pg_database where datname = $1`, [new URL(fresh).pathname.slice(1)]));
      expect(rows.rows[0]).toEqual({ n: 1 });
    });

    it('records test runs of one system from several processes at once, sharing the new test cases', async () => {
      const fresh = await createDatabase();
      const stores = await Promise.all(Array.from({ length: 3 }, () => openStore(fresh)));
      const results = Array.from({ length: 12_000 }, (_, i) => testResult(`t::case${i % 9000}`, i % 5 === 0 ? 'failed' : 'passed'));
      const recorded = await Promise.all(stores.map((store, i) => store.recordTestRun(testRun(i, results))));
      expect(recorded.map((r) => [r.tests, r.inserted])).toStrictEqual(Array.from({ length: 3 }, () => [9000, 12_000]));
      const [first] = stores;
      const history = await first?.testHistory('web');
      expect(history?.tests).toHaveLength(9000);
      expect(history?.tests.reduce((sum, t) => sum + t.runs.length, 0)).toBe(36_000);
      await Promise.all(stores.map((store) => store.close()));
    });

    it('refuses a database migrated by a newer prodeng', async () => {
      const fresh = await createDatabase();
      await (await openStore(fresh)).close();
      const client = new pg.Client({ connectionString: fresh });
      await client.connect();
      await client.query('insert into prodeng_migration (name, timestamp) values ($1, $2)', ['9999-from-the-future', new Date().toISOString()]);
      await client.end();
      const error = await expectStoreError(openStore(fresh), 'newer-schema');
      expect(error.message).toMatch(/9999-from-the-future/);
    });

    it('reports an unknown database as unreachable without showing the password', async () => {
      const missing = new URL(baseUrl);
      missing.pathname = `/prodeng_missing_${Date.now().toString(36)}`;
      missing.password = 'hunter2-secret';
      if (missing.username === '') missing.username = 'postgres';
      const error = await expectStoreError(openStore(missing.toString()), 'unreachable');
      expect(error.message).toMatch(/does not exist/);
      expect(error.message).toContain('***');
      expect(error.message).not.toContain('hunter2-secret');
    });
  },
);

async function emptyTables(store: KyselyStore): Promise<void> {
  await sql`truncate ${sql.join(DATA_TABLES.map((table) => sql.table(table)))} restart identity cascade`.execute(store.kysely);
}

describe('PostgreSQL connection errors', () => {
  it('reports a refused port as unreachable without showing the password', async () => {
    const error = await expectStoreError(openStore('postgres://prodeng:hunter2-secret@127.0.0.1:1/prodeng'), 'unreachable');
    expect(error.message).toMatch(/connection refused/);
    expect(error.message).toContain('postgres://prodeng:***@127.0.0.1:1/prodeng');
    expect(error.message).not.toContain('hunter2-secret');
    expect(String(error.stack)).not.toContain('hunter2-secret');
  });
});

describe('PostgreSQL error translation', () => {
  const where = 'postgres://u:***@db.example/prodeng';
  const pgError = (code: string, message = 'server says no') => Object.assign(new Error(message), { code });

  it('maps SQLSTATEs and network errors to store error codes', () => {
    expect(translatePostgresError(pgError('53100', 'could not extend file'), where)?.code).toBe('full');
    expect(translatePostgresError(pgError('3D000'), where, 'prodeng')?.message).toMatch(/database "prodeng" does not exist.*createdb prodeng/);
    expect(translatePostgresError(pgError('28P01'), where)?.message).toMatch(/authentication failed/);
    expect(translatePostgresError(pgError('28000'), where)?.code).toBe('unreachable');
    expect(translatePostgresError(pgError('57P03'), where)?.code).toBe('unreachable');
    expect(translatePostgresError(pgError('08006'), where)?.code).toBe('unreachable');
    expect(translatePostgresError(pgError('25006'), where)?.code).toBe('readonly');
    expect(translatePostgresError(pgError('40P01'), where)?.code).toBe('locked');
    expect(translatePostgresError(pgError('XX001'), where)?.code).toBe('corrupt');
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(translatePostgresError(new AggregateError([refused, refused]), where)?.message).toMatch(/connection refused/);
    expect(translatePostgresError(new Error('timeout exceeded when trying to connect'), where)?.code).toBe('unreachable');
    expect(translatePostgresError(new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string'), where)?.code).toBe(
      'unreachable',
    );
    // Errors the user cannot act on stay what they are.
    expect(translatePostgresError(pgError('23505', 'duplicate key'), where)).toBeNull();
    expect(translatePostgresError(new TypeError('bug'), where)).toBeNull();
    for (const code of ['53100', '3D000', '28P01', '25006'] as const) {
      expect(translatePostgresError(pgError(code), where)?.message).toContain(where);
    }
  });

  it('redacts passwords in URLs', () => {
    expect(redactUrl('postgres://u:p%40ss@h:5432/db?sslmode=require')).toBe('postgres://u:***@h:5432/db?sslmode=require');
    expect(redactUrl('postgres://h/db?password=x&user=u')).toBe('postgres://h/db?password=***&user=u');
    expect(redactUrl('postgres://u@h/db')).toBe('postgres://u@h/db');
    expect(redactUrl('postgres://u:secret@[bad')).not.toContain('secret');
  });
});
