/**
 * The versions probe from the CLI, end to end: a repository with images, runtimes and lockfiles,
 * registries served from 127.0.0.1 (recorded-style answers, never the internet), end-of-life
 * data from the shipped snapshot or from a local endoflife.date stand-in.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../src/datasources/test-support/server.js';
import { ROOT, runCli, runJson } from '../support/cli.js';
import { tempRepo, type TempRepo } from '../support/repo.js';

interface Finding {
  rule: string;
  severity: string;
  status: string;
  location: { path: string; line?: number } | null;
  data: Record<string, unknown>;
}
interface Report {
  snapshots: Array<{ status: string; probes: Array<{ id: string; status: string; errors: Array<{ message: string; code?: string }>; facts?: Record<string, unknown> }> }>;
  findings: Finding[];
  metrics: Array<{ name: string; value: number; labels: Record<string, string> }>;
}

const npmDoc = (name: string, releases: Array<[string, string]>, extra: { deprecated?: Record<string, string> } = {}) => ({
  name,
  'dist-tags': { latest: releases.at(-1)![0] },
  versions: Object.fromEntries(
    releases.map(([version]) => [version, { name, version, ...(extra.deprecated?.[version] ? { deprecated: extra.deprecated[version] } : {}) }]),
  ),
  time: { created: releases[0]![1], modified: releases.at(-1)![1], ...Object.fromEntries(releases) },
});

let server: TestServer;
let repo: TempRepo;

function writeRepo(r: TempRepo, registry: string): void {
  r.write('Dockerfile', 'ARG NODE=16\nFROM node:${NODE}-buster AS build\nRUN npm ci\nFROM python:3.9-alpine3.14\n');
  r.write('.nvmrc', '16\n');
  r.write('go.mod', 'module example.com/shop\n\ngo 1.19\n');
  r.write('requirements.txt', 'django==3.2.0\n');
  r.write(
    'package.json',
    JSON.stringify({ name: 'shop', version: '1.0.0', dependencies: { 'old-lib': '^1.2.0', request: '^2.88.2' }, devDependencies: { fresh: '^2.0.0' } }, null, 2),
  );
  r.write(
    'package-lock.json',
    JSON.stringify(
      {
        name: 'shop',
        version: '1.0.0',
        lockfileVersion: 3,
        requires: true,
        packages: {
          '': { name: 'shop', version: '1.0.0', dependencies: { 'old-lib': '^1.2.0', request: '^2.88.2' }, devDependencies: { fresh: '^2.0.0' } },
          'node_modules/old-lib': { version: '1.2.0', resolved: `${registry}/old-lib/-/old-lib-1.2.0.tgz` },
          'node_modules/request': { version: '2.88.2' },
          'node_modules/fresh': { version: '2.0.0', dev: true },
        },
      },
      null,
      2,
    ),
  );
  r.write(
    'prodeng.yml',
    `systems:\n  - name: shop\n    repo: .\nprobes:\n  todo: false\n  versions:\n    registries:\n      npm: ${registry}\n      pypi: ${registry}/pypi-mirror\n      go: ${registry}/goproxy\n`,
  );
  r.commit('init');
}

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server.close());
beforeEach(() => {
  repo = tempRepo({ name: 'shop' });
  writeRepo(repo, server.base);
  server.route('/old-lib', { body: npmDoc('old-lib', [['1.2.0', '2019-01-01T00:00:00.000Z'], ['2.0.0', '2020-05-01T00:00:00.000Z'], ['4.1.0', '2025-06-01T00:00:00.000Z']]) });
  server.route(
    '/request',
    { body: npmDoc('request', [['2.88.0', '2018-07-01T00:00:00.000Z'], ['2.88.2', '2020-02-11T00:00:00.000Z']], { deprecated: { '2.88.2': 'request has been deprecated, see https://github.com/request/request/issues/3142' } }) },
  );
  server.route('/fresh', { body: npmDoc('fresh', [['1.0.0', '2025-01-01T00:00:00.000Z'], ['2.0.0', '2026-10-01T00:00:00.000Z']]) });
});
afterEach(() => repo.remove());

/** 1-based line of the first line of `file` in the repository that contains `text`. */
const lineOf = (file: string, text: string) => readFileSync(join(repo.dir, file), 'utf8').split('\n').findIndex((line) => line.includes(text)) + 1;

const pick = (report: Report, rule: string) =>
  report.findings
    .filter((f) => f.rule === rule)
    .map((f) => `${f.data.product ?? f.data.name} ${f.data.cycle ?? f.data.version} @ ${f.location ? `${f.location.path}:${f.location.line}` : '-'}`)
    .sort();

describe('versions probe end to end', () => {
  it('finds end of life in images, runtimes and frameworks, and freshness of libraries', async () => {
    const { result, json } = await runJson<Report>(['observe', '--format', 'json'], { cwd: repo.dir });
    expect(result.code, result.stderr).toBe(0);
    const run = json.snapshots[0]!.probes.find((p) => p.id === 'versions')!;
    expect(run.errors).toEqual([]);
    expect(run.status).toBe('ok');
    expect(pick(json, 'versions/eol')).toEqual([
      'alpine-linux 3.14 @ Dockerfile:4',
      'debian 10 @ Dockerfile:2',
      'django 3.2 @ requirements.txt:1',
      'go 1.19 @ go.mod:3',
      'nodejs 16 @ .nvmrc:1',
      'nodejs 16 @ Dockerfile:2',
      'python 3.9 @ Dockerfile:4',
    ]);
    const node = json.findings.find((f) => f.rule === 'versions/eol' && f.data.product === 'nodejs' && f.location?.path === '.nvmrc')!;
    expect(node).toMatchObject({ severity: 'critical', data: { cycle: '16', eol: '2023-09-11', kind: 'runtime', source: { path: '.nvmrc', line: 1 } } });
    expect(pick(json, 'versions/major-behind')).toEqual([`old-lib 1.2.0 @ package-lock.json:${lineOf('package-lock.json', '"node_modules/old-lib"')}`]);
    expect(json.findings.find((f) => f.rule === 'versions/major-behind')).toMatchObject({
      severity: 'high',
      data: { latest: '4.1.0', majorsBehind: 3, direct: true, ecosystem: 'npm' },
    });
    expect(pick(json, 'versions/deprecated')).toEqual([`request 2.88.2 @ package-lock.json:${lineOf('package-lock.json', '"node_modules/request"')}`]);
    expect(pick(json, 'versions/unmaintained')).toEqual([`request 2.88.2 @ package-lock.json:${lineOf('package-lock.json', '"node_modules/request"')}`]);
    expect(pick(json, 'versions/eol-data-outdated')).toHaveLength(1);

    const metric = (name: string, labels: Record<string, string> = {}) =>
      json.metrics.find((m) => m.name === name && JSON.stringify(m.labels) === JSON.stringify(labels))?.value;
    expect(metric('versions.eol_count')).toBe(7);
    expect(metric('versions.libyears', { ecosystem: 'npm' })).toBeCloseTo(6.41, 1);
    expect(metric('versions.dependencies', { scope: 'direct' })).toBe(4); // three npm packages and Django
    expect(metric('versions.up_to_date_ratio')).toBeCloseTo(0.67, 2);

    const facts = run.facts as { eolData: { asOf: string }; components: Array<{ name: string; product: string | null }>; plan: Array<{ subject: string }> };
    expect(facts.eolData.asOf).toBe('2026-08-22');
    expect(facts.components.map((c) => c.product).filter(Boolean)).toEqual(expect.arrayContaining(['nodejs', 'debian', 'python', 'alpine-linux', 'go', 'django']));
    expect(facts.plan[0]!.subject).toMatch(/^Node\.js 16|Debian 10|Alpine Linux 3\.14/);

    const table = await runCli(['report'], { cwd: repo.dir });
    expect(table.stdout).toContain('Upgrade plan (end-of-life data as of 2026-08-22)');
  });

  it('says which registry failed, stays partial, and never calls the unknown up to date', async () => {
    for (const name of ['/old-lib', '/request', '/fresh']) server.route(name, { status: 503 });
    const { result, json } = await runJson<Report>(['observe', '--format', 'json'], { cwd: repo.dir });
    expect(result.code).toBe(0);
    const run = json.snapshots[0]!.probes.find((p) => p.id === 'versions')!;
    expect(run.status).toBe('partial');
    expect(run.errors).toEqual([expect.objectContaining({ code: 'registry-unavailable', message: expect.stringContaining(server.host) })]);
    expect(pick(json, 'versions/major-behind')).toEqual([]);
    expect(json.metrics.find((m) => m.name === 'versions.up_to_date_ratio')).toBeUndefined();
    expect(pick(json, 'versions/eol').length).toBe(7);
  });

  it('works offline from the cache, and says what it could not know', async () => {
    const cold = await runJson<Report>(['observe', '--offline', '--format', 'json'], { cwd: repo.dir });
    const coldRun = cold.json.snapshots[0]!.probes.find((p) => p.id === 'versions')!;
    expect(coldRun.status).toBe('partial');
    expect(coldRun.errors[0]).toMatchObject({ code: 'registry-offline', message: expect.stringMatching(/4 packages not in the cache \(offline\)/) });
    await runCli(['observe', '-q'], { cwd: repo.dir }); // fills the cache
    const served = server.requests.length;
    const warm = await runJson<Report>(['observe', '--offline', '--format', 'json'], { cwd: repo.dir });
    expect(warm.json.snapshots[0]!.probes.find((p) => p.id === 'versions')!.status).toBe('ok');
    expect(pick(warm.json, 'versions/major-behind')).toHaveLength(1);
    expect(server.requests.length).toBe(served);
  });

  it('refreshes end-of-life data with `prodeng data update` and uses it', async () => {
    const fixture = readFileSync(join(ROOT, 'src', 'eol', 'fixtures', 'api-v1-products-full.json'), 'utf8');
    server.route('/api/v1/products/full', { body: fixture, contentType: 'application/json' });
    const before = await runCli(['data', 'status'], { cwd: repo.dir });
    expect(before.stdout).toMatch(/as of 2026-08-22 .*\n {2}from: shipped with prodeng/);
    const update = await runCli(['data', 'update', '--url', server.base], { cwd: repo.dir });
    expect(update.code, update.stderr).toBe(0);
    expect(update.stdout).toMatch(/end-of-life data updated: \d+ products/);
    const after = await runCli(['data', 'status'], { cwd: repo.dir });
    expect(after.stdout).toContain('from: cache');
    server.route('/api/v1/products/full', { status: 500 });
    const failed = await runCli(['data', 'update', '--url', server.base, '--timeout', '5'], { cwd: repo.dir });
    expect(failed.code).toBe(5);
    expect(failed.stderr).toMatch(/could not update the end-of-life data: .*\nThe data in use is unchanged/);
    expect((await runCli(['data', 'status'], { cwd: repo.dir })).stdout).toContain('from: cache');
  });

  it('observes the host with --host', async () => {
    const { json } = await runJson<Report>(['observe', '--host', '--format', 'json'], { cwd: repo.dir });
    const run = json.snapshots[0]!.probes.find((p) => p.id === 'versions')!;
    const components = (run.facts as { components: Array<{ kind: string; name: string; source: { path: string } }> }).components;
    const host = components.filter((c) => c.source.path.startsWith('host:'));
    expect(host.map((c) => c.name)).toEqual(expect.arrayContaining(['linux-kernel', 'node']));
    expect(host.find((c) => c.kind === 'os' && c.source.path === 'host:/etc/os-release')).toBeDefined();
  });
});
