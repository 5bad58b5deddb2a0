/**
 * npm's semver ranges, small and strict: does an exact version satisfy a range as written in
 * package.json? Supports `||`, hyphen ranges (`1.2 - 2.3.4`), comparators (`<`, `<=`, `>`, `>=`,
 * `=`), tilde (`~1.2`, `~>1.2`), caret (`^0.2.3`), x-ranges (`1.x`, `1.2.*`, `*`, empty) and
 * npm's pre-release rule (a pre-release satisfies a range only through a comparator with the same
 * `major.minor.patch` and a pre-release). Anything else (dist-tags such as `latest`, URLs, git
 * specs) answers null: unknown, never a guess.
 */

interface Version {
  major: number;
  minor: number;
  patch: number;
  pre: Array<string | number>;
}

type Op = '<' | '<=' | '>' | '>=' | '=';

interface Comparator {
  op: Op;
  v: Version;
}

/** A comparator set: all must hold; an empty set is "any". */
type ComparatorSet = Comparator[];

const VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const PARTIAL = /^v?(\d+|[xX*])(?:\.(\d+|[xX*])(?:\.(\d+|[xX*])(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?)?$/;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** An exact version (a leading `v` or `=` allowed), or null. */
export function parseVersion(text: string): Version | null {
  const m = VERSION.exec(text.trim().replace(/^=\s*/, ''));
  if (!m) return null;
  const nums = [m[1]!, m[2]!, m[3]!].map(Number);
  if (nums.some((n) => n > MAX_SAFE)) return null;
  const pre = m[4] === undefined ? [] : m[4].split('.').map((id) => (/^\d+$/.test(id) ? Number(id) : id));
  return { major: nums[0]!, minor: nums[1]!, patch: nums[2]!, pre };
}

function comparePre(a: Array<string | number>, b: Array<string | number>): number {
  if (a.length === 0 && b.length === 0) return 0;
  if (a.length === 0) return 1;
  if (b.length === 0) return -1;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch || comparePre(a.pre, b.pre);
}

const v = (major: number, minor: number, patch: number, pre: Array<string | number> = []): Version => ({ major, minor, patch, pre });

interface Partial {
  major: number | null;
  minor: number | null;
  patch: number | null;
  pre: Array<string | number>;
}

function parsePartial(text: string): Partial | null {
  if (text === '' || text === '*' || text === 'x' || text === 'X') return { major: null, minor: null, patch: null, pre: [] };
  const m = PARTIAL.exec(text);
  if (!m) return null;
  const num = (s: string | undefined): number | null | undefined => (s === undefined ? undefined : /^[xX*]$/.test(s) ? null : Number(s));
  const major = num(m[1]) ?? null;
  let minor = num(m[2]);
  let patch = num(m[3]);
  // A wildcard makes every later part a wildcard (`1.x.3` is `1.x`).
  if (major === null) minor = patch = null;
  if (minor === null || minor === undefined) patch = null;
  const pre = m[4] === undefined ? [] : m[4].split('.').map((id) => (/^\d+$/.test(id) ? Number(id) : id));
  return { major, minor: minor ?? null, patch: patch ?? null, pre: patch === null ? [] : pre };
}

/** `<X.Y.Z-0`: below every pre-release of X.Y.Z. */
const below = (major: number, minor: number, patch: number): Comparator => ({ op: '<', v: v(major, minor, patch, [0]) });

function xRange(op: Op | '', p: Partial): ComparatorSet | null {
  const { major, minor, patch, pre } = p;
  if (major === null) return op === '<' || op === '>' ? [{ op: '<', v: v(0, 0, 0, [0]) }] : [];
  if (minor !== null && patch !== null) return [{ op: op === '' ? '=' : op, v: v(major, minor, patch, pre) }];
  // Partial version: a wildcard in minor or patch.
  switch (op) {
    case '':
    case '=':
      return minor === null ? [{ op: '>=', v: v(major, 0, 0) }, below(major + 1, 0, 0)] : [{ op: '>=', v: v(major, minor, 0) }, below(major, minor + 1, 0)];
    case '>':
      return minor === null ? [{ op: '>=', v: v(major + 1, 0, 0) }] : [{ op: '>=', v: v(major, minor + 1, 0) }];
    case '>=':
      return [{ op: '>=', v: v(major, minor ?? 0, 0) }];
    case '<':
      return [below(major, minor ?? 0, 0)];
    case '<=':
      return minor === null ? [below(major + 1, 0, 0)] : [below(major, minor + 1, 0)];
  }
}

function tilde(p: Partial): ComparatorSet {
  const { major, minor, patch, pre } = p;
  if (major === null) return [];
  if (minor === null) return [{ op: '>=', v: v(major, 0, 0) }, below(major + 1, 0, 0)];
  return [{ op: '>=', v: v(major, minor, patch ?? 0, pre) }, below(major, minor + 1, 0)];
}

function caret(p: Partial): ComparatorSet {
  const { major, minor, patch, pre } = p;
  if (major === null) return [];
  if (minor === null) return [{ op: '>=', v: v(major, 0, 0) }, below(major + 1, 0, 0)];
  if (patch === null) {
    if (major > 0) return [{ op: '>=', v: v(major, minor, 0) }, below(major + 1, 0, 0)];
    return [{ op: '>=', v: v(0, minor, 0) }, below(0, minor + 1, 0)];
  }
  const lower: Comparator = { op: '>=', v: v(major, minor, patch, pre) };
  if (major > 0) return [lower, below(major + 1, 0, 0)];
  if (minor > 0) return [lower, below(0, minor + 1, 0)];
  return [lower, below(0, 0, patch + 1)];
}

function parseComparator(token: string): ComparatorSet | null {
  const m = /^(~>|~|\^|<=|>=|<|>|=)?\s*(.*)$/.exec(token);
  if (!m) return null;
  const op = m[1] ?? '';
  const p = parsePartial(m[2]!);
  if (p === null) return null;
  if (op === '~' || op === '~>') return tilde(p);
  if (op === '^') return caret(p);
  return xRange(op as Op | '', p);
}

function parseHyphen(from: string, to: string): ComparatorSet | null {
  const a = parsePartial(from);
  const b = parsePartial(to);
  if (a === null || b === null) return null;
  const set: ComparatorSet = [];
  if (a.major !== null) set.push({ op: '>=', v: v(a.major, a.minor ?? 0, a.patch ?? 0, a.patch === null ? [] : a.pre) });
  if (b.major !== null) {
    if (b.minor === null) set.push(below(b.major + 1, 0, 0));
    else if (b.patch === null) set.push(below(b.major, b.minor + 1, 0));
    else set.push({ op: '<=', v: v(b.major, b.minor, b.patch, b.pre) });
  }
  return set;
}

/** The range as comparator sets (any one must hold), or null when it is not an npm semver range. */
export function parseRange(range: string): ComparatorSet[] | null {
  if (range.length > 1000) return null;
  const sets: ComparatorSet[] = [];
  for (const alternative of range.split('||')) {
    const text = alternative.trim();
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
    if (hyphen) {
      const set = parseHyphen(hyphen[1]!, hyphen[2]!);
      if (set === null) return null;
      sets.push(set);
      continue;
    }
    // `>= 1.2.3` is `>=1.2.3`.
    const tokens = text.replace(/(~>|~|\^|<=|>=|<|>|=)\s+/g, '$1').split(/\s+/).filter((t) => t !== '');
    const set: ComparatorSet = [];
    for (const token of tokens) {
      const part = parseComparator(token);
      if (part === null) return null;
      set.push(...part);
    }
    sets.push(set);
  }
  return sets;
}

function holds(c: Comparator, version: Version): boolean {
  const cmp = compareVersions(version, c.v);
  switch (c.op) {
    case '<':
      return cmp < 0;
    case '<=':
      return cmp <= 0;
    case '>':
      return cmp > 0;
    case '>=':
      return cmp >= 0;
    case '=':
      return cmp === 0;
  }
}

function testSet(set: ComparatorSet, version: Version): boolean {
  if (!set.every((c) => holds(c, version))) return false;
  if (version.pre.length === 0) return true;
  // A pre-release only matches through a comparator of the same release that is itself a pre-release.
  return set.some((c) => c.v.pre.length > 0 && c.v.major === version.major && c.v.minor === version.minor && c.v.patch === version.patch);
}

/**
 * Does `version` satisfy `range`? Null when either cannot be read (then nothing is claimed).
 *
 * @example satisfies('1.4.2', '^1.2.0') // true
 * @example satisfies('2.0.0', '~1.2 || >=3') // false
 * @example satisfies('1.0.0', 'latest') // null
 */
export function satisfies(version: string, range: string): boolean | null {
  const parsed = parseVersion(version);
  const sets = parseRange(range);
  if (parsed === null || sets === null) return null;
  return sets.some((set) => testSet(set, parsed));
}
