/**
 * Severity of an advisory: the CVSS base score of its best vector (v4, then v3.1/v3.0, then v2,
 * computed with ae-cvss-calculator), else the database's own rating (GitHub's
 * `database_specific.severity`, an `ecosystem_specific.severity`, Ubuntu's priority), else
 * `unknown`. Bands follow CVSS: 0 → info (CVSS "none"), 0.1–3.9 low, 4.0–6.9 medium,
 * 7.0–8.9 high, 9.0–10 critical. A vector that does not parse is skipped, never fatal.
 */
import calc from 'ae-cvss-calculator';
import type { OsvAffected, OsvRecord, OsvSeverity } from './schema.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info', 'unknown'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface SeverityInfo {
  severity: Severity;
  /** CVSS base score, or null when the severity comes from a rating without a score. */
  score: number | null;
  /** The CVSS vector the score was computed from, or null. */
  vector: string | null;
  /** `CVSS_V4`, `CVSS_V3`, `CVSS_V2`, `database`, or null for unknown. */
  source: 'CVSS_V4' | 'CVSS_V3' | 'CVSS_V2' | 'database' | null;
}

export const UNKNOWN_SEVERITY: SeverityInfo = Object.freeze({ severity: 'unknown', score: null, vector: null, source: null }) as SeverityInfo;

/** Higher is worse: critical 5 … info 1, unknown 0. */
export function severityRank(severity: Severity): number {
  return 5 - SEVERITIES.indexOf(severity);
}

/** The CVSS band of a base score. */
export function bandOf(score: number): Severity {
  if (!Number.isFinite(score) || score < 0 || score > 10) return 'unknown';
  if (score === 0) return 'info';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

const V3_METRICS = { AV: 'NALP', AC: 'LH', PR: 'NLH', UI: 'NR', S: 'UC', C: 'HLN', I: 'HLN', A: 'HLN' } as const;
const V4_METRICS = { AV: 'NALP', AC: 'LH', AT: 'NP', PR: 'NLH', UI: 'NPA', VC: 'HLN', VI: 'HLN', VA: 'HLN', SC: 'HLN', SI: 'HLN', SA: 'HLN' } as const;
const V2_METRICS = { AV: 'LAN', AC: 'HML', Au: 'MSN', C: 'NPC', I: 'NPC', A: 'NPC' } as const;

/** `{AV: 'N', …}` when every base metric is present once with a known value; null otherwise. */
function baseMetrics(parts: readonly string[], required: Readonly<Record<string, string>>): Record<string, string> | null {
  const seen: Record<string, string> = {};
  for (const part of parts) {
    const colon = part.indexOf(':');
    if (colon <= 0) return null;
    const key = part.slice(0, colon);
    const value = part.slice(colon + 1);
    if (Object.hasOwn(seen, key)) return null;
    seen[key] = value;
  }
  for (const [key, values] of Object.entries(required)) {
    const value = seen[key];
    if (value === undefined || value.length !== 1 || !values.includes(value)) return null;
  }
  return seen;
}

export type CvssVersion = '4.0' | '3.1' | '3.0' | '2.0';

/**
 * The base score of a CVSS vector (`CVSS:4.0/…`, `CVSS:3.1/…`, `CVSS:3.0/…`, or a bare v2 vector,
 * optionally `(AV:N/…)`), or null when it does not parse or lacks a base metric.
 */
export function cvssScore(vector: string): { version: CvssVersion; score: number } | null {
  const cached = scoreCache.get(vector);
  if (cached !== undefined) return cached;
  const result = computeScore(vector);
  if (scoreCache.size >= 10_000) scoreCache.clear();
  scoreCache.set(vector, result);
  return result;
}

/** Vectors repeat a lot across advisories; the calculator is not cheap. */
const scoreCache = new Map<string, { version: CvssVersion; score: number } | null>();

function computeScore(vector: string): { version: CvssVersion; score: number } | null {
  const text = vector.trim().replace(/^\((.*)\)$/, '$1');
  if (text.length === 0 || text.length > 512) return null;
  const parts = text.split('/');
  const head = parts[0] ?? '';
  try {
    let version: CvssVersion;
    let score: number | undefined;
    if (head === 'CVSS:4.0') {
      if (!baseMetrics(parts.slice(1), V4_METRICS)) return null;
      version = '4.0';
      score = new calc.Cvss4P0(text).calculateScores().base;
    } else if (head === 'CVSS:3.1' || head === 'CVSS:3.0') {
      if (!baseMetrics(parts.slice(1), V3_METRICS)) return null;
      version = head === 'CVSS:3.1' ? '3.1' : '3.0';
      score = (version === '3.1' ? new calc.Cvss3P1(text) : new calc.Cvss3P0(text)).calculateScores().base;
    } else if (!head.startsWith('CVSS:')) {
      if (!baseMetrics(parts, V2_METRICS)) return null;
      version = '2.0';
      score = new calc.Cvss2(text).calculateScores().base;
    } else {
      return null;
    }
    if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > 10) return null;
    return { version, score: Math.round(score * 10) / 10 };
  } catch {
    return null;
  }
}

const TYPE_PREFERENCE: Record<string, number> = { CVSS_V4: 3, CVSS_V3: 2, CVSS_V2: 1 };

/** The best-scored entry of a severity list: v4 over v3 over v2; within a type, the first that parses. */
export function scoreFromSeverities(severities: readonly OsvSeverity[]): SeverityInfo | null {
  const candidates = severities
    .map((entry, index) => ({ entry, index, preference: TYPE_PREFERENCE[entry.type] ?? 0 }))
    .filter((c) => c.preference > 0)
    .sort((a, b) => b.preference - a.preference || a.index - b.index);
  for (const { entry } of candidates) {
    const parsed = cvssScore(entry.score);
    if (parsed === null) continue;
    // a CVSS_V3 field holding a v4 vector (or the reverse) is scored as what it is
    const source = parsed.version === '4.0' ? 'CVSS_V4' : parsed.version === '2.0' ? 'CVSS_V2' : 'CVSS_V3';
    return { severity: bandOf(parsed.score), score: parsed.score, vector: entry.score.trim(), source };
  }
  return null;
}

/** A database's word rating: GitHub's LOW/MODERATE/HIGH/CRITICAL, Ubuntu's priorities, Go/RustSec words. */
export function severityFromWord(word: unknown): Severity | null {
  if (typeof word !== 'string') return null;
  switch (word.trim().toLowerCase()) {
    case 'critical':
      return 'critical';
    case 'high':
    case 'important':
      return 'high';
    case 'moderate':
    case 'medium':
      return 'medium';
    case 'low':
      return 'low';
    case 'negligible':
    case 'none':
    case 'info':
    case 'informational':
      return 'info';
    default:
      return null;
  }
}

function wordFrom(value: unknown): Severity | null {
  if (typeof value !== 'object' || value === null) return null;
  return severityFromWord((value as { severity?: unknown }).severity);
}

/**
 * The severity of a record, optionally for the `affected` entries that concern the package (their
 * own `severity` lists take part; the spec allows per-package severities instead of a top-level one).
 */
export function severityOf(record: OsvRecord, affected: readonly OsvAffected[] = record.affected ?? []): SeverityInfo {
  const vectors: OsvSeverity[] = [...(record.severity ?? [])];
  for (const entry of affected) vectors.push(...(entry.severity ?? []));
  const scored = scoreFromSeverities(vectors);
  if (scored) return scored;

  let word = wordFrom(record.database_specific);
  for (const entry of affected) {
    if (word !== null) break;
    word = wordFrom(entry.database_specific) ?? wordFrom(entry.ecosystem_specific);
  }
  if (word === null) {
    // Ubuntu priorities are words in a severity list
    for (const entry of vectors) {
      if (entry.type === 'Ubuntu') {
        word = severityFromWord(entry.score);
        if (word !== null) break;
      }
    }
  }
  return word === null ? UNKNOWN_SEVERITY : { severity: word, score: null, vector: null, source: 'database' };
}

/** Orders severities worst first: band, then score (a scored rating beats an unscored one of the same band). */
export function compareSeverity(a: Pick<SeverityInfo, 'severity' | 'score'>, b: Pick<SeverityInfo, 'severity' | 'score'>): number {
  const rank = severityRank(b.severity) - severityRank(a.severity);
  if (rank !== 0) return rank;
  return (b.score ?? -1) - (a.score ?? -1);
}
