import type { Store } from '../store/store.js';
import { UsageError } from './args.js';

/** The name, if the store knows that system; a usage error listing the known ones otherwise. */
export async function knownSystem(store: Store, name: string): Promise<string> {
  const systems = (await store.listSystems()).map((s) => s.name);
  if (systems.includes(name)) return name;
  throw new UsageError(
    systems.length === 0
      ? `no system "${name}": the database has no snapshots yet; run \`prodeng observe\` first`
      : `no system "${name}" in the database; known systems: ${systems.join(', ')}`,
  );
}

/** `--system NAME`, or the only system there is. */
export async function chosenSystem(store: Store, name: string | undefined): Promise<string> {
  if (name !== undefined) return knownSystem(store, name);
  const systems = (await store.listSystems()).map((s) => s.name);
  if (systems.length === 1) return systems[0]!;
  if (systems.length === 0) throw new UsageError('the database has no snapshots yet; run `prodeng observe` first');
  throw new UsageError(`the database has several systems; choose one with --system (${systems.join(', ')})`);
}
