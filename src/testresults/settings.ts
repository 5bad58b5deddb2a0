/**
 * The analysis settings of test results, as `prodeng.yml` writes them (`probes.tests`), shared by
 * the `tests` probe and the `prodeng tests` command so that both judge a history the same way.
 * The defaults are those of `flaky.ts` and `slow.ts`; they are repeated here only as zod defaults.
 */
import { z } from 'zod';
import type { ProbeOptionDoc } from '../core/probe.js';
import { DEFAULT_FLAKY_OPTIONS, type FlakyOptions } from './flaky.js';
import { DEFAULT_REGRESSION, type RegressionOptions } from './slow.js';

const count = (fallback: number) => z.number().int().positive().default(fallback);
const share = (fallback: number) => z.number().min(0).max(1).default(fallback);

export const testsConfigSchema = z
  .object({
    /** JUnit XML files to record at each `observe`, as globs relative to the repository. */
    junit: z.array(z.string().min(1)).default([]),
    /** Runs of the history analysed, most recent first. */
    window: count(500),
    defaultBranch: z.string().min(1).optional(),
    flipWindow: count(DEFAULT_FLAKY_OPTIONS.flipWindow),
    minRuns: count(DEFAULT_FLAKY_OPTIONS.minRuns),
    flipRate: share(DEFAULT_FLAKY_OPTIONS.flipRate),
    minFlips: count(DEFAULT_FLAKY_OPTIONS.minFlips),
    infraFailureRatio: share(DEFAULT_FLAKY_OPTIONS.infraFailureRatio),
    infraMinTests: count(DEFAULT_FLAKY_OPTIONS.infraMinTests),
    recoverAfter: count(DEFAULT_FLAKY_OPTIONS.recoverAfter),
    brokenAfter: count(DEFAULT_FLAKY_OPTIONS.brokenAfter),
    halfLifeRuns: z.number().positive().default(DEFAULT_FLAKY_OPTIONS.halfLifeRuns),
    /** A test is reported slow when its mean is at least this (and it is among the slowest). */
    slowSeconds: z.number().min(0).default(10),
    slowTop: z.number().int().min(0).default(10),
    regressionThreshold: z.number().min(0).default(DEFAULT_REGRESSION.threshold),
    regressionMinSeconds: z.number().min(0).default(DEFAULT_REGRESSION.minDeltaSeconds),
  })
  .strict();

export type TestsConfig = z.infer<typeof testsConfigSchema>;

export function flakyOptions(config: TestsConfig): FlakyOptions {
  return {
    ...(config.defaultBranch === undefined ? {} : { defaultBranch: config.defaultBranch }),
    flipWindow: config.flipWindow,
    minRuns: config.minRuns,
    flipRate: config.flipRate,
    minFlips: config.minFlips,
    infraFailureRatio: config.infraFailureRatio,
    infraMinTests: config.infraMinTests,
    recoverAfter: config.recoverAfter,
    brokenAfter: config.brokenAfter,
    halfLifeRuns: config.halfLifeRuns,
  };
}

export function regressionOptions(config: TestsConfig, excludedRuns: ReadonlySet<number>): RegressionOptions {
  return { threshold: config.regressionThreshold, minDeltaSeconds: config.regressionMinSeconds, excludedRuns };
}

export const testsOptionDocs: ProbeOptionDoc[] = [
  { key: 'junit', type: 'list of globs', default: '[]', description: 'JUnit XML files recorded as one test run at each observe (relative to the repository; absolute paths work too), e.g. ["build/test-results/**/*.xml"].' },
  { key: 'window', type: 'integer', default: '500', description: 'Most recent runs analysed.' },
  { key: 'defaultBranch', type: 'string', default: 'main, else master, else the most frequent', description: 'Branch whose runs count for the flip rule.' },
  { key: 'flipWindow', type: 'integer', default: String(DEFAULT_FLAKY_OPTIONS.flipWindow), description: "Latest default-branch results of a test the flip rule looks at." },
  { key: 'minRuns', type: 'integer', default: String(DEFAULT_FLAKY_OPTIONS.minRuns), description: 'Fewest results in that window for the flip rule to apply.' },
  { key: 'flipRate', type: 'ratio', default: String(DEFAULT_FLAKY_OPTIONS.flipRate), description: 'Pass↔fail flips per result at or above which a test is flaky.' },
  { key: 'minFlips', type: 'integer', default: String(DEFAULT_FLAKY_OPTIONS.minFlips), description: 'Fewest flips for the flip rule.' },
  { key: 'infraFailureRatio', type: 'ratio', default: String(DEFAULT_FLAKY_OPTIONS.infraFailureRatio), description: 'A run where more than this share of the tests failed is an infrastructure failure and left out.' },
  { key: 'infraMinTests', type: 'integer', default: String(DEFAULT_FLAKY_OPTIONS.infraMinTests), description: 'Runs with fewer tests are never left out.' },
  { key: 'recoverAfter', type: 'integer', default: String(DEFAULT_FLAKY_OPTIONS.recoverAfter), description: 'Clean passes after the last flake that make a flaky test recovered.' },
  { key: 'brokenAfter', type: 'integer', default: String(DEFAULT_FLAKY_OPTIONS.brokenAfter), description: 'Consecutive latest failures that make a test broken (not flaky).' },
  { key: 'halfLifeRuns', type: 'number', default: String(DEFAULT_FLAKY_OPTIONS.halfLifeRuns), description: "Half-life of a result's weight in the flakiness score, in runs." },
  { key: 'slowSeconds', type: 'seconds', default: '10', description: 'Mean duration from which one of the slowest tests is reported (tests/slow).' },
  { key: 'slowTop', type: 'integer', default: '10', description: 'How many of the slowest tests may be reported (0: none).' },
  { key: 'regressionThreshold', type: 'ratio', default: String(DEFAULT_REGRESSION.threshold), description: 'Slow-down of the last 10 results against the 30 before them that is reported (0.5 = 50% slower).' },
  { key: 'regressionMinSeconds', type: 'seconds', default: String(DEFAULT_REGRESSION.minDeltaSeconds), description: 'Smallest absolute slow-down reported, so that noise on tiny tests is not.' },
];
