/**
 * Refreshes the end-of-life data from the endoflife.date API v1 (`GET /api/v1/products/full`,
 * one response holding every product with its releases), converts it to the compact form the
 * bundled snapshot uses (data.ts) and writes it atomically to `<cacheDir>/endoflife-full.json`.
 * Anything that goes wrong raises {@link EolUpdateError}; the previous cache is then left as it was.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { EOL_CACHE_FILE, eolDataSchema, type EolCycle, type EolData, type EolProduct, type EolPurl } from './data.js';
import { parsePurl } from './purl.js';
import { readBodyLimited } from '../util/http-body.js';

export const DEFAULT_EOL_BASE_URL = 'https://endoflife.date';
export const EOL_API_PATH = '/api/v1/products/full';
/** The full dump is a few megabytes; allow for growth but not for an endless stream. */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 60_000;

export type EolUpdateErrorCode = 'network' | 'timeout' | 'aborted' | 'http' | 'malformed' | 'write';

export class EolUpdateError extends Error {
  constructor(
    readonly code: EolUpdateErrorCode,
    message: string,
    readonly url: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'EolUpdateError';
  }
}

export interface UpdateEolOptions {
  /** API host; a mirror may add a path prefix. Default https://endoflife.date. */
  baseUrl?: string;
  /** Directory the refreshed data is written to (created when missing). */
  cacheDir: string;
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
  /** Whole request, headers and body (default 60 s). */
  timeoutMs?: number;
  /** Clock for `fetchedAt` and, when the API gives no generation date, `asOf`. */
  now?: () => Date;
}

export interface UpdateEolResult {
  path: string;
  asOf: string;
  fetchedAt: string;
  products: number;
  cycles: number;
}

// Kept in step with scripts/build-eol-data.ts.
const PURL_TYPES = new Set(['npm', 'pypi', 'golang', 'cargo', 'gem', 'composer', 'maven', 'nuget', 'hex', 'docker', 'oci', 'generic']);
const SKIPPED_CATEGORIES = new Set(['device']);

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'expected a date YYYY-MM-DD');
const nullableDate = isoDate.nullable().optional();

const apiReleaseSchema = z.object({
  name: z.string().min(1),
  codename: z.string().nullable().optional(),
  label: z.string().nullable().optional(),
  releaseDate: nullableDate,
  isLts: z.boolean().optional(),
  ltsFrom: nullableDate,
  isEoas: z.boolean().optional(),
  eoasFrom: nullableDate,
  isEol: z.boolean(),
  eolFrom: nullableDate,
  latest: z
    .object({ name: z.string().min(1), date: nullableDate })
    .nullable()
    .optional(),
});

const apiProductSchema = z.object({
  name: z.string().min(1),
  label: z.string().min(1),
  aliases: z.array(z.string()).optional(),
  category: z.string().min(1),
  identifiers: z.array(z.object({ type: z.string(), id: z.string() })).optional(),
  releases: z.array(apiReleaseSchema),
});

const apiResponseSchema = z.object({
  schema_version: z.string(),
  generated_at: z.string().optional(),
  last_modified: z.string().optional(),
  total: z.number().int().optional(),
  result: z.array(apiProductSchema),
});

export type ApiFullResponse = z.infer<typeof apiResponseSchema>;

function day(value: string | null | undefined): string | undefined {
  return typeof value === 'string' ? value.slice(0, 10) : undefined;
}

function convertRelease(release: z.infer<typeof apiReleaseSchema>): EolCycle {
  const cycle: EolCycle = { cycle: release.name, eol: day(release.eolFrom) ?? release.isEol };
  const releaseDate = day(release.releaseDate);
  if (releaseDate) cycle.releaseDate = releaseDate;
  if (release.isEoas !== undefined) cycle.eoas = day(release.eoasFrom) ?? release.isEoas;
  if (release.isLts) cycle.lts = day(release.ltsFrom) ?? true;
  if (release.latest) {
    cycle.latest = release.latest.name;
    const latestDate = day(release.latest.date);
    if (latestDate) cycle.latestReleaseDate = latestDate;
  }
  if (release.codename) cycle.codename = release.codename;
  return cycle;
}

function convertProduct(product: z.infer<typeof apiProductSchema>): EolProduct {
  const out: EolProduct = { title: product.label, category: product.category, cycles: product.releases.map(convertRelease) };
  const aliases = [...new Set((product.aliases ?? []).map((alias) => alias.replace(/^\/+/, '').toLowerCase()))].filter(
    (alias) => alias !== '' && alias !== product.name,
  );
  if (aliases.length > 0) out.aliases = aliases;
  const seen = new Set<string>();
  const purls: EolPurl[] = [];
  for (const identifier of product.identifiers ?? []) {
    if (identifier.type !== 'purl') continue;
    const purl = parsePurl(identifier.id);
    if (!purl || !PURL_TYPES.has(purl.type)) continue;
    const key = `${purl.type}/${purl.namespace ?? ''}/${purl.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    purls.push(purl.namespace ? { type: purl.type, namespace: purl.namespace, name: purl.name } : { type: purl.type, name: purl.name });
  }
  if (purls.length > 0) out.purls = purls;
  return out;
}

/**
 * Converts a parsed `/api/v1/products/full` response to prodeng's compact data. Throws
 * {@link EolUpdateError} (`malformed`) for anything else, naming what did not fit.
 */
export function convertApiResponse(json: unknown, options: { url?: string; now?: Date } = {}): EolData {
  const url = options.url ?? `${DEFAULT_EOL_BASE_URL}${EOL_API_PATH}`;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new EolUpdateError('malformed', `${url}: expected a JSON object with schema_version and result`, url);
  }
  const version = (json as { schema_version?: unknown }).schema_version;
  if (typeof version === 'string' && !/^1\./.test(version)) {
    throw new EolUpdateError('malformed', `${url}: unsupported API schema_version ${version} (prodeng reads 1.x)`, url);
  }
  const parsed = apiResponseSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new EolUpdateError('malformed', `${url}: not an endoflife.date API v1 products/full response (${issues})`, url);
  }
  const response = parsed.data;
  if (response.result.length === 0) {
    throw new EolUpdateError('malformed', `${url}: the response lists no products`, url);
  }
  const products: Record<string, EolProduct> = {};
  for (const product of [...response.result].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (SKIPPED_CATEGORIES.has(product.category)) continue;
    products[product.name] = convertProduct(product);
  }
  const now = options.now ?? new Date();
  const generated = day(response.generated_at) ?? day(response.last_modified);
  const asOf = generated && /^\d{4}-\d{2}-\d{2}$/.test(generated) ? generated : now.toISOString().slice(0, 10);
  const data: EolData = {
    source: `${url} (endoflife.date API v${version ?? '1'})`,
    commit: 'api',
    asOf,
    license: 'MIT, endoflife.date contributors',
    fetchedAt: now.toISOString(),
    products,
  };
  const check = eolDataSchema.safeParse(data);
  if (!check.success) {
    const issue = check.error.issues[0];
    throw new EolUpdateError('malformed', `${url}: converted data is invalid (${issue?.path.join('.')}: ${issue?.message})`, url);
  }
  return check.data;
}

async function readBody(response: Response, url: string): Promise<string> {
  return readBodyLimited(response, MAX_RESPONSE_BYTES, () => new EolUpdateError('malformed', `${url}: response larger than ${MAX_RESPONSE_BYTES} bytes`, url));
}

/**
 * Fetches the live data and writes it to `<cacheDir>/endoflife-full.json` (temp file + rename).
 * Throws {@link EolUpdateError}: `network`, `timeout`, `aborted`, `http` (status other than 200),
 * `malformed` (not JSON, not the v1 shape) or `write`.
 */
export async function updateEolData(options: UpdateEolOptions): Promise<UpdateEolResult> {
  const baseUrl = (options.baseUrl ?? DEFAULT_EOL_BASE_URL).replace(/\/+$/, '');
  const url = `${baseUrl}${EOL_API_PATH}`;
  const fetchImpl = options.fetchImpl ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;

  const failure = (error: unknown): EolUpdateError => {
    if (error instanceof EolUpdateError) return error;
    if (options.signal?.aborted) return new EolUpdateError('aborted', `${url}: the update was cancelled`, url);
    if (timeout.aborted) return new EolUpdateError('timeout', `${url}: no complete answer within ${timeoutMs} ms`, url);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    return new EolUpdateError('network', `${url}: cannot reach endoflife.date (${reason})`, url);
  };

  let text: string;
  try {
    const response = await fetchImpl(url, {
      signal,
      headers: { accept: 'application/json', 'user-agent': 'prodeng (https://github.com/prodeng)' },
    });
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw new EolUpdateError('http', `${url}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`, url, response.status);
    }
    text = await readBody(response, url);
  } catch (error) {
    throw failure(error);
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new EolUpdateError('malformed', `${url}: the response is not JSON (${(error as Error).message})`, url);
  }
  const now = options.now?.() ?? new Date();
  const data = convertApiResponse(json, { url, now });

  const path = join(options.cacheDir, EOL_CACHE_FILE);
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(options.cacheDir, { recursive: true });
    writeFileSync(temp, `${JSON.stringify(data)}\n`);
    renameSync(temp, path);
  } catch (error) {
    try {
      rmSync(temp, { force: true });
    } catch {
      // nothing was written
    }
    throw new EolUpdateError('write', `${path}: cannot write the end-of-life cache (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, url);
  }
  const cycles = Object.values(data.products).reduce((sum, product) => sum + product.cycles.length, 0);
  return { path, asOf: data.asOf, fetchedAt: data.fetchedAt ?? now.toISOString(), products: Object.keys(data.products).length, cycles };
}
