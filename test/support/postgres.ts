/**
 * PostgreSQL for tests: the server at PRODENG_TEST_POSTGRES_URL (default: the local server with
 * trust auth), one fresh database per test file, dropped afterwards.
 *
 * PostgreSQL is a requirement of the suite, like git, nginx and Chromium: the store's second
 * backend is tested on every run, never skipped. An unreachable server fails the importing test
 * file with the connection error and what to do.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { redactUrl } from '../../src/store/redact.js';

export const postgresBaseUrl = process.env['PRODENG_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

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

const unreachable = await checkReachable(postgresBaseUrl);
if (unreachable !== null) {
  throw new Error(
    `PostgreSQL at ${redactUrl(postgresBaseUrl)} is unreachable: ${unreachable}. The tests need a PostgreSQL server: ` +
      'start one (e.g. `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`) or set PRODENG_TEST_POSTGRES_URL.',
  );
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function postgresAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresBaseUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

const createdDatabases: string[] = [];

/** Creates an empty database and returns its URL. */
export async function createTestDatabase(): Promise<string> {
  const name = `prodeng_test_${randomBytes(6).toString('hex')}`;
  await postgresAdmin((client) => client.query(`create database ${name}`));
  createdDatabases.push(name);
  return withDatabase(postgresBaseUrl, name);
}

/** Drops every database this file created. */
export async function dropTestDatabases(): Promise<void> {
  await postgresAdmin(async (client) => {
    for (const name of createdDatabases.splice(0)) await client.query(`drop database if exists ${name} with (force)`);
  });
}
