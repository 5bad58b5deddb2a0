/**
 * The todo probe's speed on a large real tree, against ripgrep and leasot on the same files.
 *
 *   node bench/todo/bench.ts [--runs N] [--skip-leasot]
 *
 * Measures, on the tree from prepare.ts (about 58,000 files, committed to a scratch repository):
 * - rg:       `rg -c 'TODO|FIXME|HACK|XXX|BUG' --hidden --no-ignore -g '!.git' .` (the reference)
 * - prodeng:  `prodeng observe` with only the todo probe, blame off, default excludes off and no
 *             size limit, so it reads the same files rg reads; end to end: process start, git
 *             listing, scan, storing the snapshot, writing the JSON report. Twice: with the scan
 *             cache off (every file read, as on a first observation) and on (a repeated
 *             observation of an unchanged tree: files git records as unchanged are not read)
 * - leasot:   `leasot --reporter json` over every file of a type leasot knows (once; slow)
 * Wall time is the median of N rounds after one warm-up round (page cache warm for everyone), rg
 * and both prodeng runs taking turns in each round; peak memory is the maximum resident set size
 * reported by GNU time.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareTree, WORK } from './prepare.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const LEASOT_VERSION = '14.4.0';
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, 'skip-leasot': { type: 'boolean' } } });
const runs = Number(values.runs);

interface Measure {
  seconds: number[];
  maxRssMb: number;
}

/** One run under GNU time: wall seconds and peak RSS in KiB. */
function timed(command: string, args: string[], cwd: string): { wall: number; rss: number } {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  const [wall, rss] = result.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wall: wall!, rss: rss! };
}

/** Runs a command N times after one warm-up; returns wall seconds and peak RSS. */
function measure(command: string, args: string[], cwd: string, times: number): Measure {
  const seconds: number[] = [];
  let maxRss = 0;
  for (let i = 0; i < times + 1; i++) {
    const { wall, rss } = timed(command, args, cwd);
    if (i === 0) continue; // warm-up
    seconds.push(wall);
    maxRss = Math.max(maxRss, rss);
  }
  return { seconds, maxRssMb: Math.round(maxRss / 1024) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const tree = prepareTree();
const fileCount = execFileSync('git', ['ls-files'], { cwd: tree, maxBuffer: 1 << 28 }).toString().split('\n').length - 1;
const configFor = (cache: boolean) => {
  const file = join(WORK, `prodeng-bench-${cache ? 'cached' : 'cold'}.yml`);
  writeFileSync(
    file,
    `systems:\n  - name: tree\n    repo: ${tree}\nprobes:\n  todo:\n    blame: false\n    defaultExcludes: false\n    maxFileSize: 1000000000\n    cache: ${cache}\n`,
  );
  return file;
};
const db = join(WORK, 'bench.db');
// Git trusts its stat record of a file only once the index was written in a later second (the
// racy-git rule), and so does the cache: refresh the index as a user's `git status` does.
execFileSync('git', ['update-index', '-q', '--refresh'], { cwd: tree });

// The three are run in turn, round after round (after one warm-up round), so that a machine that
// gets slower or faster during the bench (a shared VM does) weighs on all of them alike.
rmSync(db, { force: true });
rmSync(join(WORK, 'cache'), { recursive: true, force: true });
const reportFile = join(WORK, 'report.json');
interface Series extends Measure {
  scanMs: number[];
  fromCache: number;
}
const series = (): Series => ({ seconds: [], maxRssMb: 0, scanMs: [], fromCache: 0 });
const rg = series();
const prodeng = series();
const cached = series();
const rgArgs = ['-c', 'TODO|FIXME|HACK|XXX|BUG', '--hidden', '--no-ignore', '-g', '!.git', '.'];
const observeArgs = (cache: boolean) => [
  join(ROOT, 'bin', 'prodeng.js'), 'observe', '--config', configFor(cache), '--db', db, '--probe', 'todo', '--format', 'json', '-q', '-o', reportFile,
];
function record(into: Series, run: { wall: number; rss: number }, report?: string): void {
  into.seconds.push(run.wall);
  into.maxRssMb = Math.max(into.maxRssMb, Math.round(run.rss / 1024));
  if (report === undefined) return;
  // The probe's own duration: the scan alone, without process start, storing and reporting.
  const parsed = JSON.parse(readFileSync(report, 'utf8')) as {
    snapshots: Array<{ probes: Array<{ id: string; durationMs: number; facts: { filesFromCache: number } }> }>;
  };
  const todo = parsed.snapshots[0]!.probes.find((probe) => probe.id === 'todo')!;
  into.scanMs.push(todo.durationMs);
  into.fromCache = todo.facts.filesFromCache;
}
for (let round = 0; round <= runs; round++) {
  const a = timed('rg', rgArgs, tree);
  const b = timed(process.execPath, observeArgs(false), WORK);
  const bReport = readFileSync(reportFile, 'utf8');
  const c = timed(process.execPath, observeArgs(true), WORK);
  if (round === 0) continue; // warm-up: page cache, compile cache, and the scan cache filled
  record(rg, a);
  writeFileSync(`${reportFile}.cold`, bReport);
  record(prodeng, b, `${reportFile}.cold`);
  record(cached, c, reportFile);
}
const scanMs = prodeng.scanMs;

let leasot: Measure | undefined;
if (!values['skip-leasot']) {
  const leasotDir = join(WORK, 'leasot');
  if (!existsSync(join(leasotDir, 'node_modules', 'leasot', 'dist', 'cli', 'leasot.js'))) {
    mkdirSync(leasotDir, { recursive: true });
    writeFileSync(join(leasotDir, 'package.json'), '{"name":"leasot-bench","private":true}');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', `leasot@${LEASOT_VERSION}`], { cwd: leasotDir, stdio: 'ignore' });
  }
  // leasot takes globs and skips file types it does not know; give it everything under pkgs/ and
  // the same five tags (it finds TODO and FIXME by default). One run: it is the slow one.
  leasot = measure(
    process.execPath,
    [join(leasotDir, 'node_modules', 'leasot', 'dist', 'cli', 'leasot.js'), '--reporter', 'json', '--exit-nicely', '--skip-unsupported', '--tags', 'HACK,XXX,BUG', 'pkgs/**'],
    tree,
    1,
  );
}

const results = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`,
  files: fileCount,
  rg: { medianSeconds: median(rg.seconds), runs: rg.seconds, maxRssMb: rg.maxRssMb },
  prodeng: { medianSeconds: median(prodeng.seconds), runs: prodeng.seconds, maxRssMb: prodeng.maxRssMb },
  prodengScan: { medianSeconds: median(scanMs) / 1000, runs: scanMs.map((ms) => ms / 1000) },
  prodengCached: { medianSeconds: median(cached.seconds), runs: cached.seconds, maxRssMb: cached.maxRssMb, filesFromCache: cached.fromCache },
  prodengCachedScan: { medianSeconds: median(cached.scanMs) / 1000, runs: cached.scanMs.map((ms) => ms / 1000) },
  ...(leasot ? { leasot: { seconds: leasot.seconds[0], maxRssMb: leasot.maxRssMb } } : {}),
  ratioToRg: Math.round((median(prodeng.seconds) / median(rg.seconds)) * 100) / 100,
  scanRatioToRg: Math.round((median(scanMs) / 1000 / median(rg.seconds)) * 100) / 100,
  ...(leasot
    ? {
        speedupOverLeasot: Math.round((leasot.seconds[0]! / median(prodeng.seconds)) * 10) / 10,
        scanSpeedupOverLeasot: Math.round((leasot.seconds[0]! / (median(scanMs) / 1000)) * 10) / 10,
        cachedSpeedupOverLeasot: Math.round((leasot.seconds[0]! / median(cached.seconds)) * 10) / 10,
        cachedScanSpeedupOverLeasot: Math.round((leasot.seconds[0]! / (median(cached.scanMs) / 1000)) * 10) / 10,
      }
    : {}),
};
writeFileSync(join(WORK, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
