import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { ResolvedConfig, ResolvedSystem } from '../config/load.js';
import { endpointUrlSchema } from '../config/schema.js';
import { SEVERITIES, type Severity } from '../core/model.js';
import { buildReport } from '../core/report-builder.js';
import { allProbes } from '../probes/registry.js';
import { reporters } from '../report/index.js';
import { runObservation, sourceProblem } from '../serve/runner.js';
import { defineCommand, choice, positiveInt, UsageError, type CommandSpec, type OptionsSpec } from './args.js';
import {
  cacheDirectory,
  databaseUrl,
  FORMATS,
  loadConfiguration,
  openDatabase,
  ruleCatalogue,
  toolVersion,
  useColor,
  writeOutput,
  type Io,
} from './context.js';
import { exceedsThreshold } from './fail-on.js';
import { createProgress } from './progress.js';

export const observeSpec = {
  name: 'observe',
  summary:
    'Observe every system in the config, or the given directories, record one snapshot per system, and print its report with the ranked backlog.',
  usage: 'prodeng observe [TARGET...] [options]',
  details: `TARGET is a directory (a repository system named after its folder) or an endpoint URL
(https://host[:port][/path] or tls://host:port; a system named after host:port, observed by the
tls and http probes). Without targets and without systems in the config, the current directory
is observed.

Exit codes: 0 ok · 1 --fail-on threshold met · 2 usage or configuration error ·
3 database error · 4 output could not be written · 130 interrupted.`,
  options: {
    config: { type: 'string', value: 'FILE', description: 'Configuration file (default ./prodeng.yml when present).' },
    db: { type: 'string', value: 'URL', description: 'Database: a SQLite file path or postgres://… (default $PRODENG_DB or .prodeng/prodeng.db).' },
    probe: { type: 'string', multiple: true, value: 'ID', description: 'Run only this probe.' },
    format: { type: 'string', value: 'FORMAT', description: `Report format: ${FORMATS.join(', ')} (default table).` },
    output: { type: 'string', short: 'o', value: 'FILE', description: 'Write the report to FILE instead of stdout.' },
    'fail-on': { type: 'string', value: 'SEVERITY', description: 'Exit 1 when an open finding at or above critical|high|medium|low exists.' },
    limit: { type: 'string', value: 'N', description: 'Rows in table and markdown output (default 30).' },
    offline: { type: 'boolean', description: 'Use no network at all.' },
    host: { type: 'boolean', description: 'Also observe this machine: OS, kernel, installed runtimes and middleware.' },
    quiet: { type: 'boolean', short: 'q', description: 'No progress on stderr.' },
  },
} as const satisfies CommandSpec<OptionsSpec>;

export const observeCommand = defineCommand(observeSpec, async ({ options, positionals }, io) => {
  const format = choice('format', options.format, FORMATS, 'table');
  const failOn = options['fail-on'] === undefined ? undefined : choice('fail-on', options['fail-on'], SEVERITIES.filter((s) => s !== 'info'), 'high');
  const limit = options.limit === undefined ? undefined : positiveInt('limit', options.limit, 30);
  const only = selectProbes(options.probe);
  const config = loadConfiguration(options.config, io);

  const systems: ResolvedSystem[] =
    positionals.length > 0
      ? positionals.map((target) => targetSystem(target, io, config))
      : config.systems.length > 0
        ? config.systems
        : [targetSystem('.', io, config)];
  // Before the database is opened, so that a typo leaves no empty database behind.
  for (const system of systems) {
    const problem = sourceProblem(system, config.file);
    if (problem !== undefined) throw new UsageError(problem);
  }
  if (options.host) {
    for (const system of systems) system.sources = { ...system.sources, hosts: [...new Set([...(system.sources.hosts ?? []), 'local'])] };
  }

  const dbUrl = databaseUrl(options.db, io);
  const store = await openDatabase(options.db, io);
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new Interrupted());
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = createProgress({ stream: io.stderr, enabled: io.stderr.isTTY === true && !options.quiet && format !== 'json' && format !== 'sarif' });
  try {
    const observed = await runObservation({
      systems,
      probes: allProbes,
      ...(only ? { only } : {}),
      store,
      offline: options.offline === true,
      config,
      cacheDir: cacheDirectory(dbUrl, io),
      signal: controller.signal,
      events: progress,
    });
    progress.clear();
    const now = new Date();
    const report = await buildReport(
      store,
      observed.map((o) => o.snapshotId),
      { now, toolVersion: toolVersion(), rules: ruleCatalogue() },
    );
    const color = format === 'table' && options.output === undefined && useColor(io.stdout, io.env);
    writeOutput(
      reporters[format].render(report, { color, now, ...(limit ? { limit } : {}), terminalWidth: io.stdout.columns || 100 }),
      options.output,
      io,
    );
    return failOn !== undefined && exceedsThreshold(report.findings, failOn as Severity) ? 1 : 0;
  } catch (error) {
    progress.clear();
    if (error instanceof Interrupted || controller.signal.aborted) {
      io.stderr.write('prodeng: interrupted; snapshots already recorded are kept, the unfinished one was not recorded\n');
      return 130;
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await store.close();
  }
});

class Interrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'Interrupted';
  }
}

function selectProbes(ids: readonly string[] | undefined): Set<string> | undefined {
  if (!ids || ids.length === 0) return undefined;
  const known = allProbes.map((probe) => probe.id);
  for (const id of ids) if (!known.includes(id)) throw new UsageError(`--probe ${id}: unknown probe; known probes: ${known.join(', ')}`);
  return new Set(ids);
}

function targetSystem(target: string, io: Io, config: ResolvedConfig): ResolvedSystem {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    const parsed = endpointUrlSchema.safeParse(target);
    if (!parsed.success) throw new UsageError(`${target}: ${parsed.error.issues[0]?.message ?? 'not an endpoint URL'}`);
    return config.endpointSystem(target);
  }
  const systemFor = config.systemFor;
  const path = resolve(io.cwd, target);
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new UsageError(`${target}: no such directory`);
  }
  if (!isDir) throw new UsageError(`${target}: not a directory (a target is a repository directory)`);
  return systemFor(basename(path) || path, path);
}
