import { SEVERITIES, type Severity } from '../core/model.js';
import { buildReport, latestSnapshotIds } from '../core/report-builder.js';
import { reporters } from '../report/index.js';
import { defineCommand, choice, positiveInt, type CommandSpec, type OptionsSpec } from './args.js';
import { FORMATS, openDatabase, ruleCatalogue, toolVersion, useColor, writeOutput } from './context.js';
import { exceedsThreshold } from './fail-on.js';
import { knownSystem } from './systems.js';

export const reportSpec = {
  name: 'report',
  summary: 'Print the latest snapshot of every system (or of the named ones) and the ranked backlog, from the store alone.',
  usage: 'prodeng report [--system NAME] [--snapshot ID] [options]',
  details: `The backlog is every open finding of the system, highest priority first (docs/priority.md),
plus what its latest snapshot resolved. --snapshot shows one earlier snapshot as it was.

Exit codes: 0 ok · 1 --fail-on threshold met · 2 usage error · 3 database error · 4 output error.`,
  options: {
    system: { type: 'string', multiple: true, value: 'NAME', description: 'Only this system.' },
    snapshot: { type: 'string', value: 'ID', description: 'One snapshot: an id, a unique prefix, or ~N (N back from the latest).' },
    db: { type: 'string', value: 'URL', description: 'Database (default $PRODENG_DB or .prodeng/prodeng.db).' },
    format: { type: 'string', value: 'FORMAT', description: `Report format: ${FORMATS.join(', ')} (default table).` },
    output: { type: 'string', short: 'o', value: 'FILE', description: 'Write the report to FILE instead of stdout.' },
    'fail-on': { type: 'string', value: 'SEVERITY', description: 'Exit 1 when an open finding at or above critical|high|medium|low exists.' },
    limit: { type: 'string', value: 'N', description: 'Rows in table and markdown output (default 30).' },
  },
  positionals: { max: 0, hint: 'use --system NAME' },
} as const satisfies CommandSpec<OptionsSpec>;

export const reportCommand = defineCommand(reportSpec, async ({ options }, io) => {
  const format = choice('format', options.format, FORMATS, 'table');
  const failOn = options['fail-on'] === undefined ? undefined : choice('fail-on', options['fail-on'], SEVERITIES.filter((s) => s !== 'info'), 'high');
  const limit = positiveInt('limit', options.limit, 30);
  const store = await openDatabase(options.db, io, { create: false });
  try {
    const systems = options.system ? await Promise.all(options.system.map((name) => knownSystem(store, name))) : undefined;
    let ids: string[];
    if (options.snapshot !== undefined) {
      ids = [await store.resolveSnapshotRef(systems?.[0], options.snapshot)];
    } else {
      ids = await latestSnapshotIds(store, systems);
    }
    if (ids.length === 0 && format === 'table') {
      io.stderr.write('No snapshots yet. Run `prodeng observe` first.\n');
    }
    const now = new Date();
    const report = await buildReport(store, ids, { now, toolVersion: toolVersion(), rules: ruleCatalogue() });
    const color = format === 'table' && options.output === undefined && useColor(io.stdout, io.env);
    writeOutput(reporters[format].render(report, { color, now, limit, terminalWidth: io.stdout.columns || 100 }), options.output, io);
    return failOn !== undefined && exceedsThreshold(report.findings, failOn as Severity) ? 1 : 0;
  } finally {
    await store.close();
  }
});
