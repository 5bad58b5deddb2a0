import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/repo.js';
import { cachedClient, RegistryCache } from './cache.js';
import { DatasourceError, type PackageInfo, type RegistrySource } from './registry.js';

let dir: { dir: string; remove(): void };
beforeEach(() => {
  dir = tempDir('prodeng-registry-cache-');
});
afterEach(() => dir.remove());

const HOUR = 60 * 60 * 1000;
const signal = () => AbortSignal.timeout(10_000);

function info(name: string, version = '1.0.0'): PackageInfo {
  return { ecosystem: 'npm', name, latest: version, releases: [{ version, published: '2024-01-01T00:00:00.000Z', deprecated: null, yanked: false }] };
}

/** A clock the test moves. */
function clock(start = '2026-01-01T00:00:00Z') {
  let now = new Date(start).getTime();
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

/** A registry that counts its lookups and answers from a map (null when absent). */
function fakeSource(packages: Record<string, PackageInfo | null>, options: { delayMs?: number } = {}) {
  const calls: string[] = [];
  const source: RegistrySource = {
    ecosystem: 'npm',
    host: 'registry.example.test',
    cacheKey: (name) => name.toLowerCase(),
    async lookup(name, lookupSignal) {
      calls.push(name);
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      lookupSignal.throwIfAborted();
      const answer = packages[name];
      if (answer === undefined) throw new DatasourceError('unavailable', 'registry.example.test', 'registry.example.test: HTTP 503');
      return answer;
    },
  };
  return { source, calls };
}

describe('RegistryCache', () => {
  it('stores one file per package under a hashed name, holding the name', async () => {
    const cacheDir = join(dir.dir, 'not', 'yet', 'there');
    const cache = new RegistryCache({ cacheDir });
    await cache.write('npm', '@scope/../../etc/passwd', info('@scope/../../etc/passwd'));
    const file = cache.fileFor('npm', '@scope/../../etc/passwd');
    expect(file.startsWith(join(cacheDir, 'npm'))).toBe(true);
    expect(basename(file)).toMatch(/^[0-9a-f]{32}\.json$/);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { key: string; ecosystem: string };
    expect(stored.key).toBe('@scope/../../etc/passwd');
    expect(stored.ecosystem).toBe('npm');
    expect(cache.fileFor('pypi', '@scope/../../etc/passwd')).not.toBe(file);
  });

  it('is fresh until the TTL has passed by the injected clock', async () => {
    const time = clock();
    const cache = new RegistryCache({ cacheDir: dir.dir, ttlMs: 24 * HOUR, now: time.now });
    expect(await cache.read('npm', 'a')).toBeUndefined();
    await cache.write('npm', 'a', info('a'));
    expect(await cache.read('npm', 'a')).toMatchObject({ fresh: true, info: info('a') });
    time.advance(24 * HOUR - 1);
    expect((await cache.read('npm', 'a'))?.fresh).toBe(true);
    time.advance(1);
    expect(await cache.read('npm', 'a')).toMatchObject({ fresh: false, info: info('a') });
  });

  it('treats an entry dated in the future as stale', async () => {
    const time = clock();
    const cache = new RegistryCache({ cacheDir: dir.dir, now: time.now });
    await cache.write('npm', 'a', info('a'));
    time.advance(-HOUR);
    expect((await cache.read('npm', 'a'))?.fresh).toBe(false);
  });

  it('ignores corrupt, foreign and mismatched entries', async () => {
    const cache = new RegistryCache({ cacheDir: dir.dir });
    const file = cache.fileFor('npm', 'a');
    mkdirSync(join(dir.dir, 'npm'), { recursive: true });
    for (const content of [
      '{"format":1,"ecosystem":"npm","key":"a","fetchedAt":"2026-01-01T00:00:00Z","info":{', // truncated
      '',
      '\u0000\u0001binary',
      JSON.stringify({ format: 1, ecosystem: 'npm', key: 'b', fetchedAt: '2026-01-01T00:00:00Z', info: info('b') }), // hash collision / stray
      JSON.stringify({ format: 1, ecosystem: 'npm', key: 'a', fetchedAt: 'yesterday', info: info('a') }),
      JSON.stringify({ format: 1, ecosystem: 'npm', key: 'a', fetchedAt: '2026-01-01T00:00:00Z', info: { ...info('a'), releases: 'none' } }),
      JSON.stringify({ format: 1, ecosystem: 'npm', key: 'a', fetchedAt: '2026-01-01T00:00:00Z', info: { ...info('a'), ecosystem: 'pypi' } }),
      JSON.stringify({ format: 2, ecosystem: 'npm', key: 'a', fetchedAt: '2026-01-01T00:00:00Z', info: info('a') }),
    ]) {
      writeFileSync(file, content);
      expect(await cache.read('npm', 'a')).toBeUndefined();
    }
  });

  it('keeps a valid entry under concurrent writers, and leaves no temporary files', async () => {
    const cache = new RegistryCache({ cacheDir: dir.dir });
    const versions = Array.from({ length: 40 }, (_, i) => `1.0.${i}`);
    const reads: Array<PackageInfo | null | undefined> = [];
    await Promise.all(
      versions.flatMap((version) => [
        cache.write('npm', 'a', info('a', version)),
        cache.read('npm', 'a').then((entry) => reads.push(entry?.info)),
      ]),
    );
    for (const read of reads) {
      // a reader sees nothing yet or one whole entry, never a torn one
      if (read !== undefined) expect(versions).toContain(read?.latest);
    }
    const final = await cache.read('npm', 'a');
    expect(versions).toContain(final?.info?.latest);
    expect(readdirSync(join(dir.dir, 'npm'))).toHaveLength(1);
  });

  it('reports a write it cannot make, without throwing', async () => {
    const blocker = join(dir.dir, 'file');
    writeFileSync(blocker, 'not a directory');
    const failures: string[] = [];
    const cache = new RegistryCache({ cacheDir: blocker, onWriteError: (_error, file) => failures.push(file) });
    await cache.write('npm', 'a', info('a'));
    expect(failures).toHaveLength(1);
  });
});

describe('cachedClient', () => {
  it('answers from a fresh entry, asks again once it is stale', async () => {
    const time = clock();
    const { source, calls } = fakeSource({ a: info('a') });
    const client = cachedClient(source, { cache: new RegistryCache({ cacheDir: dir.dir, ttlMs: HOUR, now: time.now }) });
    expect(await client.lookup('a', signal())).toEqual(info('a'));
    expect(await client.lookup('a', signal())).toEqual(info('a'));
    expect(calls).toEqual(['a']);
    time.advance(HOUR);
    await client.lookup('a', signal());
    expect(calls).toEqual(['a', 'a']);
  });

  it('files packages under the registry cache key', async () => {
    const { source, calls } = fakeSource({ Left_Pad: info('left_pad'), left_pad: info('left_pad') });
    const client = cachedClient(source, { cache: new RegistryCache({ cacheDir: dir.dir }) });
    await client.lookup('Left_Pad', signal());
    await client.lookup('left_pad', signal());
    expect(calls).toEqual(['Left_Pad']);
  });

  it('caches "not found" too', async () => {
    const { source, calls } = fakeSource({ ghost: null });
    const cache = new RegistryCache({ cacheDir: dir.dir });
    expect(await cachedClient(source, { cache }).lookup('ghost', signal())).toBeNull();
    expect(await cachedClient(source, { cache, offline: true }).lookup('ghost', signal())).toBeNull();
    expect(calls).toEqual(['ghost']);
  });

  it('offline, answers from any entry whatever its age, never asking the registry', async () => {
    const time = clock();
    const { source, calls } = fakeSource({ a: info('a') });
    const cache = new RegistryCache({ cacheDir: dir.dir, ttlMs: HOUR, now: time.now });
    await cachedClient(source, { cache }).lookup('a', signal());
    time.advance(1000 * HOUR);
    expect(await cachedClient(source, { cache, offline: true }).lookup('a', signal())).toEqual(info('a'));
    expect(calls).toEqual(['a']);
  });

  it('offline, a miss is DatasourceError("offline") naming the host', async () => {
    const { source, calls } = fakeSource({ a: info('a') });
    for (const cache of [new RegistryCache({ cacheDir: dir.dir }), undefined]) {
      const error = await cachedClient(source, { cache, offline: true })
        .lookup('a', signal())
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatasourceError);
      expect(error).toMatchObject({ code: 'offline', host: 'registry.example.test' });
      expect((error as Error).message).toBe('npm package a is not in the cache; run once without --offline');
    }
    expect(calls).toEqual([]);
  });

  it('offline, a corrupt entry is a miss', async () => {
    const { source } = fakeSource({ a: info('a') });
    const cache = new RegistryCache({ cacheDir: dir.dir });
    await cachedClient(source, { cache }).lookup('a', signal());
    writeFileSync(cache.fileFor('npm', 'a'), '{"format":1,');
    await expect(cachedClient(source, { cache, offline: true }).lookup('a', signal())).rejects.toMatchObject({ code: 'offline' });
  });

  it('replaces a corrupt entry with the next answer', async () => {
    const { source, calls } = fakeSource({ a: info('a') });
    const cache = new RegistryCache({ cacheDir: dir.dir });
    mkdirSync(join(dir.dir, 'npm'), { recursive: true });
    writeFileSync(cache.fileFor('npm', 'a'), 'garbage');
    const client = cachedClient(source, { cache });
    expect(await client.lookup('a', signal())).toEqual(info('a'));
    expect(await client.lookup('a', signal())).toEqual(info('a'));
    expect(calls).toEqual(['a']);
  });

  it('does not cache failures', async () => {
    const { source, calls } = fakeSource({});
    const cache = new RegistryCache({ cacheDir: dir.dir });
    const client = cachedClient(source, { cache });
    await expect(client.lookup('a', signal())).rejects.toMatchObject({ code: 'unavailable' });
    await expect(client.lookup('a', signal())).rejects.toMatchObject({ code: 'unavailable' });
    expect(calls).toEqual(['a', 'a']);
    expect(existsSync(cache.fileFor('npm', 'a'))).toBe(false);
  });

  it('shares one request between concurrent lookups of a package', async () => {
    const { source, calls } = fakeSource({ a: info('a') }, { delayMs: 50 });
    const client = cachedClient(source, { cache: new RegistryCache({ cacheDir: dir.dir }) });
    const answers = await Promise.all([client.lookup('a', signal()), client.lookup('A', signal()), client.lookup('a', signal())]);
    expect(answers).toEqual([info('a'), info('a'), info('a')]);
    expect(calls).toHaveLength(1);
  });

  it("a lookup sharing another caller's request asks on its own when that caller is cancelled", async () => {
    const { source, calls } = fakeSource({ a: info('a') }, { delayMs: 50 });
    const client = cachedClient(source, {});
    const cancelled = new AbortController();
    const first = client.lookup('a', cancelled.signal);
    const second = client.lookup('a', signal());
    cancelled.abort(new Error('interrupted'));
    await expect(first).rejects.toThrow('interrupted');
    expect(await second).toEqual(info('a'));
    expect(calls).toHaveLength(2);
  });
});
