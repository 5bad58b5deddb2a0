/**
 * Entry point: dispatches to one module per command and turns errors into documented exit codes.
 *
 * Exit codes: 0 ok · 1 `--fail-on` threshold met · 2 usage or configuration error ·
 * 3 database error · 4 output could not be written · 5 reference data could not be downloaded ·
 * 70 internal error · 130 interrupted.
 */
import { ConfigError } from '../config/load.js';
import { StoreError } from '../store/errors.js';
import { UsageError, type Command } from './args.js';
import { changepointsCommand } from './changepoints.js';
import { OutputError, toolVersion, type Io } from './context.js';
import { dataCommand } from './data.js';
import { diffCommand } from './diff.js';
import { historyCommand } from './history.js';
import { ingestCommand } from './ingest.js';
import { initCommand } from './init.js';
import { observeCommand } from './observe.js';
import { probesCommand } from './probes.js';
import { reportCommand } from './report.js';
import { sbomCommand } from './sbom.js';
import { serveCommand } from './serve.js';
import { testsCommand } from './tests.js';

export const EXIT = { ok: 0, failOn: 1, usage: 2, database: 3, output: 4, download: 5, internal: 70, interrupted: 130 } as const;

const commands: Record<string, Command> = {
  observe: observeCommand,
  report: reportCommand,
  diff: diffCommand,
  history: historyCommand,
  ingest: ingestCommand,
  tests: testsCommand,
  changepoints: changepointsCommand,
  serve: serveCommand,
  init: initCommand,
  probes: probesCommand,
  sbom: sbomCommand,
  data: dataCommand,
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length)) + 2;
  const lines = [
    'prodeng — observe systems at fixed points in time and keep their maintenance backlog',
    '',
    'Usage: prodeng <command> [options]',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, command]) => `  ${name.padEnd(width)}${firstSentence(command.spec.summary)}`),
    '',
    'Run `prodeng <command> --help` for its options. Quick start: `npx prodeng observe .`',
    'Exit codes: 0 ok · 1 --fail-on met · 2 usage/config error · 3 database error · 4 output error · 5 download failed · 130 interrupted',
  ];
  return `${lines.join('\n')}\n`;
}

function firstSentence(text: string): string {
  const end = text.indexOf('. ');
  return end > 0 ? text.slice(0, end + 1) : text;
}

export async function main(argv: readonly string[], io: Io = defaultIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic !== undefined && commands[topic]) return commands[topic].run(['--help'], io);
    io.stdout.write(usage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.stdout.write(`${toolVersion()}\n`);
    return EXIT.ok;
  }
  const command = commands[name];
  if (!command) {
    io.stderr.write(`prodeng: unknown command "${name}"\n\n${usage()}`);
    return EXIT.usage;
  }
  try {
    return await command.run(rest, io);
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
