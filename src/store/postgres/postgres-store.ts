/**
 * The PostgreSQL backend: a small `pg` pool behind Kysely's PostgresDialect. The connection URL
 * may hold a password; it never appears in a message (see `redactUrl`).
 */
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { StoreError } from '../errors.js';
import { redactUrl } from '../redact.js';

export { redactUrl };
import { KyselyStore } from '../kysely-store.js';
import type { Database } from '../schema.js';

export interface PostgresStoreOptions {
  /** How long to wait for a connection before failing with `unreachable`. */
  connectTimeoutMs?: number;
  /** Connections in the pool; a CLI run needs few. */
  maxConnections?: number;
}

export function createPostgresStore(url: string, options: PostgresStoreOptions = {}): KyselyStore {
  const where = redactUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    application_name: 'prodeng',
  });
  // An idle client whose server went away emits 'error' on the pool; unhandled, that would crash
  // the process. The next query reports the problem instead.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return new KyselyStore(db, {
    dialect: 'postgres',
    where,
    translate: (error) => translatePostgresError(error, where, databaseName(url)),
  });
}

function databaseName(url: string): string | undefined {
  try {
    const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
    return name === '' ? undefined : name;
  } catch {
    return undefined;
  }
}

/** Node's socket errors that mean "no server there". */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'ENOENT']);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // Connecting to "localhost" tries IPv6 and IPv4; Node reports both failures in an AggregateError.
  const inner = (error as { errors?: unknown }).errors;
  if (Array.isArray(inner)) return errorCode(inner[0]);
  return undefined;
}

export function translatePostgresError(error: unknown, where: string, database?: string): StoreError | null {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const options = { cause: error };
  const unreachable = (what: string, todo: string) =>
    new StoreError('unreachable', `Cannot connect to PostgreSQL at ${where}: ${what}. ${todo}`, options);

  if (code !== undefined && NETWORK_CODES.has(code)) {
    return unreachable(`${code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' ? 'host not found' : code}`, 'Check that the server is running and that host and port are right, or pass --db.');
  }
  switch (code) {
    case '3D000':
      return unreachable(
        `database ${database === undefined ? '' : `"${database}" `}does not exist`,
        `Create it (e.g. \`createdb ${database ?? 'prodeng'}\`) or fix the database name in the URL.`,
      );
    case '28P01':
    case '28000':
      return unreachable('authentication failed', 'Check the user name and password (or the server\'s pg_hba.conf), or pass --db.');
    case '53300':
    case '57P01':
    case '57P02':
    case '57P03':
      return unreachable(`the server refused or dropped the connection (${message})`, 'Try again once the server is available.');
    case '53100':
      return new StoreError(
        'full',
        `PostgreSQL at ${where} has no disk space left (${message}). Free space on the database server and run again; ` +
          'nothing of this operation was saved, earlier snapshots are intact.',
        options,
      );
    case '25006':
    case '42501':
      return new StoreError(
        'readonly',
        `PostgreSQL at ${where} refuses to write (${message}): the server is a read-only replica or the user lacks privileges. ` +
          'Connect to the primary with a user that may create tables and write, or pass --db.',
        options,
      );
    case '40P01':
    case '55P03':
      return new StoreError('locked', `PostgreSQL at ${where} could not take a lock (${message}). Try again.`, options);
    case 'XX001':
    case 'XX002':
      return new StoreError('corrupt', `PostgreSQL at ${where} reports corrupted data (${message}); ask its administrator to check the database.`, options);
    default:
      break;
  }
  if (code !== undefined && code.startsWith('08')) {
    return unreachable(`connection failure (${message})`, 'Check that the server is running and reachable, or pass --db.');
  }
  if (/client password must be a string|password authentication failed/i.test(message)) {
    return unreachable('authentication failed (the server wants a password)', 'Put the password in the URL or in ~/.pgpass, or pass --db.');
  }
  if (/timeout exceeded when trying to connect|connection timeout|Connection terminated unexpectedly/i.test(message)) {
    return unreachable(`no answer (${message})`, 'Check that the server is running and reachable, or pass --db.');
  }
  if (/does not support SSL|SSL/i.test(message) && code === undefined) {
    return unreachable(`SSL negotiation failed (${message})`, 'Adjust `sslmode` in the URL, or pass --db.');
  }
  return null;
}
