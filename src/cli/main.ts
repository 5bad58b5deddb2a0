/**
 * Entry point: dispatches to one module per command and turns errors into documented exit codes.
 *
 * Exit codes: 0 ok · 1 `--fail-on` threshold met · 2 usage or configuration error ·
 * 3 database error · 4 output could not be written · 5 reference data could not be downloaded ·
 * 70 internal error · 130 interrupted.
 */
import { ConfigError } from '../config/errors.js';
import { StoreError } from '../store/errors.js';
import { toolVersion } from '../util/version.js';
import { UsageError, type Command } from './args.js';
import type { Io } from './context.js';
import { OutputError } from './output.js';

export const EXIT = { ok: 0, failOn: 1, usage: 2, database: 3, output: 4, download: 5, internal: 70, interrupted: 130 } as const;

/**
 * Each command is loaded only when it runs: the whole CLI is a large bundle (probes, TLS tables,
 * the server), and `prodeng --version` or `prodeng changepoints` should not pay for all of it.
 * The summaries are the first sentence of each command's own summary (main.test.ts checks).
 */
export const COMMANDS: Readonly<Record<string, { summary: string; load(): Promise<Command> }>> = {
  observe: {
    summary: 'Observe every system in the config, or the given directories, record one snapshot per system, and print its report with the ranked backlog.',
    load: async () => (await import('./observe.js')).observeCommand,
  },
  report: {
    summary: 'Print the latest snapshot of every system (or of the named ones) and the ranked backlog, from the store alone.',
    load: async () => (await import('./report.js')).reportCommand,
  },
  diff: {
    summary: 'Show what changed between two snapshots (default: the last two): findings new, resolved and reopened; metrics that moved.',
    load: async () => (await import('./diff.js')).diffCommand,
  },
  history: {
    summary: "Show a metric's series over snapshots, with a sparkline; without --metric, every metric of the system.",
    load: async () => (await import('./history.js')).historyCommand,
  },
  ingest: {
    summary: 'Record CI history: JUnit test results, GitHub Actions runs, or CI runs as JSON Lines.',
    load: async () => (await import('./ingest.js')).ingestCommand,
  },
  tests: {
    summary: 'List the flaky, broken and slow tests of a system from its recorded test runs; `tests quarantine` exports the flaky ones.',
    load: async () => (await import('./tests.js')).testsCommand,
  },
  changepoints: {
    summary: 'Find the points where the mean of a series shifts for good (E-Divisive means with a permutation test).',
    load: async () => (await import('./changepoints.js')).changepointsCommand,
  },
  serve: {
    summary: 'Run prodeng as a service: the dashboard, a JSON API, /metrics and /healthz, and the scheduler that observes every configured system on its schedule.',
    load: async () => (await import('./serve.js')).serveCommand,
  },
  init: {
    summary: 'Write a commented prodeng.yml for the current directory.',
    load: async () => (await import('./init.js')).initCommand,
  },
  probes: {
    summary: 'List the probes, their aspects, rules and config options.',
    load: async () => (await import('./probes.js')).probesCommand,
  },
  sbom: {
    summary: 'Write a software bill of materials (CycloneDX 1.6 or SPDX 2.3 JSON) of everything found in a repository.',
    load: async () => (await import('./sbom.js')).sbomCommand,
  },
  data: {
    summary: 'Show or refresh the reference data prodeng judges with (end-of-life dates from endoflife.date).',
    load: async () => (await import('./data.js')).dataCommand,
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length)) + 2;
  const lines = [
    'prodeng — observe systems at fixed points in time and keep their maintenance backlog',
    '',
    'Usage: prodeng <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}${command.summary}`),
    '',
    'Run `prodeng <command> --help` for its options. Quick start: `npx prodeng observe .`',
    'Exit codes: 0 ok · 1 --fail-on met · 2 usage/config error · 3 database error · 4 output error · 5 download failed · 130 interrupted',
  ];
  return `${lines.join('\n')}\n`;
}

export function firstSentence(text: string): string {
  const end = text.indexOf('. ');
  return end > 0 ? text.slice(0, end + 1) : text;
}

export async function main(argv: readonly string[], io: Io = defaultIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const entry = topic === undefined ? undefined : COMMANDS[topic];
    if (entry) return (await entry.load()).run(['--help'], io);
    io.stdout.write(usage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.stdout.write(`${toolVersion()}\n`);
    return EXIT.ok;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    io.stderr.write(`prodeng: unknown command "${name}"\n\n${usage()}`);
    return EXIT.usage;
  }
  try {
    return await (await entry.load()).run(rest, io);
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: Io): number {
  if (error instanceof ConfigError) {
    io.stderr.write(`prodeng: configuration error${error.issues.length > 1 ? 's' : ''}:\n${error.message.replace(/^/gm, '  ')}\n`);
    return EXIT.usage;
  }
  if (error instanceof UsageError) {
    io.stderr.write(`prodeng: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof StoreError) {
    // An unknown or ambiguous snapshot reference is a usage error, not a fault of the database.
    if (error.code === 'not-found' || error.code === 'ambiguous') {
      io.stderr.write(`prodeng: ${error.message}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`prodeng: database error: ${error.message}\n`);
    return EXIT.database;
  }
  if (error instanceof OutputError) {
    io.stderr.write(`prodeng: ${error.message}\n`);
    return EXIT.output;
  }
  const err = error as Error;
  io.stderr.write(`prodeng: internal error: ${err?.stack ?? String(error)}\nPlease report it with the command you ran.\n`);
  return EXIT.internal;
}

function defaultIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}
