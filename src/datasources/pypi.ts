/**
 * PyPI: the JSON API `GET {base}/pypi/{name}/json`, the name normalised per PEP 503. A release's
 * publication time is its earliest file upload; it is yanked when all its files are (PEP 592).
 */
import { z } from 'zod';
import type { Endpoint, HttpClient } from './http.js';
import type { PackageInfo, RegistrySource, ReleaseInfo } from './registry.js';

export const PYPI_DEFAULT_BASE = 'https://pypi.org';

const fileSchema = z.object({
  upload_time_iso_8601: z.string().nullish(),
  /** Older field, UTC without a zone: `2019-04-01T13:00:00`. */
  upload_time: z.string().nullish(),
  yanked: z.boolean().optional(),
  yanked_reason: z.string().nullish(),
});

export const pypiProjectSchema = z.object({
  info: z.object({
    name: z.string(),
    /** PyPI's latest release (the highest non-pre-release, when there is one). */
    version: z.string().nullish(),
  }),
  releases: z.record(z.string(), z.array(fileSchema)).optional(),
});
export type PypiProject = z.infer<typeof pypiProjectSchema>;

/** PEP 503: lowercase, runs of `-`, `_` and `.` become one `-`. */
export function normalisePypiName(name: string): string {
  return name.trim().toLowerCase().replace(/[-_.]+/g, '-');
}

export function normalisePypi(doc: PypiProject): PackageInfo {
  const releases: ReleaseInfo[] = Object.entries(doc.releases ?? {}).map(([version, files]) => {
    let published: string | null = null;
    let earliest = Infinity;
    for (const file of files) {
      const iso = file.upload_time_iso_8601 ?? (file.upload_time ? asUtc(file.upload_time) : null);
      const ms = iso ? Date.parse(iso) : NaN;
      if (iso && !Number.isNaN(ms) && ms < earliest) {
        earliest = ms;
        published = iso;
      }
    }
    return { version, published, deprecated: null, yanked: files.length > 0 && files.every((file) => file.yanked === true) };
  });
  return { ecosystem: 'pypi', name: doc.info.name, latest: doc.info.version || null, releases };
}

/** `upload_time` has no zone and is UTC. */
function asUtc(time: string): string {
  return /(Z|[+-]\d\d:?\d\d)$/i.test(time) ? time : `${time}Z`;
}

export function createPypiSource(http: HttpClient, endpoint: Endpoint): RegistrySource {
  return {
    ecosystem: 'pypi',
    host: endpoint.host,
    cacheKey: normalisePypiName,
    async lookup(name, signal) {
      const url = `${endpoint.base}/pypi/${encodeURIComponent(normalisePypiName(name))}/json`;
      const doc = await http.getJson(url, pypiProjectSchema, { signal, headers: endpoint.headersFor(url) });
      return doc === null ? null : normalisePypi(doc);
    },
  };
}
