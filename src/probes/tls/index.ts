/**
 * The `tls` probe: exactly what each configured TLS endpoint accepts (protocols, every cipher
 * suite, their order, named groups including post-quantum hybrids, features) through prodeng's
 * own raw-socket TLS client, its certificate chain, compliance with Mozilla's guidelines and a
 * grade — kept as history per snapshot.
 */
import { z } from 'zod';
import { fingerprint } from '../../core/fingerprint.js';
import type { Finding, Metric, ProbeError, RuleMeta, Severity } from '../../core/model.js';
import type { Endpoint, Probe } from '../../core/probe.js';
import type { TlsAssessment, TlsScan, TlsTarget } from '../../tls/model.js';
import { assessScan } from '../../tls/policy/index.js';
import { scanEndpoints, tlsTarget } from '../../tls/scanner/index.js';

const HELP = 'https://github.com/prodeng/prodeng/blob/main/src/probes/tls/readme.md';
const rule = (id: string, title: string, defaultSeverity: Severity, description: string, remediation: string): RuleMeta => ({
  id: `tls/${id}`,
  title,
  description,
  defaultSeverity,
  remediation,
  helpUri: HELP,
});

export const TLS_RULES: RuleMeta[] = [
  rule('protocol-deprecated', 'A deprecated protocol is accepted', 'medium', 'SSLv2, SSLv3, TLS 1.0 or TLS 1.1 is accepted (RFC 8996 deprecates TLS 1.0 and 1.1). SSLv2/SSLv3: critical/high; TLS 1.0/1.1: medium.', 'Disable the protocol; keep TLS 1.2 and 1.3.'),
  rule('no-tls13', 'TLS 1.3 is not offered', 'low', 'The server does not accept TLS 1.3.', 'Enable TLS 1.3 (OpenSSL 1.1.1+, nginx `ssl_protocols TLSv1.2 TLSv1.3`).'),
  rule('cipher-weak', 'Weak cipher suites are accepted', 'high', 'NULL, anonymous, export, RC4, DES/3DES suites, or CBC suites with TLS 1.0, are accepted. NULL/anonymous/export: critical; RC4/DES: high; 3DES: medium; CBC on TLS 1.0: low.', 'Offer only AEAD suites with forward secrecy (the Mozilla intermediate list).'),
  rule('no-forward-secrecy', 'Suites without forward secrecy are accepted', 'medium', 'Suites with static RSA (or static DH) key exchange are accepted; high when no suite has forward secrecy.', 'Offer only ECDHE/DHE suites below TLS 1.3.'),
  rule('no-post-quantum', 'No post-quantum key exchange', 'low', 'No hybrid post-quantum group (X25519MLKEM768, SecP256r1MLKEM768, …) is accepted, so recorded traffic could be decrypted by a future quantum computer.', 'Enable X25519MLKEM768 (OpenSSL 3.5+, BoringSSL, recent Go and Node.js).'),
  rule('mozilla-noncompliant', 'Not compliant with Mozilla guidelines', 'medium', 'The configuration deviates from the selected Mozilla server-side TLS profile (intermediate by default); each deviation is listed.', 'Apply the profile from https://ssl-config.mozilla.org/.'),
  rule('cert-expired', 'The certificate has expired', 'critical', 'The leaf certificate is past its notAfter date.', 'Renew the certificate now, and automate renewal (ACME).'),
  rule('cert-expiring', 'The certificate expires soon', 'high', 'The leaf certificate expires within 30 days (high) or 7 days (critical).', 'Renew the certificate, and automate renewal (ACME).'),
  rule('cert-weak-key', 'The certificate key is weak', 'high', 'RSA under 2048 bits, EC under 256 bits, or DSA, in the chain.', 'Reissue with RSA 2048+ or ECDSA P-256.'),
  rule('cert-weak-signature', 'The certificate signature is weak', 'high', 'A certificate below the root is signed with MD5 or SHA-1.', 'Reissue with a SHA-256 (or stronger) signature.'),
  rule('cert-hostname-mismatch', 'The certificate does not match the host name', 'high', 'No subject alternative name matches the name clients use (RFC 6125).', 'Reissue the certificate with the right names.'),
  rule('cert-untrusted', 'The certificate chain is not trusted', 'high', 'The chain does not lead to a root in the trust store (or the configured CA file): self-signed, missing intermediate, unknown CA.', 'Serve the full chain from a publicly trusted CA, or configure caFile for an internal CA.'),
];

export const tlsConfigSchema = z
  .object({
    profile: z.enum(['intermediate', 'modern', 'old']).default('intermediate'),
    caFile: z.string().min(1).optional(),
    timeoutMs: z.number().int().min(100).max(120_000).default(5000),
    maxConnectionsPerHost: z.number().int().min(1).max(64).default(6),
    concurrency: z.number().int().min(1).max(256).default(16),
    expiringDays: z.number().int().min(1).max(365).default(30),
    criticalDays: z.number().int().min(0).max(365).default(7),
  })
  .strict();
export type TlsConfig = z.infer<typeof tlsConfigSchema>;

const WEAK: Array<{ test: (name: string, protocol: string) => boolean; kind: string; severity: Severity }> = [
  { test: (n) => /NULL/.test(n), kind: 'NULL (no encryption)', severity: 'critical' },
  { test: (n) => /_anon_|_DH_anon|ADH|AECDH/.test(n), kind: 'anonymous (no authentication)', severity: 'critical' },
  { test: (n) => /EXPORT/.test(n), kind: 'export-grade', severity: 'critical' },
  { test: (n) => /RC4/.test(n), kind: 'RC4', severity: 'high' },
  { test: (n) => /_DES_|DES_CBC_|_DES40/.test(n) && !/3DES|DES_EDE/.test(n), kind: 'DES', severity: 'high' },
  { test: (n) => /3DES|DES_EDE/.test(n), kind: '3DES', severity: 'medium' },
  { test: (n, p) => p === 'TLSv1.0' && /CBC/.test(n), kind: 'CBC with TLS 1.0', severity: 'low' },
];

export const tlsProbe: Probe<TlsConfig> = {
  id: 'tls',
  aspect: 'security',
  title: 'TLS configuration',
  description: 'Protocols, cipher suites and their order, groups (post-quantum too), certificate chain, Mozilla compliance and a grade of each TLS endpoint, with a raw-socket scanner.',
  rules: TLS_RULES,
  configSchema: tlsConfigSchema,
  options: [
    { key: 'profile', type: 'intermediate | modern | old', default: 'intermediate', description: 'Mozilla profile to check against (6.0 intermediate/modern, 5.8 old).' },
    { key: 'caFile', type: 'path', default: 'none', description: 'PEM bundle of extra trusted CAs (an internal CA), besides the system store.' },
    { key: 'timeoutMs', type: 'ms', default: '5000', description: 'Time limit of each connection (connect, send, answer).' },
    { key: 'maxConnectionsPerHost', type: 'integer', default: '6', description: 'Connections open at once to one host.' },
    { key: 'concurrency', type: 'integer', default: '16', description: 'Endpoints scanned at once.' },
    { key: 'expiringDays', type: 'integer', default: '30', description: 'A certificate expiring within this many days is tls/cert-expiring (high).' },
    { key: 'criticalDays', type: 'integer', default: '7', description: 'Within this many days tls/cert-expiring is critical.' },
  ],
  // Directions the trend analysis cannot tell from the names (see core/trend.ts).
  metrics: { 'tls.grade_score': { better: 'higher' }, 'tls.cert_days_left': { better: 'neither' }, 'tls.accepted_suites': { better: 'neither' }, 'tls.handshake_ms': { better: 'lower' } },
  appliesTo: (system) => (system.sources.endpoints ?? []).some((endpoint) => isTls(endpoint)),

  async run(ctx, config) {
    if (ctx.offline) return { status: 'failed', errors: [{ message: 'offline: endpoints are not contacted', code: 'offline' }] };
    const endpoints = (ctx.system.sources.endpoints ?? []).filter(isTls);
    const targets: TlsTarget[] = endpoints.map((endpoint) => {
      const target = tlsTarget(endpoint.url);
      return endpoint.sni ? { ...target, sni: endpoint.sni } : target;
    });
    ctx.progress('scanning', { done: 0, total: targets.length });
    const scans = await scanEndpoints(targets, {
      timeoutMs: config.timeoutMs,
      maxConnections: config.maxConnectionsPerHost,
      concurrency: config.concurrency,
      signal: ctx.signal,
      now: ctx.now,
    });
    const findings: Finding[] = [];
    const metrics: Metric[] = [];
    const errors: ProbeError[] = [];
    const facts: unknown[] = [];
    let reachable = 0;
    for (const scan of scans) {
      const accepted = Object.values(scan.protocols).some(Boolean);
      for (const error of scan.errors) errors.push({ message: `${scan.target.target}: ${error}`, path: scan.target.target, code: 'tls-scan' });
      if (!accepted) {
        if (scan.errors.length === 0) errors.push({ message: `${scan.target.target}: no TLS protocol accepted`, path: scan.target.target, code: 'tls-none' });
        continue;
      }
      reachable++;
      const hostname = scan.target.sni ?? scan.target.host;
      const assessment = assessScan(scan, { now: ctx.now, profile: config.profile, hostname, ...(config.caFile ? { caFile: config.caFile } : {}) });
      findings.push(...findingsFor(scan, assessment, config));
      metrics.push(...metricsFor(scan, assessment));
      facts.push(factsFor(scan, assessment));
    }
    if (reachable === 0) return { status: 'failed', errors: errors.length > 0 ? errors : [{ message: 'no endpoint could be scanned' }] };
    return {
      status: errors.length > 0 ? 'partial' : 'ok',
      findings,
      metrics,
      facts: {
        endpoints: facts,
        sections: [
          {
            title: 'TLS endpoints',
            items: (facts as Array<{ target: string; grade: string; protocols: Record<string, boolean>; mozilla: { profile: string; compliant: boolean; deviations: string[] } }>).map(
              (f) =>
                `${f.target}: grade ${f.grade}; ${Object.entries(f.protocols)
                  .filter(([, on]) => on)
                  .map(([name]) => name)
                  .join(', ')}; Mozilla ${f.mozilla.profile}: ${f.mozilla.compliant ? 'compliant' : `${f.mozilla.deviations.length} deviations`}`,
            ),
          },
        ],
      },
      errors,
    };
  },
};

function isTls(endpoint: Endpoint): boolean {
  return /^(https|tls):\/\//i.test(endpoint.url);
}

function findingsFor(scan: TlsScan, assessment: TlsAssessment, config: TlsConfig): Finding[] {
  const out: Finding[] = [];
  const target = scan.target.target;
  const location = { url: target };
  const add = (id: string, severity: Severity, title: string, message: string, evidence: string, data: Record<string, unknown>, remediation?: string) => {
    out.push({
      rule: `tls/${id}`,
      severity,
      title: `${title} (${scan.target.host}:${scan.target.port})`,
      message,
      location,
      fingerprint: fingerprint(`tls/${id}`, target, evidence),
      data: { target, ...data },
      ...(remediation ? { remediation } : {}),
    });
  };
  for (const protocol of ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1'] as const) {
    if (!scan.protocols[protocol]) continue;
    const severity: Severity = protocol === 'SSLv2' ? 'critical' : protocol === 'SSLv3' ? 'high' : 'medium';
    add('protocol-deprecated', severity, `${protocol} is accepted`, `${target} accepts ${protocol}.`, protocol, { protocol });
  }
  if (!scan.protocols['TLSv1.3']) add('no-tls13', 'low', 'TLS 1.3 is not offered', `${target} does not accept TLS 1.3.`, '', {});

  const weak = new Map<string, { severity: Severity; suites: string[] }>();
  for (const cipher of scan.ciphers) {
    const hit = WEAK.find((w) => w.test(cipher.name, cipher.protocol));
    if (!hit) continue;
    const entry = weak.get(hit.kind) ?? { severity: hit.severity, suites: [] };
    entry.suites.push(`${cipher.protocol} ${cipher.name}`);
    weak.set(hit.kind, entry);
  }
  for (const [kind, { severity, suites }] of weak) {
    add('cipher-weak', severity, `${kind} cipher suites are accepted`, `${target} accepts ${suites.length} ${kind} suite${suites.length === 1 ? '' : 's'}: ${suites.slice(0, 8).join(', ')}${suites.length > 8 ? ', …' : ''}.`, kind, { kind, suites });
  }

  const legacy = scan.ciphers.filter((c) => c.protocol !== 'TLSv1.3' && c.protocol !== 'SSLv2');
  const noFs = legacy.filter((c) => !/^TLS_(ECDHE|DHE)_|^SSL_(ECDHE|DHE)_/.test(c.name) && !/ECDHE|EDH|DHE/.test(c.kx ?? c.name));
  if (noFs.length > 0) {
    const none = noFs.length === legacy.length && !scan.protocols['TLSv1.3'];
    add(
      'no-forward-secrecy',
      none ? 'high' : 'medium',
      none ? 'No suite has forward secrecy' : 'Suites without forward secrecy are accepted',
      `${target} accepts ${noFs.length} suite${noFs.length === 1 ? '' : 's'} without forward secrecy: ${[...new Set(noFs.map((c) => c.name))].slice(0, 8).join(', ')}.`,
      none ? 'none' : 'some',
      { suites: [...new Set(noFs.map((c) => c.name))] },
    );
  }
  if (!scan.groups.some((g) => /MLKEM|KYBER/i.test(g.name))) {
    add('no-post-quantum', 'low', 'No post-quantum key exchange', `${target} accepts no hybrid post-quantum group; offered groups: ${scan.groups.map((g) => g.name).join(', ') || 'none found'}.`, '', { groups: scan.groups.map((g) => g.name) });
  }
  if (!assessment.mozilla.compliant) {
    add('mozilla-noncompliant', 'medium', `Not compliant with Mozilla ${assessment.mozilla.profile}`, `${target} deviates from Mozilla's ${assessment.mozilla.profile} profile (guidelines ${assessment.mozilla.guidelineVersion}): ${assessment.mozilla.deviations.join('; ')}.`, assessment.mozilla.profile, { profile: assessment.mozilla.profile, guidelineVersion: assessment.mozilla.guidelineVersion, deviations: assessment.mozilla.deviations });
  }
  const cert = assessment.certificate;
  const leaf = scan.chain[0];
  if (cert && leaf) {
    const certData = { subject: leaf.subject, issuer: leaf.issuer, notAfter: leaf.notAfter, daysLeft: cert.daysLeft, fingerprintSha256: leaf.fingerprintSha256 };
    if (cert.expired) add('cert-expired', 'critical', 'The certificate has expired', `The certificate of ${target} (${leaf.subject}) expired on ${leaf.notAfter}.`, leaf.fingerprintSha256, certData);
    else if (cert.daysLeft <= config.expiringDays) {
      add('cert-expiring', cert.daysLeft <= config.criticalDays ? 'critical' : 'high', `The certificate expires in ${cert.daysLeft} days`, `The certificate of ${target} (${leaf.subject}) expires on ${leaf.notAfter}.`, leaf.fingerprintSha256, certData);
    }
    if (cert.weakKey) add('cert-weak-key', 'high', 'The certificate key is weak', `The chain of ${target} has a weak key: leaf ${leaf.keyType}${leaf.keyBits ? ` ${leaf.keyBits} bits` : ''}.`, leaf.fingerprintSha256, { ...certData, keyType: leaf.keyType, keyBits: leaf.keyBits });
    if (cert.weakSignature) add('cert-weak-signature', 'high', 'The certificate signature is weak', `The chain of ${target} uses a weak signature (${leaf.signatureAlgorithm} on the leaf).`, leaf.fingerprintSha256, { ...certData, signatureAlgorithm: leaf.signatureAlgorithm });
    if (!cert.hostnameMatch) add('cert-hostname-mismatch', 'high', 'The certificate does not match the host name', `The certificate of ${target} names ${leaf.subjectAltNames.join(', ') || leaf.subject}, not ${scan.target.sni ?? scan.target.host}.`, leaf.fingerprintSha256, { ...certData, subjectAltNames: leaf.subjectAltNames });
    if (!cert.trusted) add('cert-untrusted', 'high', 'The certificate chain is not trusted', `The certificate chain of ${target} is not trusted: ${cert.trustError ?? 'unknown issuer'}.`, leaf.fingerprintSha256, { ...certData, reason: cert.trustError, selfSigned: leaf.selfSigned });
  }
  return out;
}

function metricsFor(scan: TlsScan, assessment: TlsAssessment): Metric[] {
  const endpoint = scan.target.target;
  const metrics: Metric[] = [{ name: 'tls.grade_score', value: assessment.score, unit: 'points', labels: { endpoint } }];
  if (scan.chain[0]) metrics.push({ name: 'tls.cert_days_left', value: scan.chain[0].daysLeft, unit: 'days', labels: { endpoint } });
  for (const [protocol, on] of Object.entries(scan.protocols)) {
    if (!on) continue;
    metrics.push({ name: 'tls.accepted_suites', value: scan.ciphers.filter((c) => c.protocol === protocol).length, unit: 'suites', labels: { endpoint, protocol } });
  }
  if (scan.handshakeMs !== null) metrics.push({ name: 'tls.handshake_ms', value: scan.handshakeMs, unit: 'ms', labels: { endpoint } });
  return metrics;
}

/** The facts contract: `snapshots[].probes[id=tls].facts.endpoints[]`. */
function factsFor(scan: TlsScan, assessment: TlsAssessment): Record<string, unknown> {
  const leaf = scan.chain[0];
  return {
    target: scan.target.target,
    ip: scan.ip,
    port: scan.target.port,
    sni: scan.target.sni,
    protocols: scan.protocols,
    ciphers: scan.ciphers.map((c) => ({ protocol: c.protocol, code: c.code, name: c.name, preferred: c.preferred })),
    serverOrder: scan.serverOrder,
    groups: scan.groups,
    features: scan.features,
    certificate: leaf
      ? {
          subject: leaf.subject,
          issuer: leaf.issuer,
          serialNumber: leaf.serialNumber,
          notBefore: leaf.notBefore,
          notAfter: leaf.notAfter,
          daysLeft: leaf.daysLeft,
          keyType: leaf.keyType,
          keyBits: leaf.keyBits,
          curve: leaf.curve,
          signatureAlgorithm: leaf.signatureAlgorithm,
          subjectAltNames: leaf.subjectAltNames,
          selfSigned: leaf.selfSigned,
          fingerprintSha256: leaf.fingerprintSha256,
          chainLength: scan.chain.length,
          ...(assessment.certificate
            ? { trusted: assessment.certificate.trusted, trustError: assessment.certificate.trustError, hostnameMatch: assessment.certificate.hostnameMatch, chainInOrder: assessment.certificate.chainInOrder }
            : {}),
        }
      : null,
    grade: assessment.grade,
    score: assessment.score,
    caps: assessment.caps,
    mozilla: assessment.mozilla,
    handshakeMs: scan.handshakeMs,
    scanMs: scan.scanMs,
  };
}
