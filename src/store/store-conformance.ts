/**
 * The one behavioural contract of a {@link Store}, run against every backend (`sqlite.test.ts`,
 * `postgres.test.ts`). A backend passes when it is indistinguishable from the others through the
 * Store interface.
 *
 * The factory is called before each test and must return an empty, migrated store.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CiRecord } from '../ci/model.js';
import { reconcile, type PriorFinding } from '../core/lifecycle.js';
import type { Location, ProbeRunRecord, ProbeRunStatus } from '../core/model.js';
import { isStoreError, type StoreError } from './errors.js';
import type { FindingInput, MetricInput, SnapshotInput, Store, StoredFinding, TestResultInput, TestRunInput, TestStatus } from './store.js';

export interface StoreFixture {
  store: Store;
  cleanup(): Promise<void>;
  /** Runs SQL on the database behind the store, to damage it on purpose (tests of what a damaged database reads as). */
  execute?(statement: string): Promise<void>;
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

export function testResult(key: string, status: TestStatus = 'passed', overrides: Partial<TestResultInput> = {}): TestResultInput {
  const [classname = '', name = key] = key.includes('::') ? key.split('::') : ['', key];
  return {
    key,
    suite: classname,
    classname,
    name,
    file: null,
    status,
    durationSeconds: 0.5,
    message: status === 'failed' || status === 'error' ? `${key} failed` : null,
    ...overrides,
  };
}

export function testRun(n: number, results: TestRunInput['results'], overrides: Partial<TestRunInput> = {}): TestRunInput {
  return { system: 'web', runId: `build-${n}`, commit: `c0ffee${n}`, branch: 'main', at: hour(n), source: 'junit', results, ...overrides };
}

/** A CI step record of pipeline `ci`, run `100`, job `build`, at hour `n`; override to make others. */
export function ciRecord(n: number, overrides: Partial<CiRecord> = {}): CiRecord {
  return {
    pipeline: 'ci',
    run: '100',
    attempt: 1,
    job: 'build',
    step: 'compile',
    status: 'success',
    commit: 'c0ffee',
    branch: 'main',
    queuedAt: hour(n),
    startedAt: new Date(Date.parse(hour(n)) + 5_000).toISOString(),
    finishedAt: new Date(Date.parse(hour(n)) + 60_000).toISOString(),
    url: 'https://ci.example/ci/100',
    ...overrides,
  };
}

/** What ciRecords gives back for a record: `url` is always there. */
function storedCi(record: CiRecord): CiRecord {
  return { ...record, url: record.url ?? null };
}

async function* slowly<T>(items: Iterable<T>, failAfter?: number): AsyncGenerator<T> {
  let n = 0;
  for (const item of items) {
    if (failAfter !== undefined && n === failAfter) throw new Error('the producer failed');
    n++;
    await Promise.resolve();
    yield item;
  }
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

    it('records a test run and reads its history back, every field', async () => {
      expect(await store.testHistory('web')).toStrictEqual({ system: 'web', runs: [], tests: [] });
      expect(await store.listTestRuns('web')).toStrictEqual([]);
      const results: TestResultInput[] = [
        testResult('a.B::passes', 'passed', { file: 'src/b.ts', durationSeconds: 0.25 }),
        testResult('a.B::fails', 'failed', { message: 'expected 1, got 2', durationSeconds: null }),
        testResult('a.B::errs', 'error', { retries: 2 }),
        testResult('a.B::skips', 'skipped', { message: 'not today', durationSeconds: 0 }),
        testResult('a.B::flakes', 'flaky', { retries: 1, message: 'timed out' }),
        testResult('plain name — ünïcödé 😀', 'passed', { suite: 'S', durationSeconds: 1e-6 }),
      ];
      const recorded = await store.recordTestRun(testRun(1, results, { attempt: 2, at: '2024-03-01T10:00:00+01:00' }));
      expect(recorded).toStrictEqual({ runKey: expect.stringMatching(/^[0-9a-f]{24}$/), tests: 6, inserted: 6, replaced: false });

      const runs = await store.listTestRuns('web');
      expect(runs).toStrictEqual([
        {
          runKey: recorded.runKey,
          runId: 'build-1',
          attempt: 2,
          commit: 'c0ffee1',
          branch: 'main',
          at: '2024-03-01T09:00:00.000Z',
          source: 'junit',
          recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
          tests: 6,
          results: 6,
          passed: 2,
          failed: 1,
          errors: 1,
          skipped: 1,
          flaky: 1,
          totalSeconds: expect.closeTo(0.25 + 0.5 + 0 + 0.5 + 1e-6, 9),
        },
      ]);
      const history = await store.testHistory('web');
      expect(history.system).toBe('web');
      expect(history.runs).toStrictEqual(runs);
      const byKey = Object.fromEntries(history.tests.map((t) => [t.key, t]));
      expect(history.tests.map((t) => t.key)).toStrictEqual(['a.B::errs', 'a.B::fails', 'a.B::flakes', 'a.B::passes', 'a.B::skips', 'plain name — ünïcödé 😀']);
      expect(byKey['a.B::passes']).toStrictEqual({
        key: 'a.B::passes',
        suite: 'a.B',
        classname: 'a.B',
        name: 'passes',
        file: 'src/b.ts',
        runs: [0],
        statuses: ['passed'],
        durations: [0.25],
        retries: [0],
        lastMessage: null,
      });
      expect(byKey['a.B::fails']).toMatchObject({ statuses: ['failed'], durations: [null], lastMessage: 'expected 1, got 2' });
      expect(byKey['a.B::errs']).toMatchObject({ statuses: ['error'], retries: [2] });
      expect(byKey['a.B::flakes']).toMatchObject({ statuses: ['flaky'], retries: [1], lastMessage: 'timed out' });
      expect(byKey['plain name — ünïcödé 😀']).toMatchObject({ suite: 'S', classname: '', durations: [1e-6] });
      expect((await store.listSystems()).map((s) => s.name)).toStrictEqual(['web']);
    });

    it('replaces a run recorded again (same key, same counts), keeps attempts and systems apart', async () => {
      const first = [testResult('t::a'), testResult('t::b', 'failed'), testResult('t::c')];
      const a = await store.recordTestRun(testRun(1, first));
      const again = await store.recordTestRun(testRun(1, first));
      expect(again).toStrictEqual({ ...a, replaced: true });
      const corrected = await store.recordTestRun(testRun(1, [testResult('t::a'), testResult('t::b')], { commit: 'fixed' }));
      expect(corrected).toMatchObject({ runKey: a.runKey, tests: 2, inserted: 2, replaced: true });
      const retry = await store.recordTestRun(testRun(1, [testResult('t::b', 'failed')], { attempt: 2 }));
      expect(retry.runKey).not.toBe(a.runKey);
      const other = await store.recordTestRun(testRun(1, first, { system: 'api' }));
      expect(other.runKey).not.toBe(a.runKey);

      const runs = await store.listTestRuns('web');
      expect(runs.map((r) => [r.runId, r.attempt, r.commit, r.results, r.failed])).toStrictEqual([
        ['build-1', 2, 'c0ffee1', 1, 1],
        ['build-1', 1, 'fixed', 2, 0],
      ]);
      const history = await store.testHistory('web');
      expect(history.tests.map((t) => [t.key, t.runs, t.statuses])).toStrictEqual([
        ['t::a', [0], ['passed']],
        ['t::b', [0, 1], ['passed', 'failed']],
      ]);
      expect((await store.testHistory('api')).tests.map((t) => t.key)).toStrictEqual(['t::a', 't::b', 't::c']);
      expect(await store.testHistory('nope')).toStrictEqual({ system: 'nope', runs: [], tests: [] });
    });

    it('streams results from (async) iterables in chunks, duplicates included', async () => {
      const n = 4_321;
      const make = (i: number) => testResult(`suite${(i % 3000) % 7}::test${i % 3000}`, i % 11 === 0 ? 'failed' : 'passed', { durationSeconds: i / 1000 });
      function* generate(): Generator<TestResultInput> {
        for (let i = 0; i < n; i++) yield make(i);
      }
      const recorded = await store.recordTestRun(testRun(1, generate()));
      const distinct = new Set(Array.from({ length: n }, (_, i) => make(i).key)).size;
      expect(recorded).toMatchObject({ tests: distinct, inserted: n });
      const fromAsync = await store.recordTestRun(testRun(2, slowly(Array.from({ length: n }, (_, i) => make(i)))));
      expect(fromAsync).toMatchObject({ tests: distinct, inserted: n, replaced: false });
      const history = await store.testHistory('web');
      expect(history.tests).toHaveLength(distinct);
      expect(history.tests.reduce((sum, t) => sum + t.statuses.length, 0)).toBe(2 * n);
      const [run] = await store.listTestRuns('web', { limit: 1 });
      expect(run).toMatchObject({ runId: 'build-2', results: n, failed: Math.ceil(n / 11), passed: n - Math.ceil(n / 11) });
      // Results of one test come back in run order, then in input order within a run.
      const t0 = history.tests.find((t) => t.key === make(0).key);
      expect(t0?.runs).toStrictEqual([0, 0, 1, 1]);
      expect(t0?.durations).toStrictEqual([0, 3, 0, 3]);
    });

    it('reads a long history back exactly: chunks of any size, duplicates, nulls, last messages, any characters', async () => {
      // A model of the history built from the inputs, against every field the store gives back.
      const statuses: TestStatus[] = ['passed', 'failed', 'error', 'skipped', 'flaky'];
      const odd = ['a,b', 'comma, "quote" \\ backslash', 'line\nbreak\ttab', '{"json": [1, 2]}', '😀 ünïcödé', '', ' ', 'NULL', '\\N'];
      const make = (run: number, i: number): TestResultInput => {
        const k = i % 9_000;
        const status = statuses[(i * 7 + run * 3) % 17 === 0 ? (i + run) % 5 : 0] ?? 'passed';
        return testResult(`m${k % 13}::${odd[k % odd.length]}${k}`, status, {
          durationSeconds: (i + run) % 29 === 0 ? null : ((i * 37 + run * 11) % 10_007) / 997,
          retries: (i + run) % 31 === 0 ? (i % 3) + 1 : 0,
          message: (i + run) % 5 === 0 ? `${odd[(i + run) % odd.length]} at ${run}:${i}` : null,
        });
      };
      const sizes = [25_001, 3, 9_000, 0, 12_345];
      const model = new Map<string, { runs: number[]; statuses: TestStatus[]; durations: (number | null)[]; retries: number[]; lastMessage: string | null }>();
      for (const [run, size] of sizes.entries()) {
        const results = Array.from({ length: size }, (_, i) => make(run, i));
        await store.recordTestRun(testRun(run, results));
        for (const result of results) {
          let entry = model.get(result.key);
          if (entry === undefined) {
            entry = { runs: [], statuses: [], durations: [], retries: [], lastMessage: null };
            model.set(result.key, entry);
          }
          entry.runs.push(run);
          entry.statuses.push(result.status);
          entry.durations.push(result.durationSeconds);
          entry.retries.push(result.retries ?? 0);
          if (result.message !== null) entry.lastMessage = result.message;
        }
      }
      const history = await store.testHistory('web');
      expect(history.runs.map((r) => r.results)).toStrictEqual(sizes);
      const keys = [...model.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      expect(history.tests.map((t) => t.key)).toStrictEqual(keys);
      for (const test of history.tests) {
        const [classname = '', name = ''] = test.key.split('::');
        expect(test).toStrictEqual({ key: test.key, suite: classname, classname, name, file: null, ...model.get(test.key) });
      }
      // The last runs only: the histories start at the first of them.
      const recent = await store.testHistory('web', { limit: 2 });
      expect(recent.runs.map((r) => r.results)).toStrictEqual([0, 12_345]);
      expect(recent.tests.flatMap((t) => t.runs)).toStrictEqual(Array.from({ length: 12_345 }, () => 1));
    });

    it('reads every result of a run whatever its ordinals (gaps wider than a chunk)', async () => {
      if (fixture.execute === undefined) return;
      const results = Array.from({ length: 30 }, (_, i) => testResult(`t::${i % 20}`, i % 4 === 0 ? 'failed' : 'passed', { durationSeconds: i }));
      await store.recordTestRun(testRun(1, results));
      await store.recordTestRun(testRun(2, results.slice(0, 5)));
      const before = await store.testHistory('web');
      // In two steps: one would collide with a row not moved yet.
      await fixture.execute('update test_results set ordinal = -ordinal - 1');
      await fixture.execute('update test_results set ordinal = (-ordinal - 1) * 70000 + 3');
      expect(await store.testHistory('web')).toStrictEqual(before);
    });

    it('reports a test result whose status was damaged as `corrupt`', async () => {
      if (fixture.execute === undefined) return;
      for (const damaged of ['green', 'pass,ed', 'passed,1,2,3']) {
        await store.recordTestRun(testRun(1, [testResult('t::a'), testResult('t::b', 'failed'), testResult('t::c')]));
        await fixture.execute(`update test_results set status = '${damaged}' where ordinal = 1`);
        const error = await expectStoreError(store.testHistory('web'), 'corrupt');
        expect(error.message).toContain(`unexpected status ${JSON.stringify(damaged)}`);
      }
    });

    it('filters the history by time, branch and count, oldest first', async () => {
      await store.recordTestRun(testRun(3, [testResult('t::x', 'failed')], { branch: 'feature' }));
      await store.recordTestRun(testRun(1, [testResult('t::x')]));
      await store.recordTestRun(testRun(2, [testResult('t::x')], { branch: null, commit: null }));
      await store.recordTestRun(testRun(4, [testResult('t::x'), testResult('t::y')]));
      await store.recordTestRun(testRun(4, [testResult('t::y', 'skipped')], { runId: 'build-4b' }));
      const ids = (history: { runs: { runId: string }[] }) => history.runs.map((r) => r.runId);
      expect(ids(await store.testHistory('web'))).toStrictEqual(['build-1', 'build-2', 'build-3', 'build-4', 'build-4b']);
      expect(ids(await store.testHistory('web', { branch: 'main' }))).toStrictEqual(['build-1', 'build-4', 'build-4b']);
      expect(ids(await store.testHistory('web', { since: hour(2) }))).toStrictEqual(['build-2', 'build-3', 'build-4', 'build-4b']);
      expect(ids(await store.testHistory('web', { limit: 2 }))).toStrictEqual(['build-4', 'build-4b']);
      expect(ids(await store.testHistory('web', { since: hour(1), branch: 'main', limit: 2 }))).toStrictEqual(['build-4', 'build-4b']);
      const limited = await store.testHistory('web', { limit: 3 });
      expect(limited.tests.map((t) => [t.key, t.runs, t.statuses])).toStrictEqual([
        ['t::x', [0, 1], ['failed', 'passed']],
        ['t::y', [1, 2], ['passed', 'skipped']],
      ]);
      expect((await store.listTestRuns('web', { limit: 2 })).map((r) => r.runId)).toStrictEqual(['build-4b', 'build-4']);
      expect((await store.testHistory('web', { limit: 0 })).runs).toStrictEqual([]);
      await expect(store.testHistory('web', { since: 'yesterday' })).rejects.toThrow(TypeError);
    });

    it('keeps the latest suite and file of a test', async () => {
      await store.recordTestRun(testRun(1, [testResult('k::t', 'passed', { suite: 'old', file: 'a.py' })]));
      await store.recordTestRun(testRun(2, [testResult('k::t', 'passed', { suite: 'new', file: null })]));
      expect((await store.testHistory('web')).tests[0]).toMatchObject({ suite: 'new', file: 'a.py' });
      await store.recordTestRun(testRun(3, [testResult('k::t', 'passed', { suite: 'new', file: 'b.py' })]));
      expect((await store.testHistory('web')).tests[0]).toMatchObject({ suite: 'new', file: 'b.py', runs: [0, 1, 2] });
    });

    it('rejects invalid test runs and records nothing of a run whose results fail midway', async () => {
      const good = [testResult('t::a'), testResult('t::b', 'failed')];
      const before = await store.recordTestRun(testRun(1, good));
      const invalid: unknown[] = [
        testRun(1, good, { at: 'not a time' }),
        testRun(1, good, { runId: '' }),
        testRun(1, good, { attempt: 0 }),
        testRun(1, good, { attempt: 1.5 }),
        testRun(1, good, { system: '' }),
        { ...testRun(1, good), results: 42 },
      ];
      for (const input of invalid) await expect(store.recordTestRun(input as TestRunInput)).rejects.toThrow(TypeError);
      const badResults: unknown[] = [
        { ...testResult('t::a'), status: 'green' },
        { ...testResult('t::a'), key: '' },
        { ...testResult('t::a'), key: 'k'.repeat(513) },
        { ...testResult('t::a'), durationSeconds: -1 },
        { ...testResult('t::a'), durationSeconds: Number.NaN },
        { ...testResult('t::a'), retries: -1 },
        { ...testResult('t::a'), name: 3 },
        null,
      ];
      const many = Array.from({ length: 2500 }, (_, i) => testResult(`t::m${i}`));
      for (const bad of badResults) {
        await expect(store.recordTestRun(testRun(1, [...many, bad as TestResultInput]))).rejects.toThrow(/invalid test run input: result 2500/);
      }
      await expect(store.recordTestRun(testRun(1, slowly(many, 2100)))).rejects.toThrow('the producer failed');
      await expect(store.recordTestRun(testRun(9, slowly(many, 2100), { system: 'fresh' }))).rejects.toThrow('the producer failed');
      // After several chunks of any backend's size had been written.
      const lots = Array.from({ length: 12_000 }, (_, i) => testResult(`t::l${i % 7000}`, 'passed', { suite: 'moved' }));
      await expect(store.recordTestRun(testRun(1, slowly(lots, 11_500)))).rejects.toThrow('the producer failed');
      await expect(store.recordTestRun(testRun(1, [...lots, null as unknown as TestResultInput]))).rejects.toThrow(/invalid test run input: result 12000/);

      // The earlier recording of build-1 is intact; nothing else was written.
      expect(await store.listTestRuns('web')).toMatchObject([{ runKey: before.runKey, results: 2, failed: 1 }]);
      expect((await store.testHistory('web')).tests.map((t) => t.key)).toStrictEqual(['t::a', 't::b']);
      expect((await store.listSystems()).map((s) => s.name)).toStrictEqual(['web']);
      expect(await store.testHistory('fresh')).toStrictEqual({ system: 'fresh', runs: [], tests: [] });
    });

    it('records CI records and reads every field back, nulls included, creating the system', async () => {
      expect(await store.ciRecords('ci-only')).toStrictEqual([]);
      expect(await store.ciRecordCount('ci-only')).toBe(0);
      const run: CiRecord = ciRecord(0, { job: null, step: null, status: 'failure', url: 'https://ci.example/runs/100?attempt=1' });
      const job: CiRecord = ciRecord(0, { step: null, commit: null, branch: null, url: null });
      const step: CiRecord = ciRecord(0, { status: 'in_progress', queuedAt: null, finishedAt: null });
      const bare: CiRecord = { pipeline: 'p — ünïcödé 😀', run: '7', attempt: 2_147_483_647, job: 'j', step: null, status: 'other', commit: null, branch: null, queuedAt: null, startedAt: null, finishedAt: null };
      const recorded = await store.recordCiRecords({ system: 'ci-only', source: 'jsonl', records: [step, bare, job, run] });
      expect(recorded).toStrictEqual({ inserted: 4, updated: 0, unchanged: 0 });
      // Ordered by pipeline, run, attempt, job, step with null job and step first; `url` always present.
      expect(await store.ciRecords('ci-only')).toStrictEqual([storedCi(run), storedCi(job), storedCi(step), storedCi(bare)]);
      expect(await store.ciRecordCount('ci-only')).toBe(4);
      expect(await store.listSystems()).toStrictEqual([{ name: 'ci-only', snapshots: 0, latestSnapshotId: null, latestAt: null }]);
      expect(await store.ciRecords('web')).toStrictEqual([]);
      expect(await store.ciRecordCount('web')).toBe(0);
    });

    it('records CI records idempotently and updates the ones that changed', async () => {
      const records = [
        ciRecord(1, { job: null, step: null, status: 'in_progress', finishedAt: null }),
        ciRecord(1, { step: null, status: 'in_progress', finishedAt: null }),
        ciRecord(1),
        ciRecord(1, { step: 'test' }),
      ];
      expect(await store.recordCiRecords({ system: 'web', source: 'github-actions', records })).toStrictEqual({ inserted: 4, updated: 0, unchanged: 0 });
      expect(await store.recordCiRecords({ system: 'web', source: 'github-actions', records })).toStrictEqual({ inserted: 0, updated: 0, unchanged: 4 });
      // The run finished meanwhile: the run and job rows change, the steps do not; a re-run is new.
      const finished = [
        ciRecord(1, { job: null, step: null, status: 'failure' }),
        ciRecord(1, { step: null, status: 'failure' }),
        ciRecord(1),
        ciRecord(1, { step: 'test' }),
        ciRecord(2, { attempt: 2, job: null, step: null }),
      ];
      expect(await store.recordCiRecords({ system: 'web', source: 'github-actions', records: finished })).toStrictEqual({ inserted: 1, updated: 2, unchanged: 2 });
      expect(await store.ciRecords('web')).toStrictEqual(finished.map(storedCi));
      // Every value counts: url, commit, branch, each time, and the source that wrote it.
      const changes: Partial<CiRecord>[] = [{ url: null }, { commit: 'other' }, { branch: null }, { queuedAt: null }, { startedAt: hour(9) }, { finishedAt: null }];
      for (const change of changes) {
        expect(await store.recordCiRecords({ system: 'web', source: 'github-actions', records: [ciRecord(1, change)] })).toStrictEqual({ inserted: 0, updated: 1, unchanged: 0 });
        expect(await store.recordCiRecords({ system: 'web', source: 'github-actions', records: [ciRecord(1)] })).toStrictEqual({ inserted: 0, updated: 1, unchanged: 0 });
      }
      expect(await store.recordCiRecords({ system: 'web', source: 'jsonl', records: [ciRecord(1)] })).toStrictEqual({ inserted: 0, updated: 1, unchanged: 0 });
      // An absent url is a null url.
      expect(await store.recordCiRecords({ system: 'web', source: 'jsonl', records: [ciRecord(1, { step: null, status: 'failure', url: undefined }), ciRecord(1, { step: null, status: 'failure', url: null })] })).toStrictEqual({ inserted: 0, updated: 1, unchanged: 1 });
      // Other systems are apart.
      expect(await store.recordCiRecords({ system: 'api', source: 'jsonl', records: finished })).toStrictEqual({ inserted: 5, updated: 0, unchanged: 0 });
      expect(await store.ciRecordCount('web')).toBe(5);
      expect(await store.ciRecordCount('api')).toBe(5);
    });

    it('applies duplicate CI records in input order, the last winning, across chunks from (async) iterables', async () => {
      const n = 2_345;
      const make = (i: number, status: CiRecord['status'] = 'success') => ciRecord(i % 24, { run: String(i % 1_200), step: `step ${i % 3}`, status });
      function* generate(): Generator<CiRecord> {
        // The first 1,200 keys are failures; the 1,145 that come again later succeed.
        for (let i = 0; i < n; i++) yield make(i, i < 1_200 ? 'failure' : 'success');
      }
      const distinct = new Set(Array.from({ length: n }, (_, i) => `${i % 1_200}/${i % 3}`)).size;
      expect(distinct).toBe(1_200);
      // A key seen again within the recording with other values is updated.
      expect(await store.recordCiRecords({ system: 'web', source: 'jsonl', records: generate() })).toStrictEqual({ inserted: distinct, updated: n - distinct, unchanged: 0 });
      expect((await store.ciRecords('web')).filter((r) => r.status === 'failure')).toHaveLength(distinct - (n - distinct));
      expect(await store.ciRecordCount('web')).toBe(distinct);
      const again = await store.recordCiRecords({ system: 'web', source: 'jsonl', records: slowly(Array.from({ length: n }, (_, i) => make(i))) });
      expect(again.inserted).toBe(0);
      expect(again.updated + again.unchanged).toBe(n);
      // Within one chunk too: the second of two records with one key wins.
      const twice = await store.recordCiRecords({ system: 'api', source: 'jsonl', records: [ciRecord(1, { status: 'in_progress' }), ciRecord(1), ciRecord(1)] });
      expect(twice).toStrictEqual({ inserted: 1, updated: 1, unchanged: 1 });
      expect((await store.ciRecords('api')).map((r) => r.status)).toStrictEqual(['success']);
      const last = await store.ciRecords('web');
      expect(last).toHaveLength(distinct);
      expect(last.every((r) => r.status === 'success')).toBe(true);
    });

    it('filters CI records by time and pipeline, in key order', async () => {
      const records: CiRecord[] = [
        ciRecord(5, { pipeline: 'deploy', run: '9' }),
        ciRecord(1, { pipeline: 'deploy', run: '10' }),
        ciRecord(3, { run: '2', step: null, startedAt: null }),
        ciRecord(4, { run: '2', step: null, job: 'lint', startedAt: null, queuedAt: null }),
        ciRecord(0, { run: '1', job: null, step: null, queuedAt: null, startedAt: null, finishedAt: null }),
        ciRecord(2, { run: '1', attempt: 2 }),
        ciRecord(2, { run: '1', job: 'zeta', step: 'a' }),
        ciRecord(2, { run: '1', job: 'Zeta', step: null }),
        ciRecord(2, { run: '1', job: 'zeta', step: null }),
        ciRecord(2, { run: '1', job: 'zeta', step: '\uFFFD' }),
        ciRecord(2, { run: '1', job: 'zeta', step: '😀' }),
      ];
      await store.recordCiRecords({ system: 'web', source: 'jsonl', records });
      const key = (r: CiRecord) => [r.pipeline, r.run, r.attempt, r.job, r.step];
      // Runs order as text; null job and step first; code-unit order (😀 before U+FFFD).
      const all = [
        ['ci', '1', 1, null, null],
        ['ci', '1', 1, 'Zeta', null],
        ['ci', '1', 1, 'zeta', null],
        ['ci', '1', 1, 'zeta', 'a'],
        ['ci', '1', 1, 'zeta', '😀'],
        ['ci', '1', 1, 'zeta', '\uFFFD'],
        ['ci', '1', 2, 'build', 'compile'],
        ['ci', '2', 1, 'build', null],
        ['ci', '2', 1, 'lint', null],
        ['deploy', '10', 1, 'build', 'compile'],
        ['deploy', '9', 1, 'build', 'compile'],
      ];
      expect((await store.ciRecords('web')).map(key)).toStrictEqual(all);
      expect((await store.ciRecords('web', { pipeline: 'deploy' })).map(key)).toStrictEqual(all.slice(9));
      expect((await store.ciRecords('web', { pipeline: 'nope' })).map(key)).toStrictEqual([]);
      // The time is startedAt, else queuedAt, else finishedAt; a record with none has no time.
      // hour(2) + 5 s is the start of the run-1 records at hour 2.
      const since = (at: string) => store.ciRecords('web', { since: at }).then((rs) => rs.map(key));
      expect(await since(hour(-1))).toStrictEqual(all.filter((k) => k[2] !== null && !(k[1] === '1' && k[3] === null)));
      expect(await since(new Date(Date.parse(hour(2)) + 5_000).toISOString())).toStrictEqual([all[1], all[2], all[3], all[4], all[5], all[6], all[7], all[8], all[10]]);
      // queuedAt of the run-2 build job (hour 3); finishedAt of the lint job (hour 4 + 60 s).
      expect(await since(hour(3))).toStrictEqual([all[7], all[8], all[10]]);
      expect(await since(new Date(Date.parse(hour(4)) + 60_000).toISOString())).toStrictEqual([all[8], all[10]]);
      expect(await since(new Date(Date.parse(hour(4)) + 60_001).toISOString())).toStrictEqual([all[10]]);
      // Any ISO-8601 form, normalised; combined with the pipeline.
      expect((await store.ciRecords('web', { since: '2024-03-01T10:00:06+01:00', pipeline: 'deploy' })).map(key)).toStrictEqual([all[10]]);
      expect(await store.ciRecords('nope', { since: hour(0) })).toStrictEqual([]);
      await expect(store.ciRecords('web', { since: 'last week' })).rejects.toThrow(TypeError);
    });

    it('rejects invalid CI records and records nothing of an input that fails midway', async () => {
      const good = [ciRecord(1), ciRecord(1, { step: null })];
      await store.recordCiRecords({ system: 'web', source: 'jsonl', records: good });
      const invalidInputs: unknown[] = [
        { system: '', source: 'jsonl', records: good },
        { system: 'web', source: '', records: good },
        { system: 'web', records: good },
        { system: 'web', source: 'jsonl', records: 42 },
        { system: 'web', source: 'jsonl' },
      ];
      for (const input of invalidInputs) await expect(store.recordCiRecords(input as never)).rejects.toThrow(/^invalid CI records input/);
      const many = Array.from({ length: 2_500 }, (_, i) => ciRecord(2, { run: `r${i}` }));
      const badRecords: [unknown, RegExp][] = [
        [{ ...ciRecord(1), job: '' }, /record 2500: job: /],
        [{ ...ciRecord(1), job: null }, /record 2500: job: a step row needs its job/],
        [{ ...ciRecord(1), status: 'green' }, /record 2500: status: /],
        [{ ...ciRecord(1), attempt: 0 }, /record 2500: attempt: /],
        [{ ...ciRecord(1), attempt: 2 ** 31 }, /record 2500: attempt: /],
        [{ ...ciRecord(1), pipeline: '' }, /record 2500: pipeline: /],
        [{ ...ciRecord(1), startedAt: '2024-03-01T08:00:00Z' }, /record 2500: startedAt: /],
        [{ ...ciRecord(1), url: 3 }, /record 2500: url: /],
        [{ ...ciRecord(1), extra: true }, /record 2500: \(record\): /],
        [null, /record 2500: \(record\): /],
      ];
      for (const [bad, message] of badRecords) {
        const error = await store.recordCiRecords({ system: 'web', source: 'jsonl', records: [...many, bad as CiRecord] }).then(
          () => new Error('expected a rejection'),
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).toMatch(/^invalid CI records input: record 2500: /);
        expect((error as Error).message).toMatch(message);
      }
      await expect(store.recordCiRecords({ system: 'web', source: 'jsonl', records: slowly(many, 2_100) })).rejects.toThrow('the producer failed');
      await expect(store.recordCiRecords({ system: 'fresh', source: 'jsonl', records: slowly(many, 2_100) })).rejects.toThrow('the producer failed');
      await expect(store.recordCiRecords({ system: 'fresh', source: 'jsonl', records: [...many, null as unknown as CiRecord] })).rejects.toThrow(TypeError);

      // Nothing of it was written: web has its two records, and no system `fresh` was created.
      expect(await store.ciRecords('web')).toStrictEqual(good.map(storedCi).reverse());
      expect((await store.listSystems()).map((s) => s.name)).toStrictEqual(['web']);
      expect(await store.ciRecordCount('fresh')).toBe(0);
    });

    it('stores NUL characters of CI record text as U+FFFD', async () => {
      await store.recordCiRecords({ system: 'web', source: 'jsonl', records: [ciRecord(1, { pipeline: 'p\0', run: 'r\0', job: 'j\0', step: 's\0', commit: 'c\0', branch: 'b\0', url: 'u\0' })] });
      expect(await store.ciRecords('web')).toStrictEqual([
        storedCi(ciRecord(1, { pipeline: 'p\uFFFD', run: 'r\uFFFD', job: 'j\uFFFD', step: 's\uFFFD', commit: 'c\uFFFD', branch: 'b\uFFFD', url: 'u\uFFFD' })),
      ]);
      expect(await store.ciRecords('web', { pipeline: 'p\0' })).toHaveLength(1);
    });

    it('stores NUL characters of test names and messages as U+FFFD', async () => {
      await store.recordTestRun(testRun(1, [testResult('a\0b', 'failed', { name: 'n\0', message: 'm\0' })], { runId: 'r\0' }));
      const history = await store.testHistory('web');
      expect(history.tests[0]).toMatchObject({ key: 'a\uFFFDb', name: 'n\uFFFD', lastMessage: 'm\uFFFD' });
      expect(history.runs[0]?.runId).toBe('r\uFFFD');
    });

    // --- Reads and writes of prodeng serve ----------------------------------------------------

    it('gives each system its latest snapshot, or its latest one at or before a time', async () => {
      await store.recordSnapshot(snapshotInput(0, { system: 'web' }));
      const web1 = await store.recordSnapshot(snapshotInput(2, { system: 'web', status: 'partial' }));
      const api0 = await store.recordSnapshot(snapshotInput(1, { system: 'api' }));
      expect(await store.latestSnapshots()).toStrictEqual([
        { system: 'api', id: api0, startedAt: hour(1), finishedAt: expect.any(String), status: 'complete' },
        { system: 'web', id: web1, startedAt: hour(2), finishedAt: expect.any(String), status: 'partial' },
      ]);
      const earlier = await store.latestSnapshots({ atOrBefore: hour(0) });
      expect(earlier.map((s) => [s.system, s.startedAt])).toStrictEqual([['web', hour(0)]]);
      expect(await store.latestSnapshots({ atOrBefore: hour(-1) })).toStrictEqual([]);
      expect((await store.listSnapshots('web', { before: hour(2) })).map((s) => s.startedAt)).toStrictEqual([hour(0)]);
      expect((await store.listSnapshots('web', { before: hour(3), limit: 1 })).map((s) => s.id)).toStrictEqual([web1]);
    });

    it('counts open findings by system, aspect and severity, now and at given snapshots', async () => {
      const first = await store.recordSnapshot(
        snapshotInput(0, {
          findings: [
            finding('a', { severity: 'high' }),
            finding('b', { severity: 'high' }),
            finding('c', { severity: 'low', suppressed: { reason: 'vendored', until: null } }),
            finding('d', { probe: 'deps', aspect: 'security', severity: 'critical' }),
          ],
          probes: [probeRun('todo'), probeRun('deps')],
        }),
      );
      const second = await store.recordSnapshot(snapshotInput(1, { findings: [finding('a', { severity: 'medium' })], probes: [probeRun('todo'), probeRun('deps')] }));
      await store.recordSnapshot(snapshotInput(0, { system: 'api', findings: [finding('a', { severity: 'info' })] }));
      expect(await store.openFindingCounts()).toStrictEqual([
        { system: 'api', aspect: 'code-health', severity: 'info', count: 1 },
        { system: 'web', aspect: 'code-health', severity: 'medium', count: 1 },
      ]);
      expect(await store.openFindingCounts({ system: 'web' })).toStrictEqual([{ system: 'web', aspect: 'code-health', severity: 'medium', count: 1 }]);
      expect(await store.openFindingCounts({ system: 'nope' })).toStrictEqual([]);
      expect((await store.listSystems({ system: 'web' })).map((s) => [s.name, s.snapshots])).toStrictEqual([['web', 2]]);
      expect(await store.listSystems({ system: 'nope' })).toStrictEqual([]);
      expect(await store.findingCountsAt([first])).toStrictEqual([
        { system: 'web', aspect: 'code-health', severity: 'high', count: 2 },
        { system: 'web', aspect: 'security', severity: 'critical', count: 1 },
      ]);
      // The resolved ones of the second snapshot are not counted.
      expect(await store.findingCountsAt([second, 'NOSUCHSNAPSHOT'])).toStrictEqual([{ system: 'web', aspect: 'code-health', severity: 'medium', count: 1 }]);
      expect(await store.findingCountsAt([])).toStrictEqual([]);
    });

    it('selects findings across systems by filter and reads them back by reference', async () => {
      await store.recordSnapshot(
        snapshotInput(0, {
          findings: [
            finding('a', { severity: 'high', title: 'Upgrade Node 18', effort: 'small' }),
            finding('b', { severity: 'low', message: 'Contains 100%_done literally' }),
            finding('c', { rule: 'todo/fixme', suppressed: { reason: 'later', until: null }, location: { path: 'lib/ÜBER.ts' } }),
            finding('d', { probe: 'deps', aspect: 'security', rule: 'deps/cve', severity: 'critical', location: { url: 'https://x.test/' } }),
          ],
          probes: [probeRun('todo'), probeRun('deps')],
        }),
      );
      await store.recordSnapshot(snapshotInput(5, { findings: [finding('a', { severity: 'high', title: 'Upgrade Node 18', effort: 'small' })], probes: [probeRun('todo')] }));
      await store.recordSnapshot(snapshotInput(3, { system: 'api', findings: [finding('a', { severity: 'medium' })] }));
      const keys = (ranks: { system: string; fingerprint: string }[]) => ranks.map((r) => `${r.system}:${r.fingerprint}`).sort();

      const open = await store.findingRanks({ state: 'open' });
      expect(keys(open)).toStrictEqual(['api:a', 'web:a', 'web:d']);
      expect(open.find((r) => r.system === 'web' && r.fingerprint === 'a')).toStrictEqual({
        ref: expect.any(Number),
        system: 'web',
        fingerprint: 'a',
        aspect: 'code-health',
        severity: 'high',
        effort: 'small',
        status: 'open',
        firstSeen: hour(0),
        lastSeen: hour(5),
        suppressed: false,
      });
      expect(keys(await store.findingRanks({ state: 'resolved', includeSuppressed: true }))).toStrictEqual(['web:b', 'web:c']);
      expect(keys(await store.findingRanks({ state: 'resolved' }))).toStrictEqual(['web:b']);
      expect(keys(await store.findingRanks({ state: 'all', includeSuppressed: true }))).toHaveLength(5);
      expect(keys(await store.findingRanks({ state: 'all', systems: ['api'] }))).toStrictEqual(['api:a']);
      expect(keys(await store.findingRanks({ state: 'all', systems: [] }))).toStrictEqual([]);
      expect(keys(await store.findingRanks({ state: 'all', aspects: ['security'] }))).toStrictEqual(['web:d']);
      expect(keys(await store.findingRanks({ state: 'all', severities: ['critical', 'high'] }))).toStrictEqual(['web:a', 'web:d']);
      expect(keys(await store.findingRanks({ state: 'all', rules: ['todo/fixme', 'deps/cve'], includeSuppressed: true }))).toStrictEqual(['web:c', 'web:d']);
      expect(keys(await store.findingRanks({ state: 'all', firstSeenAtOrBefore: hour(1) }))).toStrictEqual(['web:a', 'web:b', 'web:d']);
      // Text: case-insensitive for ASCII, in title, message or path; % and _ are literal.
      expect(keys(await store.findingRanks({ state: 'all', text: 'node 18' }))).toStrictEqual(['api:a', 'web:a'].filter((k) => k === 'web:a'));
      expect(keys(await store.findingRanks({ state: 'all', text: '100%_DONE' }))).toStrictEqual(['web:b']);
      expect(keys(await store.findingRanks({ state: 'all', text: '0%d' }))).toStrictEqual([]);
      expect(keys(await store.findingRanks({ state: 'all', text: 'lib/Ü', includeSuppressed: true }))).toStrictEqual(['web:c']);
      expect(keys(await store.findingRanks({ state: 'all', text: 'x.test' }))).toStrictEqual([]);

      const refs = open.map((r) => r.ref).reverse();
      const full = await store.findingsByRef([...refs, 999_999]);
      expect(full.map((f) => `${f.system}:${f.fingerprint}`)).toStrictEqual([...open].reverse().map((r) => `${r.system}:${r.fingerprint}`));
      expect(full.find((f) => f.fingerprint === 'd')).toMatchObject({ location: { url: 'https://x.test/' }, status: 'new', data: { tag: 'TODO', fingerprint: 'd' } });
    });

    it('tells which open findings were new or reopened since a time, and the history of a finding', async () => {
      await store.recordSnapshot(snapshotInput(0, { findings: [finding('a'), finding('b'), finding('c')] }));
      await store.recordSnapshot(snapshotInput(1, { findings: [finding('a'), finding('b')] }));
      await store.recordSnapshot(snapshotInput(2, { findings: [finding('a')] }));
      await store.recordSnapshot(snapshotInput(3, { findings: [finding('a'), finding('c'), finding('d')] }));
      await store.recordSnapshot(snapshotInput(4, { findings: [finding('a'), finding('c'), finding('d')] }));
      await store.recordSnapshot(snapshotInput(3, { system: 'api', findings: [finding('e')] }));
      const fingerprints = (findings: StoredFinding[]) => findings.map((f) => `${f.system}:${f.fingerprint}`).sort();
      expect(fingerprints(await store.findingsChangedSince(hour(3)))).toStrictEqual(['api:e', 'web:c', 'web:d']);
      expect(fingerprints(await store.findingsChangedSince(hour(4)))).toStrictEqual([]);
      expect(fingerprints(await store.findingsChangedSince(hour(0)))).toStrictEqual(['api:e', 'web:a', 'web:c', 'web:d']);

      const history = await store.findingHistory('web', 'c');
      expect(history?.finding).toMatchObject({ fingerprint: 'c', system: 'web', status: 'open', firstSeen: hour(0), lastSeen: hour(4) });
      expect(history?.changes.map((c) => [c.at, c.status])).toStrictEqual([
        [hour(0), 'new'],
        [hour(1), 'resolved'],
        [hour(3), 'reopened'],
      ]);
      expect(history?.changes[0]?.snapshotId).toMatch(/^[0-9A-Z]{26}$/);
      expect((await store.findingHistory('web', 'b'))?.changes.map((c) => c.status)).toStrictEqual(['new', 'resolved']);
      expect(await store.findingHistory('api', 'c')).toBeNull();
      expect(await store.findingHistory('nope', 'c')).toBeNull();
    });

    it("finds each system's latest snapshot where a probe ran, and that run's facts", async () => {
      const ran = await store.recordSnapshot(snapshotInput(0, { probes: [probeRun('todo'), probeRun('tls', 'partial', { facts: { endpoints: [{ host: 'a' }] } })] }));
      await store.recordSnapshot(snapshotInput(1, { probes: [probeRun('todo'), probeRun('tls', 'failed')] }));
      await store.recordSnapshot(snapshotInput(2, { probes: [probeRun('todo'), probeRun('tls', 'skipped')] }));
      const api = await store.recordSnapshot(snapshotInput(1, { system: 'api', probes: [probeRun('tls', 'ok')] }));
      await store.recordSnapshot(snapshotInput(0, { system: 'db', probes: [probeRun('todo')] }));
      expect(await store.latestProbeSnapshots('tls')).toStrictEqual([
        { system: 'api', snapshotId: api, at: hour(1) },
        { system: 'web', snapshotId: ran, at: hour(0) },
      ]);
      expect(await store.latestProbeSnapshots('tls', { system: 'web' })).toStrictEqual([{ system: 'web', snapshotId: ran, at: hour(0) }]);
      expect(await store.latestProbeSnapshots('tls', { system: 'db' })).toStrictEqual([]);
      const facts = await store.probeFacts('tls', [ran, api]);
      expect([...facts]).toStrictEqual([[ran, { endpoints: [{ host: 'a' }] }]]);
    });

    it("reads every metric point of a system in one go, by name then time, from a time on", async () => {
      for (const n of [0, 1, 2]) {
        await store.recordSnapshot(
          snapshotInput(n, { metrics: [metric('todo.count', n, { tag: 'FIXME' }), metric('a.first', 10 + n, {}, { probe: 'deps', unit: 'd' }), metric('todo.count', 5 * n, { tag: 'TODO' })] }),
        );
      }
      await store.recordSnapshot(snapshotInput(1, { system: 'api', metrics: [metric('todo.count', 99)] }));
      const points = await store.systemMetrics('web');
      expect(points.map((p) => [p.name, p.at, p.value, p.labels.tag ?? null])).toStrictEqual([
        ['a.first', hour(0), 10, null],
        ['a.first', hour(1), 11, null],
        ['a.first', hour(2), 12, null],
        ['todo.count', hour(0), 0, 'FIXME'],
        ['todo.count', hour(0), 0, 'TODO'],
        ['todo.count', hour(1), 1, 'FIXME'],
        ['todo.count', hour(1), 5, 'TODO'],
        ['todo.count', hour(2), 2, 'FIXME'],
        ['todo.count', hour(2), 10, 'TODO'],
      ]);
      expect(points[0]).toStrictEqual({ name: 'a.first', probe: 'deps', snapshotId: expect.any(String), at: hour(0), value: 10, unit: 'd', labels: {} });
      expect((await store.systemMetrics('web', { since: hour(2) })).map((p) => p.value)).toStrictEqual([12, 2, 10]);
      expect(await store.systemMetrics('nope')).toStrictEqual([]);
    });

    it('records ignores, applies them to the current findings at once, and lifts only their own suppression when deleted', async () => {
      const config = { reason: 'from prodeng.yml', until: null };
      await store.recordSnapshot(
        snapshotInput(0, {
          findings: [
            finding('aaaaaaaa11'),
            finding('aaaaaaaa22'),
            finding('bbbbbbbb11', { rule: 'todo/fixme' }),
            finding('bbbbbbbb22', { rule: 'todo/fixme', suppressed: config }),
            finding('cccccccc11'),
          ],
        }),
      );
      await store.recordSnapshot(snapshotInput(0, { system: 'api', findings: [finding('aaaaaaaa11')] }));
      const byPrefix = await store.createIgnore({ system: 'web', fingerprint: 'aaaaaaaa', reason: ' accepted ', until: null });
      expect(byPrefix).toStrictEqual({
        ignore: { id: expect.any(Number), system: 'web', fingerprint: 'aaaaaaaa', rule: null, reason: 'accepted', until: null, createdAt: expect.any(String) },
        suppressed: 2,
      });
      const byRule = await store.createIgnore({ system: 'web', rule: 'todo/fixme', reason: 'later', until: '2999-12-31' });
      expect(byRule.suppressed).toBe(1);
      const expired = await store.createIgnore({ system: 'web', fingerprint: 'cccccccc11', reason: 'too late', until: '2000-01-01' });
      expect(expired.suppressed).toBe(0);
      const suppression = async (system: string) =>
        Object.fromEntries((await store.currentFindings(system)).map((f) => [f.fingerprint, f.suppressed ?? null]));
      expect(await suppression('web')).toStrictEqual({
        aaaaaaaa11: { reason: 'accepted', until: null },
        aaaaaaaa22: { reason: 'accepted', until: null },
        bbbbbbbb11: { reason: 'later', until: '2999-12-31' },
        bbbbbbbb22: config,
        cccccccc11: null,
      });
      expect(await suppression('api')).toStrictEqual({ aaaaaaaa11: null });
      expect((await store.listIgnores()).map((i) => i.id)).toStrictEqual([byPrefix.ignore.id, byRule.ignore.id, expired.ignore.id]);
      expect(await store.listIgnores({ system: 'api' })).toStrictEqual([]);
      expect((await store.listIgnores({ system: 'web' }))[1]).toStrictEqual(byRule.ignore);

      expect(await store.deleteIgnore(byRule.ignore.id)).toBe(true);
      expect(await store.deleteIgnore(byRule.ignore.id)).toBe(false);
      expect(await store.deleteIgnore(123_456)).toBe(false);
      const after = await suppression('web');
      expect(after.bbbbbbbb11).toBeNull();
      expect(after.bbbbbbbb22).toStrictEqual(config);
      expect(after.aaaaaaaa11).toStrictEqual({ reason: 'accepted', until: null });
      expect((await store.listIgnores()).map((i) => i.id)).toStrictEqual([byPrefix.ignore.id, expired.ignore.id]);
    });

    it('changes its change token with every snapshot, test run and ignore', async () => {
      const tokens = [await store.changeToken()];
      const changed = async () => {
        const token = await store.changeToken();
        expect(token).not.toBe(tokens.at(-1));
        tokens.push(token);
      };
      expect(await store.changeToken()).toBe(tokens[0]);
      await store.recordSnapshot(snapshotInput(0, { findings: [finding('aaaaaaaa01')] }));
      await changed();
      // Recorded out of order (an earlier start): the token still moves.
      await store.recordSnapshot(snapshotInput(-5, { system: 'api' }));
      await changed();
      await store.recordTestRun(testRun(1, [testResult('a')]));
      await changed();
      const first = await store.createIgnore({ system: 'web', rule: 'todo/marker', reason: 'x', until: null });
      await changed();
      await store.deleteIgnore(first.ignore.id);
      await changed();
      // The same state again (no ignore): the same token, whatever ids come next.
      expect(tokens.at(-1)).toBe(tokens[3]);
      const second = await store.createIgnore({ system: 'web', rule: 'todo/fixme', reason: 'y', until: null });
      await changed();
      // Another ignore than the first, even if it got the first one's id back.
      expect(tokens.at(-1)).not.toBe(tokens[4]);
      await store.deleteIgnore(second.ignore.id);
      await changed();
      // Writes within one millisecond move it too (a time-based token would not).
      for (let i = 0; i < 20; i++) {
        await store.recordTestRun(testRun(1, [testResult(`b${i}`)]));
        await changed();
      }
    });

    it('rejects invalid ignores without recording them', async () => {
      const invalid: unknown[] = [
        { system: 'web', reason: 'x', until: null },
        { system: 'web', fingerprint: 'XYZ', reason: 'x', until: null },
        { system: 'web', fingerprint: 'abc', reason: 'x', until: null },
        { system: 'web', rule: 'Not A Rule', reason: 'x', until: null },
        { system: 'web', rule: 'todo/marker', reason: '  ', until: null },
        { system: 'web', rule: 'todo/marker', reason: 'x', until: '2024-02-30' },
        { system: 'web', rule: 'todo/marker', reason: 'x' },
        { system: '', rule: 'todo/marker', reason: 'x', until: null },
      ];
      for (const input of invalid) await expect(store.createIgnore(input as never)).rejects.toThrow(/^invalid ignore: /);
      expect(await store.listIgnores()).toStrictEqual([]);
    });
  });
}
