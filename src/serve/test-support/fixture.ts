/**
 * A small, hand-made history for the API's tests, with every case an endpoint has to tell apart:
 * a finding new this week, one resolved, one reopened, one about end of life, a trend regression,
 * text that looks like a formula or HTML, a metric that shifted, facts of the versions and tls
 * probes, and test runs with a flaky test.
 */
import type { FindingInput, MetricInput, SnapshotInput, Store, TestResultInput } from '../../store/store.js';
import type { ProbeRunRecord } from '../../core/model.js';

/** The API's clock in these tests. */
export const NOW = new Date('2026-03-01T12:00:00.000Z');
const DAY_MS = 86_400_000;

/** 06:00 UTC `days` before NOW's day (0: that morning). */
export function dayAt(days: number): string {
  return new Date(Date.UTC(2026, 2, 1, 6) - days * DAY_MS).toISOString();
}

export const FP = {
  todo: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa01',
  vuln: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb02',
  eol: 'cccccccccccccccccccccccccccccc03',
  formula: 'dddddddddddddddddddddddddddddd04',
  resolved: 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeee05',
  reopened: 'ffffffffffffffffffffffffffffff06',
  trend: 'abababababababababababababab0007',
  api: '1212121212121212121212121212120a',
} as const;

function finding(fingerprint: string, overrides: Partial<FindingInput>): FindingInput {
  return {
    probe: 'todo',
    aspect: 'code-health',
    rule: 'todo/marker',
    severity: 'low',
    title: `Finding ${fingerprint.slice(0, 6)}`,
    message: 'A message.',
    location: { path: 'src/app.ts', line: 3 },
    fingerprint,
    data: {},
    ...overrides,
  };
}

const run = (id: string, overrides: Partial<ProbeRunRecord> = {}): ProbeRunRecord => ({ id, status: 'ok', durationMs: 10, errors: [], ...overrides });

/** The `web` system's snapshot `days` before NOW (10 down to 0). */
function webSnapshot(days: number): SnapshotInput {
  const findings: FindingInput[] = [
    finding(FP.todo, { title: 'TODO: remove the legacy flag', location: { path: 'src/flags.ts', line: 12 }, effort: 'trivial' }),
    finding(FP.eol, {
      probe: 'versions',
      aspect: 'technology-upgrade',
      rule: 'versions/eol',
      severity: 'high',
      title: 'Node.js 18 reached end of life on 2025-04-30',
      location: { path: '.nvmrc' },
      data: { product: 'nodejs', cycle: '18', version: '18.20.1', eol: '2025-04-30', source: { path: '.nvmrc', line: 1 } },
      effort: 'medium',
    }),
    finding(FP.formula, {
      title: '=HYPERLINK("http://evil.example","click")',
      message: '<script>alert(1)</script> & "quotes", commas',
      location: { path: 'src/<evil>.ts' },
    }),
    finding(FP.trend, {
      probe: 'trend',
      aspect: 'performance',
      rule: 'trend/regression',
      severity: 'medium',
      title: 'http.latency_p95_ms got worse',
      location: null,
    }),
  ];
  if (days <= 3) {
    findings.push(
      finding(FP.vuln, { probe: 'vulns', aspect: 'security', rule: 'vulns/known-vulnerability', severity: 'critical', title: 'GHSA-xxxx in lodash', location: { path: 'package-lock.json' } }),
    );
  }
  if (days >= 6) findings.push(finding(FP.resolved, { title: 'TODO: gone soon', severity: 'medium' }));
  if (days >= 8 || days <= 2) findings.push(finding(FP.reopened, { title: 'FIXME: came back', severity: 'medium' }));
  const endpoint = 'https://web.example.test/';
  const metrics: MetricInput[] = [
    { probe: 'http', name: 'http.latency_p95_ms', value: days > 5 ? 100 + (days % 3) : 200 + (days % 3), unit: 'ms', labels: { endpoint } },
    { probe: 'todo', name: 'todo.count', value: findings.filter((f) => f.probe === 'todo').length, unit: 'count', labels: {} },
    { probe: 'todo', name: 'todo.files_scanned', value: 50, unit: 'count', labels: { 'odd-label': 'a "quoted"\nvalue\\' } },
  ];
  return {
    system: 'web',
    startedAt: dayAt(days),
    finishedAt: new Date(Date.parse(dayAt(days)) + 60_000).toISOString(),
    status: 'complete',
    revision: { commit: `c0ffee${days}`.padEnd(40, '0'), branch: 'main' },
    probes: [
      run('todo', { facts: { filesScanned: 50 } }),
      run('vulns'),
      run('versions', {
        facts: {
          eolData: { source: 'endoflife.date', asOf: '2026-01-01', origin: 'bundled' },
          components: [
            { kind: 'runtime', name: 'node', version: '18.20.1', product: 'nodejs', cycle: '18', eol: '2025-04-30', source: { path: '.nvmrc', line: 1 } },
            { kind: 'runtime', name: 'python', version: '3.10.4', product: 'python', cycle: '3.10', eol: '2026-10-31', source: { path: '.python-version' } },
            { kind: 'os', name: 'debian', version: '13', product: 'debian', cycle: '13', eol: '2030-06-30', source: { path: 'Dockerfile' } },
            { kind: 'library', name: 'left-pad', version: '1.0.0', product: null, cycle: null, eol: null, source: { path: 'package-lock.json' } },
          ],
        },
      }),
      run('tls', { facts: { endpoints: [{ target: 'web.example.test:443', grade: 'A', protocols: { 'TLSv1.3': true } }] } }),
      run('trend'),
      run('core'),
    ],
    findings,
    metrics,
  };
}

function testResult(name: string, status: TestResultInput['status'], durationSeconds = 0.1): TestResultInput {
  return { key: `Suite::${name}`, suite: 'Suite', classname: 'Suite', name, file: 'test/suite.test.ts', status, durationSeconds, message: status === 'failed' ? `${name} failed` : null };
}

/** Records the fixture: `web` (11 daily snapshots, test runs), `api` (one snapshot today). */
export async function recordFixture(store: Store): Promise<void> {
  for (let days = 10; days >= 0; days--) await store.recordSnapshot(webSnapshot(days));
  await store.recordSnapshot({
    system: 'api',
    startedAt: dayAt(0),
    finishedAt: dayAt(0),
    status: 'partial',
    revision: null,
    probes: [run('ci', { status: 'partial', errors: [{ message: 'rate limited', code: 'http-429' }] }), run('core')],
    findings: [finding(FP.api, { probe: 'ci', aspect: 'ci', rule: 'ci/slow-step', severity: 'medium', title: '+SUM(A1:A9) step is slow', location: null })],
    metrics: [{ probe: 'ci', name: 'ci.duration_p95_seconds', value: 600, unit: 'seconds', labels: { pipeline: 'ci' } }],
  });
  for (let i = 0; i < 20; i++) {
    await store.recordTestRun({
      system: 'web',
      runId: String(100 + i),
      commit: `c${i}`,
      branch: 'main',
      at: new Date(Date.UTC(2026, 1, 1 + i)).toISOString(),
      source: 'junit',
      results: [testResult('stable', 'passed'), testResult('broken', 'failed'), testResult('slow', 'passed', 30), testResult('wobbly', i % 3 === 0 ? 'failed' : 'passed')],
    });
  }
  // The same commit failing then passing: evidence that "wobbly" is flaky.
  await store.recordTestRun({ system: 'web', runId: '200', commit: 'c5', branch: 'main', at: new Date(Date.UTC(2026, 1, 25)).toISOString(), source: 'junit', results: [testResult('wobbly', 'flaky')] });
}
