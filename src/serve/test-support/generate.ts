/**
 * Fills a store with a realistic history for tests and the API benchmark: N systems × D daily
 * snapshots, each with the probes prodeng runs, a backlog of findings across every aspect that
 * churns (some resolved, some new, now and then one reopened), metrics with noise and level shifts
 * (so the change-point detector has something to find), and the facts the dashboard reads (the
 * versions probe's components with end-of-life dates, the tls probe's endpoints).
 *
 * Deterministic for a given seed. Written through `recordSnapshot`, so the store's lifecycle is the
 * real one.
 */
import { fingerprint } from '../../core/fingerprint.js';
import type { Aspect, Effort, Location, ProbeRunRecord, Severity } from '../../core/model.js';
import type { FindingInput, MetricInput, Store } from '../../store/store.js';

export interface GenerateOptions {
  systems: number;
  days: number;
  /** The last snapshot's day (its 06:00 UTC); default today. */
  end?: Date;
  seed?: number;
  /** Base size of each system's backlog (default 80: 40 to 120 open findings per system). */
  findings?: number;
  /** Systems recorded at once (PostgreSQL takes concurrent writers; SQLite serialises them). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface GeneratedStore {
  systems: string[];
  snapshots: number;
  findings: number;
  metrics: number;
}

const DAY_MS = 86_400_000;

/** mulberry32: small, fast, good enough to make data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Template {
  probe: string;
  aspect: Aspect;
  rule: string;
  severities: readonly Severity[];
  effort: Effort;
  title: (n: number) => string;
  location: (n: number) => Location;
  data: (n: number, day: string) => Record<string, unknown>;
}

const PRODUCTS = [
  { product: 'nodejs', cycle: '18', eol: '2025-04-30' },
  { product: 'nodejs', cycle: '20', eol: '2026-04-30' },
  { product: 'python', cycle: '3.9', eol: '2025-10-31' },
  { product: 'python', cycle: '3.10', eol: '2026-10-31' },
  { product: 'debian', cycle: '11', eol: '2026-08-31' },
  { product: 'postgresql', cycle: '13', eol: '2025-11-13' },
  { product: 'nginx', cycle: '1.24', eol: '2025-04-23' },
  { product: 'ruby', cycle: '3.2', eol: '2026-03-31' },
  { product: 'java', cycle: '17', eol: '2027-10-31' },
  { product: 'go', cycle: '1.23', eol: '2025-08-12' },
];

const TEMPLATES: readonly Template[] = [
  {
    probe: 'todo',
    aspect: 'code-health',
    rule: 'todo/marker',
    severities: ['low', 'info', 'low', 'medium'],
    effort: 'small',
    title: (n) => `TODO: handle the ${n % 7 === 0 ? 'retry' : 'error'} case in module ${n}`,
    location: (n) => ({ path: `src/module-${n % 40}/file-${n}.ts`, line: 1 + (n % 300) }),
    data: (n) => ({ tag: n % 5 === 0 ? 'FIXME' : 'TODO', author: `dev${n % 9}@example.test` }),
  },
  {
    probe: 'versions',
    aspect: 'technology-upgrade',
    rule: 'versions/major-behind',
    severities: ['low', 'medium', 'high'],
    effort: 'medium',
    title: (n) => `library-${n} is ${1 + (n % 4)} major versions behind`,
    location: () => ({ path: 'package-lock.json' }),
    data: (n) => ({ name: `library-${n}`, ecosystem: 'npm', version: `${n % 5}.2.0`, latest: `${(n % 5) + 2}.0.0`, majorsBehind: 1 + (n % 4) }),
  },
  {
    probe: 'versions',
    aspect: 'technology-upgrade',
    rule: 'versions/eol',
    severities: ['high', 'critical'],
    effort: 'large',
    title: (n) => `${PRODUCTS[n % PRODUCTS.length]!.product} ${PRODUCTS[n % PRODUCTS.length]!.cycle} reached end of life`,
    location: (n) => ({ path: `deploy/${n % 3 === 0 ? 'Dockerfile' : '.nvmrc'}` }),
    data: (n) => {
      const p = PRODUCTS[n % PRODUCTS.length]!;
      return { product: p.product, cycle: p.cycle, version: `${p.cycle}.1`, eol: p.eol, source: { path: `deploy/${n % 3 === 0 ? 'Dockerfile' : '.nvmrc'}` } };
    },
  },
  {
    probe: 'vulns',
    aspect: 'security',
    rule: 'vulns/known-vulnerability',
    severities: ['critical', 'high', 'medium', 'low'],
    effort: 'small',
    title: (n) => `GHSA-${(1000 + n).toString(36)}-xxxx in package-${n % 60}`,
    location: () => ({ path: 'package-lock.json' }),
    data: (n) => ({ id: `GHSA-${(1000 + n).toString(36)}-xxxx`, aliases: [`CVE-2024-${10000 + n}`], package: `package-${n % 60}` }),
  },
  {
    probe: 'supply-chain',
    aspect: 'security',
    rule: 'supply-chain/unpinned-action',
    severities: ['medium', 'low'],
    effort: 'trivial',
    title: (n) => `actions/tool-${n % 12} is not pinned to a commit`,
    location: (n) => ({ path: `.github/workflows/ci-${n % 4}.yml`, line: 10 + (n % 50) }),
    data: (n) => ({ action: `actions/tool-${n % 12}`, ref: 'v3' }),
  },
  {
    probe: 'http',
    aspect: 'security',
    rule: 'http/missing-csp',
    severities: ['medium'],
    effort: 'small',
    title: (n) => `https://app-${n % 3}.example.test/ has no Content-Security-Policy`,
    location: (n) => ({ url: `https://app-${n % 3}.example.test/` }),
    data: () => ({ header: 'content-security-policy' }),
  },
  {
    probe: 'tests',
    aspect: 'tests',
    rule: 'tests/flaky',
    severities: ['medium', 'low'],
    effort: 'small',
    title: (n) => `Suite${n % 20}::test_case_${n} is flaky`,
    location: (n) => ({ path: `test/suite-${n % 20}.test.ts` }),
    data: (n) => ({ test: `Suite${n % 20}::test_case_${n}`, score: ((n % 10) + 1) / 10 }),
  },
  {
    probe: 'ci',
    aspect: 'ci',
    rule: 'ci/slow-step',
    severities: ['low', 'medium'],
    effort: 'medium',
    title: (n) => `CI step build-${n % 6} takes ${5 + (n % 20)} minutes at p95`,
    location: () => null,
    data: (n) => ({ pipeline: 'ci', step: `build-${n % 6}` }),
  },
];

/** Picks a template, weighted towards what real backlogs are full of (TODO markers, libraries). */
const TEMPLATE_WEIGHTS = [30, 20, 3, 12, 8, 2, 6, 4];

interface LiveFinding {
  key: number;
  template: number;
  severity: Severity;
}

export async function generateStore(store: Store, options: GenerateOptions): Promise<GeneratedStore> {
  const end = options.end ?? new Date();
  const endDay = Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate(), 6, 0, 0);
  const base = options.findings ?? 80;
  const names = Array.from({ length: options.systems }, (_, i) => `system-${String(i + 1).padStart(3, '0')}`);
  const total = options.systems * options.days;
  let done = 0;
  let findings = 0;
  let metrics = 0;
  const weightSum = TEMPLATE_WEIGHTS.reduce((a, b) => a + b, 0);

  const generateSystem = async (index: number): Promise<void> => {
    const name = names[index]!;
    const rand = random((options.seed ?? 1) * 7919 + index);
    const pick = (): number => {
      let r = rand() * weightSum;
      for (const [i, weight] of TEMPLATE_WEIGHTS.entries()) {
        r -= weight;
        if (r < 0) return i;
      }
      return 0;
    };
    let next = 0;
    const make = (): LiveFinding => {
      const template = pick();
      const severities = TEMPLATES[template]!.severities;
      return { key: next++, template, severity: severities[Math.floor(rand() * severities.length)]! };
    };
    const size = Math.round(base * (0.5 + rand()));
    let live: LiveFinding[] = Array.from({ length: size }, make);
    const resolved: LiveFinding[] = [];
    // Level shifts: a day after which some metrics move for good (the change points to find).
    const shiftDay = Math.floor(options.days * (0.3 + 0.6 * rand()));
    const latencyBase = 80 + rand() * 200;
    const shiftFactor = rand() < 0.5 ? 1.6 : 0.7;

    for (let day = 0; day < options.days; day++) {
      const at = new Date(endDay - (options.days - 1 - day) * DAY_MS);
      const iso = at.toISOString();
      if (day > 0) {
        // Churn: a few resolved, a few new, now and then one comes back.
        const resolving = Math.floor(rand() * 3);
        for (let k = 0; k < resolving && live.length > 10; k++) resolved.push(...live.splice(Math.floor(rand() * live.length), 1));
        const adding = Math.floor(rand() * 3.2);
        for (let k = 0; k < adding; k++) live.push(make());
        if (resolved.length > 0 && rand() < 0.08) live.push(...resolved.splice(Math.floor(rand() * resolved.length), 1));
      }
      const shifted = day >= shiftDay;
      const noise = () => 1 + (rand() - 0.5) * 0.1;
      const inputFindings: FindingInput[] = live.map((f) => {
        const t = TEMPLATES[f.template]!;
        return {
          probe: t.probe,
          aspect: t.aspect,
          rule: t.rule,
          severity: f.severity,
          title: t.title(f.key),
          message: `${t.title(f.key)}. Found in ${name} by the ${t.probe} probe; see the data for the evidence.`,
          location: t.location(f.key),
          fingerprint: fingerprint(name, t.rule, String(f.key)),
          data: t.data(f.key, iso),
          remediation: `Fix it (${t.rule}).`,
          effort: t.effort,
        };
      });
      const endpoint = `https://${name}.example.test/`;
      if (shifted && shiftFactor > 1 && day >= shiftDay + 8) {
        // What the trend analysis reports once the shift has lasted (core/trend.ts).
        inputFindings.push({
          probe: 'trend',
          aspect: 'security',
          rule: 'trend/regression',
          severity: 'high',
          title: `http.latency_p95_ms{endpoint="${endpoint}"} got worse: +60%`,
          message: 'The latest change point of the series moved its mean for the worse and it has stayed there.',
          location: null,
          fingerprint: fingerprint('trend/regression', name, 'http.latency_p95_ms'),
          data: { metric: 'http.latency_p95_ms', labels: { endpoint }, relativeChange: 0.6 },
          remediation: 'Look at what changed around the date of the shift.',
          effort: 'medium',
        });
      }
      const inputMetrics: MetricInput[] = [
        { probe: 'todo', name: 'todo.count', value: inputFindings.filter((f) => f.probe === 'todo').length, unit: 'count', labels: {} },
        { probe: 'todo', name: 'todo.oldest_days', value: 400 + day, unit: 'days', labels: {} },
        { probe: 'todo', name: 'todo.files_scanned', value: 1200 + Math.floor(day / 10), unit: 'count', labels: {} },
        { probe: 'versions', name: 'versions.libyears', value: Math.round((20 + day * 0.05) * noise() * 100) / 100, unit: 'years', labels: {} },
        { probe: 'versions', name: 'versions.dependencies', value: 300 + Math.floor(day / 30), unit: 'count', labels: {} },
        { probe: 'versions', name: 'versions.eol_count', value: inputFindings.filter((f) => f.rule === 'versions/eol').length, unit: 'count', labels: {} },
        { probe: 'versions', name: 'versions.up_to_date_ratio', value: Math.round(0.6 * noise() * 1000) / 1000, unit: 'ratio', labels: {} },
        { probe: 'vulns', name: 'vulns.count', value: inputFindings.filter((f) => f.probe === 'vulns').length, unit: 'count', labels: {} },
        { probe: 'vulns', name: 'vulns.exposure_days_max', value: 30 + (day % 90), unit: 'days', labels: {} },
        { probe: 'http', name: 'http.latency_p50_ms', value: Math.round(latencyBase * 0.5 * (shifted ? shiftFactor : 1) * noise()), unit: 'ms', labels: { endpoint } },
        { probe: 'http', name: 'http.latency_p95_ms', value: Math.round(latencyBase * (shifted ? shiftFactor : 1) * noise()), unit: 'ms', labels: { endpoint } },
        { probe: 'http', name: 'http.availability', value: rand() < 0.03 ? 0.95 : 1, unit: 'ratio', labels: { endpoint } },
        { probe: 'http', name: 'http.observatory_score', value: shifted ? 90 : 70, unit: 'score', labels: { endpoint } },
        { probe: 'tls', name: 'tls.cert_days_left', value: 90 - (day % 60), unit: 'days', labels: { endpoint: `${name}.example.test:443` } },
        { probe: 'tls', name: 'tls.grade_score', value: 90, unit: 'score', labels: { endpoint: `${name}.example.test:443` } },
        { probe: 'tests', name: 'tests.total', value: 2000 + day * 2, unit: 'count', labels: {} },
        { probe: 'tests', name: 'tests.flaky', value: inputFindings.filter((f) => f.rule === 'tests/flaky').length, unit: 'count', labels: {} },
        { probe: 'ci', name: 'ci.duration_p95_seconds', value: Math.round(600 * (shifted ? 1.3 : 1) * noise()), unit: 'seconds', labels: { pipeline: 'ci' } },
        { probe: 'ci', name: 'ci.failure_rate', value: Math.round(0.05 * noise() * 1000) / 1000, unit: 'ratio', labels: { pipeline: 'ci' } },
        { probe: 'supply-chain', name: 'supply_chain.findings', value: inputFindings.filter((f) => f.probe === 'supply-chain').length, unit: 'count', labels: {} },
      ];
      const probes: ProbeRunRecord[] = [
        { id: 'todo', status: 'ok', durationMs: 800 + Math.round(rand() * 400), errors: [], facts: { filesScanned: 1200 } },
        {
          id: 'versions',
          status: 'ok',
          durationMs: 2000 + Math.round(rand() * 1000),
          errors: [],
          facts: {
            eolData: { source: 'endoflife.date', asOf: '2026-01-01', origin: 'bundled' },
            components: PRODUCTS.map((p, i) => ({
              kind: 'runtime',
              name: p.product,
              version: `${p.cycle}.${i}`,
              ecosystem: null,
              direct: true,
              dev: false,
              product: p.product,
              cycle: p.cycle,
              eol: p.eol,
              eolStatus: 'supported',
              latest: null,
              source: { path: `deploy/${p.product}.txt` },
            })).filter((_, i) => (index + i) % 3 === 0),
          },
        },
        { id: 'vulns', status: rand() < 0.02 ? 'partial' : 'ok', durationMs: 500, errors: [] },
        { id: 'supply-chain', status: 'ok', durationMs: 300, errors: [] },
        { id: 'http', status: 'ok', durationMs: 1500, errors: [] },
        {
          id: 'tls',
          status: 'ok',
          durationMs: 3000,
          errors: [],
          facts: { endpoints: [{ target: `${name}.example.test:443`, protocols: { 'TLSv1.2': true, 'TLSv1.3': true }, grade: 'A', score: 90 }] },
        },
        { id: 'tests', status: 'ok', durationMs: 200, errors: [] },
        { id: 'ci', status: 'ok', durationMs: 200, errors: [] },
        { id: 'core', status: 'ok', durationMs: 0, errors: [] },
        { id: 'trend', status: 'ok', durationMs: 20, errors: [], facts: { seriesAnalysed: inputMetrics.length } },
      ];
      await store.recordSnapshot({
        system: name,
        startedAt: iso,
        finishedAt: new Date(at.getTime() + 30_000).toISOString(),
        status: probes.some((p) => p.status === 'partial') ? 'partial' : 'complete',
        revision: { commit: fingerprint(name, String(day)).slice(0, 40).padEnd(40, '0'), branch: 'main' },
        probes,
        findings: inputFindings,
        metrics: inputMetrics,
      });
      findings += inputFindings.length;
      metrics += inputMetrics.length;
      options.onProgress?.(++done, total);
    }
  };

  const concurrency = Math.max(1, options.concurrency ?? 1);
  let cursor = 0;
  const workers = Array.from({ length: Math.min(concurrency, names.length) }, async () => {
    while (cursor < names.length) await generateSystem(cursor++);
  });
  await Promise.all(workers);
  return { systems: names, snapshots: total, findings, metrics };
}
