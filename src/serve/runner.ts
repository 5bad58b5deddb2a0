/**
 * One observation, as both `prodeng observe` and the service run it: check that the systems'
 * sources exist, then hand the systems to the engine, which records one snapshot per system.
 * {@link runSystem} wraps that for the service (the scheduler and "observe now"): it observes one
 * system and never rejects, so a database error becomes an outcome to show rather than a crash.
 */
import { statSync } from 'node:fs';
import type { ResolvedConfig, ResolvedSystem } from '../config/load.js';
import { observe, type ObservedSnapshot, type ObserveEvents } from '../core/engine.js';
import type { SnapshotStatus } from '../core/model.js';
import type { AnyProbe } from '../core/probe.js';
import type { Store } from '../store/store.js';

export interface ObservationOptions {
  systems: readonly ResolvedSystem[];
  /** Every registered probe (`allProbes` outside tests). */
  probes: readonly AnyProbe[];
  store: Store;
  /** Where the systems came from (for messages) and the per-probe time limit. */
  config: Pick<ResolvedConfig, 'file' | 'timeoutMs'>;
  cacheDir: string;
  /** Aborting it stops the observation; the snapshot being made is not recorded. */
  signal: AbortSignal;
  /** Only these probe ids (`--probe`); the others are recorded as skipped. */
  only?: ReadonlySet<string>;
  /** No network at all. */
  offline?: boolean;
  /** The observation's clock (tests pin it). */
  now?: () => Date;
  events?: ObserveEvents;
}

/** A system that cannot be observed at all: its configured repository is not a directory. */
export class SourceError extends Error {
  readonly code = 'source';
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}

/** Why a system's sources cannot be observed (its `repo:` is not a directory), or undefined. */
export function sourceProblem(system: ResolvedSystem, configFile: string | null): string | undefined {
  const repo = system.sources.repo;
  if (repo === undefined) return undefined;
  try {
    if (statSync(repo).isDirectory()) return undefined;
  } catch {
    // fall through to the message below
  }
  return `${configFile ?? 'config'}: system "${system.name}": repo ${repo} is not a directory (fix repo: in the config, or restore the directory)`;
}

/**
 * Observes the systems one after another and returns what was recorded. Throws a
 * {@link SourceError} before observing anything when a repository is missing, a `StoreError`
 * when the database fails, and the signal's reason when aborted (snapshots already recorded stay).
 */
export async function runObservation(options: ObservationOptions): Promise<ObservedSnapshot[]> {
  for (const system of options.systems) {
    const problem = sourceProblem(system, options.config.file);
    if (problem !== undefined) throw new SourceError(problem);
  }
  return observe({
    systems: options.systems,
    probes: options.probes,
    ...(options.only ? { only: options.only } : {}),
    store: options.store,
    offline: options.offline === true,
    timeoutMs: options.config.timeoutMs,
    cacheDir: options.cacheDir,
    signal: options.signal,
    ...(options.now ? { now: options.now } : {}),
    ...(options.events ? { events: options.events } : {}),
  });
}

export interface RunSystemOptions extends Omit<ObservationOptions, 'systems'> {
  system: ResolvedSystem;
}

interface RunTimes {
  system: string;
  /** ISO-8601 UTC, by the run's clock. */
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}

/**
 * How one run of one system ended: a snapshot was `recorded` (whatever its status), the run
 * threw (`error`, with a message safe to log), or it was `aborted` (nothing recorded).
 */
export type RunOutcome =
  | (RunTimes & { kind: 'recorded'; snapshotId: string; status: SnapshotStatus })
  | (RunTimes & { kind: 'error'; message: string })
  | (RunTimes & { kind: 'aborted' });

/** Observes one system. Never rejects: every way a run can end is a {@link RunOutcome}. */
export async function runSystem(options: RunSystemOptions): Promise<RunOutcome> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const times = (): RunTimes => {
    const finished = now();
    return {
      system: options.system.name,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: Math.max(0, finished.getTime() - started.getTime()),
    };
  };
  const { system, ...rest } = options;
  try {
    const [observed] = await runObservation({ ...rest, systems: [system], now });
    if (observed === undefined) throw new Error(`the engine recorded no snapshot of "${system.name}"`);
    return { ...times(), kind: 'recorded', snapshotId: observed.snapshotId, status: observed.status };
  } catch (error) {
    if (options.signal.aborted) return { ...times(), kind: 'aborted' };
    return { ...times(), kind: 'error', message: errorMessage(error) };
  }
}

/**
 * A thrown value's message for a log or the API: its first line only (no stack), with any
 * credentials in URLs cut out. Store errors already redact their database URL; this also covers
 * whatever else a run may throw.
 */
export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n')[0] || (error instanceof Error ? error.name : 'unknown error');
  return redactCredentials(firstLine);
}

/** `scheme://user:password@host` → `scheme://***@host`, anywhere in a text. */
export function redactCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi, '$1***@');
}
