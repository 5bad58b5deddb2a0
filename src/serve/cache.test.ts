import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import type { RunningServer } from './server.js';
import { FP, NOW, dayAt, recordFixture } from './test-support/fixture.js';
import { raw, startTestServer } from './test-support/server.js';

/**
 * What the server derives from the store is cached until the store's change token moves: a
 * snapshot or an ignore recorded by another process (here: straight into the store) shows at once.
 */
describe('cached answers follow the store', () => {
  let dir: string;
  let store: Store;
  let other: Store;
  let server: RunningServer;
  let now = NOW;
  const get = async (path: string) => (await raw(`${server.url}${path}`)).json;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'prodeng-serve-cache-'));
    store = await openStore(join(dir, 'prodeng.db'));
    other = await openStore(join(dir, 'prodeng.db'));
    await recordFixture(store);
    server = await startTestServer({ store, now: () => now, precomputeIntervalMs: 0 });
  });

  afterAll(async () => {
    await server.close();
    await other.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows a snapshot another process recorded', async () => {
    const before = await get('/api/v1/findings?system=api');
    expect(before.total).toBe(1);
    const overview = await get('/api/v1/overview');
    expect(await get('/api/v1/overview')).toStrictEqual(overview);
    await other.recordSnapshot({
      system: 'api',
      startedAt: new Date(Date.parse(dayAt(0)) + 3_600_000).toISOString(),
      finishedAt: new Date(Date.parse(dayAt(0)) + 3_600_000).toISOString(),
      status: 'complete',
      revision: null,
      probes: [{ id: 'ci', status: 'ok', durationMs: 1, errors: [] }],
      findings: [
        { probe: 'ci', aspect: 'ci', rule: 'ci/slow-step', severity: 'high', title: 'Another slow step', message: 'm', location: null, fingerprint: '99999999999999999999999999999999', data: {} },
      ],
      metrics: [],
    });
    const after = await get('/api/v1/findings?system=api');
    expect(after.findings.map((f: { title: string }) => f.title)).toStrictEqual(['Another slow step']);
    expect((await get('/api/v1/overview')).systems[0].aspects.ci.open).toMatchObject({ high: 1, medium: 0 });
    expect(await get('/metrics')).toBeUndefined(); // text, not JSON
    expect((await raw(`${server.url}/metrics`)).text).toContain('prodeng_findings_open{system="api",aspect="ci",severity="high"} 1');
  });

  it('shows an ignore another process made, and ranks again in the next period', async () => {
    expect((await get('/api/v1/findings?system=web')).findings.map((f: { fingerprint: string }) => f.fingerprint)).toContain(FP.eol);
    const { ignore } = await other.createIgnore({ system: 'web', fingerprint: FP.eol, reason: 'migrating', until: null });
    expect((await get('/api/v1/findings?system=web')).findings.map((f: { fingerprint: string }) => f.fingerprint)).not.toContain(FP.eol);
    await other.deleteIgnore(ignore.id);
    const page = await get('/api/v1/findings?system=web');
    expect(page.findings.map((f: { fingerprint: string }) => f.fingerprint)).toContain(FP.eol);
    // Priority grows with age: a later period ranks (and shows) it again.
    const priority = page.findings.find((f: { fingerprint: string }) => f.fingerprint === FP.eol).priority;
    now = new Date(NOW.getTime() + 30 * 86_400_000);
    const later = await get('/api/v1/findings?system=web');
    expect(later.findings.find((f: { fingerprint: string }) => f.fingerprint === FP.eol).priority).toBeGreaterThan(priority);
  });
});
