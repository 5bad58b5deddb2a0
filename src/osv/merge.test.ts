import { describe, expect, it } from 'vitest';
import { dedupeById, groupRecords, mergeAdvisories, primaryId } from './merge.js';
import type { OsvRecord } from './schema.js';
import { fixture, record } from './test-support/fixtures.js';

const r = (id: string, aliases: string[] = [], extra: Partial<OsvRecord> = {}): OsvRecord => record(id, [], { aliases, ...extra });
const ids = (groups: OsvRecord[][]): string[][] => groups.map((g) => g.map((x) => x.id).sort()).sort((a, b) => (a[0] as string).localeCompare(b[0] as string));

describe('grouping', () => {
  it('joins records that share an id or an alias', () => {
    const groups = groupRecords([r('GHSA-aaaa-bbbb-cccc', ['CVE-2024-1']), r('PYSEC-2024-1', ['CVE-2024-1']), r('GHSA-xxxx-yyyy-zzzz')]);
    expect(ids(groups)).toEqual([['GHSA-aaaa-bbbb-cccc', 'PYSEC-2024-1'], ['GHSA-xxxx-yyyy-zzzz']]);
  });

  it('follows alias chains transitively', () => {
    // A~CVE-1, B~CVE-1+CVE-2, C~CVE-2+OSV-3, D is OSV-3's record: one vulnerability
    const groups = groupRecords([r('GHSA-a', ['CVE-1']), r('PYSEC-b', ['CVE-1', 'CVE-2']), r('GO-c', ['CVE-2', 'OSV-3']), r('OSV-3'), r('RUSTSEC-e', ['CVE-9'])]);
    expect(ids(groups)).toEqual([['GHSA-a', 'GO-c', 'OSV-3', 'PYSEC-b'], ['RUSTSEC-e']]);
  });

  it('joins a record with another that names it as an alias', () => {
    expect(ids(groupRecords([r('GHSA-a'), r('PYSEC-b', ['GHSA-a'])]))).toEqual([['GHSA-a', 'PYSEC-b']]);
  });

  it('drops withdrawn records, which then link nothing', () => {
    const groups = groupRecords([r('GHSA-w', ['CVE-1', 'CVE-2'], { withdrawn: '2024-01-02T00:00:00Z' }), r('PYSEC-1', ['CVE-1']), r('PYSEC-2', ['CVE-2'])]);
    expect(ids(groups)).toEqual([['PYSEC-1'], ['PYSEC-2']]);
  });

  it('ignores case in identifiers', () => {
    expect(ids(groupRecords([r('GHSA-a', ['cve-2024-1']), r('PYSEC-b', ['CVE-2024-1'])]))).toEqual([['GHSA-a', 'PYSEC-b']]);
  });

  it('keeps the latest modified of a repeated id', () => {
    const older = r('GHSA-a', [], { modified: '2023-01-01T00:00:00Z', summary: 'old' });
    const newer = r('GHSA-a', [], { modified: '2024-01-01T00:00:00Z', summary: 'new' });
    expect(dedupeById([older, newer]).map((x) => x.summary)).toEqual(['new']);
    expect(dedupeById([newer, older]).map((x) => x.summary)).toEqual(['new']);
  });
});

describe('primary id', () => {
  it('prefers GHSA, then CVE, then others', () => {
    expect(primaryId([r('PYSEC-1', ['CVE-2024-1', 'GHSA-b'])])).toBe('GHSA-b');
    expect(primaryId([r('PYSEC-1', ['CVE-2024-1'])])).toBe('CVE-2024-1');
    expect(primaryId([r('RUSTSEC-2024-2'), r('OSV-2024-1', ['RUSTSEC-2024-2'])])).toBe('OSV-2024-1');
  });

  it('prefers an id that has a record, then the alphabet', () => {
    expect(primaryId([r('GHSA-zzzz', ['GHSA-aaaa'])])).toBe('GHSA-zzzz');
    expect(primaryId([r('GHSA-bbbb'), r('GHSA-aaaa', ['GHSA-bbbb'])])).toBe('GHSA-aaaa');
  });
});

describe('mergeAdvisories', () => {
  const django = { ecosystem: 'PyPI', name: 'django', version: '3.2.19' };

  it('merges GitHub and PyPA records of one CVE', () => {
    const [v, ...rest] = mergeAdvisories([fixture('PYSEC-2023-100'), fixture('GHSA-jh3w-4vvf-mjgr')], django);
    expect(rest).toEqual([]);
    expect(v).toMatchObject({
      id: 'GHSA-jh3w-4vvf-mjgr',
      aliases: ['CVE-2023-36053', 'PYSEC-2023-100'],
      summary: 'Django vulnerable to Regular Expression Denial of Service',
      severity: 'high',
      score: 7.5,
      vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
      published: '2023-07-03T13:15:00Z', // PYSEC's, earlier than GitHub's
      modified: '2024-06-21T21:26:28Z',
      fixed: '3.2.20',
      records: ['GHSA-jh3w-4vvf-mjgr', 'PYSEC-2023-100'],
    });
    // references: union by URL, the primary's first
    expect(v?.references.map((x) => x.url)).toEqual([
      'https://nvd.nist.gov/vuln/detail/CVE-2023-36053',
      'https://www.djangoproject.com/weblog/2023/jul/03/security-releases/',
      'https://docs.djangoproject.com/en/dev/releases/security/',
    ]);
  });

  it('takes the worst severity of the members, with its score', () => {
    const merged = mergeAdvisories([
      r('GHSA-a', ['CVE-1'], { database_specific: { severity: 'MODERATE' } }),
      r('PYSEC-b', ['CVE-1'], { severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] }),
    ]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ id: 'GHSA-a', severity: 'critical', score: 9.8 });
  });

  it('takes the highest of the members\u2019 lowest fixes', () => {
    const pkg = { ecosystem: 'npm', name: 'a', version: '1.0.0' };
    const a = record('GHSA-a', [{ package: { ecosystem: 'npm', name: 'a' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0.1' }] }] }], {
      aliases: ['CVE-1'],
    });
    const b = record('OSV-b', [{ package: { ecosystem: 'npm', name: 'a' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0.3' }] }] }], {
      aliases: ['CVE-1'],
    });
    const c = record('OSV-c', [{ package: { ecosystem: 'npm', name: 'a' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { last_affected: '1.0.0' }] }] }], {
      aliases: ['CVE-1'],
    });
    expect(mergeAdvisories([a, b, c], pkg)[0]?.fixed).toBe('1.0.3');
    expect(mergeAdvisories([c], pkg)[0]?.fixed).toBeNull();
  });

  it('drops withdrawn advisories and sorts worst first', () => {
    const merged = mergeAdvisories([fixture('GHSA-wm4p-m9gx-3hc3'), r('OSV-low', [], { database_specific: { severity: 'LOW' } }), r('OSV-crit', [], { database_specific: { severity: 'CRITICAL' } })]);
    expect(merged.map((v) => v.id)).toEqual(['OSV-crit', 'OSV-low']);
  });
});
