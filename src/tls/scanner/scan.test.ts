import type { TlsOptions } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TlsScan } from '../model.js';
import { scanEndpoint, scanEndpoints, type ScanTraceEvent, tlsTarget } from './scan.js';
import { type FakeTlsPolicy, startFakeTls } from './test-support/fake-tls.js';
import { closedPort, makeCertificate, makeDhParams, type RunningServer, startMisbehaving, startNodeTls, startOpensslServer, type TempDir, tempDir, type TestCertificate } from './test-support/servers.js';

let dir: TempDir;
let rsa: TestCertificate;
let dhparam: string;
beforeAll(() => {
  dir = tempDir();
  rsa = makeCertificate(dir.dir, { name: 'scan.test' });
  dhparam = makeDhParams(dir.dir);
});
afterAll(() => dir?.remove());

const target = (port: number, host = '127.0.0.1') => tlsTarget(`tls://${host}:${port}`);
const codes = (scan: TlsScan, protocol: string) => scan.ciphers.filter((cipher) => cipher.protocol === protocol).map((cipher) => cipher.code);
const groupNames = (scan: TlsScan) => scan.groups.map((group) => group.name);

async function withNode<T>(options: TlsOptions, run: (server: RunningServer & { server: import('node:net').Server }) => Promise<T>): Promise<T> {
  const server = await startNodeTls({ cert: rsa.certPem, key: rsa.keyPem, ...options });
  try {
    return await run(server);
  } finally {
    await server.stop();
  }
}

async function withFake<T>(policy: Partial<FakeTlsPolicy>, run: (port: number) => Promise<T>): Promise<T> {
  const server = await startFakeTls({ versions: [0x0303], ciphers: [0xc02f], serverOrder: true, certificate: rsa.der, ...policy });
  try {
    return await run(server.port);
  } finally {
    await server.stop();
  }
}

describe('tlsTarget', () => {
  it('reads URLs, host:port and bare hosts', () => {
    expect(tlsTarget('https://example.com/path')).toEqual({ target: 'https://example.com/path', host: 'example.com', port: 443, sni: 'example.com' });
    expect(tlsTarget('tls://10.0.0.1:8443')).toEqual({ target: 'tls://10.0.0.1:8443', host: '10.0.0.1', port: 8443, sni: null });
    expect(tlsTarget('mail.example.com:465')).toMatchObject({ host: 'mail.example.com', port: 465, sni: 'mail.example.com' });
    expect(tlsTarget('[::1]:8443')).toMatchObject({ host: '::1', port: 8443, sni: null });
    expect(() => tlsTarget('https://')).toThrow();
  });
});

describe('against Node TLS servers', () => {
  it('TLS 1.2 only, server order: the suites in the server’s order, its curves', async () => {
    const scan = await withNode(
      { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA:ECDHE-RSA-AES256-GCM-SHA384:AES128-GCM-SHA256', honorCipherOrder: true, ecdhCurve: 'P-256:P-384' },
      (server) => scanEndpoint(target(server.port), { timeoutMs: 3000 }),
    );
    expect(scan.errors).toEqual([]);
    expect(scan.protocols).toEqual({ SSLv2: false, SSLv3: false, 'TLSv1.0': false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': false });
    expect(codes(scan, 'TLSv1.2')).toEqual(['0xC02F', '0x0035', '0xC030', '0x009C']);
    expect(scan.serverOrder).toBe(true);
    expect(scan.ciphers[0]).toEqual({ protocol: 'TLSv1.2', code: '0xC02F', name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', preferred: true, kx: 'ECDH', au: 'RSA', enc: 'AESGCM', bits: 128, mac: 'AEAD' });
    expect(scan.ciphers.filter((cipher) => cipher.preferred)).toHaveLength(1);
    expect(groupNames(scan)).toEqual(['secp256r1', 'secp384r1']);
    expect(scan.features).toMatchObject({ compression: false, secureRenegotiation: true, fallbackScsv: null, ocspStapling: false });
    expect(scan.chain).toHaveLength(1);
    expect(scan.chain[0]).toMatchObject({ subject: 'CN=scan.test', keyType: 'RSA', keyBits: 2048, selfSigned: true });
    expect(scan.handshakeMs).toBeGreaterThan(0);
    expect(scan.ip).toBe('127.0.0.1');
  });

  it('TLS 1.2 and 1.3, client order; fallback SCSV, resumption, ALPN', async () => {
    const scan = await withNode(
      {
        minVersion: 'TLSv1.2',
        ciphers: 'TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305',
        honorCipherOrder: false,
        ecdhCurve: 'X25519:P-256',
        ALPNProtocols: ['h2', 'http/1.1'],
      },
      (server) => scanEndpoint(target(server.port), { timeoutMs: 3000 }),
    );
    expect(scan.errors).toEqual([]);
    expect(scan.protocols['TLSv1.3']).toBe(true);
    expect(scan.protocols['TLSv1.2']).toBe(true);
    expect(codes(scan, 'TLSv1.3').sort()).toEqual(['0x1301', '0x1303']);
    expect(codes(scan, 'TLSv1.2').sort()).toEqual(['0xC02F', '0xCCA8']);
    expect(scan.serverOrder).toBe(false);
    expect(groupNames(scan)).toEqual(['secp256r1', 'x25519']);
    expect(scan.features).toMatchObject({ fallbackScsv: true, secureRenegotiation: true, sessionTicketResumption: true, alpn: ['h2', 'http/1.1'] });
    // TLS 1.3 suites come first, then TLS 1.2.
    expect(scan.ciphers.map((cipher) => cipher.protocol)).toEqual(['TLSv1.3', 'TLSv1.3', 'TLSv1.2', 'TLSv1.2']);
  });

  it('TLS 1.3 only: post-quantum group, certificate, OCSP and ALPN through Node’s client', async () => {
    const scan = await withNode({ minVersion: 'TLSv1.3', ecdhCurve: 'X25519MLKEM768:X25519:P-384', ALPNProtocols: ['http/1.1'] }, async (server) => {
      server.server.on('OCSPRequest', (_certificate: Buffer, _issuer: Buffer, callback: (error: null, response: Buffer) => void) => callback(null, Buffer.from('stapled')));
      return scanEndpoint(target(server.port), { timeoutMs: 3000 });
    });
    expect(scan.errors).toEqual([]);
    expect(Object.entries(scan.protocols).filter(([, on]) => on).map(([name]) => name)).toEqual(['TLSv1.3']);
    expect(codes(scan, 'TLSv1.3').sort()).toEqual(['0x1301', '0x1302', '0x1303']);
    expect(scan.groups).toEqual([
      { code: '0x0018', name: 'secp384r1' },
      { code: '0x001D', name: 'x25519' },
      { code: '0x11EC', name: 'X25519MLKEM768' },
    ]);
    expect(scan.features).toMatchObject({ compression: false, secureRenegotiation: null, fallbackScsv: null, sessionIdResumption: null, alpn: ['http/1.1'], ocspStapling: true });
    expect(scan.chain.map((certificate) => certificate.subject)).toEqual(['CN=scan.test']);
  });

  it('keeps to maxConnections and reports each connection to the trace', async () => {
    const events: ScanTraceEvent[] = [];
    const scan = await withNode({ minVersion: 'TLSv1.2' }, (server) => scanEndpoint(target(server.port), { timeoutMs: 3000, maxConnections: 2, trace: (event) => events.push(event) }));
    expect(scan.errors).toEqual([]);
    expect(events.length).toBeGreaterThan(10);
    expect(Math.max(...events.map((event) => event.open))).toBeLessThanOrEqual(2);
    expect(events.filter((event) => event.kind === 'node').length).toBeGreaterThanOrEqual(1);
  });
});

describe('against openssl s_server with legacy settings', () => {
  it('TLS 1.0 only with CBC suites', async () => {
    // Debian's OpenSSL 3 has no 3DES or RC4 suites any more, even at security level 0.
    const server = await startOpensslServer(rsa, ['-tls1', '-cipher', 'ECDHE-RSA-AES128-SHA:AES256-SHA:CAMELLIA128-SHA:@SECLEVEL=0']);
    try {
      const scan = await scanEndpoint(target(server.port), { timeoutMs: 3000 });
      expect(Object.entries(scan.protocols).filter(([, on]) => on).map(([name]) => name)).toEqual(['TLSv1.0']);
      expect(codes(scan, 'TLSv1.0').sort()).toEqual(['0x0035', '0x0041', '0xC013']);
      expect(scan.ciphers.find((cipher) => cipher.code === '0x0041')).toMatchObject({ name: 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA', enc: 'Camellia', bits: 128, mac: 'SHA1' });
      expect(scan.chain[0]?.subject).toBe('CN=scan.test');
      expect(scan.features.secureRenegotiation).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it('DHE suites with RFC 7919 parameters, no TLS 1.3, server order', async () => {
    const server = await startOpensslServer(rsa, ['-no_tls1_3', '-serverpref', '-dhparam', dhparam, '-cipher', 'DHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0', '-min_protocol', 'TLSv1.2']);
    try {
      const scan = await scanEndpoint(target(server.port), { timeoutMs: 3000 });
      expect(scan.protocols['TLSv1.3']).toBe(false);
      expect(scan.protocols['TLSv1.2']).toBe(true);
      expect(codes(scan, 'TLSv1.2')).toEqual(['0x009F', '0x0033', '0xC02F']);
      expect(scan.serverOrder).toBe(true);
      expect(scan.features.fallbackScsv).toBeNull();
      // The measured size of the server's DH parameters, in the table's own notation.
      expect(scan.ciphers.map((cipher) => cipher.kx)).toEqual(['DH(2048)', 'DH(2048)', 'ECDH']);
    } finally {
      await server.stop();
    }
  });

  it('weak (1024-bit) DH parameters show in the key exchange', async () => {
    const server = await startOpensslServer(rsa, ['-no_tls1_3', '-dhparam', makeDhParams(dir.dir, 'rfc5114-1024'), '-cipher', 'DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0']);
    try {
      const scan = await scanEndpoint(target(server.port), { timeoutMs: 3000 });
      expect(scan.ciphers.map((cipher) => [cipher.code, cipher.kx])).toEqual([['0x009E', 'DH(1024)']]);
    } finally {
      await server.stop();
    }
  });
});

describe('against a scripted server (what real servers at hand cannot do)', () => {
  it('SSLv2, SSLv3 and TLS 1.0 with compression and no secure renegotiation', async () => {
    const scan = await withFake(
      { versions: [0x0300, 0x0301], ciphers: [0x000a, 0x0005, 0x002f, 0xc013], sslv2Ciphers: [0x0700c0, 0x010080], compression: true, renegotiationInfo: false, groups: [0x0017] },
      (port) => scanEndpoint(target(port), { timeoutMs: 2000 }),
    );
    expect(scan.protocols).toEqual({ SSLv2: true, SSLv3: true, 'TLSv1.0': true, 'TLSv1.1': false, 'TLSv1.2': false, 'TLSv1.3': false });
    expect(codes(scan, 'TLSv1.0')).toEqual(['0x000A', '0x0005', '0x002F', '0xC013']);
    expect(codes(scan, 'SSLv3')).toEqual(['0x000A', '0x0005', '0x002F', '0xC013']);
    expect(scan.ciphers.filter((cipher) => cipher.protocol === 'SSLv2')).toEqual([
      expect.objectContaining({ code: '0x0700C0', name: 'SSL_CK_DES_192_EDE3_CBC_WITH_MD5', preferred: false }),
      expect.objectContaining({ code: '0x010080', name: 'SSL_CK_RC4_128_WITH_MD5' }),
    ]);
    expect(scan.serverOrder).toBe(true);
    expect(groupNames(scan)).toEqual(['secp256r1']);
    expect(scan.features).toMatchObject({ compression: true, secureRenegotiation: false, fallbackScsv: false });
    // Node's client cannot complete a handshake with a scripted server: said so, not hidden.
    expect(scan.handshakeMs).toBeNull();
    expect(scan.errors.join('\n')).toMatch(/handshake: Node TLS handshake failed/);
  });

  it('a server that resets hellos with more than 40 suites still yields all its suites', async () => {
    let connections = 0;
    const scan = await withFake({ ciphers: [0xc02f, 0x009c, 0x002f, 0x0035, 0x000a, 0xc030], maxCiphers: 40, fallbackScsv: true }, (port) =>
      scanEndpoint(target(port), { timeoutMs: 2000, trace: () => connections++ }),
    );
    expect(scan.protocols['TLSv1.2']).toBe(true);
    expect(codes(scan, 'TLSv1.2')).toEqual(['0xC02F', '0x009C', '0x002F', '0x0035', '0x000A', '0xC030']);
    expect(connections).toBeLessThan(200);
  });

  it('a server that closes instead of alerting, answering in 5-byte records and writes', async () => {
    const scan = await withFake({ versions: [0x0302, 0x0303], ciphers: [0x002f, 0xc013, 0x0035], serverOrder: false, onFailure: 'close', fragment: 5, fallbackScsv: true, alpn: ['http/1.1'] }, (port) =>
      scanEndpoint(target(port), { timeoutMs: 2000 }),
    );
    expect(scan.protocols).toMatchObject({ 'TLSv1.1': true, 'TLSv1.2': true, 'TLSv1.3': false });
    expect(codes(scan, 'TLSv1.2').sort()).toEqual(['0x002F', '0x0035', '0xC013']);
    expect(codes(scan, 'TLSv1.1').sort()).toEqual(['0x002F', '0x0035', '0xC013']);
    expect(scan.serverOrder).toBe(false);
    expect(scan.features).toMatchObject({ fallbackScsv: true, alpn: ['http/1.1'] });
    expect(scan.chain[0]?.subject).toBe('CN=scan.test');
  });

  it('a TLS 1.3 server that refuses an empty key_share: real key shares instead', async () => {
    const scan = await withFake({ versions: [0x0304], ciphers13: [0x1302, 0x1301], groups: [0x0017, 0x001d, 0x0100], rejectEmptyKeyShare: true }, (port) => scanEndpoint(target(port), { timeoutMs: 2000 }));
    expect(scan.protocols['TLSv1.3']).toBe(true);
    expect(codes(scan, 'TLSv1.3')).toEqual(['0x1302', '0x1301']);
    expect(scan.serverOrder).toBe(true);
    expect(groupNames(scan)).toEqual(['secp256r1', 'x25519', 'ffdhe2048']);
  });

  it('sends the name of a host target as SNI in every hello, and resolves it', async () => {
    const server = await startFakeTls({ versions: [0x0303, 0x0304], ciphers: [0xc02f], serverOrder: true, certificate: rsa.der });
    try {
      const scan = await scanEndpoint(tlsTarget(`https://localhost:${server.port}/`), { timeoutMs: 2000 });
      expect(scan.ip).toBe('127.0.0.1');
      expect(scan.protocols['TLSv1.2']).toBe(true);
      expect(server.hellos.length).toBeGreaterThan(5);
      // SSLv3 hellos carry no extensions at all; every other one names the host.
      for (const hello of server.hellos) expect(hello.serverName, `hello 0x${hello.version.toString(16)}`).toBe(hello.version === 0x0300 ? null : 'localhost');
    } finally {
      await server.stop();
    }
  });

  it('OCSP stapling in a TLS 1.2 first flight', async () => {
    const scan = await withFake({ ocsp: Buffer.from('a stapled response') }, (port) => scanEndpoint(target(port), { timeoutMs: 2000 }));
    expect(scan.features.ocspStapling).toBe(true);
  });
});

describe('faults', () => {
  it('an abort ends the scan at once with what was learned', async () => {
    const server = await startMisbehaving('silent');
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const scan = await scanEndpoint(target(server.port), { timeoutMs: 30_000, signal: controller.signal });
      expect(scan.errors).toContain('scan aborted before it finished');
      expect(Object.values(scan.protocols).some(Boolean)).toBe(false);
    } finally {
      await server.stop();
    }
  });

  it('several endpoints: the good ones are scanned, the bad ones explained', async () => {
    const good = await startNodeTls({ cert: rsa.certPem, key: rsa.keyPem });
    const silent = await startMisbehaving('silent');
    const refused = await closedPort();
    try {
      const scans = await scanEndpoints([target(good.port), target(silent.port), target(refused)], { timeoutMs: 2000, maxConnections: 4 });
      expect(scans.map((scan) => scan.target.port)).toEqual([good.port, silent.port, refused]);
      expect(scans[0]!.protocols['TLSv1.3']).toBe(true);
      expect(scans[0]!.errors).toEqual([]);
      expect(scans[1]!.errors.join('\n')).toMatch(/no TLS answer from 127\.0\.0\.1:\d+: no answer within 2000 ms/);
      expect(scans[2]!.errors.join('\n')).toMatch(/no TLS answer from .*cannot connect \(ECONNREFUSED/);
    } finally {
      await Promise.all([good.stop(), silent.stop()]);
    }
  });
});
