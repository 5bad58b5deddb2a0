import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { FormatsPlugin } from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import {
  diffSchema,
  eolSchema,
  errorSchema,
  findingHistorySchema,
  findingsPageSchema,
  healthSchema,
  ignoreCreatedSchema,
  ignoresSchema,
  metaSchema,
  metricSeriesSchema,
  overviewSchema,
  snapshotSchema,
  snapshotsSchema,
  systemDetailSchema,
  systemsSchema,
  testsSchema,
  tlsSchema,
} from './api-schemas.js';
import { CONTENT_SECURITY_POLICY } from './auth.js';
import type { RunningServer } from './server.js';
import { FP, NOW, dayAt, recordFixture } from './test-support/fixture.js';
import { configWithSystems, fakeScheduler, raw, scheduleState, startTestServer, type FakeScheduler, type RawResponse } from './test-support/server.js';

// ajv-formats is CommonJS whose typings describe `exports.default` (as in sbom/test-support).
const addFormats = createRequire(import.meta.url)('ajv-formats') as FormatsPlugin;

const TOKEN = 'test-token-0123456789abcdef';

/** The body matches the schema exactly: nothing missing, nothing extra (zod drops unknown keys). */
function expectShape<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  expect(parsed.success ? 'ok' : parsed.error.message).toBe('ok');
  expect(parsed.data).toStrictEqual(body);
  return parsed.data as T;
}

function expectError(response: RawResponse, status: number, code: string, message?: RegExp): void {
  expect(response.status, response.text).toBe(status);
  expectShape(errorSchema, response.json);
  expect(response.json.error.code).toBe(code);
  if (message !== undefined) expect(response.json.error.message).toMatch(message);
}

let dir: string;
let store: Store;
let server: RunningServer;
let scheduler: FakeScheduler;
const get = (path: string, headers: Record<string, string> = {}) => raw(`${server.url}${path}`, { headers });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prodeng-serve-'));
  store = await openStore(join(dir, 'prodeng.db'));
  await recordFixture(store);
  scheduler = fakeScheduler([scheduleState('web'), scheduleState('new', { lastRunAt: null, lastDurationMs: null, failures: 2, lastStatus: 'error' })]);
  server = await startTestServer({
    store,
    scheduler,
    token: TOKEN,
    config: configWithSystems(dir, ['web', 'new']),
    cwd: dir,
    now: () => NOW,
  });
});

afterAll(async () => {
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('reads', () => {
  it('answers /healthz with the database and the scheduler, degraded while a system keeps failing', async () => {
    const response = await get('/healthz');
    expect(response.status).toBe(200);
    expectShape(healthSchema, response.json);
    expect(response.json).toStrictEqual({ status: 'degraded', version: '0.0.0-test', database: 'ok', scheduler: { running: true, systems: 2, failing: 1 } });
  });

  it('describes itself in /api/v1/meta', async () => {
    const response = await get('/api/v1/meta');
    expectShape(metaSchema, response.json);
    expect(response.json).toMatchObject({ version: '0.0.0-test', writable: true, authRequired: false, eolData: { source: 'endoflife.date', asOf: '2026-01-01' } });
    expect(response.json.aspects).toContain('technology-upgrade');
    expect(response.json.severities).toStrictEqual(['critical', 'high', 'medium', 'low', 'info']);
  });

  it('gives the overview: counts by aspect now and a week ago, and what got worse this week', async () => {
    const response = await get('/api/v1/overview');
    expect(response.status).toBe(200);
    const overview = expectShape(overviewSchema, response.json);
    expect(overview.generatedAt).toBe(NOW.toISOString());
    expect(overview.systems.map((s) => s.name)).toStrictEqual(['api', 'new', 'web']);
    const [api, fresh, web] = overview.systems;
    expect(fresh).toMatchObject({ latestAt: null, latestStatus: null });
    expect(fresh!.aspects.security).toStrictEqual({ open: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, weekAgo: null });
    expect(api).toMatchObject({ latestAt: dayAt(0), latestStatus: 'partial' });
    expect(api!.aspects.ci).toStrictEqual({ open: { critical: 0, high: 0, medium: 1, low: 0, info: 0 }, weekAgo: null });
    expect(web!.latestStatus).toBe('complete');
    // Now: the vulnerability (new 3 days ago) and the reopened FIXME; a week ago: the resolved one.
    expect(web!.aspects.security).toStrictEqual({ open: { critical: 1, high: 0, medium: 0, low: 0, info: 0 }, weekAgo: { critical: 0, high: 0, medium: 0, low: 0, info: 0 } });
    expect(web!.aspects['code-health']).toStrictEqual({ open: { critical: 0, high: 0, medium: 1, low: 2, info: 0 }, weekAgo: { critical: 0, high: 0, medium: 1, low: 2, info: 0 } });
    expect(Object.keys(web!.aspects)).toHaveLength(9);
    // Worse: new or reopened in the last 7 days, and open trend regressions; by priority.
    expect(overview.worse.map((f) => f.fingerprint).sort()).toStrictEqual([FP.vuln, FP.reopened, FP.trend, FP.api].sort());
    expect(overview.worse[0]!.fingerprint).toBe(FP.vuln);
    const priorities = overview.worse.map((f) => f.priority);
    expect(priorities).toStrictEqual([...priorities].sort((a, b) => b - a));
  });

  it('lists the systems with their latest snapshot, open counts and schedule', async () => {
    const response = await get('/api/v1/systems');
    const { systems } = expectShape(systemsSchema, response.json);
    expect(systems.map((s) => s.name)).toStrictEqual(['api', 'new', 'web']);
    expect(systems[0]).toMatchObject({ name: 'api', snapshots: 1, latestStatus: 'partial', open: { medium: 1 }, schedule: null });
    expect(systems[1]).toMatchObject({ name: 'new', snapshots: 0, latestSnapshotId: null, latestAt: null, latestStatus: null, schedule: { failures: 2, lastStatus: 'error' } });
    expect(systems[2]).toMatchObject({
      name: 'web',
      snapshots: 11,
      latestAt: dayAt(0),
      open: { critical: 1, high: 1, medium: 2, low: 2, info: 0 },
      schedule: { cron: '0 6 * * *', timezone: 'UTC', running: false, failures: 0 },
    });
  });

  it('gives one system with its latest snapshot (no facts, no core probe), and 404 for an unknown one', async () => {
    const response = await get('/api/v1/systems/web');
    const web = expectShape(systemDetailSchema, response.json);
    expect(web.latest?.startedAt).toBe(dayAt(0));
    expect(web.latest?.probes.map((p) => p.id)).toStrictEqual(['todo', 'vulns', 'versions', 'tls', 'trend']);
    expect(web.latest?.probes.every((p) => !('facts' in p))).toBe(true);
    expect((await get('/api/v1/systems/new')).json).toMatchObject({ name: 'new', latest: null });
    expectError(await get('/api/v1/systems/nope'), 404, 'not-found', /no system named "nope"/);
    expectError(await get('/api/v1/systems/%E0%A4%A'), 400, 'invalid', /^name: /);
  });

  it("pages a system's snapshots newest first, before a time", async () => {
    const all = expectShape(snapshotsSchema, (await get('/api/v1/systems/web/snapshots')).json);
    expect(all.snapshots).toHaveLength(11);
    const page = expectShape(snapshotsSchema, (await get(`/api/v1/systems/web/snapshots?limit=2&before=${encodeURIComponent(dayAt(3))}`)).json);
    expect(page.snapshots.map((s) => s.startedAt)).toStrictEqual([dayAt(4), dayAt(5)]);
    expectError(await get('/api/v1/systems/web/snapshots?limit=0'), 400, 'invalid', /^limit: expected at least 1/);
    expectError(await get('/api/v1/systems/web/snapshots?before=yesterday'), 400, 'invalid', /^before: expected an ISO-8601 time/);
  });

  it('gives one snapshot with its facts', async () => {
    const [latest] = (await get('/api/v1/systems/web/snapshots?limit=1')).json.snapshots;
    const snapshot = expectShape(snapshotSchema, (await get(`/api/v1/snapshots/${latest.id.toLowerCase()}`)).json);
    expect(snapshot.id).toBe(latest.id);
    expect(snapshot.probes.find((p) => p.id === 'tls')?.facts).toStrictEqual({ endpoints: [{ target: 'web.example.test:443', grade: 'A', protocols: { 'TLSv1.3': true } }] });
    expectError(await get('/api/v1/snapshots/01HZZZZZZZZZZZZZZZZZZZZZZZ'), 404, 'not-found');
    expectError(await get('/api/v1/snapshots/nope'), 400, 'invalid', /^id: expected a snapshot id/);
  });
});

describe('findings', () => {
  it('pages the open findings of every system by priority, suppressed and resolved left out', async () => {
    const page = expectShape(findingsPageSchema, (await get('/api/v1/findings')).json);
    expect(page.total).toBe(7);
    expect(page).toMatchObject({ offset: 0, limit: 50 });
    expect(page.findings[0]!.fingerprint).toBe(FP.vuln);
    const priorities = page.findings.map((f) => f.priority);
    expect(priorities).toStrictEqual([...priorities].sort((a, b) => b - a));
    expect(page.findings.map((f) => f.fingerprint)).not.toContain(FP.resolved);
    // Pages tile the list: no overlap, no gap.
    const first = (await get('/api/v1/findings?limit=3')).json.findings.map((f: { fingerprint: string }) => f.fingerprint);
    const second = (await get('/api/v1/findings?limit=3&offset=3')).json.findings.map((f: { fingerprint: string }) => f.fingerprint);
    expect([...first, ...second]).toStrictEqual(page.findings.slice(0, 6).map((f) => f.fingerprint));
  });

  it('keeps repository text as data: the JSON has no raw <, > or &', async () => {
    const response = await get('/api/v1/findings?q=script');
    expect(response.text).not.toMatch(/[<>&]/);
    expect(response.text).toContain('\\u003cscript\\u003e');
    expect(response.json.findings[0].message).toBe('<script>alert(1)</script> & "quotes", commas');
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('filters by system, aspect, severity (at or above, or a list), rule, status, age and text', async () => {
    const fingerprints = async (query: string) => ((await get(`/api/v1/findings?${query}`)).json.findings as Array<{ fingerprint: string }>).map((f) => f.fingerprint).sort();
    expect(await fingerprints('system=api')).toStrictEqual([FP.api]);
    expect(await fingerprints('system=api,web&aspect=security,ci')).toStrictEqual([FP.vuln, FP.api].sort());
    expect(await fingerprints('severity=high')).toStrictEqual([FP.vuln, FP.eol].sort());
    expect(await fingerprints('severity=critical,medium')).toStrictEqual([FP.vuln, FP.reopened, FP.trend, FP.api].sort());
    expect(await fingerprints('rule=versions/eol')).toStrictEqual([FP.eol]);
    expect(await fingerprints('status=resolved')).toStrictEqual([FP.resolved]);
    expect(await fingerprints('status=all&system=web&aspect=code-health')).toStrictEqual([FP.todo, FP.formula, FP.resolved, FP.reopened].sort());
    expect(await fingerprints('minAgeDays=5')).toStrictEqual([FP.todo, FP.eol, FP.formula, FP.trend, FP.reopened].sort());
    expect(await fingerprints('q=LEGACY')).toStrictEqual([FP.todo]);
    expect(await fingerprints('q=.nvmrc')).toStrictEqual([FP.eol]);
  });

  it('sorts by age, severity and last seen, keeping the backlog order within ties', async () => {
    const order = async (sort: string) => ((await get(`/api/v1/findings?sort=${sort}`)).json.findings as Array<{ fingerprint: string; firstSeen: string; severity: string; lastSeen: string }>);
    const byAge = await order('age');
    expect(byAge.map((f) => f.firstSeen)).toStrictEqual([...byAge.map((f) => f.firstSeen)].sort());
    const bySeverity = await order('severity');
    expect(bySeverity.map((f) => f.severity).slice(0, 2)).toStrictEqual(['critical', 'high']);
    const byLastSeen = await order('lastSeen');
    expect(byLastSeen.map((f) => f.lastSeen)).toStrictEqual([...byLastSeen.map((f) => f.lastSeen)].sort().reverse());
  });

  it('names the parameter that is wrong', async () => {
    expectError(await get('/api/v1/findings?severity=urgent'), 400, 'invalid', /^severity\.0: /);
    expectError(await get('/api/v1/findings?aspect='), 400, 'invalid', /^aspect/);
    expectError(await get('/api/v1/findings?limit=501'), 400, 'invalid', /^limit: expected at most 500/);
    expectError(await get('/api/v1/findings?limit=ten'), 400, 'invalid', /^limit: expected a whole number/);
    expectError(await get('/api/v1/findings?sort=random'), 400, 'invalid', /^sort: /);
    expectError(await get('/api/v1/findings?sytem=web'), 400, 'invalid', /^"sytem": unknown parameter/);
    expectError(await get('/api/v1/findings?system=a&system=b'), 400, 'invalid', /^"system": given more than once/);
    expectError(await get('/api/v1/findings?rule=Bad Rule'), 400, 'invalid', /^rule\.0: expected a rule id/);
    expectError(await get('/api/v1/findings?minAgeDays=-1'), 400, 'invalid', /^minAgeDays: expected 0 or more/);
  });

  it('exports every match as CSV with formulas defused, and as Markdown', async () => {
    const csv = await get('/api/v1/findings?format=csv&limit=1');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="prodeng-findings-2026-03-01.csv"');
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe('priority,severity,status,system,aspect,rule,title,message,location,firstSeen,lastSeen,effort,suppressed,fingerprint');
    expect(lines).toHaveLength(7 + 2); // header, 7 rows (no paging), final CRLF
    const formula = lines.find((line) => line.includes(FP.formula))!;
    expect(formula).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(formula).toContain('"<script>alert(1)</script> & ""quotes"", commas"');
    expect(lines.find((line) => line.includes(FP.api))).toContain(",'+SUM(A1:A9) step is slow,");
    const markdown = await get('/api/v1/findings?format=markdown');
    expect(markdown.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(markdown.text).toContain('| Priority | Severity | System | Finding | Location | Rule | First seen |');
    expect(markdown.text).toContain('src/&lt;evil&gt;.ts');
    expect(markdown.text).not.toContain('<evil>');
  });

  it("gives a finding's history: one entry per status change", async () => {
    const response = await get(`/api/v1/systems/web/findings/${FP.reopened}`);
    const { finding, history } = expectShape(findingHistorySchema, response.json);
    expect(finding).toMatchObject({ fingerprint: FP.reopened, status: 'open', firstSeen: dayAt(10) });
    expect(history.map((h) => [h.at, h.status])).toStrictEqual([
      [dayAt(10), 'new'],
      [dayAt(7), 'resolved'],
      [dayAt(2), 'reopened'],
    ]);
    expectError(await get(`/api/v1/systems/web/findings/${FP.api}`), 404, 'not-found', /has no finding/);
    expectError(await get(`/api/v1/systems/nope/findings/${FP.api}`), 404, 'not-found', /no system named/);
  });
});

describe('series, diff, end of life, TLS, tests', () => {
  it('gives metric series with change points, direction-aware', async () => {
    const response = await get('/api/v1/systems/web/metrics');
    const { series } = expectShape(metricSeriesSchema, response.json);
    expect(series.map((s) => s.name)).toStrictEqual(['http.latency_p95_ms', 'todo.count', 'todo.files_scanned']);
    const latency = series[0]!;
    expect(latency).toMatchObject({ labels: { endpoint: 'https://web.example.test/' }, unit: 'ms', probe: 'http', direction: 'higher-is-worse' });
    expect(latency.points).toHaveLength(11);
    expect(latency.changePoints).toStrictEqual([{ index: 5, at: dayAt(5), before: expect.any(Number), after: expect.any(Number), kind: 'regression' }]);
    const last = expectShape(metricSeriesSchema, (await get('/api/v1/systems/web/metrics?name=todo.count&last=3')).json);
    expect(last.series.map((s) => [s.name, s.points.length])).toStrictEqual([['todo.count', 3]]);
    expect((await get('/api/v1/systems/new/metrics')).json).toStrictEqual({ series: [] });
    expectError(await get('/api/v1/systems/web/metrics?last=0'), 400, 'invalid', /^last: /);
  });

  it('gives the diff of two snapshots as prodeng diff does', async () => {
    const diff = expectShape(diffSchema, (await get('/api/v1/systems/web/diff')).json);
    expect(diff).toMatchObject({ schemaVersion: 1, system: 'web', from: { startedAt: dayAt(1) }, to: { startedAt: dayAt(0) } });
    const week = expectShape(diffSchema, (await get('/api/v1/systems/web/diff?from=~7&to=~0')).json);
    expect(week.findings.new.map((f) => f.fingerprint)).toStrictEqual([FP.vuln]);
    expect(week.findings.reopened.map((f) => f.fingerprint)).toStrictEqual([FP.reopened]);
    expect(week.findings.resolved.map((f) => f.fingerprint)).toStrictEqual([FP.resolved]);
    expect(week.metrics.find((m) => m.name === 'http.latency_p95_ms')).toMatchObject({ from: 101, to: 200 });
    expectError(await get('/api/v1/systems/api/diff'), 404, 'not-found', /has 1 snapshot; a diff compares two/);
    expectError(await get('/api/v1/systems/web/diff?from=~99'), 404, 'not-found', /^from: /);
  });

  it('gives the end-of-life calendar from findings and facts, soonest first', async () => {
    const eol = expectShape(eolSchema, (await get('/api/v1/eol')).json);
    expect(eol.asOf).toBe('2026-03-01');
    expect(eol.items).toStrictEqual([
      { system: 'web', component: 'nodejs', cycle: '18', version: '18.20.1', eol: '2025-04-30', daysLeft: -305, path: '.nvmrc', rule: 'versions/eol', fingerprint: FP.eol },
      { system: 'web', component: 'python', cycle: '3.10', version: '3.10.4', eol: '2026-10-31', daysLeft: 244, path: '.python-version', rule: null, fingerprint: null },
    ]);
    expect((await get('/api/v1/eol?months=3')).json.items).toHaveLength(1);
    expect((await get('/api/v1/eol?months=60')).json.items).toHaveLength(3);
    expectError(await get('/api/v1/eol?months=0'), 400, 'invalid', /^months: /);
  });

  it("gives the tls probe's endpoints of its latest run", async () => {
    const tls = expectShape(tlsSchema, (await get('/api/v1/systems/web/tls')).json);
    expect(tls).toMatchObject({ at: dayAt(0), endpoints: [{ target: 'web.example.test:443', grade: 'A' }] });
    expectError(await get('/api/v1/systems/api/tls'), 404, 'not-found', /tls probe has not run/);
  });

  it('gives the flaky, broken and slow tests with the evidence of flaky ones', async () => {
    const all = expectShape(testsSchema, (await get('/api/v1/systems/web/tests')).json);
    expect(all.runs).toBe(21);
    const byName = new Map(all.tests.map((t) => [t.name, t]));
    expect(byName.get('wobbly')).toMatchObject({ status: 'flaky' });
    expect(byName.get('wobbly')!.evidence.length).toBeGreaterThan(0);
    expect(byName.get('broken')).toMatchObject({ status: 'broken', evidence: [] });
    expect((await get('/api/v1/systems/web/tests?status=flaky')).json.tests.map((t: { name: string }) => t.name)).toStrictEqual(['wobbly']);
    expect((await get('/api/v1/systems/web/tests?status=slow&limit=1')).json.tests.map((t: { name: string }) => t.name)).toStrictEqual(['slow']);
    expectError(await get('/api/v1/systems/api/tests'), 404, 'not-found', /no test runs recorded/);
    expectError(await get('/api/v1/systems/web/tests?status=green'), 400, 'invalid', /^status: /);
  });
});

describe('writes', () => {
  const write = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    raw(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('needs the token: none is 401 with WWW-Authenticate, a wrong one 401', async () => {
    const none = await raw(`${server.url}/api/v1/ignores`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expectError(none, 401, 'unauthorized', /Authorization: Bearer/);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expectError(await write('POST', '/api/v1/ignores', {}, { authorization: `Bearer ${TOKEN}x` }), 401, 'unauthorized', /not valid/);
    expectError(await write('POST', '/api/v1/ignores', {}, { authorization: 'Basic abc' }), 401, 'unauthorized');
  });

  it('refuses what a cross-site page could send (CSRF)', async () => {
    const body = { system: 'web', fingerprint: FP.todo, reason: 'x' };
    expectError(await write('POST', '/api/v1/ignores', body, { 'content-type': 'text/plain' }), 403, 'csrf', /Content-Type: application\/json/);
    expectError(await write('POST', '/api/v1/ignores', body, { 'content-type': 'application/x-www-form-urlencoded' }), 403, 'csrf');
    expectError(await write('POST', '/api/v1/ignores', body, { origin: 'https://evil.example' }), 403, 'csrf', /Origin/);
    expectError(await write('POST', '/api/v1/ignores', body, { 'sec-fetch-site': 'cross-site' }), 403, 'csrf');
    expectError(await write('POST', '/api/v1/ignores', body, { 'sec-fetch-site': 'same-site' }), 403, 'csrf');
    expect((await store.listIgnores()).length).toBe(0);
  });

  it('ignores a finding at once, lists the ignore, and deletes it', async () => {
    const origin = server.url;
    const created = await write('POST', '/api/v1/ignores', { system: 'web', fingerprint: FP.todo.slice(0, 12), reason: 'removed in the next release', until: '2026-06-30' }, { origin, 'sec-fetch-site': 'same-origin' });
    expect(created.status, created.text).toBe(201);
    const body = expectShape(ignoreCreatedSchema, created.json);
    expect(body).toMatchObject({ ignore: { system: 'web', fingerprint: FP.todo.slice(0, 12), rule: null, reason: 'removed in the next release', until: '2026-06-30' }, suppressed: 1 });
    expect(created.headers.location).toBe(`/api/v1/ignores/${body.ignore.id}`);

    const open = (await get('/api/v1/findings?system=web')).json;
    expect(open.findings.map((f: { fingerprint: string }) => f.fingerprint)).not.toContain(FP.todo);
    const included = (await get('/api/v1/findings?system=web&suppressed=include')).json.findings as Array<{ fingerprint: string; suppressed?: unknown }>;
    expect(included.find((f) => f.fingerprint === FP.todo)?.suppressed).toStrictEqual({ reason: 'removed in the next release', until: '2026-06-30' });
    expect(included.at(-1)?.fingerprint).toBe(FP.todo); // suppressed last, as in reports
    expect(expectShape(ignoresSchema, (await get('/api/v1/ignores')).json).ignores).toStrictEqual([body.ignore]);

    const rule = await write('POST', '/api/v1/ignores', { system: 'web', rule: 'trend/regression', reason: 'expected after the migration' });
    expect(rule.status).toBe(201);
    expect(rule.json.ignore.until).toBeNull();

    const deleted = await raw(`${server.url}/api/v1/ignores/${body.ignore.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect((await get('/api/v1/findings?system=web')).json.findings.map((f: { fingerprint: string }) => f.fingerprint)).toContain(FP.todo);
    expectError(await write('DELETE', `/api/v1/ignores/${body.ignore.id}`, undefined), 404, 'not-found');
    expectError(await write('DELETE', '/api/v1/ignores/abc', undefined), 400, 'invalid', /^id: /);
    await store.deleteIgnore(rule.json.ignore.id);
  });

  it('validates ignores and names the field', async () => {
    expectError(await write('POST', '/api/v1/ignores', { system: 'web', reason: 'x' }), 400, 'invalid', /^body\.fingerprint: give either a fingerprint or a rule/);
    expectError(await write('POST', '/api/v1/ignores', { system: 'web', rule: 'todo/marker', fingerprint: FP.todo, reason: 'x' }), 400, 'invalid', /either/);
    expectError(await write('POST', '/api/v1/ignores', { system: 'web', rule: 'todo/marker', reason: ' ' }), 400, 'invalid', /^body\.reason: say why/);
    expectError(await write('POST', '/api/v1/ignores', { system: 'web', rule: 'todo/marker', reason: 'x', until: '2026-02-30' }), 400, 'invalid', /^body\.until: /);
    expectError(await write('POST', '/api/v1/ignores', { system: 'web', rule: 'todo/marker', reason: 'x', until: '2026-02-01' }), 400, 'invalid', /^until: 2026-02-01 is in the past/);
    expectError(await write('POST', '/api/v1/ignores', { system: 'web', rule: 'todo/marker', reason: 'x', extra: 1 }), 400, 'invalid', /^"extra": unknown field/);
    expectError(await write('POST', '/api/v1/ignores', { system: 'nope', rule: 'todo/marker', reason: 'x' }), 404, 'not-found');
    expectError(await raw(`${server.url}/api/v1/ignores`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: '{"system":' }), 400, 'invalid', /^body: not valid JSON/);
    expectError(await raw(`${server.url}/api/v1/ignores`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: 'x'.repeat(70_000) }), 413, 'too-large');
  });

  it('queues an observation through the scheduler; busy is 409, an unknown system 404', async () => {
    const queued = await write('POST', '/api/v1/systems/web/observe', {});
    expect(queued.status).toBe(202);
    expect(queued.json).toStrictEqual({ queued: true });
    expect((await write('POST', '/api/v1/systems/web/observe', undefined)).status).toBe(202);
    expect(scheduler.observed).toStrictEqual(['web', 'web']);
    scheduler.answers.set('web', { queued: false, reason: 'busy' });
    expectError(await write('POST', '/api/v1/systems/web/observe', {}), 409, 'busy');
    scheduler.answers.delete('web');
    expectError(await write('POST', '/api/v1/systems/zzz/observe', {}), 404, 'not-found');
    expectError(await write('GET', '/api/v1/systems/web/observe', undefined), 405, 'method-not-allowed');
  });
});

describe('HTTP', () => {
  it('sends the security headers on every answer, and never CORS headers', async () => {
    for (const path of ['/healthz', '/metrics', '/api/v1/meta', '/api/v1/nope', '/api/openapi.json', '/', '/overview']) {
      const response = await get(path, { origin: 'https://evil.example' });
      expect(response.headers['content-security-policy'], path).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers['x-content-type-options'], path).toBe('nosniff');
      expect(response.headers['referrer-policy'], path).toBe('no-referrer');
      expect(response.headers['x-frame-options'], path).toBe('DENY');
      expect(response.headers['cross-origin-opener-policy'], path).toBe('same-origin');
      expect(response.headers['cross-origin-resource-policy'], path).toBe('same-origin');
      expect(response.headers['permissions-policy'], path).toMatch(/camera=\(\)/);
      expect(response.headers['strict-transport-security'], path).toBeUndefined(); // plain HTTP
      expect(Object.keys(response.headers).filter((h) => h.startsWith('access-control-')), path).toStrictEqual([]);
    }
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe/);
  });

  it('refuses a Host that is not loopback (DNS rebinding)', async () => {
    expectError(await get('/api/v1/systems', { host: 'evil.example' }), 403, 'forbidden', /loopback/);
    expectError(await get('/healthz', { host: `evil.example:${server.port}` }), 403, 'forbidden');
    expect((await get('/api/v1/meta', { host: `localhost:${server.port}` })).status).toBe(200);
    expect((await get('/api/v1/meta', { host: `[::1]:${server.port}` })).status).toBe(200);
  });

  it('answers unknown routes and methods with JSON errors', async () => {
    expectError(await get('/api/v1/nope'), 404, 'not-found', /no API route/);
    const response = await raw(`${server.url}/api/v1/meta`, { method: 'DELETE' });
    expectError(response, 405, 'method-not-allowed');
    expect(response.headers.allow).toBe('GET, HEAD');
    expectError(await raw(`${server.url}/`, { method: 'POST', body: 'x' }), 405, 'method-not-allowed');
    const head = await raw(`${server.url}/api/v1/meta`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });

  it('serves an OpenAPI 3.1 document with every route', async () => {
    const response = await get('/api/openapi.json');
    expect(response.status).toBe(200);
    const document = response.json;
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/healthz', '/metrics', '/api/v1/overview', '/api/v1/findings', '/api/v1/systems/{name}/findings/{fingerprint}', '/api/v1/ignores/{id}']),
    );
    const findings = document.paths['/api/v1/findings'].get;
    expect(findings.parameters.map((p: { name: string }) => p.name)).toStrictEqual(['system', 'aspect', 'severity', 'rule', 'status', 'suppressed', 'minAgeDays', 'q', 'sort', 'offset', 'limit', 'format']);
    expect(findings.parameters.find((p: { name: string }) => p.name === 'severity').schema).toMatchObject({ type: 'string' });
    expect(document.paths['/api/v1/ignores'].post.requestBody.content['application/json'].schema.required).toStrictEqual(['system', 'reason']);
    expect(document.paths['/api/v1/ignores/{id}'].delete.security).toStrictEqual([{ bearer: [] }]);
  });

  it('answers as its OpenAPI document says (JSON Schema 2020-12)', async () => {
    const document = (await get('/api/openapi.json')).json;
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const [snapshot] = (await get('/api/v1/systems/web/snapshots?limit=1')).json.snapshots;
    const checks: Array<[string, string]> = [
      ['/healthz', '/healthz'],
      ['/api/v1/meta', '/api/v1/meta'],
      ['/api/v1/overview', '/api/v1/overview'],
      ['/api/v1/systems', '/api/v1/systems'],
      ['/api/v1/systems/{name}', '/api/v1/systems/web'],
      ['/api/v1/systems/{name}/snapshots', '/api/v1/systems/web/snapshots'],
      ['/api/v1/snapshots/{id}', `/api/v1/snapshots/${snapshot.id}`],
      ['/api/v1/findings', '/api/v1/findings?status=all&suppressed=include'],
      ['/api/v1/systems/{name}/findings/{fingerprint}', `/api/v1/systems/web/findings/${FP.reopened}`],
      ['/api/v1/systems/{name}/metrics', '/api/v1/systems/web/metrics'],
      ['/api/v1/systems/{name}/diff', '/api/v1/systems/web/diff?from=~10'],
      ['/api/v1/eol', '/api/v1/eol?months=120'],
      ['/api/v1/systems/{name}/tls', '/api/v1/systems/web/tls'],
      ['/api/v1/systems/{name}/tests', '/api/v1/systems/web/tests'],
      ['/api/v1/ignores', '/api/v1/ignores'],
    ];
    for (const [template, path] of checks) {
      const schema = document.paths[template].get.responses['200'].content['application/json'].schema;
      const validate = ajv.compile(schema);
      const body = (await get(path)).json;
      expect(validate(body) ? [] : validate.errors, path).toStrictEqual([]);
    }
    const error = ajv.compile(document.components.schemas.Error);
    expect(error((await get('/api/v1/systems/nope')).json)).toBe(true);
  });

  it('says how to build the dashboard when it is missing', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.text).toContain('npm run build');
    expect(response.text).not.toMatch(/<script|style=/);
    expect((await get('/app.js')).status).toBe(404);
  });
});

describe('the dashboard files', () => {
  let dashboard: string;
  let files: RunningServer;
  const fetchFile = (path: string, headers: Record<string, string> = {}) => raw(`${files.url}${path}`, { headers });

  beforeAll(async () => {
    dashboard = join(dir, 'dashboard');
    mkdirSync(join(dashboard, 'assets'), { recursive: true });
    writeFileSync(join(dashboard, 'index.html'), '<!doctype html><title>prodeng</title><script type="module" src="/assets/index-B8x_Qk1z.js"></script>');
    writeFileSync(join(dashboard, 'assets', 'index-B8x_Qk1z.js'), 'console.log(1)');
    writeFileSync(join(dashboard, 'assets', 'style-3f9a1c2b.css'), 'body{}');
    writeFileSync(join(dashboard, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(dir, 'secret.txt'), 'do not serve');
    symlinkSync(join(dir, 'secret.txt'), join(dashboard, 'link.txt'));
    files = await startTestServer({ store, dashboardDir: dashboard });
  });

  afterAll(async () => {
    await files.close();
  });

  it('serves index.html for / and for paths the dashboard routes, assets with their type and cache', async () => {
    for (const path of ['/', '/systems/web', '/findings?severity=high', '/systems/shop.example:443', '/systems/v1.2']) {
      const page = await fetchFile(path);
      expect(page.status, path).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.text).toContain('<title>prodeng</title>');
    }
    const script = await fetchFile('/assets/index-B8x_Qk1z.js');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await fetchFile('/assets/style-3f9a1c2b.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    const icon = await fetchFile('/favicon.svg');
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('no-cache');
    const again = await fetchFile('/assets/index-B8x_Qk1z.js', { 'if-none-match': String(script.headers.etag) });
    expect(again.status).toBe(304);
    expect((await fetchFile('/assets/missing.js')).status).toBe(404);
  });

  it('never serves a file outside its directory', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/link.txt', '/%00', '/assets/%2e%2e/%2e%2e/secret.txt']) {
      const response = await fetchFile(path);
      expect(response.text, path).not.toContain('do not serve');
      expect([200, 400, 404], path).toContain(response.status);
    }
  });
});
