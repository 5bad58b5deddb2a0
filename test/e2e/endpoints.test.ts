/**
 * `prodeng observe` of live endpoints, end to end through the CLI: nginx (Mozilla intermediate)
 * and `openssl s_server` with legacy settings on 127.0.0.1, plus a port that resets, observed by
 * the tls and http probes from prodeng.yml and from the command line. Checks the report contract
 * (facts at snapshots[].probes[id=tls].facts.endpoints), the rules, the metrics, `--fail-on`, and
 * that one bad endpoint does not stop the others.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeCertificate,
  makeDhParams,
  requireTool,
  type RunningServer,
  startMisbehaving,
  startNginx,
  startOpensslServer,
  type TempDir,
  tempDir,
} from '../../src/tls/scanner/test-support/servers.js';
import { runCli, runJson } from '../support/cli.js';

interface ReportJson {
  snapshots: Array<{ system: string; status: string; probes: Array<{ id: string; status: string; errors: Array<{ message: string }>; facts?: { endpoints?: EndpointFacts[] } & Record<string, unknown> }> }>;
  findings: Array<{ rule: string; severity: string; system: string; location: { url?: string } | null; data: Record<string, unknown> }>;
  metrics: Array<{ name: string; value: number; labels: Record<string, string> }>;
}

interface EndpointFacts {
  target: string;
  ip: string;
  port: number;
  sni: string | null;
  protocols: Record<string, boolean>;
  ciphers: Array<{ protocol: string; code: string; name: string; preferred: boolean }>;
  serverOrder: boolean;
  groups: Array<{ code: string; name: string }>;
  certificate: Record<string, unknown>;
  grade: string;
  mozilla: { profile: string; compliant: boolean; deviations: unknown[] };
}

let dir: TempDir;
let nginx: RunningServer;
let legacy: RunningServer;
let reset: RunningServer;

beforeAll(async () => {
  for (const tool of ['openssl', 'nginx'] as const) requireTool(tool);
  dir = tempDir('prodeng-endpoints-');
  const cert = makeCertificate(dir.dir, { name: 'shop.test' });
  const dhparam = makeDhParams(dir.dir);
  [nginx, legacy, reset] = await Promise.all([
    startNginx(cert, 'intermediate', { dhparam }),
    startOpensslServer(cert, ['-cipher', 'ALL:@SECLEVEL=0', '-min_protocol', 'TLSv1', '-dhparam', dhparam]),
    startMisbehaving('reset'),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([nginx, legacy, reset].filter(Boolean).map((server) => server.stop()));
  dir?.remove();
});

describe('observe endpoints from prodeng.yml', () => {
  let report: ReportJson;
  let code: number | null;
  let stderr: string;

  beforeAll(async () => {
    writeFileSync(
      join(dir.dir, 'prodeng.yml'),
      [
        'systems:',
        '  - name: edge',
        '    endpoints:',
        `      - https://127.0.0.1:${nginx.port}/`,
        `      - url: tls://127.0.0.1:${legacy.port}`,
        '        sni: shop.test',
        `      - tls://127.0.0.1:${reset.port}`,
        '    probes:',
        '      http: { requests: 4, redirectCheck: false }',
        '      tls: { timeoutMs: 3000 }',
        '',
      ].join('\n'),
    );
    const run = await runJson<ReportJson>(['observe', '--db', join(dir.dir, 'db.sqlite'), '--format', 'json', '--quiet'], { cwd: dir.dir, timeoutMs: 120_000 });
    report = run.json;
    code = run.result.code;
    stderr = run.result.stderr;
  }, 130_000);

  it('records the facts contract for every endpoint that answered', () => {
    expect(code, stderr).toBe(0);
    const [snapshot] = report.snapshots;
    const tls = snapshot!.probes.find((probe) => probe.id === 'tls')!;
    // The resetting port is an error of that endpoint only: the others are scanned.
    expect(tls.status).toBe('partial');
    expect(tls.errors.map((error) => error.message).join('\n')).toContain(String(reset.port));
    const endpoints = tls.facts!.endpoints!;
    const modern = endpoints.find((endpoint) => endpoint.port === nginx.port)!;
    expect(modern).toMatchObject({ target: `https://127.0.0.1:${nginx.port}/`, ip: '127.0.0.1', port: nginx.port, mozilla: { profile: 'intermediate' } });
    expect(modern.protocols).toMatchObject({ SSLv3: false, 'TLSv1.0': false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true });
    expect(modern.ciphers.length).toBeGreaterThan(3);
    for (const cipher of modern.ciphers) {
      expect(cipher.code).toMatch(/^0x[0-9A-F]{4}$/);
      expect(cipher.name).toMatch(/^TLS_/);
      expect(typeof cipher.preferred).toBe('boolean');
    }
    expect(modern.ciphers).toContainEqual(expect.objectContaining({ protocol: 'TLSv1.2', code: '0xC02F', name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' }));
    expect(modern.groups.map((group) => group.name)).toContain('x25519');
    expect(typeof modern.serverOrder).toBe('boolean');
    expect(modern.certificate).toMatchObject({ keyType: 'RSA', keyBits: 2048 });
    expect(modern.grade).toMatch(/^(A\+|A|A-|B|C|D|E|F|T|M)$/);

    const old = endpoints.find((endpoint) => endpoint.port === legacy.port)!;
    expect(old.sni).toBe('shop.test');
    expect(old.protocols).toMatchObject({ 'TLSv1.0': true, 'TLSv1.1': true });
    expect(old.mozilla.compliant).toBe(false);
    expect(old.mozilla.deviations.length).toBeGreaterThan(0);
  });

  it('reports the rules of each endpoint at its URL', () => {
    const at = (port: number) => report.findings.filter((finding) => finding.location?.url?.includes(`:${port}`)).map((finding) => finding.rule);
    // Self-signed: not trusted, whatever else.
    expect(at(nginx.port)).toContain('tls/cert-untrusted');
    expect(at(nginx.port)).not.toContain('tls/protocol-deprecated');
    const legacyRules = at(legacy.port);
    for (const rule of ['tls/protocol-deprecated', 'tls/cipher-weak', 'tls/mozilla-noncompliant', 'tls/cert-untrusted']) expect(legacyRules).toContain(rule);
    // The http probe graded the HTTPS endpoint: nginx here sends no security headers.
    expect(report.findings.some((finding) => finding.rule.startsWith('http/'))).toBe(true);
  });

  it('keeps the metrics later change-point detection reads', () => {
    const names = new Set(report.metrics.map((metric) => metric.name));
    for (const name of ['tls.grade_score', 'tls.cert_days_left', 'tls.handshake_ms', 'tls.accepted_suites', 'http.latency_p50_ms', 'http.latency_p95_ms', 'http.latency_p99_ms', 'http.error_rate', 'http.availability']) {
      expect(names, name).toContain(name);
    }
    const days = report.metrics.find((metric) => metric.name === 'tls.cert_days_left' && metric.labels.endpoint?.includes(String(nginx.port)));
    expect(days!.value).toBeGreaterThanOrEqual(29);
    const availability = report.metrics.find((metric) => metric.name === 'http.availability');
    expect(availability!.value).toBe(1);
  });
});

describe('observe an endpoint given on the command line', () => {
  it('names the system after host:port and fails on high findings with --fail-on', async () => {
    const target = `tls://127.0.0.1:${legacy.port}`;
    // Away from the prodeng.yml above, which names this endpoint as part of `edge`.
    const cwd = join(dir.dir, 'elsewhere');
    mkdirSync(cwd);
    const db = join(cwd, 'cli.sqlite');
    const { result, json } = await runJson<ReportJson>(['observe', target, '--db', db, '--format', 'json', '--fail-on', 'high', '--quiet'], { cwd, timeoutMs: 120_000 });
    expect(result.code, result.stderr).toBe(1);
    expect(json.snapshots[0]!.system).toBe(`127.0.0.1:${legacy.port}`);
    expect(json.snapshots[0]!.probes.find((probe) => probe.id === 'tls')!.status).toBe('ok');
    // A table for people, with the grade in the notes.
    const table = await runCli(['report', '--db', db], { cwd });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('tls/protocol-deprecated');
  }, 130_000);
});
