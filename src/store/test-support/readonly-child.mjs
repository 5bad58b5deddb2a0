// Opens a SQLite store and tries to record a snapshot, for the read-only test of sqlite.test.ts
// (run as an unprivileged user when the tests run as root, since root ignores file permissions).
// Usage: node readonly-child.mjs DB_PATH | --probe. Prints { opened, systems, error: { code, message } }.
import './ts-resolve.mjs';

const { openStore } = await import(new URL('../open.ts', import.meta.url).href);
// `--probe`: only show that this user can load the sources (the test skips itself otherwise).
if (process.argv[2] === '--probe') process.exit(0);
const result = { opened: false, systems: null, error: null };
try {
  const store = await openStore(process.argv[2]);
  result.opened = true;
  result.systems = (await store.listSystems()).length;
  const at = new Date().toISOString();
  await store.recordSnapshot({ system: 'ro', startedAt: at, finishedAt: at, status: 'complete', revision: null, probes: [], findings: [], metrics: [] });
  await store.close();
} catch (error) {
  result.error = { code: error?.code ?? null, message: String(error?.message ?? error) };
}
process.stdout.write(`${JSON.stringify(result)}\n`);
