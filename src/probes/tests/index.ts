/**
 * The `tests` probe: flaky, broken and slow tests of a system, from the test runs its history
 * holds (`prodeng ingest junit`, or the JUnit files this probe records at each observe when the
 * `junit` option names them). A test is not judged at one point in time but over many runs, so
 * this probe reads the history rather than the repository.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { fingerprint } from '../../core/fingerprint.js';
import type { Finding, Metric, ProbeError, RuleMeta, Severity } from '../../core/model.js';
import type { Probe } from '../../core/probe.js';
import { analyzeTests, excludedRunSet, type TestReport } from '../../testresults/flaky.js';
import { fileRunIdentity, NoTestResultsError, recordJUnitRun } from '../../testresults/record.js';
import { flakyOptions, regressionOptions, testsConfigSchema, testsOptionDocs, type TestsConfig } from '../../testresults/settings.js';
import { durationRegressions, slowestTests, type DurationRegression, type SlowTest } from '../../testresults/slow.js';
import { expandGlobs, GlobLimitError } from '../../util/glob.js';
import { gitRevision } from '../../util/git.js';

const HELP = 'https://github.com/prodeng/prodeng/blob/main/src/probes/tests/readme.md';

export const RULES: RuleMeta[] = [
  {
    id: 'tests/flaky',
    title: 'Flaky test',
    description:
      'A test passed and failed on the same commit, failed and then passed on a retry, or flips between pass and fail on the default branch. Medium; high from a flakiness score of 0.2 (one result in five a flake, recent results weighing more).',
    defaultSeverity: 'medium',
    remediation: 'Find the nondeterminism (time, ordering, shared state, network, timeouts) and fix it; quarantine the test meanwhile (`prodeng tests quarantine`) with an owner and a date.',
    helpUri: HELP,
  },
  {
    id: 'tests/broken',
    title: 'Broken test',
    description: 'A test failed in every analysed run, or in its latest runs in a row: it is not flaky, it is broken, and it hides real failures behind its own. High.',
    defaultSeverity: 'high',
    remediation: 'Fix the test or the code it tests; if it tests something that is gone, delete it.',
    helpUri: HELP,
  },
  {
    id: 'tests/slow',
    title: 'Slow test',
    description:
      'One of the slowest tests (mean at or above slowSeconds), or a test whose recent duration grew past regressionThreshold against its baseline. Low; medium for a slow-down of 100% or more.',
    defaultSeverity: 'low',
    remediation: 'Profile the test: waits and sleeps, real network or disk, oversized fixtures, work repeated per test that could be shared.',
    helpUri: HELP,
  },
];

export interface TestsFacts {
  runs: number;
  excludedRuns: number;
  defaultBranch: string | null;
  latestRun: { runId: string; attempt: number; at: string; commit: string | null; tests: number } | null;
  recorded?: { runId: string; files: number; tests: number; replaced: boolean };
  notes: string[];
}

function displayName(test: { classname: string; name: string }): string {
  return test.classname ? `${test.classname} › ${test.name}` : test.name;
}

/** A test's file as a repository path, when the report names one inside the repository. */
function testLocation(file: string | null, repo: string | undefined): Finding['location'] {
  if (file === null || file === '') return null;
  if (!isAbsolute(file)) return { path: file.replaceAll('\\', '/') };
  if (repo === undefined) return null;
  const rel = relative(repo, file);
  return rel.startsWith('..') || isAbsolute(rel) ? null : { path: rel.replaceAll('\\', '/') };
}

const seconds = (value: number | null) => (value === null ? 'unknown' : value >= 10 ? `${value.toFixed(0)} s` : `${value.toFixed(2)} s`);
const shortCommit = (commit: string | null) => (commit === null ? 'an unknown commit' : commit.slice(0, 10));

function flakyFinding(test: TestReport, repo: string | undefined): Finding {
  const severity: Severity = test.score >= 0.2 ? 'high' : 'medium';
  const why: string[] = [];
  for (const reason of test.reasons) {
    const evidence = test.evidence.filter((item) => item.kind === reason);
    if (reason === 'retry') why.push(`failed then passed on retry in run ${evidence.map((e) => e.runId).slice(0, 3).join(', ')}`);
    if (reason === 'same-commit') why.push(`passed and failed on the same commit (${[...new Set(evidence.map((e) => shortCommit(e.commit)))].slice(0, 3).join(', ')})`);
    if (reason === 'flips') why.push(`flipped ${test.flips} times between pass and fail on the default branch`);
  }
  return {
    rule: 'tests/flaky',
    severity,
    title: `Flaky test ${displayName(test)} (score ${test.score.toFixed(2)})`,
    message: `${displayName(test)} ${why.join('; ')}. ${test.flakes} flake${test.flakes === 1 ? '' : 's'} in ${test.runs} runs, first ${test.firstFlake?.slice(0, 10) ?? '?'}, last ${test.lastFlake?.slice(0, 10) ?? '?'}.`,
    location: testLocation(test.file, repo),
    fingerprint: fingerprint('tests/flaky', test.id),
    data: {
      id: test.id,
      suite: test.suite,
      classname: test.classname,
      name: test.name,
      score: test.score,
      runs: test.runs,
      failures: test.failures,
      flips: test.flips,
      flakes: test.flakes,
      reasons: test.reasons,
      firstFlake: test.firstFlake,
      lastFlake: test.lastFlake,
      evidence: test.evidence.slice(0, 5),
      ...(test.lastMessage ? { lastMessage: test.lastMessage.slice(0, 500) } : {}),
    },
    effort: 'medium',
  };
}

function brokenFinding(test: TestReport, repo: string | undefined): Finding {
  const always = test.failures === test.runs;
  return {
    rule: 'tests/broken',
    severity: 'high',
    title: `Broken test ${displayName(test)}`,
    message: always
      ? `${displayName(test)} failed in all ${test.runs} analysed runs.`
      : `${displayName(test)} failed in its latest runs in a row (${test.failures} failures in ${test.runs} runs).`,
    location: testLocation(test.file, repo),
    fingerprint: fingerprint('tests/broken', test.id),
    data: {
      id: test.id,
      suite: test.suite,
      classname: test.classname,
      name: test.name,
      runs: test.runs,
      failures: test.failures,
      ...(test.lastMessage ? { lastMessage: test.lastMessage.slice(0, 500) } : {}),
    },
    effort: 'small',
  };
}

function slowFinding(test: SlowTest | undefined, regression: DurationRegression | undefined, repo: string | undefined): Finding {
  const subject = (regression ?? test)!;
  const parts: string[] = [];
  if (test) parts.push(`takes ${seconds(test.meanSeconds)} on average (p95 ${seconds(test.p95Seconds)}) over ${test.samples} timed results`);
  if (regression) {
    const change = regression.change === null ? 'from nothing' : `${Math.round(regression.change * 100)}%`;
    parts.push(`got ${change} slower: ${seconds(regression.baselineSeconds)} → ${seconds(regression.recentSeconds)}${regression.since ? ` since ${regression.since.slice(0, 10)}` : ''}`);
  }
  const severity: Severity = regression && (regression.change === null || regression.change >= 1) ? 'medium' : 'low';
  return {
    rule: 'tests/slow',
    severity,
    title: regression
      ? `Test ${displayName(subject)} got slower (${seconds(regression.baselineSeconds)} → ${seconds(regression.recentSeconds)})`
      : `Slow test ${displayName(subject)} (${seconds(test!.meanSeconds)})`,
    message: `${displayName(subject)} ${parts.join('; ')}.`,
    location: testLocation(subject.file, repo),
    fingerprint: fingerprint('tests/slow', subject.id),
    data: {
      id: subject.id,
      suite: subject.suite,
      classname: subject.classname,
      name: subject.name,
      ...(test ? { meanSeconds: test.meanSeconds, p95Seconds: test.p95Seconds, samples: test.samples } : {}),
      ...(regression ? { baselineSeconds: regression.baselineSeconds, recentSeconds: regression.recentSeconds, change: regression.change, since: regression.since } : {}),
    },
    effort: 'small',
  };
}

export const testsProbe: Probe<TestsConfig> = {
  id: 'tests',
  aspect: 'tests',
  title: 'Flaky, broken and slow tests',
  description:
    'Flaky tests (both outcomes on one commit, retries that passed, flips on the default branch), broken and slow tests, from the test runs recorded for the system (`prodeng ingest junit`, or the `junit` option).',
  rules: RULES,
  configSchema: testsConfigSchema,
  options: testsOptionDocs,
  // The history is only known at run time: a system without test runs is skipped then.
  // Directions the trend analysis cannot tell from the names (see core/trend.ts).
  metrics: { 'tests.total': { better: 'neither' }, 'tests.broken': { better: 'lower' } },
  appliesTo: () => true,

  async run(ctx, config) {
    const errors: ProbeError[] = [];
    const notes: string[] = [];
    const repo = ctx.system.sources.repo;
    let recorded: TestsFacts['recorded'];
    if (config.junit.length > 0) {
      const base = repo ?? process.cwd();
      let files: string[] = [];
      try {
        for (const match of expandGlobs(config.junit, base, { signal: ctx.signal })) {
          if (match.files.length === 0) notes.push(`junit: "${match.pattern}" matches no file under ${base}`);
          files.push(...match.files);
        }
      } catch (error) {
        if (!(error instanceof GlobLimitError)) throw error;
        errors.push({ message: `junit: ${error.message}`, code: 'junit-glob-limit' });
        files = [];
      }
      if (files.length > 0) {
        ctx.progress(`recording ${files.length} JUnit file${files.length === 1 ? '' : 's'}`);
        const { runId, at } = fileRunIdentity(files);
        const revision = repo ? await gitRevision(repo, ctx.signal).catch(() => null) : null;
        try {
          const run = await recordJUnitRun((input) => ctx.history.recordTestRun(input), {
            files,
            runId,
            at,
            commit: revision?.commit ?? null,
            branch: revision?.branch ?? null,
            onError: (error) => {
              const path = repo ? relative(repo, resolve(repo, error.path)).replaceAll('\\', '/') : error.path;
              errors.push({ message: `${path}:${error.line}:${error.column}: ${error.reason}`, path, code: 'junit-parse' });
            },
          });
          recorded = { runId, files: run.files, tests: run.tests, replaced: run.replaced };
        } catch (error) {
          // Every file was corrupt: each is already in `errors`; the history recorded before is
          // still worth analysing (partial), rather than failing the probe with a vaguer message.
          if (!(error instanceof NoTestResultsError)) throw error;
        }
      }
    }

    ctx.progress('analysing the test history');
    const history = await ctx.history.testHistory({ limit: config.window });
    if (history.runs.length === 0) {
      // Configured files that are not there are worth saying, not skipping silently.
      for (const note of notes) errors.push({ message: note, code: 'junit-no-files' });
      if (errors.length > 0) return { status: 'failed', errors };
      return {
        status: 'skipped',
        reason: `no test runs recorded for ${ctx.system.name}: record them with \`prodeng ingest junit\` or the tests probe's junit option`,
      };
    }
    const analysis = analyzeTests(history, flakyOptions(config));
    const excluded = excludedRunSet(analysis);
    const findings: Finding[] = [];
    for (const test of analysis.tests) {
      if (test.state === 'flaky') findings.push(flakyFinding(test, repo));
      else if (test.state === 'broken') findings.push(brokenFinding(test, repo));
    }
    const slowest = config.slowTop === 0 ? [] : slowestTests(history, { top: config.slowTop, excludedRuns: excluded }).filter((t) => (t.meanSeconds ?? 0) >= config.slowSeconds);
    const regressions = durationRegressions(history, regressionOptions(config, excluded));
    const slowById = new Map(slowest.map((test) => [test.id, test]));
    const regressionById = new Map(regressions.map((r) => [r.id, r]));
    for (const id of new Set([...regressionById.keys(), ...slowById.keys()])) {
      findings.push(slowFinding(slowById.get(id), regressionById.get(id), repo));
    }

    const latest = history.runs.at(-1)!;
    const analysed = analysis.tests.length;
    // Counted over the analysis window like flaky and broken, so the four counts add up; the
    // latest run's own size is in facts.latestRun.
    const metrics: Metric[] = [
      { name: 'tests.total', value: analysed, unit: 'tests', labels: {} },
      { name: 'tests.flaky', value: analysis.counts.flaky, unit: 'tests', labels: {} },
      { name: 'tests.broken', value: analysis.counts.broken, unit: 'tests', labels: {} },
      { name: 'tests.flaky_rate', value: analysed === 0 ? 0 : analysis.counts.flaky / analysed, unit: 'ratio', labels: {} },
      { name: 'tests.duration_seconds', value: latest.totalSeconds, unit: 'seconds', labels: {} },
    ];
    if (analysis.excludedRuns.length > 0) {
      notes.push(`${analysis.excludedRuns.length} run${analysis.excludedRuns.length === 1 ? '' : 's'} left out as infrastructure failures (more than ${Math.round(config.infraFailureRatio * 100)}% of the tests failed)`);
    }
    const facts: TestsFacts = {
      runs: analysis.runs,
      excludedRuns: analysis.excludedRuns.length,
      defaultBranch: analysis.defaultBranch,
      latestRun: { runId: latest.runId, attempt: latest.attempt, at: latest.at, commit: latest.commit, tests: latest.tests },
      ...(recorded ? { recorded } : {}),
      notes: [
        `${analysis.runs} runs analysed, ${analysed} tests: ${analysis.counts.flaky} flaky, ${analysis.counts.broken} broken, ${analysis.counts.recovered} recovered`,
        ...notes,
      ],
    };
    return { status: errors.length > 0 ? 'partial' : 'ok', findings, metrics, facts, errors };
  },
};
