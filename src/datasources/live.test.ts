/**
 * The real npm registry, opt-in: `PRODENG_LIVE_NPM=1 npx vitest run src/datasources/live.test.ts`.
 * Everything else in src/datasources runs against a local server and never the internet.
 */
import { describe, expect, it } from 'vitest';
import { createRegistryClients } from './index.js';

const live = process.env.PRODENG_LIVE_NPM === '1';

describe.skipIf(!live)('live npm registry (skipped unless PRODENG_LIVE_NPM=1: tests never use the network by default)', () => {
  const { npm } = createRegistryClients({ timeoutMs: 20_000 });

  it('reads is-number', async () => {
    const info = await npm.lookup('is-number', AbortSignal.timeout(60_000));
    expect(info?.name).toBe('is-number');
    expect(info?.latest).toMatch(/^\d+\.\d+\.\d+/);
    expect(info?.releases.some((r) => r.version === '7.0.0' && r.published !== null)).toBe(true);
  });

  it('reads a scoped package', async () => {
    const info = await npm.lookup('@types/is-number', AbortSignal.timeout(60_000));
    expect(info?.name).toBe('@types/is-number');
    expect(info?.releases.length).toBeGreaterThan(0);
  });

  it('answers null for a package that does not exist', async () => {
    expect(await npm.lookup('prodeng-this-package-does-not-exist-3f9c1a', AbortSignal.timeout(60_000))).toBeNull();
  });
});
