import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ResolvedSystem } from '../config/load.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { observe, snapshotStatus } from './engine.js';
import { fingerprint } from './fingerprint.js';
import type { Finding, ProbeResult } from './model.js';
import type { AnyProbe, ProbeContext } from './probe.js';

function probe(id: string, run: (ctx: ProbeContext) => Promise<unknown>, extra: Partial<AnyProbe> = {}): AnyProbe {
  return {
    id,
    aspect: 'code-health',
    title: id,
    description: id,
    rules: [{ id: `${id}/thing`, title: 't', description: 'd', defaultSeverity: 'low', remediation: 'r' }],
    options: [],
    configSchema: z.object({}).strict(),
    appliesTo: () => true,
    run: run as AnyProbe['run'],
    ...extra,
  };
}

const finding = (id: string, text: string, extra: Partial<Finding> = {}): Finding => ({
  rule: `${id}/thing`,
  severity: 'medium',
  title: text,
  message: text,
  location: { path: `src/${text}.ts`, line: 1 },
  fingerprint: fingerprint(id, text),
  data: {},
  ...extra,
});

const ok = (findings: Finding[]): ProbeResult => ({ status: 'ok', findings, metrics: [{ name: 'x.count', value: findings.length, unit: 'n', labels: {} }], errors: [] });

function system(probes: AnyProbe[], overrides: Partial<ResolvedSystem> = {}): ResolvedSystem {
  return {
    name: 'web',
    sources: { repo: '/nonexistent-for-tests' },
    probes: new Map(probes.map((p) => [p.id, { enabled: true as const, config: {} }])),
    ignores: [],
    ...overrides,
  };
}

let store: Store;
beforeEach(async () => {
  store = await openStore(':memory:');
});
afterEach(async () => store.close());

const run = (probes: AnyProbe[], options: { only?: Set<string>; timeoutMs?: number; signal?: AbortSignal; sys?: ResolvedSystem } = {}) =>
  observe({
    systems: [options.sys ?? system(probes)],
    probes,
    ...(options.only ? { only: options.only } : {}),
    store,
    offline: true,
    timeoutMs: options.timeoutMs ?? 5_000,
    cacheDir: '/tmp/prodeng-engine-test-cache',
    signal: options.signal ?? new AbortController().signal,
    now: () => new Date('2026-01-01T00:00:00Z'),
  });

describe('observe', () => {
  it('records a probe that finds nothing to observe at run time as skipped, keeping its earlier findings open', async () => {
    let skip = false;
    const history = probe('hist', async () => (skip ? { status: 'skipped', reason: 'no test runs' } : ok([finding('hist', 'a')])));
    await run([history]);
    skip = true;
    const [observed] = await run([history]);
    expect(observed!.status).toBe('complete');
    const snapshot = await store.getSnapshot(observed!.snapshotId);
    expect(snapshot!.probes.find((p) => p.id === 'hist')).toMatchObject({ status: 'skipped', errors: [] });
    // Not resolved: a probe that could not look keeps the status of its last observation.
    expect((await store.currentFindings('web')).map((f) => [f.title, f.status])).toEqual([['a', 'new']]);
  });

  it("gives probes the observed system's history and nothing else", async () => {
    await store.recordTestRun({ system: 'other', runId: '1', at: '2026-01-01T00:00:00Z', source: 'junit', results: [] });
    let seen = -1;
    const reader = probe('reader', async (ctx) => {
      await ctx.history.recordTestRun({ runId: '9', at: '2026-01-01T00:00:00Z', source: 'junit', results: [] });
      seen = (await ctx.history.testHistory()).runs.length;
      return ok([]);
    });
    await run([reader]);
    expect(seen).toBe(1);
    expect((await store.listTestRuns('web')).map((r) => r.runId)).toEqual(['9']);
  });

  it('records a failing probe as failed, the snapshot as partial, and keeps the others', async () => {
    const good = probe('good', async () => ok([finding('good', 'a')]));
    const bad = probe('bad', async () => {
      throw Object.assign(new Error('registry answered 503'), { code: 'upstream' });
    });
    const [observed] = await run([good, bad]);
    expect(observed!.status).toBe('partial');
    const snapshot = await store.getSnapshot(observed!.snapshotId);
    expect(snapshot!.probes.find((p) => p.id === 'bad')).toMatchObject({ status: 'failed', errors: [{ message: 'registry answered 503', code: 'upstream' }] });
    expect((await store.findingsAt(observed!.snapshotId)).map((f) => f.title)).toEqual(['a']);
  });

  it('gives up on a probe that ignores its time limit, and says so', async () => {
    const stuck = probe('stuck', () => new Promise(() => undefined));
    const [observed] = await run([stuck], { timeoutMs: 150 });
    const snapshot = await store.getSnapshot(observed!.snapshotId);
    expect(observed!.status).toBe('failed');
    expect(snapshot!.probes[0]).toMatchObject({ status: 'failed', errors: [{ code: 'timeout' }] });
  });

  it('drops malformed findings and metrics, naming them, and marks the run partial', async () => {
    const sloppy = probe('sloppy', async () => ({
      status: 'ok',
      findings: [finding('sloppy', 'fine'), { ...finding('sloppy', 'bad'), severity: 'urgent' }, finding('other', 'foreign')],
      metrics: [{ name: 'NotAName', value: 1, unit: '', labels: {} }],
      errors: [],
    }));
    const [observed] = await run([sloppy]);
    const snapshot = await store.getSnapshot(observed!.snapshotId);
    expect(snapshot!.probes[0]!.status).toBe('partial');
    expect(snapshot!.probes[0]!.errors.map((e) => e.code)).toEqual(['malformed-finding', 'malformed-finding', 'malformed-metric']);
    expect((await store.findingsAt(observed!.snapshotId)).map((f) => f.title)).toEqual(['fine']);
    const garbage = probe('garbage', async () => 42);
    const [again] = await run([garbage]);
    expect((await store.getSnapshot(again!.snapshotId))!.probes[0]).toMatchObject({ status: 'failed', errors: [{ code: 'malformed-result' }] });
  });

  it('skips probes not selected, disabled or not applicable, and does not resolve their findings', async () => {
    const a = probe('a', async () => ok([finding('a', 'one')]));
    const b = probe('b', async () => ok([finding('b', 'two')]));
    await run([a, b]);
    const [second] = await run([a, b], { only: new Set(['a']) });
    const snapshot = await store.getSnapshot(second!.snapshotId);
    expect(snapshot!.probes.find((p) => p.id === 'b')!.status).toBe('skipped');
    expect((await store.currentFindings('web')).map((f) => [f.title, f.status]).sort()).toEqual([
      ['one', 'open'],
      ['two', 'new'],
    ]);
    const disabled = system([a, b], { probes: new Map([['a', { enabled: true, config: {} }], ['b', { enabled: false }]]) });
    const [third] = await run([a, b], { sys: disabled });
    expect((await store.getSnapshot(third!.snapshotId))!.probes.find((p) => p.id === 'b')!.status).toBe('skipped');
    const notApplicable = probe('c', async () => ok([]), { appliesTo: () => false });
    const [fourth] = await run([notApplicable]);
    expect((await store.getSnapshot(fourth!.snapshotId))!.probes.find((p) => p.id === 'c')!.status).toBe('skipped');
  });

  it('suppresses ignored findings and reports expired ignores at their line', async () => {
    const p = probe('p', async () => ok([finding('p', 'kept'), finding('p', 'hidden')]));
    const sys = system([p], {
      ignores: [
        { rule: 'p/thing', path: 'src/hidden.ts', reason: 'accepted', until: '2026-06-30', source: { file: 'prodeng.yml', line: 7 } },
        { fingerprint: 'abcdef12', reason: 'old', until: '2025-12-31', source: { file: 'prodeng.yml', line: 11 } },
      ],
    });
    const [observed] = await run([p], { sys });
    const findings = await store.findingsAt(observed!.snapshotId);
    expect(findings.find((f) => f.title === 'hidden')!.suppressed).toEqual({ reason: 'accepted', until: '2026-06-30' });
    expect(findings.find((f) => f.title === 'kept')!.suppressed).toBeUndefined();
    const expired = findings.find((f) => f.rule === 'core/ignore-expired')!;
    expect(expired).toMatchObject({ probe: 'core', location: { path: 'prodeng.yml', line: 11 }, severity: 'low' });
  });

  it('records nothing of an interrupted observation', async () => {
    const controller = new AbortController();
    const slow = probe('slow', (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))));
    const pending = run([slow], { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('interrupted')), 50);
    await expect(pending).rejects.toThrow('interrupted');
    expect(await store.listSystems()).toEqual([]);
  });
});

describe('snapshotStatus', () => {
  it('is complete when every probe that ran is ok, failed when all failed, partial otherwise', () => {
    const r = (id: string, status: 'ok' | 'partial' | 'failed' | 'skipped') => ({ id, status, durationMs: 0, errors: [] });
    expect(snapshotStatus([r('a', 'ok'), r('b', 'skipped'), r('core', 'ok')])).toBe('complete');
    expect(snapshotStatus([r('a', 'failed'), r('b', 'skipped'), r('core', 'ok')])).toBe('failed');
    expect(snapshotStatus([r('a', 'failed'), r('b', 'ok')])).toBe('partial');
    expect(snapshotStatus([r('a', 'partial')])).toBe('partial');
  });
});

describe('ignores by advisory id', () => {
  it('match a finding whose data names the advisory or one of its aliases', async () => {
    const p = probe('p', async () =>
      ok([
        finding('p', 'vuln', { data: { id: 'GHSA-aaaa-bbbb-cccc', aliases: ['CVE-2024-1234'] } }),
        finding('p', 'other', { data: { id: 'GHSA-zzzz-zzzz-zzzz', aliases: [] } }),
      ]),
    );
    const sys = system([p], { ignores: [{ advisory: 'cve-2024-1234', reason: 'not reachable', until: '2026-12-31', source: { file: 'prodeng.yml', line: 3 } }] });
    const [observed] = await run([p], { sys });
    const findings = await store.findingsAt(observed!.snapshotId);
    expect(findings.find((f) => f.title === 'vuln')!.suppressed).toEqual({ reason: 'not reachable', until: '2026-12-31' });
    expect(findings.find((f) => f.title === 'other')!.suppressed).toBeUndefined();
  });
});
