import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasourceError } from '../datasources/registry.js';
import { startServer, type TestServer } from '../datasources/test-support/server.js';
import { AdvisoryDatabase } from './database.js';
import { npmRangeIncludes, npmRangeToOsv } from './npm-range.js';
import { createAdvisorySources, localSource, npmBulkSource, osvApiSource, packageKey, PartialAdvisoriesError, type PackageQuery } from './sources.js';
import { FIXTURES_DIR, fixtureText } from './test-support/fixtures.js';

let dir: string;
let db: AdvisoryDatabase;
let server: TestServer;
/** POST bodies sent, in order. */
let bodies: unknown[];

const signal = (): AbortSignal => new AbortController().signal;
const http = () => ({
  retries: 1,
  retryBaseMs: 1,
  sleep: async () => undefined,
  fetchImpl: (async (input: string | URL | Request, init?: RequestInit) => {
    if (init?.method === 'POST' && typeof init.body === 'string') bodies.push(JSON.parse(init.body));
    return fetch(input, init);
  }) as typeof fetch,
});
const key = (ecosystem: string, name: string, version: string): string => packageKey({ ecosystem, name, version });

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prodeng-osv-src-'));
  db = AdvisoryDatabase.open(join(dir, 'osv.db'));
  server = await startServer();
  bodies = [];
});
afterEach(async () => {
  db.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('local database source', () => {
  it('answers the records that affect each version', async () => {
    await db.importOsv(FIXTURES_DIR);
    const source = localSource(db);
    const answer = await source.advisoriesFor(
      [
        { ecosystem: 'npm', name: 'lodash', version: '4.17.20' },
        { ecosystem: 'npm', name: 'lodash', version: '4.17.21' },
        { ecosystem: 'PyPI', name: 'Django', version: '3.2.19' },
        { ecosystem: 'PyPI', name: 'django', version: '5.0' },
        { ecosystem: 'Maven', name: 'com.h2database:h2', version: '2.1.214' },
      ],
      signal(),
    );
    expect([...answer.keys()].sort()).toEqual([key('Maven', 'com.h2database:h2', '2.1.214'), key('PyPI', 'django', '3.2.19'), key('npm', 'lodash', '4.17.20')].sort());
    expect(answer.get(key('PyPI', 'Django', '3.2.19'))?.map((r) => r.id).sort()).toEqual(['GHSA-jh3w-4vvf-mjgr', 'PYSEC-2023-100']);
  });

  it('is partial for an ecosystem no import brought: unknown, not clean', async () => {
    await db.importOsv(join(FIXTURES_DIR, 'GHSA-35jh-r3h4-6jhm.json'));
    const error = await localSource(db, { name: 'osv.db' })
      .advisoriesFor(
        [
          { ecosystem: 'npm', name: 'lodash', version: '4.17.20' },
          { ecosystem: 'PyPI', name: 'django', version: '3.2.19' },
          { ecosystem: 'Go', name: 'golang.org/x/net', version: 'v0.3.0' },
        ],
        signal(),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartialAdvisoriesError);
    const partial = error as PartialAdvisoriesError;
    expect(partial.code).toBe('offline');
    expect(partial.host).toBe('osv.db');
    expect(partial.message).toMatch(/no advisories imported for Go, PyPI/);
    expect([...partial.partial.keys()]).toEqual([key('npm', 'lodash', '4.17.20')]);
  });

  it('offline, the sources are the local database alone', () => {
    const sources = createAdvisorySources({ database: db, offline: true });
    expect(sources.map((s) => s.name)).toEqual([db.path]);
    expect(createAdvisorySources({ database: db, npm: true }).map((s) => s.name)).toEqual(['api.osv.dev', 'registry.npmjs.org']);
  });
});

describe('OSV API source', () => {
  const lodash: PackageQuery = { ecosystem: 'npm', name: 'lodash', version: '4.17.20' };
  const django: PackageQuery = { ecosystem: 'PyPI', name: 'Django', version: '3.2.19' };
  const clean: PackageQuery = { ecosystem: 'npm', name: 'left-pad', version: '1.3.0' };

  function serveVulns(): void {
    for (const id of ['GHSA-35jh-r3h4-6jhm', 'GHSA-jh3w-4vvf-mjgr', 'PYSEC-2023-100']) server.route(`/v1/vulns/${id}`, { body: fixtureText(id), contentType: 'application/json' });
  }

  it('asks querybatch, follows next_page_token, fetches each record once and caches everything', async () => {
    server.route(
      '/v1/querybatch',
      {
        body: {
          results: [
            { vulns: [{ id: 'GHSA-35jh-r3h4-6jhm', modified: '2024-02-22T17:52:22Z' }] },
            { vulns: [{ id: 'GHSA-jh3w-4vvf-mjgr', modified: '2024-06-21T21:26:28Z' }], next_page_token: 'page-2' },
            {},
          ],
        },
      },
      { body: { results: [{ vulns: [{ id: 'PYSEC-2023-100', modified: '2023-07-11T16:03:00.712539Z' }] }] } },
    );
    serveVulns();
    let clock = new Date('2025-01-01T00:00:00Z');
    const source = osvApiSource({ baseUrl: server.base, database: db, http: http(), now: () => clock });
    expect(source.name).toBe(server.host);

    const answer = await source.advisoriesFor([lodash, django, clean, { ...lodash }], signal());
    expect(answer.get(packageKey(lodash))?.map((r) => r.id)).toEqual(['GHSA-35jh-r3h4-6jhm']);
    expect(answer.get(packageKey(django))?.map((r) => r.id)).toEqual(['GHSA-jh3w-4vvf-mjgr', 'PYSEC-2023-100']);
    expect(answer.has(packageKey(clean))).toBe(false);

    expect(bodies).toEqual([
      {
        queries: [
          { package: { ecosystem: 'npm', name: 'lodash' }, version: '4.17.20' },
          { package: { ecosystem: 'PyPI', name: 'Django' }, version: '3.2.19' },
          { package: { ecosystem: 'npm', name: 'left-pad' }, version: '1.3.0' },
        ],
      },
      { queries: [{ package: { ecosystem: 'PyPI', name: 'Django' }, version: '3.2.19', page_token: 'page-2' }] },
    ]);
    expect(server.hits('/v1/vulns/GHSA-35jh-r3h4-6jhm')).toBe(1);
    expect(db.get('PYSEC-2023-100')?.id).toBe('PYSEC-2023-100'); // stored in the local database

    // a repeat run (a new source on the same database) asks nothing
    const before = server.requests.length;
    const again = await osvApiSource({ baseUrl: server.base, database: db, http: http(), now: () => clock }).advisoriesFor([lodash, django, clean], signal());
    expect(server.requests.length).toBe(before);
    expect(again.get(packageKey(django))?.map((r) => r.id)).toEqual(['GHSA-jh3w-4vvf-mjgr', 'PYSEC-2023-100']);

    // after the TTL the ids are asked again, but known records are not fetched again
    clock = new Date('2025-01-03T00:00:00Z');
    server.route('/v1/querybatch', { body: { results: [{ vulns: [{ id: 'GHSA-35jh-r3h4-6jhm', modified: '2024-02-22T17:52:22Z' }] }] } });
    await osvApiSource({ baseUrl: server.base, database: db, http: http(), now: () => clock }).advisoriesFor([lodash], signal());
    expect(server.hits('/v1/querybatch')).toBe(3);
    expect(server.hits('/v1/vulns/GHSA-35jh-r3h4-6jhm')).toBe(1);

    // a newer modified than the stored record: fetched again
    clock = new Date('2025-01-05T00:00:00Z');
    server.route('/v1/querybatch', { body: { results: [{ vulns: [{ id: 'GHSA-35jh-r3h4-6jhm', modified: '2025-01-04T00:00:00Z' }] }] } });
    await osvApiSource({ baseUrl: server.base, database: db, http: http(), now: () => clock }).advisoriesFor([lodash], signal());
    expect(server.hits('/v1/vulns/GHSA-35jh-r3h4-6jhm')).toBe(2);
  });

  it('sends at most batchSize queries per request', async () => {
    server.route('/v1/querybatch', { body: { results: [{}, {}] } }, { body: { results: [{}, {}] } }, { body: { results: [{}] } });
    const packages = Array.from({ length: 5 }, (_, i) => ({ ecosystem: 'npm', name: `p${i}`, version: '1.0.0' }));
    const answer = await osvApiSource({ baseUrl: server.base, http: http(), batchSize: 2 }).advisoriesFor(packages, signal());
    expect(answer.size).toBe(0);
    expect(bodies.map((b) => (b as { queries: unknown[] }).queries.length)).toEqual([2, 2, 1]);
  });

  it('a 5xx is a DatasourceError naming the host, never "no advisories"', async () => {
    server.route('/v1/querybatch', { status: 503, body: 'down' });
    const error = await osvApiSource({ baseUrl: server.base, http: http() })
      .advisoriesFor([lodash], signal())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasourceError);
    expect((error as DatasourceError).code).toBe('unavailable');
    expect((error as DatasourceError).host).toBe(server.host);
    expect((error as DatasourceError).message).toMatch(/HTTP 503/);
    expect(server.hits('/v1/querybatch')).toBe(2); // one retry
  });

  it('retries a 5xx and then succeeds', async () => {
    server.route('/v1/querybatch', { status: 502 }, { body: { results: [{}] } });
    expect((await osvApiSource({ baseUrl: server.base, http: http() }).advisoriesFor([clean], signal())).size).toBe(0);
  });

  it.each([
    ['not JSON', { body: 'hello', contentType: 'text/plain' }, /not JSON/],
    ['wrong shape', { body: { results: 'nope' } }, /unexpected answer for \/v1\/querybatch at \$\.results/],
    ['too few results', { body: { results: [] } }, /0 results for 1 queries/],
    ['a vuln without id', { body: { results: [{ vulns: [{ modified: 'x' }] }] } }, /\$\.results\[0\]\.vulns\[0\]\.id/],
  ])('a malformed querybatch answer (%s) is a DatasourceError', async (_, reply, message) => {
    server.route('/v1/querybatch', reply);
    const error = await osvApiSource({ baseUrl: server.base, http: http() })
      .advisoriesFor([lodash], signal())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasourceError);
    expect((error as DatasourceError).code).toBe('malformed');
    expect((error as Error).message).toMatch(message);
  });

  it('a malformed or missing record is a DatasourceError', async () => {
    server.route('/v1/querybatch', { body: { results: [{ vulns: [{ id: 'GHSA-35jh-r3h4-6jhm' }] }] } });
    server.route('/v1/vulns/GHSA-35jh-r3h4-6jhm', { body: { id: 'GHSA-35jh-r3h4-6jhm' } });
    let error = await osvApiSource({ baseUrl: server.base, http: http() })
      .advisoriesFor([lodash], signal())
      .catch((e: unknown) => e);
    expect((error as DatasourceError).code).toBe('malformed');
    expect((error as Error).message).toMatch(/\/v1\/vulns\/GHSA-35jh-r3h4-6jhm at \$\.modified/);

    server.route('/v1/vulns/GHSA-35jh-r3h4-6jhm', { status: 404 });
    error = await osvApiSource({ baseUrl: server.base, http: http() })
      .advisoriesFor([lodash], signal())
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/listed by \/v1\/querybatch but \/v1\/vulns\/GHSA-35jh-r3h4-6jhm is not found/);

    server.route('/v1/vulns/GHSA-35jh-r3h4-6jhm', { body: fixtureText('PYSEC-2023-100'), contentType: 'application/json' });
    error = await osvApiSource({ baseUrl: server.base, http: http() })
      .advisoriesFor([lodash], signal())
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/answered PYSEC-2023-100/);
  });

  it('keeps the record fetches within the concurrency bound', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `OSV-2024-${i}`);
    server.route('/v1/querybatch', { body: { results: [{ vulns: ids.map((id) => ({ id })) }] } });
    for (const id of ids) {
      server.route(`/v1/vulns/${id}`, {
        delayMs: 20,
        body: { id, modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'x' }, versions: ['1.0.0'] }] },
      });
    }
    const answer = await osvApiSource({ baseUrl: server.base, http: http(), concurrency: 3 }).advisoriesFor([{ ecosystem: 'npm', name: 'x', version: '1.0.0' }], signal());
    expect(answer.get(key('npm', 'x', '1.0.0'))).toHaveLength(12);
    expect(server.maxInFlight).toBeLessThanOrEqual(3);
  });
});

describe('npm bulk advisory source', () => {
  const route = '/-/npm/v1/security/advisories/bulk';
  const lodashAdvisory = {
    id: 1106913,
    url: 'https://github.com/advisories/GHSA-35jh-r3h4-6jhm',
    title: 'Command Injection in lodash',
    severity: 'high',
    vulnerable_versions: '<4.17.21',
    cwe: ['CWE-77', 'CWE-94'],
    cvss: { score: 7.2, vectorString: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' },
  };

  it('posts names with versions and converts answers to OSV records', async () => {
    server.route(route, {
      body: {
        lodash: [
          lodashAdvisory,
          { id: 1523, url: 'https://npmjs.com/advisories/1523', title: 'Old one', severity: 'moderate', vulnerable_versions: '>=4.0.0 <4.17.19 || >=5.0.0 <5.0.2', cvss: { score: 0, vectorString: null } },
        ],
        minimist: [{ id: 1179, url: 'https://github.com/advisories/GHSA-vh95-rmgr-6w4m', title: 'Prototype Pollution', severity: 'moderate', vulnerable_versions: '<0.2.1', cwe: 'CWE-1321' }],
      },
    });
    const source = npmBulkSource({ baseUrl: server.base, http: http(), now: () => new Date('2025-01-01T00:00:00Z') });
    const answer = await source.advisoriesFor(
      [
        { ecosystem: 'npm', name: 'lodash', version: '4.17.15' },
        { ecosystem: 'npm', name: 'lodash', version: '4.17.21' },
        { ecosystem: 'npm', name: 'minimist', version: '0.0.8' },
        { ecosystem: 'PyPI', name: 'django', version: '3.2.19' },
      ],
      signal(),
    );
    expect(bodies).toEqual([{ lodash: ['4.17.15', '4.17.21'], minimist: ['0.0.8'] }]);
    const lodash = answer.get(key('npm', 'lodash', '4.17.15'));
    expect(lodash?.map((r) => r.id)).toEqual(['GHSA-35jh-r3h4-6jhm', 'NPM-1523']);
    expect(answer.has(key('npm', 'lodash', '4.17.21'))).toBe(false); // <4.17.21 excludes it
    expect(lodash?.[0]).toMatchObject({
      id: 'GHSA-35jh-r3h4-6jhm',
      modified: '2025-01-01T00:00:00.000Z',
      summary: 'Command Injection in lodash',
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' }],
      affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, versions: ['4.17.15'], ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }] }],
      references: [{ type: 'ADVISORY', url: 'https://github.com/advisories/GHSA-35jh-r3h4-6jhm' }],
      database_specific: { severity: 'HIGH', cwe_ids: ['CWE-77', 'CWE-94'] },
    });
    expect(lodash?.[1]?.affected?.[0]?.ranges).toEqual([
      { type: 'ECOSYSTEM', events: [{ introduced: '4.0.0' }, { fixed: '4.17.19' }] },
      { type: 'ECOSYSTEM', events: [{ introduced: '5.0.0' }, { fixed: '5.0.2' }] },
    ]);
    expect(answer.get(key('npm', 'minimist', '0.0.8'))?.[0]?.id).toBe('GHSA-vh95-rmgr-6w4m');
  });

  it('an advisory whose range it cannot read is reported for every asked version', async () => {
    server.route(route, { body: { a: [{ id: 1, title: 't', severity: 'low', vulnerable_versions: '^1.2.0' }] } });
    const answer = await npmBulkSource({ baseUrl: server.base, http: http() }).advisoriesFor(
      [
        { ecosystem: 'npm', name: 'a', version: '1.0.0' },
        { ecosystem: 'npm', name: 'a', version: '1.3.0' },
      ],
      signal(),
    );
    expect(answer.size).toBe(2);
    expect(answer.get(key('npm', 'a', '1.0.0'))?.[0]?.affected?.[0]?.ranges).toBeUndefined();
  });

  it('asks nothing when there is no npm package', async () => {
    expect((await npmBulkSource({ baseUrl: server.base, http: http() }).advisoriesFor([{ ecosystem: 'PyPI', name: 'x', version: '1' }], signal())).size).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  it('splits large requests', async () => {
    server.route(route, { body: {} });
    const packages = Array.from({ length: 5 }, (_, i) => ({ ecosystem: 'npm', name: `p${i}`, version: '1.0.0' }));
    await npmBulkSource({ baseUrl: server.base, http: http(), chunkSize: 2 }).advisoriesFor(packages, signal());
    expect(bodies.map((b) => Object.keys(b as object).length)).toEqual([2, 2, 1]);
  });

  it('a 5xx or a malformed answer is a DatasourceError', async () => {
    server.route(route, { status: 500 });
    let error = await npmBulkSource({ baseUrl: server.base, http: http() })
      .advisoriesFor([{ ecosystem: 'npm', name: 'a', version: '1.0.0' }], signal())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasourceError);
    expect((error as DatasourceError).host).toBe(server.host);

    server.route(route, { body: { a: [{ title: 'no id' }] } });
    error = await npmBulkSource({ baseUrl: server.base, http: http() })
      .advisoriesFor([{ ecosystem: 'npm', name: 'a', version: '1.0.0' }], signal())
      .catch((e: unknown) => e);
    expect((error as DatasourceError).code).toBe('malformed');
    expect((error as Error).message).toMatch(/\$\.a\[0\]\.id/);

    server.route(route, { status: 404 });
    error = await npmBulkSource({ baseUrl: server.base, http: http() })
      .advisoriesFor([{ ecosystem: 'npm', name: 'a', version: '1.0.0' }], signal())
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/HTTP 404/);
  });
});

describe('npm ranges', () => {
  it('reads the comparators advisories use', () => {
    const cases: Array<[string, string, boolean | null]> = [
      ['<4.17.21', '4.17.20', true],
      ['<4.17.21', '4.17.21', false],
      ['<4.17.21', '4.17.21-rc.1', true], // pre-releases included, as npm audit does
      ['>=1.0.0 <1.2.3 || >=2.0.0 <2.0.5', '2.0.4', true],
      ['>=1.0.0 <1.2.3 || >=2.0.0 <2.0.5', '1.5.0', false],
      ['>= 1.0.0 < 1.2.3', '1.1.0', true],
      ['<=2.0.0', '2.0.0', true],
      ['>2.0.0', '2.0.0', false],
      ['1.2.3', '1.2.3', true],
      ['=1.2.3', '1.2.4', false],
      ['1.0.0 - 2.0.0', '2.0.0', true],
      ['*', '9.9.9', true],
      ['', '1.0.0', true],
      ['^1.2.0', '1.3.0', null],
      ['~1.2.0', '1.2.1', null],
      ['<1.x', '1.0.0', null],
      ['<1.0.0', 'not-a-version', null],
    ];
    for (const [range, version, expected] of cases) expect(npmRangeIncludes(range, version), `${range} ∋ ${version}`).toBe(expected);
  });

  it('converts [>=a] [<b|<=b] clauses to OSV ranges, others not at all', () => {
    expect(npmRangeToOsv('<1.0.0')).toEqual([{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }]);
    expect(npmRangeToOsv('>=1.0.0 <=1.4.0')).toEqual([{ type: 'ECOSYSTEM', events: [{ introduced: '1.0.0' }, { last_affected: '1.4.0' }] }]);
    expect(npmRangeToOsv('>=2.0.0')).toEqual([{ type: 'ECOSYSTEM', events: [{ introduced: '2.0.0' }] }]);
    expect(npmRangeToOsv('>1.0.0 <2.0.0')).toBeNull();
    expect(npmRangeToOsv('1.2.3')).toBeNull();
    expect(npmRangeToOsv('^1.0.0')).toBeNull();
  });
});
