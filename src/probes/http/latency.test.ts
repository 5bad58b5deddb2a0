import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Outcome } from './client.js';
import { percentile, runSeries, STOP_AFTER_TIMEOUTS, summarize, toSample } from './latency.js';

describe('percentile (nearest rank)', () => {
  it('picks the value at rank ceil(p/100 × n)', () => {
    const values = [15, 20, 35, 40, 50];
    expect(percentile(values, 5)).toBe(15);
    expect(percentile(values, 30)).toBe(20);
    expect(percentile(values, 40)).toBe(20);
    expect(percentile(values, 50)).toBe(35);
    expect(percentile(values, 100)).toBe(50);
    expect(percentile(values, 0)).toBe(15);
  });

  it('sorts its input and ignores non-finite values, without changing the input', () => {
    const values = [3, 1, Number.NaN, 2];
    expect(percentile(values, 50)).toBe(2);
    expect(values).toEqual([3, 1, Number.NaN, 2]);
  });

  it('on ten samples p50 is the 5th, p95 and p99 the 10th', () => {
    const values = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 95)).toBe(10);
    expect(percentile(values, 99)).toBe(10);
  });

  it('is null without values or with p outside 0..100', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([1], 101)).toBeNull();
    expect(percentile([1], -1)).toBeNull();
    expect(percentile([1], Number.NaN)).toBeNull();
  });

  it('is always one of the values, and grows with p', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 50 }), fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (values, a, b) => {
        const low = percentile(values, Math.min(a, b));
        const high = percentile(values, Math.max(a, b));
        expect(values).toContain(low);
        expect(high!).toBeGreaterThanOrEqual(low!);
      }),
    );
  });
});

const timings = { lookupMs: null, connectMs: 1, tlsMs: null, ttfbMs: 2, totalMs: 3 };
const ok = (status: number, totalMs = 3): Outcome => ({ kind: 'response', url: 'http://x/', status, headers: {}, body: null, bodyBytes: 0, truncated: false, bodyError: null, timings: { ...timings, totalMs }, tls: null });
const failure = (error: 'timeout' | 'reset'): Outcome => ({ kind: 'error', url: 'http://x/', error, code: 'E', message: 'm', timings: { ...timings, ttfbMs: null }, tls: null });

describe('samples and summaries', () => {
  it('counts network errors, cut bodies and 5xx as errors, and takes latency from the others', () => {
    const cut: Outcome = { ...(ok(200) as Extract<Outcome, { kind: 'response' }>), bodyError: 'reset' };
    const samples = [ok(200, 10), ok(404, 20), ok(503, 1), failure('reset'), cut].map(toSample);
    const summary = summarize(samples);
    expect(summary).toMatchObject({ samples: 5, errors: 3, errorRate: 0.6, p50: 10, p95: 20, p99: 20, statuses: { 200: 2, 404: 1, 503: 1, reset: 1 } });
  });

  it('summarises nothing as zero samples without percentiles', () => {
    expect(summarize([])).toMatchObject({ samples: 0, errorRate: 0, p50: null, ttfbP95: null });
  });
});

describe('runSeries', () => {
  it('sends exactly the number of requests asked, never more than `concurrency` at once', async () => {
    let inFlight = 0;
    let peak = 0;
    let sent = 0;
    const send = async (): Promise<Outcome> => {
      sent++;
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return ok(200);
    };
    const result = await runSeries(10, 3, send, new AbortController().signal);
    expect(sent).toBe(10);
    expect(result.samples).toHaveLength(10);
    expect(result.stoppedEarly).toBe(false);
    expect(peak).toBeLessThanOrEqual(3);
  });

  it('stops after consecutive timeouts', async () => {
    let sent = 0;
    const result = await runSeries(10, 1, async () => (sent++, failure('timeout')), new AbortController().signal);
    expect(sent).toBe(STOP_AFTER_TIMEOUTS);
    expect(result).toMatchObject({ stoppedEarly: true });
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(runSeries(5, 2, async () => ok(200), controller.signal)).rejects.toThrow('stop');
  });
});
