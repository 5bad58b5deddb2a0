/**
 * RubyGems: `GET {base}/api/v1/versions/{name}.json`, one entry per (number, platform). Platform
 * builds of one number (`1.16.0`, `1.16.0-java`, `1.16.0-x86_64-linux`) collapse to one version,
 * published when the first of them was. The API leaves yanked versions out, so none is yanked here;
 * it has no "latest" either (the caller computes it).
 */
import { z } from 'zod';
import type { Endpoint, HttpClient } from './http.js';
import type { PackageInfo, RegistrySource, ReleaseInfo } from './registry.js';

export const RUBYGEMS_DEFAULT_BASE = 'https://rubygems.org';

export const rubygemsVersionsSchema = z.array(
  z.object({
    number: z.string(),
    platform: z.string().nullish(),
    created_at: z.string().nullish(),
    prerelease: z.boolean().optional(),
  }),
);
export type RubygemsVersions = z.infer<typeof rubygemsVersionsSchema>;

export function normaliseRubygems(doc: RubygemsVersions, name: string): PackageInfo {
  const byNumber = new Map<string, ReleaseInfo>();
  for (const entry of doc) {
    const published = entry.created_at ?? null;
    const seen = byNumber.get(entry.number);
    if (!seen) {
      byNumber.set(entry.number, { version: entry.number, published, deprecated: null, yanked: false });
    } else if (published !== null && (seen.published === null || Date.parse(published) < Date.parse(seen.published))) {
      seen.published = published;
    }
  }
  return { ecosystem: 'rubygems', name, latest: null, releases: [...byNumber.values()] };
}

export function createRubygemsSource(http: HttpClient, endpoint: Endpoint): RegistrySource {
  return {
    ecosystem: 'rubygems',
    host: endpoint.host,
    // gem names are case-sensitive on rubygems.org
    cacheKey: (name) => name.trim(),
    async lookup(name, signal) {
      const url = `${endpoint.base}/api/v1/versions/${encodeURIComponent(name.trim())}.json`;
      const doc = await http.getJson(url, rubygemsVersionsSchema, { signal, headers: endpoint.headersFor(url) });
      return doc === null ? null : normaliseRubygems(doc, name.trim());
    },
  };
}
