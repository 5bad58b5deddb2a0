import { mkdtempSync, rmSync } from 'node:fs';
import { fakeProbe, OK_RESULT } from '../core/test-support/probe.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig, type ResolvedConfig } from '../config/load.js';
import type { AnyProbe, ProbeContext } from '../core/probe.js';
import { StoreError } from '../store/errors.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { errorMessage, redactCredentials, runObservation, runSystem, SourceError, sourceProblem } from './runner.js';

const ok = OK_RESULT;

const probe = (run: (ctx: ProbeContext) => Promise<unknown>): AnyProbe => fakeProbe(run);

/** The store with one method replaced; every other call goes to the real one (bound: it has private fields). */
function storeWith(store: Store, overrides: Partial<Store>): Store {
  return new Proxy(store, {
    get: (target, key) => {
      if (key in overrides) return overrides[key as keyof Store];
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

let store: Store;
let dir: string;
beforeEach(async () => {
  store = await openStore(':memory:');
  dir = mkdtempSync(join(tmpdir(), 'prodeng-runner-'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const config = (text: string, probes: AnyProbe[]): ResolvedConfig => parseConfig(text, join(dir, 'prodeng.yml'), probes);

describe('runObservation', () => {
  it('observes every system with the engine and records one snapshot each, at the given clock', async () => {
    const fake = probe(async () => ok);
    const cfg = config('systems:\n  - name: a\n  - name: b\n', [fake]);
    const observed = await runObservation({
      systems: cfg.systems,
      probes: [fake],
      store,
      config: cfg,
      cacheDir: join(dir, 'cache'),
      signal: new AbortController().signal,
      now: () => new Date('2026-05-01T06:00:00Z'),
    });
    expect(observed.map((o) => [o.system, o.status])).toEqual([
      ['a', 'complete'],
      ['b', 'complete'],
    ]);
    expect((await store.listSnapshots('b'))[0]).toMatchObject({ startedAt: '2026-05-01T06:00:00.000Z', status: 'complete' });
  });

  it('refuses a system whose repository is not a directory before observing anything', async () => {
    const fake = probe(async () => ok);
    const cfg = config('systems:\n  - name: a\n  - name: gone\n    repo: ./missing\n', [fake]);
    const run = runObservation({ systems: cfg.systems, probes: [fake], store, config: cfg, cacheDir: dir, signal: new AbortController().signal });
    await expect(run).rejects.toThrow(SourceError);
    await expect(run).rejects.toThrow(/prodeng\.yml: system "gone": repo .*missing is not a directory \(fix repo: in the config, or restore the directory\)/);
    expect(await store.listSystems()).toEqual([]);
    expect(sourceProblem(cfg.systems[0]!, cfg.file)).toBeUndefined();
    expect(sourceProblem({ ...cfg.systems[1]!, name: 'x' }, null)).toMatch(/^config: system "x"/);
  });
});

describe('runSystem', () => {
  it('returns the recorded snapshot with the run’s times by its clock', async () => {
    let now = Date.parse('2026-05-01T06:00:00Z');
    const fake = probe(async () => {
      now += 90_000; // the probe takes 90 s of the run's clock
      return ok;
    });
    const cfg = config('systems:\n  - name: web\n', [fake]);
    const outcome = await runSystem({ system: cfg.systems[0]!, probes: [fake], store, config: cfg, cacheDir: dir, signal: new AbortController().signal, now: () => new Date(now) });
    const [snapshot] = await store.listSnapshots('web');
    expect(outcome).toEqual({
      kind: 'recorded',
      system: 'web',
      snapshotId: snapshot!.id,
      status: 'complete',
      startedAt: '2026-05-01T06:00:00.000Z',
      finishedAt: '2026-05-01T06:01:30.000Z',
      durationMs: 90_000,
    });
    expect(snapshot).toMatchObject({ startedAt: outcome.startedAt, finishedAt: outcome.finishedAt });
  });

  it('turns a database error into an error outcome without credentials, and never rejects', async () => {
    const fake = probe(async () => ok);
    const cfg = config('systems:\n  - name: web\n', [fake]);
    const broken = storeWith(store, {
      recordSnapshot: () => Promise.reject(new StoreError('unreachable', 'cannot reach postgres://prodeng:s3cret@db.internal:5432/prodeng (connection refused)\n    at stack line')),
    });
    const outcome = await runSystem({ system: cfg.systems[0]!, probes: [fake], store: broken, config: cfg, cacheDir: dir, signal: new AbortController().signal });
    expect(outcome).toMatchObject({ kind: 'error', system: 'web', message: 'cannot reach postgres://***@db.internal:5432/prodeng (connection refused)' });
    const missing = config('systems:\n  - name: gone\n    repo: ./missing\n', [fake]);
    const refused = await runSystem({ system: missing.systems[0]!, probes: [fake], store, config: missing, cacheDir: dir, signal: new AbortController().signal });
    expect(refused).toMatchObject({ kind: 'error', message: expect.stringMatching(/repo .*missing is not a directory/) });
  });

  it('is aborted, recording nothing, when its signal is', async () => {
    const controller = new AbortController();
    const waits = probe((ctx) => {
      controller.abort(new Error('stopping'));
      return new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
    });
    const cfg = config('systems:\n  - name: web\n', [waits]);
    const outcome = await runSystem({ system: cfg.systems[0]!, probes: [waits], store, config: cfg, cacheDir: dir, signal: controller.signal });
    expect(outcome.kind).toBe('aborted');
    expect(await store.listSystems()).toEqual([]);
  });
});

describe('errorMessage', () => {
  it('keeps the first line of a message and cuts credentials out of URLs', () => {
    expect(errorMessage(new Error('a\nb'))).toBe('a');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage(new TypeError(''))).toBe('TypeError');
    expect(redactCredentials('see https://user:pw@host/x and postgresql://only-user@h/db, not mail a@b.c')).toBe(
      'see https://***@host/x and postgresql://***@h/db, not mail a@b.c',
    );
  });
});
