/**
 * The contract between the HTTP server (server.ts, api.ts, metrics.ts) and the scheduler
 * (scheduler.ts): the server only ever sees this, so either side can be tested alone.
 */

/** One system's schedule and the state of its runs. Times are ISO-8601 UTC. */
export interface ScheduleState {
  system: string;
  /** The cron expression in force (the system's `schedule:`, else the documented default). */
  cron: string;
  /** IANA time zone the expression is read in. */
  timezone: string;
  nextRunAt: string | null;
  /** Start of the latest observation (from the store, so it survives restarts). */
  lastRunAt: string | null;
  lastDurationMs: number | null;
  /** The latest snapshot's status, or `error` when the run could not record one. */
  lastStatus: 'complete' | 'partial' | 'failed' | 'error' | null;
  running: boolean;
  /** Runs of this process by outcome, for /metrics. */
  runs: { complete: number; partial: number; failed: number; error: number };
  /** Consecutive runs that ended `failed` or `error`. */
  failures: number;
}

export type ObserveNowResult = { queued: true } | { queued: false; reason: 'busy' | 'unknown-system' };

export interface SchedulerHandle {
  /** Every configured system's state, in config order. */
  states(): ScheduleState[];
  state(system: string): ScheduleState | undefined;
  /** Starts an observation of the system now unless one is running (never two at once). */
  observeNow(system: string): ObserveNowResult;
  /** Stops timers, aborts running observations, waits for them to end. */
  stop(): Promise<void>;
}
