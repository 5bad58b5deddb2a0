/**
 * The TLS scanner against real servers on 127.0.0.1 — nginx with Mozilla's intermediate and old
 * profiles, `openssl s_server` with legacy settings — compared with sslscan on the same servers,
 * and against peers that misbehave. nginx, openssl and sslscan must be installed (CI installs
 * them); a missing one fails the suite with what to install.
 *
 * Debian's sslscan is built on the system OpenSSL 3, which no longer has SSLv2, SSLv3, RC4, 3DES
 * or export suites: the comparison covers TLS 1.0–1.3 and the suites that OpenSSL knows, which is
 * everything these OpenSSL-based servers can accept anyway.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProtocolName, TlsScan } from '../../src/tls/model.js';
import { scanEndpoint, scanEndpoints, type ScanTraceEvent, tlsTarget } from '../../src/tls/scanner/scan.js';
import {
  closedPort,
  makeCertificate,
  makeDhParams,
  type Misbehaviour,
  opensslSuites,
  requireTool,
  type RunningServer,
  runSslscan,
  type SslscanResult,
  startMisbehaving,
  startNginx,
  startOpensslServer,
  type TempDir,
  tempDir,
  type TestCertificate,
} from '../../src/tls/scanner/test-support/servers.js';

const COMPARED: ProtocolName[] = ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

let dir: TempDir;
let rsa: TestCertificate;
let ecdsa: TestCertificate;
let dhparam: string;
const servers: Record<string, RunningServer> = {};

beforeAll(async () => {
  for (const tool of ['openssl', 'nginx', 'sslscan'] as const) requireTool(tool);
  dir = tempDir();
  rsa = makeCertificate(dir.dir, { name: 'peers.test' });
  ecdsa = makeCertificate(dir.dir, { name: 'peers.test', key: 'ec:prime256v1' });
  dhparam = makeDhParams(dir.dir);
  const [intermediate, old, dual, legacy] = await Promise.all([
    startNginx(rsa, 'intermediate', { dhparam }),
    startNginx(rsa, 'old', { dhparam }),
    startNginx(rsa, 'intermediate', { dhparam, extra: `ssl_certificate ${ecdsa.certFile};\n    ssl_certificate_key ${ecdsa.keyFile};` }),
    startOpensslServer(rsa, ['-cipher', 'ALL:COMPLEMENTOFALL:@SECLEVEL=0', '-min_protocol', 'TLSv1', '-dhparam', dhparam]),
  ]);
  Object.assign(servers, { intermediate, old, dual, legacy });
});

afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server.stop()));
  dir?.remove();
});

const target = (port: number) => tlsTarget(`tls://127.0.0.1:${port}`);

function suites(scan: TlsScan, protocol: ProtocolName): number[] {
  const visible = opensslSuites();
  return scan.ciphers
    .filter((cipher) => cipher.protocol === protocol)
    .map((cipher) => Number.parseInt(cipher.code, 16))
    .filter((value) => visible.has(value))
    .sort((a, b) => a - b);
}

/** Same protocols, same suites, same groups, same certificate facts as sslscan. */
function expectSameAsSslscan(ours: TlsScan, theirs: SslscanResult): void {
  for (const protocol of COMPARED) {
    expect(ours.protocols[protocol], protocol).toBe(theirs.protocols[protocol]);
    expect(suites(ours, protocol), `${protocol} suites`).toEqual([...(theirs.ciphers[protocol] ?? [])].sort((a, b) => a - b));
  }
  const theirGroups = [...new Set(Object.values(theirs.groups).flat())].sort((a, b) => a - b);
  expect(ours.groups.map((group) => Number.parseInt(group.code, 16)).sort((a, b) => a - b)).toEqual(theirGroups);
  const leaf = ours.chain[0]!;
  expect(leaf.signatureAlgorithm).toBe(theirs.certificate.signatureAlgorithm);
  expect(leaf.keyBits).toBe(theirs.certificate.keyBits);
  expect(leaf.selfSigned).toBe(theirs.certificate.selfSigned);
  expect(leaf.subject).toBe(`CN=${theirs.certificate.subject}`);
}

describe('compared with sslscan on the same servers', () => {
  it('nginx, Mozilla intermediate', async () => {
    const server = servers.intermediate!;
    const [ours, theirs] = [await scanEndpoint(target(server.port), { timeoutMs: 5000 }), await runSslscan(server.host, server.port)];
    expect(ours.errors).toEqual([]);
    expectSameAsSslscan(ours, theirs);
    expect(ours.protocols).toMatchObject({ SSLv2: false, SSLv3: false, 'TLSv1.0': false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true });
    expect(ours.serverOrder).toBe(false);
    expect(ours.features).toMatchObject({ compression: false, secureRenegotiation: true, fallbackScsv: true, sessionIdResumption: true, sessionTicketResumption: true, alpn: ['h2', 'http/1.1'], ocspStapling: false });
    // The intermediate DHE suites are there, with the dhparam, and its size.
    expect(ours.ciphers.find((cipher) => cipher.code === '0x009E')?.kx).toBe('DH(2048)');
  });

  it('nginx, Mozilla old: server order, TLS 1.0 and 1.1, the order sslscan sees', async () => {
    const server = servers.old!;
    const [ours, theirs] = [await scanEndpoint(target(server.port), { timeoutMs: 5000 }), await runSslscan(server.host, server.port)];
    expect(ours.errors).toEqual([]);
    expectSameAsSslscan(ours, theirs);
    expect(ours.serverOrder).toBe(true);
    for (const protocol of ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'] as const) {
      const preferred = ours.ciphers.find((cipher) => cipher.protocol === protocol && cipher.preferred);
      expect(Number.parseInt(preferred!.code, 16), protocol).toBe(theirs.preferred[protocol]);
    }
    // The server's order, as configured (RSA certificate: the ECDSA suites are skipped).
    expect(ours.ciphers.filter((cipher) => cipher.protocol === 'TLSv1.2').map((cipher) => cipher.name).slice(0, 4)).toEqual([
      'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
      'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
      'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
      'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
    ]);
  });

  it('nginx with an RSA and an ECDSA certificate', async () => {
    const server = servers.dual!;
    const [ours, theirs] = [await scanEndpoint(target(server.port), { timeoutMs: 5000 }), await runSslscan(server.host, server.port)];
    expect(ours.errors).toEqual([]);
    for (const protocol of COMPARED) expect(suites(ours, protocol), protocol).toEqual([...(theirs.ciphers[protocol] ?? [])].sort((a, b) => a - b));
    expect(ours.ciphers.filter((cipher) => cipher.au === 'ECDSA').length).toBeGreaterThan(0);
    expect(ours.ciphers.filter((cipher) => cipher.au === 'RSA').length).toBeGreaterThan(0);
  });

  it('openssl s_server with every suite it has, TLS 1.0 to 1.3', async () => {
    const server = servers.legacy!;
    const [ours, theirs] = [await scanEndpoint(target(server.port), { timeoutMs: 5000 }), await runSslscan(server.host, server.port)];
    expect(ours.errors).toEqual([]);
    expectSameAsSslscan(ours, theirs);
    expect(ours.ciphers.length).toBeGreaterThan(80);
    // Everything the server accepts is something OpenSSL knows: nothing hidden from the comparison.
    expect(ours.ciphers.filter((cipher) => !opensslSuites().has(Number.parseInt(cipher.code, 16)))).toEqual([]);
    expect(ours.features).toMatchObject({ fallbackScsv: true, secureRenegotiation: true, sessionIdResumption: true, sessionTicketResumption: true });
  });
});

describe('misbehaving peers', () => {
  const TIMEOUT = 1000;
  const cases: Array<[Misbehaviour, RegExp]> = [
    ['silent', /^no TLS answer from 127\.0\.0\.1:\d+: no answer within 1000 ms$/],
    ['reset', /^no TLS answer from 127\.0\.0\.1:\d+: connection reset by the server \(ECONNRESET\)/],
    ['close', /^no TLS answer from 127\.0\.0\.1:\d+: connection closed without an answer/],
    ['garbage', /^no TLS answer from 127\.0\.0\.1:\d+: not TLS: unexpected bytes from the server \(9f 3a 0c/],
    ['http', /^no TLS answer from 127\.0\.0\.1:\d+: not TLS: the server answered in plain HTTP \("HTTP\/1\.1 400 Bad Request"\); is this an http:\/\/ port\?/],
    ['drip', /^no TLS answer from 127\.0\.0\.1:\d+: timed out after 1000 ms with \d+ bytes received and no complete answer \(a slow or stalled server\)/],
  ];

  for (const [kind, message] of cases) {
    it(`${kind}: one clear error, nothing learned, and few connections`, async () => {
      const peer = await startMisbehaving(kind, { dripMs: 100 });
      try {
        const events: ScanTraceEvent[] = [];
        const scan = await scanEndpoint(target(peer.port), { timeoutMs: TIMEOUT, trace: (event) => events.push(event) });
        expect(scan.errors).toHaveLength(1);
        expect(scan.errors[0]).toMatch(message);
        expect(Object.values(scan.protocols).some(Boolean)).toBe(false);
        expect(scan.ciphers).toEqual([]);
        expect(scan.handshakeMs).toBeNull();
        // It gave up after the first round instead of waiting out every probe: no handshake
        // with Node's client, no enumeration.
        expect(events.filter((event) => event.kind === 'node')).toEqual([]);
        expect(events.length).toBeLessThanOrEqual(30);
      } finally {
        await peer.stop();
      }
    });
  }

  it('a scan of several endpoints still scans the good ones', async () => {
    const peers = await Promise.all((['silent', 'reset', 'garbage', 'http', 'drip'] as const).map((kind) => startMisbehaving(kind, { dripMs: 100 })));
    const refused = await closedPort();
    try {
      const targets = [target(servers.intermediate!.port), ...peers.map((peer) => target(peer.port)), target(refused), target(servers.legacy!.port)];
      // A longer timeout here: the good servers share the host's connection limit with the bad ones.
      const scans = await scanEndpoints(targets, { timeoutMs: 2 * TIMEOUT, maxConnections: 6 });
      expect(scans.map((scan) => scan.target.port)).toEqual(targets.map((item) => item.port));
      const [intermediate, ...rest] = scans;
      const legacy = rest.pop()!;
      expect(intermediate!.errors).toEqual([]);
      expect(intermediate!.protocols['TLSv1.3']).toBe(true);
      expect(intermediate!.ciphers.length).toBeGreaterThan(5);
      expect(legacy.errors).toEqual([]);
      expect(legacy.protocols['TLSv1.0']).toBe(true);
      for (const bad of rest) {
        expect(bad.errors).toHaveLength(1);
        expect(bad.errors[0]).toMatch(/^no TLS answer from 127\.0\.0\.1:\d+: /);
      }
    } finally {
      await Promise.all(peers.map((peer) => peer.stop()));
    }
  });
});
