import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EOL_CACHE_FILE, loadEolData } from './data.js';
import { cycleFor, verdict } from './verdict.js';
import { convertApiResponse, EolUpdateError, updateEolData } from './update.js';

const FIXTURE = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'api-v1-products-full.json'), 'utf8');
const NOW = new Date('2026-09-02T08:00:00Z');

let server: Server;
let baseUrl: string;
const requests: Array<{ url: string; accept: string | undefined }> = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push({ url: request.url ?? '', accept: request.headers.accept });
    const json = (status: number, body: string): void => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(body);
    };
    switch (request.url) {
      case '/api/v1/products/full':
      case '/mirror/api/v1/products/full':
        return json(200, FIXTURE);
      case '/no-date/api/v1/products/full': {
        const body = JSON.parse(FIXTURE) as Record<string, unknown>;
        delete body.generated_at;
        return json(200, JSON.stringify(body));
      }
      case '/down/api/v1/products/full':
        return json(503, '{"message":"maintenance"}');
      case '/moved/api/v1/products/full':
        response.writeHead(404);
        return response.end('not found');
      case '/html/api/v1/products/full':
        response.writeHead(200, { 'content-type': 'text/html' });
        return response.end('<html>hello</html>');
      case '/shape/api/v1/products/full':
        return json(200, JSON.stringify({ schema_version: '1.0.0', result: [{ name: 'x', releases: 'none' }] }));
      case '/empty/api/v1/products/full':
        return json(200, JSON.stringify({ schema_version: '1.0.0', total: 0, result: [] }));
      case '/v2/api/v1/products/full':
        return json(200, JSON.stringify({ schema_version: '2.0.0', result: [] }));
      case '/array/api/v1/products/full':
        return json(200, '[]');
      case '/truncated/api/v1/products/full':
        return json(200, FIXTURE.slice(0, 500));
      case '/slow/api/v1/products/full':
        return; // never answers
      default:
        response.writeHead(404);
        response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'prodeng-eol-update-'));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<EolUpdateError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(EolUpdateError);
    return error as EolUpdateError;
  }
  throw new Error('expected the update to fail');
}

describe('updateEolData', () => {
  it('fetches, converts and writes the cache, which loadEolData then prefers', async () => {
    const cacheDir = join(tempDir(), 'nested', 'cache');
    const result = await updateEolData({ baseUrl, cacheDir, now: () => NOW });
    expect(result).toMatchObject({ path: join(cacheDir, EOL_CACHE_FILE), asOf: '2026-09-01', products: 5, cycles: 10, fetchedAt: NOW.toISOString() });
    expect(requests.at(-1)).toEqual({ url: '/api/v1/products/full', accept: 'application/json' });

    const data = loadEolData({ cacheDir });
    expect(data.origin).toBe('cache');
    expect(data.asOf).toBe('2026-09-01');
    expect(data.products.iphone).toBeUndefined();
    expect(data.products.nodejs).toEqual({
      title: 'Node.js',
      category: 'framework',
      aliases: ['node'],
      purls: [
        { type: 'generic', name: 'node' },
        { type: 'docker', namespace: 'library', name: 'node' },
      ],
      cycles: [
        { cycle: '26', eol: '2029-04-30', releaseDate: '2026-05-05', eoas: '2027-10-27', lts: '2026-10-28', latest: '26.8.0', latestReleaseDate: '2026-08-27' },
        { cycle: '24', eol: '2028-04-30', releaseDate: '2025-05-06', eoas: '2026-10-20', lts: '2025-10-28', latest: '24.19.1', latestReleaseDate: '2026-08-25' },
        { cycle: '16', eol: '2023-09-11', releaseDate: '2021-04-20', eoas: '2022-10-18', lts: '2021-10-26', latest: '16.20.2', latestReleaseDate: '2023-08-08' },
        { cycle: '3', eol: true, releaseDate: '2015-08-04', eoas: true, latest: '3.3.1', latestReleaseDate: '2015-09-15' },
      ],
    });
    expect(data.products.debian?.cycles[1]).toEqual({ cycle: '10', eol: '2022-09-10', releaseDate: '2019-07-06', latest: '10.13', latestReleaseDate: '2022-09-10', codename: 'Buster' });
    expect(data.products.ubuntu?.cycles[0]?.lts).toBe(true);
    expect(data.products.angular?.purls).toEqual([{ type: 'npm', namespace: '@angular', name: 'core' }]);
    expect(data.products.react?.cycles[1]).toMatchObject({ eol: false, eoas: '2024-12-05' });

    // The refreshed data drives cycles and verdicts like the bundled one.
    expect(cycleFor('debian', 'buster', { data })).toBe('10');
    expect(cycleFor('nodejs', 'lts/*', { data, now: NOW })).toBe('24');
    expect(verdict('react', '18', NOW, data).status).toBe('support-ended');
    expect(verdict('nodejs', '3', NOW, data)).toMatchObject({ status: 'eol', eol: null });
    expect(readdirSync(cacheDir)).toEqual([EOL_CACHE_FILE]);
  });

  it('keeps a mirror path prefix and dates the data by the fetch when the API gives no date', async () => {
    const cacheDir = tempDir();
    await updateEolData({ baseUrl: `${baseUrl}/mirror/`, cacheDir, now: () => NOW });
    expect(requests.at(-1)?.url).toBe('/mirror/api/v1/products/full');
    const undated = await updateEolData({ baseUrl: `${baseUrl}/no-date`, cacheDir, now: () => NOW });
    expect(undated.asOf).toBe('2026-09-02');
  });

  describe('fails with a typed error and leaves the previous cache alone', () => {
    const cases: Array<[string, EolUpdateError['code'], RegExp]> = [
      ['/down', 'http', /HTTP 503/],
      ['/moved', 'http', /HTTP 404/],
      ['/html', 'malformed', /not JSON/],
      ['/truncated', 'malformed', /not JSON/],
      ['/shape', 'malformed', /not an endoflife\.date API v1 products\/full response \(result\.0\./],
      ['/empty', 'malformed', /lists no products/],
      ['/v2', 'malformed', /unsupported API schema_version 2\.0\.0/],
      ['/array', 'malformed', /expected a JSON object/],
    ];
    it.each(cases)('%s → %s', async (prefix, code, message) => {
      const cacheDir = tempDir();
      writeFileSync(join(cacheDir, EOL_CACHE_FILE), 'previous');
      const error = await failure(updateEolData({ baseUrl: `${baseUrl}${prefix}`, cacheDir }));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(error.url).toBe(`${baseUrl}${prefix}/api/v1/products/full`);
      expect(readFileSync(join(cacheDir, EOL_CACHE_FILE), 'utf8')).toBe('previous');
      expect(readdirSync(cacheDir)).toEqual([EOL_CACHE_FILE]);
    });

    it('timeout', async () => {
      const error = await failure(updateEolData({ baseUrl: `${baseUrl}/slow`, cacheDir: tempDir(), timeoutMs: 200 }));
      expect(error.code).toBe('timeout');
      expect(error.message).toMatch(/within 200 ms/);
    });

    it('cancelled', async () => {
      const controller = new AbortController();
      const promise = updateEolData({ baseUrl: `${baseUrl}/slow`, cacheDir: tempDir(), signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      expect((await failure(promise)).code).toBe('aborted');
    });

    it('network', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const error = await failure(updateEolData({ baseUrl: `http://127.0.0.1:${port}`, cacheDir: tempDir() }));
      expect(error.code).toBe('network');
      expect(error.message).toMatch(/cannot reach endoflife\.date \(ECONNREFUSED\)/);
    });

    it('write', async () => {
      const dir = tempDir();
      const file = join(dir, 'a-file');
      writeFileSync(file, '');
      const error = await failure(updateEolData({ baseUrl, cacheDir: join(file, 'cache') }));
      expect(error.code).toBe('write');
    });

    it('a fetch that throws', async () => {
      const fetchImpl = (async () => {
        throw new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } });
      }) as unknown as typeof fetch;
      const error = await failure(updateEolData({ cacheDir: tempDir(), fetchImpl }));
      expect(error).toMatchObject({ code: 'network', url: 'https://endoflife.date/api/v1/products/full' });
      expect(error.message).toMatch(/ENOTFOUND/);
    });
  });
});

describe('convertApiResponse', () => {
  it('accepts the documented shape without optional fields', () => {
    const data = convertApiResponse(
      { schema_version: '1.0.0', result: [{ name: 'x', label: 'X', category: 'app', releases: [{ name: '1', isEol: false, isLts: false, latest: null }] }] },
      { now: NOW },
    );
    expect(data.products.x).toEqual({ title: 'X', category: 'app', cycles: [{ cycle: '1', eol: false }] });
    expect(data.asOf).toBe('2026-09-02');
  });
});
