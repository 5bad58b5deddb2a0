/**
 * The Semantic Versioning 2.0.0 data model and precedence rules (https://semver.org/#spec-item-11),
 * shared by the semver, npm, cargo, go, pub and nuget schemes. Numbers are kept as digit strings so
 * that arbitrarily large components compare exactly.
 */
import { cmpDigits, cmpText, isAllDigits, safeNumber, stripZeros } from './util.js';

export interface Identifier {
  /** True for an identifier made only of digits (compared numerically). */
  numeric: boolean;
  /** The identifier text; for numeric identifiers without leading zeros. */
  text: string;
}

export interface SemverParts {
  /** Version core numbers (digit strings without leading zeros): usually [major, minor, patch]. */
  core: string[];
  /** Pre-release identifiers; empty when there is none. */
  pre: Identifier[];
  /** Build metadata identifiers; empty when there is none. */
  build: Identifier[];
}

export function identifiers(dotted: string | undefined): Identifier[] {
  if (dotted === undefined || dotted === '') return [];
  return dotted.split('.').map((text) =>
    isAllDigits(text) ? { numeric: true, text: stripZeros(text) } : { numeric: false, text },
  );
}

/** Compares version-core number lists; missing trailing numbers count as zero. */
export function compareCore(a: readonly string[], b: readonly string[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const r = cmpDigits(a[i] ?? '0', b[i] ?? '0');
    if (r !== 0) return r;
  }
  return 0;
}

/**
 * Compares identifier lists the semver way: numeric identifiers numerically, others by ASCII order,
 * numeric below non-numeric, and a longer list above its own prefix.
 */
export function compareIdentifiers(a: readonly Identifier[], b: readonly Identifier[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as Identifier;
    const y = b[i] as Identifier;
    let r: number;
    if (x.numeric && y.numeric) r = cmpDigits(x.text, y.text);
    else if (x.numeric) r = -1;
    else if (y.numeric) r = 1;
    else r = cmpText(x.text, y.text);
    if (r !== 0) return r;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** A version without a pre-release has higher precedence than one with. */
export function comparePre(a: readonly Identifier[], b: readonly Identifier[]): number {
  if (a.length === 0 || b.length === 0) {
    if (a.length === b.length) return 0;
    return a.length === 0 ? 1 : -1;
  }
  return compareIdentifiers(a, b);
}

/** Semver precedence: core numbers, then pre-release; build metadata is ignored. */
export function compareSemver(a: SemverParts, b: SemverParts): number {
  return compareCore(a.core, b.core) || comparePre(a.pre, b.pre);
}

export function semverMajor(v: SemverParts): number | null {
  return safeNumber(v.core[0] ?? '0');
}

/** The strict semver.org grammar, with an optional leading "v". */
const STRICT =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** Parses a strict semver.org version (a leading "v" is tolerated). */
export function parseStrictSemver(s: string): SemverParts | null {
  const m = STRICT.exec(s);
  if (m === null) return null;
  return {
    core: [m[1] as string, m[2] as string, m[3] as string],
    pre: identifiers(m[4]),
    build: identifiers(m[5]),
  };
}
