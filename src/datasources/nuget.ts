/**
 * NuGet: the registration index `GET {base}/v3/registration5-gz-semver2/{lowercase id}/index.json`
 * (gzip-compressed; fetch decompresses). Its pages hold the versions inline, or only their URL,
 * in which case the page is fetched. Each leaf's `catalogEntry` gives `version`, `published`
 * (`1900-01-01` marks an unlisted version: yanked) and `deprecation`.
 */
import { z } from 'zod';
import type { Endpoint, HttpClient } from './http.js';
import { DatasourceError, type PackageInfo, type RegistrySource, type ReleaseInfo } from './registry.js';

export const NUGET_DEFAULT_BASE = 'https://api.nuget.org';

const catalogEntrySchema = z.object({
  id: z.string().optional(),
  version: z.string(),
  published: z.string().nullish(),
  listed: z.boolean().optional(),
  deprecation: z
    .object({
      reasons: z.array(z.string()).optional(),
      message: z.string().nullish(),
      alternatePackage: z.object({ id: z.string(), range: z.string().nullish() }).nullish(),
    })
    .nullish(),
});

const leafSchema = z.object({ catalogEntry: catalogEntrySchema });

export const nugetPageSchema = z.object({
  '@id': z.string(),
  items: z.array(leafSchema).nullish(),
});

export const nugetIndexSchema = z.object({
  items: z.array(nugetPageSchema),
});
export type NugetCatalogEntry = z.infer<typeof catalogEntrySchema>;

/** `published` in 1900 is how nuget.org marks an unlisted version. */
function isUnlistedDate(published: string | null | undefined): boolean {
  return typeof published === 'string' && published.startsWith('1900-');
}

function deprecationMessage(deprecation: NugetCatalogEntry['deprecation']): string | null {
  if (!deprecation) return null;
  const reasons = deprecation.reasons?.length ? deprecation.reasons.join(', ') : null;
  const text = deprecation.message?.trim() || (reasons ? `deprecated (${reasons})` : 'deprecated');
  const alternate = deprecation.alternatePackage?.id;
  return alternate ? `${text}; use ${alternate} instead` : text;
}

export function normaliseNugetEntries(entries: readonly NugetCatalogEntry[], name: string): PackageInfo {
  const releases: ReleaseInfo[] = entries.map((entry) => {
    const unlisted = entry.listed === false || isUnlistedDate(entry.published);
    return {
      version: entry.version,
      published: entry.published && !isUnlistedDate(entry.published) ? entry.published : null,
      deprecated: deprecationMessage(entry.deprecation),
      yanked: unlisted,
    };
  });
  return { ecosystem: 'nuget', name: entries[0]?.id ?? name, latest: null, releases };
}

export function createNugetSource(http: HttpClient, endpoint: Endpoint): RegistrySource {
  return {
    ecosystem: 'nuget',
    host: endpoint.host,
    cacheKey: (name) => name.trim().toLowerCase(),
    async lookup(name, signal) {
      const id = name.trim().toLowerCase();
      const url = `${endpoint.base}/v3/registration5-gz-semver2/${encodeURIComponent(id)}/index.json`;
      const index = await http.getJson(url, nugetIndexSchema, { signal, headers: endpoint.headersFor(url) });
      if (index === null) return null;
      const pages = await Promise.all(
        index.items.map(async (page) => {
          if (page.items) return page.items;
          const pageUrl = resolvePageUrl(page['@id'], url, endpoint.host);
          const fetched = await http.getJson(pageUrl, nugetPageSchema, { signal, headers: endpoint.headersFor(pageUrl) });
          if (fetched === null) {
            throw new DatasourceError('unavailable', endpoint.host, `${endpoint.host}: registration page ${new URL(pageUrl).pathname} of ${id} is missing`);
          }
          return fetched.items ?? [];
        }),
      );
      return normaliseNugetEntries(
        pages.flat().map((leaf) => leaf.catalogEntry),
        name.trim(),
      );
    },
  };
}

function resolvePageUrl(id: string, base: string, host: string): string {
  let url: URL;
  try {
    url = new URL(id, base);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new DatasourceError('malformed', host, `${host}: registration page URL is not http(s)`);
  }
  return url.href;
}
