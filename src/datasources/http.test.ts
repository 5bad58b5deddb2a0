import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HostLimiter, HttpClient, issuePath, retryAfterMs } from './http.js';
import { DatasourceError } from './registry.js';
import { startServer, type TestServer } from './test-support/server.js';

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  await server.close();
});

const anything = z.unknown();
const signal = () => AbortSignal.timeout(30_000);
const fast = { retryBaseMs: 1, maxRetryWaitMs: 50, timeoutMs: 2_000 };

async function failure(promise: Promise<unknown>): Promise<DatasourceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasourceError);
  return error as DatasourceError;
}

describe('HttpClient', () => {
  it('sends the User-Agent and Accept, and validates JSON with the schema', async () => {
    server.route('/doc', { body: { a: { b: 1 } } });
    const http = new HttpClient({ ...fast, userAgent: 'prodeng/9.9.9 (+https://github.com/prodeng/prodeng)' });
    const schema = z.object({ a: z.object({ b: z.number() }) });
    expect(await http.getJson(`${server.base}/doc`, schema, { signal: signal() })).toEqual({ a: { b: 1 } });
    expect(server.requests[0]?.headers['user-agent']).toBe('prodeng/9.9.9 (+https://github.com/prodeng/prodeng)');
    expect(server.requests[0]?.headers.accept).toBe('application/json');
  });

  it('has a default User-Agent with the version from package.json', async () => {
    server.route('/doc', { body: {} });
    await new HttpClient(fast).getJson(`${server.base}/doc`, anything, { signal: signal() });
    expect(server.requests[0]?.headers['user-agent']).toMatch(/^prodeng\/\d+\.\d+\.\d+\S* \(\+https:\/\/github\.com\/prodeng\/prodeng\)$/);
  });

  it('names the first issue path on a schema mismatch', async () => {
    server.route('/doc', { body: { versions: { '1.0.0': { time: 5 } } } });
    const schema = z.object({ versions: z.record(z.string(), z.object({ time: z.string() })) });
    const error = await failure(new HttpClient(fast).getJson(`${server.base}/doc`, schema, { signal: signal() }));
    expect(error.code).toBe('malformed');
    expect(error.host).toBe(server.host);
    expect(error.message).toBe(`${server.host}: unexpected answer for /doc at $.versions["1.0.0"].time: Invalid input: expected string, received number`);
  });

  it('honours Retry-After in seconds', async () => {
    server.route('/doc', { status: 429, headers: { 'retry-after': '1' } }, { body: { ok: true } });
    const waits: number[] = [];
    const http = new HttpClient({ retryBaseMs: 1, maxRetryWaitMs: 5_000, sleep: async (ms) => void waits.push(ms) });
    expect(await http.getJson(`${server.base}/doc`, anything, { signal: signal() })).toEqual({ ok: true });
    expect(waits).toEqual([1000]);
  });

  it('honours Retry-After as an HTTP date on a 503', async () => {
    const date = new Date(Date.now() + 1_500).toUTCString(); // whole seconds: waits 0.5 to 1.5 s
    server.route('/doc', { status: 503, headers: { 'retry-after': date } }, { body: { ok: true } });
    const waits: number[] = [];
    const http = new HttpClient({ retryBaseMs: 1, maxRetryWaitMs: 5_000, sleep: async (ms) => void waits.push(ms) });
    expect(await http.getJson(`${server.base}/doc`, anything, { signal: signal() })).toEqual({ ok: true });
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(400);
    expect(waits[0]).toBeLessThanOrEqual(1_500);
  });

  it('caps the Retry-After wait', async () => {
    server.route('/doc', { status: 429, headers: { 'retry-after': '3600' } }, { body: { ok: true } });
    const waits: number[] = [];
    expect(await new HttpClient({ ...fast, sleep: async (ms) => void waits.push(ms) }).getJson(`${server.base}/doc`, anything, { signal: signal() })).toEqual({ ok: true });
    expect(waits).toEqual([fast.maxRetryWaitMs]);
  });

  it('does not retry other 4xx, and hints at credentials on 401/403', async () => {
    server.route('/doc', { status: 403, body: 'Forbidden' });
    const error = await failure(new HttpClient(fast).getJson(`${server.base}/doc`, anything, { signal: signal() }));
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain('HTTP 403');
    expect(error.message).toContain('credentials');
    expect(server.hits('/doc')).toBe(1);
  });

  it('retries a dropped connection', async () => {
    server.route('/doc', { destroy: true }, { body: { ok: true } });
    expect(await new HttpClient(fast).getJson(`${server.base}/doc`, anything, { signal: signal() })).toEqual({ ok: true });
    expect(server.hits('/doc')).toBe(2);
  });

  it('is unavailable, naming the host, when nothing listens', async () => {
    const { base, host } = server;
    await server.close();
    const error = await failure(new HttpClient({ ...fast, retries: 1 }).getJson(`${base}/doc`, anything, { signal: signal() }));
    expect(error.code).toBe('unavailable');
    expect(error.host).toBe(host);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toContain('(2 attempts)');
    server = await startServer(); // for afterEach
  });

  it('times out a body that stalls after the headers', async () => {
    // the headers come at once, the body never ends: the timeout covers reading it too
    const { createServer } = await import('node:http');
    const stall = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"a":');
    });
    await new Promise<void>((resolve) => stall.listen(0, '127.0.0.1', resolve));
    const port = (stall.address() as { port: number }).port;
    try {
      const error = await failure(new HttpClient({ ...fast, timeoutMs: 150, retries: 0 }).getJson(`http://127.0.0.1:${port}/doc`, anything, { signal: signal() }));
      expect(error.code).toBe('timeout');
      expect(error.host).toBe(`127.0.0.1:${port}`);
      expect(error.message).not.toContain('attempts');
    } finally {
      stall.closeAllConnections();
      await new Promise((resolve) => stall.close(resolve));
    }
  });

  it("rejects with the caller's abort reason, not a DatasourceError", async () => {
    server.route('/slow', { body: {}, delayMs: 5_000 });
    const controller = new AbortController();
    const pending = new HttpClient(fast).getJson(`${server.base}/slow`, anything, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('interrupted')), 50);
    await expect(pending).rejects.toThrow('interrupted');
  });

  it('stops waiting between attempts when the caller aborts', async () => {
    server.route('/doc', { status: 503 });
    const controller = new AbortController();
    const pending = new HttpClient({ retryBaseMs: 10_000, maxRetryWaitMs: 10_000 }).getJson(`${server.base}/doc`, anything, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('interrupted')), 100);
    // Without the abort it would wait 10 s and then fail with the 503, not with this reason.
    await expect(pending).rejects.toThrow('interrupted');
  });

  it('refuses a body larger than maxBytes', async () => {
    server.route('/big', { body: { data: 'x'.repeat(10_000) } });
    const error = await failure(new HttpClient({ ...fast, maxBytes: 1_000 }).getJson(`${server.base}/big`, anything, { signal: signal() }));
    expect(error.code).toBe('malformed');
    expect(error.message).toContain('larger than 1000 bytes');
  });

  it('keeps at most `concurrency` requests in flight per host', async () => {
    server.route('/slow', { body: {}, delayMs: 100 });
    const http = new HttpClient({ ...fast, concurrency: 2 });
    await Promise.all(Array.from({ length: 7 }, () => http.getJson(`${server.base}/slow`, anything, { signal: signal() })));
    expect(server.maxInFlight).toBe(2);
    expect(server.hits('/slow')).toBe(7);
  });
});

describe('credentials', () => {
  it('sends an endpoint header to its origin only, and never shows it in errors', async () => {
    const other = await startServer();
    try {
      const http = new HttpClient({ ...fast, retries: 0 });
      const endpoint = http.endpoint(`${server.base}/`, { Authorization: 'Bearer s3cr3t-t0ken' });
      server.route('/own', { status: 500 });
      const error = await failure(http.getJson(`${endpoint.base}/own`, anything, { signal: signal(), headers: endpoint.headersFor(`${endpoint.base}/own`) }));
      expect(server.requests[0]?.headers.authorization).toBe('Bearer s3cr3t-t0ken');
      expect(`${error.message} ${String(error.cause)} ${JSON.stringify(error)}`).not.toContain('s3cr3t');

      other.route('/page', { body: {} });
      await http.getJson(`${other.base}/page`, anything, { signal: signal(), headers: endpoint.headersFor(`${other.base}/page`) });
      expect(other.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it('turns credentials in the base URL into Basic auth, and keeps them out of base and host', async () => {
    const http = new HttpClient(fast);
    const endpoint = http.endpoint(server.base.replace('http://', 'http://ci-user:p%40ss-w0rd@'));
    expect(endpoint.base).toBe(server.base);
    expect(endpoint.host).toBe(server.host);
    server.route('/doc', { body: {} });
    await http.getJson(`${endpoint.base}/doc`, anything, { signal: signal(), headers: endpoint.headersFor(`${endpoint.base}/doc`) });
    expect(server.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from('ci-user:p@ss-w0rd').toString('base64')}`);
  });

  it('rejects a base URL that is not http(s), without echoing its credentials', () => {
    const http = new HttpClient(fast);
    expect(() => http.endpoint('ftp://user:hunter2@example.test/')).toThrow(/not an http\(s\) URL/);
    expect(() => http.endpoint('ftp://user:hunter2@example.test/')).not.toThrow(/hunter2/);
    expect(() => http.endpoint('not a url')).toThrow(TypeError);
  });
});

describe('HostLimiter', () => {
  it('limits each host on its own and hands slots over in order', async () => {
    const limiter = new HostLimiter(1);
    const never = new AbortController().signal;
    const releaseA = await limiter.acquire('a', never);
    const releaseB = await limiter.acquire('b', never); // another host is not blocked
    const order: number[] = [];
    const second = limiter.acquire('a', never).then((release) => {
      order.push(2);
      return release;
    });
    const third = limiter.acquire('a', never).then((release) => {
      order.push(3);
      return release;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual([]);
    releaseA();
    releaseA(); // releasing twice frees one slot only
    (await second)();
    (await third)();
    expect(order).toEqual([2, 3]);
    releaseB();
    expect(limiter.active('a')).toBe(0);
    expect(limiter.active('b')).toBe(0);
  });

  it('drops a waiter whose signal aborts', async () => {
    const limiter = new HostLimiter(1);
    const release = await limiter.acquire('a', new AbortController().signal);
    const controller = new AbortController();
    const waiting = limiter.acquire('a', controller.signal);
    controller.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    release();
    expect(limiter.active('a')).toBe(0);
  });
});

describe('helpers', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it('formats issue paths', () => {
    expect(issuePath([])).toBe('$');
    expect(issuePath(['versions', '1.0.0', 'time'])).toBe('$.versions["1.0.0"].time');
    expect(issuePath(['items', 0, '@id'])).toBe('$.items[0]["@id"]');
  });
});
