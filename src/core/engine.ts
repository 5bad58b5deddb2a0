/**
 * The observation engine: for each system, run every probe that applies (bounded concurrency, a
 * time limit and an AbortSignal each), check what they return, apply ignores, and hand the whole
 * snapshot to the store in one piece. A probe that throws or times out marks the snapshot
 * `partial`; it never ends the run. Only an abort (Ctrl-C) stops the engine, and then nothing
 * half-done is recorded.
 */
import type { ResolvedSystem } from '../config/load.js';
import type { FindingInput, MetricInput, Store } from '../store/store.js';
import { mapLimit } from '../util/concurrency.js';
import { gitRevision } from '../util/git.js';
import { compileIgnores, storedIgnoreEntries } from './ignores.js';
import { CORE_PROBE_ID, type ProbeResult, type ProbeRunRecord, type ProbeRunStatus, type SnapshotStatus } from './model.js';
import type { AnyProbe, ProbeContext, SystemHistory } from './probe.js';
import { TREND_PROBE_ID, trendFindings } from './trend.js';
import { validateProbeResult } from './validate.js';

/** Hooks for progress display; all optional. */
export interface ObserveEvents {
  systemStart?(system: string, index: number, total: number): void;
  probeStart?(system: string, probe: string): void;
  probeProgress?(system: string, probe: string, message: string, counts?: { done: number; total?: number }): void;
  probeEnd?(system: string, probe: string, status: ProbeRunStatus, durationMs: number): void;
  systemEnd?(system: string, snapshotId: string, status: SnapshotStatus): void;
}

export interface ObserveOptions {
  systems: readonly ResolvedSystem[];
  /** Every registered probe, in a stable order. */
  probes: readonly AnyProbe[];
  /** Only these probe ids (`--probe`); the others are recorded as skipped. */
  only?: ReadonlySet<string>;
  store: Store;
  offline: boolean;
  timeoutMs: number;
  cacheDir: string;
  signal: AbortSignal;
  now?: () => Date;
  events?: ObserveEvents;
  /** Probes of one system run side by side up to this many. */
  probeConcurrency?: number;
}

export interface ObservedSnapshot {
  system: string;
  snapshotId: string;
  status: SnapshotStatus;
}

export async function observe(options: ObserveOptions): Promise<ObservedSnapshot[]> {
  const now = options.now ?? (() => new Date());
  const observed: ObservedSnapshot[] = [];
  // Systems one after another: each already runs its probes in parallel, and a steady order keeps
  // progress readable. Each snapshot is stored as soon as it is complete, so an interrupt later
  // loses nothing already recorded.
  for (const [index, system] of options.systems.entries()) {
    options.signal.throwIfAborted();
    options.events?.systemStart?.(system.name, index, options.systems.length);
    const result = await observeSystem(system, options, now);
    observed.push(result);
    options.events?.systemEnd?.(result.system, result.snapshotId, result.status);
  }
  return observed;
}

async function observeSystem(system: ResolvedSystem, options: ObserveOptions, now: () => Date): Promise<ObservedSnapshot> {
  const started = now();
  // Asked alongside the probes rather than before them: git takes a few process starts.
  const revision = system.sources.repo ? gitRevision(system.sources.repo, options.signal) : Promise.resolve(null);
  revision.catch(() => undefined); // awaited below
  // Ignores of prodeng.yml and those made through `prodeng serve`'s API apply alike.
  const ignores = compileIgnores([...system.ignores, ...storedIgnoreEntries(await options.store.listIgnores({ system: system.name }))], started);

  const runs = await mapLimit(
    options.probes,
    options.probeConcurrency ?? 4,
    async (probe): Promise<{ record: ProbeRunRecord; findings: FindingInput[]; metrics: MetricInput[] }> => {
      const skipped = { record: { id: probe.id, status: 'skipped' as const, durationMs: 0, errors: [] }, findings: [], metrics: [] };
      const setting = system.probes.get(probe.id);
      if (options.only && !options.only.has(probe.id)) return skipped;
      if (setting?.enabled === false) return skipped;
      if (!probe.appliesTo(system)) return skipped;

      options.events?.probeStart?.(system.name, probe.id);
      const begin = performance.now();
      const result = await runProbe(probe, setting?.config, system, options, started);
      const durationMs = Math.round(performance.now() - begin);
      options.events?.probeEnd?.(system.name, probe.id, result.status, durationMs);
      // The reason is kept as facts (shown as a note), so a report says why nothing was seen.
      if (result.status === 'skipped') return { ...skipped, record: { ...skipped.record, durationMs, facts: { reason: result.reason, notes: [result.reason] } } };
      const record: ProbeRunRecord = {
        id: probe.id,
        status: result.status,
        durationMs,
        errors: result.errors,
        ...(result.status !== 'failed' && result.facts !== undefined ? { facts: result.facts } : {}),
      };
      if (result.status === 'failed') return { record, findings: [], metrics: [] };
      const findings = result.findings.map((finding): FindingInput => {
        const suppressed = ignores.match(finding);
        return { ...finding, probe: probe.id, aspect: probe.aspect, ...(suppressed ? { suppressed } : {}) };
      });
      return { record, findings, metrics: result.metrics.map((metric) => ({ ...metric, probe: probe.id })) };
    },
    options.signal,
  );
  options.signal.throwIfAborted();

  const probeRuns = runs.map((run) => run.record);
  const findings = runs.flatMap((run) => run.findings);
  const metrics = runs.flatMap((run) => run.metrics);
  // The engine's own findings (expired ignores) live under the pseudo-probe `core`, which always
  // runs completely, so a renewed or deleted ignore resolves its finding.
  findings.push(...ignores.expired.map((finding): FindingInput => ({ ...finding, probe: CORE_PROBE_ID, aspect: 'governance' })));
  probeRuns.push({ id: CORE_PROBE_ID, status: 'ok', durationMs: 0, errors: [] });
  const trend = await trendRun(system.name, metrics, probeRuns, options, started);
  findings.push(...trend.findings);
  probeRuns.push(trend.record);

  const snapshotId = await options.store.recordSnapshot({
    system: system.name,
    startedAt: started.toISOString(),
    finishedAt: now().toISOString(),
    status: snapshotStatus(probeRuns),
    revision: await revision,
    probes: probeRuns,
    findings,
    metrics,
  });
  return { system: system.name, snapshotId, status: snapshotStatus(probeRuns) };
}

async function runProbe(
  probe: AnyProbe,
  config: unknown,
  system: ResolvedSystem,
  options: ObserveOptions,
  started: Date,
): Promise<ProbeResult> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([options.signal, timeout]);
  const ctx: ProbeContext = {
    system: { name: system.name, sources: system.sources },
    signal,
    now: started,
    offline: options.offline,
    cacheDir: options.cacheDir,
    progress: (message, counts) => options.events?.probeProgress?.(system.name, probe.id, message, counts),
    history: systemHistory(options.store, system.name),
  };
  try {
    // A probe that ignores its signal must not hold the run hostage: race it against the abort.
    const result = await new Promise<unknown>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      probe.run(ctx, config as never).then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
    return validateProbeResult(probe.id, result);
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason;
    if (timeout.aborted) {
      return { status: 'failed', errors: [{ message: `timed out after ${Math.round(options.timeoutMs / 1000)} s (raise "timeout" in prodeng.yml)`, code: 'timeout' }] };
    }
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown }).code;
    return { status: 'failed', errors: [{ message, ...(typeof code === 'string' ? { code } : {}) }] };
  }
}

/**
 * Change points over every metric series (core/trend.ts), recorded under the pseudo-probe
 * `trend`. It is `partial` when a probe did not run completely or `--probe` narrowed the run:
 * a series missing from this snapshot then proves nothing, so its open trend findings stay open.
 */
async function trendRun(
  system: string,
  metrics: MetricInput[],
  probeRuns: readonly ProbeRunRecord[],
  options: ObserveOptions,
  started: Date,
): Promise<{ record: ProbeRunRecord; findings: FindingInput[] }> {
  const begin = performance.now();
  const byId = new Map(options.probes.map((probe) => [probe.id, probe]));
  const unfinished = probeRuns.filter((run) => run.status === 'failed' || run.status === 'partial').map((run) => run.id);
  const incomplete = options.only !== undefined || unfinished.length > 0;
  // Said in the report, so a `partial` here is not mistaken for a fault of the trend analysis.
  const why =
    unfinished.length > 0
      ? `${unfinished.join(', ')} did not observe completely, so open trend findings are kept, not resolved`
      : '--probe narrowed the run, so open trend findings are kept, not resolved';
  try {
    const outcome = await trendFindings({
      store: options.store,
      system,
      metrics,
      probeInfo: (id) => {
        const probe = byId.get(id);
        return probe ? { aspect: probe.aspect, ...(probe.metrics ? { metrics: probe.metrics } : {}) } : undefined;
      },
      at: started.toISOString(),
      signal: options.signal,
    });
    const durationMs = Math.round(performance.now() - begin);
    return {
      record: { id: TREND_PROBE_ID, status: incomplete ? 'partial' : 'ok', durationMs, errors: [], facts: { seriesAnalysed: outcome.analysed, ...(incomplete ? { notes: [why] } : {}) } },
      findings: outcome.findings,
    };
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason;
    const message = error instanceof Error ? error.message : String(error);
    return { record: { id: TREND_PROBE_ID, status: 'failed', durationMs: Math.round(performance.now() - begin), errors: [{ message, code: 'trend' }] }, findings: [] };
  }
}

/** The store, narrowed to what a probe may do with the history of the system it observes. */
function systemHistory(store: Store, system: string): SystemHistory {
  return {
    recordTestRun: (input) => store.recordTestRun({ ...input, system }),
    testHistory: (historyOptions) => store.testHistory(system, historyOptions),
    ciRecords: (ciOptions) => store.ciRecords(system, ciOptions),
  };
}

export function snapshotStatus(runs: readonly ProbeRunRecord[]): SnapshotStatus {
  // The engine's own pseudo-probes say nothing about whether the system could be observed.
  const ran = runs.filter((run) => run.status !== 'skipped' && run.id !== CORE_PROBE_ID && run.id !== TREND_PROBE_ID);
  if (ran.length > 0 && ran.every((run) => run.status === 'failed')) return 'failed';
  if (ran.some((run) => run.status !== 'ok')) return 'partial';
  return 'complete';
}
