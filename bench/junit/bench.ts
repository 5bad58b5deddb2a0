/**
 * JUnit ingestion and flaky-test analysis at scale.
 *
 *   npx tsc -p tsconfig.build.json && node bench/junit/bench.ts [--runs 100] [--files 100] [--tests 100]
 *                                                               [--postgres postgres://…/emptydb] [--regenerate]
 *
 * Generates (once, in bench/.work/junit/reports) `runs × files` JUnit files of `tests` test cases
 * each — by default 100 runs × 100 files × 100 tests = 10,000 files, 1,000,000 test cases — in a
 * mix of the variants the parser knows (Surefire with flaky reruns, Ant, pytest xunit1/xunit2,
 * jest-junit, mocha, go-junit-report, gotestsum, PHPUnit, Gradle), with injected flaky tests (15%
 * failure rate), broken tests, always-skipped tests, a regression fixed after four runs, one
 * infrastructure failure (90% of tests failing), CI retries on the same commit and a duration
 * regression. Then, each phase in a fresh child process so that its peak memory is its own:
 *
 * 1. parse only: every file through `parseJUnit` (parser throughput);
 * 2. ingest: every run through `junitResults` into `recordTestRun` on a new SQLite store (and on
 *    PostgreSQL with --postgres; the database should be empty); then again with a forced GC after
 *    each run, to show the live heap stays flat;
 * 3. analyse: `testHistory` over all runs, then `analyzeTests`, `slowestTests` and
 *    `durationRegressions`, checked against what was injected (precision and recall by test id,
 *    which also checks the identity rules end to end).
 *
 * Targets: ingest under a minute with bounded memory; analysis under 5 seconds.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(import.meta.dirname, '..', '..');
const WORK = join(ROOT, 'bench', '.work', 'junit');
const REPORTS = join(WORK, 'reports');
const DIST = join(ROOT, 'dist');

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '100' },
    files: { type: 'string', default: '100' },
    tests: { type: 'string', default: '100' },
    postgres: { type: 'string' },
    regenerate: { type: 'boolean', default: false },
    phase: { type: 'string' },
  },
});
const RUNS = Number(values.runs);
const FILES = Number(values.files);
const TESTS = Number(values.tests);
const INFRA_RUN = Math.min(37, RUNS - 1);
const SLOW_FROM = Math.floor(RUNS * 0.8);

type Ingest = typeof import('../../src/testresults/ingest.ts');
type Parse = typeof import('../../src/testresults/junit/parse.ts');
type Flaky = typeof import('../../src/testresults/flaky.ts');
type Slow = typeof import('../../src/testresults/slow.ts');
type Open = typeof import('../../src/store/open.ts');

async function load<T>(...path: string[]): Promise<T> {
  const file = join(DIST, ...path);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npx tsc -p tsconfig.build.json\` first`);
  return (await import(pathToFileURL(file).href)) as T;
}

// ---------------------------------------------------------------------------------------------
// Generation

/** A deterministic hash of a few integers to [0, 1). */
function random(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const value of values) {
    h = Math.imul(h ^ (value & 0xffff), 0x01000193);
    h = Math.imul(h ^ (value >>> 16), 0x01000193);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

type Status = 'passed' | 'failed' | 'skipped' | 'flaky';

/** Which tests are what (by global index `file * TESTS + k`). */
const isBroken = (index: number) => index % 331 === 7;
const isFlaky = (index: number) => index % 97 === 13 && !isBroken(index);
const isSkipped = (index: number) => index % 53 === 0 && !isBroken(index) && !isFlaky(index);
/** A regression in file 50 during four runs (new commits, no CI retry among them), then fixed: not flaky. */
const isRegressed = (file: number, run: number) => file === 50 % FILES && run >= 61 && run < 65;

interface RunInfo {
  runId: string;
  attempt: number;
  commit: string;
  branch: string;
}

/** Every tenth run re-runs the previous one (attempt 2, same commit); a few run on a branch. */
function runInfo(run: number): RunInfo {
  if (run % 10 === 0 && run > 0) {
    const previous = runInfo(run - 1);
    return { ...previous, attempt: previous.attempt + 1 };
  }
  return { runId: `build-${1000 + run}`, attempt: 1, commit: `c${run.toString(16).padStart(8, '0')}`, branch: run % 9 === 4 ? 'feature/login' : 'main' };
}

function statusOf(file: number, k: number, run: number, surefire: boolean): Status {
  const index = file * TESTS + k;
  if (isSkipped(index)) return 'skipped';
  if (isBroken(index)) return 'failed';
  if (run === INFRA_RUN && random(index, run, 7) < 0.9) return 'failed';
  if (isRegressed(file, run)) return 'failed';
  if (isFlaky(index)) {
    const roll = random(index, run, 1);
    if (surefire && roll < 0.1) return 'flaky';
    if (roll < 0.15) return 'failed';
  }
  return 'passed';
}

function durationOf(file: number, k: number, run: number): number {
  const base = 0.001 + random(file, k) ** 4 * 3;
  const jitter = 0.8 + 0.4 * random(file, k, run);
  const slower = file === 3 && run >= SLOW_FROM ? 3 : 1;
  return Math.round(base * jitter * slower * 1e6) / 1e6;
}

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function trace(frame: string): string {
  return Array.from({ length: 6 }, (_, i) => `\tat ${frame}.method${i}(Source${i}.java:${10 + i})`).join('\n');
}

interface Case {
  k: number;
  status: Status;
  time: number;
}

type Writer = (file: number, cases: Case[], run: number) => string;

const failureText = (file: number, k: number) => `expected ${k} but was ${k + file}`;

const javaCases = (file: number, cases: Case[], flavour: 'surefire' | 'gradle' | 'ant'): string =>
  cases
    .map(({ k, status, time }) => {
      const name = flavour === 'gradle' ? `handlesCase${k}()` : `testCase${k}`;
      const open = `  <testcase name="${name}" classname="com.acme.mod${file}.Feature${file}Test" time="${time >= 1000 ? time.toLocaleString('en-US') : time}"`;
      if (status === 'passed') return `${open}/>`;
      if (status === 'skipped') return `${open}>\n    <skipped message="disabled on CI"/>\n  </testcase>`;
      const message = esc(`org.opentest4j.AssertionFailedError: ${failureText(file, k)}`);
      if (status === 'flaky') {
        return `${open}>\n    <flakyFailure message="${message}" type="org.opentest4j.AssertionFailedError">\n      <stackTrace><![CDATA[${trace(`com.acme.mod${file}.Feature${file}Test`)}]]></stackTrace>\n    </flakyFailure>\n  </testcase>`;
      }
      return `${open}>\n    <failure message="${message}" type="org.opentest4j.AssertionFailedError"><![CDATA[${trace(`com.acme.mod${file}.Feature${file}Test`)}]]></failure>\n  </testcase>`;
    })
    .join('\n');

const WRITERS: Record<string, Writer> = {
  surefire: (file, cases) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="3.0" name="com.acme.mod${file}.Feature${file}Test" time="${cases.reduce((s, c) => s + c.time, 0).toFixed(3)}" tests="${cases.length}">\n  <properties>\n    <property name="java.version" value="17.0.10"/>\n    <property name="surefire.rerunFailingTestsCount" value="2"/>\n  </properties>\n${javaCases(file, cases, 'surefire')}\n</testsuite>\n`,
  gradle: (file, cases, run) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="com.acme.mod${file}.Feature${file}Test" tests="${cases.length}" skipped="0" failures="0" errors="0" timestamp="2024-03-01T00:00:00" hostname="gradle-${run % 4}" time="1.0">\n  <properties/>\n${javaCases(file, cases, 'gradle')}\n  <system-out><![CDATA[${'INFO started worker\n'.repeat(20)}]]></system-out>\n  <system-err><![CDATA[]]></system-err>\n</testsuite>\n`,
  ant: (file, cases, run) =>
    `<?xml version="1.0" encoding="UTF-8" ?>\n<testsuites>\n<testsuite errors="0" failures="0" hostname="jenkins-${run % 3}" id="0" name="Feature${file}Test" package="com.acme.mod${file}" skipped="0" tests="${cases.length}" time="1.0" timestamp="2024-03-01T00:00:00">\n<properties />\n${javaCases(file, cases, 'ant')}\n<system-out><![CDATA[]]></system-out>\n<system-err><![CDATA[]]></system-err>\n</testsuite>\n</testsuites>\n`,
  pytest1: (file, cases) =>
    `<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="0" failures="0" skipped="0" tests="${cases.length}" time="1.0" timestamp="2024-03-01T00:00:00.000000" hostname="runner">${cases
      .map(({ k, status, time }) => {
        const open = `<testcase classname="tests.mod${file}.test_feature.TestFeature${file}" name="test_case_${k}[param-${k % 3}]" file="tests/mod${file}/test_feature.py" line="${10 + k}" time="${time}"`;
        if (status === 'passed') return `${open} />`;
        if (status === 'skipped') return `${open}><skipped type="pytest.skip" message="needs network">tests/mod${file}/test_feature.py:${10 + k}: needs network</skipped></testcase>`;
        return `${open}><failure message="AssertionError: ${esc(failureText(file, k))}">def test_case_${k}():\n&gt;       assert compute(${k}) == ${k}\nE       AssertionError: ${esc(failureText(file, k))}\n\ntests/mod${file}/test_feature.py:${11 + k}: AssertionError</failure></testcase>`;
      })
      .join('')}</testsuite></testsuites>`,
  pytest2: (file, cases) =>
    `<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="0" failures="0" skipped="0" tests="${cases.length}" time="1.0" timestamp="2024-03-01T00:00:00.000000+00:00" hostname="runner"><properties><property name="python" value="3.12" /></properties>${cases
      .map(({ k, status, time }) => {
        const open = `<testcase classname="tests.api${file}.test_endpoints.TestApi" name="test_endpoint_${k}" time="${time}"`;
        if (status === 'passed') return `${open} />`;
        if (status === 'skipped') return `${open}><skipped type="pytest.skip" message="Skipped: flaky upstream">x</skipped></testcase>`;
        return `${open}><failure message="assert 500 == 200">self = &lt;TestApi object at 0x7f00deadbeef&gt;\nE   assert 500 == 200</failure></testcase>`;
      })
      .join('')}</testsuite></testsuites>`,
  jest: (file, cases) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="jest tests" tests="${cases.length}" failures="0" errors="0" time="1.0">\n  <testsuite name="Feature ${file}" errors="0" failures="0" skipped="0" timestamp="2024-03-01T00:00:00" time="1.0" tests="${cases.length}">\n${cases
      .map(({ k, status, time }) => {
        const title = `Feature ${file} › does thing ${k}`;
        const open = `    <testcase classname="${title}" name="${title}" time="${time}">`;
        if (status === 'passed') return `${open}\n    </testcase>`;
        if (status === 'skipped') return `${open}\n      <skipped/>\n    </testcase>`;
        return `${open}\n      <failure>Error: expect(received).toBe(expected)\n\nExpected: ${k}\nReceived: ${k + file}\n    at Object.toBe (/builds/web/src/feature${file}.test.js:${k}:20)</failure>\n    </testcase>`;
      })
      .join('\n')}\n  </testsuite>\n</testsuites>\n`,
  mocha: (file, cases) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="Mocha Tests" time="1.0" tests="${cases.length}" failures="0">\n  <testsuite name="Root Suite" timestamp="2024-03-01T00:00:00" tests="0" file="/builds/api/test/f${file}.spec.js" time="0.0000" failures="0">\n  </testsuite>\n  <testsuite name="Module ${file}" timestamp="2024-03-01T00:00:00" tests="${cases.length}" file="/builds/api/test/f${file}.spec.js" time="1.0" failures="0">\n${cases
      .map(({ k, status, time }) => {
        const open = `    <testcase name="Module ${file} handles request ${k}" time="${time.toFixed(4)}" classname="handles request ${k}">`;
        if (status === 'passed') return `${open}\n    </testcase>`;
        if (status === 'skipped') return `${open}\n      <skipped/>\n    </testcase>`;
        return `${open}\n      <failure message="expected ${k} to equal ${k + 1}" type="AssertionError"><![CDATA[AssertionError: expected ${k} to equal ${k + 1}\n    at Context.<anonymous> (test/f${file}.spec.js:${k}:10)]]></failure>\n    </testcase>`;
      })
      .join('\n')}\n  </testsuite>\n</testsuites>\n`,
  go: (file, cases) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="${cases.length}">\n\t<testsuite name="github.com/acme/svc/pkg${file}" tests="${cases.length}" failures="0" errors="0" id="0" hostname="ci" time="1.000" timestamp="2024-03-01T00:00:00Z">\n\t\t<properties>\n\t\t\t<property name="go.version" value="go1.22.1 linux/amd64"></property>\n\t\t</properties>\n${cases
      .map(({ k, status, time }) => {
        const open = `\t\t<testcase name="TestThing${Math.floor(k / 4)}/case_${k % 4}" classname="github.com/acme/svc/pkg${file}" time="${time.toFixed(3)}">`;
        if (status === 'passed') return `${open}</testcase>`;
        if (status === 'skipped') return `${open}\n\t\t\t<skipped message="Skipped"><![CDATA[    thing_test.go:${k}: short mode]]></skipped>\n\t\t</testcase>`;
        return `${open}\n\t\t\t<failure message="Failed"><![CDATA[    thing_test.go:${k}: got ${k + file}, want ${k}]]></failure>\n\t\t</testcase>`;
      })
      .join('\n')}\n\t</testsuite>\n</testsuites>\n`,
  gotestsum: (file, cases) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="${cases.length}" failures="0" errors="0" time="1.000000">\n\t<testsuite tests="${cases.length}" failures="0" time="1.000000" name="github.com/acme/api/pkg${file}" timestamp="2024-03-01T00:00:00Z">\n\t\t<properties>\n\t\t\t<property name="go.version" value="go1.22.1 linux/amd64"></property>\n\t\t</properties>\n${cases
      .map(({ k, status, time }) => {
        const open = `\t\t<testcase classname="github.com/acme/api/pkg${file}" name="TestHandler${k}" time="${time.toFixed(6)}">`;
        if (status === 'passed') return `${open}</testcase>`;
        if (status === 'skipped') return `${open}\n\t\t\t<skipped message="=== RUN   TestHandler${k}&#xA;    handler_test.go:${k}: skip&#xA;"></skipped>\n\t\t</testcase>`;
        return `${open}\n\t\t\t<failure message="Failed" type="">=== RUN   TestHandler${k}&#xA;    handler_test.go:${k}: status 500&#xA;--- FAIL: TestHandler${k}&#xA;</failure>\n\t\t</testcase>`;
      })
      .join('\n')}\n\t</testsuite>\n</testsuites>\n`,
  phpunit: (file, cases) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n  <testsuite name="" tests="${cases.length}">\n    <testsuite name="App\\Tests\\Mod${file}\\FeatureTest" file="/app/tests/Mod${file}/FeatureTest.php" tests="${cases.length}">\n${cases
      .map(({ k, status, time }) => {
        const open = `      <testcase name="testThing${k} with data set #${k % 2}" file="/app/tests/Mod${file}/FeatureTest.php" line="${k + 10}" class="App\\Tests\\Mod${file}\\FeatureTest" classname="App.Tests.Mod${file}.FeatureTest" assertions="1" time="${time.toFixed(6)}"`;
        if (status === 'passed') return `${open}/>`;
        if (status === 'skipped') return `${open}>\n        <skipped/>\n      </testcase>`;
        return `${open}>\n        <failure type="PHPUnit\\Framework\\ExpectationFailedException">App\\Tests\\Mod${file}\\FeatureTest::testThing${k} with data set #${k % 2}\nFailed asserting that ${k + file} is identical to ${k}.\n\n/app/tests/Mod${file}/FeatureTest.php:${k + 12}</failure>\n      </testcase>`;
      })
      .join('\n')}\n    </testsuite>\n  </testsuite>\n</testsuites>\n`,
};
const VARIANTS = Object.keys(WRITERS);

/** The id the identity rules must give test `k` of file `file` (checks them end to end). */
function expectedId(file: number, k: number): string {
  switch (VARIANTS[file % VARIANTS.length]) {
    case 'surefire':
    case 'ant':
      return `com.acme.mod${file}.Feature${file}Test::testCase${k}`;
    case 'gradle':
      return `com.acme.mod${file}.Feature${file}Test::handlesCase${k}()`;
    case 'pytest1':
      return `tests.mod${file}.test_feature.TestFeature${file}::test_case_${k}[param-${k % 3}]`;
    case 'pytest2':
      return `tests.api${file}.test_endpoints.TestApi::test_endpoint_${k}`;
    case 'jest':
      return `Feature ${file}::does thing ${k}`;
    case 'mocha':
      return `Module ${file}::handles request ${k}`;
    case 'go':
      return `github.com/acme/svc/pkg${file}::TestThing${Math.floor(k / 4)}/case_${k % 4}`;
    case 'gotestsum':
      return `github.com/acme/api/pkg${file}::TestHandler${k}`;
    case 'phpunit':
      return `App.Tests.Mod${file}.FeatureTest::testThing${k} with data set #${k % 2}`;
    default:
      throw new Error(`no variant for file ${file}`);
  }
}

function runDir(run: number): string {
  return join(REPORTS, `run-${String(run).padStart(3, '0')}`);
}

function generate(): { files: number; cases: number; bytes: number } {
  const marker = join(REPORTS, `done-${RUNS}x${FILES}x${TESTS}`);
  if (!values.regenerate && existsSync(marker)) return JSON.parse(readFileSync(marker, 'utf8')) as { files: number; cases: number; bytes: number };
  rmSync(REPORTS, { recursive: true, force: true });
  let files = 0;
  let cases = 0;
  let bytes = 0;
  for (let run = 0; run < RUNS; run++) {
    mkdirSync(runDir(run), { recursive: true });
    for (let file = 0; file < FILES; file++) {
      const variant = VARIANTS[file % VARIANTS.length] ?? 'surefire';
      const list: Case[] = Array.from({ length: TESTS }, (_, k) => ({ k, status: statusOf(file, k, run, variant === 'surefire'), time: durationOf(file, k, run) }));
      const text = (WRITERS[variant] ?? WRITERS['surefire']!)(file, list, run);
      writeFileSync(join(runDir(run), `TEST-${variant}-${String(file).padStart(4, '0')}.xml`), text);
      files++;
      cases += list.length;
      bytes += Buffer.byteLength(text);
    }
  }
  const summary = { files, cases, bytes };
  writeFileSync(marker, JSON.stringify(summary));
  return summary;
}

function runFiles(run: number): string[] {
  const dir = runDir(run);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.xml'))
    .sort()
    .map((name) => join(dir, name));
}

// ---------------------------------------------------------------------------------------------
// Phases (each in its own process)

function peakMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function phaseParse(): Promise<object> {
  const { parseJUnit } = await load<Parse>('testresults', 'junit', 'parse.js');
  const { junitResults } = await load<Ingest>('testresults', 'ingest.js');
  const { createReadStream } = await import('node:fs');
  // The parser alone, streaming every file in 64 KiB chunks.
  let started = performance.now();
  let cases = 0;
  for (let run = 0; run < RUNS; run++) {
    for (const path of runFiles(run)) {
      for await (const _ of parseJUnit(createReadStream(path, { highWaterMark: 64 * 1024 }), { path })) cases++;
    }
  }
  const streamSeconds = (performance.now() - started) / 1000;
  // What ingestion does before the store: read ahead, parse, normalise identities.
  started = performance.now();
  let results = 0;
  for (let run = 0; run < RUNS; run++) for await (const _ of junitResults(runFiles(run))) results++;
  return { streamSeconds, cases, seconds: (performance.now() - started) / 1000, results, peakRssMb: peakMb() };
}

async function phaseIngest(url: string): Promise<object> {
  const { junitResults } = await load<Ingest>('testresults', 'ingest.js');
  const { openStore } = await load<Open>('store', 'open.js');
  const store = await openStore(url);
  const started = performance.now();
  let inserted = 0;
  let errors = 0;
  let slowestRun = 0;
  let liveHeap = 0;
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let run = 0; run < RUNS; run++) {
    const info = runInfo(run);
    const runStarted = performance.now();
    const recorded = await store.recordTestRun({
      system: 'bench',
      runId: info.runId,
      attempt: info.attempt,
      commit: info.commit,
      branch: info.branch,
      at: new Date(Date.UTC(2024, 0, 1) + run * 3_600_000).toISOString(),
      source: 'junit',
      results: junitResults(runFiles(run), { onError: () => errors++ }),
    });
    slowestRun = Math.max(slowestRun, performance.now() - runStarted);
    inserted += recorded.inserted;
    if (gc !== undefined) {
      gc();
      liveHeap = Math.max(liveHeap, process.memoryUsage().heapUsed);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  // Idempotence at scale: the last run again.
  const againStarted = performance.now();
  const last = runInfo(RUNS - 1);
  const again = await store.recordTestRun({
    system: 'bench',
    runId: last.runId,
    attempt: last.attempt,
    commit: last.commit,
    branch: last.branch,
    at: new Date(Date.UTC(2024, 0, 1) + (RUNS - 1) * 3_600_000).toISOString(),
    source: 'junit',
    results: junitResults(runFiles(RUNS - 1)),
  });
  const againSeconds = (performance.now() - againStarted) / 1000;
  await store.close();
  return {
    seconds,
    inserted,
    errors,
    slowestRunSeconds: slowestRun / 1000,
    reingestSeconds: againSeconds,
    reingestReplaced: again.replaced,
    peakRssMb: peakMb(),
    maxLiveHeapMb: gc === undefined ? null : Math.round(liveHeap / 2 ** 20),
  };
}

async function phaseAnalyse(url: string): Promise<object> {
  const { openStore } = await load<Open>('store', 'open.js');
  const { analyzeTests, excludedRunSet, quarantineList } = await load<Flaky>('testresults', 'flaky.js');
  const { slowestTests, durationRegressions } = await load<Slow>('testresults', 'slow.js');
  const store = await openStore(url);
  const loadStarted = performance.now();
  const history = await store.testHistory('bench');
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  await store.close();
  const analyseStarted = performance.now();
  const analysis = analyzeTests(history);
  const excluded = excludedRunSet(analysis);
  const slowest = slowestTests(history, { excludedRuns: excluded });
  const regressions = durationRegressions(history, { excludedRuns: excluded });
  const quarantine = quarantineList(analysis);
  const analyseSeconds = (performance.now() - analyseStarted) / 1000;

  // Against what was injected, by the ids the identity rules must produce.
  const flaky = new Set<string>();
  const broken = new Set<string>();
  const expectedIds = new Set<string>();
  const slowFile = new Set<string>();
  for (let file = 0; file < FILES; file++) {
    for (let k = 0; k < TESTS; k++) {
      const id = expectedId(file, k);
      expectedIds.add(id);
      if (isFlaky(file * TESTS + k)) flaky.add(id);
      if (isBroken(file * TESTS + k)) broken.add(id);
      if (file === 3) slowFile.add(id);
    }
  }
  const detected = (states: string[]) => new Set(analysis.tests.filter((t) => states.includes(t.state)).map((t) => t.id));
  const score = (found: Set<string>, truth: Set<string>) => {
    const hits = [...found].filter((id) => truth.has(id)).length;
    return { found: found.size, injected: truth.size, recall: truth.size === 0 ? 1 : hits / truth.size, precision: found.size === 0 ? 1 : hits / found.size };
  };
  const results = history.tests.reduce((sum, test) => sum + test.statuses.length, 0);
  const unexpectedIds = history.tests.filter((t) => !expectedIds.has(t.key)).map((t) => t.key);
  return {
    loadSeconds,
    analyseSeconds,
    runs: history.runs.length,
    tests: history.tests.length,
    results,
    excludedRuns: analysis.excludedRuns.map((run) => `${run.runId}#${run.attempt}`),
    counts: analysis.counts,
    unexpectedIds: unexpectedIds.slice(0, 5),
    flaky: score(detected(['flaky', 'recovered']), flaky),
    broken: score(detected(['broken']), broken),
    quarantined: quarantine.length,
    slowest: slowest.slice(0, 3).map((t) => `${t.id} ${t.meanSeconds?.toFixed(2)} s`),
    regressions: score(new Set(regressions.map((r) => r.id)), slowFile),
    peakRssMb: peakMb(),
  };
}

// ---------------------------------------------------------------------------------------------

function child(phase: string, extra: string[] = []): Record<string, unknown> {
  const args = [...extra, import.meta.filename, '--phase', phase, '--runs', String(RUNS), '--files', String(FILES), '--tests', String(TESTS)];
  if (values.postgres !== undefined) args.push('--postgres', values.postgres);
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`phase ${phase} failed (${result.status}):\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
}

if (values.phase !== undefined) {
  const sqlite = join(WORK, 'bench.db');
  const url = values.phase.endsWith('-pg') ? (values.postgres ?? '') : sqlite;
  let out: object;
  if (values.phase === 'parse') out = await phaseParse();
  else if (values.phase.startsWith('ingest')) {
    if (!values.phase.endsWith('-pg')) for (const suffix of ['', '-wal', '-shm']) rmSync(`${sqlite}${suffix}`, { force: true });
    out = await phaseIngest(url);
  } else out = await phaseAnalyse(url);
  process.stdout.write(`${JSON.stringify(out)}\n`);
} else {
  mkdirSync(WORK, { recursive: true });
  console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  const generationStarted = performance.now();
  const generated = generate();
  console.log(
    `Reports: ${generated.files.toLocaleString('en-US')} files, ${generated.cases.toLocaleString('en-US')} test cases, ${(generated.bytes / 2 ** 20).toFixed(0)} MiB ` +
      `(${RUNS} runs; ready in ${((performance.now() - generationStarted) / 1000).toFixed(1)} s)`,
  );
  const parse = child('parse');
  console.log(
    `parse only (parseJUnit, 64 KiB stream chunks): ${Number(parse['streamSeconds']).toFixed(1)} s, ${(generated.bytes / 2 ** 20 / Number(parse['streamSeconds'])).toFixed(0)} MiB/s; ` +
      `with read-ahead and identities (junitResults): ${Number(parse['seconds']).toFixed(1)} s; peak RSS ${String(parse['peakRssMb'])} MB`,
  );
  const ingest = child('ingest');
  const dbSize = statSync(join(WORK, 'bench.db')).size + (existsSync(join(WORK, 'bench.db-wal')) ? statSync(join(WORK, 'bench.db-wal')).size : 0);
  console.log(
    `ingest SQLite: ${Number(ingest['seconds']).toFixed(1)} s for ${Number(ingest['inserted']).toLocaleString('en-US')} results ` +
      `(${Math.round(Number(ingest['inserted']) / Number(ingest['seconds'])).toLocaleString('en-US')}/s; slowest run ${Number(ingest['slowestRunSeconds']).toFixed(2)} s), ` +
      `peak RSS ${String(ingest['peakRssMb'])} MB, database ${(dbSize / 2 ** 20).toFixed(0)} MiB; re-ingesting a run: ${Number(ingest['reingestSeconds']).toFixed(2)} s`,
  );
  const measured = child('ingest', ['--expose-gc']);
  console.log(`ingest SQLite again, forcing a GC after each run: live heap at most ${String(measured['maxLiveHeapMb'])} MB after any run (${Number(measured['seconds']).toFixed(1)} s)`);
  const analyse = child('analyse');
  console.log(`analyse: load history ${Number(analyse['loadSeconds']).toFixed(2)} s + analysis ${Number(analyse['analyseSeconds']).toFixed(2)} s, peak RSS ${String(analyse['peakRssMb'])} MB`);
  console.log(JSON.stringify(analyse, null, 2));
  if (values.postgres !== undefined) {
    const pg = child('ingest-pg');
    console.log(`ingest PostgreSQL: ${Number(pg['seconds']).toFixed(1)} s, peak RSS ${String(pg['peakRssMb'])} MB`);
    const pgAnalyse = child('analyse-pg');
    console.log(`analyse PostgreSQL: load ${Number(pgAnalyse['loadSeconds']).toFixed(2)} s + analysis ${Number(pgAnalyse['analyseSeconds']).toFixed(2)} s`);
  }
}
