/**
 * prodeng observes its own repository, and its report stays clean: a marker added to the code
 * base fails this test (fix the work or track it in the issue tracker, not in a comment).
 */
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, runJson } from '../support/cli.js';
import { tempDir } from '../support/repo.js';

describe('dogfood', () => {
  it('prodeng observing its own repository finds nothing to do', async () => {
    const db = tempDir();
    try {
      const { result, json } = await runJson<{
        findings: Array<{ title: string; location: unknown; status: string; suppressed?: unknown }>;
        snapshots: Array<{ status: string; probes: Array<{ id: string; status: string; errors: Array<{ code?: string }> }> }>;
      }>(
        // Offline: tests never need the network, so registry answers are unknown here (and said so).
        ['observe', '--offline', '--db', `${db.dir}/dogfood.db`, '--format', 'json', '--fail-on', 'low'],
        { cwd: ROOT },
      );
      const open = json.findings.filter((f) => f.status !== 'resolved' && f.suppressed === undefined);
      expect(open.map((f) => `${f.title} @ ${JSON.stringify(f.location)}`)).toEqual([]);
      const probes = json.snapshots[0]!.probes;
      expect(probes.find((p) => p.id === 'todo')!.status).toBe('ok');
      // Offline, the only things missing are the registries' answers and the advisories (no
      // database is imported in a fresh checkout); everything else is read in full.
      expect(probes.find((p) => p.id === 'versions')!.errors.map((e) => e.code)).toEqual(['registry-offline']);
      expect(probes.find((p) => p.id === 'vulns')!.errors.map((e) => e.code)).toEqual(['osv-no-source']);
      expect(probes.find((p) => p.id === 'supply-chain')!).toMatchObject({ status: 'ok', errors: [] });
      expect(result.code).toBe(0);
      expect((await runCli(['report', '--db', `${db.dir}/dogfood.db`, '--fail-on', 'low'], { cwd: ROOT })).code).toBe(0);
    } finally {
      db.remove();
    }
  });
});
