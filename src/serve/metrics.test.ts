import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { escapeLabelValue, METRICS_CONTENT_TYPE, prometheusLabel, prometheusName, renderMetrics } from './metrics.js';
import type { RunningServer } from './server.js';
import { NOW, recordFixture } from './test-support/fixture.js';
import { generateStore } from './test-support/generate.js';
import { fakeScheduler, raw, scheduleState, startTestServer } from './test-support/server.js';

/** `promtool check metrics` (Debian package prometheus; .ci/run installs it): exit code and what it said. */
function promtool(text: string): { status: number | null; output: string } {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 60_000 });
  if (result.error !== undefined) throw new Error(`promtool could not run (${result.error.message}); install it: apt-get install prometheus`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('Prometheus names', () => {
  it('turns prodeng metrics into conventional names in base units', () => {
    expect(prometheusName('http.latency_p95_ms', 'ms')).toStrictEqual({ family: 'prodeng_http_latency_p95_seconds', factor: 0.001 });
    expect(prometheusName('todo.oldest_days', 'days')).toStrictEqual({ family: 'prodeng_todo_oldest_seconds', factor: 86_400 });
    expect(prometheusName('vulns.exposure_days_max', 'days')).toStrictEqual({ family: 'prodeng_vulns_exposure_seconds_max', factor: 86_400 });
    expect(prometheusName('tests.duration_seconds', 'seconds')).toStrictEqual({ family: 'prodeng_tests_duration_seconds', factor: 1 });
    expect(prometheusName('todo.count', 'count')).toStrictEqual({ family: 'prodeng_todo', factor: 1 });
    expect(prometheusName('versions.eol_soon_count', 'count')).toStrictEqual({ family: 'prodeng_versions_eol_soon', factor: 1 });
    expect(prometheusName('tests.total', 'count')).toStrictEqual({ family: 'prodeng_tests', factor: 1 });
    expect(prometheusName('build.size', 'kb')).toStrictEqual({ family: 'prodeng_build_size_bytes', factor: 1000 });
    expect(prometheusName('queueTime', 'ms')).toStrictEqual({ family: 'prodeng_queue_time_seconds', factor: 0.001 });
    expect(prometheusName('9lives.gauge-value', '')).toStrictEqual({ family: 'prodeng__9lives_value', factor: 1 });
    expect(prometheusName('a.duration_seconds', 's').family).toBe('prodeng_a_duration_seconds');
  });

  it('makes label names valid and escapes label values', () => {
    expect(prometheusLabel('odd-label')).toBe('odd_label');
    expect(prometheusLabel('system')).toBe('metric_system');
    expect(prometheusLabel('__name__')).toBe('label__name__');
    expect(prometheusLabel('1st')).toBe('_1st');
    expect(escapeLabelValue('a "quoted"\nvalue\\')).toBe('a \\"quoted\\"\\nvalue\\\\');
  });

  it('renders families once with HELP and TYPE, a series once, every severity of an aspect with findings', () => {
    const text = renderMetrics({
      version: '1.2.3',
      systems: [
        {
          system: 'web "prod"',
          at: '2026-03-01T06:00:00.000Z',
          metrics: [
            { system: 'web', probe: 'http', name: 'http.latency_p95_ms', value: 250, unit: 'ms', labels: { endpoint: 'https://a/' } },
            { system: 'web', probe: 'http', name: 'http.latency_p95_ms', value: 999, unit: 'ms', labels: { endpoint: 'https://a/' } },
            { system: 'web', probe: 'x', name: 'findings.open', value: 1, unit: '', labels: {} },
          ],
        },
      ],
      openFindings: [{ system: 'web "prod"', aspect: 'security', severity: 'high', count: 2 }],
      scheduler: [scheduleState('web "prod"', { running: true })],
    });
    expect(text).toContain('# TYPE prodeng_http_latency_p95_seconds gauge\nprodeng_http_latency_p95_seconds{system="web \\"prod\\"",endpoint="https://a/"} 0.25\n');
    expect(text.match(/^prodeng_http_latency_p95_seconds\{/gm)).toHaveLength(1);
    expect(text).not.toContain('prodeng_findings_open{system="web \\"prod\\""} 1');
    expect(text).toContain('prodeng_findings_open{system="web \\"prod\\"",aspect="security",severity="high"} 2');
    expect(text).toContain('prodeng_findings_open{system="web \\"prod\\"",aspect="security",severity="info"} 0');
    expect(text).toContain('prodeng_snapshot_timestamp_seconds{system="web \\"prod\\""} 1772344800');
    expect(text).toContain('prodeng_scheduler_runs_total{system="web \\"prod\\"",status="partial"} 1');
    expect(text).toContain('prodeng_scheduler_running{system="web \\"prod\\""} 1');
    expect(text).toContain('prodeng_build_info{version="1.2.3"} 1');
    expect(promtool(text)).toStrictEqual({ status: 0, output: '' });
  });
});

describe('/metrics', () => {
  let dir: string;
  let store: Store;
  let server: RunningServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'prodeng-metrics-'));
    store = await openStore(join(dir, 'prodeng.db'));
    await recordFixture(store);
    await generateStore(store, { systems: 3, days: 5, end: NOW, findings: 20 });
    server = await startTestServer({ store, scheduler: fakeScheduler([scheduleState('web'), scheduleState('api', { lastRunAt: null, lastDurationMs: null, lastStatus: null })]), now: () => NOW });
  });

  afterAll(async () => {
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("exposes every system's latest metrics, open findings and the scheduler, valid for promtool", async () => {
    const response = await raw(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(METRICS_CONTENT_TYPE);
    const text = response.text;
    expect(text).toContain('prodeng_http_latency_p95_seconds{system="web",endpoint="https://web.example.test/"} 0.2');
    expect(text).toContain('prodeng_todo_files_scanned{system="web",odd_label="a \\"quoted\\"\\nvalue\\\\"} 50');
    expect(text).toContain('prodeng_findings_open{system="web",aspect="security",severity="critical"} 1');
    expect(text).toContain('prodeng_snapshot_timestamp_seconds{system="system-003"}');
    expect(text).toContain('prodeng_scheduler_last_run_duration_seconds{system="web"} 4.2');
    expect(text).not.toContain('prodeng_scheduler_last_run_timestamp_seconds{system="api"}');
    for (const family of new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]))) {
      expect(text.match(new RegExp(`^# TYPE ${family} `, 'gm')), family).toHaveLength(1);
    }
    expect(promtool(text)).toStrictEqual({ status: 0, output: '' });
  });
});
