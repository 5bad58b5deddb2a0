import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeProbe, OK_RESULT } from '../core/test-support/probe.js';
import { parseConfig, type ResolvedConfig } from '../config/load.js';
import type { SnapshotStatus } from '../core/model.js';
import type { AnyProbe, ProbeContext } from '../core/probe.js';
import { StoreError } from '../store/errors.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import {
  DEFAULT_MAX_TIMER_MS,
  formatSchedulerEvent,
  MAX_TIMEOUT_MS,
  startScheduler,
  type Scheduler,
  type SchedulerClock,
  type SchedulerEvent,
  type SchedulerOptions,
} from './scheduler.js';

/**
 * Wall clock and timers under the test's control. Timers run on elapsed time (like setTimeout's
 * monotonic clock); `setWallClock` moves the wall clock alone, as an operator or NTP would.
 */
class FakeClock implements SchedulerClock {
  private elapsed = 0;
  private offset: number;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();
  readonly delays: number[] = [];

  constructor(start: string) {
    this.offset = Date.parse(start);
  }

  now = (): Date => new Date(this.elapsed + this.offset);

  setTimer = (callback: () => void, delayMs: number): unknown => {
    if (!(delayMs >= 0 && delayMs <= MAX_TIMEOUT_MS)) throw new Error(`setTimeout would overflow: ${delayMs} ms`);
    this.delays.push(delayMs);
    const id = ++this.seq;
    this.timers.set(id, { at: this.elapsed + delayMs, callback });
    return id;
  };

  clearTimer = (handle: unknown): void => {
    this.timers.delete(handle as number);
  };

  get pending(): number {
    return this.timers.size;
  }

  /** Lets `ms` pass, firing due timers in order, and lets the work they start settle after each. */
  async advance(ms: number, settle: () => Promise<void> = flush): Promise<void> {
    const end = this.elapsed + ms;
    for (;;) {
      let next: [number, { at: number; callback: () => void }] | undefined;
      for (const timer of this.timers) if (timer[1].at <= end && (next === undefined || timer[1].at < next[1].at)) next = timer;
      if (next === undefined) break;
      this.timers.delete(next[0]);
      this.elapsed = Math.max(this.elapsed, next[1].at);
      next[1].callback();
      await settle();
    }
    this.elapsed = end;
  }

  /** Lets time pass until the wall clock reads `iso`. */
  advanceTo(iso: string, settle?: () => Promise<void>): Promise<void> {
    return this.advance(Date.parse(iso) - this.now().getTime(), settle);
  }

  /** Time passes without any timer firing yet (a run that takes a while); they fire on the next advance. */
  elapse(ms: number): void {
    this.elapsed += ms;
  }

  setWallClock(iso: string): void {
    this.offset += Date.parse(iso) - this.now().getTime();
  }
}

/** Lets promise chains and the store's I/O run; bounded in turns, never in time. */
async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2_000 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error(`never happened: ${what}`);
}

const ok = OK_RESULT;

const probe = (run: (ctx: ProbeContext) => Promise<unknown>): AnyProbe => fakeProbe(run);

/** A probe that waits until the test releases (or fails) each call, or the run is aborted. */
function gatedProbe() {
  const calls: { system: string; release(): void; fail(): void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fake = probe(
    (ctx) =>
      new Promise((resolve, reject) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const done = () => inFlight--;
        calls.push({
          system: ctx.system.name,
          release: () => (done(), resolve(ok)),
          fail: () => (done(), reject(new Error('unreachable'))),
        });
        ctx.signal.addEventListener('abort', () => (done(), reject(ctx.signal.reason)), { once: true });
      }),
  );
  return { probe: fake, calls, inFlight: () => inFlight, maxInFlight: () => maxInFlight };
}

/** The store with some methods replaced; every other call goes to the real one (bound: it has private fields). */
function storeWith(store: Store, overrides: Partial<Store>): Store {
  return new Proxy(store, {
    get: (target, key) => {
      if (key in overrides) return overrides[key as keyof Store];
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const config = (text: string, probes: AnyProbe[]): ResolvedConfig => parseConfig(text, '/w/prodeng.yml', probes);

let store: Store;
let schedulers: Scheduler[];
beforeEach(async () => {
  store = await openStore(':memory:');
  schedulers = [];
});
afterEach(async () => {
  for (const scheduler of schedulers) await scheduler.stop();
  await store.close();
});

function start(options: Partial<SchedulerOptions> & Pick<SchedulerOptions, 'config' | 'probes' | 'clock'>): { scheduler: Scheduler; events: SchedulerEvent[] } {
  const events: SchedulerEvent[] = [];
  const scheduler = startScheduler({ store, cacheDir: '/tmp/prodeng-scheduler-test-cache', onEvent: (event) => events.push(event), ...options });
  schedulers.push(scheduler);
  return { scheduler, events };
}

/** A snapshot as an earlier process would have left it. */
async function seed(system: string, startedAt: string, status: SnapshotStatus = 'complete', durationMs = 60_000): Promise<void> {
  const finishedAt = new Date(Date.parse(startedAt) + durationMs).toISOString();
  await store.recordSnapshot({ system, startedAt, finishedAt, status, revision: null, probes: [], findings: [], metrics: [] });
}

const startsOf = async (system: string) => (await store.listSnapshots(system)).map((s) => s.startedAt).reverse();
const runsOf = (events: SchedulerEvent[]) => events.filter((e) => e.type === 'run-start').map((e) => `${e.system}@${e.at} (${(e as { reason: string }).reason})`);

describe('startScheduler', () => {
  it('runs each system at its cron time in its zone, keeps the state, and leaves systems with schedule off alone', async () => {
    const clock = new FakeClock('2026-05-01T12:00:00Z');
    const fake = probe(async () => ok);
    const cfg = config(
      'schedule: "0 6 * * *"\ntimezone: Europe/Berlin\nsystems:\n  - name: web\n  - name: db\n    schedule: "30 7 * * 1"\n    timezone: UTC\n  - name: manual\n    schedule: off\n',
      [fake],
    );
    await seed('web', '2026-05-01T04:00:00Z');
    await seed('db', '2026-04-27T07:30:00Z');
    const { scheduler, events } = start({ config: cfg, probes: [fake], clock });
    await scheduler.ready;
    expect(scheduler.states().map((s) => [s.system, s.cron, s.timezone, s.nextRunAt, s.running])).toEqual([
      ['web', '0 6 * * *', 'Europe/Berlin', '2026-05-02T04:00:00.000Z', false],
      ['db', '30 7 * * 1', 'UTC', '2026-05-04T07:30:00.000Z', false],
      ['manual', 'off', 'Europe/Berlin', null, false],
    ]);
    expect(scheduler.state('web')).toMatchObject({ lastRunAt: '2026-05-01T04:00:00.000Z', lastStatus: 'complete', lastDurationMs: 60_000, failures: 0 });
    expect(scheduler.state('nope')).toBeUndefined();

    await clock.advanceTo('2026-05-05T00:00:00Z', () => scheduler.idle());
    expect(await startsOf('web')).toEqual([
      '2026-05-01T04:00:00Z',
      '2026-05-02T04:00:00.000Z',
      '2026-05-03T04:00:00.000Z',
      '2026-05-04T04:00:00.000Z',
    ].map((t) => new Date(t).toISOString()));
    expect(await startsOf('db')).toEqual(['2026-04-27T07:30:00.000Z', '2026-05-04T07:30:00.000Z']);
    expect(await startsOf('manual')).toEqual([]);
    expect(scheduler.state('web')).toMatchObject({
      nextRunAt: '2026-05-05T04:00:00.000Z',
      lastRunAt: '2026-05-04T04:00:00.000Z',
      lastStatus: 'complete',
      lastDurationMs: 0,
      runs: { complete: 3, partial: 0, failed: 0, error: 0 },
    });
    expect(events.filter((e) => e.type === 'run-end')).toHaveLength(4);
    expect(events.every((e) => e.type === 'run-start' || e.type === 'run-end')).toBe(true);
  });

  it('after downtime runs a missed system once at start, however many runs it missed, and a never observed one', async () => {
    const clock = new FakeClock('2026-05-10T09:00:00Z');
    const fake = probe(async () => ok);
    const cfg = config(
      'timezone: UTC\nsystems:\n  - name: down-ten-days\n  - name: up-to-date\n  - name: never-observed\n  - name: off\n    schedule: off\n  - name: exactly-on-time\n',
      [fake],
    );
    await seed('down-ten-days', '2026-04-30T06:00:00Z');
    await seed('up-to-date', '2026-05-10T06:00:01Z');
    await seed('exactly-on-time', '2026-05-10T06:00:00Z');
    const { scheduler, events } = start({ config: cfg, probes: [fake], clock });
    await scheduler.ready;
    await scheduler.idle();
    expect(runsOf(events)).toEqual(['down-ten-days@2026-05-10T09:00:00.000Z (missed)', 'never-observed@2026-05-10T09:00:00.000Z (missed)']);
    expect(await startsOf('down-ten-days')).toEqual(['2026-04-30T06:00:00.000Z', '2026-05-10T09:00:00.000Z']);
    expect(scheduler.state('down-ten-days')).toMatchObject({ lastRunAt: '2026-05-10T09:00:00.000Z', nextRunAt: '2026-05-11T06:00:00.000Z' });
    // The next scheduled time is kept: the catch-up does not move it.
    await clock.advanceTo('2026-05-11T07:00:00Z', () => scheduler.idle());
    expect((await startsOf('down-ten-days')).at(-1)).toBe('2026-05-11T06:00:00.000Z');
    expect(await startsOf('off')).toEqual([]);
  });

  it('counts a start at exactly the scheduled time as due', async () => {
    const clock = new FakeClock('2026-05-10T06:00:00Z');
    const fake = probe(async () => ok);
    await seed('web', '2026-05-09T06:00:00Z');
    const { scheduler, events } = start({ config: config('timezone: UTC\nsystems:\n  - name: web\n', [fake]), probes: [fake], clock });
    await scheduler.idle();
    expect(runsOf(events)).toEqual(['web@2026-05-10T06:00:00.000Z (missed)']);
    expect(scheduler.state('web')!.nextRunAt).toBe('2026-05-11T06:00:00.000Z');
  });

  it('keeps its state across a restart: the last run from the store, consecutive failures counted', async () => {
    const clock = new FakeClock('2026-05-10T05:00:00Z');
    const fake = probe(async () => {
      clock.elapse(42_000);
      return ok;
    });
    const cfg = config('timezone: UTC\nsystems:\n  - name: web\n  - name: flaky\n', [fake]);
    await seed('flaky', '2026-05-07T06:00:00Z', 'complete');
    await seed('flaky', '2026-05-08T06:00:00Z', 'failed');
    await seed('flaky', '2026-05-09T06:00:00Z', 'failed', 5_000);
    await seed('web', '2026-05-09T06:00:00Z');
    const first = start({ config: cfg, probes: [fake], clock });
    await first.scheduler.idle();
    expect(first.scheduler.state('flaky')).toMatchObject({ lastRunAt: '2026-05-09T06:00:00.000Z', lastStatus: 'failed', lastDurationMs: 5_000, failures: 2, runs: { failed: 0 } });
    await clock.advanceTo('2026-05-10T07:00:00Z', () => first.scheduler.idle());
    const before = first.scheduler.state('web')!;
    expect(before).toMatchObject({ lastRunAt: '2026-05-10T06:00:00.000Z', lastDurationMs: 42_000, lastStatus: 'complete', runs: { complete: 1 } });
    await first.scheduler.stop();

    const second = start({ config: cfg, probes: [fake], clock });
    await second.scheduler.ready;
    expect(second.scheduler.state('web')).toEqual({ ...before, runs: { complete: 0, partial: 0, failed: 0, error: 0 } });
    expect(second.scheduler.state('flaky')).toMatchObject({ lastStatus: 'complete', failures: 0 });
    expect(runsOf(second.events)).toEqual([]);
  });

  it('never runs one system twice at once: observe now answers busy, a due run is skipped and logged', async () => {
    const clock = new FakeClock('2026-05-10T05:59:00Z');
    const gate = gatedProbe();
    await seed('web', '2026-05-10T05:55:00Z');
    const { scheduler, events } = start({ config: config('timezone: UTC\nschedule: "*/5 * * * *"\nsystems:\n  - name: web\n', [gate.probe]), probes: [gate.probe], clock });
    await scheduler.ready;
    expect(scheduler.observeNow('web')).toEqual({ queued: true });
    await until(() => gate.calls.length === 1, 'the manual run starts');
    expect(scheduler.state('web')!.running).toBe(true);
    expect(scheduler.observeNow('web')).toEqual({ queued: false, reason: 'busy' });
    await clock.advance(11 * 60_000);
    expect(events.filter((e) => e.type === 'run-skipped').map((e) => (e as { scheduledFor: string }).scheduledFor)).toEqual([
      '2026-05-10T06:00:00.000Z',
      '2026-05-10T06:05:00.000Z',
      '2026-05-10T06:10:00.000Z',
    ]);
    expect(formatSchedulerEvent(events.find((e) => e.type === 'run-skipped')!)).toBe(
      '2026-05-10T06:00:00.000Z scheduler: web: run of 2026-05-10T06:00:00.000Z skipped: an observation of it is already queued or running',
    );
    expect(gate.maxInFlight()).toBe(1);
    gate.calls[0]!.release();
    await scheduler.idle();
    expect(scheduler.state('web')).toMatchObject({ running: false, lastRunAt: '2026-05-10T05:59:00.000Z', runs: { complete: 1 } });
    expect(await startsOf('web')).toHaveLength(2);
    expect(scheduler.observeNow('web')).toEqual({ queued: true });
    await until(() => gate.calls.length === 2, 'the second manual run starts');
    gate.calls[1]!.release();
    await scheduler.idle();
    expect(await startsOf('web')).toHaveLength(3);
  });

  it('observes at most concurrentRuns systems at once; the others wait their turn, manual runs first', async () => {
    const clock = new FakeClock('2026-05-10T05:00:00Z');
    const gate = gatedProbe();
    const names = ['s1', 's2', 's3', 's4', 's5', 'later'];
    for (const name of names) await seed(name, '2026-05-09T06:00:00Z');
    const cfg = config(`timezone: UTC\nconcurrentRuns: 2\nsystems:\n${names.map((n) => `  - name: ${n}\n${n === 'later' ? '    schedule: off\n' : ''}`).join('')}`, [gate.probe]);
    const { scheduler } = start({ config: cfg, probes: [gate.probe], clock });
    await scheduler.ready;
    await clock.advanceTo('2026-05-10T06:00:00Z');
    await until(() => gate.calls.length === 2, 'two runs start');
    expect(scheduler.states().filter((s) => s.running).map((s) => s.system)).toEqual(['s1', 's2', 's3', 's4', 's5']);
    expect(scheduler.observeNow('later')).toEqual({ queued: true });
    expect(scheduler.observeNow('s4')).toEqual({ queued: false, reason: 'busy' });
    for (let released = 0; released < 6; released++) {
      await until(() => gate.calls.length === Math.min(6, released + 2), `run ${released + 2} starts`);
      expect(gate.inFlight()).toBeLessThanOrEqual(2);
      gate.calls[released]!.release();
    }
    await scheduler.idle();
    expect(gate.calls.map((c) => c.system)).toEqual(['s1', 's2', 'later', 's3', 's4', 's5']);
    expect(gate.maxInFlight()).toBe(2);
    for (const name of names) expect(await startsOf(name)).toHaveLength(2);
  });

  it('records a run that throws as error, counts failures, logs it without secrets, and goes on', async () => {
    const clock = new FakeClock('2026-05-10T05:00:00Z');
    const fake = probe(async () => ok);
    let down = true;
    const flaky = storeWith(store, {
      recordSnapshot: (input) =>
        down ? Promise.reject(new StoreError('unreachable', 'cannot reach postgres://prodeng:s3cret@db.internal/prodeng: connection refused')) : store.recordSnapshot(input),
    });
    await seed('web', '2026-05-09T06:00:00Z');
    const { scheduler, events } = start({ config: config('timezone: UTC\nsystems:\n  - name: web\n', [fake]), probes: [fake], clock, store: flaky });
    await clock.advanceTo('2026-05-11T07:00:00Z', () => scheduler.idle());
    expect(scheduler.state('web')).toMatchObject({ lastStatus: 'error', lastRunAt: '2026-05-11T06:00:00.000Z', failures: 2, runs: { error: 2, complete: 0 } });
    const errors = events.filter((e) => e.type === 'run-error');
    expect(errors).toHaveLength(2);
    expect(JSON.stringify(events)).not.toContain('s3cret');
    expect(formatSchedulerEvent(errors[0]!)).toBe(
      '2026-05-10T06:00:00.000Z scheduler: web: the observation failed after 0.0 s: cannot reach postgres://***@db.internal/prodeng: connection refused',
    );
    down = false;
    expect(scheduler.observeNow('web')).toEqual({ queued: true });
    await scheduler.idle();
    expect(scheduler.state('web')).toMatchObject({ lastStatus: 'complete', failures: 0, runs: { error: 2, complete: 1 } });
  });

  it('counts consecutive failed snapshots as failures; a partial one ends the streak', async () => {
    const clock = new FakeClock('2026-05-10T05:00:00Z');
    const failed = { status: 'failed', errors: [{ message: 'x' }] };
    const results: unknown[] = [failed, failed, { status: 'partial', findings: [], metrics: [], errors: [{ message: 'y' }] }, failed];
    const fake = probe(async () => results.shift());
    const { scheduler } = start({ config: config('timezone: UTC\nsystems:\n  - name: web\n    schedule: off\n', [fake]), probes: [fake], clock });
    const failures: number[] = [];
    for (let i = 0; i < 4; i++) {
      expect(scheduler.observeNow('web')).toEqual({ queued: true });
      await scheduler.idle();
      failures.push(scheduler.state('web')!.failures);
    }
    expect(failures).toEqual([1, 2, 0, 1]);
    expect(scheduler.state('web')).toMatchObject({ lastStatus: 'failed', runs: { failed: 3, partial: 1, complete: 0, error: 0 } });
  });

  it('waits for the schedule when the last run cannot be read at start', async () => {
    const clock = new FakeClock('2026-05-10T09:00:00Z');
    const fake = probe(async () => ok);
    const broken = storeWith(store, { listSnapshots: () => Promise.reject(new StoreError('unreachable', 'database down')) });
    const { scheduler, events } = start({ config: config('timezone: UTC\nsystems:\n  - name: web\n', [fake]), probes: [fake], clock, store: broken });
    await scheduler.idle();
    expect(events).toEqual([{ type: 'state-error', at: '2026-05-10T09:00:00.000Z', system: 'web', message: 'cannot read the latest snapshot: database down' }]);
    expect(scheduler.state('web')).toMatchObject({ lastRunAt: null, nextRunAt: '2026-05-11T06:00:00.000Z' });
  });

  it('observe now: unknown systems are refused, systems with schedule off can be observed', async () => {
    const clock = new FakeClock('2026-05-10T09:00:00Z');
    const fake = probe(async () => ok);
    const { scheduler, events } = start({ config: config('schedule: off\nsystems:\n  - name: web\n', [fake]), probes: [fake], clock });
    await scheduler.ready;
    expect(scheduler.observeNow('nope')).toEqual({ queued: false, reason: 'unknown-system' });
    expect(scheduler.observeNow('web')).toEqual({ queued: true });
    await scheduler.idle();
    expect(runsOf(events)).toEqual(['web@2026-05-10T09:00:00.000Z (manual)']);
    expect(scheduler.state('web')).toMatchObject({ cron: 'off', nextRunAt: null, lastStatus: 'complete' });
    expect(clock.pending).toBe(0);
  });

  it('stop() clears the timers, aborts running observations (nothing recorded) and waits for them', async () => {
    const clock = new FakeClock('2026-05-10T09:00:00Z');
    const gate = gatedProbe();
    const { scheduler, events } = start({ config: config('timezone: UTC\nconcurrentRuns: 1\nsystems:\n  - name: a\n  - name: b\n', [gate.probe]), probes: [gate.probe], clock });
    await until(() => gate.calls.length === 1, 'the first missed run starts');
    expect(scheduler.state('b')!.running).toBe(true); // queued
    expect(clock.pending).toBe(2);
    await scheduler.stop();
    expect(clock.pending).toBe(0);
    expect(gate.inFlight()).toBe(0);
    expect(events.map((e) => `${e.type} ${e.system}`)).toEqual(['run-start a', 'run-aborted a']);
    expect(await store.listSystems()).toEqual([]);
    expect(scheduler.states().map((s) => [s.running, s.nextRunAt, s.lastStatus])).toEqual([
      [false, null, null],
      [false, null, null],
    ]);
    expect(scheduler.observeNow('a')).toEqual({ queued: false, reason: 'busy' });
    await clock.advance(7 * 86_400_000);
    expect(gate.calls).toHaveLength(1);
    await scheduler.stop(); // twice is fine
  });

  it('stops when its signal is aborted', async () => {
    const clock = new FakeClock('2026-05-10T09:00:00Z');
    const gate = gatedProbe();
    const controller = new AbortController();
    const { scheduler, events } = start({ config: config('timezone: UTC\nsystems:\n  - name: a\n', [gate.probe]), probes: [gate.probe], clock, signal: controller.signal });
    await until(() => gate.calls.length === 1, 'the missed run starts');
    controller.abort();
    await scheduler.idle();
    expect(events.at(-1)).toMatchObject({ type: 'run-aborted', system: 'a', reason: 'missed' });
    expect(clock.pending).toBe(0);
  });

  it('a listener that throws changes nothing', async () => {
    const clock = new FakeClock('2026-05-10T09:00:00Z');
    const fake = probe(async () => ok);
    const scheduler = startScheduler({
      config: config('timezone: UTC\nsystems:\n  - name: a\n', [fake]),
      store,
      probes: [fake],
      cacheDir: '/tmp/x',
      clock,
      onEvent: () => {
        throw new Error('log is full');
      },
    });
    schedulers.push(scheduler);
    await scheduler.idle();
    expect(scheduler.state('a')).toMatchObject({ lastStatus: 'complete', runs: { complete: 1 } });
  });
});

describe('long-running correctness', () => {
  it('waits in pieces no longer than setTimeout allows for a run a year away', async () => {
    const clock = new FakeClock('2026-01-02T00:00:00Z');
    const fake = probe(async () => ok);
    await seed('web', '2026-01-01T00:00:00Z');
    const { scheduler, events } = start({ config: config('timezone: UTC\nschedule: "0 0 1 1 *"\nsystems:\n  - name: web\n', [fake]), probes: [fake], clock, maxTimerMs: Number.POSITIVE_INFINITY });
    await scheduler.ready;
    expect(scheduler.state('web')!.nextRunAt).toBe('2027-01-01T00:00:00.000Z');
    await clock.advanceTo('2026-12-31T23:59:59Z', () => scheduler.idle());
    expect(runsOf(events)).toEqual([]);
    await clock.advanceTo('2027-01-02T00:00:00Z', () => scheduler.idle());
    expect(runsOf(events)).toEqual(['web@2027-01-01T00:00:00.000Z (schedule)']);
    expect(Math.max(...clock.delays)).toBe(MAX_TIMEOUT_MS);
    expect(clock.delays.length).toBeGreaterThan(14);
  });

  it('by default wakes at least every ten minutes', async () => {
    const clock = new FakeClock('2026-05-10T07:00:00Z');
    const fake = probe(async () => ok);
    await seed('web', '2026-05-10T06:00:00Z');
    const { scheduler } = start({ config: config('timezone: UTC\nsystems:\n  - name: web\n', [fake]), probes: [fake], clock });
    await clock.advance(86_400_000, () => scheduler.idle());
    expect(Math.max(...clock.delays)).toBe(DEFAULT_MAX_TIMER_MS);
    expect(await startsOf('web')).toEqual(['2026-05-10T06:00:00.000Z', '2026-05-11T06:00:00.000Z']);
  });

  it('does not run early when the wall clock is set back, and runs at the wall-clock time', async () => {
    const clock = new FakeClock('2026-05-10T05:00:00Z');
    const fake = probe(async () => ok);
    await seed('web', '2026-05-09T06:00:00Z');
    const { scheduler, events } = start({ config: config('timezone: UTC\nsystems:\n  - name: web\n', [fake]), probes: [fake], clock });
    await clock.advance(30 * 60_000, () => scheduler.idle());
    clock.setWallClock('2026-05-10T03:30:00Z');
    // 60 minutes after it was first due by elapsed time, it is only 04:30 on the wall.
    await clock.advance(60 * 60_000, () => scheduler.idle());
    expect(runsOf(events)).toEqual([]);
    await clock.advanceTo('2026-05-10T06:30:00Z', () => scheduler.idle());
    expect(runsOf(events)).toEqual(['web@2026-05-10T06:00:00.000Z (schedule)']);
  });

  it('runs once when the wall clock jumps over several scheduled times (a machine that slept), then keeps the schedule', async () => {
    const clock = new FakeClock('2026-05-10T05:00:00Z');
    const fake = probe(async () => ok);
    await seed('web', '2026-05-09T06:00:00Z');
    const { scheduler, events } = start({ config: config('timezone: UTC\nsystems:\n  - name: web\n', [fake]), probes: [fake], clock });
    await scheduler.ready;
    clock.setWallClock('2026-05-13T12:00:00Z');
    await clock.advance(DEFAULT_MAX_TIMER_MS, () => scheduler.idle());
    expect(runsOf(events)).toEqual(['web@2026-05-13T12:10:00.000Z (schedule)']);
    expect(scheduler.state('web')!.nextRunAt).toBe('2026-05-14T06:00:00.000Z');
    await clock.advanceTo('2026-05-14T07:00:00Z', () => scheduler.idle());
    expect(runsOf(events)).toHaveLength(2);
  });

  it('follows daylight saving time: one run a day when 02:30 is skipped or repeated', async () => {
    const fake = probe(async () => ok);
    const cfg = config('timezone: Europe/Berlin\nschedule: "30 2 * * *"\nsystems:\n  - name: web\n', [fake]);
    await seed('web', '2026-03-27T01:30:00Z');
    const spring = new FakeClock('2026-03-27T12:00:00Z');
    const first = start({ config: cfg, probes: [fake], clock: spring });
    await spring.advanceTo('2026-03-31T00:00:00Z', () => first.scheduler.idle());
    await first.scheduler.stop();
    // 02:30 CET is 01:30Z; on the 29th 02:30 does not exist and the run is at 03:00 CEST.
    expect((await startsOf('web')).slice(1)).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);

    await seed('web', '2026-10-23T00:30:00Z');
    const autumn = new FakeClock('2026-10-23T12:00:00Z');
    const second = start({ config: cfg, probes: [fake], clock: autumn });
    await autumn.advanceTo('2026-10-27T00:00:00Z', () => second.scheduler.idle());
    // On the 25th 02:30 comes twice (CEST, then CET): one run.
    expect((await startsOf('web')).slice(5)).toEqual(['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });
});

describe('formatSchedulerEvent', () => {
  it('says what happened in one line', () => {
    const at = '2026-05-10T06:00:00.000Z';
    expect(formatSchedulerEvent({ type: 'run-start', at, system: 'web', reason: 'missed' })).toBe(`${at} scheduler: web: observing (its latest scheduled run was missed)`);
    expect(formatSchedulerEvent({ type: 'run-end', at, system: 'web', reason: 'schedule', status: 'partial', snapshotId: '01ABC', durationMs: 61_500 })).toBe(
      `${at} scheduler: web: snapshot 01ABC partial in 61.5 s`,
    );
    expect(formatSchedulerEvent({ type: 'run-aborted', at, system: 'web', reason: 'manual' })).toBe(`${at} scheduler: web: observation stopped (shutting down); nothing recorded`);
    expect(formatSchedulerEvent({ type: 'state-error', at, system: 'web', message: 'cannot read the latest snapshot: x' })).toBe(
      `${at} scheduler: web: cannot read the latest snapshot: x; its missed run (if any) waits for the next scheduled time`,
    );
  });
});
