/**
 * The end-of-life data prodeng judges components against: release cycles of about 440 products
 * from endoflife.date (MIT). A snapshot is bundled (`data/endoflife.json`, built by
 * `scripts/build-eol-data.ts`); `updateEolData` (update.ts) refreshes a copy in a cache
 * directory from the live API. {@link loadEolData} returns whichever of the two is newer.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');
const dateOrBool = z.union([isoDate, z.boolean()]);

export const eolPurlSchema = z.object({
  type: z.string().min(1),
  namespace: z.string().min(1).optional(),
  name: z.string().min(1),
});

export const eolCycleSchema = z.object({
  /** The cycle as the product numbers them: `16`, `3.9`, `18.04`, `2.426`. */
  cycle: z.string().min(1),
  releaseDate: isoDate.optional(),
  /** End of life: a date, `true` (ended, date unknown) or `false` (not announced). */
  eol: dateOrBool,
  /** End of active support (security fixes only after it); absent when the product has no such phase. */
  eoas: dateOrBool.optional(),
  /** Long-term support: `true`, or the date the cycle became LTS. Absent for non-LTS cycles. */
  lts: dateOrBool.optional(),
  latest: z.string().min(1).optional(),
  latestReleaseDate: isoDate.optional(),
  codename: z.string().min(1).optional(),
});

export const eolProductSchema = z.object({
  title: z.string().min(1),
  category: z.string().min(1),
  /** Other names endoflife.date knows the product by (`node`, `postgres`, `k8s`). */
  aliases: z.array(z.string().min(1)).optional(),
  purls: z.array(eolPurlSchema).optional(),
  /** Newest first, as endoflife.date lists them. */
  cycles: z.array(eolCycleSchema),
});

export const eolDataSchema = z.object({
  /** Where the data came from, to cite wherever it is shown. */
  source: z.string().min(1),
  /** endoflife.date commit of a bundled snapshot; `api` for a refreshed cache. */
  commit: z.string().min(1),
  /** The date the data describes. */
  asOf: isoDate,
  license: z.string().optional(),
  /** When a refreshed cache was fetched (ISO 8601). */
  fetchedAt: z.string().optional(),
  products: z.record(z.string().min(1), eolProductSchema),
});

export type EolPurl = z.infer<typeof eolPurlSchema>;
export type EolCycle = z.infer<typeof eolCycleSchema>;
export type EolProduct = z.infer<typeof eolProductSchema>;
export type EolData = z.infer<typeof eolDataSchema>;

export type EolOrigin = 'bundled' | 'cache';

export interface LoadedEolData extends EolData {
  origin: EolOrigin;
  /** The file it was read from. */
  path: string;
  /** Why a cache file was not used (unreadable, malformed); empty when all went well. */
  warnings: string[];
}

/** The refreshed copy's name inside the cache directory. */
export const EOL_CACHE_FILE = 'endoflife-full.json';
export const BUNDLED_RELATIVE_PATH = 'data/endoflife.json';

/** The bundled or cached data cannot be read or does not have the expected shape. */
export class EolDataError extends Error {
  readonly code = 'eol-data';
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'EolDataError';
  }
}

/**
 * Finds `data/endoflife.json` by looking in the module's folder and up to 4 levels above it:
 * works from `src/eol/` (tests), `dist/eol/` (compiled) and `dist/bundle/` (bundled).
 */
export function findBundledDataFile(fromUrl: string = import.meta.url): string | null {
  let dir = dirname(fileURLToPath(fromUrl));
  for (let level = 0; level <= 4; level++) {
    const candidate = join(dir, BUNDLED_RELATIVE_PATH);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here; go up
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

/** Parses and validates data text. Throws {@link EolDataError} naming the first problems. */
export function parseEolData(text: string, path: string): EolData {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new EolDataError(`${path}: not JSON (${(error as Error).message})`, path);
  }
  const parsed = eolDataSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new EolDataError(`${path}: not end-of-life data as prodeng writes it (${issues})`, path);
  }
  return parsed.data;
}

const fileCache = new Map<string, { stamp: string; data: EolData }>();

/** Reads a data file (memoized by path, modification time and size). Throws {@link EolDataError}. */
export function readEolDataFile(path: string): EolData {
  let stamp: string;
  try {
    const stat = statSync(path);
    stamp = `${stat.mtimeMs}:${stat.size}`;
  } catch (error) {
    throw new EolDataError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, path);
  }
  const cached = fileCache.get(path);
  if (cached && cached.stamp === stamp) return cached.data;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new EolDataError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, path);
  }
  const data = parseEolData(text, path);
  fileCache.set(path, { stamp, data });
  return data;
}

function isMissing(error: unknown): boolean {
  return error instanceof EolDataError && /\(ENOENT\)$/.test(error.message);
}

/**
 * The newest end-of-life data available offline: the bundled snapshot, or the cache file
 * `<cacheDir>/endoflife-full.json` when it is at least as recent (by `asOf`). A cache file that
 * cannot be used is reported in `warnings` and the bundled data is returned. Throws
 * {@link EolDataError} only when the bundled file itself is missing or broken (a packaging bug).
 */
export function loadEolData(options: { cacheDir?: string } = {}): LoadedEolData {
  const bundledPath = findBundledDataFile();
  if (bundledPath === null) {
    throw new EolDataError(`${BUNDLED_RELATIVE_PATH} not found near ${fileURLToPath(import.meta.url)}`, BUNDLED_RELATIVE_PATH);
  }
  const bundled = readEolDataFile(bundledPath);
  const warnings: string[] = [];
  if (options.cacheDir !== undefined) {
    const cachePath = join(options.cacheDir, EOL_CACHE_FILE);
    try {
      const cache = readEolDataFile(cachePath);
      if (cache.asOf >= bundled.asOf) return { ...cache, origin: 'cache', path: cachePath, warnings };
    } catch (error) {
      if (!isMissing(error)) warnings.push(`ignoring the end-of-life cache: ${(error as Error).message}`);
    }
  }
  return { ...bundled, origin: 'bundled', path: bundledPath, warnings };
}

let active: EolData | null = null;

/**
 * The data extractors and mapping functions use when none is passed: the bundled snapshot until
 * {@link setActiveEolData} installs another (typically `loadEolData({ cacheDir })` at startup).
 */
export function activeEolData(): EolData {
  active ??= loadEolData();
  return active;
}

/** Installs the data used by default; `null` goes back to the bundled snapshot. */
export function setActiveEolData(data: EolData | null): void {
  active = data;
}
