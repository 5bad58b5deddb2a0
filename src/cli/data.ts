import { DEFAULT_EOL_BASE_URL, EolUpdateError, updateEolData } from '../eol/update.js';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadEolData } from '../eol/data.js';
import { AdvisoryDatabase, defaultDatabasePath, importOsv } from '../osv/index.js';
import { defineCommand, positiveInt, UsageError, type CommandSpec, type OptionsSpec } from './args.js';
import { cacheDirectory, databaseUrl, type Io } from './context.js';

export const dataSpec = {
  name: 'data',
  summary: 'Show or refresh the reference data prodeng judges with (end-of-life dates from endoflife.date).',
  usage: 'prodeng data status|update|import-osv [PATH...] [options]',
  details: `status   which end-of-life data is in use, its date and where it comes from
update   download the current data from the endoflife.date API (v1) into the cache next to the
         database; observations use it from then on. Needs network access; nothing changes when
         the download fails.
import-osv PATH...
         load OSV advisories into the local advisory database the vulns probe uses (offline, or
         besides the OSV API): OSV all.zip files (one per ecosystem, from
         https://osv-vulnerabilities.storage.googleapis.com/<Ecosystem>/all.zip), directories of
         OSV .json files, or single files. Streams; broken entries are reported and skipped.

The data shipped with prodeng is used when the cache is missing or older. Data older than 90 days
is itself reported (versions/eol-data-outdated).`,
  options: {
    db: { type: 'string', value: 'URL', description: 'Database whose cache directory holds the data (default $PRODENG_DB or .prodeng/prodeng.db).' },
    url: { type: 'string', value: 'URL', description: `endoflife.date base URL or mirror (default ${DEFAULT_EOL_BASE_URL}).` },
    timeout: { type: 'string', value: 'SECONDS', description: 'Time limit of the download (default 60).' },
  },
  positionals: { max: 1000, hint: 'use `prodeng data status`, `update` or `import-osv PATH...`' },
} as const satisfies CommandSpec<OptionsSpec>;

async function importAdvisories(paths: readonly string[], cacheDir: string, io: Io): Promise<number> {
  if (paths.length === 0) throw new UsageError('data import-osv needs at least one PATH (an OSV all.zip, a directory or a .json file)');
  for (const path of paths) if (!existsSync(resolve(io.cwd, path))) throw new UsageError(`${path}: no such file or directory`);
  const dbPath = defaultDatabasePath(cacheDir);
  mkdirSync(cacheDir, { recursive: true });
  const progress = io.stderr.isTTY === true;
  let failed = 0;
  for (const path of paths) {
    const result = await importOsv(resolve(io.cwd, path), {
      dbPath,
      onProgress: progress ? (p) => io.stderr.write(`\r\x1b[2K${path}: ${p.imported + p.updated + p.skipped} records`) : undefined,
    });
    if (progress) io.stderr.write('\r\x1b[2K');
    io.stdout.write(`${path}: ${result.imported} imported, ${result.updated} updated, ${result.skipped} unchanged or skipped, ${result.errors.length} errors\n`);
    for (const error of result.errors.slice(0, 20)) io.stderr.write(`  ${error.entry}: ${error.message}\n`);
    if (result.errors.length > 20) io.stderr.write(`  … and ${result.errors.length - 20} more\n`);
    if (result.imported + result.updated + result.skipped === 0 && result.errors.length > 0) failed++;
  }
  io.stdout.write(`advisory database: ${dbPath}\n`);
  return failed === paths.length ? 2 : 0;
}

export const dataCommand = defineCommand(dataSpec, async ({ options, positionals }, io) => {
  const action = positionals[0] ?? 'status';
  const cacheDir = cacheDirectory(databaseUrl(options.db, io), io);
  if (action === 'status') {
    if (positionals.length > 1) throw new UsageError('data status takes no paths');
    const data = loadEolData({ cacheDir });
    const ageDays = Math.floor((Date.now() - Date.parse(`${data.asOf}T00:00:00Z`)) / 86_400_000);
    io.stdout.write(
      `end-of-life data: endoflife.date as of ${data.asOf} (${ageDays} days old), ${Object.keys(data.products).length} products\n` +
        `  from: ${data.origin === 'cache' ? `cache ${data.path}` : `shipped with prodeng (${data.path})`}\n` +
        (ageDays > 90 ? '  older than 90 days: run `prodeng data update` where the network is reachable\n' : ''),
    );
    for (const warning of data.warnings) io.stderr.write(`prodeng: ${warning}\n`);
    const osvPath = defaultDatabasePath(cacheDir);
    if (existsSync(osvPath)) {
      const db = AdvisoryDatabase.open(osvPath);
      try {
        const stats = db.stats();
        const ecosystems = Object.entries(stats.byEcosystem).map(([name, n]) => `${name} ${n}`).join(', ');
        io.stdout.write(`advisories: ${stats.advisories} in ${osvPath}${stats.lastImport ? `, last import ${stats.lastImport.slice(0, 10)}` : ''}${ecosystems ? `\n  ${ecosystems}` : ''}\n`);
      } finally {
        db.close();
      }
    } else {
      io.stdout.write('advisories: no local database (the vulns probe asks the OSV API; `prodeng data import-osv` loads one for offline use)\n');
    }
    return 0;
  }
  if (action === 'import-osv') return importAdvisories(positionals.slice(1), cacheDir, io);
  if (positionals.length > 1) throw new UsageError(`data ${action} takes no paths`);
  if (action !== 'update') throw new UsageError(`unknown data action "${action}"; use status, update or import-osv`);
  const timeoutMs = positiveInt('timeout', options.timeout, 60) * 1000;
  try {
    const result = await updateEolData({ cacheDir, timeoutMs, ...(options.url ? { baseUrl: options.url } : {}) });
    io.stdout.write(`end-of-life data updated: ${result.products} products, ${result.cycles} cycles, as of ${result.asOf}\n  saved to ${result.path}\n`);
    return 0;
  } catch (error) {
    if (error instanceof EolUpdateError) {
      io.stderr.write(`prodeng: could not update the end-of-life data: ${error.message}\nThe data in use is unchanged (\`prodeng data status\` shows it).\n`);
      return 5;
    }
    throw error;
  }
});
