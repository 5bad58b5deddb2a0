/**
 * The SQLite backend: one file, opened with the built-in `node:sqlite`, in WAL mode so readers
 * never block the writer, with a busy timeout so concurrent prodeng runs queue instead of failing.
 */
import { DatabaseSync } from 'node:sqlite';
import { basename } from 'node:path';
import { CompiledQuery, Kysely, type Kysely as KyselyType } from 'kysely';
import { StoreError } from '../errors.js';
import { KyselyStore } from '../kysely-store.js';
import { listTables } from '../migrations/index.js';
import { MIGRATION_TABLE, type Database } from '../schema.js';
import { NodeSqliteDialect, type NodeSqliteConnection } from './node-sqlite-dialect.js';

export const DEFAULT_BUSY_TIMEOUT_MS = 10_000;

export interface SqliteStoreOptions {
  /** How long to wait for another process's write lock before failing with `locked`. */
  busyTimeoutMs?: number;
  /**
   * Test only: caps the database at this many pages (`PRAGMA max_page_count`), so that tests can
   * make the "disk" full without filling a real disk.
   */
  testOnlyMaxPageCount?: number;
  /**
   * Test only: hides `StatementSync#columns()` and `DatabaseSync#isTransaction`, which Node
   * 22.13–22.15 (allowed by `engines`) lack, and `StatementSync#setReturnArrays()` (added in Node
   * 24), so that the fallbacks of the driver run.
   */
  testOnlyWithoutNewerNodeApis?: boolean;
  /**
   * Test only: opens the file read-only, as SQLite does by itself when the process may not write
   * it (tests running as root cannot get there through file permissions).
   */
  testOnlyReadOnly?: boolean;
}

/**
 * A store on the SQLite file at `path` (absolute; `:memory:` for a throwaway database). Nothing is
 * opened until the first operation; call `migrate()` first (openStore does).
 */
export function createSqliteStore(path: string, options: SqliteStoreOptions = {}): KyselyStore {
  const where = path;
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const dialect = new NodeSqliteDialect({
    database: () => {
      const database = new DatabaseSync(path, { readOnly: options.testOnlyReadOnly === true });
      return options.testOnlyWithoutNewerNodeApis === true ? withoutNewerNodeApis(database) : database;
    },
    onOpen: async (connection) => applyPragmas(connection, busyTimeoutMs, options.testOnlyMaxPageCount),
  });
  const db = new Kysely<Database>({ dialect });
  return new KyselyStore(db, {
    dialect: 'sqlite',
    where,
    translate: (error) => translateSqliteError(error, where, busyTimeoutMs),
    beforeMigrate: (database) => refuseForeignDatabase(database, where),
  });
}

/** A view of `target` without the properties in `hidden`; methods still run on the real object. */
function hiding<T extends object>(target: T, hidden: readonly PropertyKey[], wrap: Partial<Record<PropertyKey, (value: unknown) => unknown>> = {}): T {
  return new Proxy(target, {
    get(object, property) {
      if (hidden.includes(property)) return undefined;
      const value: unknown = Reflect.get(object, property, object);
      const wrapped = wrap[property];
      if (typeof value !== 'function') return value;
      const bound = (value as (...args: unknown[]) => unknown).bind(object);
      return wrapped === undefined ? bound : (...args: unknown[]) => wrapped(bound(...args));
    },
  });
}

function withoutNewerNodeApis(database: DatabaseSync): DatabaseSync {
  return hiding(database, ['isTransaction'], {
    prepare: (statement) => hiding(statement as object, ['columns', 'setReturnArrays']),
  });
}

async function applyPragmas(connection: NodeSqliteConnection, busyTimeoutMs: number, maxPageCount: number | undefined): Promise<void> {
  const pragma = (text: string) => connection.executeQuery(CompiledQuery.raw(`pragma ${text}`));
  // First, so that the pragmas below that need a lock wait for it like everything else.
  await pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  // Reads the header: a file that is not a database, or a damaged one, fails here, before
  // anything could write to it.
  await pragma('journal_mode = wal');
  await pragma('foreign_keys = on');
  // Safe in WAL mode: a power loss may lose the last commits, never corrupt the file.
  await pragma('synchronous = normal');
  // 64 MiB of page cache instead of SQLite's 2 MiB: a year of history is a file of gigabytes, and
  // prodeng serve reads across all of it; the memory is only taken as pages are read.
  await pragma('cache_size = -65536');
  if (maxPageCount !== undefined) await pragma(`max_page_count = ${Math.max(1, Math.floor(maxPageCount))}`);
}

/**
 * Refuses to add prodeng's tables to a database that already holds others (say, `--db` pointed at
 * another application's file by mistake).
 */
async function refuseForeignDatabase(db: KyselyType<Database>, where: string): Promise<void> {
  const tables = await listTables(db as KyselyType<unknown>, 'sqlite');
  if (tables.length === 0 || tables.includes(MIGRATION_TABLE)) return;
  const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', …' : '');
  throw new StoreError(
    'corrupt',
    `${where} is not a prodeng database: it holds other tables (${shown}) and no prodeng schema. ` +
      'Pass --db with another path, or move the file aside.',
  );
}

// Primary result codes (https://sqlite.org/rescode.html); extended codes keep them in the low byte.
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_READONLY = 8;
const SQLITE_CORRUPT = 11;
const SQLITE_FULL = 13;
const SQLITE_CANTOPEN = 14;
const SQLITE_NOTADB = 26;

/** Node < 22.14 errors carry no `errcode`; recognise SQLite's fixed messages instead. */
const MESSAGE_CODES: [RegExp, number][] = [
  [/file is not a database/i, SQLITE_NOTADB],
  [/database disk image is malformed/i, SQLITE_CORRUPT],
  [/database or disk is full/i, SQLITE_FULL],
  [/database is locked|database table is locked/i, SQLITE_BUSY],
  [/readonly database/i, SQLITE_READONLY],
  [/unable to open database file/i, SQLITE_CANTOPEN],
];

function sqliteCode(error: unknown): { code: number; text: string } | null {
  if (typeof error !== 'object' || error === null) return null;
  const { errcode, errstr, message } = error as { errcode?: unknown; errstr?: unknown; message?: unknown };
  const text = typeof errstr === 'string' ? errstr : typeof message === 'string' ? message : '';
  if (typeof errcode === 'number') return { code: errcode & 0xff, text };
  if ((error as { code?: unknown }).code !== 'ERR_SQLITE_ERROR' || typeof message !== 'string') return null;
  const match = MESSAGE_CODES.find(([pattern]) => pattern.test(message));
  return match === undefined ? null : { code: match[1], text };
}

export function translateSqliteError(error: unknown, where: string, busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS): StoreError | null {
  const sqlite = sqliteCode(error);
  if (sqlite === null) return null;
  const { code, text } = sqlite;
  const options = { cause: error };
  switch (code) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return new StoreError(
        'corrupt',
        `${where} is not a prodeng database or is corrupted (${text}); move it aside ` +
          `(earlier snapshots may be recovered with \`sqlite3 ${where} .recover\`) or pass --db to use another database.`,
        options,
      );
    case SQLITE_FULL:
      return new StoreError(
        'full',
        `Cannot write to ${where}: the disk is full (${text}). Free some space and run again; ` +
          'nothing of this operation was saved, earlier snapshots are intact.',
        options,
      );
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return new StoreError(
        'locked',
        `${where} is locked: another process kept it busy for more than ${Math.round(busyTimeoutMs / 1000)} s (${text}). ` +
          'Wait for the other prodeng run to finish and try again.',
        options,
      );
    case SQLITE_READONLY:
      return new StoreError(
        'readonly',
        `Cannot write to ${where}: it is read-only (${text}). prodeng needs write access to the file and to its ` +
          `directory (SQLite creates ${basename(where)}-wal and ${basename(where)}-shm beside it); fix the permissions or pass --db.`,
        options,
      );
    case SQLITE_CANTOPEN:
      return new StoreError(
        'unreachable',
        `Cannot open ${where} (${text}): check that the path names a file (not a directory) in a directory you can write to, or pass --db.`,
        options,
      );
    default:
      return null;
  }
}
