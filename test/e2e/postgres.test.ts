/**
 * The CLI end to end on PostgreSQL: the same observations as on SQLite, recorded in a fresh
 * database, reported from it, compared across snapshots. Gated as test/support/postgres.ts says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../support/cli.js';
import { createTestDatabase, dropTestDatabases } from '../support/postgres.js';
import { tempRepo, type TempRepo } from '../support/repo.js';

interface Report {
  snapshots: Array<{ id: string; system: string; status: string }>;
  findings: Array<{ fingerprint: string; status: string; title: string }>;
}

describe('prodeng on PostgreSQL', () => {
  let url = '';
  let repo: TempRepo;
  beforeAll(async () => {
    url = await createTestDatabase();
    repo = tempRepo({ name: 'pg-system' });
    repo.write('a.rs', 'fn main() {\n    // TODO: handle errors\n}\n');
    repo.write('b.sql', '-- FIXME: add an index\nSELECT 1;\n');
    repo.commit('init', { date: '2023-03-01T00:00:00Z' });
  });
  afterAll(async () => {
    repo?.remove();
    await dropTestDatabases();
  });

  it('records snapshots, tracks the lifecycle and reports from the database alone', async () => {
    const first = await runJson<Report>(['observe', '.', '--probe', 'todo', '--db', url, '--format', 'json'], { cwd: repo.dir });
    expect(first.result.code, first.result.stderr).toBe(0);
    expect(first.json.findings.map((f) => [f.title, f.status]).sort()).toEqual([
      ['FIXME: add an index', 'new'],
      ['TODO: handle errors', 'new'],
    ]);

    repo.write('b.sql', 'SELECT 1;\n');
    repo.commit('index added');
    // The URL can come from the environment too.
    const second = await runJson<Report>(['observe', '.', '--probe', 'todo', '--format', 'json'], { cwd: repo.dir, env: { PRODENG_DB: url } });
    expect(second.json.findings.map((f) => [f.title, f.status]).sort()).toEqual([
      ['FIXME: add an index', 'resolved'],
      ['TODO: handle errors', 'open'],
    ]);

    const report = await runJson<Report>(['report', '--db', url, '--format', 'json'], { cwd: repo.dir });
    expect(report.json.snapshots[0]!.id).toBe(second.json.snapshots[0]!.id);
    const diff = await runJson<{ findings: { resolved: Array<{ title: string }> } }>(['diff', '--db', url, '--format', 'json'], { cwd: repo.dir });
    expect(diff.json.findings.resolved.map((f) => f.title)).toEqual(['FIXME: add an index']);
    const history = await runCli(['history', '--db', url, '--metric', 'todo.count'], { cwd: repo.dir });
    expect(history.stdout).toMatch(/todo\.count\{tag="FIXME"\}\s+\S+\s+1 → 0 markers/);
  });
});
