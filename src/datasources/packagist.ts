/**
 * Packagist: Composer metadata v2, `GET {base}/p2/{vendor}/{name}.json` (tagged releases; dev
 * branches live in `~dev.json` and are not read). The answer is "minified" (`"minified":
 * "composer/2.0"`): each version lists only the keys that changed from the one before it, and a
 * key whose value is `"__unset"` is removed. An abandoned package's message is every release's
 * deprecation.
 */
import { z } from 'zod';
import { validate, type Endpoint, type HttpClient } from './http.js';
import type { PackageInfo, RegistrySource } from './registry.js';

export const PACKAGIST_DEFAULT_BASE = 'https://repo.packagist.org';

export const packagistP2Schema = z.object({
  packages: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
  minified: z.string().optional(),
});
export type PackagistP2 = z.infer<typeof packagistP2Schema>;

export const packagistVersionSchema = z.object({
  version: z.string(),
  time: z.string().nullish(),
  /** true, or the name of the package to use instead. */
  abandoned: z.union([z.boolean(), z.string()]).optional(),
});

const UNSET = '__unset';

/**
 * Composer's `MetadataMinifier::expand`: the first version is complete; each next one is the
 * previous expanded version with its own keys set over it and `"__unset"` keys removed.
 */
export function expandMinified(versions: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  const expanded: Record<string, unknown>[] = [];
  let current: Map<string, unknown> | undefined;
  for (const version of versions) {
    if (!current) {
      current = new Map(Object.entries(version));
    } else {
      for (const [key, value] of Object.entries(version)) {
        if (value === UNSET) current.delete(key);
        else current.set(key, value);
      }
    }
    // Object.fromEntries defines own properties: a `__proto__` key stays data, never a prototype
    expanded.push(Object.fromEntries(current));
  }
  return expanded;
}

/** Composer package names are lowercase `vendor/name`; anything else cannot be on Packagist. */
export function packagistName(name: string): string | null {
  const lower = name.trim().toLowerCase();
  return /^[a-z0-9](?:[a-z0-9_.-]*[a-z0-9])?\/[a-z0-9](?:[a-z0-9_.-]*[a-z0-9])?$/.test(lower) ? lower : null;
}

function abandonedMessage(abandoned: boolean | string | undefined): string | null {
  if (abandoned === undefined || abandoned === false) return null;
  return typeof abandoned === 'string' && abandoned.length > 0 ? `abandoned; use ${abandoned} instead` : 'abandoned';
}

export function normalisePackagist(doc: PackagistP2, name: string, host: string): PackageInfo {
  const raw = doc.packages[name] ?? Object.values(doc.packages)[0] ?? [];
  const expanded = doc.minified === 'composer/2.0' ? expandMinified(raw) : raw;
  const versions = validate(z.array(packagistVersionSchema), expanded, host, `/p2/${name}.json (expanded versions)`);
  const abandoned = abandonedMessage(versions.find((v) => v.abandoned !== undefined)?.abandoned);
  return {
    ecosystem: 'packagist',
    name,
    latest: null,
    releases: versions.map((v) => ({ version: v.version, published: v.time ?? null, deprecated: abandoned, yanked: false })),
  };
}

export function createPackagistSource(http: HttpClient, endpoint: Endpoint): RegistrySource {
  return {
    ecosystem: 'packagist',
    host: endpoint.host,
    cacheKey: (name) => name.trim().toLowerCase(),
    async lookup(name, signal) {
      const canonical = packagistName(name);
      if (canonical === null) return null;
      const [vendor = '', project = ''] = canonical.split('/');
      const url = `${endpoint.base}/p2/${encodeURIComponent(vendor)}/${encodeURIComponent(project)}.json`;
      const doc = await http.getJson(url, packagistP2Schema, { signal, headers: endpoint.headersFor(url) });
      return doc === null ? null : normalisePackagist(doc, canonical, endpoint.host);
    },
  };
}
