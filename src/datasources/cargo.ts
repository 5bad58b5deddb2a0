/**
 * crates.io: `GET {base}/api/v1/crates/{name}` with every version (`num`, `created_at`, `yanked`)
 * and the crate's `max_stable_version`. crates.io refuses requests without a User-Agent; the
 * HTTP client always sends one.
 */
import { z } from 'zod';
import type { Endpoint, HttpClient } from './http.js';
import type { PackageInfo, RegistrySource } from './registry.js';

export const CARGO_DEFAULT_BASE = 'https://crates.io';

export const cratesIoCrateSchema = z.object({
  crate: z.object({
    name: z.string(),
    max_stable_version: z.string().nullish(),
  }),
  versions: z
    .array(
      z.object({
        num: z.string(),
        created_at: z.string().nullish(),
        yanked: z.boolean().optional(),
      }),
    )
    .nullish(),
});
export type CratesIoCrate = z.infer<typeof cratesIoCrateSchema>;

/** crates.io compares names case-insensitively with `-` and `_` the same. */
export function cargoCacheKey(name: string): string {
  return name.trim().toLowerCase().replace(/_/g, '-');
}

export function normaliseCargo(doc: CratesIoCrate): PackageInfo {
  return {
    ecosystem: 'cargo',
    name: doc.crate.name,
    latest: doc.crate.max_stable_version || null,
    releases: (doc.versions ?? []).map((v) => ({
      version: v.num,
      published: v.created_at ?? null,
      deprecated: null,
      yanked: v.yanked === true,
    })),
  };
}

export function createCargoSource(http: HttpClient, endpoint: Endpoint): RegistrySource {
  return {
    ecosystem: 'cargo',
    host: endpoint.host,
    cacheKey: cargoCacheKey,
    async lookup(name, signal) {
      const url = `${endpoint.base}/api/v1/crates/${encodeURIComponent(name.trim())}`;
      const doc = await http.getJson(url, cratesIoCrateSchema, { signal, headers: endpoint.headersFor(url) });
      return doc === null ? null : normaliseCargo(doc);
    },
  };
}
