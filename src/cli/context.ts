/**
 * What the commands share: where the database is, which config applies, how to write output, and
 * whether to colour it.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { defaultConfig, loadConfigFile, type ResolvedConfig } from '../config/load.js';
import { CORE_RULES } from '../core/ignores.js';
import { TREND_RULES } from '../core/trend.js';
import type { RuleMeta } from '../core/model.js';
import { allProbes } from '../probes/registry.js';
import { defaultDatabasePath, openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { UsageError } from './args.js';

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export const FORMATS = ['table', 'json', 'markdown', 'sarif'] as const;

/** `--db`, then `PRODENG_DB`, then `.prodeng/prodeng.db` under the current directory. */
export function databaseUrl(option: string | undefined, io: Io): string {
  return option ?? (io.env.PRODENG_DB || undefined) ?? defaultDatabasePath(io.cwd);
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Opens the store. Commands that only read (`report`, `diff`, `history`) pass `create: false`, so
 * that asking in the wrong directory says so instead of leaving an empty database behind.
 */
export async function openDatabase(option: string | undefined, io: Io, { create = true } = {}): Promise<Store> {
  const url = databaseUrl(option, io);
  if (!create && !isPostgresUrl(url) && url !== ':memory:') {
    const path = resolve(io.cwd, url.replace(/^(sqlite|file):(?!\/\/)/, ''));
    if (!existsSync(path)) {
      throw new UsageError(`no prodeng database at ${path} yet; run \`prodeng observe\` here first, or pass --db (or set PRODENG_DB)`);
    }
  }
  return openStore(url, { cwd: io.cwd });
}

/** Caches live next to a SQLite database, or in the user's cache directory for PostgreSQL. */
export function cacheDirectory(dbUrl: string, io: Io): string {
  if (!isPostgresUrl(dbUrl)) {
    const path = dbUrl.replace(/^(sqlite|file):/, '');
    return join(dirname(resolve(io.cwd, path)), 'cache');
  }
  return join(io.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'prodeng');
}

/** `--config FILE` must exist; otherwise `./prodeng.yml` when present, else the defaults. */
export function loadConfiguration(option: string | undefined, io: Io): ResolvedConfig {
  if (option !== undefined) {
    const file = resolve(io.cwd, option);
    if (!existsSync(file)) throw new UsageError(`--config ${option}: no such file`);
    return loadConfigFile(file, allProbes);
  }
  const file = join(io.cwd, 'prodeng.yml');
  return existsSync(file) ? loadConfigFile(file, allProbes) : defaultConfig(io.cwd, allProbes);
}

export function ruleCatalogue(): Map<string, RuleMeta> {
  const rules = new Map<string, RuleMeta>();
  for (const rule of [...CORE_RULES, ...TREND_RULES]) rules.set(rule.id, rule);
  for (const probe of allProbes) for (const rule of probe.rules) rules.set(rule.id, rule);
  return rules;
}

/** Colour only for a terminal, and never with NO_COLOR (https://no-color.org); FORCE_COLOR wins. */
export function useColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && (stream.hasColors?.() ?? true);
}

/** Exit code 4: the result could not be written (disk full, permissions). */
export { OutputError, writeOutput } from './output.js';


export { toolVersion } from '../util/version.js';
