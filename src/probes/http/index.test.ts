import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Metric, ProbeResult } from '../../core/model.js';
import { detachedHistory, type Endpoint, type ProbeContext } from '../../core/probe.js';
import { httpConfigSchema, type HttpConfig } from './config.js';
import { type HttpFacts, httpProbe } from './index.js';
import { RULES } from './rules.js';
import { closedPort, makeCert, type Running, startHttp, startHttps, startRaw, type TestCert } from './test-support/servers.js';

let cert: TestCert;
const servers: Running[] = [];
const track = async (running: Promise<Running>): Promise<Running> => {
  const r = await running;
  servers.push(r);
  return r;
};

const HARDENED_HEADERS = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains; preload',
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  server: 'nginx',
  'content-type': 'text/html; charset=utf-8',
};
const SECRET_COOKIE_VALUE = 'sEcReT-cookie-value-1234567890';

let hardened: Running;
let careless: Running;
let unsafeCsp: Running;
let metaCsp: Running;
let redirector: Running;
let plainOk: Running;

beforeAll(async () => {
  cert = makeCert();
  hardened = await track(
    startHttps(cert, (_req, res) => {
      res.writeHead(200, { ...HARDENED_HEADERS, 'set-cookie': [`__Host-sid=${SECRET_COOKIE_VALUE}; Path=/; Secure; HttpOnly; SameSite=Lax`] });
      res.end('<!doctype html><title>ok</title>');
    }),
  );
  careless = await track(
    startHttps(cert, (_req, res) => {
      res.writeHead(200, {
        'content-type': 'text/html',
        server: 'nginx/1.18.0',
        'x-powered-by': 'PHP/7.4.3',
        'set-cookie': [`sessionid=${SECRET_COOKIE_VALUE}`, 'theme=dark'],
      });
      res.end('<html><body>hello</body></html>');
    }),
  );
  unsafeCsp = await track(
    startHttps(cert, (_req, res) => {
      res.writeHead(200, { ...HARDENED_HEADERS, 'content-security-policy': "default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'" });
      res.end();
    }),
  );
  metaCsp = await track(
    startHttps(cert, (_req, res) => {
      const { 'content-security-policy': _, ...headers } = HARDENED_HEADERS;
      res.writeHead(200, headers);
      res.end(`<html><head><meta http-equiv="Content-Security-Policy" content="default-src 'self'; object-src 'none'; base-uri 'none'"></head><body></body></html>`);
    }),
  );
  // Plain HTTP in front of the hardened server: redirects to HTTPS on the same host.
  redirector = await track(startHttp((req, res) => res.writeHead(301, { location: `https://127.0.0.1:${hardened.port}${req.url}` }).end()));
  // Plain HTTP that serves the page itself.
  plainOk = await track(startHttp((_req, res) => res.end('plain')));
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  cert.remove();
});

function context(endpoints: Endpoint[], extra: Partial<ProbeContext> = {}): ProbeContext {
  return {
    system: { name: 'web', sources: { endpoints } },
    signal: new AbortController().signal,
    now: new Date('2026-01-01T00:00:00Z'),
    offline: false,
    cacheDir: '/nonexistent',
    progress: () => undefined,
    history: detachedHistory('web'),
    ...extra,
  };
}

function config(options: Record<string, unknown> = {}): HttpConfig {
  return httpConfigSchema.parse({ requests: 4, maxRequestsPerSecond: 100, timeoutMs: 5000, ...options });
}

type Ok = Extract<ProbeResult, { status: 'ok' | 'partial' }>;
async function run(endpoints: Endpoint[], options: Record<string, unknown> = {}, extra: Partial<ProbeContext> = {}): Promise<ProbeResult> {
  return httpProbe.run(context(endpoints, extra), config(options));
}
function observed(result: ProbeResult): Ok & { facts: HttpFacts } {
  if (result.status === 'failed') throw new Error(`probe failed: ${JSON.stringify(result.errors)}`);
  return result as Ok & { facts: HttpFacts };
}
const ruleList = (findings: Finding[]): string[] => findings.map((f) => f.rule).sort();
const metric = (metrics: Metric[], name: string, endpoint?: string): number | undefined => metrics.find((m) => m.name === name && (endpoint === undefined || m.labels.endpoint === endpoint))?.value;

describe('http probe against servers on 127.0.0.1', () => {
  it('finds nothing on a hardened HTTPS server that HTTP redirects to, and grades it A+', async () => {
    const url = `${hardened.origin}/`;
    const result = observed(await run([{ url }], { caFile: cert.certPath, httpUrls: { [hardened.origin]: `${redirector.origin}/` } }));
    expect(result.errors).toEqual([]);
    expect(result.status).toBe('ok');
    expect(result.findings).toEqual([]);
    const facts = result.facts.endpoints[0]!;
    expect(facts).toMatchObject({ url, finalUrl: url, status: 200, tlsVerified: true, tlsError: null, error: null, disclosedComponents: [] });
    expect(facts.observatory?.grade).toBe('A+');
    expect(facts.observatory?.score).toBeGreaterThanOrEqual(100);
    expect(facts.redirect).toMatchObject({ kind: 'to-https' });
    expect(facts.cookies).toEqual([expect.objectContaining({ name: '__Host-sid', secure: true, httpOnly: true, sameSite: 'lax', session: true })]);
    expect(metric(result.metrics, 'http.observatory_score', url)).toBe(facts.observatory?.score);
    expect(metric(result.metrics, 'http.error_rate', url)).toBe(0);
    expect(metric(result.metrics, 'http.availability', url)).toBe(1);
    const p50 = metric(result.metrics, 'http.latency_p50_ms', url)!;
    const p95 = metric(result.metrics, 'http.latency_p95_ms', url)!;
    const p99 = metric(result.metrics, 'http.latency_p99_ms', url)!;
    expect(p50).toBeGreaterThanOrEqual(0);
    expect(p95).toBeGreaterThanOrEqual(p50);
    expect(p99).toBeGreaterThanOrEqual(p95);
    expect(metric(result.metrics, 'http.ttfb_p50_ms', url)).toBeLessThanOrEqual(metric(result.metrics, 'http.ttfb_p95_ms', url)!);
    expect(facts.latency).toMatchObject({ samples: 4, errors: 0, statuses: { 200: 4 } });
    expect(JSON.stringify(result)).not.toContain(SECRET_COOKIE_VALUE);
  });

  it('finds every header rule on a careless server, with disclosed versions as facts and no cookie values anywhere', async () => {
    const url = `${careless.origin}/`;
    const result = observed(await run([{ url }], { httpUrls: { [careless.origin]: `${plainOk.origin}/` } }));
    expect(result.status).toBe('ok');
    expect(ruleList(result.findings)).toEqual([
      'http/cookie-insecure',
      'http/cookie-insecure',
      'http/csp-missing',
      'http/framing-allowed',
      'http/hsts-missing',
      'http/no-https-redirect',
      'http/nosniff-missing',
      'http/permissions-policy-missing',
      'http/referrer-policy-missing',
      'http/version-disclosure',
      'http/version-disclosure',
    ]);
    for (const finding of result.findings) expect(finding.location).toEqual({ url });
    expect(new Set(result.findings.map((f) => f.fingerprint)).size).toBe(result.findings.length);
    const session = result.findings.find((f) => f.rule === 'http/cookie-insecure' && f.data.cookie === 'sessionid');
    expect(session).toMatchObject({ severity: 'high', data: { missing: ['Secure', 'HttpOnly', 'SameSite'] } });
    const facts = result.facts.endpoints[0]!;
    expect(facts.tlsVerified).toBe(false);
    expect(facts.tlsError).toBeTruthy();
    expect(facts.observatory).toMatchObject({ score: 0, grade: 'F' });
    expect(facts.redirect).toMatchObject({ kind: 'missing' });
    expect(facts.headers).toMatchObject({ server: 'nginx/1.18.0', 'x-powered-by': 'PHP/7.4.3' });
    expect(facts.headers['set-cookie' as never]).toBeUndefined();
    expect(result.facts.disclosedComponents.map((c) => ({ product: c.product, version: c.version, endpoint: c.endpoint }))).toEqual([
      { product: 'nginx', version: '1.18.0', endpoint: url },
      { product: 'php', version: '7.4.3', endpoint: url },
    ]);
    expect(result.facts.notes.join(' ')).toContain('tlsVerified: false');
    expect(JSON.stringify(result)).not.toContain(SECRET_COOKIE_VALUE);
    // The same server observed again gives the same identities.
    const again = observed(await run([{ url }], { httpUrls: { [careless.origin]: `${plainOk.origin}/` } }));
    expect(again.findings.map((f) => f.fingerprint).sort()).toEqual(result.findings.map((f) => f.fingerprint).sort());
  });

  it("reports 'unsafe-inline' in script-src, and accepts a CSP <meta>", async () => {
    const unsafe = observed(await run([{ url: `${unsafeCsp.origin}/` }], { caFile: cert.certPath, redirectCheck: false }));
    expect(unsafe.findings.map((f) => [f.rule, f.severity, f.data.weakness])).toEqual([['http/csp-unsafe', 'high', 'script-unsafe-inline']]);
    const meta = observed(await run([{ url: `${metaCsp.origin}/` }], { caFile: cert.certPath, redirectCheck: false }));
    expect(ruleList(meta.findings)).toEqual(['http/csp-unsafe']);
    expect(meta.findings[0]?.data).toMatchObject({ weakness: 'frame-ancestors-missing', source: '<meta>' });
  });

  it('follows an http:// endpoint to HTTPS on the same host and grades the HTTPS page', async () => {
    const url = `${redirector.origin}/landing`;
    const result = observed(await run([{ url }], { caFile: cert.certPath }));
    const facts = result.facts.endpoints[0]!;
    expect(facts.finalUrl).toBe(`${hardened.origin}/landing`);
    expect(facts.redirects).toEqual([{ url, status: 301, location: `${hardened.origin}/landing` }]);
    expect(facts.redirect).toMatchObject({ kind: 'to-https' });
    expect(result.findings).toEqual([]);
    // The series measures the configured URL itself (the redirect), without following it.
    expect(facts.latency?.statuses).toEqual({ 301: 4 });
  });

  it('reports an http:// endpoint that never goes to HTTPS', async () => {
    const result = observed(await run([{ url: `${plainOk.origin}/` }]));
    expect(result.findings.find((f) => f.rule === 'http/no-https-redirect')).toMatchObject({ severity: 'medium', data: { kind: 'missing' } });
    expect(result.findings.find((f) => f.rule === 'http/hsts-missing')).toBeUndefined();
    expect(result.facts.endpoints[0]?.tlsVerified).toBeNull();
  });

  it('makes the run partial when a configured plain-HTTP URL cannot be asked', async () => {
    const port = await closedPort();
    const result = observed(await run([{ url: `${hardened.origin}/` }], { caFile: cert.certPath, httpUrls: { [hardened.origin]: `http://127.0.0.1:${port}/` } }));
    // A configured URL that cannot be asked is an error of the check, not a pass.
    expect(result.status).toBe('partial');
    expect(result.facts.endpoints[0]?.redirect).toMatchObject({ kind: 'unknown' });
    expect(result.errors[0]).toMatchObject({ code: 'http-redirect-check' });
  });

  it('measures an endpoint that fails half the time: error rate 0.5', async () => {
    let count = 0;
    const flaky = await track(
      startHttps(cert, (_req, res) => {
        const n = count++;
        res.writeHead(n % 2 === 1 ? 503 : 200, HARDENED_HEADERS).end();
      }),
    );
    const url = `${flaky.origin}/`;
    const result = observed(await run([{ url }], { caFile: cert.certPath, redirectCheck: false, requests: 10, concurrency: 1 }));
    expect(count).toBe(11); // the page, then the series
    expect(metric(result.metrics, 'http.error_rate', url)).toBe(0.5);
    expect(metric(result.metrics, 'http.availability', url)).toBe(0.5);
    expect(result.facts.endpoints[0]?.latency).toMatchObject({ samples: 10, errors: 5, statuses: { 200: 5, 503: 5 } });
  });

  it('keeps failures scoped: a silent and a resetting endpoint make the run partial, not failed', async () => {
    const silent = await track(startRaw(() => undefined));
    const reset = await track(startRaw((socket) => socket.once('data', () => socket.resetAndDestroy())));
    const garbage = await track(startRaw((socket) => socket.once('data', () => socket.end('garbage\r\n\r\n'))));
    const good = `${hardened.origin}/`;
    const result = observed(
      await run([{ url: good }, { url: `${silent.origin}/` }, { url: `${reset.origin}/` }, { url: `${garbage.origin}/` }, { url: 'tls://127.0.0.1:1' }], {
        caFile: cert.certPath,
        redirectCheck: false,
        timeoutMs: 1000,
        requests: 6,
        concurrency: 1,
      }),
    );
    expect(result.status).toBe('partial');
    expect(result.facts.endpoints.map((e) => e.url)).toEqual([good, `${silent.origin}/`, `${reset.origin}/`, `${garbage.origin}/`]);
    expect(result.errors.map((e) => [e.path, e.code])).toEqual([
      [`${silent.origin}/`, 'http-timeout'],
      [`${reset.origin}/`, 'http-reset'],
      [`${garbage.origin}/`, 'http-protocol'],
    ]);
    const silentFacts = result.facts.endpoints[1]!;
    expect(silentFacts.latency).toMatchObject({ samples: 3, errors: 3, stoppedEarly: true, statuses: { timeout: 3 } });
    expect(metric(result.metrics, 'http.availability', `${silent.origin}/`)).toBe(0);
    expect(metric(result.metrics, 'http.latency_p50_ms', `${silent.origin}/`)).toBeUndefined();
    expect(metric(result.metrics, 'http.error_rate', `${reset.origin}/`)).toBe(1);
    expect(metric(result.metrics, 'http.availability', good)).toBe(1);
  });

  it('fails only when no endpoint answers at all', async () => {
    const port = await closedPort();
    const result = await run([{ url: `http://127.0.0.1:${port}/` }], { requests: 2 });
    expect(result).toMatchObject({ status: 'failed', errors: [{ code: 'http-refused' }] });
  });

  it('reports a redirect loop as an endpoint error', async () => {
    const loop = await track(startHttp((_req, res) => res.writeHead(302, { location: '/again' }).end()));
    const result = observed(await run([{ url: `${loop.origin}/` }], { requests: 2 }));
    expect(result.status).toBe('partial');
    expect(result.errors).toEqual([expect.objectContaining({ code: 'http-redirect-loop' })]);
    expect(result.facts.endpoints[0]?.observatory).toBeNull();
    expect(result.facts.endpoints[0]?.latency?.statuses).toEqual({ 302: 2 });
  });

  it('reads at most maxBodyBytes of a huge page and still finds its CSP <meta>', async () => {
    let chunksSent = 0;
    const huge = await track(
      startHttp((_req, res) => {
        res.on('error', () => undefined);
        res.writeHead(200, { 'content-type': 'text/html' });
        res.write(`<html><head><meta http-equiv="Content-Security-Policy" content="default-src 'self'"></head><body>`);
        const chunk = Buffer.alloc(64 * 1024, 'x');
        const pump = (): void => {
          while (chunksSent < 400 && !res.destroyed && res.write(chunk)) chunksSent++;
          if (chunksSent < 400 && !res.destroyed) res.once('drain', pump);
          else res.end();
        };
        pump();
      }),
    );
    const result = observed(await run([{ url: `${huge.origin}/` }], { requests: 1, maxBodyBytes: 65_536 }));
    expect(result.findings.find((f) => f.rule === 'http/csp-missing')).toBeUndefined();
    expect(chunksSent).toBeLessThan(400);
  });

  it('is failed offline, does not apply to tls:// endpoints, and documents every rule', async () => {
    expect(await run([{ url: `${hardened.origin}/` }], {}, { offline: true })).toMatchObject({ status: 'failed', errors: [{ code: 'offline' }] });
    expect(httpProbe.appliesTo({ name: 'x', sources: { endpoints: [{ url: 'tls://db.internal:5432' }] } })).toBe(false);
    expect(httpProbe.appliesTo({ name: 'x', sources: { endpoints: [{ url: 'https://shop.example' }] } })).toBe(true);
    expect(httpProbe.appliesTo({ name: 'x', sources: { repo: '/tmp' } })).toBe(false);
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('./readme.md', import.meta.url), 'utf8');
    for (const rule of RULES) expect(readme).toContain(rule.id);
    for (const option of httpProbe.options) expect(readme).toContain(`\`${option.key}\``);
  });
});
