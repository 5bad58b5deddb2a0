/**
 * npm: the full packument `GET {base}/{name}` (scoped names as `@scope%2fname`). The abbreviated
 * install document (`application/vnd.npm.install-v1+json`) has no `time`, so it is not used.
 */
import { z } from 'zod';
import type { Endpoint, HttpClient } from './http.js';
import type { PackageInfo, RegistrySource, ReleaseInfo } from './registry.js';

export const NPM_DEFAULT_BASE = 'https://registry.npmjs.org';

/** The parts of a packument read here; everything else is dropped unread. */
export const npmPackumentSchema = z.object({
  name: z.string().optional(),
  'dist-tags': z.record(z.string(), z.string()).optional(),
  versions: z.record(z.string(), z.object({ deprecated: z.unknown().optional() })).optional(),
  /** `created`, `modified`, one ISO time per version, and `unpublished` (an object) when unpublished. */
  time: z.record(z.string(), z.unknown()).optional(),
});
export type NpmPackument = z.infer<typeof npmPackumentSchema>;

/** `@scope/name` → `@scope%2fname`; other names percent-encoded whole. */
export function npmPath(name: string): string {
  if (name.startsWith('@')) {
    const slash = name.indexOf('/');
    if (slash > 1) return `@${encodeURIComponent(name.slice(1, slash))}%2f${encodeURIComponent(name.slice(slash + 1))}`;
  }
  return encodeURIComponent(name);
}

export function normaliseNpm(doc: NpmPackument, name: string): PackageInfo {
  const time = doc.time ?? {};
  const releases: ReleaseInfo[] = Object.entries(doc.versions ?? {}).map(([version, meta]) => {
    const published = time[version];
    const deprecated = meta.deprecated;
    return {
      version,
      published: typeof published === 'string' ? published : null,
      // `npm deprecate pkg ""` un-deprecates: an empty message is no deprecation
      deprecated: typeof deprecated === 'string' && deprecated.length > 0 ? deprecated : deprecated === true ? 'deprecated' : null,
      yanked: false,
    };
  });
  return { ecosystem: 'npm', name: doc.name ?? name, latest: doc['dist-tags']?.latest ?? null, releases };
}

export function createNpmSource(http: HttpClient, endpoint: Endpoint): RegistrySource {
  return {
    ecosystem: 'npm',
    host: endpoint.host,
    cacheKey: (name) => name,
    async lookup(name, signal) {
      const url = `${endpoint.base}/${npmPath(name)}`;
      const doc = await http.getJson(url, npmPackumentSchema, { signal, headers: endpoint.headersFor(url) });
      return doc === null ? null : normaliseNpm(doc, name);
    },
  };
}
