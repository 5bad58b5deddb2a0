/**
 * Where advisories come from, behind one interface:
 *
 * - {@link localSource}: the local advisory database (imported OSV files; works offline);
 * - {@link osvApiSource}: the OSV API (`POST /v1/querybatch` for ids, `GET /v1/vulns/{id}` for the
 *   records not already stored), cached in the local database;
 * - {@link npmBulkSource}: the npm registry's bulk advisory endpoint, for npm packages.
 *
 * Every source answers, per package version asked (see {@link packageKey}), the records that
 * affect it. A source that cannot answer raises {@link DatasourceError} naming its host; when it
 * could answer part of the question it raises {@link PartialAdvisoriesError} carrying that part.
 * A failure is never an empty answer.
 */
import { z } from 'zod';
import { HttpClient, validate, type HttpClientOptions } from '../datasources/http.js';
import { DatasourceError, type DatasourceErrorCode } from '../datasources/registry.js';
import { mapLimit } from '../util/concurrency.js';
import { schemeFor } from '../versioning/index.js';
import type { AdvisoryDatabase } from './database.js';
import { isNewer } from './database.js';
import { isAffected, normalizePackageName } from './match.js';
import { npmRangeIncludes, npmRangeToOsv } from './npm-range.js';
import { osvSchema, parseOsv, type OsvRecord } from './schema.js';

export interface PackageQuery {
  /** OSV ecosystem name: `npm`, `PyPI`, `Go`, `crates.io`, `Maven`, `Debian:12`… */
  ecosystem: string;
  name: string;
  version: string;
}

export interface AdvisorySource {
  /** `osv.db`, `api.osv.dev`, `registry.npmjs.org`: shown in errors and reports. */
  name: string;
  /** The records affecting each package version, by {@link packageKey}; keys without advisories may be absent. */
  advisoriesFor(packages: readonly PackageQuery[], signal: AbortSignal): Promise<Map<string, OsvRecord[]>>;
}

/** The map key of a package version: ecosystem, normalised name and version. */
export function packageKey(query: PackageQuery): string {
  return `${query.ecosystem}\u0000${normalizePackageName(query.ecosystem, query.name)}\u0000${query.version}`;
}

/** A source answered only part of the question: `partial` holds what it could answer. */
export class PartialAdvisoriesError extends DatasourceError {
  constructor(
    code: DatasourceErrorCode,
    host: string,
    message: string,
    readonly partial: Map<string, OsvRecord[]>,
    options?: { cause?: unknown },
  ) {
    super(code, host, message, options);
    this.name = 'PartialAdvisoriesError';
  }
}

function uniqueQueries(packages: readonly PackageQuery[]): Map<string, PackageQuery> {
  const out = new Map<string, PackageQuery>();
  for (const query of packages) {
    const key = packageKey(query);
    if (!out.has(key)) out.set(key, query);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// (a) the local database

/**
 * Answers from the local database (records without their long `details`: `db.get(id)` has them).
 * Ecosystems that no import ever brought make the answer partial ({@link PartialAdvisoriesError}
 * `offline`): their packages are unknown, not clean.
 */
export function localSource(db: AdvisoryDatabase, options: { name?: string } = {}): AdvisorySource {
  const name = options.name ?? db.path;
  return {
    name,
    async advisoriesFor(packages, signal) {
      signal.throwIfAborted();
      const out = new Map<string, OsvRecord[]>();
      const uncovered = new Set<string>();
      try {
        const records = new Map<string, OsvRecord | null>();
        const byPackage = new Map<string, PackageQuery[]>();
        for (const query of uniqueQueries(packages).values()) {
          const pkg = `${query.ecosystem}\u0000${normalizePackageName(query.ecosystem, query.name)}`;
          const list = byPackage.get(pkg);
          if (list) list.push(query);
          else byPackage.set(pkg, [query]);
        }
        const covered = new Map<string, boolean>();
        for (const queries of byPackage.values()) {
          const first = queries[0] as PackageQuery;
          let isCovered = covered.get(first.ecosystem);
          if (isCovered === undefined) {
            isCovered = db.coveredSince(first.ecosystem) !== null;
            covered.set(first.ecosystem, isCovered);
          }
          if (!isCovered) uncovered.add(first.ecosystem);
          const candidates = db.candidates(first.ecosystem, first.name);
          if (candidates.length === 0) continue;
          const scheme = schemeFor(first.ecosystem);
          for (const query of queries) {
            const hits: OsvRecord[] = [];
            for (const candidate of candidates) {
              if (!candidate.affected.some((affected) => isAffected(affected, query.version, scheme))) continue;
              let record = records.get(candidate.id);
              if (record === undefined) {
                record = db.get(candidate.id, { details: false });
                records.set(candidate.id, record);
              }
              if (record) hits.push(record);
            }
            if (hits.length > 0) out.set(packageKey(query), hits);
          }
        }
      } catch (error) {
        throw new DatasourceError('unavailable', name, `${name}: cannot read the advisory database (${(error as Error).message})`, { cause: error });
      }
      if (uncovered.size > 0) {
        const list = [...uncovered].sort().join(', ');
        throw new PartialAdvisoriesError('offline', name, `${name}: no advisories imported for ${list}; import its OSV all.zip to check these packages offline`, out);
      }
      return out;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP

/** A POST with the HttpClient's retries, timeouts, size cap and errors (it only knows GET). */
async function postJson<T>(
  httpOptions: HttpClientOptions,
  url: string,
  body: unknown,
  schema: z.ZodType<T>,
  signal: AbortSignal,
  headers: Record<string, string> = {},
): Promise<T> {
  const text = JSON.stringify(body);
  const baseFetch = httpOptions.fetchImpl ?? globalThis.fetch;
  const client = new HttpClient({
    ...httpOptions,
    fetchImpl: (input, init) =>
      baseFetch(input, { ...init, method: 'POST', body: text, headers: { ...(init?.headers as Record<string, string> | undefined), 'Content-Type': 'application/json' } }),
  });
  // no status means "not found" for a POST: a 404 is an error like the others
  const answer = await client.getText(url, { signal, headers, notFound: [] });
  const target = new URL(url);
  if (answer === null) throw new DatasourceError('malformed', target.host, `${target.host}: no answer for ${target.pathname}`);
  let data: unknown;
  try {
    data = JSON.parse(answer);
  } catch (error) {
    throw new DatasourceError('malformed', target.host, `${target.host}: the answer for ${target.pathname} is not JSON (${(error as Error).message})`);
  }
  return validate(schema, data, target.host, target.pathname);
}

// ---------------------------------------------------------------------------------------------
// (b) the OSV API

export const OSV_API_DEFAULT_BASE = 'https://api.osv.dev';

export interface OsvApiSourceOptions {
  /** Default https://api.osv.dev */
  baseUrl?: string;
  /** Where fetched records and querybatch answers are kept; without it nothing is cached. */
  database?: AdvisoryDatabase;
  /** Timeouts, retries, fetch… of the HTTP client. */
  http?: HttpClientOptions;
  /** Queries per querybatch request (OSV allows 1,000). */
  batchSize?: number;
  /** `GET /v1/vulns/{id}` in flight. Default 8. */
  concurrency?: number;
  /** How long a querybatch answer is reused. Default 24 h. */
  ttlMs?: number;
  /** Pages followed per query (`next_page_token`). Default 50. */
  maxPages?: number;
  now?: () => Date;
}

const querybatchSchema = z.looseObject({
  results: z.array(
    z.looseObject({
      vulns: z.array(z.looseObject({ id: z.string().min(1), modified: z.string().optional() })).nullish(),
      next_page_token: z.string().nullish(),
    }),
  ),
});

interface VulnRef {
  id: string;
  modified?: string;
}

export function osvApiSource(options: OsvApiSourceOptions = {}): AdvisorySource {
  const httpOptions = options.http ?? {};
  const http = new HttpClient({ ...httpOptions, concurrency: options.concurrency ?? httpOptions.concurrency });
  const endpoint = http.endpoint(options.baseUrl ?? OSV_API_DEFAULT_BASE);
  const batchSize = Math.min(1000, Math.max(1, options.batchSize ?? 1000));
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
  const maxPages = Math.max(1, options.maxPages ?? 50);
  const now = options.now ?? (() => new Date());
  const db = options.database;
  const memory = new Map<string, OsvRecord>();

  const queryKey = (query: PackageQuery): string => `${endpoint.base}\u0000${packageKey(query)}`;

  /** Ids for each query, following next_page_token. */
  async function queryBatch(queries: PackageQuery[], signal: AbortSignal): Promise<VulnRef[][]> {
    const out: VulnRef[][] = queries.map(() => []);
    let pending = queries.map((query, index) => ({ index, query, token: undefined as string | undefined }));
    for (let page = 0; pending.length > 0; page++) {
      if (page >= maxPages) {
        throw new DatasourceError('malformed', endpoint.host, `${endpoint.host}: more than ${maxPages} pages of results for ${pending[0]?.query.name ?? 'a package'}`);
      }
      const url = `${endpoint.base}/v1/querybatch`;
      const body = {
        queries: pending.map(({ query, token }) => ({
          package: { ecosystem: query.ecosystem, name: query.name },
          version: query.version,
          ...(token !== undefined ? { page_token: token } : {}),
        })),
      };
      const answer = await postJson(httpOptions, url, body, querybatchSchema, signal, endpoint.headersFor(url));
      if (answer.results.length !== pending.length) {
        throw new DatasourceError('malformed', endpoint.host, `${endpoint.host}: ${answer.results.length} results for ${pending.length} queries in /v1/querybatch`);
      }
      const next: typeof pending = [];
      answer.results.forEach((result, i) => {
        const item = pending[i] as (typeof pending)[number];
        for (const vuln of result.vulns ?? []) (out[item.index] as VulnRef[]).push({ id: vuln.id, ...(vuln.modified ? { modified: vuln.modified } : {}) });
        if (result.next_page_token) next.push({ ...item, token: result.next_page_token });
      });
      pending = next;
    }
    return out;
  }

  async function fetchRecord(id: string, signal: AbortSignal): Promise<OsvRecord> {
    const url = `${endpoint.base}/v1/vulns/${encodeURIComponent(id)}`;
    const record = await http.getJson(url, osvSchema, { signal, headers: endpoint.headersFor(url) });
    if (record === null) throw new DatasourceError('malformed', endpoint.host, `${endpoint.host}: ${id} was listed by /v1/querybatch but /v1/vulns/${id} is not found`);
    if (record.id !== id) throw new DatasourceError('malformed', endpoint.host, `${endpoint.host}: /v1/vulns/${id} answered ${record.id}`);
    return record;
  }

  function known(ref: VulnRef): OsvRecord | null {
    const cached = memory.get(ref.id);
    if (cached && (!ref.modified || !isNewer(ref.modified, cached.modified))) return cached;
    if (!db) return null;
    const stored = db.modifiedOf(ref.id);
    if (stored === null || (ref.modified && isNewer(ref.modified, stored))) return null;
    const record = db.get(ref.id);
    if (record) memory.set(ref.id, record);
    return record;
  }

  return {
    name: endpoint.host,
    async advisoriesFor(packages, signal) {
      const unique = [...uniqueQueries(packages)];
      const nowMs = now().getTime();
      const refs = new Map<string, VulnRef[]>();
      const toAsk: Array<[string, PackageQuery]> = [];
      for (const [key, query] of unique) {
        const cached = db?.cachedAnswer(queryKey(query), ttlMs, nowMs);
        if (cached != null) {
          try {
            refs.set(key, JSON.parse(cached) as VulnRef[]);
            continue;
          } catch {
            // a damaged cache row: ask again
          }
        }
        toAsk.push([key, query]);
      }
      const asked: Array<[string, PackageQuery, VulnRef[]]> = [];
      for (let start = 0; start < toAsk.length; start += batchSize) {
        const batch = toAsk.slice(start, start + batchSize);
        const answers = await queryBatch(
          batch.map(([, query]) => query),
          signal,
        );
        batch.forEach(([key, query], i) => {
          const ids = answers[i] ?? [];
          refs.set(key, ids);
          asked.push([key, query, ids]);
        });
      }

      // the records not already known, fetched once each
      const missing = new Map<string, VulnRef>();
      for (const list of refs.values()) for (const ref of list) if (!missing.has(ref.id) && known(ref) === null) missing.set(ref.id, ref);
      const fetched = await mapLimit([...missing.keys()], concurrency, (id) => fetchRecord(id, signal), signal);
      for (const record of fetched) memory.set(record.id, record);
      if (db) {
        db.transaction(() => {
          for (const record of fetched) db.put(record, 'api');
          for (const [, query, ids] of asked) db.storeAnswer(queryKey(query), JSON.stringify(ids), nowMs);
        });
      }

      const out = new Map<string, OsvRecord[]>();
      for (const [key, list] of refs) {
        const records: OsvRecord[] = [];
        for (const ref of list) {
          const record = memory.get(ref.id) ?? known(ref);
          if (record) records.push(record);
        }
        if (records.length > 0) out.set(key, records);
      }
      return out;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// (c) the npm registry's bulk advisories

export const NPM_ADVISORIES_DEFAULT_BASE = 'https://registry.npmjs.org';

export interface NpmBulkSourceOptions {
  /** Default https://registry.npmjs.org (a mirror with the same endpoint works). */
  baseUrl?: string;
  headers?: Record<string, string>;
  http?: HttpClientOptions;
  /** Package names per request. Default 500. */
  chunkSize?: number;
  now?: () => Date;
}

const npmAdvisorySchema = z.looseObject({
  id: z.union([z.number(), z.string()]),
  url: z.string().nullish(),
  title: z.string().nullish(),
  severity: z.string().nullish(),
  vulnerable_versions: z.string().nullish(),
  cwe: z.union([z.array(z.string()), z.string()]).nullish(),
  cvss: z.looseObject({ score: z.number().nullish(), vectorString: z.string().nullish() }).nullish(),
});
const npmBulkSchema = z.record(z.string(), z.array(npmAdvisorySchema));
export type NpmAdvisory = z.infer<typeof npmAdvisorySchema>;

/** An npm bulk advisory as an OSV record for the given (affected) versions of `name`. */
export function npmAdvisoryToOsv(name: string, advisory: NpmAdvisory, versions: readonly string[], modified: string): OsvRecord {
  const ghsa = advisory.url ? /GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}/i.exec(advisory.url)?.[0] : undefined;
  const id = ghsa ? `GHSA${ghsa.slice(4).toLowerCase()}` : `NPM-${String(advisory.id)}`;
  const vector = advisory.cvss?.vectorString?.trim();
  const severity = vector ? [{ type: vector.startsWith('CVSS:4') ? 'CVSS_V4' : vector.startsWith('CVSS:3') ? 'CVSS_V3' : 'CVSS_V2', score: vector }] : [];
  const ranges = advisory.vulnerable_versions ? npmRangeToOsv(advisory.vulnerable_versions) : null;
  const cwe = advisory.cwe == null ? [] : Array.isArray(advisory.cwe) ? advisory.cwe : [advisory.cwe];
  const candidate = {
    id,
    modified,
    aliases: [],
    summary: advisory.title ?? undefined,
    severity,
    affected: [{ package: { ecosystem: 'npm', name }, versions: [...versions], ...(ranges && ranges.length > 0 ? { ranges } : {}) }],
    references: advisory.url ? [{ type: 'ADVISORY', url: advisory.url }] : [],
    database_specific: {
      source: 'npm',
      npm_id: advisory.id,
      ...(advisory.severity ? { severity: advisory.severity.toUpperCase() } : {}),
      ...(cwe.length > 0 ? { cwe_ids: cwe } : {}),
      ...(advisory.vulnerable_versions ? { vulnerable_versions: advisory.vulnerable_versions } : {}),
    },
  };
  const parsed = parseOsv(candidate);
  if (parsed.ok) return parsed.record;
  // should not happen (the ranges are built valid); the versions list alone still says it all
  return { ...candidate, affected: [{ package: { ecosystem: 'npm', name }, versions: [...versions] }] } as OsvRecord;
}

export function npmBulkSource(options: NpmBulkSourceOptions = {}): AdvisorySource {
  const httpOptions = options.http ?? {};
  const http = new HttpClient(httpOptions);
  const endpoint = http.endpoint(options.baseUrl ?? NPM_ADVISORIES_DEFAULT_BASE, options.headers);
  const chunkSize = Math.max(1, options.chunkSize ?? 500);
  const now = options.now ?? (() => new Date());

  return {
    name: endpoint.host,
    async advisoriesFor(packages, signal) {
      const byName = new Map<string, Array<[string, PackageQuery]>>();
      for (const [key, query] of uniqueQueries(packages)) {
        if (query.ecosystem !== 'npm') continue;
        const list = byName.get(query.name);
        if (list) list.push([key, query]);
        else byName.set(query.name, [[key, query]]);
      }
      const out = new Map<string, OsvRecord[]>();
      const names = [...byName.keys()];
      const modified = now().toISOString();
      for (let start = 0; start < names.length; start += chunkSize) {
        const chunk = names.slice(start, start + chunkSize);
        const body: Record<string, string[]> = {};
        for (const name of chunk) body[name] = (byName.get(name) ?? []).map(([, query]) => query.version);
        const url = `${endpoint.base}/-/npm/v1/security/advisories/bulk`;
        const answer = await postJson(httpOptions, url, body, npmBulkSchema, signal, endpoint.headersFor(url));
        for (const [name, advisories] of Object.entries(answer)) {
          const asked = byName.get(name);
          if (!asked) continue; // a name we did not ask about
          for (const advisory of advisories) {
            // the answer is per asked version; with several versions, the range says which
            const hit =
              asked.length === 1
                ? asked
                : asked.filter(([, query]) => {
                    const included = advisory.vulnerable_versions ? npmRangeIncludes(advisory.vulnerable_versions, query.version) : null;
                    return included !== false; // unknown: reported
                  });
            if (hit.length === 0) continue;
            const record = npmAdvisoryToOsv(
              name,
              advisory,
              hit.map(([, query]) => query.version),
              modified,
            );
            for (const [key] of hit) {
              const list = out.get(key);
              if (list) list.push(record);
              else out.set(key, [record]);
            }
          }
        }
      }
      return out;
    },
  };
}

// ---------------------------------------------------------------------------------------------

export interface AdvisorySourcesOptions {
  database: AdvisoryDatabase;
  /** Only the local database. */
  offline?: boolean;
  /** The OSV API (default on when online); false to leave it out. */
  osvApi?: boolean | Omit<OsvApiSourceOptions, 'database'>;
  /** The npm bulk endpoint (default off: the OSV API already has GitHub's npm advisories). */
  npm?: boolean | NpmBulkSourceOptions;
}

/** The sources to ask: offline, only the local database; online, the OSV API (cached in the database) and optionally npm. */
export function createAdvisorySources(options: AdvisorySourcesOptions): AdvisorySource[] {
  if (options.offline) return [localSource(options.database)];
  const sources: AdvisorySource[] = [];
  if (options.osvApi !== false) sources.push(osvApiSource({ ...(typeof options.osvApi === 'object' ? options.osvApi : {}), database: options.database }));
  if (options.npm) sources.push(npmBulkSource(typeof options.npm === 'object' ? options.npm : {}));
  if (sources.length === 0) sources.push(localSource(options.database));
  return sources;
}
