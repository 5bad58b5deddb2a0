/**
 * PostgreSQL for tests: the server at PRODENG_TEST_POSTGRES_URL (default: the local server with
 * trust auth), one fresh database per test file, dropped afterwards.
 *
 * Gating: with PRODENG_TEST_POSTGRES=required (CI), an unreachable server fails the importing test
 * file with the connection error. Otherwise the PostgreSQL tests are skipped, and a line on stderr
 * (and the suite's name) says why.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { redactUrl } from '../../src/store/redact.js';

export const postgresBaseUrl = process.env['PRODENG_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
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

/** Null when PostgreSQL is reachable; otherwise why not (after failing or warning as gated). */
export const postgresUnreachable: string | null = await checkReachable(postgresBaseUrl);
if (postgresUnreachable !== null) {
  if (required) {
    throw new Error(`PRODENG_TEST_POSTGRES=required, but PostgreSQL at ${redactUrl(postgresBaseUrl)} is unreachable: ${postgresUnreachable}`);
  }
  process.stderr.write(
    `PostgreSQL tests did not run: cannot connect to ${redactUrl(postgresBaseUrl)}: ${postgresUnreachable}. ` +
      'Start a server or set PRODENG_TEST_POSTGRES_URL; set PRODENG_TEST_POSTGRES=required to make this a failure.\n',
  );
}

/** A suite name that says, when it does not run, why. */
export function postgresSuiteName(name: string): string {
  return postgresUnreachable === null ? name : `${name} — did not run: ${redactUrl(postgresBaseUrl)} unreachable: ${postgresUnreachable}`;
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
