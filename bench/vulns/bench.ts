/**
 * Vulnerability matching at scale: a synthetic but realistic OSV all.zip (200,000 advisories
 * across ~50,000 npm packages, GitHub-shaped records with CVSS vectors, several ranges, references,
 * some `versions` lists, withdrawn ones), streamed into the SQLite advisory database, then 10,000
 * packages matched against it offline. Each phase runs in its own process so that its peak RSS
 * (`process.resourceUsage().maxRSS`) is its own.
 *
 *   npx tsc -p tsconfig.build.json && node bench/vulns/bench.ts [--advisories 200000] [--packages 50000] [--queries 10000] [--regenerate]
 *
 * The zip is kept in bench/.work/vulns and reused while the parameters are the same.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeZipFile, type ZipEntryInput } from '../../src/osv/test-support/zip-writer.ts';

type Osv = typeof import('../../src/osv/index.js');

const ROOT = join(import.meta.dirname, '..', '..');
const WORK = join(ROOT, 'bench', '.work', 'vulns');
const ZIP = join(WORK, 'all.zip');
const DB = join(WORK, 'osv.db');

const { values } = parseArgs({
  options: {
    phase: { type: 'string' },
    advisories: { type: 'string', default: '200000' },
    packages: { type: 'string', default: '50000' },
    queries: { type: 'string', default: '10000' },
    regenerate: { type: 'boolean', default: false },
  },
});
const ADVISORIES = Number(values.advisories);
const PACKAGES = Number(values.packages);
const QUERIES = Number(values.queries);

/** A deterministic pseudo-random generator (mulberry32). */
function random(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

const GHSA = '23456789cfghjmpqrvwx';
function ghsa(rnd: (n: number) => number): string {
  const part = (): string => Array.from({ length: 4 }, () => GHSA[rnd(GHSA.length)]).join('');
  return `GHSA-${part()}-${part()}-${part()}`;
}

const WORDS = ['prototype', 'pollution', 'regular', 'expression', 'denial', 'of', 'service', 'injection', 'traversal', 'the', 'parser', 'allows', 'attackers', 'to', 'crafted', 'input', 'memory', 'exhaustion', 'via', 'request', 'header', 'path'];
function sentence(rnd: (n: number) => number, words: number): string {
  return Array.from({ length: words }, () => WORDS[rnd(WORDS.length)]).join(' ');
}

function packageName(i: number): string {
  return i % 5 === 0 ? `@scope${i % 97}/pkg-${i}` : `pkg-${i}`;
}

const VECTORS = [
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
  'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N',
  'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N',
  'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
];
const WORD_SEVERITY = ['LOW', 'MODERATE', 'HIGH', 'CRITICAL'];

/** One GitHub-shaped OSV record for package `pkg`. */
function advisory(rnd: (n: number) => number, index: number, pkg: number): { id: string; data: string } {
  const id = ghsa(rnd);
  const year = 2015 + rnd(10);
  const cve = `CVE-${year}-${10000 + index}`;
  const major = rnd(6);
  const ranges = [];
  const lines = 1 + rnd(3);
  for (let l = 0; l < lines; l++) {
    const m = major + l;
    const minor = rnd(20);
    ranges.push({
      type: 'ECOSYSTEM',
      events: [{ introduced: l === 0 && rnd(2) === 0 ? '0' : `${m}.${minor}.0` }, rnd(10) === 0 ? { last_affected: `${m}.${minor}.${rnd(10)}` } : { fixed: `${m}.${minor + rnd(5)}.${1 + rnd(20)}` }],
    });
  }
  const affected: Array<Record<string, unknown>> = [
    {
      package: { ecosystem: 'npm', name: packageName(pkg), purl: `pkg:npm/${packageName(pkg)}` },
      ranges,
      ...(rnd(8) === 0 ? { versions: [`${major}.0.0`, `${major}.0.1`, `${major}.1.0`] } : {}),
      database_specific: { source: `https://github.com/github/advisory-database/blob/main/advisories/github-reviewed/${year}/${id}/${id}.json` },
    },
  ];
  if (rnd(20) === 0) affected.push({ package: { ecosystem: 'npm', name: packageName((pkg + 1) % PACKAGES) }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] });
  const vector = VECTORS[rnd(VECTORS.length)] as string;
  const record = {
    schema_version: '1.4.0',
    id,
    modified: `${year + 1}-0${1 + rnd(9)}-1${rnd(10)}T12:00:00Z`,
    published: `${year}-0${1 + rnd(9)}-1${rnd(10)}T12:00:00Z`,
    ...(rnd(100) === 0 ? { withdrawn: `${year + 1}-01-01T00:00:00Z` } : {}),
    aliases: [cve],
    summary: sentence(rnd, 8),
    details: `${sentence(rnd, 60)}\n\n### Impact\n${sentence(rnd, 40)}\n\n### Patches\n${sentence(rnd, 20)}`,
    severity: rnd(4) === 0 ? [] : [{ type: vector.startsWith('CVSS:4') ? 'CVSS_V4' : 'CVSS_V3', score: vector }],
    affected,
    references: [
      { type: 'ADVISORY', url: `https://nvd.nist.gov/vuln/detail/${cve}` },
      { type: 'WEB', url: `https://github.com/org${pkg}/${packageName(pkg)}/commit/${index.toString(16).padStart(40, '0')}` },
      { type: 'PACKAGE', url: `https://github.com/org${pkg}/${packageName(pkg)}` },
    ],
    database_specific: { cwe_ids: [`CWE-${rnd(1000)}`], severity: WORD_SEVERITY[rnd(4)], github_reviewed: true, github_reviewed_at: `${year}-05-06T15:56:43Z`, nvd_published_at: null },
  };
  return { id, data: JSON.stringify(record, null, 2) };
}

function* entries(): Generator<ZipEntryInput> {
  const rnd = random(7);
  for (let i = 0; i < ADVISORIES; i++) {
    // a skewed distribution: some packages have many advisories, most a few
    const pkg = rnd(4) === 0 ? rnd(Math.ceil(PACKAGES / 20)) : rnd(PACKAGES);
    const { id, data } = advisory(rnd, i, pkg);
    yield { name: `${id}.json`, data };
  }
}

function mib(kib: number): string {
  return `${(kib / 1024).toFixed(0)} MB`;
}

async function importPhase(): Promise<void> {
  const osv = (await import(join(ROOT, 'dist', 'osv', 'index.js'))) as Osv;
  rmSync(DB, { force: true });
  rmSync(`${DB}-wal`, { force: true });
  rmSync(`${DB}-shm`, { force: true });
  const t0 = performance.now();
  const result = await osv.importOsv(ZIP, { dbPath: DB });
  const ms = performance.now() - t0;
  const db = osv.AdvisoryDatabase.open(DB);
  const stats = db.stats();
  db.close();
  console.log(
    JSON.stringify({
      phase: 'import',
      ms,
      maxRssKiB: process.resourceUsage().maxRSS,
      imported: result.imported,
      updated: result.updated,
      skipped: result.skipped,
      errors: result.errors.length,
      advisories: stats.advisories,
      packages: stats.packages,
      dbBytes: statSync(DB).size,
    }),
  );
}

async function matchPhase(): Promise<void> {
  const osv = (await import(join(ROOT, 'dist', 'osv', 'index.js'))) as Osv;
  const rnd = random(99);
  const components = Array.from({ length: QUERIES }, (_, i) => ({
    kind: 'library' as const,
    // 80% known packages (some of them popular), 20% never advised
    name: i % 5 === 4 ? `unknown-${i}` : packageName(rnd(3) === 0 ? rnd(Math.ceil(PACKAGES / 20)) : rnd(PACKAGES)),
    version: `${rnd(8)}.${rnd(25)}.${rnd(25)}`,
    ecosystem: 'npm' as const,
    direct: true,
    dev: false,
    source: { path: 'package-lock.json' },
  }));
  const runs: number[] = [];
  let found = 0;
  let affected = 0;
  for (let run = 0; run < 3; run++) {
    const db = osv.AdvisoryDatabase.open(DB);
    const t0 = performance.now();
    const result = await osv.findVulnerabilities(components, [osv.localSource(db)]);
    runs.push(performance.now() - t0);
    db.close();
    found = result.packages.reduce((n, p) => n + p.vulnerabilities.length, 0);
    affected = result.packages.filter((p) => p.vulnerabilities.length > 0).length;
    if (result.errors.length > 0) throw new Error(result.errors[0]?.message);
  }
  console.log(JSON.stringify({ phase: 'match', runsMs: runs, maxRssKiB: process.resourceUsage().maxRSS, packages: QUERIES, affectedPackages: affected, vulnerabilities: found }));
}

function run(phase: string): Record<string, unknown> {
  const out = execFileSync(process.execPath, [import.meta.filename, '--phase', phase, '--advisories', String(ADVISORIES), '--packages', String(PACKAGES), '--queries', String(QUERIES)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
}

if (values.phase === 'generate') {
  mkdirSync(WORK, { recursive: true });
  const t0 = performance.now();
  const written = writeZipFile(ZIP, entries());
  console.log(JSON.stringify({ phase: 'generate', ms: performance.now() - t0, ...written }));
} else if (values.phase === 'import') {
  await importPhase();
} else if (values.phase === 'match') {
  await matchPhase();
} else {
  // every phase in its own process: on Linux a child's maxRSS starts from its parent's size at fork
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}`);
  const marker = `${ZIP}.json`;
  const params = JSON.stringify({ ADVISORIES, PACKAGES, version: 1 });
  if (values.regenerate || !existsSync(ZIP) || !existsSync(marker) || readFileSync(marker, 'utf8') !== params) {
    const generated = run('generate');
    writeFileSync(marker, params);
    console.log(`generated ${ZIP}: ${String(generated.entries)} advisories, ${((generated.bytes as number) / 2 ** 20).toFixed(0)} MB, ${((generated.ms as number) / 1000).toFixed(1)} s`);
  } else {
    console.log(`reusing ${ZIP} (${(statSync(ZIP).size / 2 ** 20).toFixed(0)} MB; --regenerate to write it again)`);
  }
  const imported = run('import');
  console.log(
    `import: ${((imported.ms as number) / 1000).toFixed(1)} s, peak RSS ${mib(imported.maxRssKiB as number)} — ${String(imported.imported)} imported, ${String(imported.updated)} updated, ${String(imported.skipped)} skipped, ${String(imported.errors)} errors; ${String(imported.packages)} packages indexed; database ${((imported.dbBytes as number) / 2 ** 20).toFixed(0)} MB`,
  );
  const matched = run('match');
  const times = (matched.runsMs as number[]).map((ms) => `${(ms / 1000).toFixed(2)} s`).join(', ');
  console.log(
    `match: ${String(matched.packages)} packages against ${String(imported.advisories)} advisories in ${times} (3 runs, fresh connection each), peak RSS ${mib(matched.maxRssKiB as number)} — ${String(matched.affectedPackages)} affected packages, ${String(matched.vulnerabilities)} vulnerabilities`,
  );
}
