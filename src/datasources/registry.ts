/**
 * Package registries as datasources: one client per ecosystem behind one interface, with
 * timeouts, retries, bounded concurrency, an on-disk cache with a TTL, and an offline mode.
 * A registry that cannot be asked raises {@link DatasourceError}; it never answers "no data".
 */
import type { Ecosystem } from '../probes/versions/model.js';

export interface ReleaseInfo {
  version: string;
  /** ISO 8601 publication time, when the registry says. */
  published: string | null;
  /** The registry's deprecation message for this version, or null. */
  deprecated: string | null;
  /** Withdrawn by its publisher (yanked crate or gem, unlisted NuGet version…). */
  yanked: boolean;
}

export interface PackageInfo {
  ecosystem: Ecosystem;
  name: string;
  /** The registry's own idea of the latest stable release (npm `dist-tags.latest`…), else null. */
  latest: string | null;
  releases: ReleaseInfo[];
}

export interface RegistryClient {
  ecosystem: Ecosystem;
  /** Host name shown in errors and reports (`registry.npmjs.org`). */
  host: string;
  /** The package, or null when the registry says it does not exist (404). */
  lookup(name: string, signal: AbortSignal): Promise<PackageInfo | null>;
}

export type DatasourceErrorCode = 'unavailable' | 'rate-limited' | 'timeout' | 'offline' | 'malformed';

/** The registry could not be asked or answered nonsense: the probe becomes partial and names it. */
export class DatasourceError extends Error {
  constructor(
    readonly code: DatasourceErrorCode,
    readonly host: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DatasourceError';
  }
}

/** A registry client before the cache: it also says under which key the cache files a package. */
export interface RegistrySource extends RegistryClient {
  /** The name as the registry compares names (`Django_Rest` → `django-rest` on PyPI): the cache key. */
  cacheKey(name: string): string;
}
