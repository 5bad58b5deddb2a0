import { describe, expect, it } from 'vitest';
import { analyze, majorBehindSeverity, type Assessed, type EolAnswer, type FreshnessAnswer } from './analyze.js';
import { versionsConfigSchema } from './config.js';
import type { Component } from './model.js';

const now = new Date('2026-11-29T00:00:00Z');
const config = versionsConfigSchema.parse({});
const data = { asOf: '2026-11-01', origin: 'cache' };

const runtime = (product: string, cycle: string, path: string, line = 1): Component => ({
  kind: 'runtime',
  name: product,
  version: null,
  constraint: cycle,
  ecosystem: null,
  direct: true,
  dev: false,
  product,
  cycle,
  source: { path, line },
});
const eol = (status: EolAnswer['status'], date: string | null, extra: Partial<EolAnswer> = {}): EolAnswer => ({
  status,
  eol: date,
  eoas: null,
  latest: null,
  upgradeTo: { cycle: '24', eol: '2028-04-30' },
  productTitle: 'Node.js',
  ...extra,
});
const lib = (name: string, version: string, extra: Partial<Component> = {}): Component => ({
  kind: 'library',
  name,
  version,
  ecosystem: 'npm',
  direct: true,
  dev: false,
  source: { path: 'package-lock.json', line: 10 },
  ...extra,
});
const fresh = (extra: Partial<FreshnessAnswer> = {}): FreshnessAnswer => ({
  latestStable: '4.17.21',
  majorsBehind: 0,
  libyears: 0,
  deprecated: null,
  lastReleaseAt: '2026-01-01T00:00:00Z',
  upToDate: true,
  ...extra,
});

describe('analyze: end of life', () => {
  it('reports past, near and support-ended cycles with the contract data, critical after a year', () => {
    const assessed: Assessed[] = [
      { component: runtime('nodejs', '16', '.nvmrc'), eol: eol('eol', '2023-09-11') },
      { component: runtime('nodejs', '20', 'Dockerfile', 3), eol: eol('eol', '2026-04-30') },
      { component: runtime('nodejs', '22', 'package.json', 5), eol: eol('eol-soon', '2027-04-30') },
      { component: runtime('nodejs', '24', '.tool-versions'), eol: eol('support-ended', '2028-04-30', { eoas: '2026-10-20' }) },
      { component: runtime('nodejs', '26', 'x'), eol: eol('supported', '2029-04-30') },
    ];
    const { findings } = analyze(assessed, config, now, data);
    expect(findings.map((f) => [f.rule, f.severity, f.location])).toEqual([
      ['versions/eol', 'critical', { path: '.nvmrc', line: 1 }],
      ['versions/eol', 'high', { path: 'Dockerfile', line: 3 }],
      ['versions/eol-soon', 'medium', { path: 'package.json', line: 5 }],
      ['versions/support-ended', 'low', { path: '.tool-versions', line: 1 }],
    ]);
    expect(findings[0]!.data).toMatchObject({ product: 'nodejs', cycle: '16', eol: '2023-09-11', kind: 'runtime', source: { path: '.nvmrc', line: 1 } });
    expect(findings[0]!.title).toBe('Node.js 16 reached end of life on 2023-09-11');
    expect(findings[0]!.remediation).toBe('Upgrade to Node.js 24 (supported until 2028-04-30).');
  });

  it('keeps identity when a declaration moves lines, and twins in one file apart', () => {
    const a = analyze([{ component: runtime('nodejs', '16', 'Dockerfile', 1), eol: eol('eol', '2023-09-11') }], config, now, data);
    const b = analyze([{ component: runtime('nodejs', '16', 'Dockerfile', 9), eol: eol('eol', '2023-09-11') }], config, now, data);
    expect(a.findings[0]!.fingerprint).toBe(b.findings[0]!.fingerprint);
    const twins = analyze(
      [
        { component: runtime('nodejs', '16', 'Dockerfile', 1), eol: eol('eol', '2023-09-11') },
        { component: runtime('nodejs', '16', 'Dockerfile', 7), eol: eol('eol', '2023-09-11') },
      ],
      config,
      now,
      data,
    );
    expect(new Set(twins.findings.map((f) => f.fingerprint)).size).toBe(2);
  });

  it('reports stale end-of-life data', () => {
    const { findings } = analyze([], config, now, { asOf: '2026-01-01', origin: 'bundled' });
    expect(findings).toMatchObject([{ rule: 'versions/eol-data-outdated', severity: 'low', data: { ageDays: 332 } }]);
    expect(analyze([], config, now, data).findings).toEqual([]);
  });
});

describe('analyze: freshness', () => {
  it('reports majors behind, deprecated and unmaintained libraries', () => {
    const assessed: Assessed[] = [
      { component: lib('left-pad', '1.0.0'), freshness: fresh({ latestStable: '4.0.0', majorsBehind: 3, libyears: 4.2, upToDate: false }) },
      { component: lib('request', '2.88.2'), freshness: fresh({ latestStable: '2.88.2', deprecated: 'request has been deprecated', lastReleaseAt: '2020-02-11T00:00:00Z' }) },
      { component: lib('ok', '1.0.0', { dev: true }), freshness: fresh() },
    ];
    const { findings, metrics } = analyze(assessed, config, now, data);
    expect(findings.map((f) => [f.rule, f.severity, f.data.name])).toEqual([
      ['versions/major-behind', 'high', 'left-pad'],
      ['versions/deprecated', 'medium', 'request'],
      ['versions/unmaintained', 'low', 'request'],
    ]);
    const metric = (name: string, labels: Record<string, string> = {}) =>
      metrics.find((m) => m.name === name && JSON.stringify(m.labels) === JSON.stringify(labels))?.value;
    expect(metric('versions.libyears', { ecosystem: 'all' })).toBe(4.2);
    expect(metric('versions.libyears', { ecosystem: 'npm' })).toBe(4.2);
    expect(metric('versions.majors_behind')).toBe(3);
    expect(metric('versions.dependencies', { scope: 'direct' })).toBe(3);
    expect(metric('versions.up_to_date_ratio')).toBe(0.67);
  });

  it('leaves development dependencies out when told to', () => {
    const assessed: Assessed[] = [{ component: lib('jest', '26.0.0', { dev: true }), freshness: fresh({ latestStable: '30.0.0', majorsBehind: 4, upToDate: false }) }];
    expect(analyze(assessed, { ...config, includeDev: false }, now, data).findings).toEqual([]);
    expect(analyze(assessed, config, now, data).findings).toHaveLength(1);
  });

  it('grades majors behind by count and age', () => {
    expect(majorBehindSeverity(1, 0.5)).toBe('low');
    expect(majorBehindSeverity(2, 1)).toBe('medium');
    expect(majorBehindSeverity(3, null)).toBe('high');
    expect(majorBehindSeverity(1, 3.5)).toBe('medium');
  });
});

describe('analyze: upgrade plan', () => {
  it('puts what is past end of life first (longest past first), then what ends soonest, then majors behind', () => {
    const assessed: Assessed[] = [
      { component: lib('react', '16.14.0'), freshness: fresh({ latestStable: '19.1.0', majorsBehind: 3, libyears: 5, upToDate: false }) },
      { component: runtime('python', '3.9', '.python-version'), eol: eol('eol-soon', '2027-01-31', { productTitle: 'Python', upgradeTo: { cycle: '3.14', eol: null } }) },
      { component: runtime('nodejs', '18', 'Dockerfile', 1), eol: eol('eol', '2025-04-30') },
      { component: runtime('nodejs', '16', '.nvmrc'), eol: eol('eol', '2023-09-11') },
      { component: runtime('nodejs', '16', 'ci.yml', 4), eol: eol('eol', '2023-09-11') },
    ];
    const { plan } = analyze(assessed, config, now, data);
    expect(plan.map((p) => [p.rank, p.subject, p.action])).toEqual([
      [1, 'Node.js 16', 'upgrade to 24'],
      [2, 'Node.js 18', 'upgrade to 24'],
      [3, 'Python 3.9', 'upgrade to 3.14'],
      [4, 'npm react 16.14.0', 'upgrade to 19.1.0'],
    ]);
    expect(plan[0]!.where).toEqual(['.nvmrc:1', 'ci.yml:4']);
    expect(plan[0]!.why).toBe('end of life since 2023-09-11 (1175 days)');
  });
});
