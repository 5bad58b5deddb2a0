/**
 * The local advisory database: one SQLite file (node:sqlite, WAL), default `<cacheDir>/osv.db`.
 *
 * - `advisories`: one row per OSV id (modified, published, withdrawn, where it came from, the
 *   record as JSON);
 * - `packages`: the index, (OSV ecosystem, normalised package name, id) → the record's `affected`
 *   entries for that package, reduced to what matching needs (ranges and versions), so a lookup
 *   matches without reading whole records;
 * - `coverage`: the ecosystems an import brought (a package of an ecosystem never imported is not
 *   "without advisories", it is unknown);
 * - `api_queries`: the OSV API's answers (ids per package version), so that a repeated run asks nothing.
 *
 * `importOsv` takes a directory of `.json` files (recursively), one `.json` file (a record or an
 * array of records) or an OSV `all.zip`, streams it entry by entry (bounded memory, see zip.ts for
 * the defences), validates each record and inserts in transactions of a few thousand. A newer
 * `modified` replaces a stored record; an older or equal one is skipped. Every problem is
 * file-scoped: it is reported in `errors` and the import goes on.
 */
import { mkdirSync } from 'node:fs';
import { open, opendir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { normalizePackageName } from './match.js';
import { parseOsv, type OsvAffected, type OsvRecord } from './schema.js';
import { DEFAULT_ZIP_LIMITS, looksLikeZip, readZip, type ZipLimits } from './zip.js';

export const DATABASE_FILE = 'osv.db';
const SCHEMA_VERSION = 1;

/** `<cacheDir>/osv.db` */
export function defaultDatabasePath(cacheDir: string): string {
  return join(cacheDir, DATABASE_FILE);
}

export interface ImportError {
  /** The file or zip entry (`all.zip!GHSA-xxxx.json`), or the archive for an archive-wide problem. */
  entry: string;
  message: string;
}

export interface ImportResult {
  /** Records not stored before. */
  imported: number;
  /** Records that replaced an older version (by `modified`). */
  updated: number;
  /** Records not newer than the stored one, and entries that are not `.json`. */
  skipped: number;
  errors: ImportError[];
}

export interface ImportProgress extends Omit<ImportResult, 'errors'> {
  /** Entries seen so far (files or zip entries). */
  entries: number;
  errors: number;
  /** The entry just handled. */
  entry: string;
}

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
  /** Size limits for zip entries and files (see zip.ts). */
  limits?: Partial<ZipLimits>;
  /** Records per transaction. Default 2,000. */
  batchSize?: number;
  /** Clock for the import time. */
  now?: () => Date;
}

export interface DatabaseStats {
  path: string;
  advisories: number;
  withdrawn: number;
  /** Distinct (ecosystem, package) pairs in the index. */
  packages: number;
  /** Advisories per OSV ecosystem (an advisory for two ecosystems counts in both). */
  byEcosystem: Record<string, number>;
  /** When each ecosystem was last brought by an import (ISO 8601). */
  coverage: Record<string, string>;
  /** The last import's end (ISO 8601), or null. */
  lastImport: string | null;
}

/** A record's entries for one package, as the index stores them. */
export interface IndexedAdvisory {
  id: string;
  affected: OsvAffected[];
}

export type PutOutcome = 'imported' | 'updated' | 'skipped';
export type RecordOrigin = 'import' | 'api';

/** Is timestamp `a` later than `b`? (Dates when both parse, else text.) */
export function isNewer(a: string, b: string): boolean {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (Number.isFinite(ta) && Number.isFinite(tb)) return ta > tb;
  return a > b;
}

/** What the index keeps of an affected entry: ranges (type and events) and versions. */
function slim(affected: OsvAffected): OsvAffected {
  const out: OsvAffected = {};
  if (affected.ranges && affected.ranges.length > 0) {
    out.ranges = affected.ranges.filter((range) => range.type !== 'GIT').map((range) => ({ type: range.type, events: range.events }));
  }
  if (affected.versions && affected.versions.length > 0) out.versions = affected.versions;
  return out;
}

export class AdvisoryDatabase {
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  #inTransaction = false;
  #closed = false;

  private constructor(path: string, db: DatabaseSync) {
    this.path = path;
    this.#db = db;
  }

  /** Opens (creating when needed, with its directory) the database at `path` (`:memory:` works). */
  static open(path: string): AdvisoryDatabase {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new DatabaseSync(path);
    try {
      db.exec('PRAGMA busy_timeout = 10000');
      // 16 KiB pages hold several records each (records are 1–4 KB of JSON); only takes effect on a new file
      db.exec('PRAGMA page_size = 16384');
      if (path !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA synchronous = NORMAL');
      // 32 MiB of page cache: imports insert in id order, which is random for the indexes
      db.exec('PRAGMA cache_size = -32768');
      const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
      if (version > SCHEMA_VERSION) throw new Error(`${path}: advisory database written by a newer prodeng (schema ${version})`);
      if (version < SCHEMA_VERSION) {
        db.exec(`
          CREATE TABLE IF NOT EXISTS advisories (
            id TEXT PRIMARY KEY,
            modified TEXT NOT NULL,
            published TEXT,
            withdrawn TEXT,
            origin TEXT NOT NULL,
            json TEXT NOT NULL,
            details TEXT
          );
          CREATE TABLE IF NOT EXISTS packages (
            ecosystem TEXT NOT NULL,
            name TEXT NOT NULL,
            id TEXT NOT NULL,
            affected TEXT NOT NULL,
            PRIMARY KEY (ecosystem, name, id)
          ) WITHOUT ROWID;
          CREATE INDEX IF NOT EXISTS packages_by_id ON packages (id);
          CREATE TABLE IF NOT EXISTS coverage (ecosystem TEXT PRIMARY KEY, imported_at TEXT NOT NULL);
          CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
          CREATE TABLE IF NOT EXISTS api_queries (key TEXT PRIMARY KEY, answer TEXT NOT NULL, fetched_at INTEGER NOT NULL);
          PRAGMA user_version = ${SCHEMA_VERSION};
        `);
      }
    } catch (error) {
      db.close();
      throw error;
    }
    return new AdvisoryDatabase(path, db);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#inTransaction) this.#db.exec('ROLLBACK');
    this.#inTransaction = false;
    this.#statements.clear();
    this.#db.close();
  }

  #prepare(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #begin(): void {
    if (this.#inTransaction) return;
    this.#db.exec('BEGIN IMMEDIATE');
    this.#inTransaction = true;
  }

  #commit(): void {
    if (!this.#inTransaction) return;
    this.#inTransaction = false;
    this.#db.exec('COMMIT');
  }

  #rollback(): void {
    if (!this.#inTransaction) return;
    this.#inTransaction = false;
    this.#db.exec('ROLLBACK');
  }

  /** Runs `fn` in one transaction (or inside the one already open). */
  transaction<T>(fn: () => T): T {
    if (this.#inTransaction) return fn();
    this.#begin();
    try {
      const result = fn();
      this.#commit();
      return result;
    } catch (error) {
      this.#rollback();
      throw error;
    }
  }

  /** Stores a validated record unless a record with the same id and a later or equal `modified` is there. */
  put(record: OsvRecord, origin: RecordOrigin = 'import'): PutOutcome {
    return this.transaction(() => {
      const existing = this.#prepare('SELECT modified FROM advisories WHERE id = ?').get(record.id) as { modified: string } | undefined;
      if (existing && !isNewer(record.modified, existing.modified)) return 'skipped';
      this.#prepare(
        `INSERT INTO advisories (id, modified, published, withdrawn, origin, json, details) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET modified = excluded.modified, published = excluded.published,
           withdrawn = excluded.withdrawn, origin = excluded.origin, json = excluded.json, details = excluded.details`,
      ).run(record.id, record.modified, record.published ?? null, record.withdrawn ?? null, origin, JSON.stringify({ ...record, details: undefined }), record.details ?? null);
      if (existing) this.#prepare('DELETE FROM packages WHERE id = ?').run(record.id);
      const byPackage = new Map<string, { ecosystem: string; name: string; affected: OsvAffected[] }>();
      for (const affected of record.affected ?? []) {
        const pkg = affected.package;
        if (!pkg) continue;
        const name = normalizePackageName(pkg.ecosystem, pkg.name);
        const key = `${pkg.ecosystem}\0${name}`;
        let entry = byPackage.get(key);
        if (!entry) {
          entry = { ecosystem: pkg.ecosystem, name, affected: [] };
          byPackage.set(key, entry);
        }
        entry.affected.push(slim(affected));
      }
      const insert = this.#prepare('INSERT OR REPLACE INTO packages (ecosystem, name, id, affected) VALUES (?, ?, ?, ?)');
      for (const { ecosystem, name, affected } of byPackage.values()) insert.run(ecosystem, name, record.id, JSON.stringify(affected));
      return existing ? 'updated' : 'imported';
    });
  }

  /** The index entries for a package: ids with their (reduced) affected entries. */
  candidates(ecosystem: string, name: string): IndexedAdvisory[] {
    const rows = this.#prepare('SELECT id, affected FROM packages WHERE ecosystem = ? AND name = ?').all(ecosystem, normalizePackageName(ecosystem, name)) as Array<{
      id: string;
      affected: string;
    }>;
    const out: IndexedAdvisory[] = [];
    for (const row of rows) {
      try {
        out.push({ id: row.id, affected: JSON.parse(row.affected) as OsvAffected[] });
      } catch {
        // a damaged index row: the whole record still answers through lookup()
        const record = this.get(row.id);
        if (record) out.push({ id: row.id, affected: record.affected ?? [] });
      }
    }
    return out;
  }

  /**
   * The stored record for an id (validated again), or null. `details` (the long Markdown text,
   * often most of a record) is kept apart and left out with `{ details: false }`.
   */
  get(id: string, options: { details?: boolean } = {}): OsvRecord | null {
    const withDetails = options.details !== false;
    const row = this.#prepare(withDetails ? 'SELECT json, details FROM advisories WHERE id = ?' : 'SELECT json FROM advisories WHERE id = ?').get(id) as
      | { json: string; details?: string | null }
      | undefined;
    if (!row) return null;
    let data: unknown;
    try {
      data = JSON.parse(row.json);
    } catch {
      return null;
    }
    if (withDetails && typeof row.details === 'string' && typeof data === 'object' && data !== null) (data as { details?: string }).details = row.details;
    const parsed = parseOsv(data);
    return parsed.ok ? parsed.record : null;
  }

  /** The stored `modified` of an id, or null. */
  modifiedOf(id: string): string | null {
    const row = this.#prepare('SELECT modified FROM advisories WHERE id = ?').get(id) as { modified: string } | undefined;
    return row?.modified ?? null;
  }

  /** Every stored advisory for a package (withdrawn ones included), whole. */
  lookup(ecosystem: string, name: string): OsvRecord[] {
    const out: OsvRecord[] = [];
    for (const { id } of this.candidates(ecosystem, name)) {
      const record = this.get(id);
      if (record) out.push(record);
    }
    return out;
  }

  /** When an import last brought advisories of `ecosystem`, or null when none ever did. */
  coveredSince(ecosystem: string): string | null {
    const row = this.#prepare('SELECT imported_at FROM coverage WHERE ecosystem = ?').get(ecosystem) as { imported_at: string } | undefined;
    return row?.imported_at ?? null;
  }

  stats(): DatabaseStats {
    const totals = this.#prepare('SELECT COUNT(*) AS advisories, COUNT(withdrawn) AS withdrawn FROM advisories').get() as { advisories: number; withdrawn: number };
    const byEcosystem: Record<string, number> = {};
    for (const row of this.#prepare('SELECT ecosystem, COUNT(DISTINCT id) AS n FROM packages GROUP BY ecosystem ORDER BY ecosystem').all() as Array<{ ecosystem: string; n: number }>) {
      byEcosystem[row.ecosystem] = row.n;
    }
    const coverage: Record<string, string> = {};
    for (const row of this.#prepare('SELECT ecosystem, imported_at FROM coverage ORDER BY ecosystem').all() as Array<{ ecosystem: string; imported_at: string }>) {
      coverage[row.ecosystem] = row.imported_at;
    }
    const last = this.#prepare("SELECT value FROM meta WHERE key = 'last_import'").get() as { value: string } | undefined;
    const packages = (this.#prepare('SELECT COUNT(*) AS n FROM (SELECT DISTINCT ecosystem, name FROM packages)').get() as { n: number }).n;
    return { path: this.path, advisories: totals.advisories, withdrawn: totals.withdrawn, packages, byEcosystem, coverage, lastImport: last?.value ?? null };
  }

  /** A cached API answer younger than `maxAgeMs`, or null. */
  cachedAnswer(key: string, maxAgeMs: number, nowMs: number): string | null {
    const row = this.#prepare('SELECT answer, fetched_at FROM api_queries WHERE key = ?').get(key) as { answer: string; fetched_at: number } | undefined;
    if (!row || nowMs - row.fetched_at > maxAgeMs || row.fetched_at > nowMs + 60_000) return null;
    return row.answer;
  }

  storeAnswer(key: string, answer: string, nowMs: number): void {
    this.#prepare('INSERT OR REPLACE INTO api_queries (key, answer, fetched_at) VALUES (?, ?, ?)').run(key, answer, nowMs);
  }

  /**
   * Imports OSV records from a directory (every `.json` below it), a `.json` file or a zip. Never
   * throws for bad input (only for an abort or a database failure).
   */
  async importOsv(path: string, options: ImportOptions = {}): Promise<ImportResult> {
    const limits: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...options.limits };
    const batchSize = Math.max(1, options.batchSize ?? 2000);
    const now = options.now ?? (() => new Date());
    const result: ImportResult = { imported: 0, updated: 0, skipped: 0, errors: [] };
    const ecosystems = new Set<string>();
    let entries = 0;
    let inBatch = 0;

    const progress = (entry: string, force = false): void => {
      if (!options.onProgress || (!force && entries % 1000 !== 0)) return;
      options.onProgress({ entries, imported: result.imported, updated: result.updated, skipped: result.skipped, errors: result.errors.length, entry });
    };
    const fail = (entry: string, message: string): void => {
      result.errors.push({ entry, message });
    };
    const accept = (entry: string, data: unknown): void => {
      const parsed = parseOsv(data);
      if (!parsed.ok) return fail(entry, parsed.reason);
      if (inBatch === 0) this.#begin();
      const outcome = this.put(parsed.record, 'import');
      result[outcome]++;
      for (const affected of parsed.record.affected ?? []) if (affected.package) ecosystems.add(affected.package.ecosystem);
      if (++inBatch >= batchSize) {
        this.#commit();
        inBatch = 0;
      }
    };
    const acceptText = (entry: string, text: Buffer, allowArray: boolean): void => {
      let data: unknown;
      try {
        data = JSON.parse(text.toString('utf8').replace(/^\uFEFF/, ''));
      } catch (error) {
        return fail(entry, `not JSON: ${(error as Error).message}`);
      }
      if (allowArray && Array.isArray(data)) {
        data.forEach((item, index) => accept(`${entry}[${index}]`, item));
      } else {
        accept(entry, data);
      }
    };

    try {
      let kind: 'directory' | 'zip' | 'json' | 'missing';
      try {
        const info = await stat(path);
        if (info.isDirectory()) kind = 'directory';
        else if (/\.zip$/i.test(path) || looksLikeZip(await readHead(path))) kind = 'zip';
        else kind = 'json';
      } catch (error) {
        fail(path, `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
        kind = 'missing';
      }

      if (kind === 'zip') {
        const label = basename(path);
        for await (const item of readZip(path, (name) => /\.json$/i.test(name), { limits, signal: options.signal })) {
          entries++;
          const entry = item.name === path ? path : `${label}!${item.name}`;
          if (item.kind === 'skipped') result.skipped++;
          else if (item.kind === 'error') fail(entry, item.message);
          else acceptText(entry, item.data, false);
          progress(entry);
        }
      } else if (kind === 'json') {
        entries++;
        const data = await readCapped(path, limits.maxEntryBytes).catch((error: Error) => error);
        if (data instanceof Error) fail(path, data.message);
        else acceptText(path, data, true);
      } else if (kind === 'directory') {
        for await (const file of walkFiles(path, options.signal)) {
          options.signal?.throwIfAborted();
          entries++;
          const entry = relative(path, file.path) || basename(file.path);
          if (file.error !== undefined) {
            fail(entry, file.error);
          } else if (!/\.json$/i.test(file.path)) {
            result.skipped++;
          } else {
            const data = await readCapped(file.path, limits.maxEntryBytes).catch((error: Error) => error);
            if (data instanceof Error) fail(entry, data.message);
            else acceptText(entry, data, true);
          }
          progress(entry);
        }
      }
      this.#commit();
    } catch (error) {
      // an abort keeps what was stored (but claims no coverage); a database failure drops the open batch
      if (options.signal?.aborted) this.#commit();
      else this.#rollback();
      throw error;
    }
    if (ecosystems.size > 0) {
      const at = now().toISOString();
      this.transaction(() => {
        const cover = this.#prepare('INSERT OR REPLACE INTO coverage (ecosystem, imported_at) VALUES (?, ?)');
        for (const ecosystem of ecosystems) cover.run(ecosystem, at);
        this.#prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('last_import', ?)").run(at);
      });
    }
    progress(path, true);
    return result;
  }
}

/** Opens the database at `options.dbPath`, imports `path` into it and closes it. */
export async function importOsv(path: string, options: ImportOptions & { dbPath: string }): Promise<ImportResult> {
  const db = AdvisoryDatabase.open(options.dbPath);
  try {
    return await db.importOsv(path, options);
  } finally {
    db.close();
  }
}

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(4);
    const { bytesRead } = await handle.read(buffer, 0, 4, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** A file's bytes, refusing files above `max`. */
async function readCapped(path: string, max: number): Promise<Buffer> {
  const info = await stat(path);
  if (info.size > max) throw new Error(`${info.size} bytes, more than the ${max}-byte limit; skipped`);
  try {
    return await readFile(path);
  } catch (error) {
    throw new Error(`cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
}

/** Regular files below `root`, sorted per directory; symbolic links are not followed. */
async function* walkFiles(root: string, signal?: AbortSignal): AsyncGenerator<{ path: string; error?: string }> {
  const stack = [root];
  while (stack.length > 0) {
    signal?.throwIfAborted();
    const dir = stack.pop() as string;
    let names: Array<{ name: string; dir: boolean; file: boolean }>;
    try {
      const handle = await opendir(dir);
      names = [];
      for await (const dirent of handle) names.push({ name: dirent.name, dir: dirent.isDirectory(), file: dirent.isFile() });
    } catch (error) {
      yield { path: dir, error: `cannot list: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
      continue;
    }
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const entry of names) {
      if (entry.dir) {
        if (entry.name !== '.git') subdirs.push(join(dir, entry.name));
      } else if (entry.file) {
        yield { path: join(dir, entry.name) };
      }
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i] as string);
  }
}
