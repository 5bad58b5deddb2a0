/**
 * `prodeng ingest junit|github-actions|ci`: records history that is not observed at one point in
 * time but arrives from CI — test results and pipeline durations — into the store, where the
 * `tests` and `ci` probes analyse it at `observe` and `prodeng tests` lists it.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { DEFAULT_TOKEN_ENV, GITHUB_API, githubActionsRecords, tokenFromEnv } from '../ci/github.js';
import { readCiJsonl, readCiJsonlStream } from '../ci/jsonl.js';
import type { CiRecord } from '../ci/model.js';
import type { ResolvedConfig } from '../config/load.js';
import { DatasourceError } from '../datasources/registry.js';
import type { Store } from '../store/store.js';
import { ciRunEnvironment } from '../testresults/ci-env.js';
import { fileRunIdentity, NoTestResultsError, recordJUnitRun } from '../testresults/record.js';
import { expandGlobs, GlobLimitError } from '../util/glob.js';
import { gitRevision } from '../util/git.js';
import { defineCommand, positiveInt, UsageError, type CommandSpec, type OptionsSpec, type ParsedOptions } from './args.js';
import { loadConfiguration, openDatabase, type Io } from './context.js';

export const ingestSpec = {
  name: 'ingest',
  summary: 'Record CI history: JUnit test results, GitHub Actions runs, or CI runs as JSON Lines.',
  usage: 'prodeng ingest junit GLOB... | github-actions --repo OWNER/NAME | ci FILE  [options]',
  details: `junit GLOB...
    Records every test case of the matching JUnit XML files as one run of --system. Globs are
    expanded by prodeng too (quote them), build outputs ignored by git included. Recording the
    same run (--run, --attempt) again replaces it. A file that cannot be read is reported and
    skipped; the others are recorded. In GitHub Actions, GitLab CI, Buildkite, CircleCI and
    Jenkins the run id, attempt, commit and branch default to what the CI says; elsewhere the
    commit and branch come from git, and the run id from the files (same files, same run).
github-actions --repo OWNER/NAME [--since DATE] [--token-env VAR]
    Reads workflow runs, jobs and steps through the GitHub REST API (--api-url for GitHub
    Enterprise Server), one request at a time, waiting out rate limits. The token is read from
    the environment variable (default ${DEFAULT_TOKEN_ENV}) and never printed or stored. The
    system defaults to the repository's name.
ci FILE|-
    Reads CI runs, jobs and steps of any CI as JSON Lines, one object per line:
    pipeline, run, attempt, job, step, status, commit, branch, queuedAt, startedAt, finishedAt.
    Lines that do not fit are reported with their line number and skipped.

Ingesting the same CI records again updates them (an in-progress run that has finished since).
Exit codes: 0 recorded · 2 usage error, or nothing could be read · 3 database error · 5 the API
could not be reached.`,
  options: {
    system: { type: 'string', value: 'NAME', description: "The system (default: the config's system for this directory, or its name)." },
    run: { type: 'string', value: 'ID', description: 'junit: the CI run id (default: from the CI environment, else from the files).' },
    attempt: { type: 'string', value: 'N', description: 'junit: the attempt of the run (default 1, or the CI\'s).' },
    commit: { type: 'string', value: 'SHA', description: 'junit: the commit tested (default: the CI\'s, else git HEAD here).' },
    branch: { type: 'string', value: 'NAME', description: 'junit: the branch (default: the CI\'s, else the current git branch).' },
    at: { type: 'string', value: 'ISO-8601', description: 'junit: when the run happened (default: the newest file\'s modification time).' },
    repo: { type: 'string', value: 'OWNER/NAME', description: 'github-actions: the repository.' },
    since: { type: 'string', value: 'DATE', description: 'github-actions: only runs created on or after this date (YYYY-MM-DD or ISO-8601).' },
    'token-env': { type: 'string', value: 'VAR', description: `github-actions: environment variable holding the token (default ${DEFAULT_TOKEN_ENV}).` },
    'api-url': { type: 'string', value: 'URL', description: `github-actions: API root (default ${GITHUB_API}; GitHub Enterprise Server: https://HOST/api/v3).` },
    'max-runs': { type: 'string', value: 'N', description: 'github-actions: most runs read, newest first (default 1000).' },
    config: { type: 'string', value: 'FILE', description: 'Configuration file (default ./prodeng.yml when present).' },
    db: { type: 'string', value: 'URL', description: 'Database (default $PRODENG_DB or .prodeng/prodeng.db).' },
    quiet: { type: 'boolean', short: 'q', description: 'Only errors.' },
  },
} as const satisfies CommandSpec<OptionsSpec>;

type Options = ParsedOptions<typeof ingestSpec.options>;

const KIND_OPTIONS: Record<string, readonly string[]> = {
  junit: ['run', 'attempt', 'commit', 'branch', 'at'],
  'github-actions': ['repo', 'since', 'token-env', 'api-url', 'max-runs'],
  ci: [],
};

export const ingestCommand = defineCommand(ingestSpec, async ({ options, positionals }, io) => {
  const [kind, ...args] = positionals;
  if (kind === undefined) throw new UsageError('ingest needs a kind: junit GLOB..., github-actions --repo OWNER/NAME, or ci FILE');
  const own = KIND_OPTIONS[kind];
  if (own === undefined) throw new UsageError(`unknown ingest kind "${kind}"; use junit, github-actions or ci`);
  for (const [other, names] of Object.entries(KIND_OPTIONS)) {
    if (other === kind) continue;
    for (const name of names) if (options[name as keyof Options] !== undefined && !own.includes(name)) throw new UsageError(`--${name} is for \`ingest ${other}\`, not \`ingest ${kind}\``);
  }
  const config = loadConfiguration(options.config, io);
  if (kind === 'junit') return ingestJUnit(args, options, config, io);
  if (kind === 'github-actions') {
    if (args.length > 0) throw new UsageError(`ingest github-actions takes no arguments (got "${args[0]}"); use --repo OWNER/NAME`);
    return ingestGitHubActions(options, config, io);
  }
  if (args.length !== 1) throw new UsageError('ingest ci takes one FILE (or - for standard input)');
  return ingestCiFile(args[0]!, options, config, io);
});

/**
 * `--system`, else the configured system whose repository is this directory, else the only
 * configured one, else (no systems configured) this directory's name — as `prodeng observe .`
 * would call it.
 */
export function ingestSystem(option: string | undefined, config: ResolvedConfig, io: Io, fallback?: string): string {
  if (option !== undefined) {
    if (option.trim() === '' || option.includes('/')) throw new UsageError(`--system "${option}": a system name is not empty and has no slashes`);
    return option;
  }
  if (config.systems.length > 0) {
    const here = config.systems.find((system) => system.sources.repo !== undefined && resolve(system.sources.repo) === resolve(io.cwd));
    if (here) return here.name;
    if (config.systems.length === 1) return config.systems[0]!.name;
    throw new UsageError(`choose the system with --system (configured: ${config.systems.map((s) => s.name).join(', ')})`);
  }
  return fallback ?? (basename(resolve(io.cwd)) || 'default');
}

function say(io: Io, options: Options, text: string): void {
  if (!options.quiet) io.stdout.write(`${text}\n`);
}

async function withStore<T>(options: Options, io: Io, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openDatabase(options.db, io);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function isoTime(name: string, value: string): string {
  const ms = Date.parse(value);
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  // Date.parse rolls 2024-02-30 over to March 1st: the calendar day must exist.
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const real = calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(ms) || !real) throw new UsageError(`--${name} must be an ISO-8601 date or time such as 2026-11-29T10:00:00Z (got "${value}")`);
  return new Date(ms).toISOString();
}

async function ingestJUnit(patterns: readonly string[], options: Options, config: ResolvedConfig, io: Io): Promise<number> {
  if (patterns.length === 0) throw new UsageError('ingest junit needs at least one GLOB (a JUnit XML file or a pattern such as "build/test-results/**/*.xml")');
  const system = ingestSystem(options.system, config, io);
  let matches;
  try {
    matches = expandGlobs(patterns, io.cwd);
  } catch (error) {
    if (error instanceof GlobLimitError) throw new UsageError(error.message);
    throw error;
  }
  for (const match of matches) if (match.files.length === 0) io.stderr.write(`prodeng: ${match.pattern}: no file matches\n`);
  const files = matches.flatMap((match) => match.files);
  if (files.length === 0) throw new UsageError('no JUnit file to ingest: no pattern matched a file');

  const ci = ciRunEnvironment(io.env);
  const fromFiles = fileRunIdentity(files);
  const revision = options.commit === undefined && ci?.commit === undefined ? await gitRevision(io.cwd).catch(() => null) : null;
  const runId = options.run ?? ci?.runId ?? fromFiles.runId;
  if (runId.trim() === '') throw new UsageError('--run must not be empty');
  const attempt = options.attempt === undefined ? (ci?.attempt ?? 1) : positiveInt('attempt', options.attempt, 1);
  const at = options.at === undefined ? fromFiles.at : isoTime('at', options.at);
  const commit = options.commit ?? ci?.commit ?? revision?.commit ?? null;
  const branch = options.branch ?? ci?.branch ?? revision?.branch ?? null;

  const progress = io.stderr.isTTY === true && !options.quiet;
  let done = 0;
  let failed = 0;
  try {
    const recorded = await withStore(options, io, (store) =>
      recordJUnitRun((input) => store.recordTestRun({ ...input, system }), {
        files,
        runId,
        attempt,
        commit,
        branch,
        at,
        onError: (error) => {
          failed++;
          if (progress) io.stderr.write('\r\x1b[2K');
          io.stderr.write(`prodeng: skipped ${error.message}\n`);
        },
        onFile: () => {
          done++;
          if (progress && (done % 50 === 0 || done === files.length)) io.stderr.write(`\r\x1b[2K${done}/${files.length} files`);
        },
      }),
    );
    if (progress) io.stderr.write('\r\x1b[2K');
    say(
      io,
      options,
      `${system}: ${recorded.replaced ? 'replaced' : 'recorded'} run ${runId}${attempt > 1 ? ` attempt ${attempt}` : ''}` +
        `${commit ? ` (${commit.slice(0, 10)}${branch ? ` on ${branch}` : ''})` : ''}: ${recorded.tests} tests, ${recorded.inserted} results from ${recorded.files} file${recorded.files === 1 ? '' : 's'}` +
        (failed > 0 ? `; ${failed} file${failed === 1 ? '' : 's'} skipped` : ''),
    );
    return 0;
  } catch (error) {
    if (error instanceof NoTestResultsError) {
      if (progress) io.stderr.write('\r\x1b[2K');
      io.stderr.write(`prodeng: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

async function ingestGitHubActions(options: Options, config: ResolvedConfig, io: Io): Promise<number> {
  const repo = options.repo;
  if (repo === undefined) throw new UsageError('ingest github-actions needs --repo OWNER/NAME');
  if (!/^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/.test(repo)) throw new UsageError(`--repo must be OWNER/NAME (got "${repo}")`);
  const tokenEnv = options['token-env'] ?? DEFAULT_TOKEN_ENV;
  let token: string | undefined;
  try {
    token = tokenFromEnv(tokenEnv, io.env);
  } catch (error) {
    throw new UsageError(`--token-env: ${(error as Error).message}`);
  }
  if (options['token-env'] !== undefined && token === undefined) throw new UsageError(`--token-env ${tokenEnv}: the variable is not set (or empty)`);
  const since = options.since === undefined ? null : isoTime('since', options.since);
  const baseUrl = options['api-url'] ?? GITHUB_API;
  try {
    const url = new URL(baseUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
  } catch {
    throw new UsageError(`--api-url must be an http(s) URL (got "${baseUrl}")`);
  }
  const maxRuns = options['max-runs'] === undefined ? undefined : positiveInt('max-runs', options['max-runs'], 1000);
  const system = ingestSystem(options.system, config, io, repo.split('/')[1]);
  if (!token && !options.quiet) io.stderr.write(`prodeng: no token in ${tokenEnv}: anonymous requests are limited to 60 an hour\n`);

  // Ctrl-C stops the API reading and nothing is recorded; a second Ctrl-C exits at once.
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = io.stderr.isTTY === true && !options.quiet;
  // Read everything first, then write: the store's write lock is not held while the API is slow.
  const collected: CiRecord[] = [];
  try {
    const generator = githubActionsRecords({
      repo,
      since,
      token: token ?? null,
      // Named in messages about the token: only when there is one, or a 404 would blame it.
      ...(token ? { tokenEnv } : {}),
      baseUrl,
      signal: controller.signal,
      ...(maxRuns === undefined ? {} : { maxRuns }),
    });
    let next = await generator.next();
    while (!next.done) {
      collected.push(next.value);
      if (progress && collected.length % 100 === 0) io.stderr.write(`\r\x1b[2K${collected.length} records`);
      next = await generator.next();
    }
    const summary = next.value;
    const result = await withStore(options, io, (store) => store.recordCiRecords({ system, source: 'github-actions', records: collected }));
    if (progress) io.stderr.write('\r\x1b[2K');
    const s = summary;
    say(
      io,
      options,
      `${system}: ${repo}: ${s.runs} runs, ${s.jobs} jobs in ${s.requests} requests → ${result.inserted} records new, ${result.updated} updated, ${result.unchanged} unchanged` +
        (s.truncated ? ` (stopped at --max-runs; older runs not read)` : ''),
    );
    return 0;
  } catch (error) {
    if (progress) io.stderr.write('\r\x1b[2K');
    if (controller.signal.aborted) {
      io.stderr.write('prodeng: interrupted; nothing of this ingest was recorded\n');
      return 130;
    }
    if (error instanceof DatasourceError) {
      // Records are upserted, so what was read before the error is worth keeping: the next ingest
      // completes and updates it.
      const kept = collected.length === 0 ? null : await withStore(options, io, (store) => store.recordCiRecords({ system, source: 'github-actions', records: collected }));
      io.stderr.write(
        `prodeng: GitHub Actions ingest of ${repo} stopped: ${error.message}\n` +
          (kept ? `The ${collected.length} records read before it were recorded; run the ingest again to complete them.\n` : 'Nothing was recorded.\n'),
      );
      return 5;
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Ends the records of an ingest inside the store's transaction, so that nothing is written. */
class NothingToRecord extends Error {}

async function ingestCiFile(file: string, options: Options, config: ResolvedConfig, io: Io): Promise<number> {
  if (file !== '-') {
    const path = resolve(io.cwd, file);
    if (!existsSync(path)) throw new UsageError(`${file}: no such file`);
    if (statSync(path).isDirectory()) throw new UsageError(`${file}: a directory, not a JSON Lines file`);
  }
  const system = ingestSystem(options.system, config, io);
  const label = file === '-' ? 'stdin' : file;
  let bad = 0;
  let good = 0;
  const items = file === '-' ? readCiJsonlStream(process.stdin) : readCiJsonl(resolve(io.cwd, file));
  const records = (async function* (): AsyncGenerator<CiRecord> {
    try {
      for await (const item of items) {
        if (item.error !== undefined) {
          bad++;
          // The reader's message starts with "line N: ", which `label:N:` already says.
          if (bad <= 20) io.stderr.write(`prodeng: ${label}:${item.line}: ${item.error.replace(/^line \d+: /, '')} (line skipped)\n`);
          continue;
        }
        good++;
        yield item.record;
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (typeof code === 'string' && (error as NodeJS.ErrnoException).syscall !== undefined) {
        throw new NothingToRecord(`${label}: cannot be read (${code}); nothing was recorded`);
      }
      throw error;
    }
    // Nothing read: the transaction rolls back rather than create an empty system.
    if (good === 0) throw new NothingToRecord(`${label}: no CI record could be read${bad > 0 ? '' : ' (the file is empty)'}`);
  })();
  let result;
  try {
    result = await withStore(options, io, (store) => store.recordCiRecords({ system, source: 'jsonl', records }));
  } catch (error) {
    if (!(error instanceof NothingToRecord)) throw error;
    if (bad > 20) io.stderr.write(`prodeng: … and ${bad - 20} more lines skipped\n`);
    io.stderr.write(`prodeng: ${error.message}\n`);
    return 2;
  }
  if (bad > 20) io.stderr.write(`prodeng: … and ${bad - 20} more lines skipped\n`);
  say(io, options, `${system}: ${label}: ${good} records → ${result.inserted} new, ${result.updated} updated, ${result.unchanged} unchanged${bad > 0 ? `; ${bad} lines skipped` : ''}`);
  return 0;
}
