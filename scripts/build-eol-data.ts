/**
 * Builds `data/endoflife.json`, the end-of-life snapshot prodeng ships, from the endoflife.date
 * snapshot in `../shared/data/endoflife/products.json`, and copies its license next to it.
 *
 * Keeps only what verdicts and product mapping need: per product its title, category, aliases,
 * purl identifiers (type/namespace/name, for the types components map from) and per release cycle
 * the cycle name, release date, eol, eoas, lts, latest version and its date, and codename. Devices
 * (phones, watches) are left out. Runs on Node 24 directly:
 *
 *   node scripts/build-eol-data.ts [--source DIR] [--out DIR]
 *
 * The output format is `src/eol/data.ts`'s schema; keep both in step.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const AS_OF = '2026-08-22';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Purl {
  type: string;
  namespace?: string;
  name: string;
}

interface Cycle {
  cycle: string;
  releaseDate?: string;
  eol: string | boolean;
  eoas?: string | boolean;
  lts?: string | boolean;
  latest?: string;
  latestReleaseDate?: string;
  codename?: string;
}

interface Product {
  title: string;
  category: string;
  aliases?: string[];
  purls?: Purl[];
  cycles: Cycle[];
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Purl types kept: the package ecosystems components come from, container images and generic
 * names. OS package purls (rpm, deb, apk…) and installer purls (brew, scoop…) map nothing here.
 */
const PURL_TYPES = new Set(['npm', 'pypi', 'golang', 'cargo', 'gem', 'composer', 'maven', 'nuget', 'hex', 'docker', 'oci', 'generic']);

/** Hardware (phones, watches, processors) never shows up in a repository or on a server. */
const SKIPPED_CATEGORIES = new Set(['device']);

function dateOrBool(value: unknown): string | boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && DATE.test(value)) return value;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return undefined;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** `pkg:npm/%40angular/core@1?x=y#sub` → { type: npm, namespace: @angular, name: core }. */
export function parsePurl(purl: string): Purl | null {
  const match = /^pkg:([a-zA-Z][a-zA-Z0-9.+-]*)\/([^?#@]+)/.exec(purl.trim());
  if (!match) return null;
  const type = match[1]!.toLowerCase();
  const segments = match[2]!
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
  const name = segments.pop();
  if (!name) return null;
  return segments.length > 0 ? { type, namespace: segments.join('/'), name } : { type, name };
}

function convertRelease(release: Record<string, unknown>, productId: string): Cycle {
  const cycle = text(release.releaseCycle);
  if (cycle === undefined) throw new Error(`${productId}: a release without releaseCycle`);
  const eol = dateOrBool(release.eol);
  if (eol === undefined) throw new Error(`${productId} ${cycle}: eol is neither a date nor a boolean`);
  const out: Cycle = { cycle, eol };
  const releaseDate = dateOrBool(release.releaseDate);
  if (typeof releaseDate === 'string') out.releaseDate = releaseDate;
  const eoas = dateOrBool(release.eoas);
  if (eoas !== undefined) out.eoas = eoas;
  const lts = dateOrBool(release.lts);
  if (lts !== undefined && lts !== false) out.lts = lts;
  const latest = text(release.latest);
  if (latest !== undefined) out.latest = latest;
  const latestReleaseDate = dateOrBool(release.latestReleaseDate);
  if (typeof latestReleaseDate === 'string') out.latestReleaseDate = latestReleaseDate;
  const codename = text(release.codename);
  if (codename !== undefined) out.codename = codename;
  return out;
}

function convertProduct(id: string, raw: Record<string, unknown>): Product {
  const title = text(raw.title) ?? id;
  const category = text(raw.category) ?? 'unknown';
  const releases = Array.isArray(raw.releases) ? (raw.releases as Record<string, unknown>[]) : [];
  const product: Product = { title, category, cycles: releases.map((release) => convertRelease(release, id)) };
  const aliases = (Array.isArray(raw.alternate_urls) ? raw.alternate_urls : [])
    .filter((alias): alias is string => typeof alias === 'string')
    .map((alias) => alias.replace(/^\/+/, '').toLowerCase())
    .filter((alias) => alias !== '' && alias !== id);
  if (aliases.length > 0) product.aliases = [...new Set(aliases)];
  const seen = new Set<string>();
  const purls: Purl[] = [];
  for (const identifier of Array.isArray(raw.identifiers) ? (raw.identifiers as Record<string, unknown>[]) : []) {
    if (typeof identifier.purl !== 'string') continue;
    const purl = parsePurl(identifier.purl);
    if (!purl || !PURL_TYPES.has(purl.type)) continue;
    const key = `${purl.type}/${purl.namespace ?? ''}/${purl.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    purls.push(purl);
  }
  if (purls.length > 0) product.purls = purls;
  // Key order: title, category, aliases, purls, cycles.
  return {
    title: product.title,
    category: product.category,
    ...(product.aliases ? { aliases: product.aliases } : {}),
    ...(product.purls ? { purls: product.purls } : {}),
    cycles: product.cycles,
  };
}

function main(): void {
  const sourceDir = resolve(argument('--source') ?? join(ROOT, '..', 'shared', 'data', 'endoflife'));
  const outDir = resolve(argument('--out') ?? join(ROOT, 'data'));
  const snapshot = JSON.parse(readFileSync(join(sourceDir, 'products.json'), 'utf8')) as {
    source?: string;
    commit?: string;
    generatedFrom?: string;
    products: Record<string, Record<string, unknown>>;
  };
  const ids = Object.keys(snapshot.products)
    .filter((id) => !SKIPPED_CATEGORIES.has(String(snapshot.products[id]!.category)))
    .sort();
  const products: Record<string, Product> = {};
  for (const id of ids) products[id] = convertProduct(id, snapshot.products[id]!);

  // One product a line: readable diffs between snapshots, and still compact.
  const header = {
    source: `https://endoflife.date (${snapshot.generatedFrom ?? 'endoflife-date/endoflife.date'}, ${snapshot.source ?? 'products/*.md front matter'})`,
    commit: snapshot.commit ?? 'unknown',
    asOf: AS_OF,
    license: 'MIT, endoflife.date contributors (see endoflife.LICENSE)',
  };
  const lines = ids.map((id) => `${JSON.stringify(id)}:${JSON.stringify(products[id])}`);
  const json = `${JSON.stringify(header).slice(0, -1)},"products":{\n${lines.join(',\n')}\n}}\n`;
  JSON.parse(json); // never write something that does not parse

  mkdirSync(outDir, { recursive: true });
  const target = join(outDir, 'endoflife.json');
  const temp = `${target}.${process.pid}.tmp`;
  writeFileSync(temp, json);
  renameSync(temp, target);
  // Copied by content: the source may be read-only, the copy must stay writable for the next run.
  const license = join(outDir, 'endoflife.LICENSE');
  rmSync(license, { force: true });
  writeFileSync(license, readFileSync(join(sourceDir, 'LICENSE')));
  const cycles = ids.reduce((sum, id) => sum + products[id]!.cycles.length, 0);
  process.stdout.write(`${target}: ${ids.length} products, ${cycles} cycles, ${json.length} bytes (as of ${AS_OF})\n`);
}

main();
