/**
 * The one small contract every probe implements. The engine knows nothing else about a probe.
 *
 * @example
 * export const todoProbe: Probe<TodoConfig> = {
 *   id: 'todo', aspect: 'code-health', title: 'TODO/FIXME debt', description: '…',
 *   rules: [{ id: 'todo/marker', … }],
 *   configSchema: todoConfigSchema,
 *   appliesTo: (system) => system.repo !== undefined,
 *   run: async (ctx, config) => ({ status: 'ok', findings, metrics, errors: [] }),
 * };
 */
import type { z } from 'zod';
import type { CiRecord } from '../ci/model.js';
import type { CiRecordsOptions, TestHistory, TestHistoryOptions, TestRunInput, TestRunRecorded } from '../store/store.js';
import type { Aspect, ProbeResult, RuleMeta } from './model.js';

/** Where a system can be observed. More kinds of source arrive with later probes. */
export interface SystemSources {
  /** Absolute path of a local repository or directory. */
  repo?: string;
  /** Hosts whose installed software is observed; `local` is the machine prodeng runs on. */
  hosts?: string[];
  /**
   * Network endpoints: `https://host[:port][/path]`, `http://…`, or `tls://host:port`, with an
   * optional server name for SNI (when the URL names an address). Only these are contacted.
   */
  endpoints?: Endpoint[];
}

export interface Endpoint {
  url: string;
  sni?: string;
}

export interface SystemSpec {
  name: string;
  sources: SystemSources;
}

/** Reports progress of long work; the CLI shows it on a terminal and drops it elsewhere. */
export type ProgressFn = (message: string, counts?: { done: number; total?: number }) => void;

/**
 * The part of the history a probe may read and add to, scoped to the system being observed. Some
 * aspects are not seen at one point in time but over many (test runs, CI durations): their probes
 * analyse what earlier ingests recorded. Nothing here can touch snapshots or findings; those are
 * the engine's.
 */
export interface SystemHistory {
  /** Records one test run of this system (idempotent per run id and attempt). */
  recordTestRun(input: Omit<TestRunInput, 'system'>): Promise<TestRunRecorded>;
  testHistory(options?: TestHistoryOptions): Promise<TestHistory>;
  /** CI runs, jobs and steps recorded by `prodeng ingest github-actions|ci`. */
  ciRecords(options?: CiRecordsOptions): Promise<CiRecord[]>;
}

/** A history with nothing in it that refuses writes: for running a probe outside the engine. */
export function detachedHistory(system: string): SystemHistory {
  return {
    recordTestRun: () => Promise.reject(new Error('no store: this probe run cannot record test runs')),
    testHistory: () => Promise.resolve({ system, runs: [], tests: [] }),
    ciRecords: () => Promise.resolve([]),
  };
}

export interface ProbeContext {
  system: SystemSpec;
  /** Aborted on timeout or Ctrl-C; a probe stops promptly and returns what it has or throws. */
  signal: AbortSignal;
  /** The observation's clock: every age is computed against it (tests pin it). */
  now: Date;
  /** No network at all when true. */
  offline: boolean;
  /** A directory the probe may use for caches (created on demand by the probe). */
  cacheDir: string;
  progress: ProgressFn;
  /** This system's stored history (test runs…); see {@link SystemHistory}. */
  history: SystemHistory;
}

/** Documentation of one option of a probe's config, shown by `prodeng probes`. */
export interface ProbeOptionDoc {
  key: string;
  type: string;
  default: string;
  description: string;
}

/**
 * What the engine needs to know about one of a probe's metrics to judge its trend: which way is
 * better. Without an entry the direction is inferred from the name (`latency`, `error_rate` are
 * costs; `coverage`, `availability` are goods); `neither` keeps a metric out of trend findings
 * (a count of files scanned, days left on a certificate that is renewed on a cycle).
 */
export interface MetricMeta {
  better: 'lower' | 'higher' | 'neither';
}

export interface Probe<C = unknown> {
  /** Equals its folder name under src/probes. */
  id: string;
  aspect: Aspect;
  title: string;
  description: string;
  /** Every rule the probe can report, with its metadata (SARIF, docs). */
  rules: RuleMeta[];
  /** zod schema of the probe's options; defaults live here. Unknown keys must be rejected. */
  configSchema: z.ZodType<C>;
  options: ProbeOptionDoc[];
  /** Metrics whose direction is not clear from their name, by metric name; see {@link MetricMeta}. */
  metrics?: Readonly<Record<string, MetricMeta>>;
  /** Cheap, no I/O: can this probe observe anything of the system's sources? */
  appliesTo(system: SystemSpec): boolean;
  run(ctx: ProbeContext, config: C): Promise<ProbeResult>;
}

/**
 * A probe whose config type has been erased, as the registry holds them. `any` is safe here
 * because the engine only ever passes a config that the probe's own schema has just parsed.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type AnyProbe = Probe<any>;
