import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasourceError } from '../datasources/registry.js';
import type { Component, Ecosystem } from '../probes/versions/model.js';
import { AdvisoryDatabase, findVulnerabilities, localSource, type AdvisorySource } from './index.js';
import { FIXTURES_DIR } from './test-support/fixtures.js';

let dir: string;
let db: AdvisoryDatabase;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prodeng-osv-find-'));
  db = AdvisoryDatabase.open(join(dir, 'osv.db'));
  await db.importOsv(FIXTURES_DIR);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const lib = (ecosystem: Ecosystem | null, name: string, version: string | null): Component => ({
  kind: 'library',
  name,
  version,
  ecosystem,
  direct: true,
  dev: false,
  source: { path: 'lockfile', line: 1 },
});

describe('findVulnerabilities', () => {
  it('merges, filters and describes the advisories of each package version', async () => {
    const components = [
      lib('npm', 'lodash', '4.17.20'),
      lib('npm', 'lodash', '4.17.20'), // the same package twice: checked once
      lib('npm', 'lodash', '4.17.21'),
      lib('pypi', 'Django', '3.2.19'),
      lib('npm', 'jsonwebtoken', '8.5.1'), // only a withdrawn advisory
      lib('maven', 'com.h2database:h2', '2.1.214'),
      lib('go', 'golang.org/x/net', 'v0.3.0'),
      lib('npm', 'react', null), // no exact version
      { ...lib(null, 'node', '16.0.0'), kind: 'runtime' as const },
    ];
    const result = await findVulnerabilities(components, [localSource(db)], { now: new Date('2024-07-03T13:15:00Z') });
    expect(result.errors).toEqual([]);
    expect(result.unchecked.map((c) => c.name)).toEqual(['react', 'node']);
    const byPackage = Object.fromEntries(result.packages.map((p) => [`${p.ecosystem}:${p.name}@${p.version}`, p.vulnerabilities]));
    expect(Object.keys(byPackage)).toEqual([
      'npm:lodash@4.17.20',
      'npm:lodash@4.17.21',
      'pypi:Django@3.2.19',
      'npm:jsonwebtoken@8.5.1',
      'maven:com.h2database:h2@2.1.214',
      'go:golang.org/x/net@v0.3.0',
    ]);
    expect(byPackage['npm:lodash@4.17.21']).toEqual([]);
    expect(byPackage['npm:jsonwebtoken@8.5.1']).toEqual([]);
    expect(byPackage['npm:lodash@4.17.20']?.map((v) => [v.id, v.severity, v.score, v.fixed])).toEqual([['GHSA-35jh-r3h4-6jhm', 'high', 7.2, '4.17.21']]);
    expect(byPackage['pypi:Django@3.2.19']).toEqual([
      {
        id: 'GHSA-jh3w-4vvf-mjgr',
        aliases: ['CVE-2023-36053', 'PYSEC-2023-100'],
        summary: 'Django vulnerable to Regular Expression Denial of Service',
        severity: 'high',
        score: 7.5,
        vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
        published: '2023-07-03T13:15:00Z',
        modified: '2024-06-21T21:26:28Z',
        fixed: '3.2.20',
        references: expect.any(Array),
        records: ['GHSA-jh3w-4vvf-mjgr', 'PYSEC-2023-100'],
        ageDays: 366,
      },
    ]);
    expect(byPackage['maven:com.h2database:h2@2.1.214']?.map((v) => [v.id, v.severity, v.score, v.fixed])).toEqual([['GHSA-22wj-vf5f-wrvj', 'high', 8.5, null]]);
    expect(byPackage['go:golang.org/x/net@v0.3.0']?.map((v) => [v.id, v.aliases, v.severity, v.fixed])).toEqual([
      ['GHSA-xrjj-mj9h-534m', ['CVE-2022-41717', 'GO-2022-1144'], 'unknown', '0.4.0'],
    ]);
  });

  it('merges the answers of several sources and reports the ones that fail', async () => {
    const failing: AdvisorySource = {
      name: 'api.example',
      advisoriesFor: async () => {
        throw new DatasourceError('unavailable', 'api.example', 'api.example: HTTP 503');
      },
    };
    const broken: AdvisorySource = {
      name: 'weird',
      advisoriesFor: async () => {
        throw new TypeError('boom');
      },
    };
    const result = await findVulnerabilities([lib('npm', 'lodash', '4.17.20')], [localSource(db), failing, broken]);
    expect(result.packages[0]?.vulnerabilities.map((v) => v.id)).toEqual(['GHSA-35jh-r3h4-6jhm']);
    expect(result.errors.map((e) => [e.host, e.message])).toEqual([
      ['api.example', 'api.example: HTTP 503'],
      ['weird', 'weird: boom'],
    ]);
    expect(result.errors.every((e) => e instanceof DatasourceError)).toBe(true);
  });

  it('uses the part a partial source could answer, and reports it', async () => {
    const empty = AdvisoryDatabase.open(join(dir, 'npm-only.db'));
    try {
      await empty.importOsv(join(FIXTURES_DIR, 'GHSA-35jh-r3h4-6jhm.json'));
      const result = await findVulnerabilities([lib('npm', 'lodash', '4.17.20'), lib('cargo', 'tokio', '1.8.3')], [localSource(empty)]);
      expect(result.packages.map((p) => p.vulnerabilities.length)).toEqual([1, 0]);
      expect(result.errors.map((e) => e.code)).toEqual(['offline']);
      expect(result.errors[0]?.message).toMatch(/no advisories imported for crates\.io/);
    } finally {
      empty.close();
    }
  });

  it('merges the same advisory from two sources into one', async () => {
    const copy: AdvisorySource = { name: 'copy', advisoriesFor: (packages, signal) => localSource(db).advisoriesFor(packages, signal) };
    const result = await findVulnerabilities([lib('pypi', 'django', '4.1.9')], [localSource(db), copy]);
    expect(result.packages[0]?.vulnerabilities.map((v) => [v.id, v.fixed])).toEqual([['GHSA-jh3w-4vvf-mjgr', '4.1.10']]);
  });

  it('accepts packages named with an OSV ecosystem directly', async () => {
    const result = await findVulnerabilities([{ osv: true, ecosystem: 'RubyGems', name: 'rack', version: '1.6.13' }], [localSource(db)]);
    expect(result.packages[0]).toMatchObject({ ecosystem: 'RubyGems', osvEcosystem: 'RubyGems', vulnerabilities: [{ id: 'OSV-2024-LIMIT', severity: 'medium', fixed: null }] });
  });

  it('rejects when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(findVulnerabilities([lib('npm', 'lodash', '4.17.20')], [localSource(db)], { signal: controller.signal })).rejects.toThrow('cancelled');
  });
});
