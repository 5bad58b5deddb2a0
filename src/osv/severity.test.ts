import { describe, expect, it } from 'vitest';
import { bandOf, compareSeverity, cvssScore, severityFromWord, severityOf } from './severity.js';
import { fixture, record } from './test-support/fixtures.js';

describe('cvssScore', () => {
  it('scores v3.1, v3.0, v4.0 and v2 vectors', () => {
    expect(cvssScore('CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H')).toEqual({ version: '3.1', score: 7.2 });
    expect(cvssScore('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N')).toEqual({ version: '3.0', score: 5.3 });
    expect(cvssScore('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toEqual({ version: '4.0', score: 9.3 });
    expect(cvssScore('AV:N/AC:L/Au:N/C:P/I:P/A:P')).toEqual({ version: '2.0', score: 7.5 });
    expect(cvssScore('(AV:N/AC:L/Au:N/C:P/I:P/A:P)')).toEqual({ version: '2.0', score: 7.5 });
    // temporal metrics do not change the base score
    expect(cvssScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P')).toEqual({ version: '3.1', score: 9.8 });
  });

  it('rejects vectors that do not parse or lack a base metric', () => {
    for (const bad of [
      '',
      'garbage',
      'CVSS:3.1/AV:N',
      'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      'CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      'CVSS:4.0/AV:N',
      'CVSS:5.0/AV:N/AC:L',
      'AV:N/AC:L',
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A',
    ]) {
      expect(cvssScore(bad), bad).toBeNull();
    }
  });
});

describe('bands', () => {
  it('follow CVSS: 0 info, 0.1–3.9 low, 4–6.9 medium, 7–8.9 high, 9–10 critical', () => {
    expect([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(bandOf)).toEqual(['info', 'low', 'low', 'medium', 'medium', 'high', 'high', 'critical', 'critical']);
    expect(bandOf(Number.NaN)).toBe('unknown');
    expect(bandOf(11)).toBe('unknown');
  });

  it('reads database words', () => {
    expect(['LOW', 'MODERATE', 'HIGH', 'CRITICAL', 'negligible', 'medium', 'whatever', 42].map(severityFromWord)).toEqual([
      'low',
      'medium',
      'high',
      'critical',
      'info',
      'medium',
      null,
      null,
    ]);
  });
});

describe('severityOf', () => {
  it('scores the CVSS v3 vector of a GHSA record', () => {
    expect(severityOf(fixture('GHSA-35jh-r3h4-6jhm'))).toEqual({
      severity: 'high',
      score: 7.2,
      vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H',
      source: 'CVSS_V3',
    });
  });

  it('prefers v4 over v3', () => {
    const info = severityOf(fixture('GHSA-22wj-vf5f-wrvj'));
    expect(info.source).toBe('CVSS_V4');
    expect(info.score).toBe(8.5);
    expect(info.severity).toBe('high');
  });

  it('falls back to v3 when the v4 vector is broken, then to v2', () => {
    const broken = record('X-1', [], {
      severity: [
        { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N' },
        { type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' },
        { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
      ],
    });
    expect(severityOf(broken)).toMatchObject({ severity: 'critical', score: 9.8, source: 'CVSS_V3' });
    const onlyV2 = record('X-2', [], { severity: [{ type: 'CVSS_V3', score: 'nonsense' }, { type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' }] });
    expect(severityOf(onlyV2)).toMatchObject({ severity: 'high', score: 7.5, source: 'CVSS_V2' });
  });

  it('uses package-level severities (the spec allows them instead of a top-level one)', () => {
    const rec = record('X-3', [
      { package: { ecosystem: 'npm', name: 'a' }, severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H' }] },
    ]);
    expect(severityOf(rec)).toMatchObject({ severity: 'medium', score: 5.9 });
  });

  it('falls back to the database rating: GitHub MODERATE = medium', () => {
    const rec = record('X-4', [], { severity: [{ type: 'CVSS_V3', score: 'broken' }], database_specific: { severity: 'MODERATE' } });
    expect(severityOf(rec)).toEqual({ severity: 'medium', score: null, vector: null, source: 'database' });
    expect(severityOf(fixture('OSV-2024-LIMIT')).severity).toBe('medium');
  });

  it('reads ecosystem_specific severities (RustSec, PyPA) and Ubuntu priorities', () => {
    expect(severityOf(fixture('RUSTSEC-2019-0033')).severity).toBe('high');
    expect(severityOf(fixture('PYSEC-2021-XXXX')).severity).toBe('high');
    expect(severityOf(record('UBUNTU-1', [], { severity: [{ type: 'Ubuntu', score: 'negligible' }] })).severity).toBe('info');
  });

  it('is unknown without any rating', () => {
    expect(severityOf(fixture('PYSEC-2023-100'))).toEqual({ severity: 'unknown', score: null, vector: null, source: null });
  });

  it('orders worst first, a score breaking ties', () => {
    const items = [
      { severity: 'high' as const, score: 7.1 },
      { severity: 'critical' as const, score: null },
      { severity: 'high' as const, score: 8.2 },
      { severity: 'unknown' as const, score: null },
      { severity: 'high' as const, score: null },
    ];
    expect(items.sort(compareSeverity)).toEqual([
      { severity: 'critical', score: null },
      { severity: 'high', score: 8.2 },
      { severity: 'high', score: 7.1 },
      { severity: 'high', score: null },
      { severity: 'unknown', score: null },
    ]);
  });
});
