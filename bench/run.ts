/**
 * `npm run bench`: every benchmark under bench/ (each folder with a bench.ts), one after the other,
 * so that no two compete for the machine's cores. A bench that fails does not stop the others; the
 * run ends with a summary and exits 1 if any failed.
 *
 *   npm run build && npm run bench                 # all of them, in alphabetical order
 *   npm run bench -- changepoints junit            # only these
 *   PRODENG_BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432/test npm run bench -- junit
 *
 * With PRODENG_BENCH_POSTGRES (any database on the server: it is only used to connect), the junit
 * bench also ingests into PostgreSQL, in a scratch database created for the run and dropped after
 * it — that bench wants an empty database. Without it, junit measures SQLite only.
 *
 * Some benches need more than Node.js: todo installs a pinned set of npm packages once (a few
 * minutes) and compares with ripgrep (`apt-get install ripgrep`) and leasot; tls needs openssl,
 * nginx, sslscan and testssl.sh (`apt-get install openssl nginx-light sslscan testssl.sh`) and runs
 * testssl.sh for several minutes. The whole run takes about 15 minutes on two cores.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const ROOT = join(import.meta.dirname, '..');
const BENCH = import.meta.dirname;

/** Arguments each bench runs with here: the ones docs/benchmarks.md reports. */
const ARGS: Record<string, string[]> = {
  todo: ['--runs', '7'],
  versions: ['--runs', '5'],
};

const all = readdirSync(BENCH, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && existsSync(join(BENCH, entry.name, 'bench.ts')))
  .map((entry) => entry.name)
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  process.stderr.write(`bench: no bench named ${unknown.join(', ')}; there are: ${all.join(', ')}\n`);
  process.exit(2);
}
// Every bench reads the compiled code in dist/; a stale or missing build would measure the wrong thing or nothing.
if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
  process.stderr.write('bench: dist/ is missing; run `npm run build` first\n');
  process.exit(2);
}

/** A scratch database on the PRODENG_BENCH_POSTGRES server, and how to drop it. */
async function scratchDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `prodeng_bench_${process.pid}_${Date.now()}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000 });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

const results: Array<{ name: string; status: number | null; seconds: number }> = [];
for (const name of wanted.length > 0 ? all.filter((n) => wanted.includes(n)) : all) {
  const args = [...(ARGS[name] ?? [])];
  let scratch: Awaited<ReturnType<typeof scratchDatabase>> | undefined;
  const server = process.env['PRODENG_BENCH_POSTGRES'];
  if (name === 'junit' && server) {
    try {
      scratch = await scratchDatabase(server);
      args.push('--postgres', scratch.url);
    } catch (error) {
      process.stderr.write(`bench: PRODENG_BENCH_POSTGRES: cannot create a scratch database (${(error as Error).message}); junit runs on SQLite only\n`);
    }
  }
  process.stdout.write(`\n=== bench/${name} ${args.join(' ')}\n`);
  const started = performance.now();
  const run = spawnSync(process.execPath, [join(BENCH, name, 'bench.ts'), ...args], { cwd: ROOT, stdio: 'inherit' });
  results.push({ name, status: run.status, seconds: (performance.now() - started) / 1000 });
  await scratch?.drop().catch((error: unknown) => process.stderr.write(`bench: could not drop the scratch database: ${(error as Error).message}\n`));
}

process.stdout.write('\n=== summary\n');
for (const r of results) process.stdout.write(`${r.name.padEnd(14)}${r.status === 0 ? 'ok    ' : `FAILED (exit ${r.status ?? 'signal'})`}  ${r.seconds.toFixed(0)} s\n`);
process.exitCode = results.every((r) => r.status === 0) ? 0 : 1;
