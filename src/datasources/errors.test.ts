/**
 * Every registry client against the same failures: not found, a 500 then a 200, lasting 500s,
 * 429 with Retry-After, an answer slower than the timeout, a body that is not JSON (or XML), and
 * a well-formed answer of the wrong shape. Every error names its code and host.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ecosystem } from '../probes/versions/model.js';
import { createRegistryClients, type RegistryClientsOptions } from './index.js';
import { DatasourceError, type RegistryClient } from './registry.js';
import { fixtureText, startServer, type Reply, type TestServer } from './test-support/server.js';

interface Case {
  ecosystem: Ecosystem;
  name: string;
  /** The request that decides whether the package exists. */
  path: string;
  ok: Reply;
  /** Other requests a lookup makes, answered normally. */
  extra?: Record<string, Reply>;
  /** Where a malformed or mismatched answer is served, when not `path`. */
  malformedPath?: string;
  notParsable: Reply;
  mismatch: Reply;
  /** The issue path a mismatch must name. */
  mismatchAt: string;
}

const json = (body: unknown): Reply => ({ body });
const NOT_JSON: Reply = { body: '<html><body>Service Temporarily Unavailable</body>', contentType: 'text/html' };

const cases: Case[] = [
  {
    ecosystem: 'npm',
    name: 'is-number',
    path: '/is-number',
    ok: { body: fixtureText('npm/is-number.json'), contentType: 'application/json' },
    notParsable: NOT_JSON,
    mismatch: json({ name: 'is-number', versions: { '1.0.0': 'not an object' } }),
    mismatchAt: '$.versions["1.0.0"]',
  },
  {
    ecosystem: 'pypi',
    name: 'requests',
    path: '/pypi/requests/json',
    ok: { body: fixtureText('pypi/requests.json'), contentType: 'application/json' },
    notParsable: NOT_JSON,
    mismatch: json({ info: { name: 'requests' }, releases: { '1.0': [{ yanked: 'yes' }] } }),
    mismatchAt: '$.releases["1.0"][0].yanked',
  },
  {
    ecosystem: 'cargo',
    name: 'serde',
    path: '/api/v1/crates/serde',
    ok: { body: fixtureText('cargo/serde.json'), contentType: 'application/json' },
    notParsable: NOT_JSON,
    mismatch: json({ errors: [{ detail: 'Not Found' }] }),
    mismatchAt: '$.crate',
  },
  {
    ecosystem: 'rubygems',
    name: 'nokogiri',
    path: '/api/v1/versions/nokogiri.json',
    ok: { body: fixtureText('rubygems/nokogiri.json'), contentType: 'application/json' },
    notParsable: NOT_JSON,
    mismatch: json([{ number: 1.16 }]),
    mismatchAt: '$[0].number',
  },
  {
    ecosystem: 'packagist',
    name: 'monolog/monolog',
    path: '/p2/monolog/monolog.json',
    ok: { body: fixtureText('packagist/monolog-monolog.json'), contentType: 'application/json' },
    notParsable: NOT_JSON,
    // well-formed, but once expanded the second version has no `version`
    mismatch: json({ packages: { 'monolog/monolog': [{ version: '1.0.0' }, { version: '__unset' }] }, minified: 'composer/2.0' }),
    mismatchAt: '$[1].version',
  },
  {
    ecosystem: 'go',
    name: 'example.com/Mod',
    path: '/example.com/!mod/@v/list',
    ok: { body: 'v1.0.0\nv1.1.0\n' },
    extra: {
      '/example.com/!mod/@latest': json({ Version: 'v1.1.0', Time: '2024-02-01T00:00:00Z' }),
      '/example.com/!mod/@v/v1.0.0.info': json({ Version: 'v1.0.0', Time: '2024-01-01T00:00:00Z' }),
      '/example.com/!mod/@v/v1.1.0.mod': { body: 'module example.com/Mod\n' },
    },
    malformedPath: '/example.com/!mod/@latest',
    notParsable: NOT_JSON,
    mismatch: json({ Version: 'latest', Time: '2024-02-01T00:00:00Z' }),
    mismatchAt: '$.Version',
  },
  {
    ecosystem: 'maven',
    name: 'org.slf4j:slf4j-api',
    path: '/maven2/org/slf4j/slf4j-api/maven-metadata.xml',
    ok: { body: fixtureText('maven/slf4j-api.xml'), contentType: 'application/xml' },
    notParsable: { body: '<metadata><versioning><latest>1.0</versioning></metadata>', contentType: 'application/xml' },
    mismatch: { body: '<metadata><versioning><versions>1.0</versions></versioning></metadata>', contentType: 'application/xml' },
    mismatchAt: '$.metadata.versioning.versions',
  },
  {
    ecosystem: 'nuget',
    name: 'WindowsAzure.Storage',
    path: '/v3/registration5-gz-semver2/windowsazure.storage/index.json',
    ok: { body: fixtureText('nuget/windowsazure.storage.json'), contentType: 'application/json', gzip: true },
    notParsable: { ...NOT_JSON, gzip: true },
    mismatch: json({ items: [{ '@id': 'x', items: [{ catalogEntry: { version: 3 } }] }] }),
    mismatchAt: '$.items[0].items[0].catalogEntry.version',
  },
];

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  await server.close();
});

function clients(options: Partial<RegistryClientsOptions> = {}): Record<Ecosystem, RegistryClient> {
  const base = server.base;
  return createRegistryClients({
    baseUrls: { npm: base, pypi: base, cargo: base, rubygems: base, packagist: base, go: base, maven: `${base}/maven2`, nuget: base },
    timeoutMs: 5_000,
    retries: 2,
    retryBaseMs: 1,
    maxRetryWaitMs: 50,
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<DatasourceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasourceError);
  return error as DatasourceError;
}

const signal = () => AbortSignal.timeout(30_000);

describe.each(cases)('$ecosystem client', (c) => {
  const serveExtra = () => {
    for (const [path, reply] of Object.entries(c.extra ?? {})) server.route(path, reply);
  };

  it('reads a package', async () => {
    server.route(c.path, c.ok);
    serveExtra();
    const client = clients()[c.ecosystem];
    expect(client.host).toBe(server.host);
    const info = await client.lookup(c.name, signal());
    expect(info?.ecosystem).toBe(c.ecosystem);
    expect(info?.releases.length).toBeGreaterThan(0);
    const ua = server.requests[0]?.headers['user-agent'];
    expect(ua).toMatch(/^prodeng\/\S+ \(\+https:\/\/github\.com\/prodeng\/prodeng\)$/);
  });

  it('answers null for a 404, without retrying', async () => {
    server.route(c.path, { status: 404, body: { error: 'Not found' } });
    expect(await clients()[c.ecosystem].lookup(c.name, signal())).toBeNull();
    expect(server.hits(c.path)).toBe(1);
  });

  it('retries a 500 and reads the answer that follows', async () => {
    server.route(c.path, { status: 500, body: 'Internal Server Error' }, c.ok);
    serveExtra();
    const info = await clients()[c.ecosystem].lookup(c.name, signal());
    expect(info?.releases.length).toBeGreaterThan(0);
    expect(server.hits(c.path)).toBe(2);
  });

  it('is unavailable after lasting 5xx, having tried 1 + retries times', async () => {
    server.route(c.path, { status: 503, body: 'Service Unavailable' });
    serveExtra();
    const error = await failure(clients()[c.ecosystem].lookup(c.name, signal()));
    expect(error.code).toBe('unavailable');
    expect(error.host).toBe(server.host);
    expect(error.message).toContain('HTTP 503');
    expect(server.hits(c.path)).toBe(3);
  });

  it('waits after a 429 with Retry-After, then reads the answer', async () => {
    server.route(c.path, { status: 429, headers: { 'retry-after': '0' } }, c.ok);
    serveExtra();
    const info = await clients()[c.ecosystem].lookup(c.name, signal());
    expect(info?.releases.length).toBeGreaterThan(0);
    expect(server.hits(c.path)).toBe(2);
  });

  it('is rate-limited when every attempt gets a 429', async () => {
    server.route(c.path, { status: 429, headers: { 'retry-after': '1' } });
    serveExtra();
    const error = await failure(clients({ maxRetryWaitMs: 20 })[c.ecosystem].lookup(c.name, signal()));
    expect(error.code).toBe('rate-limited');
    expect(error.host).toBe(server.host);
    expect(server.hits(c.path)).toBe(3);
  });

  it('times out on an answer slower than the timeout', async () => {
    server.route(c.malformedPath ?? c.path, { ...c.ok, delayMs: 2_000 });
    server.route(c.path, { ...c.ok, delayMs: 2_000 });
    const error = await failure(clients({ timeoutMs: 100, retries: 1 })[c.ecosystem].lookup(c.name, signal()));
    expect(error.code).toBe('timeout');
    expect(error.host).toBe(server.host);
  });

  it('is malformed when the answer cannot be parsed', async () => {
    server.route(c.path, c.ok);
    serveExtra();
    server.route(c.malformedPath ?? c.path, c.notParsable);
    const error = await failure(clients()[c.ecosystem].lookup(c.name, signal()));
    expect(error.code).toBe('malformed');
    expect(error.host).toBe(server.host);
    expect(server.hits(c.malformedPath ?? c.path)).toBe(1); // never retried
  });

  it('is malformed, naming where, when the answer has the wrong shape', async () => {
    server.route(c.path, c.ok);
    serveExtra();
    server.route(c.malformedPath ?? c.path, c.mismatch);
    const error = await failure(clients()[c.ecosystem].lookup(c.name, signal()));
    expect(error.code).toBe('malformed');
    expect(error.host).toBe(server.host);
    expect(error.message).toContain(server.host);
    expect(error.message).toContain(c.mismatchAt);
  });
});
