import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding, ProbeResult } from '../../core/model.js';
import type { ProbeContext, SystemHistory } from '../../core/probe.js';
import { openStore } from '../../store/open.js';
import type { Store, TestResultInput, TestStatus } from '../../store/store.js';
import { testsConfigSchema } from '../../testresults/settings.js';
import { testsProbe, type TestsFacts } from './index.js';

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prodeng-tests-probe-'));
  store = await openStore(join(dir, 'prodeng.db'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function history(system: string): SystemHistory {
  return {
    recordTestRun: (input) => store.recordTestRun({ ...input, system }),
    testHistory: (options) => store.testHistory(system, options),
    ciRecords: (options) => store.ciRecords(system, options),
  };
}

function context(repo: string | undefined): ProbeContext {
  return {
    system: { name: 'app', sources: repo === undefined ? {} : { repo } },
    signal: new AbortController().signal,
    now: new Date('2026-06-01T00:00:00Z'),
    offline: true,
    cacheDir: join(dir, 'cache'),
    progress: () => undefined,
    history: history('app'),
  };
}

async function run(options: Record<string, unknown> = {}, repo: string | undefined = undefined): Promise<ProbeResult> {
  return testsProbe.run(context(repo), testsConfigSchema.parse(options));
}

function ok(result: ProbeResult): Extract<ProbeResult, { findings: Finding[] }> & { facts: TestsFacts } {
  if (result.status === 'failed' || result.status === 'skipped') throw new Error(JSON.stringify(result));
  return result as never;
}

function result(name: string, status: TestStatus, durationSeconds = 0.01): TestResultInput {
  return { key: `Suite::${name}`, suite: 'Suite', classname: 'Suite', name, file: 'test/suite.test.ts', status, durationSeconds, message: status === 'failed' ? `${name} failed` : null };
}

/** Thirty runs on main, one commit each; `flaky` passes and fails on commit 7, `broken` always fails. */
async function seedHistory(): Promise<void> {
  for (let i = 0; i < 30; i++) {
    const results = [
      result('stable', 'passed'),
      result('broken', 'failed'),
      result('slow', 'passed', i < 20 ? 12 : 30),
      result('retried', i === 25 ? 'flaky' : 'passed'),
      ...Array.from({ length: 10 }, (_, k) => result(`filler-${k}`, 'passed')),
    ];
    await store.recordTestRun({ system: 'app', runId: String(100 + i), commit: `c${i}`, branch: 'main', at: new Date(Date.UTC(2026, 4, 1 + i)).toISOString(), source: 'junit', results });
  }
  // A second attempt on commit c7 where "flaky" failed: same commit, both outcomes.
  await store.recordTestRun({
    system: 'app',
    runId: '107',
    attempt: 2,
    commit: 'c7',
    branch: 'main',
    at: new Date(Date.UTC(2026, 4, 8, 1)).toISOString(),
    source: 'junit',
    results: [result('stable', 'passed'), result('flaky', 'failed'), result('broken', 'failed')],
  });
  await store.recordTestRun({ system: 'app', runId: '107', commit: 'c7', branch: 'main', at: new Date(Date.UTC(2026, 4, 8)).toISOString(), source: 'junit', results: [result('flaky', 'passed')] });
}

describe('tests probe', () => {
  it('is skipped, with the reason, when the system has no test runs', async () => {
    const outcome = await run();
    expect(outcome.status).toBe('skipped');
    expect(outcome.status === 'skipped' && outcome.reason).toContain('prodeng ingest junit');
  });

  it('fails when the configured JUnit files are not there and nothing was recorded before', async () => {
    const outcome = await run({ junit: ['build/**/*.xml'] }, dir);
    expect(outcome.status).toBe('failed');
    expect(outcome.status === 'failed' && outcome.errors[0]).toMatchObject({ code: 'junit-no-files' });
  });

  it('reports flaky, broken and slow tests with the documented metrics', async () => {
    await seedHistory();
    const outcome = ok(await run());
    const byRule = (rule: string) => outcome.findings.filter((f) => f.rule === rule).map((f) => (f.data as { name: string }).name).sort();
    expect(byRule('tests/flaky')).toEqual(['flaky', 'retried']);
    expect(byRule('tests/broken')).toEqual(['broken']);
    expect(byRule('tests/slow')).toEqual(['slow']);
    const slow = outcome.findings.find((f) => f.rule === 'tests/slow')!;
    expect(slow.severity).toBe('medium'); // 12 s → 30 s is +150%
    expect(slow.title).toContain('got slower');
    expect(slow.location).toEqual({ path: 'test/suite.test.ts' });
    const flaky = outcome.findings.find((f) => (f.data as { name: string }).name === 'flaky')!;
    expect(flaky.message).toContain('same commit (c7)');
    const metrics = Object.fromEntries(outcome.metrics.map((m) => [m.name, m.value]));
    expect(metrics['tests.total']).toBe(15);
    expect(metrics['tests.flaky']).toBe(2);
    expect(metrics['tests.broken']).toBe(1);
    expect(metrics['tests.flaky_rate']).toBeCloseTo(2 / 15);
    expect(metrics['tests.duration_seconds']).toBeCloseTo(30 + 13 * 0.01);
    // Fingerprints are per test and rule, so the next observation matches them.
    const again = ok(await run());
    expect(again.findings.map((f) => f.fingerprint).sort()).toEqual(outcome.findings.map((f) => f.fingerprint).sort());
  });

  it('records the configured JUnit files once per set of results, and reports a corrupt file', async () => {
    const reports = join(dir, 'build', 'test-results');
    mkdirSync(reports, { recursive: true });
    const xml = (status: 'pass' | 'fail') =>
      `<?xml version="1.0"?><testsuite name="calc" tests="2"><testcase classname="Calc" name="adds" time="0.5"/>` +
      `<testcase classname="Calc" name="divides" time="1.5">${status === 'fail' ? '<failure message="boom"/>' : ''}</testcase></testsuite>`;
    writeFileSync(join(reports, 'TEST-calc.xml'), xml('pass'));
    writeFileSync(join(reports, 'TEST-broken.xml'), '<testsuite><testcase name="x"');
    const first = await run({ junit: ['build/test-results/*.xml'] }, dir);
    expect(first.status).toBe('partial');
    if (first.status !== 'partial') return;
    expect(first.errors).toEqual([expect.objectContaining({ code: 'junit-parse', path: 'build/test-results/TEST-broken.xml' })]);
    expect((first.facts as TestsFacts).recorded).toMatchObject({ files: 1, tests: 2, replaced: false });

    await run({ junit: ['build/test-results/*.xml'] }, dir);
    expect((await store.listTestRuns('app')).length).toBe(1); // same files: same run

    rmSync(join(reports, 'TEST-broken.xml'));
    writeFileSync(join(reports, 'TEST-calc.xml'), xml('fail'));
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(reports, 'TEST-calc.xml'), later, later);
    const third = ok(await run({ junit: ['build/test-results/*.xml'] }, dir));
    const runs = await store.listTestRuns('app');
    expect(runs.length).toBe(2);
    expect(runs[0]!.failed).toBe(1);
    expect(runs[0]!.at).toBe(later.toISOString());
    expect(third.metrics.find((m) => m.name === 'tests.total')?.value).toBe(2);
  });
  it('reports every corrupt file and analyses the earlier history when no configured file can be read', async () => {
    const reports = join(dir, 'build', 'test-results');
    mkdirSync(reports, { recursive: true });
    writeFileSync(join(reports, 'TEST-calc.xml'), '<testsuite name="calc"><testcase classname="Calc" name="adds" time="0.5"><failure/></testcase></testsuite>');
    ok(await run({ junit: ['build/test-results/*.xml'] }, dir));

    writeFileSync(join(reports, 'TEST-calc.xml'), '<testsuite><testcase name="x"');
    writeFileSync(join(reports, 'TEST-other.xml'), 'not xml');
    const outcome = await run({ junit: ['build/test-results/*.xml'] }, dir);
    expect(outcome.status).toBe('partial');
    if (outcome.status !== 'partial') return;
    expect(outcome.errors.map((e) => [e.code, e.path])).toEqual([
      ['junit-parse', 'build/test-results/TEST-calc.xml'],
      ['junit-parse', 'build/test-results/TEST-other.xml'],
    ]);
    expect((outcome.facts as TestsFacts).recorded).toBeUndefined();
    expect(outcome.findings.map((f) => f.rule)).toEqual(['tests/broken']);
    expect((await store.listTestRuns('app')).length).toBe(1);
  });

  it('fails with the parse errors when no configured file can be read and nothing was recorded before', async () => {
    mkdirSync(join(dir, 'build'), { recursive: true });
    writeFileSync(join(dir, 'build', 'TEST-x.xml'), '<testsuite><testcase name="x"');
    const outcome = await run({ junit: ['build/*.xml'] }, dir);
    expect(outcome.status).toBe('failed');
    expect(outcome.status === 'failed' && outcome.errors).toEqual([expect.objectContaining({ code: 'junit-parse', path: 'build/TEST-x.xml' })]);
  });
});
