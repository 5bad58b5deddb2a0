import { describe, expect, it } from 'vitest';
import { addMonths, aspectColumns, byMonth, cipherStrength, compareSeverity, defaultPair, emptyCounts, eolBuckets, groupByAspect, locationText, overviewRows, safeHref, seriesLabel, systemCounts, tlsMatrix, totalOf, trendOf } from './model.ts';
import type { Counts, EolItem, Finding, OverviewSystem } from './types.ts';

const counts = (values: Partial<Counts>): Counts => ({ ...emptyCounts(), ...values });

function system(name: string, aspects: Record<string, [Partial<Counts>, Partial<Counts> | null]>): OverviewSystem {
  return { name, latestAt: null, latestStatus: null, aspects: Object.fromEntries(Object.entries(aspects).map(([a, [open, weekAgo]]) => [a, { open: counts(open), weekAgo: weekAgo && counts(weekAgo) }])) };
}

function finding(values: Partial<Finding>): Finding {
  return { fingerprint: 'f', system: 's', probe: 'todo', rule: 'todo/marker', aspect: 'code-health', severity: 'low', title: 't', message: 'm', location: null, status: 'open', firstSeen: '2026-01-01T00:00:00Z', lastSeen: '2026-01-02T00:00:00Z', data: {}, remediation: null, effort: null, priority: 1, ...values };
}

describe('overview', () => {
  it('shows the main aspects, then others present', () => {
    const systems = [system('a', { cost: [{ low: 1 }, null], governance: [{}, null] }), system('b', { availability: [{}, { high: 1 }] })];
    expect(aspectColumns(systems, ['technology-upgrade', 'security', 'code-health', 'tests', 'ci', 'performance', 'availability', 'cost', 'governance'])).toEqual([
      'technology-upgrade',
      'security',
      'code-health',
      'tests',
      'ci',
      'performance',
      'availability',
      'cost',
    ]);
    expect(aspectColumns([system('a', { 'new-aspect': [{ info: 2 }, null] })], [])).toContain('new-aspect');
  });

  it('judges the trend by the most severe change', () => {
    expect(trendOf(counts({ critical: 1 }), counts({ low: 5 }))).toEqual({ direction: 'worse', delta: -4 });
    expect(trendOf(counts({ low: 1 }), counts({ low: 3 }))).toEqual({ direction: 'better', delta: -2 });
    expect(trendOf(counts({ high: 2 }), counts({ high: 2 }))).toEqual({ direction: 'same', delta: 0 });
    expect(trendOf(counts({ high: 2 }), null)).toEqual({ direction: 'unknown', delta: 0 });
    expect(trendOf(counts({ medium: 1 }), counts({ high: 1 })).direction).toBe('better');
  });

  it('filters and orders systems', () => {
    const systems = [system('web', { security: [{ high: 1 }, null] }), system('api', { security: [{ critical: 1 }, null] }), system('batch', { tests: [{ high: 1, low: 3 }, null] })];
    expect(overviewRows(systems, '', 'worst').map((s) => s.name)).toEqual(['api', 'batch', 'web']);
    expect(overviewRows(systems, '', 'name').map((s) => s.name)).toEqual(['api', 'batch', 'web']);
    expect(overviewRows(systems, 'WE', 'worst').map((s) => s.name)).toEqual(['web']);
    expect(systemCounts(systems[2]!)).toEqual(counts({ high: 1, low: 3 }));
    expect(compareSeverity(counts({ critical: 1 }), counts({ high: 9 }))).toBeLessThan(0);
    expect(totalOf(null)).toBe(0);
  });

  it('renders 100 systems × 365 days of data without work per day', () => {
    const systems = Array.from({ length: 100 }, (_, i) => system(`system-${String(i).padStart(3, '0')}`, { security: [{ high: i % 3 }, { high: 1 }], tests: [{ low: i }, null] }));
    const start = performance.now();
    const rows = overviewRows(systems, '', 'worst');
    aspectColumns(systems, []);
    expect(rows).toHaveLength(100);
    expect(performance.now() - start).toBeLessThan(50);
  });
});

describe('findings', () => {
  it('group by aspect in the main order, keeping the given order', () => {
    const list = [finding({ fingerprint: '1', aspect: 'cost' }), finding({ fingerprint: '2', aspect: 'security' }), finding({ fingerprint: '3', aspect: 'technology-upgrade' }), finding({ fingerprint: '4', aspect: 'security' })];
    expect(groupByAspect(list).map((g) => [g.aspect, g.findings.map((f) => f.fingerprint)])).toEqual([
      ['technology-upgrade', ['3']],
      ['security', ['2', '4']],
      ['cost', ['1']],
    ]);
  });

  it('writes locations and allows only http(s) links', () => {
    expect(locationText({ path: 'src/a.ts', line: 3, column: 5 })).toBe('src/a.ts:3:5');
    expect(locationText({ path: 'src/a.ts' })).toBe('src/a.ts');
    expect(locationText({ url: 'https://x' })).toBe('https://x');
    expect(locationText(null)).toBeNull();
    expect(safeHref('https://ci.example/job/1')).toBe('https://ci.example/job/1');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('JaVaScRiPt:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,<script>alert(1)</script>')).toBeNull();
    expect(safeHref('not a url')).toBeNull();
  });

  it('labels series and picks the default diff pair', () => {
    expect(seriesLabel('todo.count', { tag: 'TODO' })).toBe('todo.count{tag="TODO"}');
    expect(seriesLabel('tests.total', {})).toBe('tests.total');
    expect(defaultPair(['c', 'b', 'a'])).toEqual({ from: 'b', to: 'c' });
    expect(defaultPair(['c'])).toBeNull();
  });
});

describe('end of life', () => {
  const item = (eol: string, system = 's'): EolItem => ({ system, component: 'nodejs', cycle: '18', version: '18.20.0', eol, daysLeft: 0, path: '.nvmrc', rule: 'versions/eol', fingerprint: 'f' });

  it('adds months, clamping to the month’s end', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
  });

  it('buckets by 3, 6 and 12 months from today', () => {
    const items = [item('2026-07-01'), item('2025-12-31'), item('2026-03-10'), item('2026-06-10'), item('2026-06-11'), item('2027-03-10'), item('2027-03-11'), item('2026-04-01', 'a')];
    const buckets = eolBuckets(items, '2026-03-10');
    expect(buckets.passed.map((i) => i.eol)).toEqual(['2025-12-31']);
    expect(buckets.months3.map((i) => i.eol)).toEqual(['2026-03-10', '2026-04-01', '2026-06-10']);
    expect(buckets.months6.map((i) => i.eol)).toEqual(['2026-06-11', '2026-07-01']);
    expect(buckets.months12.map((i) => i.eol)).toEqual(['2027-03-10']);
  });

  it('groups by month', () => {
    expect(byMonth([item('2026-05-02'), item('2026-04-30'), item('2026-05-31')]).map((m) => [m.month, m.items.length])).toEqual([
      ['2026-04', 1],
      ['2026-05', 2],
    ]);
  });
});

describe('tls', () => {
  it('classifies cipher suites', () => {
    expect(cipherStrength('TLS_AES_128_GCM_SHA256')).toBe('good');
    expect(cipherStrength('TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384')).toBe('good');
    expect(cipherStrength('TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256')).toBe('good');
    expect(cipherStrength('TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA')).toBe('legacy');
    expect(cipherStrength('TLS_RSA_WITH_AES_128_GCM_SHA256')).toBe('legacy');
    expect(cipherStrength('TLS_RSA_WITH_3DES_EDE_CBC_SHA')).toBe('weak');
    expect(cipherStrength('TLS_RSA_WITH_DES_CBC_SHA')).toBe('insecure');
    expect(cipherStrength('TLS_RSA_WITH_RC4_128_SHA')).toBe('insecure');
    expect(cipherStrength('TLS_RSA_EXPORT_WITH_RC4_40_MD5')).toBe('insecure');
    expect(cipherStrength('TLS_DH_anon_WITH_AES_128_CBC_SHA')).toBe('insecure');
    expect(cipherStrength('TLS_RSA_WITH_NULL_SHA256')).toBe('insecure');
  });

  it('builds the protocols × suites matrix', () => {
    const matrix = tlsMatrix({
      target: 'https://x',
      protocols: { SSLv2: false, SSLv3: false, 'TLSv1.0': false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true },
      ciphers: [
        { protocol: 'TLSv1.2', code: '0xC02F', name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', preferred: true },
        { protocol: 'TLSv1.2', code: '0xC013', name: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', preferred: false },
        { protocol: 'TLSv1.3', code: '0x1301', name: 'TLS_AES_128_GCM_SHA256', preferred: true },
      ],
    });
    expect(matrix.protocols.map((p) => [p.name, p.accepted])).toEqual([
      ['SSLv2', false],
      ['SSLv3', false],
      ['TLSv1.0', false],
      ['TLSv1.1', false],
      ['TLSv1.2', true],
      ['TLSv1.3', true],
    ]);
    expect(matrix.rows.map((r) => [r.name, r.cells])).toEqual([
      ['TLS_AES_128_GCM_SHA256', [null, null, null, null, null, 'preferred']],
      ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', [null, null, null, null, 'preferred', null]],
      ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', [null, null, null, null, 'offered', null]],
    ]);
    expect(tlsMatrix({ target: 'x' })).toEqual({ protocols: expect.any(Array), rows: [] });
  });
});
