/**
 * Known vulnerabilities of the inventoried packages, from OSV advisories: a local database of
 * imported OSV files, the OSV API and the npm bulk advisory endpoint (see readme.md).
 *
 * @example
 * const db = AdvisoryDatabase.open(defaultDatabasePath(cacheDir));
 * const sources = createAdvisorySources({ database: db, offline });
 * const { packages, errors } = await findVulnerabilities(components, sources, { signal });
 */
import type { Component, Ecosystem } from '../probes/versions/model.js';
import { DatasourceError } from '../datasources/registry.js';
import { schemeFor } from '../versioning/index.js';
import { osvEcosystem } from './match.js';
import { mergeAdvisories, type Vulnerability } from './merge.js';
import { packageKey, PartialAdvisoriesError, type AdvisorySource, type PackageQuery } from './sources.js';
import type { OsvRecord } from './schema.js';

export { AdvisoryDatabase, DATABASE_FILE, defaultDatabasePath, importOsv, isNewer } from './database.js';
export type { DatabaseStats, ImportError, ImportOptions, ImportProgress, ImportResult, IndexedAdvisory } from './database.js';
export {
  OSV_ECOSYSTEMS,
  isAffected,
  lowestFix,
  normalizePackageName,
  osvEcosystem,
  rangeContains,
  recordAffects,
  recordLowestFix,
} from './match.js';
export { dedupeById, groupRecords, mergeAdvisories, mergeGroup, primaryId, type PackageContext, type Vulnerability } from './merge.js';
export { npmRangeIncludes, npmRangeToOsv, parseNpmRange } from './npm-range.js';
export { osvSchema, parseOsv, parseOsvText, type OsvAffected, type OsvEvent, type OsvRange, type OsvRecord, type OsvReference, type OsvSeverity } from './schema.js';
export { bandOf, compareSeverity, cvssScore, severityOf, SEVERITIES, type Severity, type SeverityInfo } from './severity.js';
export {
  createAdvisorySources,
  localSource,
  npmAdvisoryToOsv,
  npmBulkSource,
  NPM_ADVISORIES_DEFAULT_BASE,
  osvApiSource,
  OSV_API_DEFAULT_BASE,
  packageKey,
  PartialAdvisoriesError,
  type AdvisorySource,
  type AdvisorySourcesOptions,
  type NpmBulkSourceOptions,
  type OsvApiSourceOptions,
  type PackageQuery,
} from './sources.js';
export { DEFAULT_ZIP_LIMITS, type ZipLimits } from './zip.js';

export interface PackageVulnerabilities {
  /** Our ecosystem id (`pypi`), or the OSV name when the query gave one directly. */
  ecosystem: Ecosystem | string;
  /** The OSV ecosystem name (`PyPI`). */
  osvEcosystem: string;
  name: string;
  version: string;
  /** Merged advisories affecting this version, worst first. */
  vulnerabilities: Array<Vulnerability & { ageDays: number | null }>;
}

export interface FindResult {
  /** Every package version checked (each once), with its vulnerabilities (possibly none). */
  packages: PackageVulnerabilities[];
  /** Sources that failed, wholly or partly: the answer is incomplete (the probe is `partial`). */
  errors: DatasourceError[];
  /** Components that could not be checked: no ecosystem or no exact version. */
  unchecked: Component[];
}

export interface FindOptions {
  signal?: AbortSignal;
  /** The clock for `ageDays` (days since publication). */
  now?: Date | (() => Date);
}

/** A component, or a package named directly with an OSV ecosystem (`Debian:12`). */
export type FindInput = Component | (PackageQuery & { osv: true });

function isQuery(input: FindInput): input is PackageQuery & { osv: true } {
  return (input as { osv?: unknown }).osv === true;
}

/**
 * Asks every source about the components' packages (in parallel), merges what they say per
 * package version and keeps the advisories that affect it. A failing source is reported in
 * `errors` (the others still count); an abort rejects.
 */
export async function findVulnerabilities(components: readonly FindInput[], sources: readonly AdvisorySource[], options: FindOptions = {}): Promise<FindResult> {
  const signal = options.signal ?? new AbortController().signal;
  const nowDate = typeof options.now === 'function' ? options.now() : (options.now ?? new Date());
  const unchecked: Component[] = [];
  const queries = new Map<string, { query: PackageQuery; ecosystem: Ecosystem | string }>();
  for (const input of components) {
    let query: PackageQuery;
    let ecosystem: Ecosystem | string;
    if (isQuery(input)) {
      query = { ecosystem: input.ecosystem, name: input.name, version: input.version };
      ecosystem = input.ecosystem;
    } else {
      if (input.ecosystem === null || input.version === null || input.version.trim() === '' || input.name.trim() === '') {
        unchecked.push(input);
        continue;
      }
      query = { ecosystem: osvEcosystem(input.ecosystem), name: input.name.trim(), version: input.version.trim() };
      ecosystem = input.ecosystem;
    }
    const key = packageKey(query);
    if (!queries.has(key)) queries.set(key, { query, ecosystem });
  }

  const list = [...queries.values()].map((entry) => entry.query);
  const errors: DatasourceError[] = [];
  const found = new Map<string, OsvRecord[]>();
  const add = (answer: Map<string, OsvRecord[]>): void => {
    for (const [key, records] of answer) {
      const seen = found.get(key);
      if (seen) seen.push(...records);
      else found.set(key, [...records]);
    }
  };
  const settled = await Promise.allSettled(sources.map((source) => (list.length === 0 ? Promise.resolve(new Map<string, OsvRecord[]>()) : source.advisoriesFor(list, signal))));
  signal.throwIfAborted();
  settled.forEach((outcome, index) => {
    const source = sources[index] as AdvisorySource;
    if (outcome.status === 'fulfilled') return add(outcome.value);
    const error: unknown = outcome.reason;
    if (error instanceof PartialAdvisoriesError) {
      add(error.partial);
      errors.push(error);
    } else if (error instanceof DatasourceError) {
      errors.push(error);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      errors.push(new DatasourceError('unavailable', source.name, `${source.name}: ${message}`, { cause: error }));
    }
  });

  const packages: PackageVulnerabilities[] = [];
  for (const [key, { query, ecosystem }] of queries) {
    const records = found.get(key) ?? [];
    const merged = records.length === 0 ? [] : mergeAdvisories(records, { ...query, scheme: schemeFor(query.ecosystem) });
    packages.push({
      ecosystem,
      osvEcosystem: query.ecosystem,
      name: query.name,
      version: query.version,
      vulnerabilities: merged.map((vulnerability) => ({ ...vulnerability, ageDays: ageInDays(vulnerability.published, nowDate) })),
    });
  }
  return { packages, errors, unchecked };
}

function ageInDays(published: string | null, now: Date): number | null {
  if (!published) return null;
  const at = Date.parse(published);
  if (!Number.isFinite(at)) return null;
  return Math.max(0, Math.floor((now.getTime() - at) / 86_400_000));
}
