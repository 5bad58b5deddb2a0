/**
 * The JSON API of `prodeng serve` (docs/api.md): a table of routes, each with the zod schemas of
 * its path parameters, query, body and answers (the OpenAPI document is generated from the same
 * table, api-openapi.ts), and the handlers that answer from the store and the scheduler.
 *
 * Reads are designed for a hundred systems with a year of daily snapshots each: every handler
 * issues a fixed number of queries (never one per snapshot), aggregates in SQL where it can, and
 * reads full findings only for the page it answers.
 */
import { z } from 'zod';
import { detectChangePoints, type ChangePointResult } from '../analysis/changepoints/edivisive.js';
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { diffSnapshots } from '../analysis/diff.js';
import type { ResolvedConfig } from '../config/load.js';
import { ASPECTS, CORE_PROBE_ID, SEVERITIES, type Aspect, type SnapshotRecord } from '../core/model.js';
import type { MetricMeta } from '../core/probe.js';
import { metricDirection } from '../core/trend.js';
import { allProbes } from '../probes/registry.js';
import { renderDiff } from '../report/diff-render.js';
import { toJsonValue } from '../report/json.js';
import { isStoreError } from '../store/errors.js';
import { snapshotIdTime } from '../store/ids.js';
import type { FindingCount, FindingRank, Store, StoredFinding } from '../store/store.js';
import { analyzeTests, testsOutput } from '../testresults/flaky.js';
import { flakyOptions, testsConfigSchema } from '../testresults/settings.js';
import { findingFilter, findingsCsv, findingsMarkdown, loadRanked, rankedApiFindings, sortRanks, toApiFinding } from './api-findings.js';
import {
  calendarDateSchema,
  diffQuerySchema,
  diffSchema,
  emptyQuerySchema,
  eolQuerySchema,
  eolSchema,
  findingHistorySchema,
  findingsPageSchema,
  findingsQuerySchema,
  fingerprintParam,
  ignoreBodySchema,
  ignoreCreatedSchema,
  ignoreIdParam,
  ignoresSchema,
  metaSchema,
  metricSeriesSchema,
  metricsQuerySchema,
  observeBodySchema,
  observeQueuedSchema,
  overviewSchema,
  snapshotIdParam,
  snapshotSchema,
  snapshotsQuerySchema,
  snapshotsSchema,
  systemDetailSchema,
  systemNameParam,
  systemsSchema,
  testsQuerySchema,
  testsSchema,
  tlsSchema,
  type ErrorCode,
} from './api-schemas.js';
import type { ScheduleState, SchedulerHandle } from './scheduler-contract.js';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const WORSE_LIMIT = 50;
const EOL_RULES = ['versions/eol', 'versions/eol-soon', 'versions/support-ended'];

/** An answer that is not a success: status, code and a message naming what is wrong. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiContext {
  store: Store;
  scheduler: SchedulerHandle | null;
  config: ResolvedConfig;
  /** The working directory `--config` paths resolve against (test settings of unconfigured systems). */
  cwd: string;
  version: string;
  writable: boolean;
  authRequired: boolean;
  eolData: { source: string; asOf: string } | null;
  now: () => Date;
}

export type ApiAnswer =
  | { status: number; json: unknown; headers?: Record<string, string> }
  | { status: number; text: string; contentType: string; headers?: Record<string, string> }
  | { status: 204; headers?: Record<string, string> };

export interface ApiRequest {
  params: Record<string, unknown>;
  query: unknown;
  body: unknown;
}

/** One route: what it takes and answers (for validation and the OpenAPI document) and its handler. */
export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** OpenAPI style: `/api/v1/systems/{name}`. */
  path: string;
  summary: string;
  params?: Record<string, z.ZodType>;
  query: z.ZodObject;
  body?: z.ZodType;
  /** Answers other than errors, by status; `schema` absent for 204, `contentTypes` for exports. */
  responses: Record<number, { description: string; schema?: z.ZodType; contentTypes?: string[] }>;
  handle(request: ApiRequest, context: ApiContext, caches: ApiCaches): Promise<ApiAnswer>;
}

/**
 * What is costly to compute and cannot change: keyed by the snapshot(s) it was computed from, since
 * a recorded snapshot never changes.
 */
export class ApiCaches {
  /**
   * Change points of a series, by system, series, the series' last snapshot and its length: the
   * detector costs milliseconds per series, the read of the points far less.
   */
  readonly changePoints = new LruCache<string, ChangePointDetail[]>(50_000);
  /** End-of-life items from the versions probe's facts, by snapshot id. */
  readonly eolFacts = new LruCache<string, EolFact[]>(4096);
  /** Unsuppressed counts by aspect and severity of what a snapshot observed, by snapshot id. */
  readonly countsAt = new LruCache<string, FindingCount[]>(4096);
  /** Results derived from the store's current state, each with the change token it was computed at. */
  readonly #derived = new LruCache<string, { token: string; value: Promise<unknown> }>(64);

  /**
   * `compute()`'s result for `key`, computed again only when the store's change token moved (a
   * snapshot recorded, an ignore made or deleted, by any process). Concurrent asks share one
   * computation; a failed one is forgotten.
   */
  memo<T>(key: string, token: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.#derived.get(key);
    if (hit !== undefined && hit.token === token) return hit.value as Promise<T>;
    const value = compute();
    this.#derived.set(key, { token, value });
    value.catch(() => {
      if (this.#derived.get(key)?.value === value) this.#derived.delete(key);
    });
    return value;
  }
}

/**
 * Priority grows with age (docs/priority.md), so rankings and the overview are computed as of the
 * start of a 10-minute period and recomputed in the next one: a finding's age factor moves by less
 * than a thousandth in that time.
 */
export const RANKING_PERIOD_MS = 10 * 60_000;
function periodOf(now: Date): Date {
  return new Date(Math.floor(now.getTime() / RANKING_PERIOD_MS) * RANKING_PERIOD_MS);
}

/** The overview as of the current period, cached until the store changes. */
export async function cachedOverview(context: ApiContext, caches: ApiCaches): Promise<z.infer<typeof overviewSchema>> {
  const now = periodOf(context.now());
  return caches.memo(`overview\0${now.getTime()}`, await context.store.changeToken(), () => overview({ ...context, now: () => now }, caches));
}

/** The findings a filter selects, in the order asked, as of the current period; cached until the store changes. */
export async function cachedRanks(context: ApiContext, caches: ApiCaches, query: z.infer<typeof findingsQuerySchema>): Promise<{ ranks: FindingRank[]; now: Date }> {
  const now = periodOf(context.now());
  const filter = findingFilter(query, now);
  const token = await context.store.changeToken();
  const ranks = await caches.memo(`findings\0${JSON.stringify(filter)}\0${query.sort}\0${now.getTime()}`, token, async () => sortRanks(await context.store.findingRanks(filter), query.sort, now));
  return { ranks, now };
}

type ChangePointDetail = Pick<ChangePointResult['details'][number], 'index' | 'meanBefore' | 'meanAfter'>;

export class LruCache<K, V> {
  readonly #map = new Map<K, V>();
  constructor(readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }

  delete(key: K): void {
    this.#map.delete(key);
  }

  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.capacity) this.#map.delete(this.#map.keys().next().value as K);
  }
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

type Counts = Record<(typeof SEVERITIES)[number], number>;

function zeroCounts(): Counts {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}

/** Configured systems first in config order would surprise a sorted list: every name, sorted, once. */
function systemNames(config: ResolvedConfig, stored: readonly string[]): string[] {
  return [...new Set([...stored, ...config.systems.map((system) => system.name)])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** 404 unless the store has snapshots of the system or the config names it. */
async function requireSystem(context: ApiContext, name: string): Promise<void> {
  if (context.config.systems.some((system) => system.name === name)) return;
  if ((await context.store.listSnapshots(name, { limit: 1 })).length > 0) return;
  throw new ApiError(404, 'not-found', `no system named ${JSON.stringify(name)}; GET /api/v1/systems lists them`);
}

function schedule(state: ScheduleState | undefined): z.infer<typeof systemsSchema>['systems'][number]['schedule'] {
  if (state === undefined) return null;
  return {
    cron: state.cron,
    timezone: state.timezone,
    nextRunAt: state.nextRunAt,
    lastRunAt: state.lastRunAt,
    lastDurationMs: state.lastDurationMs,
    lastStatus: state.lastStatus,
    running: state.running,
    failures: state.failures,
  };
}

/** A snapshot in the API's shape: the engine's pseudo-probe hidden (as in reports), facts as plain JSON. */
function apiSnapshot(snapshot: SnapshotRecord): z.infer<typeof snapshotSchema> {
  return {
    id: snapshot.id,
    system: snapshot.system,
    startedAt: snapshot.startedAt,
    finishedAt: snapshot.finishedAt,
    status: snapshot.status,
    revision: snapshot.revision === null ? null : { commit: snapshot.revision.commit, branch: snapshot.revision.branch },
    probes: snapshot.probes
      .filter((probe) => probe.id !== CORE_PROBE_ID)
      .map((probe) => ({
        id: probe.id,
        status: probe.status,
        durationMs: probe.durationMs,
        errors: probe.errors.map((error) => ({ message: error.message, ...(error.path === undefined ? {} : { path: error.path }), ...(error.code === undefined ? {} : { code: error.code }) })),
        ...(probe.facts === undefined ? {} : { facts: toJsonValue(probe.facts) }),
      })),
  };
}

/**
 * What the given snapshots (one per system) observed, counted; cached per snapshot, since a
 * recorded snapshot never changes. The missing ones are counted in one query.
 */
async function countsAt(context: ApiContext, caches: ApiCaches, heads: ReadonlyArray<{ system: string; id: string }>): Promise<FindingCount[]> {
  const missing = heads.filter((head) => caches.countsAt.get(head.id) === undefined);
  if (missing.length > 0) {
    const counts = await context.store.findingCountsAt(missing.map((head) => head.id));
    for (const head of missing) caches.countsAt.set(head.id, counts.filter((count) => count.system === head.system));
  }
  return heads.flatMap((head) => caches.countsAt.get(head.id) ?? []);
}

async function systemSummaries(context: ApiContext, caches: ApiCaches, only?: string): Promise<z.infer<typeof systemsSchema>['systems']> {
  const { store } = context;
  // The store's part is kept until it changes; the schedule (which moves all the time) is not.
  const [stored, heads, counts] =
    only === undefined
      ? await caches.memo('systems', await store.changeToken(), () => Promise.all([store.listSystems(), store.latestSnapshots(), store.openFindingCounts()]))
      : await Promise.all([store.listSystems({ system: only }), store.listSnapshots(only, { limit: 1 }), store.openFindingCounts({ system: only })]);
  const byName = new Map(stored.map((summary) => [summary.name, summary]));
  const status = new Map(heads.map((head) => [head.system, head.status]));
  const open = new Map<string, Counts>();
  for (const count of counts) {
    const totals = open.get(count.system) ?? zeroCounts();
    totals[count.severity] += count.count;
    open.set(count.system, totals);
  }
  const names = only === undefined ? systemNames(context.config, stored.map((summary) => summary.name)) : [only];
  return names.map((name) => {
    const summary = byName.get(name);
    return {
      name,
      snapshots: summary?.snapshots ?? 0,
      latestSnapshotId: summary?.latestSnapshotId ?? null,
      latestAt: summary?.latestAt ?? null,
      latestStatus: status.get(name) ?? null,
      open: open.get(name) ?? zeroCounts(),
      schedule: schedule(context.scheduler?.state(name)),
    };
  });
}

/** Counts by aspect and severity for each system. */
function countsByAspect(counts: readonly FindingCount[]): Map<string, Map<Aspect, Counts>> {
  const out = new Map<string, Map<Aspect, Counts>>();
  for (const count of counts) {
    const bySystem = out.get(count.system) ?? new Map<Aspect, Counts>();
    const cell = bySystem.get(count.aspect) ?? zeroCounts();
    cell[count.severity] += count.count;
    bySystem.set(count.aspect, cell);
    out.set(count.system, bySystem);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// End of life

export interface EolFact {
  component: string;
  cycle: string | null;
  version: string | null;
  eol: string;
  path: string | null;
}

const sourcePath = (source: unknown): string | null =>
  typeof source === 'object' && source !== null && typeof (source as { path?: unknown }).path === 'string' ? (source as { path: string }).path : null;
const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The components with an end-of-life date in a versions probe's facts (`facts.components[]`). */
export function eolFactsOf(facts: unknown): EolFact[] {
  const components = (facts as { components?: unknown } | null)?.components;
  if (!Array.isArray(components)) return [];
  const out: EolFact[] = [];
  for (const component of components) {
    if (typeof component !== 'object' || component === null) continue;
    const c = component as Record<string, unknown>;
    const eol = stringOrNull(c.eol);
    if (eol === null || !/^\d{4}-\d{2}-\d{2}$/.test(eol)) continue;
    out.push({ component: stringOrNull(c.product) ?? stringOrNull(c.name) ?? 'unknown', cycle: stringOrNull(c.cycle), version: stringOrNull(c.version), eol, path: sourcePath(c.source) });
  }
  return out;
}

function daysBetween(today: string, day: string): number {
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}

/** `YYYY-MM-DD` plus whole months (clamped to the month's last day). */
function addMonths(ymd: string, months: number): string {
  const [y = 0, m = 1, d = 1] = ymd.split('-').map(Number);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Metric series

/** Each probe's metric catalogue, for the direction of its metrics (as the trend analysis reads it). */
const CATALOGUES = new Map<string, Readonly<Record<string, MetricMeta>> | undefined>(allProbes.map((probe) => [probe.id, probe.metrics]));

/** The latest `last` points of each series of a system, with change points (cached per series). */
export async function metricSeries(context: Pick<ApiContext, 'store'>, caches: ApiCaches, system: string, last: number, names: readonly string[] | undefined) {
  // The oldest snapshot of the window, by an index walk; its id carries its start time.
  let since: string | undefined;
  try {
    const oldest = await context.store.resolveSnapshotRef(system, `~${last - 1}`);
    const time = snapshotIdTime(oldest);
    if (time !== null) since = new Date(time).toISOString();
  } catch (error) {
    if (!isStoreError(error, 'not-found')) throw error;
  }
  const wanted = names === undefined ? undefined : new Set(names);
  const points = await context.store.systemMetrics(system, since === undefined ? {} : { since });
  const series = new Map<string, { key: string; name: string; labels: Record<string, string>; unit: string; probe: string; points: Array<{ snapshotId: string; at: string; value: number }> }>();
  for (const point of points) {
    if (wanted !== undefined && !wanted.has(point.name)) continue;
    // The store gives equal label sets back as equal objects (parsed from canonical text): their
    // JSON is a key without sorting, for each of thousands of points.
    const key = `${point.name}\0${JSON.stringify(point.labels)}`;
    let entry = series.get(key);
    if (entry === undefined) {
      entry = { key, name: point.name, labels: point.labels, unit: point.unit, probe: point.probe, points: [] };
      series.set(key, entry);
    }
    entry.unit = point.unit;
    entry.probe = point.probe;
    entry.points.push({ snapshotId: point.snapshotId, at: point.at, value: point.value });
  }
  const out = [];
  for (const entry of series.values()) {
    const points = entry.points.slice(-last);
    // As the trend analysis judges it: the probe's catalogue, else the name; null: neither way is worse.
    const direction = metricDirection(entry.name, CATALOGUES.get(entry.probe));
    const cacheKey = `${system}\0${entry.key}\0${points.at(-1)?.snapshotId ?? ''}\0${points.length}`;
    let details = caches.changePoints.get(cacheKey);
    if (details === undefined) {
      details = detectChangePoints(points.map((point) => point.value)).details.map(({ index, meanBefore, meanAfter }) => ({ index, meanBefore, meanAfter }));
      caches.changePoints.set(cacheKey, details);
      // The detector holds the thread for a few milliseconds: let waiting requests through.
      await yieldToRequests();
    }
    const changePoints = details.map((detail) => {
      const kind: 'regression' | 'improvement' | 'change' =
        direction === null ? 'change' : (direction === 'higher-is-worse') === detail.meanAfter > detail.meanBefore ? 'regression' : 'improvement';
      return { index: detail.index, at: points[detail.index]!.at, before: detail.meanBefore, after: detail.meanAfter, kind };
    });
    out.push({ name: entry.name, labels: entry.labels, unit: entry.unit, probe: entry.probe, direction, points, changePoints });
  }
  return out;
}

/** The window the dashboard charts (`last` by default). */
export const DEFAULT_SERIES_POINTS = 365;

/**
 * Computes in the background what the dashboard opens — the change points of every system's
 * series (at start, then for each system whose latest snapshot changed), the overview and the
 * backlog (when the store changed or a ranking period began) — so that its requests find them
 * cached. One system after another, yielding between series; stops with the server.
 */
export function startWarmer(context: ApiContext, caches: ApiCaches, options: { intervalMs: number; log: (line: string) => void }): { stop(): void } {
  const warmed = new Map<string, string>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let failed = false;
  const pass = async (): Promise<void> => {
    try {
      for (const head of await context.store.latestSnapshots()) {
        if (stopped) return;
        if (warmed.get(head.system) === head.id) continue;
        await metricSeries(context, caches, head.system, DEFAULT_SERIES_POINTS, undefined);
        warmed.set(head.system, head.id);
      }
      // What the dashboard opens on: the overview and the backlog of every system.
      if (stopped) return;
      await cachedOverview(context, caches);
      await cachedRanks(context, caches, findingsQuerySchema.parse({}));
      failed = false;
    } catch (error) {
      // Requests compute what they need anyway; say it once, not every interval.
      if (!failed && !stopped) options.log(`precomputing failed (requests compute what they need): ${error instanceof Error ? error.message : String(error)}`);
      failed = true;
    }
  };
  const loop = async (): Promise<void> => {
    await pass();
    if (!stopped) timer = setTimeout(() => void loop(), options.intervalMs).unref();
  };
  timer = setTimeout(() => void loop(), 0).unref();
  return {
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}

/** The overview (docs/api.md): counts now and a week ago by system and aspect, and what got worse. */
async function overview(context: ApiContext, caches: ApiCaches): Promise<z.infer<typeof overviewSchema>> {
  const now = context.now();
  const weekAgo = new Date(now.getTime() - WEEK_MS).toISOString();
  const { store } = context;
  const [heads, headsWeekAgo, openNow, changed, regressions] = await Promise.all([
    store.latestSnapshots(),
    store.latestSnapshots({ atOrBefore: weekAgo }),
    store.openFindingCounts(),
    store.findingsChangedSince(weekAgo),
    store.findingRanks({ state: 'open', rules: ['trend/regression'] }),
  ]);
  const countsWeekAgo = await countsAt(context, caches, headsWeekAgo);
  const now_ = countsByAspect(openNow);
  const then = countsByAspect(countsWeekAgo);
  const hadSnapshotWeekAgo = new Set(headsWeekAgo.map((head) => head.system));
  const latest = new Map(heads.map((head) => [head.system, head]));
  const systems = systemNames(context.config, heads.map((head) => head.system)).map((name) => {
    const aspects: Record<string, { open: Counts; weekAgo: Counts | null }> = {};
    for (const aspect of ASPECTS) {
      aspects[aspect] = {
        open: now_.get(name)?.get(aspect) ?? zeroCounts(),
        weekAgo: hadSnapshotWeekAgo.has(name) ? (then.get(name)?.get(aspect) ?? zeroCounts()) : null,
      };
    }
    return { name, latestAt: latest.get(name)?.startedAt ?? null, latestStatus: latest.get(name)?.status ?? null, aspects };
  });
  const worse = new Map<string, StoredFinding>();
  for (const finding of [...changed, ...(await store.findingsByRef(regressions.filter((r) => !r.suppressed).map((r) => r.ref)))]) {
    if (finding.suppressed === undefined) worse.set(`${finding.system}\0${finding.fingerprint}`, finding);
  }
  return { generatedAt: now.toISOString(), systems, worse: rankedApiFindings([...worse.values()], now).slice(0, WORSE_LIMIT) as z.infer<typeof overviewSchema>['worse'] };
}

/** The end-of-life calendar (docs/api.md) as of `today` (YYYY-MM-DD), `months` ahead. */
async function eolCalendar(context: ApiContext, caches: ApiCaches, today: string, months: number): Promise<z.infer<typeof eolSchema>> {
  const horizon = addMonths(today, months);
  const { store } = context;
  const [ranks, heads] = await Promise.all([store.findingRanks({ state: 'open', rules: EOL_RULES }), store.latestProbeSnapshots('versions')]);
  const items: z.infer<typeof eolSchema>['items'] = [];
  const seen = new Set<string>();
  const itemKey = (system: string, component: string, cycle: string | null, path: string | null) => JSON.stringify([system, component, cycle, path]);
  for (const finding of await store.findingsByRef(ranks.map((rank) => rank.ref))) {
    const data = finding.data;
    const eol = stringOrNull(data.eol);
    if (eol === null || !/^\d{4}-\d{2}-\d{2}$/.test(eol) || eol > horizon) continue;
    const component = stringOrNull(data.product) ?? finding.title;
    const cycle = stringOrNull(data.cycle);
    const path = sourcePath(data.source);
    seen.add(itemKey(finding.system, component, cycle, path));
    items.push({ system: finding.system, component, cycle, version: stringOrNull(data.version), eol, daysLeft: daysBetween(today, eol), path, rule: finding.rule, fingerprint: finding.fingerprint });
  }
  // Components the probe knows an end of life for but has no finding about yet (beyond its
  // eol-soon window): from its facts, parsed once per snapshot.
  const missing = heads.filter((head) => caches.eolFacts.get(head.snapshotId) === undefined).map((head) => head.snapshotId);
  if (missing.length > 0) {
    const facts = await store.probeFacts('versions', missing);
    for (const id of missing) caches.eolFacts.set(id, eolFactsOf(facts.get(id)));
  }
  for (const head of heads) {
    for (const fact of caches.eolFacts.get(head.snapshotId) ?? []) {
      if (fact.eol > horizon) continue;
      const key = itemKey(head.system, fact.component, fact.cycle, fact.path);
      if (seen.has(key)) continue;
      seen.add(key);
      items.push({ system: head.system, component: fact.component, cycle: fact.cycle, version: fact.version, eol: fact.eol, daysLeft: daysBetween(today, fact.eol), path: fact.path, rule: null, fingerprint: null });
    }
  }
  items.sort((a, b) => (a.eol < b.eol ? -1 : a.eol > b.eol ? 1 : a.system < b.system ? -1 : a.system > b.system ? 1 : a.component < b.component ? -1 : a.component > b.component ? 1 : 0));
  return { asOf: today, items };
}

// ---------------------------------------------------------------------------------------------
// Routes

const nameParams = { name: systemNameParam };
const json = (status: number, body: unknown): ApiAnswer => ({ status, json: body });
const ok = (description: string, schema: z.ZodType) => ({ 200: { description, schema } });

export const ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/api/v1/meta',
    summary: 'What this server is and allows: version, whether writes and reads need the token, aspects, severities, end-of-life data.',
    query: emptyQuerySchema,
    responses: ok('The server.', metaSchema),
    async handle(_request, context) {
      return json(200, {
        version: context.version,
        writable: context.writable,
        authRequired: context.authRequired,
        aspects: [...ASPECTS],
        severities: [...SEVERITIES],
        eolData: context.eolData,
      });
    },
  },
  {
    method: 'GET',
    path: '/api/v1/overview',
    summary: "Every system's open findings by aspect and severity, now and a week ago, and what got worse this week.",
    query: emptyQuerySchema,
    responses: ok('The overview.', overviewSchema),
    async handle(_request, context, caches) {
      return json(200, await cachedOverview(context, caches));
    },
  },
  {
    method: 'GET',
    path: '/api/v1/systems',
    summary: 'Every system: snapshots, the latest one, open findings by severity, and its schedule.',
    query: emptyQuerySchema,
    responses: ok('The systems, by name.', systemsSchema),
    async handle(_request, context, caches) {
      return json(200, { systems: await systemSummaries(context, caches) });
    },
  },
  {
    method: 'GET',
    path: '/api/v1/systems/{name}',
    summary: 'One system, with its latest snapshot (probe statuses, durations and errors, without facts).',
    params: nameParams,
    query: emptyQuerySchema,
    responses: ok('The system.', systemDetailSchema),
    async handle({ params }, context, caches) {
      const name = params.name as string;
      await requireSystem(context, name);
      const [[summary], [latest]] = await Promise.all([systemSummaries(context, caches, name), context.store.listSnapshots(name, { limit: 1 })]);
      return json(200, { ...summary!, latest: latest === undefined ? null : apiSnapshot(latest) });
    },
  },
  {
    method: 'GET',
    path: '/api/v1/systems/{name}/snapshots',
    summary: "A system's snapshots, newest first, without facts.",
    params: nameParams,
    query: snapshotsQuerySchema,
    responses: ok('The snapshots.', snapshotsSchema),
    async handle({ params, query }, context) {
      const name = params.name as string;
      const { limit, before } = query as z.infer<typeof snapshotsQuerySchema>;
      await requireSystem(context, name);
      const snapshots = await context.store.listSnapshots(name, { limit, ...(before === undefined ? {} : { before }) });
      return json(200, { snapshots: snapshots.map(apiSnapshot) });
    },
  },
  {
    method: 'GET',
    path: '/api/v1/snapshots/{id}',
    summary: "One snapshot with every probe's facts.",
    params: { id: snapshotIdParam },
    query: emptyQuerySchema,
    responses: ok('The snapshot.', snapshotSchema),
    async handle({ params }, context) {
      const id = (params.id as string).toUpperCase();
      const snapshot = await context.store.getSnapshot(id);
      if (snapshot === null) throw new ApiError(404, 'not-found', `no snapshot ${id}`);
      return json(200, apiSnapshot(snapshot));
    },
  },
  {
    method: 'GET',
    path: '/api/v1/findings',
    summary: 'Findings of every system, filtered, sorted (by priority unless asked otherwise) and paged; or every match as CSV or Markdown.',
    query: findingsQuerySchema,
    responses: {
      200: {
        description: 'A page of findings (format=json), or every match as text/csv or text/markdown (an attachment).',
        schema: findingsPageSchema,
        contentTypes: ['text/csv', 'text/markdown'],
      },
    },
    async handle({ query }, context, caches) {
      const q = query as z.infer<typeof findingsQuerySchema>;
      // Ranked as of the period, and kept until the findings change or the period ends: paging
      // and re-sorting the same list reads only the page.
      const { ranks, now } = await cachedRanks(context, caches, q);
      if (q.format === 'json') {
        const page = await loadRanked(context.store, ranks.slice(q.offset, q.offset + q.limit), now);
        return json(200, { total: ranks.length, offset: q.offset, limit: q.limit, findings: page });
      }
      const all = await loadRanked(context.store, ranks, now);
      const day = now.toISOString().slice(0, 10);
      const [text, contentType, extension] =
        q.format === 'csv' ? [findingsCsv(all), 'text/csv; charset=utf-8; header=present', 'csv'] : [findingsMarkdown(all, now.toISOString()), 'text/markdown; charset=utf-8', 'md'];
      return { status: 200, text, contentType, headers: { 'content-disposition': `attachment; filename="prodeng-findings-${day}.${extension}"` } };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/systems/{name}/findings/{fingerprint}',
    summary: "One finding's current state and every snapshot where its status changed (new, reopened, resolved), oldest first.",
    params: { ...nameParams, fingerprint: fingerprintParam },
    query: emptyQuerySchema,
    responses: ok('The finding and its history.', findingHistorySchema),
    async handle({ params }, context) {
      const name = params.name as string;
      const fingerprint = params.fingerprint as string;
      const found = await context.store.findingHistory(name, fingerprint);
      if (found === null) {
        await requireSystem(context, name);
        throw new ApiError(404, 'not-found', `system ${JSON.stringify(name)} has no finding with fingerprint ${fingerprint}`);
      }
      const [finding] = rankedApiFindings([found.finding], context.now());
      return json(200, { finding, history: found.changes });
    },
  },
  {
    method: 'GET',
    path: '/api/v1/systems/{name}/metrics',
    summary: "A system's metric series (the latest `last` points of each), with change points from the product's detector.",
    params: nameParams,
    query: metricsQuerySchema,
    responses: ok('The series, by metric name then label set.', metricSeriesSchema),
    async handle({ params, query }, context, caches) {
      const name = params.name as string;
      const q = query as z.infer<typeof metricsQuerySchema>;
      const series = await metricSeries(context, caches, name, q.last, q.name);
      if (series.length === 0) await requireSystem(context, name);
      return json(200, { series });
    },
  },
  {
    method: 'GET',
    path: '/api/v1/systems/{name}/diff',
    summary: 'What changed between two snapshots of a system (default: the last two), as `prodeng diff --format json`.',
    params: nameParams,
    query: diffQuerySchema,
    responses: ok('The diff.', diffSchema),
    async handle({ params, query }, context) {
      const name = params.name as string;
      const q = query as z.infer<typeof diffQuerySchema>;
      await requireSystem(context, name);
      const { store } = context;
      if (q.from === undefined && q.to === undefined) {
        const count = (await store.listSnapshots(name, { limit: 2 })).length;
        if (count < 2) throw new ApiError(404, 'not-found', `system ${JSON.stringify(name)} has ${count} snapshot${count === 1 ? '' : 's'}; a diff compares two`);
      }
      const resolve = async (ref: string, parameter: string): Promise<string> => {
        try {
          return await store.resolveSnapshotRef(name, ref);
        } catch (error) {
          if (isStoreError(error, 'not-found')) throw new ApiError(404, 'not-found', `${parameter}: ${error.message}`);
          if (isStoreError(error, 'ambiguous')) throw new ApiError(400, 'invalid', `${parameter}: ${error.message}`);
          throw error;
        }
      };
      const fromId = await resolve(q.from ?? '~1', 'from');
      const toId = await resolve(q.to ?? '~0', 'to');
      const [from, to, fromFindings, toFindings, fromMetrics, toMetrics] = await Promise.all([
        store.getSnapshot(fromId),
        store.getSnapshot(toId),
        store.findingsAt(fromId),
        store.findingsAt(toId),
        store.metricsAt(fromId),
        store.metricsAt(toId),
      ]);
      if (from === null || to === null) throw new ApiError(404, 'not-found', 'snapshot not found');
      const diff = diffSnapshots(from, to, fromFindings, toFindings, fromMetrics, toMetrics);
      // Exactly what `prodeng diff --format json` prints, findings in the report's shape.
      const document = JSON.parse(renderDiff(diff, 'json', { now: context.now(), color: false })) as Record<string, unknown>;
      const findings = document.findings as Record<string, Parameters<typeof toApiFinding>[0][]>;
      for (const key of Object.keys(findings)) findings[key] = findings[key]!.map(toApiFinding) as never;
      return json(200, document);
    },
  },
  {
    method: 'GET',
    path: '/api/v1/eol',
    summary: 'What reaches (or passed) end of life within `months`, across all systems, soonest first.',
    query: eolQuerySchema,
    responses: ok('The end-of-life calendar.', eolSchema),
    async handle({ query }, context, caches) {
      const { months } = query as z.infer<typeof eolQuerySchema>;
      const today = context.now().toISOString().slice(0, 10);
      return json(200, await caches.memo(`eol\0${months}\0${today}`, await context.store.changeToken(), () => eolCalendar(context, caches, today, months)));
    },
  },
  {
    method: 'GET',
    path: '/api/v1/systems/{name}/tls',
    summary: "The tls probe's endpoints from the latest snapshot in which it ran.",
    params: nameParams,
    query: emptyQuerySchema,
    responses: ok('The TLS endpoints.', tlsSchema),
    async handle({ params }, context) {
      const name = params.name as string;
      const [head] = await context.store.latestProbeSnapshots('tls', { system: name });
      if (head === undefined) {
        await requireSystem(context, name);
        throw new ApiError(404, 'not-found', `the tls probe has not run for system ${JSON.stringify(name)}; give it tls:// or https:// endpoints`);
      }
      const facts = (await context.store.probeFacts('tls', [head.snapshotId])).get(head.snapshotId) as { endpoints?: unknown } | undefined;
      const endpoints = Array.isArray(facts?.endpoints) ? (toJsonValue(facts.endpoints) as unknown[]) : [];
      return json(200, { snapshotId: head.snapshotId, at: head.at, endpoints });
    },
  },
  {
    method: 'GET',
    path: '/api/v1/systems/{name}/tests',
    summary: 'Flaky, broken and slow tests from the recorded test runs, as `prodeng tests --format json`, with the evidence of each flaky test.',
    params: nameParams,
    query: testsQuerySchema,
    responses: ok('The tests.', testsSchema),
    async handle({ params, query }, context) {
      const name = params.name as string;
      const q = query as z.infer<typeof testsQuerySchema>;
      await requireSystem(context, name);
      const resolved = context.config.systems.find((system) => system.name === name) ?? context.config.systemFor(name, context.cwd);
      const setting = resolved.probes.get('tests');
      const settings = testsConfigSchema.parse(setting?.enabled ? setting.config : {});
      const history = await context.store.testHistory(name, { limit: settings.window });
      if (history.runs.length === 0) {
        throw new ApiError(404, 'not-found', `no test runs recorded for ${JSON.stringify(name)}; record them with \`prodeng ingest junit GLOB... --system ${name}\``);
      }
      const analysis = analyzeTests(history, flakyOptions(settings));
      const evidence = new Map(analysis.tests.map((test) => [test.id, test.status === 'flaky' ? test.evidence : []]));
      let rows = testsOutput(analysis).tests;
      if (q.status === 'flaky' || q.status === 'broken') rows = rows.filter((row) => row.status === q.status);
      if (q.status === 'slow') rows = rows.filter((row) => row.meanSeconds !== null).sort((a, b) => (b.meanSeconds ?? 0) - (a.meanSeconds ?? 0)).slice(0, q.limit);
      return json(200, {
        system: name,
        generatedAt: context.now().toISOString(),
        runs: analysis.runs,
        excludedRuns: analysis.excludedRuns.length,
        tests: rows.map((row) => ({ ...row, evidence: evidence.get(row.id) ?? [] })),
      });
    },
  },
  {
    method: 'GET',
    path: '/api/v1/ignores',
    summary: 'Ignores made through the API (those of prodeng.yml are in the config).',
    query: emptyQuerySchema,
    responses: ok('The ignores, oldest first.', ignoresSchema),
    async handle(_request, context) {
      return json(200, { ignores: await context.store.listIgnores() });
    },
  },
  {
    method: 'POST',
    path: '/api/v1/systems/{name}/observe',
    summary: 'Observe the system now (the scheduler runs it; never two observations of one system at once).',
    params: nameParams,
    query: emptyQuerySchema,
    body: observeBodySchema,
    responses: { 202: { description: 'Queued.', schema: observeQueuedSchema } },
    async handle({ params }, context) {
      const name = params.name as string;
      if (context.scheduler === null) throw new ApiError(503, 'unavailable', 'the scheduler is not running (prodeng serve --no-scheduler); run `prodeng observe` instead');
      const result = context.scheduler.observeNow(name);
      if (result.queued) return json(202, { queued: true });
      if (result.reason === 'busy') throw new ApiError(409, 'busy', `an observation of ${JSON.stringify(name)} is already queued or running`);
      throw new ApiError(404, 'not-found', `no system named ${JSON.stringify(name)} in the configuration; only configured systems can be observed by the service`);
    },
  },
  {
    method: 'POST',
    path: '/api/v1/ignores',
    summary: 'Ignore a finding (by fingerprint or prefix) or a rule of one system, with a reason and an optional last day; applies at once and at every later observation.',
    query: emptyQuerySchema,
    body: ignoreBodySchema,
    responses: { 201: { description: 'Created: the ignore and how many current findings it suppressed.', schema: ignoreCreatedSchema } },
    async handle({ body }, context) {
      const input = body as z.infer<typeof ignoreBodySchema>;
      const today = context.now().toISOString().slice(0, 10);
      if (input.until !== null && input.until < today) throw new ApiError(400, 'invalid', `until: ${input.until} is in the past (today is ${today})`);
      await requireSystem(context, input.system);
      const created = await context.store.createIgnore(
        { system: input.system, fingerprint: input.fingerprint ?? null, rule: input.rule ?? null, reason: input.reason, until: input.until },
        { now: context.now() },
      );
      return { status: 201, json: created, headers: { location: `/api/v1/ignores/${created.ignore.id}` } };
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/ignores/{id}',
    summary: 'Delete an ignore made through the API; the findings it suppressed are back at once.',
    params: { id: ignoreIdParam },
    query: emptyQuerySchema,
    responses: { 204: { description: 'Deleted.' } },
    async handle({ params }, context) {
      const id = params.id as number;
      if (!(await context.store.deleteIgnore(id))) throw new ApiError(404, 'not-found', `no ignore ${id}; GET /api/v1/ignores lists them`);
      return { status: 204 };
    },
  },
];

/** `calendarDateSchema` re-exported for the CLI and tests that build bodies. */
export { calendarDateSchema };

/** Compiled routes: a regular expression per path, parameters in order. */
export interface MatchedRoute {
  route: Route;
  params: Record<string, string>;
}

const compiled = ROUTES.map((route) => {
  const names: string[] = [];
  const pattern = route.path.replace(/\{([a-zA-Z]+)\}/g, (_match, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, names, regex: new RegExp(`^${pattern}$`) };
});

/**
 * The route for a path: `{ route }` when the method matches, `{ allowed }` listing the methods of
 * the path otherwise, null when no route has that path. Parameters are percent-decoded once.
 */
export function matchRoute(method: string, pathname: string): { match: MatchedRoute } | { allowed: string[] } | null {
  const allowed: string[] = [];
  for (const entry of compiled) {
    const found = entry.regex.exec(pathname);
    if (found === null) continue;
    if (entry.route.method !== method && !(method === 'HEAD' && entry.route.method === 'GET')) {
      allowed.push(entry.route.method);
      continue;
    }
    const params: Record<string, string> = {};
    for (const [i, name] of entry.names.entries()) {
      try {
        params[name] = decodeURIComponent(found[i + 1]!);
      } catch {
        throw new ApiError(400, 'invalid', `${name}: not a valid percent-encoded path segment`);
      }
    }
    return { match: { route: entry.route, params } };
  }
  return allowed.length > 0 ? { allowed: [...new Set(allowed)] } : null;
}

/** The first problem of a zod error as "parameter: what is wrong", for a 400. */
export function describeIssue(error: z.ZodError, where: 'query' | 'body' | 'path'): string {
  const issue = error.issues[0];
  if (issue === undefined) return `${where}: invalid`;
  if (issue.code === 'unrecognized_keys') {
    const noun = where === 'body' ? 'field' : 'parameter';
    return `${issue.keys.map((key) => JSON.stringify(key)).join(', ')}: unknown ${noun}${issue.keys.length > 1 ? 's' : ''}`;
  }
  const path = issue.path.map(String).join('.');
  const subject = path === '' ? where : where === 'body' ? `body.${path}` : path;
  const message = issue.message.replace(/^Invalid input: /, '');
  return `${subject}: ${message}`;
}
