import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { analyzeTests, quarantineList } from './flaky.js';
import { junitResults, toTestResult } from './ingest.js';
import type { JUnitError } from './junit/parse.js';

const FIXTURES = join(import.meta.dirname, 'junit', 'fixtures');

describe('junitResults', () => {
  let dir: string;
  let store: Store;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'prodeng-junit-'));
    store = await openStore(join(dir, 'prodeng.db'));
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function place(name: string, as = name): string {
    const path = join(dir, as);
    copyFileSync(join(FIXTURES, name), path);
    return path;
  }

  it('normalises identities into the store input', () => {
    expect(
      toTestResult({ suite: 'Calc', classname: 'Calc adds', name: 'Calc adds', file: null, line: null, status: 'flaky', durationSeconds: 1, message: 'm', retries: 2 }),
    ).toStrictEqual({ key: 'Calc::adds', suite: 'Calc', classname: 'Calc', name: 'adds', file: null, status: 'flaky', durationSeconds: 1, message: 'm', retries: 2 });
  });

  it('reads every file, reports the bad ones and leaves their results out', async () => {
    const surefire = place('surefire-TEST-com.example.CalculatorTest.xml.fixture', 'surefire.xml');
    const jest = place('jest-junit.xml.fixture', 'jest.xml');
    const truncated = place('malformed/truncated.xml.fixture', 'truncated.xml');
    const errors: JUnitError[] = [];
    const files: [string, number][] = [];
    const keys: string[] = [];
    for await (const result of junitResults([surefire, truncated, join(dir, 'missing.xml'), jest], {
      onError: (error) => errors.push(error),
      onFile: (path, n) => files.push([path, n]),
    })) {
      keys.push(result.key);
    }
    expect(errors.map((e) => [e.path, e.line])).toStrictEqual([
      [truncated, 4],
      [join(dir, 'missing.xml'), 0],
    ]);
    expect(files).toStrictEqual([
      [surefire, 6],
      [jest, 6],
    ]);
    expect(keys).toHaveLength(12);
    expect(keys).toContain('Calculator::division divides by zero');

    const streamed: string[] = [];
    for await (const result of junitResults([truncated], { atomicFiles: false })) streamed.push(result.name);
    expect(streamed).toStrictEqual(['b']);
  });

  it('from files to the store to the analysis', async () => {
    const passing = place('surefire-TEST-com.example.CalculatorTest.xml.fixture', 'TEST-calc.xml');
    const failingOnce = join(dir, 'TEST-calc-2.xml');
    // The same suite where addsTwoNumbers failed: on the same commit as a passing attempt.
    writeFileSync(failingOnce, '<testsuite name="com.example.CalculatorTest"><testcase classname="com.example.CalculatorTest" name="addsTwoNumbers" time="0.5"><failure message="boom"/></testcase></testsuite>');
    for (let run = 0; run < 12; run++) {
      const files = run === 5 ? [failingOnce] : [passing];
      const recorded = await store.recordTestRun({
        system: 'calc',
        runId: `build-${run}`,
        attempt: 1,
        commit: run === 5 ? 'c4' : `c${run}`,
        branch: 'main',
        at: new Date(Date.UTC(2024, 2, 1, run)).toISOString(),
        source: 'junit',
        results: junitResults(files),
      });
      expect(recorded.inserted).toBe(run === 5 ? 1 : 6);
    }
    // Ingesting a run again changes nothing.
    const again = await store.recordTestRun({ system: 'calc', runId: 'build-3', commit: 'c3', branch: 'main', at: new Date(Date.UTC(2024, 2, 1, 3)).toISOString(), source: 'junit', results: junitResults([passing]) });
    expect(again).toMatchObject({ tests: 6, inserted: 6, replaced: true });

    const analysis = analyzeTests(await store.testHistory('calc'));
    const byId = Object.fromEntries(analysis.tests.map((t) => [t.id, t]));
    expect(byId['com.example.CalculatorTest::addsTwoNumbers']).toMatchObject({ status: 'flaky', reasons: ['same-commit'], failures: 1, runs: 12 });
    expect(byId['com.example.CalculatorTest::subtractsWithRounding']).toMatchObject({ status: 'flaky', reasons: ['retry'] });
    expect(byId['com.example.CalculatorTest::multipliesLargeNumbers']).toMatchObject({ status: 'broken' });
    expect(byId['com.example.CalculatorTest::parsesRomanNumerals']).toMatchObject({ status: 'healthy', runs: 0 });
    expect(quarantineList(analysis).map((q) => q.id).sort()).toStrictEqual([
      'com.example.CalculatorTest::addsTwoNumbers',
      'com.example.CalculatorTest::connectsToCache',
      'com.example.CalculatorTest::subtractsWithRounding',
    ]);
  });
});
