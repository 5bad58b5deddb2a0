/**
 * The small part of npm's range syntax that advisories use (`vulnerable_versions` of the npm bulk
 * advisory endpoint): `||` of clauses, each a space-separated list of comparators (`<`, `<=`, `>`,
 * `>=`, `=`, bare version), hyphen ranges (`1.0.0 - 2.0.0`) and `*`/empty. Compared with the npm
 * version order, pre-releases included (as npm audit does). `^`, `~` and x-ranges are not read:
 * such a range is unknown (null), never "not affected".
 */
import { npm as npmScheme } from '../versioning/index.js';
import type { OsvRange } from './schema.js';

type Op = '<' | '<=' | '>' | '>=' | '=';
interface Comparator {
  op: Op;
  version: string;
}
/** One clause: all comparators must hold. Empty = any version. */
type Clause = Comparator[];

/** The clauses of a range, or null when some part is not understood. */
export function parseNpmRange(range: string): Clause[] | null {
  const clauses: Clause[] = [];
  for (const rawClause of range.split('||')) {
    const text = rawClause.trim().replace(/(<=|>=|<|>|=)\s+/g, '$1');
    if (text === '' || text === '*' || text === 'x' || text === 'X') {
      clauses.push([]);
      continue;
    }
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
    if (hyphen) {
      const low = hyphen[1] as string;
      const high = hyphen[2] as string;
      if (!npmScheme.isValid(low) || !npmScheme.isValid(high)) return null;
      clauses.push([
        { op: '>=', version: low },
        { op: '<=', version: high },
      ]);
      continue;
    }
    const clause: Clause = [];
    for (const token of text.split(/\s+/)) {
      const match = /^(<=|>=|<|>|=)?v?(.+)$/.exec(token);
      if (!match) return null;
      const version = match[2] as string;
      if (!npmScheme.isValid(version)) return null;
      clause.push({ op: (match[1] as Op | undefined) ?? '=', version });
    }
    clauses.push(clause);
  }
  return clauses;
}

function holds(comparator: Comparator, version: string): boolean {
  const c = npmScheme.compare(version, comparator.version);
  switch (comparator.op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    case '=':
      return c === 0;
  }
}

/** Is `version` in the range? null when the range (or the version) is not understood. */
export function npmRangeIncludes(range: string, version: string): boolean | null {
  const clauses = parseNpmRange(range);
  if (clauses === null || !npmScheme.isValid(version)) return null;
  return clauses.some((clause) => clause.every((comparator) => holds(comparator, version)));
}

/**
 * The range as OSV ECOSYSTEM ranges (one per clause), when every clause is `[>=a] [<b | <=b]`;
 * null otherwise (`>`, `=`, several bounds of a kind).
 */
export function npmRangeToOsv(range: string): OsvRange[] | null {
  const clauses = parseNpmRange(range);
  if (clauses === null) return null;
  const out: OsvRange[] = [];
  for (const clause of clauses) {
    const lower = clause.filter((c) => c.op === '>=');
    const upper = clause.filter((c) => c.op === '<' || c.op === '<=');
    if (lower.length > 1 || upper.length > 1 || lower.length + upper.length !== clause.length) return null;
    const events: OsvRange['events'] = [{ introduced: lower[0]?.version ?? '0' }];
    const high = upper[0];
    if (high) events.push(high.op === '<' ? { fixed: high.version } : { last_affected: high.version });
    out.push({ type: 'ECOSYSTEM', events });
  }
  return out;
}
