/**
 * The on-disk cache of registry answers: one JSON file per (ecosystem, package) under `cacheDir`,
 * named by a hash of the package's cache key (safe for any name) and holding the name itself, so
 * a collision or a stray file is a miss. Entries are fresh for `ttlMs` (default 24 h) by the
 * caller's clock; writes are atomic (temporary file, then rename); a corrupt entry is a miss.
 *
 * Offline, only the cache is read, whatever the age of the entry, and a miss is
 * `DatasourceError('offline')`. "Not found" answers (null) are cached like packages.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ECOSYSTEMS, type Ecosystem } from '../probes/versions/model.js';
import { DatasourceError, type PackageInfo, type RegistryClient, type RegistrySource } from './registry.js';

export const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;
const FORMAT = 1;

export const releaseInfoSchema = z.object({
  version: z.string(),
  published: z.string().nullable(),
  deprecated: z.string().nullable(),
  yanked: z.boolean(),
});

export const packageInfoSchema = z.object({
  ecosystem: z.enum(ECOSYSTEMS),
  name: z.string(),
  latest: z.string().nullable(),
  releases: z.array(releaseInfoSchema),
});

const entrySchema = z.object({
  format: z.literal(FORMAT),
  ecosystem: z.enum(ECOSYSTEMS),
  key: z.string(),
  fetchedAt: z.string(),
  info: packageInfoSchema.nullable(),
});

export interface RegistryCacheOptions {
  cacheDir: string;
  /** How long an entry is fresh. Default 24 h. */
  ttlMs?: number;
  /** The clock entries are dated and aged by. */
  now?: () => Date;
  /** Called when an entry cannot be written (disk full, permissions); the lookup still succeeds. */
  onWriteError?: (error: unknown, file: string) => void;
}

export interface CacheEntry {
  info: PackageInfo | null;
  fetchedAt: Date;
  /** Younger than the TTL (and not dated in the future). */
  fresh: boolean;
}

export class RegistryCache {
  readonly dir: string;
  readonly #ttlMs: number;
  readonly #now: () => Date;
  readonly #onWriteError: ((error: unknown, file: string) => void) | undefined;

  constructor(options: RegistryCacheOptions) {
    this.dir = options.cacheDir;
    this.#ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.#now = options.now ?? (() => new Date());
    this.#onWriteError = options.onWriteError;
  }

  /** `<cacheDir>/<ecosystem>/<sha256 of the key, 32 hex>.json`. */
  fileFor(ecosystem: Ecosystem, key: string): string {
    const hash = createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32);
    return join(this.dir, ecosystem, `${hash}.json`);
  }

  /** The entry for the package, or undefined when missing, unreadable, corrupt or someone else's. */
  async read(ecosystem: Ecosystem, key: string): Promise<CacheEntry | undefined> {
    let text: string;
    try {
      text = await readFile(this.fileFor(ecosystem, key), 'utf8');
    } catch {
      return undefined;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return undefined;
    }
    const parsed = entrySchema.safeParse(data);
    if (!parsed.success) return undefined;
    const entry = parsed.data;
    if (entry.ecosystem !== ecosystem || entry.key !== key) return undefined;
    if (entry.info && entry.info.ecosystem !== ecosystem) return undefined;
    const fetchedAt = new Date(entry.fetchedAt);
    if (Number.isNaN(fetchedAt.getTime())) return undefined;
    const age = this.#now().getTime() - fetchedAt.getTime();
    return { info: entry.info, fetchedAt, fresh: age >= 0 && age < this.#ttlMs };
  }

  /** Stores the answer atomically. Never throws: a cache that cannot be written is only slower. */
  async write(ecosystem: Ecosystem, key: string, info: PackageInfo | null): Promise<void> {
    const file = this.fileFor(ecosystem, key);
    const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
    const entry: z.infer<typeof entrySchema> = { format: FORMAT, ecosystem, key, fetchedAt: this.#now().toISOString(), info };
    try {
      await mkdir(join(this.dir, ecosystem), { recursive: true });
      await writeFile(temp, `${JSON.stringify(entry)}\n`, { flag: 'wx' });
      await rename(temp, file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      this.#onWriteError?.(error, file);
    }
  }
}

export interface CachedClientOptions {
  /** No cache: every lookup asks the registry (and offline, every lookup fails). */
  cache?: RegistryCache | undefined;
  offline?: boolean | undefined;
}

/**
 * The client the probe uses: fresh cache entries first, then the registry (its answer cached),
 * or, offline, any cache entry and else `DatasourceError('offline')`. Concurrent lookups of one
 * package share one request.
 */
export function cachedClient(source: RegistrySource, options: CachedClientOptions): RegistryClient {
  const { cache, offline = false } = options;
  const inflight = new Map<string, Promise<PackageInfo | null>>();

  const resolve = async (name: string, key: string, signal: AbortSignal): Promise<PackageInfo | null> => {
    const entry = await cache?.read(source.ecosystem, key);
    if (entry && (entry.fresh || offline)) return entry.info;
    if (offline) {
      throw new DatasourceError('offline', source.host, `${source.ecosystem} package ${name} is not in the cache; run once without --offline`);
    }
    const info = await source.lookup(name, signal);
    await cache?.write(source.ecosystem, key, info);
    return info;
  };

  const lookup = async (name: string, signal: AbortSignal): Promise<PackageInfo | null> => {
    signal.throwIfAborted();
    const key = source.cacheKey(name);
    const shared = inflight.get(key);
    if (shared) {
      try {
        return await shared;
      } catch (error) {
        // the other caller was cancelled, not this one: ask on our own
        if (error instanceof DatasourceError || signal.aborted) throw error;
      }
    }
    // the cache read is shared too: a read that started before an answer was stored would miss
    const request = resolve(name, key, signal);
    inflight.set(key, request);
    try {
      return await request;
    } finally {
      if (inflight.get(key) === request) inflight.delete(key);
    }
  };

  return { ecosystem: source.ecosystem, host: source.host, lookup };
}
