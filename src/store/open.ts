/**
 * Opening a store from the `--db` value: `postgres://…` / `postgresql://…` selects PostgreSQL,
 * anything else is a SQLite file (`sqlite:PATH` and `file:PATH` are accepted too). The schema is
 * migrated before the store is handed out.
 */
import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreError } from './errors.js';
import type { KyselyStore } from './kysely-store.js';
import type { PostgresStoreOptions } from './postgres/postgres-store.js';
import { redactUrl } from './redact.js';
import { createSqliteStore, type SqliteStoreOptions } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /** Relative SQLite paths resolve against this directory (default: `process.cwd()`). */
  cwd?: string;
  sqlite?: SqliteStoreOptions;
  postgres?: PostgresStoreOptions;
}

export type DatabaseLocation = { kind: 'postgres'; url: string } | { kind: 'sqlite'; path: string };

/** `<cwd>/.prodeng/prodeng.db`: where a repository's history lives unless `--db` says otherwise. */
export function defaultDatabasePath(cwd: string): string {
  return join(cwd, '.prodeng', 'prodeng.db');
}

const POSTGRES_SCHEME = /^postgres(?:ql)?:\/\//i;

/** Which backend a `--db` value selects, and where; relative SQLite paths resolve against `cwd`. */
export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseLocation {
  if (POSTGRES_SCHEME.test(url)) return { kind: 'postgres', url };
  let path = url;
  if (/^file:\/\//i.test(url)) {
    try {
      path = fileURLToPath(url);
    } catch (error) {
      throw new StoreError('unreachable', `"${url}" is not a usable file URL (${error instanceof Error ? error.message : String(error)}); pass --db PATH.`, {
        cause: error,
      });
    }
  } else if (/^(?:sqlite|file):/i.test(url)) {
    path = url.replace(/^(?:sqlite|file):/i, '');
    // `sqlite:///abs/path` and `sqlite://rel/path` read as a path after the "//".
    if (path.startsWith('//')) path = path.slice(2);
  }
  if (path === '') throw new StoreError('not-found', `"${url}" names no database file; pass --db PATH or a postgres:// URL.`);
  if (path === ':memory:') return { kind: 'sqlite', path };
  return { kind: 'sqlite', path: isAbsolute(path) ? path : resolve(cwd, path) };
}

/**
 * How to show a database to the user: the resolved SQLite path, or the PostgreSQL URL with any
 * password replaced by `***`. Never print a `--db` value any other way.
 */
export function describeDatabase(url: string, options: { cwd?: string } = {}): string {
  if (POSTGRES_SCHEME.test(url)) return redactUrl(url);
  try {
    const location = parseDatabaseUrl(url, options.cwd);
    return location.kind === 'sqlite' ? location.path : redactUrl(location.url);
  } catch {
    return url;
  }
}

/** Opens (creating if needed) and migrates the store at `url`. */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  return openKyselyStore(url, options);
}

/** As {@link openStore}, with the implementation type (for tests and maintenance tools). */
export async function openKyselyStore(url: string, options: OpenStoreOptions = {}): Promise<KyselyStore> {
  const location = parseDatabaseUrl(url, options.cwd);
  let store: KyselyStore;
  if (location.kind === 'postgres') {
    // Loaded on demand: most runs use SQLite and should not pay for the PostgreSQL client.
    const { createPostgresStore } = await import('./postgres/postgres-store.js');
    store = createPostgresStore(location.url, options.postgres);
  } else {
    if (location.path !== ':memory:') ensureDirectory(location.path);
    store = createSqliteStore(location.path, options.sqlite);
  }
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}

function ensureDirectory(path: string): void {
  const directory = dirname(path);
  try {
    mkdirSync(directory, { recursive: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new StoreError(
      code === 'EROFS' || code === 'EACCES' || code === 'EPERM' ? 'readonly' : 'unreachable',
      `Cannot create the directory ${directory} for the database ${path} (${error instanceof Error ? error.message : String(error)}); ` +
        'fix the path or its permissions, or pass --db.',
      { cause: error },
    );
  }
}
