/**
 * A Kysely dialect for Node's built-in `node:sqlite` (`DatabaseSync`). Kysely's own SqliteDialect
 * expects better-sqlite3, a native addon; prodeng installs none. Query compilation, introspection
 * and the adapter are Kysely's SQLite ones; only the driver is ours.
 *
 * One connection per store: SQLite allows a single writer anyway, and concurrent processes are
 * coordinated by SQLite's file locks (WAL mode, a busy timeout, `BEGIN IMMEDIATE`).
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

export interface NodeSqliteDialectConfig {
  /** Opens the database; called once, on first use. */
  database: () => DatabaseSync | Promise<DatabaseSync>;
  /** Runs right after the database is opened (pragmas). */
  onOpen?: (connection: NodeSqliteConnection) => Promise<void>;
}

/**
 * SQLite supports transactional DDL; saying so makes Kysely's Migrator run all pending migrations
 * in one transaction, which our driver opens with `BEGIN IMMEDIATE`: two processes migrating at
 * once are serialised by SQLite's write lock, and the second finds nothing left to do.
 */
class NodeSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class NodeSqliteDialect implements Dialect {
  readonly #config: NodeSqliteDialectConfig;

  constructor(config: NodeSqliteDialectConfig) {
    this.#config = config;
  }

  createDriver(): Driver {
    return new NodeSqliteDriver(this.#config);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new NodeSqliteAdapter();
  }

  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

/** A tiny FIFO mutex: one transaction (or one query outside a transaction) at a time. */
class Mutex {
  #tail: Promise<void> = Promise.resolve();

  /** Resolves, once the lock is ours, to the function that releases it. */
  lock(): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const acquired = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => released);
    return acquired;
  }
}

class NodeSqliteDriver implements Driver {
  readonly #config: NodeSqliteDialectConfig;
  readonly #mutex = new Mutex();
  #connection: NodeSqliteConnection | undefined;
  #release: (() => void) | undefined;

  constructor(config: NodeSqliteDialectConfig) {
    this.#config = config;
  }

  async init(): Promise<void> {
    const database = await this.#config.database();
    const connection = new NodeSqliteConnection(database);
    try {
      await this.#config.onOpen?.(connection);
    } catch (error) {
      connection.close();
      throw error;
    }
    this.#connection = connection;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    // Kysely already serialises connection use for adapters without multiple connections; this
    // mutex keeps the guarantee should that change, since interleaving two transactions on one
    // SQLite connection would silently merge them.
    const release = await this.#mutex.lock();
    this.#release = release;
    if (this.#connection === undefined) {
      release();
      throw new Error('node:sqlite driver used before init() or after destroy()');
    }
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    // A deferred transaction that reads first and writes later must upgrade its lock, and in WAL
    // mode that fails at once with SQLITE_BUSY when another process wrote meanwhile — the busy
    // timeout does not help. Taking the write lock up front makes writers queue instead.
    const begin = settings.accessMode === 'read only' ? 'begin deferred' : 'begin immediate';
    await connection.executeQuery(CompiledQuery.raw(begin));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    // SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR,
    // SQLITE_BUSY, SQLITE_NOMEM); a ROLLBACK then fails and would hide the original error.
    if (connection instanceof NodeSqliteConnection && connection.inTransaction() === false) return;
    try {
      await connection.executeQuery(CompiledQuery.raw('rollback'));
    } catch (error) {
      // Older Node versions cannot tell whether a transaction is open (see inTransaction()).
      if (error instanceof Error && /no transaction is active/i.test(error.message)) return;
      throw error;
    }
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdentifier(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${quoteIdentifier(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release ${quoteIdentifier(name)}`));
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  async destroy(): Promise<void> {
    this.#connection?.close();
    this.#connection = undefined;
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Statements that produce rows, for Node versions whose StatementSync has no `columns()` (< 22.16). */
const RETURNS_ROWS = /^\s*(?:select|with|pragma|values|explain)\b|\breturning\b/i;

interface CachedStatement {
  statement: StatementSync;
  returnsRows: boolean;
}

/** How many prepared statements to keep; batch inserts reuse the same few texts. */
const STATEMENT_CACHE_SIZE = 64;

const ARRAY_ROWS = new WeakSet<CompiledQuery>();

/**
 * Marks a query whose rows the driver returns as arrays of column values, in the order selected
 * (the columns must have distinct names that are not integers). Reading a million rows, an array
 * per row instead of an object per row takes about half the time (`StatementSync#setReturnArrays`,
 * added in Node 24); where it is missing, the objects are converted.
 */
export function withArrayRows(query: CompiledQuery): CompiledQuery<unknown[]> {
  ARRAY_ROWS.add(query);
  return query as CompiledQuery<unknown[]>;
}

export class NodeSqliteConnection implements DatabaseConnection {
  readonly #db: DatabaseSync;
  /** Insertion-ordered, so the first key is the least recently used. */
  readonly #statements = new Map<string, CachedStatement>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** The underlying database, for pragmas and tests. */
  get database(): DatabaseSync {
    return this.#db;
  }

  /** Whether a transaction is open; undefined on Node versions without `isTransaction` (< 22.16). */
  inTransaction(): boolean | undefined {
    const db = this.#db as DatabaseSync & { isTransaction?: boolean };
    return typeof db.isTransaction === 'boolean' ? db.isTransaction : undefined;
  }

  #prepare(text: string): CachedStatement {
    const cached = this.#statements.get(text);
    if (cached !== undefined) {
      this.#statements.delete(text);
      this.#statements.set(text, cached);
      return cached;
    }
    const statement = this.#db.prepare(text);
    const columns = (statement as StatementSync & { columns?: () => unknown[] }).columns;
    const returnsRows = typeof columns === 'function' ? columns.call(statement).length > 0 : RETURNS_ROWS.test(text);
    const entry = { statement, returnsRows };
    this.#statements.set(text, entry);
    if (this.#statements.size > STATEMENT_CACHE_SIZE) {
      const oldest = this.#statements.keys().next();
      if (oldest.done !== true) this.#statements.delete(oldest.value);
    }
    return entry;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { statement, returnsRows } = this.#prepare(compiledQuery.sql);
    const parameters = compiledQuery.parameters.map(toSqliteValue);
    if (returnsRows && ARRAY_ROWS.has(compiledQuery)) return { rows: allAsArrays(statement, parameters) as R[] };
    if (returnsRows) return { rows: statement.all(...parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(...parameters);
    return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { statement } = this.#prepare(compiledQuery.sql);
    const parameters = compiledQuery.parameters.map(toSqliteValue);
    for (const row of statement.iterate(...parameters)) yield { rows: [row as R] };
  }

  close(): void {
    this.#statements.clear();
    try {
      this.#db.close();
    } catch {
      // already closed
    }
  }
}

function allAsArrays(statement: StatementSync, parameters: SQLInputValue[]): unknown[][] {
  const setReturnArrays = (statement as StatementSync & { setReturnArrays?: (enabled: boolean) => void }).setReturnArrays;
  if (typeof setReturnArrays !== 'function') return statement.all(...parameters).map((row) => Object.values(row));
  // The statement is cached and shared with queries that want objects: switch back in any case.
  setReturnArrays.call(statement, true);
  try {
    return statement.all(...parameters) as unknown as unknown[][];
  } finally {
    setReturnArrays.call(statement, false);
  }
}

function toSqliteValue(value: unknown): SQLInputValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return value as SQLInputValue;
}
