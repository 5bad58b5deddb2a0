/**
 * Observes one endpoint: the page as a browser would first see it (redirects followed on the same
 * host, headers graded), the plain-HTTP redirect, and the latency series. Failures stay scoped to
 * the endpoint.
 */
import { fingerprint, normaliseEvidence } from '../../core/fingerprint.js';
import type { Effort, Finding, Metric, ProbeError } from '../../core/model.js';
import type { Endpoint } from '../../core/probe.js';
import { type Chain, follow, type GetOptions, request, type ResponseOutcome, type TlsState } from './client.js';
import type { HttpConfig } from './config.js';
import { type LatencySummary, runSeries, summarize } from './latency.js';
import { assess, collectCookies, type CookieFact, type ObservatoryTest, type RedirectCheck } from './observatory.js';
import type { DisclosedComponent } from './products.js';
import { ruleId, type RuleName } from './rules.js';

export interface EndpointFacts {
  url: string;
  finalUrl: string | null;
  status: number | null;
  redirects: Array<{ url: string; status: number; location: string }>;
  /** Selected response headers, lower-cased names, values capped at 512 characters. */
  headers: Record<string, string>;
  /** Names and flags only, never values. */
  cookies: CookieFact[];
  observatory: { score: number; grade: string; tests: ObservatoryTest[] } | null;
  redirect: RedirectCheck | null;
  latency: LatencySummary | null;
  /** The certificate chain and name verify (null over plain HTTP or when no TLS handshake completed). */
  tlsVerified: boolean | null;
  tlsError: string | null;
  tlsProtocol: string | null;
  disclosedComponents: DisclosedComponent[];
  /** Why the page could not be observed, when it could not. */
  error: string | null;
}

export interface EndpointResult {
  facts: EndpointFacts;
  findings: Finding[];
  metrics: Metric[];
  errors: ProbeError[];
  /** Some HTTP response came back (the page or a request of the series). */
  reached: boolean;
}

export interface ObserveDeps {
  signal: AbortSignal;
  userAgent: string;
  acquire: (signal: AbortSignal) => Promise<void>;
  ca?: string[] | undefined;
}

/** Response headers kept in the facts. Never cookies (values) nor anything about authorization. */
export const FACT_HEADERS = [
  'content-type',
  'strict-transport-security',
  'content-security-policy',
  'content-security-policy-report-only',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'permissions-policy',
  'cross-origin-opener-policy',
  'cross-origin-embedder-policy',
  'cross-origin-resource-policy',
  'access-control-allow-origin',
  'server',
  'x-powered-by',
  'x-aspnet-version',
  'x-aspnetmvc-version',
  'x-generator',
] as const;

const EFFORT: Record<RuleName, Effort> = {
  'hsts-missing': 'trivial',
  'hsts-weak': 'trivial',
  'csp-missing': 'medium',
  'csp-unsafe': 'medium',
  'nosniff-missing': 'trivial',
  'framing-allowed': 'trivial',
  'referrer-policy-missing': 'trivial',
  'permissions-policy-missing': 'small',
  'cookie-insecure': 'small',
  'no-https-redirect': 'trivial',
  'version-disclosure': 'trivial',
};

/** The URL without credentials, fragment or query values: safe for reports, labels and facts. */
export function redactUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  copy.hash = '';
  const query = copy.search !== '';
  copy.search = '';
  return `${copy.href}${query ? '?…' : ''}`;
}

/** What a finding's identity is about: the origin, plus the path when it is not `/`. */
export function endpointKey(url: URL): string {
  return `${url.origin}${url.pathname === '/' ? '' : url.pathname}`;
}

/** The plain-HTTP URL for the redirect check: configured per origin, else the same host and path on port 80. */
export function httpUrlFor(url: URL, configured: Readonly<Record<string, string>>): { url: string; configured: boolean } {
  const own = configured[url.origin] ?? configured[url.href] ?? configured[`${url.origin}/`];
  if (own !== undefined) return { url: own, configured: true };
  const http = new URL(url.href);
  http.protocol = 'http:';
  http.port = '';
  http.username = '';
  http.password = '';
  http.hash = '';
  return { url: http.href, configured: false };
}

/** Judges a plain-HTTP request chain: where did its first redirect go, and did it reach HTTPS? */
export function classifyRedirect(from: string, chain: Chain, sameHost: (url: URL) => boolean, configured: boolean): RedirectCheck {
  const first = chain.hops[0];
  const shown = (() => {
    try {
      return redactUrl(new URL(from));
    } catch {
      return from.slice(0, 200);
    }
  })();
  if (first === undefined) {
    if (chain.final.kind === 'error') {
      return configured
        ? { kind: 'unknown', from: shown, firstLocation: null, note: `could not be asked: ${chain.final.error} (${chain.final.message})` }
        : { kind: 'no-http', from: shown, firstLocation: null, note: `nothing answers plain HTTP (${chain.final.error})` };
    }
    return { kind: 'missing', from: shown, firstLocation: null, note: `answers ${chain.final.status} without redirecting to HTTPS` };
  }
  let location: URL;
  try {
    location = new URL(first.location);
  } catch {
    return { kind: 'not-to-https', from: shown, firstLocation: first.location.slice(0, 200), note: 'redirects to an invalid Location' };
  }
  const firstShown = redactUrl(location);
  if (location.protocol === 'https:') {
    return sameHost(location)
      ? { kind: 'to-https', from: shown, firstLocation: firstShown, note: `redirects (${first.status}) to ${firstShown}` }
      : { kind: 'off-host', from: shown, firstLocation: firstShown, note: `first redirects to another host (${firstShown}), so HSTS cannot be set for this one` };
  }
  const reached = chain.finalUrl.startsWith('https:') || (chain.stop !== null && chain.stop.location.startsWith('https:'));
  return reached
    ? { kind: 'initial-not-https', from: shown, firstLocation: firstShown, note: `first redirects to plain HTTP (${firstShown}) before HTTPS` }
    : { kind: 'not-to-https', from: shown, firstLocation: firstShown, note: `redirects (to ${firstShown}) without reaching HTTPS${chain.stop?.reason === 'too-many-redirects' ? ' (too many redirects)' : ''}` };
}

export async function observeEndpoint(endpoint: Endpoint, config: HttpConfig, deps: ObserveDeps): Promise<EndpointResult> {
  let url: URL;
  try {
    url = new URL(endpoint.url);
  } catch {
    const shown = endpoint.url.slice(0, 200);
    return { facts: emptyFacts(shown, 'not a valid URL'), findings: [], metrics: [], errors: [{ message: `${shown}: not a valid URL`, path: shown, code: 'http-invalid-url' }], reached: false };
  }
  const label = redactUrl(url);
  const key = endpointKey(url);
  const base: GetOptions = {
    timeoutMs: config.timeoutMs,
    maxBodyBytes: config.maxBodyBytes,
    keepBody: false,
    signal: deps.signal,
    userAgent: deps.userAgent,
    sni: endpoint.sni,
    ca: deps.ca,
    acquire: deps.acquire,
  };
  const sni = endpoint.sni?.toLowerCase();
  const sameHost = (other: URL): boolean => other.hostname.toLowerCase() === url.hostname.toLowerCase() || (sni !== undefined && other.hostname.toLowerCase() === sni);
  const errors: ProbeError[] = [];
  const facts = emptyFacts(label, null);
  const findings: Finding[] = [];
  const metrics: Metric[] = [];

  // 1. The page, as a first visit sees it.
  const chain = await follow(url, config.maxRedirects, { ...base, keepBody: true });
  facts.redirects = chain.hops.map((hop) => ({ url: redactUrl(new URL(hop.url)), status: hop.status, location: safeRedact(hop.location) }));
  let page: ResponseOutcome | null = null;
  if (chain.final.kind === 'error') {
    facts.error = `${chain.final.error}: ${chain.final.message}`;
    errors.push({ message: `${label}: cannot be observed (${chain.final.error}: ${chain.final.message})`, path: label, code: `http-${chain.final.error}` });
  } else if (chain.stop?.reason === 'too-many-redirects') {
    facts.error = `more than ${config.maxRedirects} redirects (a loop?)`;
    errors.push({ message: `${label}: more than ${config.maxRedirects} redirects (a loop?); not graded`, path: label, code: 'http-redirect-loop' });
  } else {
    page = chain.final;
  }

  if (page !== null) {
    const finalUrl = new URL(chain.finalUrl);
    const https = finalUrl.protocol === 'https:';
    facts.finalUrl = redactUrl(finalUrl);
    facts.status = page.status;
    facts.headers = selectHeaders(page.headers);
    const tls = page.tls ?? lastTls(chain);
    facts.tlsVerified = tls?.verified ?? null;
    facts.tlsError = tls?.error ?? null;
    facts.tlsProtocol = tls?.protocol ?? null;

    // 2. Plain HTTP must redirect to HTTPS.
    let redirect: RedirectCheck | null = null;
    if (url.protocol === 'http:') {
      redirect = classifyRedirect(url.href, chain, sameHost, true);
    } else if (config.redirectCheck) {
      const target = httpUrlFor(url, config.httpUrls);
      let httpUrl: URL | null = null;
      try {
        httpUrl = new URL(target.url);
      } catch {
        errors.push({ message: `${label}: httpUrls entry ${target.url.slice(0, 100)} is not a URL`, path: label, code: 'http-config' });
      }
      if (httpUrl !== null) {
        const httpChain = await follow(httpUrl, config.maxRedirects, { ...base, keepBody: false });
        redirect = classifyRedirect(target.url, httpChain, (other) => sameHost(other) || other.hostname.toLowerCase() === httpUrl.hostname.toLowerCase(), target.configured);
        if (redirect.kind === 'unknown') errors.push({ message: `${label}: the HTTP redirect check ${redirect.note}`, path: redirect.from, code: 'http-redirect-check' });
      }
    }
    facts.redirect = redirect;

    const contentType = page.headers['content-type']?.[0]?.toLowerCase();
    const html = contentType === undefined || contentType.includes('html') ? page.body : null;
    const cookies = collectCookies([
      ...chain.hops.map((hop) => ({ https: hop.url.startsWith('https:'), setCookies: hop.setCookies })),
      { https, setCookies: page.headers['set-cookie'] ?? [] },
    ]);
    facts.cookies = cookies;
    const assessment = assess({ https, headers: page.headers, html, cookies, tlsVerified: facts.tlsVerified, redirect });
    facts.observatory = { score: assessment.score, grade: assessment.grade, tests: assessment.tests };
    facts.disclosedComponents = assessment.disclosedComponents;
    metrics.push({ name: 'http.observatory_score', value: assessment.score, unit: 'points', labels: { endpoint: label } });

    const seen = new Set<string>();
    for (const issue of assessment.issues) {
      const id = fingerprint(ruleId(issue.rule), key, normaliseEvidence(issue.evidence));
      if (seen.has(id)) continue;
      seen.add(id);
      findings.push({
        rule: ruleId(issue.rule),
        severity: issue.severity,
        title: issue.title,
        message: `${label}: ${issue.message}`,
        location: { url: label },
        fingerprint: id,
        data: { endpoint: label, ...issue.data },
        effort: EFFORT[issue.rule],
      });
    }
  }

  // 3. Latency and availability.
  let seriesResponses = 0;
  if (config.requests > 0) {
    const series = await runSeries(config.requests, config.concurrency, () => request(url, base), deps.signal);
    const summary = summarize(series.samples, series.stoppedEarly);
    facts.latency = summary;
    const labels = { endpoint: label };
    const ms = (name: string, value: number | null): void => {
      if (value !== null) metrics.push({ name, value, unit: 'ms', labels });
    };
    ms('http.latency_p50_ms', summary.p50);
    ms('http.latency_p95_ms', summary.p95);
    ms('http.latency_p99_ms', summary.p99);
    ms('http.ttfb_p50_ms', summary.ttfbP50);
    ms('http.ttfb_p95_ms', summary.ttfbP95);
    if (summary.samples > 0) {
      metrics.push({ name: 'http.error_rate', value: summary.errorRate, unit: 'ratio', labels });
      metrics.push({ name: 'http.availability', value: 1 - summary.errorRate, unit: 'ratio', labels });
    }
    seriesResponses = series.samples.filter((sample) => sample.status !== null).length;
  }

  const reached = chain.final.kind === 'response' || seriesResponses > 0;
  return { facts, findings, metrics, errors, reached };
}

function emptyFacts(url: string, error: string | null): EndpointFacts {
  return {
    url,
    finalUrl: null,
    status: null,
    redirects: [],
    headers: {},
    cookies: [],
    observatory: null,
    redirect: null,
    latency: null,
    tlsVerified: null,
    tlsError: null,
    tlsProtocol: null,
    disclosedComponents: [],
    error,
  };
}

function selectHeaders(headers: Record<string, string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FACT_HEADERS) {
    const values = headers[name];
    if (values === undefined || values.length === 0) continue;
    const joined = values.join(', ');
    out[name] = joined.length > 512 ? `${joined.slice(0, 512)}…` : joined;
  }
  return out;
}

function lastTls(chain: Chain): TlsState | null {
  for (let i = chain.hops.length - 1; i >= 0; i--) {
    const tls = chain.hops[i]?.tls;
    if (tls) return tls;
  }
  return null;
}

function safeRedact(location: string): string {
  try {
    return redactUrl(new URL(location));
  } catch {
    return location.slice(0, 200);
  }
}
