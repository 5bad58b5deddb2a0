/**
 * `prodeng serve`'s API at scale: latency of every endpoint over a store of 100 systems × 365 daily
 * snapshots (the issue's target: p95 under 100 ms), and the dashboard's overview in headless
 * Chromium (usable within a second).
 *
 *   npm run build && node bench/serve/bench.ts [--systems 100] [--days 365] [--requests 100]
 *                                              [--postgres postgres://…/anydb [--keep]] [--regenerate]
 *                                              [--filled-postgres postgres://…/kept]
 *
 * 1. Generates the history once (bench/.work/serve/, reused by later runs) with the generator the
 *    tests use (src/serve/test-support/generate.ts: realistic findings across every aspect with
 *    daily churn, 20 metrics a snapshot with level shifts, versions and tls facts), through the
 *    store's own recordSnapshot. With --postgres (or PRODENG_BENCH_POSTGRES), also into a scratch
 *    PostgreSQL database created on that server and dropped afterwards (--keep keeps it and says
 *    where; --filled-postgres serves such a kept one again without generating). PostgreSQL is then
 *    ANALYZEd, as autovacuum does in a running database: a table without statistics can be planned
 *    badly.
 * 2. Starts the built CLI, `prodeng serve --no-scheduler`, in a child process of its own, and asks
 *    each endpoint `--requests` times in turn (one request at a time, from this process), the
 *    system, snapshot, finding or page changing every request, so caches see a hundred keys, not
 *    one. What the server derives from the store is kept until the store changes (its change
 *    token): the first request of each endpoint pays for it, and is shown apart ("first"). Change
 *    points are precomputed in the background after start; the series are asked first, once per
 *    system, while that runs (cold), then again once it is done (warm).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { register } from 'node:module';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';

const ROOT = join(import.meta.dirname, '..', '..');
const WORK = join(ROOT, 'bench', '.work', 'serve');
const DIST = join(ROOT, 'dist');
const BIN = join(ROOT, 'bin', 'prodeng.js');

const { values } = parseArgs({
  options: {
    systems: { type: 'string', default: '100' },
    days: { type: 'string', default: '365' },
    requests: { type: 'string', default: '100' },
    postgres: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'filled-postgres': { type: 'string' },
    regenerate: { type: 'boolean', default: false },
  },
});
const SYSTEMS = Number(values.systems);
const DAYS = Number(values.days);
const REQUESTS = Number(values.requests);
const POSTGRES = values.postgres ?? process.env['PRODENG_BENCH_POSTGRES'];
const TARGET_P95_MS = 100;

// The generator is test support (not in dist/): load it from src, with its `.js` imports mapped to
// the `.ts` sources (Node strips the types).
register(
  `data:text/javascript,${encodeURIComponent(`
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
export async function resolve(specifier, context, next) {
  if (specifier.endsWith('.js') && specifier.startsWith('.') && context.parentURL?.endsWith('.ts')) {
    const ts = new URL(specifier.slice(0, -3) + '.ts', context.parentURL);
    if (existsSync(fileURLToPath(ts))) return next(ts.href, context);
  }
  return next(specifier, context);
}`)}`,
);
type Generate = typeof import('../../src/serve/test-support/generate.ts');
type Open = typeof import('../../src/store/open.ts');
const { generateStore } = (await import(pathToFileURL(join(ROOT, 'src', 'serve', 'test-support', 'generate.ts')).href)) as Generate;
if (!existsSync(join(DIST, 'store', 'open.js')) || !existsSync(join(DIST, 'bundle', 'main.js'))) {
  process.stderr.write('bench/serve: dist/ is missing; run `npm run build` first\n');
  process.exit(2);
}
const { openStore } = (await import(pathToFileURL(join(DIST, 'store', 'open.js')).href)) as Open;

// ---------------------------------------------------------------------------------------------
// The history

async function generate(url: string, label: string, concurrency: number): Promise<void> {
  const store = await openStore(url);
  const started = performance.now();
  let lastShown = 0;
  try {
    const result = await generateStore(store, {
      systems: SYSTEMS,
      days: DAYS,
      seed: 1,
      concurrency,
      onProgress: (done, total) => {
        const now = performance.now();
        if (now - lastShown > 5000 || done === total) {
          lastShown = now;
          process.stdout.write(`  ${label}: ${done}/${total} snapshots (${((now - started) / 1000).toFixed(0)} s)\n`);
        }
      },
    });
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(
      `  ${label}: generated ${result.snapshots} snapshots, ${result.findings.toLocaleString('en')} finding observations, ${result.metrics.toLocaleString('en')} metric points in ${seconds.toFixed(0)} s (${(result.snapshots / seconds).toFixed(0)} snapshots/s)\n`,
    );
  } finally {
    await store.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The service

interface Service {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

function startService(db: string): Promise<Service> {
  const child = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', '0', '--no-scheduler'], { cwd: WORK, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, PRODENG_TOKEN: '' } });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /listening on (\S+?)\/ /.exec(out);
      if (match) {
        resolve({
          url: match[1]!,
          child,
          stop: () =>
            new Promise<void>((done) => {
              child.on('close', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.on('close', (code) => reject(new Error(`prodeng serve exited with ${code}: ${out}`)));
  });
}

async function getJson(url: string): Promise<any> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

interface Endpoint {
  name: string;
  /** The path of the i-th request. */
  path: (i: number) => string;
  /** Reported, not held to the target (an export of every finding). */
  informational?: boolean;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Row {
  endpoint: string;
  first: number;
  p50: number;
  p95: number;
  max: number;
  bytes: number;
  informational: boolean;
}

async function measure(service: Service): Promise<Row[]> {
  const { systems } = await getJson(`${service.url}/api/v1/systems`);
  const names: string[] = systems.map((s: { name: string }) => s.name);
  const sys = (i: number) => encodeURIComponent(names[i % names.length]!);
  const snapshotIds: string[] = [];
  const fingerprints: Array<[string, string]> = [];
  for (let i = 0; i < Math.min(names.length, REQUESTS); i++) {
    const { snapshots } = await getJson(`${service.url}/api/v1/systems/${sys(i)}/snapshots?limit=50`);
    snapshotIds.push(snapshots[(i * 7) % snapshots.length].id);
    const { findings } = await getJson(`${service.url}/api/v1/findings?system=${sys(i)}&limit=20&status=all`);
    fingerprints.push([names[i % names.length]!, findings[(i * 3) % findings.length].fingerprint]);
  }
  const endpoints: Endpoint[] = [
    { name: 'GET /api/v1/systems/{name}/metrics (cold)', path: (i) => `/api/v1/systems/${sys(i)}/metrics`, informational: true },
    { name: 'GET /healthz', path: () => '/healthz' },
    { name: 'GET /api/v1/meta', path: () => '/api/v1/meta' },
    { name: 'GET /api/v1/overview', path: () => '/api/v1/overview' },
    { name: 'GET /api/v1/systems', path: () => '/api/v1/systems' },
    { name: 'GET /api/v1/systems/{name}', path: (i) => `/api/v1/systems/${sys(i)}` },
    { name: 'GET /api/v1/systems/{name}/snapshots', path: (i) => `/api/v1/systems/${sys(i)}/snapshots` },
    { name: 'GET /api/v1/snapshots/{id}', path: (i) => `/api/v1/snapshots/${snapshotIds[i % snapshotIds.length]}` },
    { name: 'GET /api/v1/findings (open, by priority)', path: (i) => `/api/v1/findings?offset=${(i % 10) * 50}` },
    { name: 'GET /api/v1/findings?severity=high&sort=age', path: () => '/api/v1/findings?severity=high&sort=age' },
    { name: 'GET /api/v1/findings?q=…&aspect=…', path: (i) => `/api/v1/findings?q=module-${i % 40}/&aspect=code-health` },
    { name: 'GET /api/v1/findings?system=…', path: (i) => `/api/v1/findings?system=${sys(i)}` },
    { name: 'GET /api/v1/findings?status=all', path: (i) => `/api/v1/findings?status=all&offset=${(i % 10) * 50}` },
    { name: 'GET /api/v1/systems/{name}/findings/{fp}', path: (i) => `/api/v1/systems/${encodeURIComponent(fingerprints[i % fingerprints.length]![0])}/findings/${fingerprints[i % fingerprints.length]![1]}` },
    { name: 'GET /api/v1/systems/{name}/metrics (warm)', path: (i) => `/api/v1/systems/${sys(i)}/metrics` },
    { name: 'GET /api/v1/systems/{name}/diff', path: (i) => `/api/v1/systems/${sys(i)}/diff` },
    { name: 'GET /api/v1/eol', path: () => '/api/v1/eol' },
    { name: 'GET /api/v1/systems/{name}/tls', path: (i) => `/api/v1/systems/${sys(i)}/tls` },
    { name: 'GET /api/v1/ignores', path: () => '/api/v1/ignores' },
    { name: 'GET /metrics', path: () => '/metrics' },
    { name: 'GET /api/v1/findings?format=csv (every open finding)', path: () => '/api/v1/findings?format=csv', informational: true },
  ];
  const rows: Row[] = [];
  for (const endpoint of endpoints) {
    // The cold series endpoint can be asked only once per system before the cache holds it.
    const count = endpoint.name.endsWith('(cold)') ? Math.min(REQUESTS, names.length) : REQUESTS;
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      const response = await fetch(`${service.url}${endpoint.path(i)}`);
      const body = await response.arrayBuffer();
      const elapsed = performance.now() - started;
      if (!response.ok) throw new Error(`${endpoint.path(i)}: ${response.status} ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
      times.push(elapsed);
      bytes = Math.max(bytes, body.byteLength);
    }
    const first = times[0]!;
    times.sort((a, b) => a - b);
    const row = { endpoint: endpoint.name, first, p50: percentile(times, 50), p95: percentile(times, 95), max: times.at(-1)!, bytes, informational: endpoint.informational === true };
    rows.push(row);
    process.stdout.write(
      `  ${row.endpoint.padEnd(56)} first ${row.first.toFixed(0).padStart(5)} ms  p50 ${row.p50.toFixed(1).padStart(6)} ms  p95 ${row.p95.toFixed(1).padStart(6)} ms  max ${row.max.toFixed(0).padStart(5)} ms  ${(row.bytes / 1024).toFixed(0).padStart(5)} KiB\n`,
    );
  }
  return rows;
}

function table(label: string, rows: readonly Row[]): string {
  const lines = [`| ${label} | first ms | p50 ms | p95 ms | max ms | body KiB |`, '| --- | ---: | ---: | ---: | ---: | ---: |'];
  for (const row of rows) lines.push(`| \`${row.endpoint}\` | ${row.first.toFixed(0)} | ${row.p50.toFixed(1)} | ${row.p95.toFixed(1)} | ${row.max.toFixed(0)} | ${(row.bytes / 1024).toFixed(0)} |`);
  return lines.join('\n');
}

const CHROMIUM = process.env['PRODENG_CHROMIUM'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TARGET_OVERVIEW_MS = 1000;

/**
 * The overview in headless Chromium (Debian's; playwright-core never downloads one): from
 * navigation to the last of the systems' rows rendered, i.e. usable. A first visit of another
 * page warms the browser; each measured visit asks the server again (the page does not cache the
 * API's answer). Five visits; the median and the worst are reported.
 */
async function overviewInBrowser(service: Service): Promise<{ median: number; max: number; backlog: number } | null> {
  if (!existsSync(CHROMIUM)) {
    process.stdout.write(`  overview in Chromium: not measured, no Chromium at ${CHROMIUM} (apt-get install chromium)\n`);
    return null;
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    await page.goto(`${service.url}/eol`);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await page.goto(`${service.url}/`);
      await page.locator('table.matrix tbody tr').nth(SYSTEMS - 1).waitFor();
      times.push(performance.now() - started);
    }
    const started = performance.now();
    await page.getByRole('link', { name: 'Backlog' }).click();
    await page.locator('table.findings tbody tr').nth(49).waitFor();
    const backlog = performance.now() - started;
    times.sort((a, b) => a - b);
    const result = { median: percentile(times, 50), max: times.at(-1)!, backlog };
    process.stdout.write(`  overview in Chromium (${SYSTEMS} rows): median ${result.median.toFixed(0)} ms, worst ${result.max.toFixed(0)} ms; backlog page ${backlog.toFixed(0)} ms\n`);
    return result;
  } finally {
    await browser.close();
  }
}

async function bench(label: string, db: string): Promise<boolean> {
  process.stdout.write(`\n${label}: serving ${SYSTEMS} systems × ${DAYS} days\n`);
  const service = await startService(db);
  try {
    const rows = await measure(service);
    const browser = await overviewInBrowser(service);
    if (browser !== null && browser.median >= TARGET_OVERVIEW_MS) {
      process.stdout.write(`${label}: the overview took ${browser.median.toFixed(0)} ms to be usable (target: under ${TARGET_OVERVIEW_MS} ms)\n`);
      return false;
    }
    const over = rows.filter((row) => !row.informational && row.p95 >= TARGET_P95_MS);
    process.stdout.write(`\nMarkdown (docs/benchmarks.md):\n\n${table(label, rows)}\n\n`);
    if (over.length > 0) {
      process.stdout.write(`${label}: p95 at or over ${TARGET_P95_MS} ms: ${over.map((row) => row.endpoint).join(', ')}\n`);
      return false;
    }
    process.stdout.write(`${label}: every endpoint's p95 is under ${TARGET_P95_MS} ms\n`);
    return true;
  } finally {
    await service.stop();
  }
}

process.stdout.write(`bench/serve: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}\n`);
mkdirSync(WORK, { recursive: true });
let ok = true;

const sqlite = join(WORK, `sqlite-${SYSTEMS}x${DAYS}.db`);
if (values.regenerate) for (const suffix of ['', '-wal', '-shm']) rmSync(`${sqlite}${suffix}`, { force: true });
if (!existsSync(sqlite)) {
  process.stdout.write(`generating ${sqlite}\n`);
  await generate(sqlite, 'SQLite', 1);
} else {
  process.stdout.write(`reusing ${sqlite} (--regenerate to make it again)\n`);
}
ok = (await bench('SQLite', sqlite)) && ok;

async function sql(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

if (values['filled-postgres'] !== undefined) {
  ok = (await bench('PostgreSQL', values['filled-postgres'])) && ok;
} else if (POSTGRES !== undefined) {
  const name = `prodeng_bench_serve_${process.pid}`;
  await sql(POSTGRES, `CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES);
  url.pathname = `/${name}`;
  try {
    process.stdout.write(`generating PostgreSQL database ${name}\n`);
    await generate(url.toString(), 'PostgreSQL', 4);
    await sql(url.toString(), 'VACUUM ANALYZE');
    ok = (await bench('PostgreSQL', url.toString())) && ok;
  } finally {
    if (values.keep) process.stdout.write(`kept ${url.toString()}: serve it again with --filled-postgres ${url.toString()}\n`);
    else await sql(POSTGRES, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}
process.exitCode = ok ? 0 : 1;
