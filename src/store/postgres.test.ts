/**
 * The store on PostgreSQL, at PRODENG_TEST_POSTGRES_URL (default: the local server with trust
 * auth). Each test file works in a database of its own, created here and dropped afterwards.
 *
 * Gating: with PRODENG_TEST_POSTGRES=required (CI), an unreachable server fails this file with the
 * connection error. Otherwise the PostgreSQL tests are skipped, and a line on stderr (and the
 * suite's name) says why.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError } from './errors.js';
import type { KyselyStore } from './kysely-store.js';
import { openKyselyStore, openStore } from './open.js';
import { redactUrl, translatePostgresError } from './postgres/postgres-store.js';
import { DATA_TABLES } from './schema.js';
import { describeStoreConformance, finding, snapshotInput } from './store-conformance.js';

const baseUrl = process.env['PRODENG_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const required = process.env['PRODENG_TEST_POSTGRES'] === 'required';

async function checkReachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return `${error instanceof Error ? error.message || error.name : String(error)}${typeof code === 'string' ? ` (${code})` : ''}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const unreachable = await checkReachable(baseUrl);
if (unreachable !== null) {
  if (required) {
    throw new Error(`PRODENG_TEST_POSTGRES=required, but PostgreSQL at ${redactUrl(baseUrl)} is unreachable: ${unreachable}`);
  }
  process.stderr.write(
    `PostgreSQL tests did not run: cannot connect to ${redactUrl(baseUrl)}: ${unreachable}. ` +
      'Start a server or set PRODENG_TEST_POSTGRES_URL; set PRODENG_TEST_POSTGRES=required to make this a failure.\n',
  );
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

const createdDatabases: string[] = [];

async function createDatabase(): Promise<string> {
  const name = `prodeng_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`create database ${name}`));
  createdDatabases.push(name);
  return withDatabase(baseUrl, name);
}

async function dropDatabases(): Promise<void> {
  await admin(async (client) => {
    for (const name of createdDatabases.splice(0)) await client.query(`drop database if exists ${name} with (force)`);
  });
}

async function expectStoreError(promise: Promise<unknown>, code: StoreError['code']): Promise<StoreError> {
  const error = await promise.then(
    () => new Error('expected a StoreError, but the call succeeded'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StoreError);
  expect((error as StoreError).code).toBe(code);
  return error as StoreError;
}

describe.skipIf(unreachable !== null)(
  `PostgreSQL store${unreachable === null ? '' : ` — did not run: ${redactUrl(baseUrl)} unreachable: ${unreachable}`}`,
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
      const missing = new URL(withDatabase(baseUrl, `prodeng_missing_${randomBytes(4).toString('hex')}`));
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
