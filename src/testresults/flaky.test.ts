import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeTests, excludedRunSet, inferDefaultBranch, infrastructureFailures, quarantineList, testsOutput, type FlakyOptions, type TestReport } from './flaky.js';
import { at, makeHistory, type RunSpec } from './test-support/history.js';

function report(results: string, options: FlakyOptions = {}, runs: RunSpec[] = []): TestReport {
  const perRun = results.includes('|') ? results.split(' ') : [...results];
  const analysis = analyzeTests(makeHistory(perRun.length, { t: results }, runs), options);
  const [test] = analysis.tests;
  if (test === undefined) throw new Error('no test');
  return test;
}

const P20 = 'P'.repeat(20);

describe('analyzeTests', () => {
  it('a test that always passes is healthy with score 0', () => {
    expect(report(P20)).toMatchObject({ status: 'healthy', state: 'healthy', score: 0, runs: 20, failures: 0, flips: 0, firstFlake: null, lastFlake: null, reasons: [], evidence: [] });
  });

  it('retry: failed then passed within a run (Surefire flaky*) is a flake', () => {
    const test = report(`${'P'.repeat(10)}K${'P'.repeat(5)}`);
    expect(test).toMatchObject({ status: 'flaky', state: 'flaky', reasons: ['retry'], firstFlake: at(10), lastFlake: at(10), failures: 0, flakes: 1 });
    expect(test.evidence).toStrictEqual([{ kind: 'retry', runKey: 'key10', runId: 'run10', attempt: 1, commit: 'c10', branch: 'main', at: at(10), status: 'flaky' }]);
    expect(test.score).toBeGreaterThan(0);
  });

  it('same commit: failed and passed on one commit (attempts, other runs, or twice in one run)', () => {
    const attempts = report('PPFP', {}, [{}, {}, { commit: 'x', runId: 'r', attempt: 1 }, { commit: 'x', runId: 'r', attempt: 2 }]);
    expect(attempts).toMatchObject({ status: 'flaky', reasons: ['same-commit'], firstFlake: at(2), lastFlake: at(2), failures: 1 });
    expect(attempts.evidence.map((e) => [e.kind, e.commit, e.attempt, e.status])).toStrictEqual([['same-commit', 'x', 1, 'failed']]);
    // Passed first, failed later on the same commit: the failure is still the flake.
    expect(report('PF', {}, [{ commit: 'y' }, { commit: 'y', branch: 'feature' }])).toMatchObject({ status: 'flaky', lastFlake: at(1) });
    // Gradle's retry plugin reports the test twice in one run.
    expect(report('P F|P P', {})).toMatchObject({ status: 'flaky', reasons: ['same-commit'], runs: 3, failures: 1 });
    // Different commits: a regression and its fix, not a flake.
    expect(report('PPFFPP')).toMatchObject({ status: 'healthy', flips: 2, failures: 2 });
    // Unknown commits never match.
    expect(report('FP', {}, [{ commit: null }, { commit: null }])).toMatchObject({ status: 'healthy' });
  });

  it('flips: flipping on the default branch at or above the rate is flaky', () => {
    const flipping = 'PPPFPPPPFPPPFPPPPFPP';
    expect(report(flipping)).toMatchObject({ status: 'flaky', reasons: ['flips'], flips: 8, failures: 4, firstFlake: at(3), lastFlake: at(17) });
    // Too few flips for the defaults (minFlips 4), or too few runs (minRuns 10).
    expect(report('PPPFPPPPPPPPPPPPPPPP')).toMatchObject({ status: 'healthy', flips: 2 });
    expect(report('PFPFPFP')).toMatchObject({ status: 'healthy' });
    expect(report('PFPFPFP', { minRuns: 5 })).toMatchObject({ status: 'flaky', reasons: ['flips'] });
    // A lower rate than configured.
    expect(report(flipping, { flipRate: 0.5 })).toMatchObject({ status: 'healthy' });
    // Only default-branch runs count.
    const feature = Array.from({ length: 20 }, () => ({ branch: 'feature' }));
    expect(report(flipping, {}, feature)).toMatchObject({ status: 'flaky' }); // all on "feature": the inferred default
    const mixed: RunSpec[] = Array.from({ length: 20 }, (_, i) => ({ branch: i % 2 === 0 ? 'main' : 'feature' }));
    expect(report('PFPFPFPFPFPFPFPFPFPF', {}, mixed)).toMatchObject({ status: 'healthy', flips: 0 });
    // Only the last flipWindow results count.
    expect(report(`${flipping}${'P'.repeat(60)}`, { recoverAfter: 100 })).toMatchObject({ status: 'healthy', flips: 8 });
  });

  it('broken: always failing, or failing the last brokenAfter times, is broken, not flaky', () => {
    expect(report('FFFFE')).toMatchObject({ status: 'broken', state: 'broken', failures: 5, firstFlake: null });
    expect(report('F')).toMatchObject({ status: 'broken' });
    const flakyThenBroken = report(`PPKPP${'F'.repeat(10)}`);
    expect(flakyThenBroken).toMatchObject({ status: 'broken', reasons: ['retry'] });
    expect(report(`PPKPP${'F'.repeat(9)}`)).toMatchObject({ status: 'flaky' });
    expect(report(`PPKPP${'F'.repeat(3)}`, { brokenAfter: 3 })).toMatchObject({ status: 'broken' });
  });

  it('recovered: recoverAfter clean passes after the last flake', () => {
    expect(report(`PK${'P'.repeat(10)}`)).toMatchObject({ status: 'healthy', state: 'recovered', reasons: ['retry'], lastFlake: at(1) });
    expect(report(`PK${'P'.repeat(9)}`)).toMatchObject({ status: 'flaky', state: 'flaky' });
    expect(report(`PK${'P'.repeat(9)}K`)).toMatchObject({ state: 'flaky', lastFlake: at(11) });
    expect(report(`PK${'P'.repeat(3)}`, { recoverAfter: 3 })).toMatchObject({ state: 'recovered' });
    // A retry-flaky result is not a clean pass.
    expect(report(`PK${'P'.repeat(9)}K`, { recoverAfter: 1 })).toMatchObject({ state: 'flaky' });
  });

  it('skipped results are ignored', () => {
    expect(report('SSSSS')).toMatchObject({ status: 'healthy', runs: 0, score: 0 });
    expect(report('FSFSF')).toMatchObject({ status: 'broken', runs: 3 });
    expect(report('PSSSP', {}, [{ commit: 'x' }, { commit: 'x' }])).toMatchObject({ status: 'healthy' });
  });

  it('excludes runs where most tests failed at once (infrastructure)', () => {
    const tests: Record<string, string> = {};
    for (let i = 0; i < 10; i++) tests[`t${i}`] = `PPPP${i < 8 ? 'F' : 'P'}PPPP`;
    tests['flaky'] = 'PKPPPPPPP';
    const history = makeHistory(9, tests);
    const analysis = analyzeTests(history);
    expect(analysis.excludedRuns).toStrictEqual([{ index: 4, runKey: 'key4', runId: 'run4', attempt: 1, at: at(4), ran: 11, failed: 8 }]);
    expect(analysis.runs).toBe(8);
    expect(excludedRunSet(analysis)).toStrictEqual(new Set([4]));
    expect(analysis.tests.find((t) => t.id === 't0')).toMatchObject({ status: 'healthy', failures: 0, runs: 8 });
    expect(analysis.counts).toStrictEqual({ flaky: 1, recovered: 0, broken: 0, healthy: 10 });
    // The threshold and the minimum run size are options.
    expect(analyzeTests(history, { infraFailureRatio: 0.9 }).excludedRuns).toStrictEqual([]);
    expect(infrastructureFailures(history.runs, { infraMinTests: 12 })).toStrictEqual([]);
    expect(infrastructureFailures(makeHistory(1, { a: 'F' }).runs)).toStrictEqual([]);
  });

  it('scores recent flakes higher than old ones, and more flakes higher than fewer', () => {
    const old = report(`PK${'P'.repeat(40)}`, { recoverAfter: 100 });
    const recent = report(`${'P'.repeat(40)}KP`, { recoverAfter: 100 });
    const many = report(`${'P'.repeat(36)}KPKPKP`, { recoverAfter: 100 });
    expect(old.score).toBeGreaterThan(0);
    expect(recent.score).toBeGreaterThan(old.score);
    expect(many.score).toBeGreaterThan(recent.score);
    expect(report('KKKK').score).toBe(1);
    // Same weights (halfLifeRuns huge): the plain share of flakes.
    expect(report('PPPK', { halfLifeRuns: 1e12 }).score).toBeCloseTo(0.25, 4);
  });

  it('sorts flaky (by score), then broken, then healthy, and exports the quarantine list', () => {
    const history = makeHistory(12, {
      'a::healthy': 'PPPPPPPPPPPP',
      'b::broken': 'FFFFFFFFFFFF',
      'c::flaky-low': 'PPKPPPPPPPPP',
      'd::flaky-high': 'PPPPPPPPKPKP',
      'e::recovered': 'KPPPPPPPPPPP',
    });
    const analysis = analyzeTests(history, { recoverAfter: 10 });
    expect(analysis.tests.map((t) => [t.id, t.status, t.state])).toStrictEqual([
      ['d::flaky-high', 'flaky', 'flaky'],
      ['c::flaky-low', 'flaky', 'flaky'],
      ['b::broken', 'broken', 'broken'],
      ['e::recovered', 'healthy', 'recovered'],
      ['a::healthy', 'healthy', 'healthy'],
    ]);
    const quarantine = quarantineList(analysis);
    expect(quarantine.map((q) => q.id)).toStrictEqual(['d::flaky-high', 'c::flaky-low']);
    expect(quarantine[0]).toStrictEqual({
      id: 'd::flaky-high',
      suite: 's',
      classname: 'c',
      name: 'd::flaky-high',
      file: null,
      score: analysis.tests[0]?.score,
      firstFlake: at(8),
      lastFlake: at(10),
      reasons: ['retry'],
    });
    expect(quarantineList(analysis, { minScore: 0.1 }).map((q) => q.id)).toStrictEqual(['d::flaky-high']);
    const output = testsOutput(analysis);
    expect(Object.keys(output.tests[0] ?? {}).sort()).toStrictEqual(
      ['id', 'suite', 'classname', 'name', 'file', 'status', 'state', 'score', 'runs', 'failures', 'flips', 'firstFlake', 'lastFlake', 'meanSeconds', 'p95Seconds'].sort(),
    );
    expect(JSON.parse(JSON.stringify(output))).toStrictEqual(output);
  });

  it('gives mean and p95 durations of the results that ran', () => {
    const history = makeHistory(21, { t: { results: `S${'P'.repeat(20)}`, duration: (run) => (run === 0 ? 1000 : run) } });
    const [test] = analyzeTests(history).tests;
    expect(test?.meanSeconds).toBeCloseTo(10.5, 9);
    expect(test?.p95Seconds).toBe(19);
    expect(analyzeTests(makeHistory(1, { t: { results: 'P', duration: () => null } })).tests[0]).toMatchObject({ meanSeconds: null, p95Seconds: null });
  });

  it('caps the evidence, most recent first', () => {
    const test = report('KKKKKKKKKKKKKKK', { maxEvidence: 3 });
    expect(test.flakes).toBe(15);
    expect(test.evidence.map((e) => e.runId)).toStrictEqual(['run14', 'run13', 'run12']);
  });

  it('infers the default branch', () => {
    const runs = (branches: (string | null)[]) => makeHistory(branches.length, {}, branches.map((branch) => ({ branch }))).runs;
    expect(inferDefaultBranch(runs(['feature', 'main', 'feature']))).toBe('main');
    expect(inferDefaultBranch(runs(['feature', 'master']))).toBe('master');
    expect(inferDefaultBranch(runs(['b', 'a', 'b', 'a', 'c']))).toBe('a');
    expect(inferDefaultBranch(runs([null, null]))).toBeNull();
    expect(analyzeTests(makeHistory(2, {}, [{ branch: 'trunk' }, { branch: null }])).defaultBranch).toBe('trunk');
    expect(analyzeTests(makeHistory(2, {}), { defaultBranch: 'release' }).defaultBranch).toBe('release');
  });

  it('properties: scores in [0, 1], states consistent with the rules, deterministic', () => {
    const results = fc.array(fc.constantFrom('P', 'P', 'P', 'F', 'E', 'S', 'K'), { minLength: 1, maxLength: 60 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), results, { maxKeys: 6 }), (tests) => {
        const length = Math.max(1, ...Object.values(tests).map((r) => r.length));
        const padded = Object.fromEntries(Object.entries(tests).map(([k, r]) => [k, r.padEnd(length, '.')]));
        const history = makeHistory(length, padded);
        const analysis = analyzeTests(history);
        expect(analyzeTests(history)).toStrictEqual(analysis);
        for (const test of analysis.tests) {
          expect(test.score).toBeGreaterThanOrEqual(0);
          expect(test.score).toBeLessThanOrEqual(1);
          expect(test.failures).toBeLessThanOrEqual(test.runs);
          if (test.state === 'healthy') expect(test.flakes).toBe(0);
          if (test.state === 'flaky') expect(test.flakes).toBeGreaterThan(0);
          if (test.flakes === 0) expect(test.score).toBe(0);
          if (test.runs > 0 && test.failures === test.runs) expect(test.state).toBe('broken');
        }
      }),
      { numRuns: 300 },
    );
  });
});
