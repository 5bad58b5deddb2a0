/**
 * `prodeng serve`: one process that serves the dashboard, the JSON API, /metrics and /healthz
 * (src/serve/server.ts) and runs the scheduler (src/serve/scheduler.ts) over one store.
 *
 * Safe by default: it binds 127.0.0.1, refuses any other address without a token, and never
 * prints the token. SIGINT or SIGTERM stop it gracefully (no new requests, running ones finish,
 * observations in flight are aborted and not recorded, the store is closed) with exit 0.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadEolData } from '../eol/data.js';
import { allProbes } from '../probes/registry.js';
import { formatSchedulerEvent, startScheduler, type SchedulerOptions } from '../serve/scheduler.js';
import type { SchedulerHandle } from '../serve/scheduler-contract.js';
import { ListenError, startServer, type RunningServer } from '../serve/server.js';
import { isLoopbackHost } from '../serve/auth.js';
import { defaultDashboardDir } from '../serve/static.js';
import { defineCommand, UsageError, type Command, type CommandSpec, type OptionsSpec } from './args.js';
import { cacheDirectory, databaseUrl, loadConfiguration, openDatabase, toolVersion, type Io } from './context.js';

export const DEFAULT_PORT = 7070;
export const DEFAULT_TOKEN_ENV = 'PRODENG_TOKEN';
/** Shorter tokens are refused: the token is all that stands between the network and the data. */
export const MIN_TOKEN_LENGTH = 16;

export const serveSpec = {
  name: 'serve',
  summary: 'Run prodeng as a service: the dashboard, a JSON API, /metrics and /healthz, and the scheduler that observes every configured system on its schedule.',
  usage: 'prodeng serve [--config FILE] [--db URL] [--host 127.0.0.1] [--port 7070] [--token-env VAR] [--tls-cert FILE --tls-key FILE] [--no-scheduler]',
  details: `The API is documented in docs/api.md and at /api/openapi.json. Without a token the server
is read-only and binds only to loopback; set one (at least ${MIN_TOKEN_LENGTH} characters) in the
environment variable named by --token-env (default ${DEFAULT_TOKEN_ENV}) to allow writes (observe now,
ignores) and to bind to another address, where reads need it too. The token is never printed.

Schedules are the systems' schedule: entries in prodeng.yml (default every day at 06:00).
SIGINT or SIGTERM stop the service gracefully.

Exit codes: 0 stopped by a signal · 2 usage or configuration error (a non-loopback --host without a
token, a port in use) · 3 database error.`,
  options: {
    config: { type: 'string', value: 'FILE', description: 'Configuration file (default ./prodeng.yml when present).' },
    db: { type: 'string', value: 'URL', description: 'Database: a SQLite file path or postgres://… (default $PRODENG_DB or .prodeng/prodeng.db).' },
    host: { type: 'string', value: 'ADDRESS', description: 'Address to listen on (default 127.0.0.1; another needs a token).' },
    port: { type: 'string', value: 'PORT', description: `Port to listen on (default ${DEFAULT_PORT}; 0 picks a free one).` },
    'token-env': { type: 'string', value: 'VAR', description: `Environment variable that holds the token (default ${DEFAULT_TOKEN_ENV}).` },
    'tls-cert': { type: 'string', value: 'FILE', description: 'Serve HTTPS with this PEM certificate (chain) …' },
    'tls-key': { type: 'string', value: 'FILE', description: '… and this PEM private key.' },
    'no-scheduler': { type: 'boolean', description: 'Serve only: observe nothing on a schedule ("observe now" answers 503).' },
    offline: { type: 'boolean', description: 'Scheduled observations use no network (as observe --offline).' },
  },
  positionals: { max: 0, hint: 'systems come from the configuration (--config)' },
} as const satisfies CommandSpec<OptionsSpec>;

/** Starts the scheduler; `startScheduler` in production, a fake in tests. */
export type SchedulerFactory = (options: SchedulerOptions) => SchedulerHandle;

function readToken(variable: string, explicit: boolean, io: Io): string | null {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) throw new UsageError(`--token-env ${variable}: not an environment variable name`);
  const value = io.env[variable];
  if (value === undefined || value === '') {
    if (explicit) throw new UsageError(`--token-env ${variable}: the variable is not set (or empty); set it to a long random token, e.g. $(openssl rand -hex 32)`);
    return null;
  }
  if (value.trim() !== value || /\s/.test(value)) throw new UsageError(`the token in ${variable} contains white space; use a token without spaces, e.g. $(openssl rand -hex 32)`);
  if (value.length < MIN_TOKEN_LENGTH) {
    throw new UsageError(`the token in ${variable} is shorter than ${MIN_TOKEN_LENGTH} characters; use a long random one, e.g. $(openssl rand -hex 32)`);
  }
  return value;
}

function readPem(option: string, file: string, io: Io): string {
  try {
    return readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    throw new UsageError(`--${option} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(port) || port > 65_535) throw new UsageError(`--port must be a whole number from 0 to 65535 (got "${value}")`);
  return port;
}

export function createServeCommand(schedulerFactory: SchedulerFactory): Command {
  return defineCommand(serveSpec, async ({ options }, io) => {
    const host = options.host ?? '127.0.0.1';
    const port = parsePort(options.port);
    const tokenEnv = options['token-env'] ?? DEFAULT_TOKEN_ENV;
    const token = readToken(tokenEnv, options['token-env'] !== undefined, io);
    if (token === null && !isLoopbackHost(host)) {
      throw new UsageError(
        `refusing to listen on ${host} without a token: anyone who can reach it could read every finding. ` +
          `Set a token of at least ${MIN_TOKEN_LENGTH} characters in ${tokenEnv} (or name another variable with --token-env), or listen on 127.0.0.1.`,
      );
    }
    if ((options['tls-cert'] === undefined) !== (options['tls-key'] === undefined)) {
      throw new UsageError('--tls-cert and --tls-key go together: give both (PEM files) for HTTPS, or neither');
    }
    const tls =
      options['tls-cert'] !== undefined && options['tls-key'] !== undefined
        ? { cert: readPem('tls-cert', options['tls-cert'], io), key: readPem('tls-key', options['tls-key'], io) }
        : undefined;
    const config = loadConfiguration(options.config, io);
    const dbUrl = databaseUrl(options.db, io);
    const cacheDir = cacheDirectory(dbUrl, io);
    let eolData: { source: string; asOf: string } | null = null;
    try {
      const data = loadEolData({ cacheDir });
      eolData = { source: data.source, asOf: data.asOf };
    } catch {
      // Shown as unknown in the dashboard; the versions probe reports the problem when it runs.
    }

    const store = await openDatabase(options.db, io);
    const log = (line: string) => io.stderr.write(`${line}\n`);
    let server: RunningServer | undefined;
    let scheduler: SchedulerHandle | null = null;
    const stopped = new Promise<void>((resolveStop) => {
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals) => {
        signals++;
        if (signals > 1) process.exit(130);
        log(`prodeng serve: ${signal}: stopping (running observations are aborted and not recorded)`);
        resolveStop();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
    try {
      try {
        server = await startServer({
          store,
          scheduler: null,
          config,
          cwd: io.cwd,
          host,
          port,
          token,
          tls,
          dashboardDir: defaultDashboardDir(),
          version: toolVersion(),
          eolData,
          log: (line) => log(`prodeng serve: ${line}`),
        });
      } catch (error) {
        if (error instanceof ListenError) throw new UsageError(error.message);
        throw error;
      }
      if (options['no-scheduler'] !== true) {
        scheduler = schedulerFactory({
          config,
          store,
          probes: allProbes,
          cacheDir,
          ...(options.offline === true ? { offline: true } : {}),
          onEvent: (event) => log(formatSchedulerEvent(event)),
        });
        server.setScheduler(scheduler);
      }
      const access = token === null ? 'read-only (no token)' : isLoopbackHost(host) ? 'writes need the token' : 'reads and writes need the token';
      const schedule = scheduler === null ? 'scheduler off' : `scheduler on for ${config.systems.length} system${config.systems.length === 1 ? '' : 's'}`;
      io.stdout.write(`prodeng serve: listening on ${server.url}/ (${access}; ${schedule})\n`);
      await stopped;
    } finally {
      await server?.close();
      await scheduler?.stop();
      await store.close();
    }
    log('prodeng serve: stopped');
    return 0;
  });
}

export const serveCommand = createServeCommand(startScheduler);
