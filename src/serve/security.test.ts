import type { IncomingMessage } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeContext } from '../core/probe.js';
import { httpConfigSchema } from '../probes/http/config.js';
import { httpProbe, type HttpFacts } from '../probes/http/index.js';
import { makeCert, type TestCert } from '../probes/http/test-support/servers.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { bearerToken, checkHost, checkRead, checkWrite, isLoopbackHost, Token, type AccessPolicy } from './auth.js';
import { NonLoopbackWithoutTokenError, type RunningServer } from './server.js';
import { raw, startTestServer } from './test-support/server.js';

const TOKEN = 'security-test-token-0123456789';

function request(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

describe('the token and the access checks', () => {
  it('compares tokens whatever their length, and never shows one', () => {
    const token = new Token(TOKEN);
    expect(token.matches(TOKEN)).toBe(true);
    expect(token.matches(`${TOKEN}x`)).toBe(false);
    expect(token.matches('')).toBe(false);
    expect(JSON.stringify({ token })).not.toContain(TOKEN);
    expect(bearerToken(request({ authorization: `Bearer ${TOKEN}` }))).toBe(TOKEN);
    expect(bearerToken(request({ authorization: `bearer  ${TOKEN} ` }))).toBe(TOKEN);
    expect(bearerToken(request({ authorization: `Basic ${TOKEN}` }))).toBeNull();
    expect(bearerToken(request({ authorization: 'Bearer a b' }))).toBeNull();
  });

  it('tells loopback addresses and names from others', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'app.localhost', '::ffff:127.0.0.1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.1', 'example.com', 'localhost.example.com', '128.0.0.1']) expect(isLoopbackHost(host), host).toBe(false);
  });

  it('asks for the token on reads only when the server is reachable from elsewhere', () => {
    const open: AccessPolicy = { token: new Token(TOKEN), readsNeedToken: false, loopbackOnly: true };
    const exposed: AccessPolicy = { token: new Token(TOKEN), readsNeedToken: true, loopbackOnly: false };
    expect(checkRead(request({}), open)).toBeNull();
    expect(checkRead(request({}), exposed)).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(checkRead(request({ authorization: 'Bearer wrong' }), exposed)).toMatchObject({ status: 401 });
    expect(checkRead(request({ authorization: `Bearer ${TOKEN}` }), exposed)).toBeNull();
    // Exposed: any Host is fine (the token protects it); loopback only: only loopback names.
    expect(checkHost(request({ host: 'prodeng.example.com' }), exposed)).toBeNull();
    expect(checkHost(request({ host: 'prodeng.example.com' }), open)).toMatchObject({ status: 403, code: 'forbidden' });
    expect(checkHost(request({ host: '127.0.0.1:7070' }), open)).toBeNull();
  });

  it('refuses writes without a configured token, and cross-site ones with it', () => {
    const readOnly: AccessPolicy = { token: null, readsNeedToken: false, loopbackOnly: true };
    expect(checkWrite(request({ authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }), readOnly, true)).toMatchObject({ status: 403, code: 'read-only' });
    const policy: AccessPolicy = { token: new Token(TOKEN), readsNeedToken: false, loopbackOnly: true };
    const good = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json; charset=utf-8', host: '127.0.0.1:7070' };
    expect(checkWrite(request(good), policy, true)).toBeNull();
    expect(checkWrite(request({ ...good, origin: 'http://127.0.0.1:7070', 'sec-fetch-site': 'same-origin' }), policy, true)).toBeNull();
    expect(checkWrite(request({ ...good, origin: 'http://127.0.0.1:7071' }), policy, true)).toMatchObject({ code: 'csrf' });
    expect(checkWrite(request({ ...good, origin: 'null' }), policy, true)).toMatchObject({ code: 'csrf' });
    expect(checkWrite(request({ ...good, 'content-type': 'text/plain' }), policy, true)).toMatchObject({ code: 'csrf' });
    // A DELETE has no body: no content type needed.
    expect(checkWrite(request({ authorization: `Bearer ${TOKEN}`, host: '127.0.0.1:7070' }), policy, false)).toBeNull();
  });

  it('refuses to listen beyond loopback without a token', async () => {
    const store = await openStore(':memory:');
    try {
      await expect(startTestServer({ store, host: '0.0.0.0' })).rejects.toBeInstanceOf(NonLoopbackWithoutTokenError);
      await expect(startTestServer({ store, host: '0.0.0.0' })).rejects.toThrow(/without a token.*PRODENG_TOKEN.*127\.0\.0\.1/s);
    } finally {
      await store.close();
    }
  });
});

describe("prodeng's own http probe grades prodeng serve", () => {
  let dir: string;
  let cert: TestCert;
  let store: Store;
  let server: RunningServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'prodeng-serve-grade-'));
    mkdirSync(join(dir, 'dashboard', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'dashboard', 'index.html'), '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>prodeng</title><script type="module" src="/assets/app-12345678.js"></script></head><body></body></html>');
    writeFileSync(join(dir, 'dashboard', 'assets', 'app-12345678.js'), 'export {};');
    cert = makeCert();
    store = await openStore(join(dir, 'prodeng.db'));
    server = await startTestServer({ store, token: TOKEN, tls: { cert: cert.cert, key: cert.key }, dashboardDir: join(dir, 'dashboard') });
  });

  afterAll(async () => {
    await server.close();
    await store.close();
    cert.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends HSTS over TLS', async () => {
    const response = await raw(`${server.url}/healthz`, { ca: cert.cert });
    expect(response.status).toBe(200);
    expect(response.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
  });

  it('grades the dashboard and the API A+ with no finding', async () => {
    const context: ProbeContext = {
      system: { name: 'prodeng', sources: { endpoints: [{ url: `${server.url}/` }, { url: `${server.url}/api/v1/overview` }] } },
      signal: new AbortController().signal,
      now: new Date(),
      offline: false,
      cacheDir: join(dir, 'cache'),
      progress: () => undefined,
      history: { recordTestRun: async () => Promise.reject(new Error('unused')), testHistory: async () => Promise.reject(new Error('unused')), ciRecords: async () => [] },
    };
    // No plain-HTTP listener to redirect from: the redirect test does not apply.
    const result = await httpProbe.run(context, httpConfigSchema.parse({ caFile: cert.certPath, redirectCheck: false, requests: 3, maxRequestsPerSecond: 50 }));
    if (result.status !== 'ok' && result.status !== 'partial') throw new Error(JSON.stringify(result));
    const facts = result.facts as HttpFacts;
    expect(result.errors).toStrictEqual([]);
    for (const endpoint of facts.endpoints) {
      expect(endpoint.observatory?.grade, endpoint.url).toBe('A+');
      expect(endpoint.tlsVerified).toBe(true);
    }
    expect(result.findings.map((f) => `${f.rule}: ${f.title}`)).toStrictEqual([]);
  });
});
