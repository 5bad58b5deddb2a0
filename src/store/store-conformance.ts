/**
 * The one behavioural contract of a {@link Store}, run against every backend (`sqlite.test.ts`,
 * `postgres.test.ts`). A backend passes when it is indistinguishable from the others through the
 * Store interface.
 *
 * The factory is called before each test and must return an empty, migrated store.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconcile, type PriorFinding } from '../core/lifecycle.js';
import type { Location, ProbeRunRecord, ProbeRunStatus } from '../core/model.js';
import { isStoreError, type StoreError } from './errors.js';
import type { FindingInput, MetricInput, SnapshotInput, Store, StoredFinding } from './store.js';

export interface StoreFixture {
  store: Store;
  cleanup(): Promise<void>;
}

const BASE_TIME = Date.parse('2024-03-01T08:00:00.000Z');

/** The n-th hour after BASE_TIME, as the ISO string the store gives back. */
export function hour(n: number): string {
  return new Date(BASE_TIME + n * 3_600_000).toISOString();
}

export function finding(fingerprint: string, overrides: Partial<FindingInput> = {}): FindingInput {
  return {
    probe: 'todo',
    aspect: 'code-health',
    rule: 'todo/marker',
    severity: 'low',
    title: `TODO ${fingerprint}`,
    message: `A marker (${fingerprint}).`,
    location: { path: `src/${fingerprint}.ts`, line: 3 },
    fingerprint,
    data: { tag: 'TODO', fingerprint },
    ...overrides,
  };
}

export function metric(name: string, value: number, labels: Record<string, string> = {}, overrides: Partial<MetricInput> = {}): MetricInput {
  return { probe: 'todo', name, value, unit: 'count', labels, ...overrides };
}

export function probeRun(id: string, status: ProbeRunStatus = 'ok', overrides: Partial<ProbeRunRecord> = {}): ProbeRunRecord {
  return { id, status, durationMs: 5, errors: status === 'failed' ? [{ message: `${id} failed` }] : [], ...overrides };
}

export function snapshotInput(n: number, overrides: Partial<SnapshotInput> = {}): SnapshotInput {
  return {
    system: 'web',
    startedAt: hour(n),
    finishedAt: new Date(BASE_TIME + n * 3_600_000 + 1234).toISOString(),
    status: 'complete',
    revision: { commit: `c0ffee${n}`, branch: 'main' },
    probes: [probeRun('todo')],
    findings: [],
    metrics: [],
    ...overrides,
  };
}

/** What the store should give back for a finding input observed at `at`. */
function stored(input: FindingInput, system: string, status: StoredFinding['status'], firstSeen: string, lastSeen: string): StoredFinding {
  const out: StoredFinding = {
    fingerprint: input.fingerprint,
    system,
    probe: input.probe,
    rule: input.rule,
    aspect: input.aspect,
    severity: input.severity,
    title: input.title,
    message: input.message,
    location: input.location,
    status,
    firstSeen,
    lastSeen,
    data: input.data,
    remediation: input.remediation ?? null,
    effort: input.effort ?? null,
  };
  if (input.suppressed !== undefined) out.suppressed = input.suppressed;
  return out;
}

function statuses(findings: StoredFinding[]): Record<string, string> {
  return Object.fromEntries(findings.map((f) => [f.fingerprint, f.status]));
}

/** Awaits a promise that must reject with a StoreError of this code (and message); returns it. */
export async function expectStoreError(promise: Promise<unknown>, code: StoreError['code'], pattern?: RegExp): Promise<StoreError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected a StoreError ${code}, but the call succeeded`);
    },
    (caught: unknown) => caught,
  );
  expect(isStoreError(error), `expected a StoreError, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  if (pattern !== undefined) expect((error as Error).message).toMatch(pattern);
  return error as StoreError;
}

export function describeStoreConformance(name: string, factory: () => Promise<StoreFixture>): void {
  describe(`Store conformance: ${name}`, () => {
    let fixture: StoreFixture;
    let store: Store;

    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    it('migrate() is idempotent and an empty store reads as empty', async () => {
      await store.migrate();
      await store.migrate();
      expect(await store.listSystems()).toEqual([]);
      expect(await store.listSnapshots('web')).toEqual([]);
      expect(await store.getSnapshot('01HZZZZZZZZZZZZZZZZZZZZZZZ')).toBeNull();
      expect(await store.findingsAt('01HZZZZZZZZZZZZZZZZZZZZZZZ')).toEqual([]);
      expect(await store.currentFindings('web')).toEqual([]);
      expect(await store.metricsAt('01HZZZZZZZZZZZZZZZZZZZZZZZ')).toEqual([]);
      expect(await store.metricSeries('web', 'todo.count')).toEqual([]);
      expect(await store.metricNames('web')).toEqual([]);
      const id = await store.recordSnapshot(snapshotInput(0, { findings: [finding('a')] }));
      await store.migrate();
      expect((await store.getSnapshot(id))?.id).toBe(id);
    });

    it('records a snapshot and reads every field back', async () => {
      const big = 'x'.repeat(300_000);
      const locations: Location[] = [
        null,
        { path: 'README.md' },
        { path: 'src/a.ts', line: 10 },
        { path: 'src/ü/日本.ts', line: 1, column: 7 },
        { url: 'https://example.test/issues/1?q=a&b=c#x' },
      ];
      const findings: FindingInput[] = locations.map((location, i) =>
        finding(`loc${i}`, { location, severity: (['critical', 'high', 'medium', 'low', 'info'] as const)[i] ?? 'info' }),
      );
      findings.push(
        finding('full', {
          probe: 'deps',
          aspect: 'technology-upgrade',
          rule: 'deps/outdated-major',
          title: 'Ünïcødé ✓ 🚀 «quotes» "double" \'single\' \\ back\\slash',
          message: 'line one\nline two\ttabbed — em dash; emoji 👩‍💻',
          data: {
            nested: { list: [1, 2.5, -3, null, true, 'ß'], empty: {}, deep: { a: { b: { c: ['d'] } } } },
            big,
            unicode: '日本語 ✓ 🚀',
            number: 1e300,
          },
          remediation: 'Upgrade to 2.x — see https://example.test/changelog.',
          effort: 'medium',
          suppressed: { reason: 'accepted risk: vendored', until: '2025-01-01' },
        }),
        finding('suppressed-forever', { suppressed: { reason: 'never', until: null }, effort: 'trivial', remediation: '' }),
      );
      const probes: ProbeRunRecord[] = [
        probeRun('todo', 'ok', { durationMs: 1234.5, facts: { files: 42, languages: ['ts', 'md'], nested: { ok: true } } }),
        probeRun('deps', 'partial', {
          durationMs: 0,
          errors: [{ message: 'cannot read lockfile', path: 'package-lock.json', code: 'EACCES' }, { message: 'timeout' }],
          facts: null,
        }),
        probeRun('ci', 'failed', { errors: [{ message: 'no network', code: 'ENOTFOUND' }] }),
        probeRun('cost', 'skipped', { durationMs: 0 }),
        probeRun('lang', 'ok', { facts: ['a', 1, { b: 'ü' }] }),
      ];
      const metrics: MetricInput[] = [
        metric('todo.count', 12, { tag: 'FIXME', dir: 'src' }),
        metric('todo.count', 0, {}),
        metric('deps.age_days', 0.1 + 0.2, { 'ключ': 'значение ✓' }, { probe: 'deps', unit: 'd' }),
        metric('cost.usd', -1.5e-10, { z: '1', a: '2', m: '3' }, { probe: 'cost', unit: 'USD' }),
        metric('big', 1e300, {}, { unit: '' }),
      ];
      const input = snapshotInput(0, {
        system: 'web-ü',
        status: 'partial',
        revision: { commit: 'a'.repeat(40), branch: null },
        probes,
        findings,
        metrics,
      });
      const id = await store.recordSnapshot(input);
      expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);

      const snapshot = await store.getSnapshot(id);
      expect(snapshot).toStrictEqual({
        id,
        system: 'web-ü',
        startedAt: input.startedAt,
        finishedAt: input.finishedAt,
        status: 'partial',
        revision: { commit: 'a'.repeat(40), branch: null },
        probes,
      });
      // A probe without facts has no `facts` key; one whose facts are null keeps the null.
      expect(snapshot?.probes[2]).not.toHaveProperty('facts');
      expect(snapshot?.probes[1]).toHaveProperty('facts', null);

      const listed = await store.listSnapshots('web-ü');
      expect(listed).toHaveLength(1);
      expect(listed[0]).toStrictEqual({ ...snapshot, probes: probes.map(({ facts: _facts, ...rest }) => rest) });

      const at = await store.findingsAt(id);
      expect(at).toStrictEqual(findings.map((f) => stored(f, 'web-ü', 'new', input.startedAt, input.startedAt)));
      expect(await store.currentFindings('web-ü')).toStrictEqual(at);
      // The exact location shapes come back, without keys for absent parts.
      expect(at.map((f) => f.location)).toStrictEqual([...locations, findings[5]?.location, findings[6]?.location]);

      expect(await store.metricsAt(id)).toStrictEqual(metrics.map(({ probe, name, value, unit, labels }) => ({ system: 'web-ü', probe, name, value, unit, labels })));
      expect(await store.metricNames('web-ü')).toEqual(['big', 'cost.usd', 'deps.age_days', 'todo.count']);
      expect(await store.listSystems()).toStrictEqual([{ name: 'web-ü', snapshots: 1, latestSnapshotId: id, latestAt: input.startedAt }]);
    });

    it('normalises times to ISO-8601 UTC and rejects invalid input without recording anything', async () => {
      const id = await store.recordSnapshot(
        snapshotInput(0, { startedAt: '2024-03-01T10:00:00+02:00', finishedAt: '2024-03-01T08:00:05Z' }),
      );
      const snapshot = await store.getSnapshot(id);
      expect(snapshot?.startedAt).toBe('2024-03-01T08:00:00.000Z');
      expect(snapshot?.finishedAt).toBe('2024-03-01T08:00:05.000Z');

      await expect(store.recordSnapshot(snapshotInput(1, { startedAt: 'yesterday' }))).rejects.toThrow(/startedAt/);
      await expect(store.recordSnapshot(snapshotInput(1, { metrics: [metric('m', Number.NaN)] }))).rejects.toThrow(/invalid snapshot input/);
      await expect(
        store.recordSnapshot(snapshotInput(1, { findings: [finding('a', { severity: 'urgent' as never })] })),
      ).rejects.toThrow(/invalid snapshot input/);
      expect(await store.listSnapshots('web')).toHaveLength(1);
    });

    it('stores NUL characters of text fields as U+FFFD and keeps them in JSON values', async () => {
      const id = await store.recordSnapshot(
        snapshotInput(1, {
          system: 'nul\0system',
          findings: [finding('nul', { title: 'a\0b', message: '\0', location: { path: 'bin\0.dat' }, data: { raw: 'x\0y' } })],
          metrics: [metric('m', 1, { k: 'v\0' })],
        }),
      );
      const [stored] = await store.findingsAt(id);
      expect(stored).toMatchObject({ system: 'nul\uFFFDsystem', title: 'a\uFFFDb', message: '\uFFFD', location: { path: 'bin\uFFFD.dat' } });
      expect(stored?.data).toEqual({ raw: 'x\0y' });
      expect((await store.metricsAt(id))[0]?.labels).toEqual({ k: 'v\0' });
    });

    it('follows the lifecycle new → open → resolved → reopened across snapshots', async () => {
      const system = 'web';
      const a = finding('a');
      const b = finding('b');
      const c = finding('c');
      const x = finding('x', { probe: 'deps', rule: 'deps/outdated', aspect: 'technology-upgrade' });
      const probes = (todo: ProbeRunStatus, deps: ProbeRunStatus) => [probeRun('todo', todo), probeRun('deps', deps)];

      // 1: everything is new.
      const s1 = await store.recordSnapshot(snapshotInput(1, { probes: probes('ok', 'ok'), findings: [a, b, c, x] }));
      expect(statuses(await store.findingsAt(s1))).toEqual({ a: 'new', b: 'new', c: 'new', x: 'new' });

      // 2: c is gone and todo ran ok → resolved; the others stay open.
      const s2 = await store.recordSnapshot(snapshotInput(2, { probes: probes('ok', 'ok'), findings: [a, b, x] }));
      expect(statuses(await store.findingsAt(s2))).toEqual({ a: 'open', b: 'open', c: 'resolved', x: 'open' });
      expect(statuses(await store.currentFindings(system))).toEqual({ a: 'open', b: 'open', c: 'resolved', x: 'open' });

      // 3: c is back → reopened; b is missing but todo was partial → not resolved; deps failed → x stays.
      const s3 = await store.recordSnapshot(snapshotInput(3, { probes: probes('partial', 'failed'), findings: [a, c] }));
      expect(statuses(await store.findingsAt(s3))).toEqual({ a: 'open', c: 'reopened' });
      expect(statuses(await store.currentFindings(system))).toEqual({ a: 'open', b: 'open', c: 'reopened', x: 'open' });

      // 4: todo failed, deps skipped → nothing is resolved, nothing observed.
      const s4 = await store.recordSnapshot(snapshotInput(4, { probes: probes('failed', 'skipped'), findings: [] }));
      expect(await store.findingsAt(s4)).toEqual([]);
      expect(statuses(await store.currentFindings(system))).toEqual({ a: 'open', b: 'open', c: 'reopened', x: 'open' });

      // 5: a probe missing from the snapshot entirely does not resolve either.
      const s5 = await store.recordSnapshot(snapshotInput(5, { probes: [probeRun('todo', 'ok')], findings: [a] }));
      expect(statuses(await store.findingsAt(s5))).toEqual({ a: 'open', b: 'resolved', c: 'resolved' });
      expect(statuses(await store.currentFindings(system))).toEqual({ a: 'open', b: 'resolved', c: 'resolved', x: 'open' });

      // 6: deps ran ok without x → x resolved; b and c were resolved by an earlier snapshot and
      // leave the backlog.
      const s6 = await store.recordSnapshot(snapshotInput(6, { probes: probes('ok', 'ok'), findings: [a] }));
      expect(statuses(await store.findingsAt(s6))).toEqual({ a: 'open', x: 'resolved' });
      expect(statuses(await store.currentFindings(system))).toEqual({ a: 'open', x: 'resolved' });

      // 7: b comes back after having been resolved → reopened.
      const s7 = await store.recordSnapshot(snapshotInput(7, { probes: probes('ok', 'ok'), findings: [a, b] }));
      expect(statuses(await store.findingsAt(s7))).toEqual({ a: 'open', b: 'reopened' });
      expect(statuses(await store.currentFindings(system))).toEqual({ a: 'open', b: 'reopened' });

      // Times: firstSeen is the first sighting, lastSeen the latest observation.
      const current = await store.currentFindings(system);
      const byFp = new Map(current.map((f) => [f.fingerprint, f]));
      expect(byFp.get('a')).toMatchObject({ firstSeen: hour(1), lastSeen: hour(7) });
      expect(byFp.get('b')).toMatchObject({ firstSeen: hour(1), lastSeen: hour(7) });

      // History stays as it was.
      const past = new Map((await store.findingsAt(s2)).map((f) => [f.fingerprint, f]));
      expect(past.get('a')).toMatchObject({ status: 'open', firstSeen: hour(1), lastSeen: hour(2) });
      // A resolved occurrence carries the last time the finding was seen.
      expect(past.get('c')).toMatchObject({ status: 'resolved', firstSeen: hour(1), lastSeen: hour(1) });
      const pastResolved = new Map((await store.findingsAt(s5)).map((f) => [f.fingerprint, f]));
      expect(pastResolved.get('b')).toMatchObject({ status: 'resolved', lastSeen: hour(2) });
      expect(pastResolved.get('c')).toMatchObject({ status: 'resolved', lastSeen: hour(3) });
      expect(statuses(await store.findingsAt(s1))).toEqual({ a: 'new', b: 'new', c: 'new', x: 'new' });
    });

    it('keeps the status of the latest observation while a probe cannot see', async () => {
      await store.recordSnapshot(snapshotInput(1, { findings: [finding('a')] }));
      await store.recordSnapshot(snapshotInput(2, { probes: [probeRun('todo', 'failed')] }));
      const [a] = await store.currentFindings('web');
      expect(a).toMatchObject({ fingerprint: 'a', status: 'new', firstSeen: hour(1), lastSeen: hour(1) });
    });

    it('keeps the first of duplicate fingerprints in one snapshot', async () => {
      const first = finding('dup', { title: 'first', data: { n: 1 } });
      const second = finding('dup', { title: 'second', data: { n: 2 }, severity: 'critical' });
      const s1 = await store.recordSnapshot(snapshotInput(1, { findings: [first, finding('other'), second, first] }));
      const at = await store.findingsAt(s1);
      expect(at.map((f) => f.fingerprint)).toEqual(['dup', 'other']);
      expect(at[0]).toMatchObject({ title: 'first', data: { n: 1 }, severity: 'low', status: 'new' });
      const s2 = await store.recordSnapshot(snapshotInput(2, { findings: [second, second] }));
      expect(await store.findingsAt(s2)).toMatchObject([
        { fingerprint: 'dup', title: 'second', status: 'open' },
        { fingerprint: 'other', status: 'resolved' },
      ]);
    });

    it('updates current fields on each observation while earlier snapshots keep theirs', async () => {
      const s1 = await store.recordSnapshot(snapshotInput(1, { findings: [finding('a', { title: 'old', location: { path: 'a.ts', line: 1 } })] }));
      const changed = finding('a', {
        title: 'new',
        severity: 'high',
        location: { url: 'https://example.test' },
        data: { changed: true },
        remediation: 'fix it',
        effort: 'large',
        suppressed: { reason: 'later', until: null },
      });
      const s2 = await store.recordSnapshot(snapshotInput(2, { findings: [changed] }));
      expect((await store.findingsAt(s1))[0]).toMatchObject({ title: 'old', severity: 'low', location: { path: 'a.ts', line: 1 } });
      expect((await store.findingsAt(s1))[0]).not.toHaveProperty('suppressed');
      expect((await store.findingsAt(s2))[0]).toStrictEqual(stored(changed, 'web', 'open', hour(1), hour(2)));
      expect((await store.currentFindings('web'))[0]).toStrictEqual(stored(changed, 'web', 'open', hour(1), hour(2)));
    });

    it('keeps systems apart', async () => {
      const w = await store.recordSnapshot(snapshotInput(1, { system: 'web', findings: [finding('a')], metrics: [metric('m', 1)] }));
      const api = await store.recordSnapshot(snapshotInput(2, { system: 'api', findings: [finding('a'), finding('b')], metrics: [metric('m', 2)] }));
      // The same fingerprint in another system is another finding.
      expect(statuses(await store.findingsAt(api))).toEqual({ a: 'new', b: 'new' });
      // A snapshot of api resolves nothing of web.
      await store.recordSnapshot(snapshotInput(3, { system: 'api', findings: [] }));
      expect(statuses(await store.currentFindings('web'))).toEqual({ a: 'new' });
      expect(statuses(await store.currentFindings('api'))).toEqual({ a: 'resolved', b: 'resolved' });
      expect((await store.metricSeries('web', 'm')).map((p) => p.value)).toEqual([1]);
      expect((await store.metricSeries('api', 'm')).map((p) => p.value)).toEqual([2]);
      expect(await store.findingsAt(w)).toHaveLength(1);
      expect(await store.currentFindings('nope')).toEqual([]);
    });

    it('orders metric series oldest first and filters them by labels', async () => {
      // Recorded out of order: the series follows the snapshots' times.
      const s3 = await store.recordSnapshot(
        snapshotInput(3, { metrics: [metric('todo.count', 30, { tag: 'TODO', dir: 'src' }), metric('todo.count', 31, { tag: 'FIXME', dir: 'src' })] }),
      );
      const s1 = await store.recordSnapshot(
        snapshotInput(1, {
          metrics: [
            metric('todo.count', 10, { dir: 'src', tag: 'TODO' }),
            metric('todo.count', 11, { tag: 'FIXME', dir: 'test' }),
            metric('other', 99),
          ],
        }),
      );
      const s2 = await store.recordSnapshot(snapshotInput(2, { metrics: [metric('todo.count', 20, { tag: 'TODO', dir: 'src' })] }));

      const all = await store.metricSeries('web', 'todo.count');
      expect(all.map((p) => [p.snapshotId, p.value])).toEqual([
        [s1, 10],
        [s1, 11],
        [s2, 20],
        [s3, 30],
        [s3, 31],
      ]);
      expect(all[0]).toStrictEqual({ snapshotId: s1, at: hour(1), value: 10, unit: 'count', labels: { dir: 'src', tag: 'TODO' } });
      // Label keys come back in canonical (sorted) order, whatever the input order.
      expect(Object.keys(all[0]?.labels ?? {})).toEqual(['dir', 'tag']);

      expect((await store.metricSeries('web', 'todo.count', { tag: 'TODO' })).map((p) => p.value)).toEqual([10, 20, 30]);
      expect((await store.metricSeries('web', 'todo.count', { tag: 'FIXME', dir: 'src' })).map((p) => p.value)).toEqual([31]);
      expect(await store.metricSeries('web', 'todo.count', { tag: 'NOPE' })).toEqual([]);
      expect(await store.metricSeries('web', 'todo.count', { missing: '' })).toEqual([]);
      expect((await store.metricSeries('web', 'todo.count', {})).length).toBe(5);
      expect(await store.metricSeries('web', 'nope')).toEqual([]);
      expect(await store.metricSeries('nope', 'todo.count')).toEqual([]);
      expect(await store.metricNames('web')).toEqual(['other', 'todo.count']);
      expect((await store.metricsAt(s1)).map((m) => m.value)).toEqual([10, 11, 99]);
    });

    it('lists systems by name and snapshots newest first with a limit', async () => {
      const ids: string[] = [];
      for (const n of [1, 2, 3, 4]) ids.push(await store.recordSnapshot(snapshotInput(n, { system: 'web' })));
      const api = await store.recordSnapshot(snapshotInput(0, { system: 'Api' }));
      const zeta = await store.recordSnapshot(snapshotInput(9, { system: 'zeta' }));
      const alpha = await store.recordSnapshot(snapshotInput(5, { system: 'alpha' }));

      // Code-unit order: upper case before lower case, on every backend.
      expect(await store.listSystems()).toStrictEqual([
        { name: 'Api', snapshots: 1, latestSnapshotId: api, latestAt: hour(0) },
        { name: 'alpha', snapshots: 1, latestSnapshotId: alpha, latestAt: hour(5) },
        { name: 'web', snapshots: 4, latestSnapshotId: ids[3], latestAt: hour(4) },
        { name: 'zeta', snapshots: 1, latestSnapshotId: zeta, latestAt: hour(9) },
      ]);
      expect((await store.listSnapshots('web')).map((s) => s.id)).toEqual([...ids].reverse());
      expect((await store.listSnapshots('web', { limit: 2 })).map((s) => s.id)).toEqual([ids[3], ids[2]]);
      expect(await store.listSnapshots('web', { limit: 0 })).toEqual([]);
      expect((await store.listSnapshots('web')).every((s) => s.system === 'web')).toBe(true);
      expect(await store.listSnapshots('nope')).toEqual([]);
    });

    it('orders snapshots by start time even when recorded out of order', async () => {
      const late = await store.recordSnapshot(snapshotInput(5));
      const early = await store.recordSnapshot(snapshotInput(1));
      expect((await store.listSnapshots('web')).map((s) => s.id)).toEqual([late, early]);
      expect((await store.listSystems())[0]?.latestSnapshotId).toBe(late);
      expect(await store.resolveSnapshotRef('web', '~0')).toBe(late);
    });

    it('resolves snapshot references: id, prefix, ~N', async () => {
      await expectStoreError(store.resolveSnapshotRef(undefined, '~0'), 'not-found', /no snapshot/i);
      const ids: string[] = [];
      for (const n of [1, 2, 3]) ids.push(await store.recordSnapshot(snapshotInput(n)));
      const [s1, s2, s3] = ids as [string, string, string];

      expect(await store.resolveSnapshotRef('web', s2)).toBe(s2);
      expect(await store.resolveSnapshotRef(undefined, s2)).toBe(s2);
      expect(await store.resolveSnapshotRef(undefined, s2.toLowerCase())).toBe(s2);
      expect(await store.resolveSnapshotRef(undefined, '~0')).toBe(s3);
      expect(await store.resolveSnapshotRef('web', '~1')).toBe(s2);
      expect(await store.resolveSnapshotRef('web', '~2')).toBe(s1);
      await expectStoreError(store.resolveSnapshotRef('web', '~3'), 'not-found', /~0 to ~2/);

      // Ids made close together share their time prefix: the shortest unique prefix resolves,
      // the common one is ambiguous and lists the candidates.
      let common = 0;
      while (s1[common] === s2[common] && s2[common] === s3[common]) common++;
      // Snapshots an hour apart share the leading characters of their time part.
      expect(common).toBeGreaterThanOrEqual(4);
      const ambiguous = await expectStoreError(store.resolveSnapshotRef(undefined, s1.slice(0, common)), 'ambiguous');
      for (const id of ids) expect(ambiguous.message).toContain(id);
      let length = 4;
      while (ids.some((id) => id !== s3 && id.startsWith(s3.slice(0, length)))) length++;
      expect(await store.resolveSnapshotRef(undefined, s3.slice(0, length))).toBe(s3);
      expect(await store.resolveSnapshotRef('web', s3.slice(0, length).toLowerCase())).toBe(s3);

      await expectStoreError(store.resolveSnapshotRef(undefined, 'ZZZZZZ'), 'not-found', /ZZZZZZ/);
      await expectStoreError(store.resolveSnapshotRef(undefined, s1.slice(0, 3)), 'not-found', /at least 4/);
      await expectStoreError(store.resolveSnapshotRef(undefined, 'not-an-id!'), 'not-found');
      await expectStoreError(store.resolveSnapshotRef(undefined, `${s1}0`), 'not-found');
      await expectStoreError(store.resolveSnapshotRef('nope', '~0'), 'not-found', /nope/);

      // With a second system, ~N needs a system, and ids are restricted to the given system.
      const other = await store.recordSnapshot(snapshotInput(4, { system: 'api' }));
      await expectStoreError(store.resolveSnapshotRef(undefined, '~0'), 'ambiguous', /api, web/);
      expect(await store.resolveSnapshotRef('api', '~0')).toBe(other);
      expect(await store.resolveSnapshotRef(undefined, other)).toBe(other);
      await expectStoreError(store.resolveSnapshotRef('web', other), 'not-found', /Recent snapshots of "web"/);
    });

    it('records nothing of a snapshot that fails midway (value JSON cannot hold)', async () => {
      const before = await store.recordSnapshot(
        snapshotInput(1, { findings: [finding('a'), finding('b')], metrics: [metric('m', 1)] }),
      );
      const snapshotBefore = await store.getSnapshot(before);
      const currentBefore = await store.currentFindings('web');

      // 1,500 findings: several chunks are written before the last one fails to serialise.
      const many = Array.from({ length: 1500 }, (_, i) => finding(`f${i}`));
      many.push(finding('bad', { data: { size: 10n } }));
      const failing = snapshotInput(2, {
        findings: [finding('a'), ...many],
        metrics: [metric('m', 2)],
        probes: [probeRun('todo'), probeRun('deps')],
      });
      await expect(store.recordSnapshot(failing)).rejects.toThrow(/BigInt/i);

      const cyclic: Record<string, unknown> = {};
      cyclic['self'] = cyclic;
      await expect(
        store.recordSnapshot(snapshotInput(2, { system: 'fresh', findings: [finding('a'), finding('c', { data: cyclic })], metrics: [metric('m', 3)] })),
      ).rejects.toThrow(/circular/i);
      await expect(
        store.recordSnapshot(snapshotInput(2, { probes: [probeRun('todo', 'ok', { facts: { n: 1n } })], findings: [finding('z')] })),
      ).rejects.toThrow(/BigInt/i);

      expect(await store.listSystems()).toStrictEqual([{ name: 'web', snapshots: 1, latestSnapshotId: before, latestAt: hour(1) }]);
      expect(await store.listSnapshots('web')).toHaveLength(1);
      expect(await store.getSnapshot(before)).toStrictEqual(snapshotBefore);
      expect(await store.currentFindings('web')).toStrictEqual(currentBefore);
      expect(await store.metricSeries('web', 'm')).toHaveLength(1);
      expect(await store.listSnapshots('fresh')).toEqual([]);

      // The failed attempts left no trace in the lifecycle either.
      const after = await store.recordSnapshot(snapshotInput(3, { findings: [finding('a')] }));
      expect(statuses(await store.findingsAt(after))).toEqual({ a: 'open', b: 'resolved' });
    });

    it('matches the lifecycle model on random histories', async () => {
      const universe = ['p', 'q', 'r', 's'];
      const step = fc.record({
        observed: fc.subarray(universe),
        todo: fc.constantFrom<ProbeRunStatus>('ok', 'ok', 'partial', 'failed', 'skipped'),
      });
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 5 }), async (steps) => {
          const system = `random-${run++}`;
          const model = new Map<string, PriorFinding & { status: string }>();
          let resolvedLast: string[] = [];
          for (const [n, { observed, todo }] of steps.entries()) {
            const findings = todo === 'failed' || todo === 'skipped' ? [] : observed.map((fp) => finding(fp));
            const id = await store.recordSnapshot(snapshotInput(n, { system, probes: [probeRun('todo', todo)], findings }));
            const transitions = reconcile(model.values(), findings.map((f) => f.fingerprint), new Map([['todo', todo]]));
            for (const t of transitions) {
              const state = t.status === 'resolved' ? 'resolved' : 'open';
              model.set(t.fingerprint, { fingerprint: t.fingerprint, probe: 'todo', state, status: t.status });
            }
            resolvedLast = transitions.filter((t) => t.status === 'resolved').map((t) => t.fingerprint);
            const expected = Object.fromEntries(transitions.map((t) => [t.fingerprint, t.status]));
            expect(statuses(await store.findingsAt(id))).toEqual(expected);
          }
          const expectedCurrent = Object.fromEntries(
            [...model.values()]
              .filter((f) => f.state === 'open' || resolvedLast.includes(f.fingerprint))
              .map((f) => [f.fingerprint, f.status]),
          );
          expect(statuses(await store.currentFindings(system))).toEqual(expectedCurrent);
        }),
        { numRuns: 15 },
      );
    });
  });
}

