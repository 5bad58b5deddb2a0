/**
 * The vulns probe from the CLI: advisories imported from OSV files for offline use, the OSV API
 * stood in by a server on 127.0.0.1, ignores by advisory id, and what happens when a source fails.
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
  location: { path: string; line?: number } | null;
  data: Record<string, unknown>;
  suppressed?: { reason: string };
}
interface Report {
  snapshots: Array<{ probes: Array<{ id: string; status: string; errors: Array<{ message: string; code?: string }> }> }>;
  findings: Finding[];
  metrics: Array<{ name: string; value: number; labels: Record<string, string> }>;
}

const FIXTURES = join(ROOT, 'src', 'osv', 'fixtures');
let server: TestServer;
let repo: TempRepo;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server.close());
beforeEach(() => {
  repo = tempRepo({ name: 'api' });
  repo.write(
    'package-lock.json',
    JSON.stringify(
      {
        name: 'api',
        lockfileVersion: 3,
        packages: {
          '': { name: 'api', dependencies: { express: '^4.0.0', jsonwebtoken: '^8.5.1' } },
          'node_modules/express': { version: '4.18.2', dependencies: { 'some-util': '^1.0.0' } },
          'node_modules/some-util': { version: '1.0.0', dependencies: { lodash: '^4.17.0' } },
          'node_modules/lodash': { version: '4.17.20' },
          'node_modules/jsonwebtoken': { version: '8.5.1' },
        },
      },
      null,
      2,
    ),
  );
  repo.write('requirements.txt', 'django==4.2.1\n');
  repo.write('prodeng.yml', `systems:\n  - name: api\n    repo: .\nprobes:\n  todo: false\n  versions: false\n  vulns:\n    osvApiUrl: ${server.base}\n`);
  repo.commit('init');
});
afterEach(() => repo.remove());

const vulns = (report: Report) =>
  report.findings
    .filter((f) => f.rule === 'vulns/known-vulnerability')
    .map((f) => `${f.data.package} ${f.data.version} ${f.data.id} fixed=${f.data.fixed}`)
    .sort();

describe('vulns probe end to end', () => {
  it('matches imported OSV advisories offline, merges aliases, shows the path of a transitive package', async () => {
    const imported = await runCli(['data', 'import-osv', FIXTURES], { cwd: repo.dir });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/\d+ imported/);
    const { result, json } = await runJson<Report>(['observe', '--offline', '--format', 'json'], { cwd: repo.dir });
    expect(result.code, result.stderr).toBe(0);
    const run = json.snapshots[0]!.probes.find((p) => p.id === 'vulns')!;
    expect(run.errors).toEqual([]);
    // jsonwebtoken's advisory is withdrawn: not reported.
    expect(vulns(json)).toEqual(['django 4.2.1 GHSA-jh3w-4vvf-mjgr fixed=4.2.3', 'lodash 4.17.20 GHSA-35jh-r3h4-6jhm fixed=4.17.21']);
    const lodash = json.findings.find((f) => f.data.package === 'lodash')!;
    expect(lodash).toMatchObject({
      severity: 'high',
      location: { path: 'package-lock.json' },
      data: { aliases: ['CVE-2021-23337'], ecosystem: 'npm', direct: false, path: ['express', 'some-util', 'lodash'] },
    });
    const count = (severity: string) => json.metrics.find((m) => m.name === 'vulns.count' && m.labels.severity === severity)?.value;
    expect((count('high') ?? 0) + (count('medium') ?? 0) + (count('critical') ?? 0) + (count('low') ?? 0) + (count('unknown') ?? 0)).toBe(2);
    expect(json.metrics.find((m) => m.name === 'vulns.fixable_count')?.value).toBe(2);
    expect(json.metrics.find((m) => m.name === 'vulns.exposure_days_max')!.value).toBeGreaterThan(365);

    const status = await runCli(['data', 'status'], { cwd: repo.dir });
    expect(status.stdout).toMatch(/advisories: \d+ in .*osv\.db/);
  });

  it('asks the OSV API online, and honours an ignore by CVE alias', async () => {
    const lodash = JSON.parse(readFileSync(join(FIXTURES, 'GHSA-35jh-r3h4-6jhm.json'), 'utf8')) as { id: string; modified: string };
    server.route('/v1/querybatch', {
      body: { results: [{ vulns: [] }, { vulns: [] }, { vulns: [{ id: lodash.id, modified: lodash.modified }] }, { vulns: [] }, { vulns: [] }] },
    });
    server.route(`/v1/vulns/${lodash.id}`, { body: lodash });
    const online = await runJson<Report>(['observe', '--format', 'json'], { cwd: repo.dir });
    expect(online.result.code, online.result.stderr).toBe(0);
    expect(vulns(online.json)).toEqual(['lodash 4.17.20 GHSA-35jh-r3h4-6jhm fixed=4.17.21']);
    expect(server.hits('/v1/querybatch')).toBeGreaterThanOrEqual(1);

    repo.write(
      'prodeng.yml',
      `${readFileSync(join(repo.dir, 'prodeng.yml'), 'utf8')}ignore:\n  - advisory: CVE-2021-23337\n    reason: lodash template() is not used\n    until: 2999-01-01\n`,
    );
    const ignored = await runJson<Report>(['observe', '--format', 'json', '--fail-on', 'low'], { cwd: repo.dir });
    expect(ignored.json.findings.find((f) => f.data.package === 'lodash')!.suppressed?.reason).toBe('lodash template() is not used');
    expect(ignored.result.code).toBe(0);
  });

  it('is partial and says why when the OSV API fails, or offline without a database', async () => {
    server.route('/v1/querybatch', { status: 503 });
    const failed = await runJson<Report>(['observe', '--format', 'json'], { cwd: repo.dir });
    const run = failed.json.snapshots[0]!.probes.find((p) => p.id === 'vulns')!;
    expect(run.status).toBe('partial');
    expect(run.errors[0]).toMatchObject({ code: 'advisories-unavailable', message: expect.stringContaining(server.host) });
    const offline = await runJson<Report>(['observe', '--offline', '--format', 'json'], { cwd: repo.dir });
    const offlineRun = offline.json.snapshots[0]!.probes.find((p) => p.id === 'vulns')!;
    expect(offlineRun.errors[0]).toMatchObject({ code: 'osv-no-source', message: expect.stringContaining('prodeng data import-osv') });
  });
});
