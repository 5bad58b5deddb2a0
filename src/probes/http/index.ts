/**
 * The `http` probe: security headers and cookies of a system's HTTP(S) endpoints, graded in the
 * spirit of Mozilla's HTTP Observatory, and their latency and availability from a short, polite
 * series of requests. Server and framework versions the headers disclose become facts for
 * end-of-life verdicts.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Finding, Metric, ProbeError } from '../../core/model.js';
import type { Endpoint, Probe } from '../../core/probe.js';
import { toolVersion } from '../../util/version.js';
import { rateLimiter } from './client.js';
import { httpConfigSchema, httpOptionDocs, type HttpConfig } from './config.js';
import { type EndpointFacts, observeEndpoint } from './observe.js';
import type { DisclosedComponent } from './products.js';
import { RULES } from './rules.js';

/** The endpoints this probe contacts: `http://` and `https://` ones (`tls://` is the tls probe's). */
export function httpEndpoints(endpoints: readonly Endpoint[] | undefined): Endpoint[] {
  return (endpoints ?? []).filter((endpoint) => /^https?:\/\//i.test(endpoint.url));
}

export interface HttpFacts {
  endpoints: EndpointFacts[];
  /** Every disclosed product version, once per endpoint, for end-of-life verdicts. */
  disclosedComponents: Array<DisclosedComponent & { endpoint: string }>;
  notes: string[];
  sections: Array<{ title: string; items: string[] }>;
}

export const httpProbe: Probe<HttpConfig> = {
  id: 'http',
  aspect: 'security',
  title: 'HTTP security headers, latency and availability',
  description: 'Security headers and cookies of HTTP(S) endpoints graded like Mozilla HTTP Observatory, the HTTP→HTTPS redirect, disclosed server versions, and latency percentiles and error rate from a short series of requests.',
  rules: RULES,
  configSchema: httpConfigSchema,
  options: httpOptionDocs,
  // Directions the trend analysis cannot tell from the names (see core/trend.ts).
  metrics: { 'http.observatory_score': { better: 'higher' } },
  appliesTo: (system) => httpEndpoints(system.sources.endpoints).length > 0,

  async run(ctx, config) {
    const endpoints = httpEndpoints(ctx.system.sources.endpoints);
    if (ctx.offline) {
      return { status: 'failed', errors: [{ message: 'offline: the http probe only observes by contacting the endpoints', code: 'offline' }] };
    }
    const errors: ProbeError[] = [];
    let ca: string[] | undefined;
    if (config.caFile !== undefined) {
      try {
        ca = [...rootCertificates, readFileSync(config.caFile, 'utf8')];
      } catch (error) {
        errors.push({ message: `caFile ${config.caFile} cannot be read (${(error as Error).message}); certificates are verified against the bundled roots only`, path: config.caFile, code: 'http-ca-file' });
      }
    }
    const acquire = rateLimiter(config.maxRequestsPerSecond);
    const userAgent = `prodeng/${toolVersion()} (+https://github.com/prodeng/prodeng)`;
    const findings: Finding[] = [];
    const metrics: Metric[] = [];
    const facts: HttpFacts = { endpoints: [], disclosedComponents: [], notes: [], sections: [] };
    const fingerprints = new Set<string>();
    let reached = 0;
    let done = 0;

    // One endpoint after the other: with the rate limit, politeness towards hosts that share them.
    for (const endpoint of endpoints) {
      ctx.signal.throwIfAborted();
      ctx.progress(`requesting ${endpoint.url.slice(0, 80)}`, { done, total: endpoints.length });
      let result: Awaited<ReturnType<typeof observeEndpoint>>;
      try {
        result = await observeEndpoint(endpoint, config, { signal: ctx.signal, userAgent, acquire, ca });
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        // A bug must not cost the other endpoints their observation.
        errors.push({ message: `${endpoint.url.slice(0, 200)}: ${(error as Error).message}`, path: endpoint.url.slice(0, 200), code: 'http-internal' });
        continue;
      }
      if (result.reached) reached++;
      errors.push(...result.errors);
      metrics.push(...result.metrics);
      for (const finding of result.findings) {
        if (fingerprints.has(finding.fingerprint)) continue;
        fingerprints.add(finding.fingerprint);
        findings.push(finding);
      }
      facts.endpoints.push(result.facts);
      for (const component of result.facts.disclosedComponents) facts.disclosedComponents.push({ ...component, endpoint: result.facts.url });
      ctx.progress(`requesting ${endpoint.url.slice(0, 80)}`, { done: ++done, total: endpoints.length });
    }

    facts.sections = [{ title: 'HTTP endpoints', items: facts.endpoints.map(summaryLine) }];
    if (facts.endpoints.some((endpoint) => endpoint.tlsVerified === false)) {
      facts.notes.push('some HTTPS endpoints were measured although their certificate does not verify (tlsVerified: false); the tls probe judges certificates');
    }
    if (endpoints.length > 0 && reached === 0) return { status: 'failed', errors };
    return { status: errors.length > 0 ? 'partial' : 'ok', findings, metrics, facts, errors };
  },
};

function summaryLine(endpoint: EndpointFacts): string {
  const parts: string[] = [];
  if (endpoint.observatory !== null) parts.push(`grade ${endpoint.observatory.grade} (${endpoint.observatory.score})`);
  else if (endpoint.error !== null) parts.push(`not observed: ${endpoint.error}`);
  const latency = endpoint.latency;
  if (latency !== null && latency.samples > 0) {
    if (latency.p95 !== null) parts.push(`p50 ${latency.p50} ms, p95 ${latency.p95} ms`);
    parts.push(`availability ${Math.round((1 - latency.errorRate) * 1000) / 10}% of ${latency.samples}`);
  }
  if (endpoint.tlsVerified === false) parts.push(`certificate not verified (${endpoint.tlsError ?? 'unknown'})`);
  return `${endpoint.url}: ${parts.join('; ')}`;
}
