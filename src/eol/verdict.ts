/**
 * Release cycles and end-of-life verdicts. {@link cycleFor} reads a version or a requirement the
 * way a repository writes it (`16.20.1`, `^18`, `>=3.9`, `lts/gallium`, `buster`, `3.11-slim`) and
 * picks the product's cycle; {@link verdict} says where that cycle stands on a given day.
 */
import { activeEolData, type EolCycle, type EolData, type EolProduct } from './data.js';

export type EolStatus = 'eol' | 'eol-soon' | 'support-ended' | 'supported' | 'unknown';

export interface EolVerdict {
  status: EolStatus;
  /** End-of-life date, or null when none is known (not announced, or ended on an unknown date). */
  eol: string | null;
  /** End of active support, or null. */
  eoas: string | null;
  /** Days from `now` (UTC day) to the end-of-life date; negative once it has passed. */
  daysToEol: number | null;
  /** The cycle's latest release. */
  latest: string | null;
}

/** A cycle whose end of life is this many days away or fewer is `eol-soon`. */
export const EOL_SOON_DAYS = 180;

/** Node.js LTS codenames (`lts/gallium`, `node:hydrogen-alpine`); endoflife.date does not list them. */
export const NODE_CODENAMES: Readonly<Record<string, string>> = {
  argon: '4',
  boron: '6',
  carbon: '8',
  dubnium: '10',
  erbium: '12',
  fermium: '14',
  gallium: '16',
  hydrogen: '18',
  iron: '20',
  jod: '22',
  krypton: '24',
};

/** Java products whose old versions are also written `1.8`, `1.8.0_382` (meaning 8). */
const JDK_PRODUCTS = new Set([
  'alibaba-dragonwell',
  'amazon-corretto',
  'azul-zulu',
  'bellsoft-liberica',
  'eclipse-temurin',
  'ibm-semeru',
  'microsoft-build-of-openjdk',
  'openjdk-builds-from-oracle',
  'oracle-jdk',
  'red-hat-build-of-openjdk',
  'sapmachine',
]);

export interface CycleOptions {
  data?: EolData;
  /** The day `lts` and `lts/*` are resolved on (the newest cycle that is LTS by then). */
  now?: Date;
}

export function productById(productId: string, data: EolData = activeEolData()): EolProduct | null {
  return Object.hasOwn(data.products, productId) ? data.products[productId]! : null;
}

/** The cycle entry named exactly `cycle` (case-insensitive). */
export function findCycle(product: EolProduct, cycle: string): EolCycle | null {
  const wanted = cycle.toLowerCase();
  return product.cycles.find((entry) => entry.cycle.toLowerCase() === wanted) ?? null;
}

const DAY_MS = 86_400_000;

function utcDay(date: Date): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

function daysBetween(from: Date, isoDate: string): number {
  return Math.round((Date.parse(`${isoDate}T00:00:00Z`) - utcDay(from)) / DAY_MS);
}

function isoDay(date: Date): string {
  return new Date(utcDay(date)).toISOString().slice(0, 10);
}

/** Compares dotted numbers numerically (`3.9` < `3.14`). */
export function compareNumeric(a: string, b: string): number {
  const left = a.split('.');
  const right = b.split('.');
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = Number(left[index] ?? -1) - Number(right[index] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
}

const LOWER_BOUND_OPERATORS = new Set(['', '^', '~', '~>', '~=', '>=', '>', '=', '==', '===']);
// Operator, then a dotted number; `x`/`*` parts end it. Linear: no nested quantifiers over the same text.
const COMPARATOR = /(\^|~>|~=|~|>=|<=|>|<|===|==|!=|=)?\s*v?(\d{1,9}(?:\.\d{1,9})*)/g;

interface Bound {
  version: string;
  /** The comparator's operator; '' for a bare version (`16`, `3.11-slim`), which floats to its newest release. */
  operator: string;
}

function lowestBound(requirement: string): Bound | null {
  let best: Bound | null = null;
  for (const alternative of requirement.split('||')) {
    COMPARATOR.lastIndex = 0;
    for (let match = COMPARATOR.exec(alternative); match !== null; match = COMPARATOR.exec(alternative)) {
      const operator = match[1] ?? '';
      if (!LOWER_BOUND_OPERATORS.has(operator)) continue;
      const version = match[2]!;
      if (best === null || compareNumeric(version, best.version) < 0) best = { version, operator };
      break;
    }
  }
  return best;
}

/**
 * The lowest version a requirement admits, as a dotted number: `^18` → 18, `>=3.9,<4` → 3.9,
 * `~16.14` → 16.14, `18.x` → 18, `3.11-slim` → 3.11, `^16 || ^18` → 16; null when it has none
 * (`<4`, `*`, `latest`).
 */
export function lowerBound(requirement: string): string | null {
  return lowestBound(requirement)?.version ?? null;
}

/**
 * The cycle of a version: the longest cycle equal to it or a prefix of it at a dot boundary
 * (`16.20.1` → `16`, `9.6.24` → `9.6`). A version shorter than the cycles (`7` for redis's `7.2`,
 * `7.4`) picks among the cycles it prefixes: the newest released by `now` when it floats (a bare
 * version: an image tag, a version file), the lowest when it is a requirement's lower bound (`^7`).
 */
function cycleOfVersion(product: EolProduct, version: string, floating: boolean, now: Date): string | null {
  let best: string | null = null;
  for (const entry of product.cycles) {
    const cycle = entry.cycle.toLowerCase();
    if ((version === cycle || version.startsWith(`${cycle}.`)) && (best === null || cycle.length > best.length)) best = entry.cycle;
  }
  if (best !== null) return best;
  const day = isoDay(now);
  const under = product.cycles.filter((entry) => entry.cycle.startsWith(`${version}.`) && /^[\d.]+$/.test(entry.cycle));
  if (under.length === 0) return null;
  if (floating) {
    const released = under.filter((entry) => entry.releaseDate === undefined || entry.releaseDate <= day);
    const pool = released.length > 0 ? released : under;
    return pool.reduce((a, b) => (compareNumeric(b.cycle, a.cycle) > 0 ? b : a)).cycle;
  }
  return under.reduce((a, b) => (compareNumeric(b.cycle, a.cycle) < 0 ? b : a)).cycle;
}

function isLtsBy(entry: EolCycle, day: string): boolean {
  if (entry.lts === undefined || entry.lts === false) return false;
  if (entry.lts !== true && entry.lts > day) return false;
  return entry.releaseDate === undefined || entry.releaseDate <= day;
}

/** `lts`, `lts/*` → the newest LTS cycle on `now`; `lts/-1` → the one before. */
function ltsCycle(product: EolProduct, back: number, now: Date): string | null {
  const day = isoDay(now);
  const lts = product.cycles
    .filter((entry) => isLtsBy(entry, day))
    .sort((a, b) => ((b.releaseDate ?? '') < (a.releaseDate ?? '') ? -1 : (b.releaseDate ?? '') > (a.releaseDate ?? '') ? 1 : 0));
  return lts[back]?.cycle ?? null;
}

function codenameCycle(productId: string, product: EolProduct, word: string): string | null {
  if (productId === 'nodejs' && Object.hasOwn(NODE_CODENAMES, word)) {
    const cycle = NODE_CODENAMES[word]!;
    return findCycle(product, cycle)?.cycle ?? null;
  }
  for (const entry of product.cycles) {
    if (!entry.codename) continue;
    const codename = entry.codename.toLowerCase();
    if (codename === word || codename.split(/\s+/)[0] === word || codename.replace(/\s+/g, '-') === word) return entry.cycle;
  }
  return null;
}

/**
 * The product's cycle for a version or a requirement, or null when nothing fits:
 * an exact cycle name (`2012-r2`); `lts`, `lts/*`, `lts/-1`, `lts/<codename>`; a codename (first
 * word of the data's codename: `buster` → debian 10, `jammy` → ubuntu 22.04; Node.js LTS names);
 * else the lowest version the requirement admits, matched to the longest cycle that equals it or
 * is a prefix of it at a dot boundary (`9.6.24` → `9.6`, `3.9.18` → `3.9`); a version shorter
 * than the cycles floats to the newest of them when bare (`redis:7` → 7.4) and takes the lowest
 * after an operator (`^7` → 7.0). Java's `1.8` is 8.
 */
export function cycleFor(productId: string, value: string, options: CycleOptions = {}): string | null {
  const product = productById(productId, options.data);
  if (!product) return null;
  const text = value.trim().toLowerCase();
  if (text === '' || text.length > 200) return null;

  const exact = findCycle(product, text);
  if (exact) return exact.cycle;

  const now = options.now ?? new Date();
  const back = /^lts\/-(\d{1,2})$/.exec(text);
  if (back) return ltsCycle(product, Number(back[1]), now);
  const words = text.split(/[\s/_:@-]+/).filter((word) => word !== '');
  const first = words[0] ?? '';
  if (first === 'lts') {
    const next = words[1];
    if (next === undefined || next === '*') return ltsCycle(product, 0, now);
    const named = codenameCycle(productId, product, next);
    if (named) return named;
    // `lts-alpine`, `lts-jdk17`: a floating LTS tag with a variant.
    if (!/^\d/.test(next)) return ltsCycle(product, 0, now);
  }
  if (/^[a-z]/.test(first)) {
    const named = codenameCycle(productId, product, first);
    if (named) return named;
  }

  // A value that starts with a word reads its version from that word only (`go1.21`, `centos7`,
  // `python3.11`): `current-alpine3.18` says nothing about the product's version.
  const bound = lowestBound(/^[a-z]/.test(text) && !/^v\d/.test(text) ? first : text);
  if (bound === null) return null;
  const floating = bound.operator === '' || bound.operator === '=' || bound.operator === '==' || bound.operator === '===';
  const cycle = cycleOfVersion(product, bound.version, floating, now);
  if (cycle !== null) return cycle;
  if (JDK_PRODUCTS.has(productId) && /^1\.\d/.test(bound.version)) return cycleOfVersion(product, bound.version.slice(2), floating, now);
  return null;
}

function numericDepth(version: string): number {
  const match = /^\d+(?:\.\d+)*/.exec(version);
  return match ? match[0].split('.').length : 0;
}

/**
 * Whether a version names one release rather than a line of them: it has as many numeric parts as
 * the product's latest release, capped at three (`18.17.0` for Node.js, `11.22` for PostgreSQL,
 * `3.14.2` for Alpine, `17.0.8` for Temurin whose builds read `17.0.16.1`; not `18`, `3.11`,
 * `22.04`); three for an unknown product.
 */
export function isExactVersion(productId: string | null, version: string, data: EolData = activeEolData()): boolean {
  const depth = numericDepth(version);
  if (depth < 2) return false;
  const product = productId === null ? null : productById(productId, data);
  if (!product) return depth >= 3;
  let entry: EolCycle | undefined;
  for (const candidate of product.cycles) {
    const cycle = candidate.cycle;
    if ((version === cycle || version.startsWith(`${cycle}.`)) && (entry === undefined || cycle.length > entry.cycle.length)) entry = candidate;
  }
  const latest = entry?.latest ?? product.cycles[0]?.latest;
  return depth >= (latest ? Math.min(3, Math.max(2, numericDepth(latest))) : 3);
}

const UNKNOWN: EolVerdict = { status: 'unknown', eol: null, eoas: null, daysToEol: null, latest: null };

/**
 * Where a cycle stands on `now`: `eol` (end of life passed, or `eol: true`), `eol-soon` (within
 * {@link EOL_SOON_DAYS} days), `support-ended` (active support over, end of life not reached),
 * `supported`, or `unknown` (no such product or cycle).
 */
export function verdict(product: string | EolProduct, cycle: string | null | undefined, now: Date = new Date(), data?: EolData): EolVerdict {
  const entry = typeof product === 'string' ? productById(product, data) : product;
  const found = entry && cycle ? findCycle(entry, cycle) : null;
  if (!found) return { ...UNKNOWN };
  const eol = typeof found.eol === 'string' ? found.eol : null;
  const eoas = typeof found.eoas === 'string' ? found.eoas : null;
  const daysToEol = eol === null ? null : daysBetween(now, eol);
  const latest = found.latest ?? null;
  let status: EolStatus;
  if (found.eol === true || (daysToEol !== null && daysToEol <= 0)) status = 'eol';
  else if (daysToEol !== null && daysToEol <= EOL_SOON_DAYS) status = 'eol-soon';
  else if (found.eoas === true || (eoas !== null && daysBetween(now, eoas) <= 0)) status = 'support-ended';
  else status = 'supported';
  return { status, eol, eoas, daysToEol, latest };
}
