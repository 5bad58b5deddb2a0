import { diffSnapshots } from '../analysis/diff.js';
import { renderDiff } from '../report/diff-render.js';
import { defineCommand, choice, UsageError, type CommandSpec, type OptionsSpec } from './args.js';
import { openDatabase, useColor, writeOutput } from './context.js';
import { chosenSystem } from './systems.js';

export const diffSpec = {
  name: 'diff',
  summary: 'Show what changed between two snapshots (default: the last two): findings new, resolved and reopened; metrics that moved.',
  usage: 'prodeng diff [--system NAME] [FROM] [TO] [options]',
  details: `FROM and TO are snapshot ids, unique id prefixes, or ~N (N snapshots back from the latest;
~0 is the latest). With only FROM, TO is the latest snapshot.`,
  options: {
    system: { type: 'string', value: 'NAME', description: 'The system (needed when the database holds several).' },
    db: { type: 'string', value: 'URL', description: 'Database (default $PRODENG_DB or .prodeng/prodeng.db).' },
    format: { type: 'string', value: 'FORMAT', description: 'table (default), json or markdown.' },
    output: { type: 'string', short: 'o', value: 'FILE', description: 'Write to FILE instead of stdout.' },
  },
  positionals: { max: 2, hint: 'pass FROM and TO' },
} as const satisfies CommandSpec<OptionsSpec>;

export const diffCommand = defineCommand(diffSpec, async ({ options, positionals }, io) => {
  const format = choice('format', options.format, ['table', 'json', 'markdown'] as const, 'table');
  const store = await openDatabase(options.db, io, { create: false });
  try {
    const system = await chosenSystem(store, options.system);
    if (positionals.length === 0) {
      const snapshots = await store.listSnapshots(system, { limit: 2 });
      if (snapshots.length < 2) {
        throw new UsageError(`system "${system}" has ${snapshots.length} snapshot${snapshots.length === 1 ? '' : 's'}; diff compares two, so observe it again later`);
      }
    }
    const fromRef = positionals[0] ?? '~1';
    const toRef = positionals[1] ?? '~0';
    const [fromId, toId] = [await store.resolveSnapshotRef(system, fromRef), await store.resolveSnapshotRef(system, toRef)];
    const [from, to] = [await store.getSnapshot(fromId), await store.getSnapshot(toId)];
    if (!from || !to) throw new UsageError('snapshot not found');
    if (from.system !== to.system) throw new UsageError(`${fromRef} is of system "${from.system}" and ${toRef} of "${to.system}"; diff compares one system`);
    const diff = diffSnapshots(from, to, await store.findingsAt(fromId), await store.findingsAt(toId), await store.metricsAt(fromId), await store.metricsAt(toId));
    const color = format === 'table' && options.output === undefined && useColor(io.stdout, io.env);
    writeOutput(renderDiff(diff, format, { now: new Date(), color, width: io.stdout.columns || 100 }), options.output, io);
    return 0;
  } finally {
    await store.close();
  }
});
