/**
 * `prodeng tests`: the flaky, broken and slow tests of a system from its recorded test runs, and
 * `prodeng tests quarantine`: the flaky list for test runners to skip or retry. Judged with the
 * same settings (`probes.tests` in prodeng.yml) as the `tests` probe at observe.
 */
import { escapeControls, escapeMarkdownInline } from '../report/escape.js';
import { padEnd, padStart, truncateEnd } from '../report/string-width.js';
import { analyzeTests, quarantineList, testsOutput, type TestsAnalysis } from '../testresults/flaky.js';
import { flakyOptions, testsConfigSchema, type TestsConfig } from '../testresults/settings.js';
import { defineCommand, choice, positiveInt, UsageError, type CommandSpec, type OptionsSpec } from './args.js';
import { loadConfiguration, openDatabase, toolVersion, writeOutput, type Io } from './context.js';
import { chosenSystem } from './systems.js';

export const testsSpec = {
  name: 'tests',
  summary: 'List the flaky, broken and slow tests of a system from its recorded test runs; `tests quarantine` exports the flaky ones.',
  usage: 'prodeng tests [quarantine] [--system NAME] [--flaky|--slow|--broken] [--format FORMAT] [options]',
  details: `Without a filter every test is listed: flaky first (highest score first), then broken, then
healthy. Filters combine (--flaky --broken: both). --slow lists the slowest tests by mean duration.

tests quarantine --format json|txt
    The tests that are flaky now (not recovered), for a test runner to skip or retry: txt is one
    test id (classname::name) per line after '#' comment lines; json has every field.

The settings (flip rate, windows, infrastructure failure threshold…) are those of the tests probe
in prodeng.yml (probes.tests; see \`prodeng probes\`). Record runs with \`prodeng ingest junit\`.
Exit codes: 0 ok · 2 usage error or no test runs · 3 database error · 4 output error.`,
  options: {
    system: { type: 'string', value: 'NAME', description: 'The system (needed when the database holds several).' },
    flaky: { type: 'boolean', description: 'Only flaky tests.' },
    broken: { type: 'boolean', description: 'Only broken tests.' },
    slow: { type: 'boolean', description: 'The slowest tests, by mean duration.' },
    limit: { type: 'string', value: 'N', description: 'Rows in table and markdown output, and tests with --slow (default 30).' },
    'min-score': { type: 'string', value: 'SCORE', description: 'quarantine: only tests with a flakiness score at least this (0–1, default 0).' },
    config: { type: 'string', value: 'FILE', description: 'Configuration file (default ./prodeng.yml when present).' },
    db: { type: 'string', value: 'URL', description: 'Database (default $PRODENG_DB or .prodeng/prodeng.db).' },
    format: { type: 'string', value: 'FORMAT', description: 'table (default), json or markdown; quarantine: txt (default) or json.' },
    output: { type: 'string', short: 'o', value: 'FILE', description: 'Write to FILE instead of stdout.' },
  },
  positionals: { max: 1, hint: 'the only action is `quarantine`' },
} as const satisfies CommandSpec<OptionsSpec>;

type Row = ReturnType<typeof testsOutput>['tests'][number];

/** The tests probe's settings for a system: its own, else the global ones, else the defaults. */
function settingsFor(system: string, configOption: string | undefined, io: Io): TestsConfig {
  const config = loadConfiguration(configOption, io);
  const resolved = config.systems.find((s) => s.name === system) ?? config.systemFor(system, io.cwd);
  const setting = resolved.probes.get('tests');
  return testsConfigSchema.parse(setting?.enabled ? setting.config : {});
}

export const testsCommand = defineCommand(testsSpec, async ({ options, positionals }, io) => {
  const action = positionals[0];
  if (action !== undefined && action !== 'quarantine') throw new UsageError(`unknown tests action "${action}"; the only one is quarantine`);
  const quarantine = action === 'quarantine';
  const format = quarantine ? choice('format', options.format, ['txt', 'json'] as const, 'txt') : choice('format', options.format, ['table', 'json', 'markdown'] as const, 'table');
  if (quarantine && (options.flaky || options.broken || options.slow)) throw new UsageError('tests quarantine lists flaky tests; --flaky, --broken and --slow do not apply');
  const limit = positiveInt('limit', options.limit, 30);
  let minScore = 0;
  if (options['min-score'] !== undefined) {
    if (!quarantine) throw new UsageError('--min-score is for `tests quarantine`');
    minScore = Number(options['min-score']);
    if (!Number.isFinite(minScore) || minScore < 0 || minScore > 1) throw new UsageError(`--min-score must be a number from 0 to 1 (got "${options['min-score']}")`);
  }

  const store = await openDatabase(options.db, io, { create: false });
  let analysis: TestsAnalysis;
  let system: string;
  try {
    system = await chosenSystem(store, options.system);
    const settings = settingsFor(system, options.config, io);
    const history = await store.testHistory(system, { limit: settings.window });
    if (history.runs.length === 0) throw new UsageError(`no test runs recorded for "${system}"; record them with \`prodeng ingest junit GLOB... --system ${system}\``);
    analysis = analyzeTests(history, flakyOptions(settings));
  } finally {
    await store.close();
  }

  const generatedAt = new Date().toISOString();
  if (quarantine) {
    const entries = quarantineList(analysis, { minScore });
    if (format === 'json') {
      writeOutput(`${JSON.stringify({ system, generatedAt, tool: `prodeng ${toolVersion()}`, tests: entries }, null, 2)}\n`, options.output, io);
    } else {
      const header = [`# prodeng ${toolVersion()}: flaky tests of ${system}, ${generatedAt}`, `# ${entries.length} test${entries.length === 1 ? '' : 's'}; one id (classname::name) per line`];
      // Ids come from test reports: a line break in one must not become two entries.
      writeOutput(`${[...header, ...entries.map((entry) => entry.id.replace(/[\r\n]+/g, ' '))].join('\n')}\n`, options.output, io);
    }
    return 0;
  }

  const all = testsOutput(analysis).tests;
  let rows: Row[];
  if (options.slow) {
    const slow = [...all].filter((t) => t.meanSeconds !== null).sort((a, b) => (b.meanSeconds ?? 0) - (a.meanSeconds ?? 0)).slice(0, limit);
    const others = all.filter((t) => (options.flaky && t.status === 'flaky') || (options.broken && t.status === 'broken'));
    rows = [...others, ...slow.filter((t) => !others.includes(t))];
  } else if (options.flaky || options.broken) {
    rows = all.filter((t) => (options.flaky && t.status === 'flaky') || (options.broken && t.status === 'broken'));
  } else {
    rows = all;
  }

  if (format === 'json') {
    writeOutput(`${JSON.stringify({ system, generatedAt, runs: analysis.runs, excludedRuns: analysis.excludedRuns.length, tests: rows }, null, 2)}\n`, options.output, io);
    return 0;
  }
  const summary = `${system}: ${analysis.runs} runs analysed${analysis.excludedRuns.length ? ` (${analysis.excludedRuns.length} left out as infrastructure failures)` : ''}, ${analysis.tests.length} tests: ${analysis.counts.flaky} flaky, ${analysis.counts.broken} broken, ${analysis.counts.recovered} recovered`;
  writeOutput(format === 'markdown' ? markdown(summary, rows, limit) : table(summary, rows, limit, io.stdout.columns || 100), options.output, io);
  return 0;
});

const seconds = (value: number | null) => (value === null ? '–' : value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const testName = (row: Row) => (row.classname ? `${row.classname}::${row.name}` : row.name);

function table(summary: string, rows: readonly Row[], limit: number, width: number): string {
  const out = [escapeControls(summary)];
  if (rows.length === 0) return `${out.join('\n')}\nno tests match\n`;
  const head = ['STATUS', 'SCORE', 'RUNS', 'FAILS', 'FLIPS', 'MEAN s', 'P95 s', 'LAST FLAKE', 'TEST'];
  const cells = rows.slice(0, limit).map((row) => [
    row.state === 'recovered' ? 'recovered' : row.status,
    row.score.toFixed(2),
    String(row.runs),
    String(row.failures),
    String(row.flips),
    seconds(row.meanSeconds),
    seconds(row.p95Seconds),
    row.lastFlake?.slice(0, 10) ?? '–',
    escapeControls(testName(row)),
  ]);
  // reduce, not Math.max(...): a list of 100k+ tests would overflow the stack as arguments.
  const widths = head.map((h, i) => cells.reduce((widest, c) => Math.max(widest, c[i]!.length), h.length));
  const fixed = widths.slice(0, -1).reduce((sum, w) => sum + w + 2, 0);
  const line = (c: string[]) =>
    c
      .map((cell, i) => (i === c.length - 1 ? truncateEnd(cell, Math.max(20, width - fixed - 1)) : i >= 1 && i <= 6 ? padStart(cell, widths[i]!) : padEnd(cell, widths[i]!)))
      .join('  ')
      .trimEnd();
  out.push('', line(head));
  for (const c of cells) out.push(line(c));
  if (rows.length > limit) out.push(`… and ${rows.length - limit} more (--limit, or --format json for all)`);
  return `${out.join('\n')}\n`;
}

function markdown(summary: string, rows: readonly Row[], limit: number): string {
  const out = [escapeMarkdownInline(summary), ''];
  if (rows.length === 0) return `${out.join('\n')}No tests match.\n`;
  out.push('| Status | Score | Runs | Fails | Flips | Mean s | P95 s | Last flake | Test |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |');
  for (const row of rows.slice(0, limit)) {
    out.push(
      `| ${row.state === 'recovered' ? 'recovered' : row.status} | ${row.score.toFixed(2)} | ${row.runs} | ${row.failures} | ${row.flips} | ${seconds(row.meanSeconds)} | ${seconds(row.p95Seconds)} | ${row.lastFlake?.slice(0, 10) ?? '–'} | ${escapeMarkdownInline(testName(row)).replaceAll('|', '\\|')} |`,
    );
  }
  if (rows.length > limit) out.push('', `… and ${rows.length - limit} more.`);
  return `${out.join('\n')}\n`;
}
