import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ASPECTS, EFFORTS, SEVERITIES } from '../core/model.js';
import { rankFindings } from '../report/priority.js';
import type { FindingRank, StoredFinding } from '../store/store.js';
import { csvCell, findingsCsv, sortRanks, toApiFinding } from './api-findings.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');

const rankArbitrary: fc.Arbitrary<FindingRank> = fc.record({
  ref: fc.nat(),
  system: fc.constantFrom('web', 'api', 'db'),
  fingerprint: fc.constantFrom('a1', 'b2', 'c3', 'd4', 'e5', 'f6'),
  aspect: fc.constantFrom(...ASPECTS),
  severity: fc.constantFrom(...SEVERITIES),
  effort: fc.option(fc.constantFrom(...EFFORTS), { nil: null }),
  status: fc.constantFrom('new', 'open', 'reopened', 'resolved'),
  // Few distinct days: ties in priority and age are common, so the tie-breaks are exercised.
  firstSeen: fc.integer({ min: 0, max: 20 }).map((days) => new Date(NOW.getTime() - days * 86_400_000).toISOString()),
  lastSeen: fc.integer({ min: 0, max: 5 }).map((days) => new Date(NOW.getTime() - days * 86_400_000).toISOString()),
  suppressed: fc.boolean(),
});

function stored(rank: FindingRank): StoredFinding {
  return {
    fingerprint: rank.fingerprint,
    system: rank.system,
    probe: 'p',
    rule: 'p/r',
    aspect: rank.aspect,
    severity: rank.severity,
    title: 't',
    message: 'm',
    location: null,
    status: rank.status,
    firstSeen: rank.firstSeen,
    lastSeen: rank.lastSeen,
    data: {},
    remediation: null,
    effort: rank.effort,
    ...(rank.suppressed ? { suppressed: { reason: 'r', until: null } } : {}),
  };
}

describe('sortRanks', () => {
  it('orders by priority exactly as reports rank findings', () => {
    fc.assert(
      fc.property(fc.uniqueArray(rankArbitrary, { selector: (r) => `${r.system}/${r.fingerprint}`, maxLength: 60 }), (ranks) => {
        const expected = rankFindings(ranks.map(stored), NOW).map((f) => `${f.system}/${f.fingerprint}`);
        expect(sortRanks(ranks, 'priority', NOW).map((r) => `${r.system}/${r.fingerprint}`)).toStrictEqual(expected);
      }),
    );
  });

  it('keeps the backlog before resolved before suppressed whatever the sort, the key within', () => {
    fc.assert(
      fc.property(fc.array(rankArbitrary, { maxLength: 40 }), fc.constantFrom('age', 'severity', 'lastSeen') as fc.Arbitrary<'age' | 'severity' | 'lastSeen'>, (ranks, sort) => {
        const sorted = sortRanks(ranks, sort, NOW);
        const group = (r: FindingRank) => (r.suppressed ? 2 : r.status === 'resolved' ? 1 : 0);
        for (let i = 1; i < sorted.length; i++) {
          const [a, b] = [sorted[i - 1]!, sorted[i]!];
          expect(group(a)).toBeLessThanOrEqual(group(b));
          if (group(a) !== group(b)) continue;
          if (sort === 'age') expect(a.firstSeen <= b.firstSeen).toBe(true);
          if (sort === 'lastSeen') expect(a.lastSeen >= b.lastSeen).toBe(true);
          if (sort === 'severity') expect(SEVERITIES.indexOf(a.severity)).toBeLessThanOrEqual(SEVERITIES.indexOf(b.severity));
        }
      }),
    );
  });
});

describe('CSV export', () => {
  it('defuses formulas and quotes per RFC 4180', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+SUM(A1)')).toBe("'+SUM(A1)");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('=a,"b"')).toBe(`"'=a,""b"""`);
    expect(csvCell(-3.5)).toBe('-3.5');
    expect(csvCell(null)).toBe('');
    const [finding] = rankFindings([stored({ ref: 1, system: 'web', fingerprint: 'ab', aspect: 'security', severity: 'high', effort: null, status: 'open', firstSeen: NOW.toISOString(), lastSeen: NOW.toISOString(), suppressed: true })], NOW);
    const csv = findingsCsv([{ ...toApiFinding(finding!), location: { path: 'src/a.ts', line: 3 } }]);
    expect(csv).toBe(
      'priority,severity,status,system,aspect,rule,title,message,location,firstSeen,lastSeen,effort,suppressed,fingerprint\r\n' +
        `60,high,open,web,security,p/r,t,m,src/a.ts:3,${NOW.toISOString()},${NOW.toISOString()},,r,ab\r\n`,
    );
  });
});
