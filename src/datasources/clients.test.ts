/** Each registry client against its recorded-style fixtures: what it reads, and the names it asks for. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ecosystem } from '../probes/versions/model.js';
import { parseGoMod } from './go.js';
import { createRegistryClients, DEFAULT_BASE_URLS, type RegistryClientsOptions } from './index.js';
import { mavenCoordinates, mavenTimestamp } from './maven.js';
import { normaliseNpm, npmPath } from './npm.js';
import { normalisePypiName } from './pypi.js';
import type { PackageInfo, RegistryClient } from './registry.js';
import { fixtureText, serveRecording, startServer, type TestServer } from './test-support/server.js';

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
    baseUrls: { npm: base, pypi: base, cargo: base, rubygems: base, packagist: base, go: base, maven: `${base}/maven2/`, nuget: base },
    retryBaseMs: 1,
    maxRetryWaitMs: 10,
    ...options,
  });
}

const signal = () => AbortSignal.timeout(10_000);
const release = (info: PackageInfo | null, version: string) => info?.releases.find((r) => r.version === version);
const json = (path: string) => ({ body: fixtureText(path), contentType: 'application/json' });

it('defaults to the public registries', () => {
  expect(DEFAULT_BASE_URLS).toEqual({
    npm: 'https://registry.npmjs.org',
    pypi: 'https://pypi.org',
    go: 'https://proxy.golang.org',
    cargo: 'https://crates.io',
    rubygems: 'https://rubygems.org',
    packagist: 'https://repo.packagist.org',
    maven: 'https://repo1.maven.org/maven2',
    nuget: 'https://api.nuget.org',
  });
  const hosts = Object.fromEntries(Object.entries(createRegistryClients()).map(([ecosystem, client]) => [ecosystem, client.host]));
  expect(hosts).toEqual({
    npm: 'registry.npmjs.org',
    pypi: 'pypi.org',
    go: 'proxy.golang.org',
    cargo: 'crates.io',
    rubygems: 'rubygems.org',
    packagist: 'repo.packagist.org',
    maven: 'repo1.maven.org',
    nuget: 'api.nuget.org',
  });
});

describe('npm', () => {
  it('reads versions, times and dist-tags.latest from the full packument', async () => {
    server.route('/is-number', json('npm/is-number.json'));
    const info = await clients().npm.lookup('is-number', signal());
    expect(info?.name).toBe('is-number');
    expect(info?.latest).toBe('7.0.0');
    expect(info?.releases).toHaveLength(15);
    expect(release(info, '7.0.0')).toEqual({ version: '7.0.0', published: '2018-07-04T15:08:58.238Z', deprecated: null, yanked: false });
    expect(info?.releases.map((r) => r.version)).not.toContain('created'); // time.created is not a version
    expect(server.requests[0]?.headers.accept).toBe('application/json');
  });

  it('asks for a scoped package as @scope%2fname and reads its deprecation', async () => {
    server.route('/@types%2fis-number', json('npm/types-is-number.json'));
    const info = await clients().npm.lookup('@types/is-number', signal());
    expect(info?.name).toBe('@types/is-number');
    expect(release(info, '7.0.0')?.deprecated).toMatch(/^This is a stub types definition/);
    expect(release(info, '3.0.1')?.deprecated).toBeNull();
  });

  it('encodes odd names', () => {
    expect(npmPath('JSONStream')).toBe('JSONStream');
    expect(npmPath('@babel/core')).toBe('@babel%2fcore');
    expect(npmPath('a b/c')).toBe('a%20b%2Fc');
    expect(npmPath('@')).toBe('%40');
  });

  it('reads an unpublished package as one without releases, and an emptied deprecation as none', () => {
    expect(normaliseNpm({ name: 'gone', time: { created: '2020-01-01T00:00:00Z', unpublished: { time: '2020-02-01T00:00:00Z' } } }, 'gone')).toEqual({
      ecosystem: 'npm',
      name: 'gone',
      latest: null,
      releases: [],
    });
    const info = normaliseNpm({ versions: { '1.0.0': { deprecated: '' }, '1.0.1': { deprecated: true } } }, 'x');
    expect(info.releases.map((r) => r.deprecated)).toEqual([null, 'deprecated']);
  });
});

describe('pypi', () => {
  it('reads releases, earliest upload times, yanked releases and info.version', async () => {
    server.route('/pypi/requests/json', json('pypi/requests.json'));
    const info = await clients().pypi.lookup('Requests', signal());
    expect(info?.name).toBe('requests');
    expect(info?.latest).toBe('2.32.3');
    expect(release(info, '2.31.0')).toEqual({ version: '2.31.0', published: '2023-05-22T15:12:42.313790Z', deprecated: null, yanked: false });
    expect(release(info, '2.32.0')?.yanked).toBe(true);
    expect(release(info, '1.0.0')).toEqual({ version: '1.0.0', published: null, deprecated: null, yanked: false }); // no files
    expect(release(info, '0.0.1')?.published).toBe('2011-02-14T03:03:24Z'); // upload_time is UTC without a zone
  });

  it('asks for the PEP 503 normalised name', async () => {
    server.route('/pypi/zope-interface/json', json('pypi/requests.json'));
    expect(await clients().pypi.lookup('Zope.__Interface', signal())).not.toBeNull();
    expect(normalisePypiName('Django_REST-framework')).toBe('django-rest-framework');
    expect(normalisePypiName('a..b--c__d')).toBe('a-b-c-d');
  });
});

describe('cargo', () => {
  it('reads versions, yanks and max_stable_version', async () => {
    server.route('/api/v1/crates/serde', json('cargo/serde.json'));
    const info = await clients().cargo.lookup('serde', signal());
    expect(info?.latest).toBe('1.0.210');
    expect(info?.releases.map((r) => r.version)).toEqual(['2.0.0-rc.1', '1.0.210', '1.0.209', '1.0.208', '0.4.0']);
    expect(release(info, '1.0.209')?.yanked).toBe(true);
    expect(release(info, '1.0.210')?.published).toBe('2024-09-06T03:25:38.472915Z');
  });
});

describe('rubygems', () => {
  it('collapses platform builds into one version, published with the first', async () => {
    server.route('/api/v1/versions/nokogiri.json', json('rubygems/nokogiri.json'));
    const info = await clients().rubygems.lookup('nokogiri', signal());
    expect(info?.latest).toBeNull();
    expect(info?.releases.map((r) => r.version)).toEqual(['1.16.0', '1.16.0.rc1', '1.15.5', '1.4.4']);
    expect(release(info, '1.16.0')?.published).toBe('2024-01-04T16:06:12.871Z');
    expect(info?.releases.every((r) => !r.yanked && r.deprecated === null)).toBe(true);
  });

  it('percent-encodes the gem name', async () => {
    server.route('/api/v1/versions/a%2Fb.json', json('rubygems/nokogiri.json'));
    expect(await clients().rubygems.lookup('a/b', signal())).not.toBeNull();
  });
});

describe('packagist', () => {
  it('expands the minified metadata', async () => {
    server.route('/p2/monolog/monolog.json', json('packagist/monolog-monolog.json'));
    const info = await clients().packagist.lookup('Monolog/Monolog', signal());
    expect(info?.name).toBe('monolog/monolog');
    expect(info?.latest).toBeNull();
    expect(info?.releases).toEqual([
      { version: '3.7.0', published: '2024-06-28T09:40:51+00:00', deprecated: null, yanked: false },
      { version: '3.6.0', published: '2024-04-12T21:02:21+00:00', deprecated: null, yanked: false },
      { version: '3.0.0-RC1', published: '2022-05-08T21:50:49+00:00', deprecated: null, yanked: false },
      { version: '1.0.0', published: '2011-07-07T16:21:02+00:00', deprecated: null, yanked: false },
    ]);
  });

  it('marks every release of an abandoned package deprecated, naming the replacement', async () => {
    server.route('/p2/swiftmailer/swiftmailer.json', json('packagist/swiftmailer-swiftmailer.json'));
    const info = await clients().packagist.lookup('swiftmailer/swiftmailer', signal());
    expect(info?.releases.map((r) => r.deprecated)).toEqual(['abandoned; use symfony/mailer instead', 'abandoned; use symfony/mailer instead']);
  });

  it('does not ask for names that cannot be Composer packages', async () => {
    for (const name of ['monolog', 'a/b/c', '../etc/passwd', 'vendor/', '/name']) {
      expect(await clients().packagist.lookup(name, signal())).toBeNull();
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe('go', () => {
  it('case-encodes the module path, and dates every version when there are few', async () => {
    serveRecording(server, 'go/burntsushi-toml.json');
    const info = await clients().go.lookup('github.com/BurntSushi/toml', signal());
    expect(info?.name).toBe('github.com/BurntSushi/toml');
    expect(info?.latest).toBe('v1.4.0');
    expect(info?.releases).toHaveLength(14);
    expect(release(info, 'v1.4.0')).toEqual({ version: 'v1.4.0', published: '2024-06-01T21:02:44Z', deprecated: null, yanked: false });
    expect(release(info, 'v0.1.0')?.published).toBe('2014-08-13T11:33:18Z');
    expect(server.requests.every((r) => !/[A-Z]/.test(r.url))).toBe(true);
    expect(server.hits('/github.com/!burnt!sushi/toml/@v/v1.4.0.info')).toBe(0); // @latest already said
  });

  it('fetches .info for the newest N versions only', async () => {
    serveRecording(server, 'go/burntsushi-toml.json');
    const info = await clients({ goInfoLimit: 3 }).go.lookup('github.com/BurntSushi/toml', signal());
    const dated = info?.releases.filter((r) => r.published !== null).map((r) => r.version);
    expect(dated?.sort()).toEqual(['v1.3.1', 'v1.3.2', 'v1.4.0']);
    expect(server.requests.filter((r) => r.url.endsWith('.info'))).toHaveLength(2);
  });

  it('reads deprecation and retractions from the latest go.mod', async () => {
    serveRecording(server, 'go/example-legacy.json');
    const info = await clients().go.lookup('example.com/Legacy/lib', signal());
    expect(info?.releases.every((r) => r.deprecated === 'use example.com/lib/v2 instead, which has a smaller API.')).toBe(true);
    expect(info?.releases.filter((r) => r.yanked).map((r) => r.version)).toEqual(['v1.1.0', 'v1.2.0', 'v1.3.0']);
  });

  it('takes the @latest pseudo-version of a module without tags', async () => {
    server.route('/example.com/untagged/@v/list', { body: '' });
    server.route('/example.com/untagged/@latest', { body: { Version: 'v0.0.0-20240102030405-abcdefabcdef', Time: '2024-01-02T03:04:05Z' } });
    const info = await clients().go.lookup('example.com/untagged', signal());
    expect(info).toEqual({
      ecosystem: 'go',
      name: 'example.com/untagged',
      latest: 'v0.0.0-20240102030405-abcdefabcdef',
      releases: [{ version: 'v0.0.0-20240102030405-abcdefabcdef', published: '2024-01-02T03:04:05Z', deprecated: null, yanked: false }],
    });
  });

  it('answers null for a 410 Gone, and for paths that cannot be modules, without asking', async () => {
    server.route('/example.com/gone/@v/list', { status: 410, body: 'not found: module example.com/gone: 410 Gone' });
    expect(await clients().go.lookup('example.com/gone', signal())).toBeNull();
    const before = server.requests.length;
    for (const name of ['../etc', 'example.com//x', 'example.com/./x', 'exa mple.com', '']) expect(await clients().go.lookup(name, signal())).toBeNull();
    expect(server.requests).toHaveLength(before);
  });

  it('parses go.mod deprecation paragraphs and retract forms', () => {
    expect(parseGoMod('module a // Deprecated: use b\n')).toEqual({ deprecated: 'use b', retracted: [] });
    expect(parseGoMod('// Deprecated:\nmodule a\n').deprecated).toBe('deprecated');
    expect(parseGoMod('// Not Deprecated: really\nmodule a\n').deprecated).toBeNull();
    expect(parseGoMod('// Deprecated: no\n\nmodule a\n').deprecated).toBeNull(); // not just before
    expect(parseGoMod('module a\nretract v1.0.0 // oops\nretract [v1.1.0, v1.2.0]\n').retracted).toEqual([
      ['v1.0.0', 'v1.0.0'],
      ['v1.1.0', 'v1.2.0'],
    ]);
  });
});

describe('maven', () => {
  it('reads maven-metadata.xml under a base path, keeping versions as text', async () => {
    server.route('/maven2/org/slf4j/slf4j-api/maven-metadata.xml', { body: fixtureText('maven/slf4j-api.xml'), contentType: 'application/xml' });
    const info = await clients().maven.lookup('org.slf4j:slf4j-api', signal());
    expect(info?.name).toBe('org.slf4j:slf4j-api');
    expect(info?.latest).toBe('2.0.16');
    expect(info?.releases.map((r) => r.version)).toEqual(['1.0-beta4', '1.7.36', '2.0.0-alpha1', '2.0.0', '2.1.0-alpha1', '2.0.13', '2.0.16']);
    expect(release(info, '2.0.16')?.published).toBe('2024-08-10T07:47:51Z');
    expect(info?.releases.filter((r) => r.published !== null)).toHaveLength(1);
  });

  it('reads a single version, and versions that look like numbers', async () => {
    server.route('/maven2/com/example/one/maven-metadata.xml', {
      body: '<metadata><groupId>com.example</groupId><artifactId>one</artifactId><versioning><versions><version>1.10</version></versions><lastUpdated>20200102030405</lastUpdated></versioning></metadata>',
    });
    const info = await clients().maven.lookup('com.example:one', signal());
    expect(info).toEqual({
      ecosystem: 'maven',
      name: 'com.example:one',
      latest: null,
      releases: [{ version: '1.10', published: '2020-01-02T03:04:05Z', deprecated: null, yanked: false }],
    });
  });

  it('does not ask for names that are not groupId:artifactId', async () => {
    for (const name of ['slf4j', 'a:b:c', '../x:y', 'org..x:y', 'org.x:../y']) expect(await clients().maven.lookup(name, signal())).toBeNull();
    expect(server.requests).toHaveLength(0);
    expect(mavenCoordinates(' org.slf4j:slf4j-api ')).toEqual({ group: 'org.slf4j', artifact: 'slf4j-api' });
    expect(mavenTimestamp('20241301000000')).toBeNull();
    expect(mavenTimestamp(undefined)).toBeNull();
  });
});

describe('nuget', () => {
  it('reads inline pages and fetches the others, gzip-encoded, unlisted versions yanked', async () => {
    serveRecording(server, 'nuget/newtonsoft.json.json');
    const info = await clients().nuget.lookup('Newtonsoft.Json', signal());
    expect(info?.name).toBe('Newtonsoft.Json');
    expect(info?.latest).toBeNull();
    expect(info?.releases.map((r) => r.version)).toEqual(['3.5.8', '4.0.1', '12.0.1', '12.0.2', '13.0.3', '13.0.4-beta1']);
    expect(release(info, '4.0.1')).toEqual({ version: '4.0.1', published: null, deprecated: null, yanked: true });
    expect(release(info, '13.0.3')?.published).toBe('2023-03-08T07:42:54.647+00:00');
    expect(server.requests.map((r) => r.url)).toEqual([
      '/v3/registration5-gz-semver2/newtonsoft.json/index.json',
      '/v3/registration5-gz-semver2/newtonsoft.json/page/12.0.2/13.0.3.json',
    ]);
  });

  it('reads deprecations with their reasons and alternate package', async () => {
    server.route('/v3/registration5-gz-semver2/windowsazure.storage/index.json', { body: fixtureText('nuget/windowsazure.storage.json', server.base), gzip: true });
    const info = await clients().nuget.lookup('WindowsAzure.Storage', signal());
    expect(info?.releases.map((r) => r.deprecated)).toEqual([
      'deprecated (Legacy); use Azure.Storage.Blobs instead',
      'This package has been replaced by the Azure.Storage.* packages.',
    ]);
  });

  it('sends the configured Authorization to its own origin only', async () => {
    const other = await startServer();
    try {
      const index = JSON.parse(fixtureText('nuget/newtonsoft.json.json', server.base)) as { responses: Record<string, { body: unknown }> };
      const text = JSON.stringify(index.responses['/v3/registration5-gz-semver2/newtonsoft.json/index.json']?.body).replace(
        `${server.base}/v3/registration5-gz-semver2/newtonsoft.json/page/`,
        `${other.base}/v3/registration5-gz-semver2/newtonsoft.json/page/`,
      );
      server.route('/v3/registration5-gz-semver2/newtonsoft.json/index.json', { body: text, contentType: 'application/json' });
      other.route('/v3/registration5-gz-semver2/newtonsoft.json/page/12.0.2/13.0.3.json', {
        body: index.responses['/v3/registration5-gz-semver2/newtonsoft.json/page/12.0.2/13.0.3.json']?.body,
      });
      const info = await clients({ headers: { nuget: { Authorization: 'Bearer private-feed-token' } } }).nuget.lookup('Newtonsoft.Json', signal());
      expect(info?.releases).toHaveLength(6);
      expect(server.requests[0]?.headers.authorization).toBe('Bearer private-feed-token');
      expect(other.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});

describe('through the cache', () => {
  it('asks each registry once, then answers from the cache, and offline too', async () => {
    const { tempDir } = await import('../../test/support/repo.js');
    const dir = tempDir();
    try {
      server.route('/is-number', json('npm/is-number.json'));
      const online = clients({ cacheDir: dir.dir });
      const first = await online.npm.lookup('is-number', signal());
      expect(await online.npm.lookup('is-number', signal())).toEqual(first);
      expect(server.hits('/is-number')).toBe(1);
      const offline = clients({ cacheDir: dir.dir, offline: true });
      expect(await offline.npm.lookup('is-number', signal())).toEqual(first);
      await expect(offline.npm.lookup('is-odd', signal())).rejects.toMatchObject({ code: 'offline', host: server.host });
      expect(server.hits('/is-number')).toBe(1);
    } finally {
      dir.remove();
    }
  });
});
