import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ageDays, ageFactor, compareRanked, priority, rankFindings } from './priority.js';
import type { UnrankedFinding } from './priority.js';
import { finding } from './test-support/fixtures.js';
import { reportArb } from './test-support/arbitraries.js';

const NOW = new Date('2024-04-01T00:00:00.000Z');
const daysAgo = (days: number): string => new Date(NOW.getTime() - days * 86_400_000).toISOString();

function unranked(overrides: Partial<UnrankedFinding>): UnrankedFinding {
  const { priority: _ignored, ...rest } = finding(overrides);
  return rest;
}

describe('priority', () => {
  it('matches the worked examples of docs/priority.md', () => {
    // 40 × 1.5 × (1 + log2(1 + 90/30) = 3) ÷ 1.0
    expect(priority(unranked({ severity: 'high', aspect: 'security', firstSeen: daysAgo(90), effort: 'small' }), NOW)).toBe(180);
    // 15 × 0.8 × (1 + log2(1.5)) ÷ 0.8 = 23.774…
    expect(priority(unranked({ severity: 'medium', aspect: 'code-health', firstSeen: daysAgo(15), effort: 'trivial' }), NOW)).toBe(23.77);
    // a brand-new critical security finding of unknown effort: 100 × 1.5 × 1 ÷ 1.0
    expect(priority(unranked({ severity: 'critical', aspect: 'security', firstSeen: daysAgo(0), effort: null }), NOW)).toBe(150);
    // a three-year-old info governance finding, large: 1 × 0.7 × (1 + log2(37.5) = 6.229) ÷ 1.7
    expect(priority(unranked({ severity: 'info', aspect: 'governance', firstSeen: daysAgo(1095), effort: 'large' }), NOW)).toBe(2.56);
  });

  it('weighs aspects and efforts as documented', () => {
    const base = { severity: 'low' as const, firstSeen: daysAgo(0), effort: 'small' as const };
    expect(priority(unranked({ ...base, aspect: 'availability' }), NOW)).toBe(6.5);
    expect(priority(unranked({ ...base, aspect: 'technology-upgrade' }), NOW)).toBe(6);
    expect(priority(unranked({ ...base, aspect: 'performance' }), NOW)).toBe(5.5);
    expect(priority(unranked({ ...base, aspect: 'tests' }), NOW)).toBe(5);
    expect(priority(unranked({ ...base, aspect: 'ci' }), NOW)).toBe(5);
    expect(priority(unranked({ ...base, aspect: 'cost' }), NOW)).toBe(5);
    expect(priority(unranked({ ...base, aspect: 'code-health' }), NOW)).toBe(4);
    expect(priority(unranked({ ...base, aspect: 'governance' }), NOW)).toBe(3.5);
    expect(priority(unranked({ ...base, aspect: 'tests', effort: 'medium' }), NOW)).toBe(3.85);
    expect(priority(unranked({ ...base, aspect: 'tests', effort: 'large' }), NOW)).toBe(2.94);
  });

  it('treats a future or unparseable firstSeen as age 0', () => {
    expect(ageDays('2030-01-01T00:00:00Z', NOW)).toBe(0);
    expect(ageDays('not a date', NOW)).toBe(0);
    expect(ageFactor(0)).toBe(1);
    expect(ageFactor(30)).toBe(2);
  });

  it('grows with age and never goes below the age-0 value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 }), (a, b) => {
        const [younger, older] = a < b ? [a, b] : [b, a];
        const p = (days: number) => priority(unranked({ firstSeen: daysAgo(days) }), NOW);
        return p(younger) <= p(older);
      }),
    );
  });

  it('has at most two decimals', () => {
    fc.assert(
      fc.property(reportArb, (report) =>
        report.findings.every((record) => {
          const value = priority(record, NOW);
          return Number.isFinite(value) && value >= 0 && Math.abs(value * 100 - Math.round(value * 100)) < 1e-6;
        }),
      ),
    );
  });
});

describe('rankFindings', () => {
  it('puts the backlog first, then resolved, then suppressed', () => {
    const ranked = rankFindings(
      [
        unranked({ fingerprint: 'suppressed', severity: 'critical', suppressed: { reason: 'vendored', until: null } }),
        unranked({ fingerprint: 'resolved', severity: 'critical', status: 'resolved' }),
        unranked({ fingerprint: 'low', severity: 'low' }),
        unranked({ fingerprint: 'high', severity: 'high', status: 'new' }),
        unranked({ fingerprint: 'reopened', severity: 'medium', status: 'reopened' }),
      ],
      NOW,
    );
    expect(ranked.map((record) => record.fingerprint)).toEqual(['high', 'reopened', 'low', 'resolved', 'suppressed']);
  });

  it('breaks priority ties by severity, then oldest first, then fingerprint', () => {
    // Equal priority, different severity: low tests, new (5 × 1 × 1) vs info tests, 450 days old
    // (1 × 1 × (1 + log2(1 + 450/30)) = 5). The more severe one comes first.
    const bySeverity = rankFindings(
      [
        unranked({ fingerprint: 'info', severity: 'info', aspect: 'tests', firstSeen: daysAgo(450), effort: 'small' }),
        unranked({ fingerprint: 'low', severity: 'low', aspect: 'tests', firstSeen: daysAgo(0), effort: 'small' }),
      ],
      NOW,
    );
    expect(bySeverity.map((record) => [record.fingerprint, record.priority])).toEqual([['low', 5], ['info', 5]]);

    // Same priority after rounding, one second apart: the older one comes first.
    const byAge = rankFindings(
      [
        unranked({ fingerprint: 'a', firstSeen: '2024-03-31T23:59:59.000Z' }),
        unranked({ fingerprint: 'b', firstSeen: '2024-03-31T23:59:58.000Z' }),
      ],
      NOW,
    );
    expect(byAge.map((record) => record.fingerprint)).toEqual(['b', 'a']);

    // Everything equal but the fingerprint.
    const tie = { severity: 'medium' as const, aspect: 'tests' as const, firstSeen: daysAgo(10), effort: 'small' as const };
    const byFingerprint = rankFindings(
      [unranked({ ...tie, fingerprint: 'b' }), unranked({ ...tie, fingerprint: 'a' }), unranked({ ...tie, fingerprint: 'c' })],
      NOW,
    );
    expect(byFingerprint.map((record) => record.fingerprint)).toEqual(['a', 'b', 'c']);
  });

  it('is a total, deterministic order independent of input order, and does not mutate its input', () => {
    fc.assert(
      fc.property(reportArb, fc.nat(), (report, seed) => {
        const input = report.findings.map(({ priority: _p, ...rest }) => rest);
        const frozen = JSON.stringify(input);
        const once = rankFindings(input, NOW);
        // A deterministic shuffle of the input.
        const shuffled = [...input]
          .map((record, index) => ({ record, key: (index * 2654435761 + seed) % 4294967296 }))
          .sort((x, y) => x.key - y.key)
          .map(({ record }) => record);
        const twice = rankFindings(shuffled, NOW);
        expect(JSON.stringify(input)).toBe(frozen);
        expect(twice.map((r) => [r.system, r.fingerprint, r.priority])).toEqual(once.map((r) => [r.system, r.fingerprint, r.priority]));
        // The order compareRanked defines (rankFindings computes its keys once per finding).
        const byComparator = input.map((record) => ({ ...record, priority: priority(record, NOW) })).sort(compareRanked);
        expect(once).toEqual(byComparator);
      }),
    );
  });
});
