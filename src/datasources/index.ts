/**
 * One client per package registry, sharing one HTTP client (timeouts, retries, per-host
 * concurrency) and one on-disk cache. See readme.md.
 */
import { ECOSYSTEMS, type Ecosystem } from '../probes/versions/model.js';
import { cachedClient, RegistryCache } from './cache.js';
import { CARGO_DEFAULT_BASE, createCargoSource } from './cargo.js';
import { createGoSource, GO_DEFAULT_BASE } from './go.js';
import { HttpClient, type Endpoint } from './http.js';
import { createMavenSource, MAVEN_DEFAULT_BASE } from './maven.js';
import { createNpmSource, NPM_DEFAULT_BASE } from './npm.js';
import { createNugetSource, NUGET_DEFAULT_BASE } from './nuget.js';
import { createPackagistSource, PACKAGIST_DEFAULT_BASE } from './packagist.js';
import { createPypiSource, PYPI_DEFAULT_BASE } from './pypi.js';
import type { RegistryClient, RegistrySource } from './registry.js';
import { createRubygemsSource, RUBYGEMS_DEFAULT_BASE } from './rubygems.js';

export { DatasourceError } from './registry.js';
export type { DatasourceErrorCode, PackageInfo, RegistryClient, ReleaseInfo } from './registry.js';

export const DEFAULT_BASE_URLS: Readonly<Record<Ecosystem, string>> = {
  npm: NPM_DEFAULT_BASE,
  pypi: PYPI_DEFAULT_BASE,
  go: GO_DEFAULT_BASE,
  cargo: CARGO_DEFAULT_BASE,
  rubygems: RUBYGEMS_DEFAULT_BASE,
  packagist: PACKAGIST_DEFAULT_BASE,
  maven: MAVEN_DEFAULT_BASE,
  nuget: NUGET_DEFAULT_BASE,
};

export interface RegistryClientsOptions {
  /** Where answers are cached (created on demand). Without it nothing is cached, and offline every lookup fails. */
  cacheDir?: string;
  /** Only read the cache, whatever the age of its entries; a miss is `DatasourceError('offline')`. */
  offline?: boolean;
  /** How long a cached answer is used without asking again. Default 24 h. */
  ttlMs?: number;
  /** The clock for the cache's TTL. */
  now?: () => Date;
  /** Registry base URLs (mirrors, private registries); the public registries by default. `https://user:token@host/` is accepted. */
  baseUrls?: Partial<Record<Ecosystem, string>>;
  /** Extra headers per registry (an `Authorization` for a private mirror), sent only to that registry's origin and redacted from errors. */
  headers?: Partial<Record<Ecosystem, Record<string, string>>>;
  fetchImpl?: typeof fetch;
  /** Requests in flight per host. Default 8. */
  concurrency?: number;
  /** Per attempt. Default 20 s. */
  timeoutMs?: number;
  /** Retries after the first attempt (network errors, timeouts, 429, 5xx). Default 2. */
  retries?: number;
  /** First backoff delay. Default 300 ms. */
  retryBaseMs?: number;
  /** Longest wait between attempts, `Retry-After` included. Default 10 s. */
  maxRetryWaitMs?: number;
  /** Go: `.info` requests (publication times) for at most this many of the newest versions. Default 20. */
  goInfoLimit?: number;
  /** Default `prodeng/<version> (+https://github.com/prodeng/prodeng)`. */
  userAgent?: string;
  /** Called when a cache entry cannot be written; lookups still succeed. */
  onCacheWriteError?: (error: unknown, file: string) => void;
}

/** Every registry client, each looking up through the cache. Throws a TypeError for a base URL that is not http(s). */
export function createRegistryClients(options: RegistryClientsOptions = {}): Record<Ecosystem, RegistryClient> {
  const http = new HttpClient({
    fetchImpl: options.fetchImpl,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    concurrency: options.concurrency,
    retryBaseMs: options.retryBaseMs,
    maxRetryWaitMs: options.maxRetryWaitMs,
    userAgent: options.userAgent,
  });
  const cache =
    options.cacheDir === undefined
      ? undefined
      : new RegistryCache({ cacheDir: options.cacheDir, ttlMs: options.ttlMs, now: options.now, onWriteError: options.onCacheWriteError });
  const endpoint = (ecosystem: Ecosystem): Endpoint => http.endpoint(options.baseUrls?.[ecosystem] ?? DEFAULT_BASE_URLS[ecosystem], options.headers?.[ecosystem]);
  const sources: Record<Ecosystem, RegistrySource> = {
    npm: createNpmSource(http, endpoint('npm')),
    pypi: createPypiSource(http, endpoint('pypi')),
    go: createGoSource(http, endpoint('go'), { infoLimit: options.goInfoLimit }),
    cargo: createCargoSource(http, endpoint('cargo')),
    rubygems: createRubygemsSource(http, endpoint('rubygems')),
    packagist: createPackagistSource(http, endpoint('packagist')),
    maven: createMavenSource(http, endpoint('maven')),
    nuget: createNugetSource(http, endpoint('nuget')),
  };
  const clients = {} as Record<Ecosystem, RegistryClient>;
  for (const ecosystem of ECOSYSTEMS) clients[ecosystem] = cachedClient(sources[ecosystem], { cache, offline: options.offline });
  return clients;
}
