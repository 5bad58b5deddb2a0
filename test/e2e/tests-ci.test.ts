/**
 * Test and CI history from the CLI a user runs: JUnit files recorded with `ingest junit` (and by
 * the tests probe at observe), judged by `prodeng tests`; CI runs recorded from JSON Lines and from
 * a GitHub Actions API stood in by a server on 127.0.0.1, analysed by the ci probe.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../src/datasources/test-support/server.js';
import { openStore } from '../../src/store/open.js';
import { ROOT, runCli, runJson, type CliResult } from '../support/cli.js';
import { tempDir, tempRepo, type TempRepo } from '../support/repo.js';

interface Finding {
  rule: string;
  severity: string;
  status: string;
  title: string;
  location: { path?: string; url?: string } | null;
  data: Record<string, unknown>;
}
interface Report {
  snapshots: Array<{ system: string; probes: Array<{ id: string; status: string; errors: Array<{ message: string; code?: string; path?: string }>; facts?: Record<string, unknown> }> }>;
  findings: Finding[];
  metrics: Array<{ name: string; value: number; labels: Record<string, string> }>;
}
interface TestRow {
  id: string;
  suite: string;
  classname: string;
  name: string;
  file: string | null;
  status: 'flaky' | 'broken' | 'healthy';
  score: number;
  runs: number;
  failures: number;
  flips: number;
  firstFlake: string | null;
  lastFlake: string | null;
  meanSeconds: number | null;
  p95Seconds: number | null;
}
interface TestsJson {
  system: string;
  runs: number;
  tests: TestRow[];
}

const JUNIT = join(ROOT, 'src', 'testresults', 'junit', 'fixtures');
const GITHUB = join(ROOT, 'src', 'ci', 'fixtures', 'github');

const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'report.v1.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validateReport = ajv.compile(schema);

type Case = { classname: string; name: string; time?: number; outcome?: 'pass' | 'fail' | 'error' | 'skip' | 'flaky' };

/** A JUnit XML document of one suite with the given cases. */
function junit(suite: string, cases: readonly Case[]): string {
  const body = cases.map(({ classname, name, time = 0.1, outcome = 'pass' }) => {
    const inner = {
      pass: '',
      fail: '<failure message="expected 1 but was 2" type="AssertionError">at line 3</failure>',
      error: '<error message="boom" type="RuntimeException"/>',
      skip: '<skipped/>',
      // Surefire's rerunFailingTestsCount: failed, then passed on a rerun.
      flaky: '<flakyFailure message="timed out" type="java.net.SocketTimeoutException"><stackTrace>java.net.SocketTimeoutException</stackTrace></flakyFailure>',
    }[outcome];
    return `  <testcase classname="${classname}" name="${name}" time="${time}">${inner}</testcase>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="${suite}" tests="${cases.length}">\n${body.join('\n')}\n</testsuite>\n`;
}

/** Reads the store the CLI wrote, the way another process would. */
async function withStore<T>(dir: string, work: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
  const store = await openStore(join(dir, '.prodeng', 'prodeng.db'));
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

const ok = (result: CliResult) => expect(result.code, `exit ${result.code}\n${result.stdout}\n--- stderr:\n${result.stderr}`).toBe(0);

describe('prodeng ingest junit', () => {
  let work: { dir: string; remove(): void };
  beforeEach(() => {
    work = tempDir();
    mkdirSync(join(work.dir, 'reports'));
    mkdirSync(join(work.dir, 'broken'));
    copyFileSync(join(JUNIT, 'surefire-TEST-com.example.CalculatorTest.xml.fixture'), join(work.dir, 'reports', 'TEST-calculator.xml'));
    copyFileSync(join(JUNIT, 'pytest-xunit2.xml.fixture'), join(work.dir, 'reports', 'pytest.xml'));
    copyFileSync(join(JUNIT, 'malformed', 'truncated-in-body.xml.fixture'), join(work.dir, 'broken', 'truncated.xml'));
    copyFileSync(join(JUNIT, 'malformed', 'html.xml.fixture'), join(work.dir, 'broken', 'index.xml'));
  });
  afterEach(() => work.remove());

  // Every run attribute is given: when these tests run in CI, the CI's own variables must not count.
  const ingest = (...args: string[]) =>
    runCli(['ingest', 'junit', ...args, '--system', 'shop', '--run', '41', '--attempt', '1', '--commit', 'c0ffee1234567', '--branch', 'main', '--at', '2026-03-01T10:00:00Z'], { cwd: work.dir });
  const runs = () => withStore(work.dir, (store) => store.listTestRuns('shop'));

  it('records every case of the files as one run, creating the system; again replaces it with the same counts', async () => {
    const first = await ingest('reports/*.xml');
    ok(first);
    expect(first.stdout).toBe('shop: recorded run 41 (c0ffee1234 on main): 12 tests, 12 results from 2 files\n');
    expect(first.stderr).toBe('');
    const recorded = await runs();
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ runId: '41', attempt: 1, commit: 'c0ffee1234567', branch: 'main', at: '2026-03-01T10:00:00.000Z', source: 'junit', tests: 12, results: 12 });
    // The system exists now: the tests command finds it by name.
    const listed = await runJson<TestsJson>(['tests', '--system', 'shop', '--format', 'json'], { cwd: work.dir });
    ok(listed.result);
    expect(listed.json.runs).toBe(1);
    expect(listed.json.tests).toHaveLength(12);

    const again = await ingest('reports/*.xml');
    ok(again);
    expect(again.stdout).toBe('shop: replaced run 41 (c0ffee1234 on main): 12 tests, 12 results from 2 files\n');
    const after = await runs();
    expect(after).toHaveLength(1);
    expect({ ...after[0], recordedAt: null }).toEqual({ ...recorded[0], recordedAt: null });
  });

  it('reports a corrupt file by name and position, records the others and exits 0', async () => {
    const result = await ingest('reports/*.xml', 'broken/truncated.xml');
    ok(result); // documented: a file that cannot be read is reported and skipped; the others are recorded
    expect(result.stderr).toMatch(/^prodeng: skipped \S*broken\/truncated\.xml:\d+:\d+: .+\n$/);
    expect(result.stderr).not.toContain('TEST-calculator.xml');
    expect(result.stdout).toBe('shop: recorded run 41 (c0ffee1234 on main): 12 tests, 12 results from 2 files; 1 file skipped\n');
    expect((await runs())[0]).toMatchObject({ tests: 12, results: 12 });
  });

  it('exits 2 and keeps the earlier recording of the run when no file can be read', async () => {
    ok(await ingest('reports/*.xml'));
    const result = await ingest('broken/*.xml');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('broken/index.xml:');
    expect(result.stderr).toContain('broken/truncated.xml:');
    expect(result.stderr).toContain('none of the 2 JUnit files could be read; nothing was recorded');
    const after = await runs();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ runId: '41', tests: 12, results: 12 });
  });

  it('says which pattern matched nothing, and exits 2 when none matched', async () => {
    const none = await ingest('nowhere/*.xml', 'reports/*.json');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('prodeng: nowhere/*.xml: no file matches');
    expect(none.stderr).toContain('prodeng: reports/*.json: no file matches');
    expect(none.stderr).toContain('no JUnit file to ingest');
    expect(none.stdout).toBe('');
    // One pattern matching is enough; the other is still named.
    const some = await ingest('nowhere/*.xml', 'reports/pytest.xml');
    ok(some);
    expect(some.stderr).toBe('prodeng: nowhere/*.xml: no file matches\n');
    expect(some.stdout).toContain('6 tests, 6 results from 1 file\n');
  });

  it('refuses usage errors before touching the database', async () => {
    const noGlob = await runCli(['ingest', 'junit', '--system', 'shop'], { cwd: work.dir });
    expect(noGlob.code).toBe(2);
    expect(noGlob.stderr).toContain('at least one GLOB');
    const wrongOption = await runCli(['ingest', 'junit', 'reports/*.xml', '--repo', 'a/b'], { cwd: work.dir });
    expect(wrongOption.code).toBe(2);
    expect(wrongOption.stderr).toContain('--repo is for `ingest github-actions`');
    const badTime = await runCli(['ingest', 'junit', 'reports/*.xml', '--at', 'yesterday'], { cwd: work.dir });
    expect(badTime.code).toBe(2);
    // Not rolled over to March 2nd.
    const noSuchDay = await runCli(['ingest', 'junit', 'reports/*.xml', '--at', '2026-02-30T10:00:00Z'], { cwd: work.dir });
    expect(noSuchDay.code).toBe(2);
    expect(noSuchDay.stderr).toContain('--at must be an ISO-8601 date or time such as 2026-11-29T10:00:00Z (got "2026-02-30T10:00:00Z")');
    expect(readdirSync(work.dir)).not.toContain('.prodeng');
  });
});

describe('prodeng tests', () => {
  let work: { dir: string; remove(): void };
  beforeEach(() => {
    work = tempDir();
  });
  afterEach(() => work.remove());

  /** Writes `cases` as one JUnit file and records it as a run. */
  async function record(run: string, commit: string, cases: readonly Case[], extra: string[] = ['--attempt', '1']): Promise<void> {
    const dir = join(work.dir, 'runs', `${run}-${extra.join('-')}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'TEST-results.xml'), junit('app', cases));
    const day = Number(run) - 100;
    ok(await runCli(['ingest', 'junit', join(dir, '*.xml'), '--system', 'app', '--run', run, '--commit', commit, '--branch', 'main', '--at', `2026-03-${String(day).padStart(2, '0')}T10:00:00Z`, ...extra], { cwd: work.dir }));
  }

  /**
   * Calc.adds always passes; Calc.divides always fails (broken); Calc.rounds passes and fails on
   * commit c2 (two attempts: flaky); Net.retries failed then passed on a Surefire rerun (flaky);
   * Db.migrates takes 20 s.
   */
  async function history(): Promise<void> {
    const cases = (rounds: Case['outcome'], retries: Case['outcome'] = 'pass'): Case[] => [
      { classname: 'Calc', name: 'adds' },
      { classname: 'Calc', name: 'divides', outcome: 'fail' },
      { classname: 'Calc', name: 'rounds', outcome: rounds },
      { classname: 'Net', name: 'retries', outcome: retries, time: 1 },
      { classname: 'Db', name: 'migrates', time: 20 },
    ];
    await record('101', 'c1', cases('pass'));
    await record('102', 'c2', cases('fail'));
    await record('102', 'c2', cases('pass'), ['--attempt', '2']);
    await record('103', 'c3', cases('pass', 'flaky'));
    await record('104', 'c4', cases('pass'));
  }

  const tests = (...args: string[]) => runJson<TestsJson>(['tests', '--format', 'json', ...args], { cwd: work.dir });

  it('lists every test in the JSON contract: flaky first, then broken, then healthy', async () => {
    await history();
    const { result, json } = await tests();
    ok(result);
    expect(json.system).toBe('app');
    expect(json.runs).toBe(5);
    // Net.retries flaked more recently than Calc.rounds: recent results weigh more in the score.
    expect(json.tests.map((t) => `${t.status} ${t.id}`)).toEqual([
      'flaky Net::retries',
      'flaky Calc::rounds',
      'broken Calc::divides',
      'healthy Calc::adds',
      'healthy Db::migrates',
    ]);
    const keys = ['id', 'suite', 'classname', 'name', 'file', 'status', 'score', 'runs', 'failures', 'flips', 'firstFlake', 'lastFlake', 'meanSeconds', 'p95Seconds'];
    for (const test of json.tests) {
      expect(Object.keys(test)).toEqual(expect.arrayContaining(keys));
      expect(test.score).toBeGreaterThanOrEqual(0);
      expect(test.score).toBeLessThanOrEqual(1);
    }
    const byId = Object.fromEntries(json.tests.map((t) => [t.id, t]));
    expect(byId['Calc::rounds']).toMatchObject({
      suite: 'app',
      classname: 'Calc',
      name: 'rounds',
      file: null,
      runs: 5,
      failures: 1,
      firstFlake: '2026-03-02T10:00:00.000Z',
      lastFlake: '2026-03-02T10:00:00.000Z',
      meanSeconds: 0.1,
      p95Seconds: 0.1,
    });
    expect(byId['Calc::rounds']!.score).toBeGreaterThan(0);
    expect(byId['Calc::rounds']!.score).toBeLessThan(byId['Net::retries']!.score);
    // Flips count pass↔fail changes in run order: pass, fail, pass, pass, pass.
    expect(byId['Calc::rounds']!.flips).toBe(2);
    expect(byId['Net::retries']).toMatchObject({ failures: 0, firstFlake: '2026-03-03T10:00:00.000Z', lastFlake: '2026-03-03T10:00:00.000Z' });
    expect(byId['Calc::divides']).toMatchObject({ status: 'broken', runs: 5, failures: 5, score: 0, firstFlake: null, lastFlake: null });
    expect(byId['Calc::adds']).toMatchObject({ status: 'healthy', runs: 5, failures: 0, flips: 0, score: 0 });
    expect(byId['Db::migrates']).toMatchObject({ meanSeconds: 20, p95Seconds: 20 });
  });

  it('filters with --flaky, --broken and --slow', async () => {
    await history();
    const ids = async (...args: string[]) => {
      const { result, json } = await tests(...args);
      ok(result);
      return json.tests.map((t) => t.id);
    };
    expect(await ids('--flaky')).toEqual(['Net::retries', 'Calc::rounds']);
    expect(await ids('--broken')).toEqual(['Calc::divides']);
    expect(await ids('--flaky', '--broken')).toEqual(['Net::retries', 'Calc::rounds', 'Calc::divides']);
    expect((await ids('--slow')).slice(0, 2)).toEqual(['Db::migrates', 'Net::retries']);
    expect(await ids('--slow', '--limit', '1')).toEqual(['Db::migrates']);
    expect(await ids('--slow', '--broken', '--limit', '1')).toEqual(['Calc::divides', 'Db::migrates']);
  });

  it('prints a table and Markdown', async () => {
    await history();
    const table = await runCli(['tests'], { cwd: work.dir });
    ok(table);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('app: 5 runs analysed, 5 tests: 2 flaky, 1 broken, 0 recovered');
    expect(lines[2]).toMatch(/^STATUS\s+SCORE\s+RUNS\s+FAILS\s+FLIPS\s+MEAN s\s+P95 s\s+LAST FLAKE\s+TEST$/);
    expect(lines[4]).toMatch(/^flaky\s+0\.\d\d\s+5\s+1\s+2\s+0\.10\s+0\.10\s+2026-03-02\s+Calc::rounds$/);
    expect(lines.find((line) => line.endsWith('Calc::divides'))).toMatch(/^broken\s+0\.00\s+5\s+5\s+0\s/);
    expect(lines).toHaveLength(3 + 5);

    const markdown = await runCli(['tests', '--broken', '--format', 'markdown'], { cwd: work.dir });
    ok(markdown);
    expect(markdown.stdout).toContain('| Status | Score | Runs | Fails | Flips | Mean s | P95 s | Last flake | Test |');
    expect(markdown.stdout).toContain('| broken | 0.00 | 5 | 5 | 0 | 0.10 | 0.10 | – | Calc::divides |');
    expect(markdown.stdout).not.toContain('Calc::rounds');

    const none = await runCli(['tests', '--system', 'app', '--flaky', '--format', 'markdown', '--config', 'none.yml'], { cwd: work.dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--config none.yml: no such file');
  });

  it('exports the flaky tests for quarantine as text and JSON', async () => {
    await history();
    const txt = await runCli(['tests', 'quarantine', '--format', 'txt'], { cwd: work.dir });
    ok(txt);
    const lines = txt.stdout.trimEnd().split('\n');
    expect(lines.filter((line) => line.startsWith('#'))).toHaveLength(2);
    expect(lines[1]).toBe('# 2 tests; one id (classname::name) per line');
    expect(lines.filter((line) => !line.startsWith('#'))).toEqual(['Net::retries', 'Calc::rounds']);

    const json = await runJson<{ system: string; tests: Array<{ id: string; score: number; reasons: string[]; firstFlake: string }> }>(['tests', 'quarantine', '--format', 'json'], { cwd: work.dir });
    ok(json.result);
    expect(json.json.system).toBe('app');
    expect(json.json.tests.map((t) => [t.id, t.reasons])).toEqual([
      ['Net::retries', ['retry']],
      ['Calc::rounds', ['same-commit']],
    ]);
    const min = await runJson<{ tests: unknown[] }>(['tests', 'quarantine', '--format', 'json', '--min-score', '1'], { cwd: work.dir });
    expect(min.json.tests).toEqual([]);
    const wrong = await runCli(['tests', 'quarantine', '--format', 'table'], { cwd: work.dir });
    expect(wrong.code).toBe(2);
  });

  it('exits 2 without test runs', async () => {
    const empty = await runCli(['tests'], { cwd: work.dir });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('prodeng');
    // A system with CI runs but no test runs: says how to record them.
    ok(await runCli(['ingest', 'ci', '-', '--system', 'app'], { cwd: work.dir, input: '{"pipeline":"ci","run":1,"status":"success"}\n' }));
    const noRuns = await runCli(['tests'], { cwd: work.dir });
    expect(noRuns.code).toBe(2);
    expect(noRuns.stderr).toContain('no test runs recorded for "app"; record them with `prodeng ingest junit GLOB... --system app`');
  });
});

describe('tests probe at observe (probes.tests.junit)', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = tempRepo({ name: 'shop' });
    repo.write('.gitignore', 'build/\n.prodeng/\n');
    repo.write('prodeng.yml', 'systems:\n  - name: shop\n    repo: .\nprobes:\n  tests:\n    junit: ["build/test-results/*.xml"]\n');
    repo.commit('init');
    // Build outputs are ignored by git and still found.
    repo.write('build/test-results/TEST-calculator.xml', readFileSync(join(JUNIT, 'surefire-TEST-com.example.CalculatorTest.xml.fixture')));
    repo.write('build/test-results/TEST-app.xml', junit('app', [{ classname: 'App', name: 'starts', time: 0.5 }]));
  });
  afterEach(() => repo.remove());

  const observe = () => runJson<Report>(['observe', '--probe', 'tests', '--format', 'json'], { cwd: repo.dir });
  const testsRun = (report: Report) => report.snapshots[0]!.probes.find((p) => p.id === 'tests')!;

  it('records the files once, reports tests/* findings and the tests.* metrics', async () => {
    const first = await observe();
    ok(first.result);
    expect(validateReport(first.json), JSON.stringify(validateReport.errors)).toBe(true);
    const run = testsRun(first.json);
    expect(run).toMatchObject({ status: 'ok', errors: [], facts: { runs: 1, recorded: { files: 2, tests: 7, replaced: false }, latestRun: { tests: 7 } } });
    const findings = first.json.findings.filter((f) => f.rule.startsWith('tests/'));
    expect(findings.map((f) => `${f.rule} ${f.data.id}`).sort()).toEqual([
      'tests/broken com.example.CalculatorTest::dividesByZero',
      'tests/broken com.example.CalculatorTest::multipliesLargeNumbers',
      'tests/flaky com.example.CalculatorTest::connectsToCache',
      'tests/flaky com.example.CalculatorTest::subtractsWithRounding',
      'tests/slow com.example.CalculatorTest::connectsToCache',
    ]);
    expect(findings.every((f) => f.status === 'new')).toBe(true);
    const metric = (name: string) => first.json.metrics.find((m) => m.name === name)?.value;
    expect(metric('tests.total')).toBe(7);
    expect(metric('tests.flaky')).toBe(2);
    expect(metric('tests.broken')).toBe(2);
    expect(metric('tests.flaky_rate')).toBeCloseTo(2 / 7);
    expect(metric('tests.duration_seconds')).toBeCloseTo(0.012 + 0.004 + 0.031 + 1202.5 + 0.002 + 0 + 0.5);

    // The same files again: the same run, not a new one; the findings are still open.
    const second = await observe();
    ok(second.result);
    expect(testsRun(second.json).facts).toMatchObject({ runs: 1, recorded: { replaced: true } });
    expect(second.json.findings.filter((f) => f.rule.startsWith('tests/')).every((f) => f.status === 'open')).toBe(true);
    const runs = await withStore(repo.dir, (store) => store.listTestRuns('shop'));
    expect(runs).toHaveLength(1);
    expect(runs[0]!.commit).toBe(repo.git('rev-parse', 'HEAD').trim());

    // New results (the files rewritten by a later test run) make a second run.
    repo.write('build/test-results/TEST-app.xml', junit('app', [{ classname: 'App', name: 'starts', time: 0.5, outcome: 'fail' }]));
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(repo.dir, 'build/test-results/TEST-app.xml'), later, later);
    const third = await observe();
    ok(third.result);
    expect(testsRun(third.json).facts).toMatchObject({ runs: 2, recorded: { replaced: false } });
  });

  it('keeps the history and reports each file when every file is corrupt', async () => {
    ok((await observe()).result);
    repo.write('build/test-results/TEST-calculator.xml', '<testsuite><testcase name="x"');
    repo.write('build/test-results/TEST-app.xml', '{"not": "junit"}');
    const { result, json } = await observe();
    ok(result);
    const run = testsRun(json);
    expect(run.status).toBe('partial');
    expect(run.errors.map((e) => [e.code, e.path])).toEqual([
      ['junit-parse', 'build/test-results/TEST-app.xml'],
      ['junit-parse', 'build/test-results/TEST-calculator.xml'],
    ]);
    expect(run.facts).toMatchObject({ runs: 1 });
    expect(json.findings.filter((f) => f.rule === 'tests/flaky').map((f) => f.status)).toEqual(['open', 'open']);
  });

  it('is partial with a junit-parse error naming the corrupt file, and records the others', async () => {
    repo.write('build/test-results/TEST-broken.xml', '<testsuite><testcase name="x"');
    const { result, json } = await observe();
    ok(result);
    const run = testsRun(json);
    expect(run.status).toBe('partial');
    expect(run.errors).toEqual([expect.objectContaining({ code: 'junit-parse', path: 'build/test-results/TEST-broken.xml' })]);
    expect(run.facts).toMatchObject({ recorded: { files: 2, tests: 7 } });
  });
});

/** 40 daily runs of "build" over the last 50 days: its tests step grows from 11.7 to 25 min, jobs wait 400 s. */
function ciHistory(): string[] {
  const day = 86_400_000;
  const start = Date.now() - 50 * day;
  const iso = (ms: number) => new Date(ms).toISOString();
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    const queued = start + i * day;
    const started = queued + 400_000;
    const finished = started + (60 + (i < 30 ? 700 : 1500)) * 1000;
    const common = { pipeline: 'build', run: 1000 + i, commit: `c${i}`, branch: 'main', queuedAt: iso(queued) };
    lines.push(JSON.stringify({ ...common, job: 'test', status: 'success', startedAt: iso(started), finishedAt: iso(finished) }));
    lines.push(JSON.stringify({ ...common, job: 'test', step: 'Set up', status: 'success', startedAt: iso(started), finishedAt: iso(started + 60_000) }));
    lines.push(JSON.stringify({ ...common, job: 'test', step: 'Run tests', status: 'success', startedAt: iso(started + 60_000), finishedAt: iso(finished) }));
  }
  return lines;
}

describe('prodeng ingest ci, and the ci probe', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = tempRepo({ name: 'pipeline' });
    repo.write('README.md', '# pipeline\n');
    repo.commit('init');
  });
  afterEach(() => repo.remove());

  it('records JSON Lines from a file, skipping bad lines by number, and the same from stdin changes nothing', async () => {
    const lines = ciHistory();
    lines.splice(5, 0, '{"pipeline":"build","run":1,"status":"success","startedAt":"yesterday"}');
    lines.splice(9, 0, 'not json at all');
    lines.splice(20, 0, '');
    repo.write('ci.jsonl', `${lines.join('\n')}\n`);

    const fromFile = await runCli(['ingest', 'ci', 'ci.jsonl'], { cwd: repo.dir });
    ok(fromFile);
    // The system defaults to what `observe .` calls this directory.
    expect(fromFile.stdout).toBe('pipeline: ci.jsonl: 120 records → 120 new, 0 updated, 0 unchanged; 2 lines skipped\n');
    expect(fromFile.stderr.trimEnd().split('\n')).toEqual([
      'prodeng: ci.jsonl:6: $.startedAt: expected an ISO 8601 timestamp with a time zone (2024-05-01T10:00:00Z) (line skipped)',
      'prodeng: ci.jsonl:10: not valid JSON (line skipped)',
    ]);
    expect(await withStore(repo.dir, (store) => store.ciRecordCount('pipeline'))).toBe(120);

    const fromStdin = await runCli(['ingest', 'ci', '-'], { cwd: repo.dir, input: readFileSync(join(repo.dir, 'ci.jsonl')) });
    ok(fromStdin);
    expect(fromStdin.stdout).toBe('pipeline: stdin: 120 records → 0 new, 0 updated, 120 unchanged; 2 lines skipped\n');
    expect(fromStdin.stderr).toContain('prodeng: stdin:10: not valid JSON (line skipped)');

    // A run that finished since: updated, not added.
    const update = JSON.stringify({ pipeline: 'deploy', run: 'd-1', status: 'running', startedAt: new Date().toISOString() });
    ok(await runCli(['ingest', 'ci', '-'], { cwd: repo.dir, input: `${update}\n` }));
    const finished = await runCli(['ingest', 'ci', '-'], { cwd: repo.dir, input: `${update.replace('running', 'success')}\n` });
    ok(finished);
    expect(finished.stdout).toContain('1 records → 0 new, 1 updated, 0 unchanged');
    expect(await withStore(repo.dir, (store) => store.ciRecordCount('pipeline'))).toBe(121);
  });

  it('exits 2 when no line could be read, or the file is missing or empty', async () => {
    const bad = await runCli(['ingest', 'ci', '-'], { cwd: repo.dir, input: 'nope\n{"run":1}\n' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('prodeng: stdin:1: not valid JSON (line skipped)');
    expect(bad.stderr).toContain('prodeng: stdin:2: $.pipeline:');
    expect(bad.stderr).toContain('prodeng: stdin: no CI record could be read\n');
    const empty = await runCli(['ingest', 'ci', '-'], { cwd: repo.dir, input: '' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no CI record could be read (the file is empty)');
    const missing = await runCli(['ingest', 'ci', 'missing.jsonl'], { cwd: repo.dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('prodeng: missing.jsonl: no such file\n');
    const two = await runCli(['ingest', 'ci', 'a', 'b'], { cwd: repo.dir });
    expect(two.code).toBe(2);
    const directory = await runCli(['ingest', 'ci', '.git'], { cwd: repo.dir });
    expect(directory.code).toBe(2);
    expect(directory.stderr).toBe('prodeng: .git: a directory, not a JSON Lines file\n');
    expect(await withStore(repo.dir, (store) => store.listSystems())).toEqual([]);
  });

  it('observe reports the ci metrics and the slow-step, duration-regression and queue-time findings', async () => {
    ok(await runCli(['ingest', 'ci', '-'], { cwd: repo.dir, input: `${ciHistory().join('\n')}\n` }));
    const { result, json } = await runJson<Report>(['observe', '.', '--probe', 'ci', '--format', 'json'], { cwd: repo.dir });
    ok(result);
    expect(validateReport(json), JSON.stringify(validateReport.errors)).toBe(true);
    expect(json.snapshots[0]!.system).toBe('pipeline');
    const run = json.snapshots[0]!.probes.find((p) => p.id === 'ci')!;
    expect(run).toMatchObject({ status: 'ok', errors: [], facts: { pipelines: 1, records: 120 } });

    const metric = (name: string) => json.metrics.find((m) => m.name === name && m.labels.pipeline === 'build')?.value;
    expect(metric('ci.runs')).toBe(40);
    expect(metric('ci.failure_rate')).toBe(0);
    expect(metric('ci.duration_p50_seconds')).toBe(760);
    expect(metric('ci.duration_p95_seconds')).toBe(1560);
    expect(metric('ci.queue_p95_seconds')).toBe(400);

    const byRule = Object.fromEntries(json.findings.filter((f) => f.rule.startsWith('ci/')).map((f) => [f.rule, f]));
    expect(Object.keys(byRule).sort()).toEqual(['ci/duration-regression', 'ci/queue-time', 'ci/slow-step']);
    expect(byRule['ci/slow-step']).toMatchObject({ severity: 'low', data: { pipeline: 'build', job: 'test', step: 'Run tests', samples: 40 } });
    // 760 s → 1560 s: more than doubled.
    expect(byRule['ci/duration-regression']).toMatchObject({ severity: 'high', data: { pipeline: 'build', baselineMedianSeconds: 760, recentMedianSeconds: 1560 } });
    expect(byRule['ci/queue-time']).toMatchObject({ severity: 'medium', data: { pipeline: 'build', p95Seconds: 400 } });
  });

  it('skips the ci probe, with the reason, when nothing was recorded', async () => {
    const { result, json } = await runJson<Report & { snapshots: Array<{ probes: Array<{ reason?: string }> }> }>(['observe', '.', '--probe', 'ci', '--format', 'json'], { cwd: repo.dir });
    ok(result);
    expect(json.snapshots[0]!.probes.find((p) => p.id === 'ci')?.status).toBe('skipped');
    expect(json.findings.filter((f) => f.rule.startsWith('ci/'))).toEqual([]);
  });
});

describe('prodeng ingest github-actions', () => {
  const TOKEN = 'ghp_e2eS3cretTokenValue0123456789abcdefXY';
  const REPO = '/repos/octo-org/octo-repo';
  // `--since 2024-04-01` is asked for as midnight UTC of that day.
  const CREATED = encodeURIComponent('>=2024-04-01T00:00:00Z');
  const RUNS_1 = `${REPO}/actions/runs?per_page=100&created=${CREATED}&page=1`;
  const RUNS_2 = `/repositories/1296269/actions/runs?per_page=100&created=${CREATED}&page=2`;
  const jobsPath = (id: number) => `${REPO}/actions/runs/${id}/jobs?filter=all&per_page=100&page=1`;
  let server: TestServer;
  let work: { dir: string; remove(): void };

  beforeEach(async () => {
    server = await startServer();
    work = tempDir();
  });
  afterEach(async () => {
    await server.close();
    work.remove();
  });

  const fixture = (name: string): unknown => JSON.parse(readFileSync(join(GITHUB, name), 'utf8').replaceAll('{{base}}', server.base));
  const limits = (remaining: number) => ({ 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600) });

  function serveRepository(): void {
    server.route(RUNS_1, { body: fixture('runs-page-1.json'), headers: { ...limits(4990), link: `<${server.base}${RUNS_2}>; rel="next", <${server.base}${RUNS_2}>; rel="last"` } });
    server.route(RUNS_2, { body: fixture('runs-page-2.json'), headers: { ...limits(4989), link: `<${server.base}${RUNS_1}>; rel="first", <${server.base}${RUNS_1}>; rel="prev"` } });
    server.route(jobsPath(30433642), { body: fixture('jobs-30433642.json'), headers: limits(4988) });
    server.route(jobsPath(30433641), { body: fixture('jobs-30433641.json'), headers: limits(4987) });
  }

  const ingest = (...extra: string[]) =>
    runCli(['ingest', 'github-actions', '--repo', 'octo-org/octo-repo', '--since', '2024-04-01', '--api-url', server.base, '--token-env', 'E2E_GH_TOKEN', ...extra], {
      cwd: work.dir,
      env: { E2E_GH_TOKEN: TOKEN, GITHUB_TOKEN: '' },
    });

  /** Every byte of the database directory (the SQLite file and any journal next to it). */
  const databaseBytes = () => {
    const dir = join(work.dir, '.prodeng');
    return Buffer.concat(readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => readFileSync(join(e.parentPath, e.name))));
  };
  const expectNoToken = (result: CliResult) => {
    expect(result.stdout).not.toContain(TOKEN);
    expect(result.stderr).not.toContain(TOKEN);
    expect(result.stdout + result.stderr).not.toContain('S3cret');
    const bytes = databaseBytes();
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.includes(Buffer.from(TOKEN))).toBe(false);
    expect(bytes.includes(Buffer.from('S3cret'))).toBe(false);
  };

  it('reads the runs page by page with the token from --token-env, records them, never the token', async () => {
    serveRepository();
    const result = await ingest();
    ok(result);
    expect(result.stdout).toBe('octo-repo: octo-org/octo-repo: 3 runs, 4 jobs in 4 requests → 20 records new, 0 updated, 0 unchanged\n');
    expect(result.stderr).toBe('');
    expect(server.requests.map((r) => r.url)).toEqual([RUNS_1, jobsPath(30433642), jobsPath(30433641), RUNS_2]);
    for (const request of server.requests) expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expectNoToken(result);

    const records = await withStore(work.dir, (store) => store.ciRecords('octo-repo'));
    expect(records).toHaveLength(20);
    expect(new Set(records.map((r) => r.pipeline))).toEqual(new Set(['.github/workflows/build.yml', '.github/workflows/docs.yml']));
    expect(records.find((r) => r.run === '30433642' && r.job === null)).toMatchObject({ attempt: 2, status: 'success', finishedAt: '2024-05-01T10:45:00.000Z' });

    // Again: the same records, unchanged.
    const again = await ingest();
    ok(again);
    expect(again.stdout).toContain('→ 0 records new, 0 updated, 20 unchanged');
  });

  it('feeds the ci probe of the system named after the repository', async () => {
    serveRepository();
    ok(await ingest());
    // The recorded runs are from 2024: widen the probe's window to see them.
    writeFileSync(join(work.dir, 'prodeng.yml'), 'systems:\n  - name: octo-repo\n    repo: .\nprobes:\n  ci:\n    days: 100000\n');
    const { result, json } = await runJson<Report>(['observe', '--probe', 'ci', '--format', 'json'], { cwd: work.dir });
    ok(result);
    expect(json.snapshots[0]!.probes.find((p) => p.id === 'ci')).toMatchObject({ status: 'ok', facts: { pipelines: 2, records: 20 } });
    const runs = json.metrics.filter((m) => m.name === 'ci.runs').map((m) => [m.labels.pipeline, m.value]);
    // Each attempt is an execution: 30433642 (failed, then re-run successfully) and 30433641 (failed).
    expect(runs).toEqual([
      ['.github/workflows/build.yml', 3],
      ['.github/workflows/docs.yml', 1],
    ]);
    expect(json.metrics.find((m) => m.name === 'ci.failure_rate' && m.labels.pipeline === '.github/workflows/build.yml')?.value).toBe(0.6667);
  });

  it('waits out a secondary rate limit and goes on', async () => {
    serveRepository();
    server.route(jobsPath(30433641), { status: 429, headers: { 'retry-after': '0' }, body: { message: 'You have exceeded a secondary rate limit.' } }, { body: fixture('jobs-30433641.json') });
    const result = await ingest();
    ok(result);
    expect(server.hits(jobsPath(30433641))).toBe(2);
    expect(result.stdout).toContain('3 runs, 4 jobs in 5 requests → 20 records new');
  });

  it('keeps what was read before a server error midway and exits 5; the next ingest completes it', async () => {
    serveRepository();
    server.route(jobsPath(30433641), { status: 500, body: `internal error; your header was Bearer ${TOKEN}` });
    const failed = await ingest();
    expect(failed.code).toBe(5);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toContain(`prodeng: GitHub Actions ingest of octo-org/octo-repo stopped: ${server.host}`);
    expect(failed.stderr).toContain('The 15 records read before it were recorded; run the ingest again to complete them.');
    expectNoToken(failed);
    expect(await withStore(work.dir, (store) => store.ciRecordCount('octo-repo'))).toBe(15);

    serveRepository();
    const completed = await ingest();
    ok(completed);
    expect(completed.stdout).toContain('→ 5 records new, 0 updated, 15 unchanged');
    expect(await withStore(work.dir, (store) => store.ciRecordCount('octo-repo'))).toBe(20);
  });

  it('stops with exit 5 on a rate limit too far away, and on a refused token, never printing it', async () => {
    serveRepository();
    server.route(RUNS_2, { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 7200) }, body: { message: 'API rate limit exceeded' } });
    const limited = await ingest();
    expect(limited.code).toBe(5);
    expect(limited.stderr).toContain('primary rate limit exhausted until');
    // The first page's two runs (19 records) were read; the queued run of page 2 was not.
    expect(limited.stderr).toContain('The 19 records read before it were recorded');
    expectNoToken(limited);

    server.route(RUNS_1, { status: 401, body: { message: 'Bad credentials' } });
    const refused = await ingest();
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain('the token was refused (bad or expired) (token from E2E_GH_TOKEN)');
    expect(refused.stderr).toContain('Nothing was recorded.');
    expectNoToken(refused);
  });

  it('stops on Ctrl-C while a request is pending, records nothing and exits 130', async () => {
    serveRepository();
    server.route(RUNS_2, { delayMs: 60_000, body: fixture('runs-page-2.json') });
    const result = await runCli(['ingest', 'github-actions', '--repo', 'octo-org/octo-repo', '--since', '2024-04-01', '--api-url', server.base, '--token-env', 'E2E_GH_TOKEN'], {
      cwd: work.dir,
      env: { E2E_GH_TOKEN: TOKEN },
      // Interrupt once the last page has been asked for (the first two runs are read by then).
      onSpawn: (child) => {
        const poll = setInterval(() => {
          if (server.hits(RUNS_2) === 0) return;
          clearInterval(poll);
          child.kill('SIGINT');
        }, 20);
        child.on('close', () => clearInterval(poll));
      },
    });
    expect(result.code).toBe(130);
    expect(result.stderr).toBe('prodeng: interrupted; nothing of this ingest was recorded\n');
    expect(await withStore(work.dir, (store) => store.listSystems())).toEqual([]);
  });

  it('goes anonymous without a token, says so, and does not blame a token it did not send', async () => {
    const result = await runCli(['ingest', 'github-actions', '--repo', 'octo-org/octo-repo', '--api-url', server.base], { cwd: work.dir, env: { GITHUB_TOKEN: '' } });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('prodeng: no token in GITHUB_TOKEN: anonymous requests are limited to 60 an hour');
    expect(result.stderr).toContain(`${server.host}: HTTP 404 for /repos/octo-org/octo-repo/actions/runs: no repository octo-org/octo-repo there`);
    expect(result.stderr).not.toContain('token from');
    expect(result.stderr).toContain('Nothing was recorded.');
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('refuses an unset --token-env variable and a bad --repo before any request', async () => {
    const unset = await runCli(['ingest', 'github-actions', '--repo', 'octo-org/octo-repo', '--api-url', server.base, '--token-env', 'E2E_UNSET_TOKEN'], { cwd: work.dir, env: { E2E_UNSET_TOKEN: '' } });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('--token-env E2E_UNSET_TOKEN: the variable is not set (or empty)');
    const badRepo = await runCli(['ingest', 'github-actions', '--repo', 'octo-org', '--api-url', server.base], { cwd: work.dir });
    expect(badRepo.code).toBe(2);
    const badSince = await runCli(['ingest', 'github-actions', '--repo', 'octo-org/octo-repo', '--since', '2024-02-30', '--api-url', server.base], { cwd: work.dir });
    expect(badSince.code).toBe(2);
    expect(badSince.stderr).toContain('--since must be an ISO-8601 date');
    expect(server.requests).toEqual([]);
  });
});
