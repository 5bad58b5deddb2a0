// A separate process that records snapshots into a SQLite store, for the concurrency tests of
// sqlite.test.ts. Usage: node writer-child.mjs DB_PATH CHILD_INDEX COUNT
// Prints one JSON line: { ids: [...] } or { error: { code, message } }.
import './ts-resolve.mjs';

const [path, indexText, countText] = process.argv.slice(2);
const index = Number(indexText);
const count = Number(countText);
const { openStore } = await import(new URL('../open.ts', import.meta.url).href);

function snapshot(system, n, findings) {
  const at = new Date(Date.UTC(2024, 0, 1) + (index * 1000 + n) * 60_000).toISOString();
  return {
    system,
    startedAt: at,
    finishedAt: at,
    status: 'complete',
    revision: { commit: `child${index}-${n}`, branch: 'main' },
    probes: [{ id: 'todo', status: 'ok', durationMs: n, errors: [], facts: { child: index, n } }],
    findings: findings.map((fingerprint) => ({
      probe: 'todo',
      aspect: 'code-health',
      rule: 'todo/marker',
      severity: 'low',
      title: `child ${index} ${fingerprint}`,
      message: 'm',
      location: { path: `src/${fingerprint}.ts`, line: n + 1 },
      fingerprint,
      data: { child: index, n },
    })),
    metrics: [{ probe: 'todo', name: 'todo.count', value: findings.length, unit: 'count', labels: { child: String(index) } }],
  };
}

try {
  const store = await openStore(path);
  const ids = [];
  for (let n = 0; n < count; n++) {
    // Own system: a stable set plus one fingerprint that changes every time.
    ids.push(await store.recordSnapshot(snapshot(`child-${index}`, n, ['stable-1', 'stable-2', `moving-${n}`])));
    // A system every child writes to: each snapshot resolves what the others saw.
    ids.push(await store.recordSnapshot(snapshot('shared', n, [`c${index}-a`, `c${index}-b`])));
  }
  await store.close();
  process.stdout.write(`${JSON.stringify({ ids })}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ error: { code: error?.code, message: String(error?.message ?? error) } })}\n`);
  process.exitCode = 1;
}
