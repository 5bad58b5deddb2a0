/**
 * The latency and availability series: a bounded number of requests to one endpoint, a few in
 * flight at once, summarised by nearest-rank percentiles.
 */
import type { Outcome, RequestErrorKind } from './client.js';

export interface Sample {
  /** A network error, a timeout, a body cut short, or a 5xx status. */
  error: boolean;
  status: number | null;
  errorKind: RequestErrorKind | null;
  ttfbMs: number | null;
  totalMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
}

export interface LatencySummary {
  /** Requests sent. */
  samples: number;
  /** Percentiles of the total time of the requests that did not fail, in ms; null without any. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  ttfbP50: number | null;
  ttfbP95: number | null;
  /** Median TCP connect and TLS handshake times (from the start of the request), in ms. */
  connectP50: number | null;
  tlsP50: number | null;
  errors: number;
  /** errors / samples (0 without samples). */
  errorRate: number;
  /** Count per status code, and per error kind for requests without a response (`timeout`, `reset`…). */
  statuses: Record<string, number>;
  /** The series stopped after consecutive timeouts; `samples` is less than asked for. */
  stoppedEarly: boolean;
}

/** Consecutive timeouts after which a series stops: a dead endpoint must not hold the run for minutes. */
export const STOP_AFTER_TIMEOUTS = 3;

/**
 * Nearest-rank percentile: the smallest value such that at least `p` % of the values are less or
 * equal, i.e. the value at rank ⌈p/100 × n⌉ of the sorted values (rank 1 for p = 0). Null for no
 * values; always one of the values (never interpolated).
 */
export function percentile(values: readonly number[], p: number): number | null {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0 || !(p >= 0 && p <= 100)) return null;
  const sorted = [...finite].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

export function toSample(outcome: Outcome): Sample {
  if (outcome.kind === 'error') {
    return { error: true, status: null, errorKind: outcome.error, ttfbMs: outcome.timings.ttfbMs, totalMs: null, connectMs: outcome.timings.connectMs, tlsMs: outcome.timings.tlsMs };
  }
  const failed = outcome.bodyError !== null || outcome.status >= 500;
  return {
    error: failed,
    status: outcome.status,
    errorKind: outcome.bodyError,
    ttfbMs: outcome.timings.ttfbMs,
    totalMs: outcome.bodyError === null ? outcome.timings.totalMs : null,
    connectMs: outcome.timings.connectMs,
    tlsMs: outcome.timings.tlsMs,
  };
}

/**
 * Sends `count` requests with at most `concurrency` in flight, stopping early after
 * {@link STOP_AFTER_TIMEOUTS} timeouts in a row. Throws only when `signal` aborts.
 */
export async function runSeries(count: number, concurrency: number, send: () => Promise<Outcome>, signal: AbortSignal): Promise<{ samples: Sample[]; stoppedEarly: boolean }> {
  const samples: Sample[] = [];
  let started = 0;
  let timeoutsInARow = 0;
  const worker = async (): Promise<void> => {
    while (started < count && timeoutsInARow < STOP_AFTER_TIMEOUTS) {
      signal.throwIfAborted();
      started++;
      const sample = toSample(await send());
      samples.push(sample);
      timeoutsInARow = sample.errorKind === 'timeout' ? timeoutsInARow + 1 : 0;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
  return { samples, stoppedEarly: samples.length < count };
}

const round = (value: number | null): number | null => (value === null ? null : Math.round(value * 10) / 10);

export function summarize(samples: readonly Sample[], stoppedEarly = false): LatencySummary {
  const good = samples.filter((sample) => !sample.error);
  const totals = good.map((sample) => sample.totalMs).filter((v): v is number => v !== null);
  const ttfbs = good.map((sample) => sample.ttfbMs).filter((v): v is number => v !== null);
  const statuses: Record<string, number> = {};
  for (const sample of samples) {
    const key = sample.status !== null ? String(sample.status) : (sample.errorKind ?? 'error');
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
  const errors = samples.filter((sample) => sample.error).length;
  return {
    samples: samples.length,
    p50: round(percentile(totals, 50)),
    p95: round(percentile(totals, 95)),
    p99: round(percentile(totals, 99)),
    ttfbP50: round(percentile(ttfbs, 50)),
    ttfbP95: round(percentile(ttfbs, 95)),
    connectP50: round(percentile(samples.map((s) => s.connectMs).filter((v): v is number => v !== null), 50)),
    tlsP50: round(percentile(samples.map((s) => s.tlsMs).filter((v): v is number => v !== null), 50)),
    errors,
    errorRate: samples.length === 0 ? 0 : errors / samples.length,
    statuses,
    stoppedEarly,
  };
}
