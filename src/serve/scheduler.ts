/**
 * The service's scheduler: observes each configured system on its cron schedule (`schedule:` in
 * prodeng.yml, read in its `timezone:`), and on demand ("observe now" from the API and the UI).
 *
 * - Never two runs of one system at once: a run that falls due while the system is queued or
 *   running is skipped (and logged); "observe now" answers `busy`.
 * - At most `concurrentRuns` systems at once, so a hundred systems due at 06:00 take turns. Manual
 *   runs go to the front of the queue: someone is waiting for them.
 * - No state of its own: the last run of each system is its latest snapshot in the store, so it
 *   survives restarts. At start, a system whose latest scheduled time has no snapshot after it
 *   (the service was down, or the system was never observed) is observed once, however many runs
 *   were missed.
 * - A run that throws (the database is down) is an `error` in the state and a log event; it never
 *   ends the process.
 * - Timers are never longer than `maxTimerMs` (far below setTimeout's 2^31-1 ms limit): on every
 *   wake-up the next run is computed again from the wall clock, so a clock set back or forward,
 *   or a machine that slept, is noticed within that much. DST is the cron library's business.
 */
import { Cron } from 'croner';
import type { ResolvedConfig, ResolvedSystem, SystemSchedule } from '../config/load.js';
import type { SnapshotStatus } from '../core/model.js';
import type { AnyProbe } from '../core/probe.js';
import type { Store } from '../store/store.js';
import { errorMessage, runSystem, type RunOutcome } from './runner.js';
import type { ObserveNowResult, ScheduleState, SchedulerHandle } from './scheduler-contract.js';

/** Time and timers, injectable so tests run a year of schedule in milliseconds. */
export interface SchedulerClock {
  /** The wall clock: schedules, snapshot times and the state are read from it. */
  now(): Date;
  /** Calls `callback` once after `delayMs` (at most 2^31-1) of elapsed time; returns a handle. */
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

/** The real clock. Timers are unref'd: the HTTP server, not a pending schedule, keeps the process up. */
export const systemClock: SchedulerClock = {
  now: () => new Date(),
  setTimer: (callback, delayMs) => setTimeout(callback, delayMs).unref(),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** setTimeout's limit: a longer delay overflows and fires at once. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Default longest wait: a clock change or a sleeping machine is noticed within 10 minutes. */
export const DEFAULT_MAX_TIMER_MS = 10 * 60_000;

/** Why a run started: its schedule, a run missed while the service was down, or "observe now". */
export type RunReason = 'schedule' | 'missed' | 'manual';

/** What the scheduler tells its log. Messages carry no secrets (see runner.ts `errorMessage`). */
export type SchedulerEvent =
  | { type: 'run-start'; at: string; system: string; reason: RunReason }
  | { type: 'run-end'; at: string; system: string; reason: RunReason; status: SnapshotStatus; snapshotId: string; durationMs: number }
  | { type: 'run-error'; at: string; system: string; reason: RunReason; message: string; durationMs: number }
  | { type: 'run-aborted'; at: string; system: string; reason: RunReason }
  | { type: 'run-skipped'; at: string; system: string; scheduledFor: string }
  | { type: 'state-error'; at: string; system: string; message: string };

export interface SchedulerOptions {
  /** Systems (each with its `schedule`), the default schedule, `concurrentRuns`, probe time limit. */
  config: Pick<ResolvedConfig, 'file' | 'systems' | 'schedule' | 'concurrentRuns' | 'timeoutMs'>;
  store: Store;
  /** Every registered probe (`allProbes`). */
  probes: readonly AnyProbe[];
  /** Probes' cache directory (`cacheDirectory(dbUrl, io)` in the CLI). */
  cacheDir: string;
  /** Aborting it stops the scheduler as {@link SchedulerHandle.stop} does. */
  signal?: AbortSignal;
  offline?: boolean;
  /** Systems observed at once; default `config.concurrentRuns`. */
  concurrency?: number;
  clock?: SchedulerClock;
  /** Longest single timer, clamped to {@link MAX_TIMEOUT_MS}; default {@link DEFAULT_MAX_TIMER_MS}. */
  maxTimerMs?: number;
  /** Every run's start and end, skipped runs and errors; a throwing listener is ignored. */
  onEvent?: (event: SchedulerEvent) => void;
}

export interface Scheduler extends SchedulerHandle {
  /** Settles once every system's last run has been read from the store and missed runs queued. */
  readonly ready: Promise<void>;
  /** Settles when no run is queued or running (tests; a graceful shutdown may use it too). */
  idle(): Promise<void>;
}

type LastStatus = NonNullable<ScheduleState['lastStatus']>;

interface Entry {
  system: ResolvedSystem;
  /** null: `schedule: off`. */
  cron: Cron | null;
  expression: string;
  timezone: string;
  nextRunAt: Date | null;
  timer: { handle: unknown } | undefined;
  phase: 'idle' | 'queued' | 'running';
  reason: RunReason;
  last: { at: string; durationMs: number; status: LastStatus } | null;
  runs: ScheduleState['runs'];
  failures: number;
}

/** How many of the latest snapshots are read at start to count consecutive failures. */
const FAILURE_HISTORY = 20;

export function startScheduler(options: SchedulerOptions): Scheduler {
  const clock = options.clock ?? systemClock;
  const maxTimerMs = Math.max(1, Math.min(options.maxTimerMs ?? DEFAULT_MAX_TIMER_MS, MAX_TIMEOUT_MS));
  const concurrency = Math.max(1, options.concurrency ?? options.config.concurrentRuns);
  const stopController = new AbortController();
  const entries = new Map<string, Entry>();
  const queue: Entry[] = [];
  const running = new Set<Promise<void>>();
  let active = 0;
  let stopped = false;

  const emit = (event: SchedulerEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // A failing log must not stop the schedule.
    }
  };
  const at = () => clock.now().toISOString();

  for (const system of options.config.systems) entries.set(system.name, entryFor(system, system.schedule ?? options.config.schedule));

  const clearTimer = (entry: Entry): void => {
    if (entry.timer) clock.clearTimer(entry.timer.handle);
    entry.timer = undefined;
  };

  /** Computes the system's next run after `from` and waits for it. */
  const arm = (entry: Entry, from: Date): void => {
    clearTimer(entry);
    entry.nextRunAt = stopped || entry.cron === null ? null : entry.cron.nextRun(from);
    if (entry.nextRunAt === null) return;
    const delay = Math.max(0, entry.nextRunAt.getTime() - clock.now().getTime());
    const timer = { handle: undefined as unknown };
    timer.handle = clock.setTimer(() => {
      if (entry.timer !== timer) return; // cleared meanwhile
      entry.timer = undefined;
      wake(entry);
    }, Math.min(delay, maxTimerMs));
    entry.timer = timer;
  };

  const wake = (entry: Entry): void => {
    if (stopped) return;
    const now = clock.now();
    const due = entry.nextRunAt;
    // Woken early (a long wait taken in pieces, or the clock was set back): nextRun(now) is then
    // at or before `due`, so computing again never skips a run.
    if (due !== null && now.getTime() >= due.getTime()) {
      if (entry.phase === 'idle') enqueue(entry, 'schedule');
      else emit({ type: 'run-skipped', at: now.toISOString(), system: entry.system.name, scheduledFor: due.toISOString() });
    }
    // From now, not from `due`: after a clock jump forward or a long sleep, the runs in between
    // collapse into the one just queued.
    arm(entry, now);
  };

  const enqueue = (entry: Entry, reason: RunReason, { first = false } = {}): void => {
    entry.phase = 'queued';
    entry.reason = reason;
    if (first) queue.unshift(entry);
    else queue.push(entry);
    pump();
  };

  const pump = (): void => {
    while (!stopped && active < concurrency && queue.length > 0) start(queue.shift()!);
  };

  const start = (entry: Entry): void => {
    entry.phase = 'running';
    active++;
    const reason = entry.reason;
    const system = entry.system.name;
    emit({ type: 'run-start', at: at(), system, reason });
    const run = runSystem({
      system: entry.system,
      probes: options.probes,
      store: options.store,
      config: options.config,
      cacheDir: options.cacheDir,
      signal: stopController.signal,
      offline: options.offline === true,
      now: () => clock.now(),
    })
      .then((outcome) => settle(entry, reason, outcome))
      .catch((error: unknown) => {
        // runSystem never rejects; this only guards against a fault in settle itself.
        emit({ type: 'run-error', at: at(), system, reason, message: errorMessage(error), durationMs: 0 });
      })
      .finally(() => {
        entry.phase = 'idle';
        active--;
        running.delete(run);
        pump();
      });
    running.add(run);
  };

  const settle = (entry: Entry, reason: RunReason, outcome: RunOutcome): void => {
    const system = entry.system.name;
    if (outcome.kind === 'aborted') {
      emit({ type: 'run-aborted', at: outcome.finishedAt, system, reason });
      return;
    }
    const status: LastStatus = outcome.kind === 'recorded' ? outcome.status : 'error';
    entry.last = { at: outcome.startedAt, durationMs: outcome.durationMs, status };
    entry.runs[status]++;
    entry.failures = status === 'failed' || status === 'error' ? entry.failures + 1 : 0;
    if (outcome.kind === 'recorded') {
      emit({ type: 'run-end', at: outcome.finishedAt, system, reason, status: outcome.status, snapshotId: outcome.snapshotId, durationMs: outcome.durationMs });
    } else {
      emit({ type: 'run-error', at: outcome.finishedAt, system, reason, message: outcome.message, durationMs: outcome.durationMs });
    }
  };

  /** Reads each system's last run from the store, then queues, in config order, the runs missed. */
  const restore = async (): Promise<void> => {
    const known = new Set<Entry>();
    await Promise.all(
      [...entries.values()].map(async (entry) => {
        try {
          const snapshots = await options.store.listSnapshots(entry.system.name, { limit: FAILURE_HISTORY });
          // A run of this process may have ended meanwhile; it is newer than anything read here.
          if (entry.last === null) {
            const latest = snapshots[0];
            if (latest !== undefined) {
              entry.last = { at: latest.startedAt, durationMs: Math.max(0, Date.parse(latest.finishedAt) - Date.parse(latest.startedAt)), status: latest.status };
              const firstOk = snapshots.findIndex((snapshot) => snapshot.status !== 'failed');
              entry.failures = firstOk === -1 ? snapshots.length : firstOk;
            }
          }
          known.add(entry);
        } catch (error) {
          // Without the history a missed run cannot be told from a done one: wait for the schedule.
          emit({ type: 'state-error', at: at(), system: entry.system.name, message: `cannot read the latest snapshot: ${errorMessage(error)}` });
        }
      }),
    );
    if (stopped) return;
    const now = clock.now();
    for (const entry of entries.values()) {
      if (known.has(entry) && entry.phase === 'idle' && missedRun(entry, now)) enqueue(entry, 'missed');
    }
  };

  const stop = async (): Promise<void> => {
    if (!stopped) {
      stopped = true;
      options.signal?.removeEventListener('abort', onAbort);
      for (const entry of entries.values()) {
        clearTimer(entry);
        entry.nextRunAt = null;
      }
      for (const entry of queue.splice(0)) entry.phase = 'idle';
      // The engine stops at the abort and records nothing half-done.
      stopController.abort(new Error('the scheduler was stopped'));
    }
    await ready;
    await Promise.allSettled([...running]);
  };
  const onAbort = () => void stop();

  for (const entry of entries.values()) arm(entry, clock.now());
  const ready = restore().catch(() => undefined);
  if (options.signal?.aborted) void stop();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  return {
    ready,
    states: () => [...entries.values()].map(stateOf),
    state: (name) => {
      const entry = entries.get(name);
      return entry ? stateOf(entry) : undefined;
    },
    observeNow: (name): ObserveNowResult => {
      const entry = entries.get(name);
      if (!entry) return { queued: false, reason: 'unknown-system' };
      // After stop() nothing runs any more; the contract has no better word for it than busy.
      if (stopped || entry.phase !== 'idle') return { queued: false, reason: 'busy' };
      enqueue(entry, 'manual', { first: true });
      return { queued: true };
    },
    stop,
    idle: async () => {
      await ready;
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

function entryFor(system: ResolvedSystem, schedule: SystemSchedule): Entry {
  let cron: Cron | null = null;
  if (schedule.cron !== null) {
    try {
      // No callback: croner only computes dates here; the timers are ours (see SchedulerClock).
      cron = new Cron(schedule.cron, { timezone: schedule.timezone, mode: '5-part' });
    } catch (error) {
      throw new Error(`system "${system.name}": schedule "${schedule.cron}": ${errorMessage(error)} (the config loader should have refused it)`);
    }
  }
  return {
    system,
    cron,
    expression: schedule.cron ?? 'off',
    timezone: schedule.timezone,
    nextRunAt: null,
    timer: undefined,
    phase: 'idle',
    reason: 'schedule',
    last: null,
    runs: { complete: 0, partial: 0, failed: 0, error: 0 },
    failures: 0,
  };
}

/**
 * Whether the latest scheduled time up to now has no run at or after it. A system never observed
 * has missed it too: the service observes it at start rather than leaving it blank until its
 * first scheduled time.
 */
export function missedRun(entry: Pick<Entry, 'cron' | 'last'>, now: Date): boolean {
  if (entry.cron === null) return false;
  // previousRuns excludes a run exactly at the reference; one millisecond later includes it.
  const [previous] = entry.cron.previousRuns(1, new Date(now.getTime() + 1));
  if (previous === undefined) return false;
  return entry.last === null || previous.getTime() > Date.parse(entry.last.at);
}

function stateOf(entry: Entry): ScheduleState {
  return {
    system: entry.system.name,
    cron: entry.expression,
    timezone: entry.timezone,
    nextRunAt: entry.nextRunAt?.toISOString() ?? null,
    lastRunAt: entry.last?.at ?? null,
    lastDurationMs: entry.last?.durationMs ?? null,
    lastStatus: entry.last?.status ?? null,
    // Queued counts as running: either way "observe now" would be refused, and the UI says so.
    running: entry.phase !== 'idle',
    runs: { ...entry.runs },
    failures: entry.failures,
  };
}

/** One log line for an event, as `prodeng serve` prints them. */
export function formatSchedulerEvent(event: SchedulerEvent): string {
  const head = `${event.at} scheduler: ${event.system}:`;
  switch (event.type) {
    case 'run-start':
      return `${head} observing (${REASONS[event.reason]})`;
    case 'run-end':
      return `${head} snapshot ${event.snapshotId} ${event.status} in ${seconds(event.durationMs)}`;
    case 'run-error':
      return `${head} the observation failed after ${seconds(event.durationMs)}: ${event.message}`;
    case 'run-aborted':
      return `${head} observation stopped (shutting down); nothing recorded`;
    case 'run-skipped':
      return `${head} run of ${event.scheduledFor} skipped: an observation of it is already queued or running`;
    case 'state-error':
      return `${head} ${event.message}; its missed run (if any) waits for the next scheduled time`;
  }
}

const REASONS: Record<RunReason, string> = { schedule: 'scheduled', missed: 'its latest scheduled run was missed', manual: 'observe now' };

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
