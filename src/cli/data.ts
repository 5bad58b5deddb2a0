import { DEFAULT_EOL_BASE_URL, EolUpdateError, updateEolData } from '../eol/update.js';
import { loadEolData } from '../eol/data.js';
import { defineCommand, positiveInt, UsageError, type CommandSpec, type OptionsSpec } from './args.js';
import { cacheDirectory, databaseUrl } from './context.js';

export const dataSpec = {
  name: 'data',
  summary: 'Show or refresh the reference data prodeng judges with (end-of-life dates from endoflife.date).',
  usage: 'prodeng data status|update [options]',
  details: `status   which end-of-life data is in use, its date and where it comes from
update   download the current data from the endoflife.date API (v1) into the cache next to the
         database; observations use it from then on. Needs network access; nothing changes when
         the download fails.

The data shipped with prodeng is used when the cache is missing or older. Data older than 90 days
is itself reported (versions/eol-data-outdated).`,
  options: {
    db: { type: 'string', value: 'URL', description: 'Database whose cache directory holds the data (default $PRODENG_DB or .prodeng/prodeng.db).' },
    url: { type: 'string', value: 'URL', description: `endoflife.date base URL or mirror (default ${DEFAULT_EOL_BASE_URL}).` },
    timeout: { type: 'string', value: 'SECONDS', description: 'Time limit of the download (default 60).' },
  },
  positionals: { max: 1, hint: 'use `prodeng data status` or `prodeng data update`' },
} as const satisfies CommandSpec<OptionsSpec>;

export const dataCommand = defineCommand(dataSpec, async ({ options, positionals }, io) => {
  const action = positionals[0] ?? 'status';
  const cacheDir = cacheDirectory(databaseUrl(options.db, io), io);
  if (action === 'status') {
    const data = loadEolData({ cacheDir });
    const ageDays = Math.floor((Date.now() - Date.parse(`${data.asOf}T00:00:00Z`)) / 86_400_000);
    io.stdout.write(
      `end-of-life data: endoflife.date as of ${data.asOf} (${ageDays} days old), ${Object.keys(data.products).length} products\n` +
        `  from: ${data.origin === 'cache' ? `cache ${data.path}` : `shipped with prodeng (${data.path})`}\n` +
        (ageDays > 90 ? '  older than 90 days: run `prodeng data update` where the network is reachable\n' : ''),
    );
    for (const warning of data.warnings) io.stderr.write(`prodeng: ${warning}\n`);
    return 0;
  }
  if (action !== 'update') throw new UsageError(`unknown data action "${action}"; use status or update`);
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
