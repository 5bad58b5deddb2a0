import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientHello, SIGNATURE_ALGORITHMS } from './client-hello.js';
import { HandshakeType, ServerStream } from './records.js';
import {
  alertName,
  buildCertificateBody,
  buildCertificateStatusBody,
  buildServerHelloBody,
  buildServerKeyExchangeBody,
  buildSslv2ServerHello,
  HELLO_RETRY_REQUEST_RANDOM,
  parseAlert,
  parseCertificateMessage,
  parseCertificateStatus,
  parseServerHello,
  parseServerKeyExchange,
  parseSslv2ServerHello,
} from './server-messages.js';
import { makeCertificate, type RunningServer, startNodeTls, type TempDir, tempDir, type TestCertificate } from './test-support/servers.js';

describe('ServerHello', () => {
  it('round-trips a TLS 1.2 ServerHello with its extensions', () => {
    const body = buildServerHelloBody({ version: 0x0303, cipherSuite: 0xc02f, compression: 1, sessionId: Buffer.alloc(32, 3), renegotiationInfo: true, alpn: 'h2', sessionTicket: true, statusRequest: true, extendedMasterSecret: true });
    const parsed = parseServerHello(body);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.value).toMatchObject({
      version: 0x0303,
      selectedVersion: 0x0303,
      cipherSuite: 0xc02f,
      compression: 1,
      isHelloRetryRequest: false,
      keyShareGroup: null,
      alpn: 'h2',
      sessionTicket: true,
      statusRequest: true,
      extendedMasterSecret: true,
    });
    expect(parsed.value.renegotiationInfo?.length).toBe(0);
    expect(parsed.value.sessionId.length).toBe(32);
  });

  it('reads TLS 1.3 ServerHello and HelloRetryRequest: version, suite, group', () => {
    const hello = parseServerHello(buildServerHelloBody({ version: 0x0303, cipherSuite: 0x1302, selectedVersion: 0x0304, keyShareGroup: 0x001d }));
    expect(hello.ok && hello.value).toMatchObject({ selectedVersion: 0x0304, cipherSuite: 0x1302, keyShareGroup: 0x001d, isHelloRetryRequest: false });
    const retry = parseServerHello(buildServerHelloBody({ version: 0x0303, cipherSuite: 0x1301, selectedVersion: 0x0304, keyShareGroup: 0x11ec, helloRetryRequest: true }));
    expect(retry.ok && retry.value).toMatchObject({ selectedVersion: 0x0304, cipherSuite: 0x1301, keyShareGroup: 0x11ec, isHelloRetryRequest: true });
    expect(retry.ok && retry.value.random.equals(HELLO_RETRY_REQUEST_RANDOM)).toBe(true);
  });

  it('round-trips arbitrary ServerHellos', () => {
    fc.assert(
      fc.property(
        fc.record({
          version: fc.constantFrom(0x0300, 0x0301, 0x0302, 0x0303),
          cipherSuite: fc.integer({ min: 0, max: 0xffff }),
          compression: fc.constantFrom(0, 1),
          sessionId: fc.uint8Array({ maxLength: 32 }),
          renegotiationInfo: fc.boolean(),
          alpn: fc.option(fc.constantFrom('h2', 'http/1.1'), { nil: undefined }),
          selectedVersion: fc.option(fc.constant(0x0304), { nil: undefined }),
          keyShareGroup: fc.option(fc.integer({ min: 0, max: 0xffff }), { nil: undefined }),
          helloRetryRequest: fc.boolean(),
        }),
        (options) => {
          const parsed = parseServerHello(buildServerHelloBody(options));
          if (!parsed.ok) throw new Error(parsed.error);
          expect(parsed.value.cipherSuite).toBe(options.cipherSuite);
          expect(parsed.value.selectedVersion).toBe(options.selectedVersion ?? options.version);
          expect(parsed.value.keyShareGroup).toBe(options.keyShareGroup ?? null);
          expect(parsed.value.alpn).toBe(options.alpn ?? null);
          expect(parsed.value.isHelloRetryRequest).toBe(options.helloRetryRequest);
          expect(parsed.value.renegotiationInfo !== null).toBe(options.renegotiationInfo);
        },
      ),
    );
  });

  it('refuses garbage and every truncation with a reason', () => {
    const body = buildServerHelloBody({ version: 0x0303, cipherSuite: 0xc02f, renegotiationInfo: true, alpn: 'h2' });
    for (let cut = 1; cut < body.length; cut++) {
      const parsed = parseServerHello(body.subarray(0, cut));
      // Without its extensions block a ServerHello is still whole (2 + 32 + 1 + 2 + 1 bytes).
      if (cut !== 38) expect(parsed.ok, `cut at ${cut}`).toBe(false);
    }
    expect(parseServerHello(Buffer.from([0x02, 0x00]))).toEqual({ ok: false, error: expect.stringMatching(/not SSLv3\/TLS/) });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      expect(typeof parseServerHello(bytes).ok).toBe('boolean');
    }));
  });
});

describe('alerts, certificates, status, key exchange', () => {
  it('reads alerts and names them', () => {
    expect(parseAlert(Buffer.from([2, 40]))).toEqual({ ok: true, value: { level: 2, description: 40, name: 'handshake_failure' } });
    expect(parseAlert(Buffer.from([2, 86])).ok && alertName(86)).toBe('inappropriate_fallback');
    expect(alertName(201)).toBe('alert 201');
    expect(parseAlert(Buffer.from([7, 40])).ok).toBe(false);
    expect(parseAlert(Buffer.from([2])).ok).toBe(false);
    expect(parseAlert(Buffer.from([2, 40, 0])).ok).toBe(false);
  });

  it('round-trips certificate lists (TLS ≤ 1.2) and reads the TLS 1.3 form', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 1, maxLength: 500 }), { maxLength: 5 }), (certificates) => {
        const parsed = parseCertificateMessage(buildCertificateBody(certificates));
        expect(parsed.ok && parsed.value.map((der) => [...der])).toEqual(certificates.map((der) => [...der]));
      }),
    );
    const tls13 = Buffer.from([0, 0, 0, 9, 0, 0, 2, 0xaa, 0xbb, 0, 2, 0, 0]);
    expect(parseCertificateMessage(tls13, true)).toEqual({ ok: true, value: [Buffer.from([0xaa, 0xbb])] });
    expect(parseCertificateMessage(Buffer.from([0, 0, 3, 0, 0, 0])).ok).toBe(false);
  });

  it('round-trips CertificateStatus and ServerKeyExchange', () => {
    expect(parseCertificateStatus(buildCertificateStatusBody(Buffer.from('ocsp')))).toEqual({ ok: true, value: { statusType: 1, response: Buffer.from('ocsp') } });
    expect(parseServerKeyExchange(buildServerKeyExchangeBody({ namedGroup: 0x0017 }), 'ecdhe')).toEqual({ ok: true, value: { namedGroup: 0x0017, dhBits: null } });
    const prime = Buffer.concat([Buffer.from([0x00, 0x80]), Buffer.alloc(255, 0xff)]);
    expect(parseServerKeyExchange(buildServerKeyExchangeBody({ dhPrime: prime }), 'dhe')).toEqual({ ok: true, value: { namedGroup: null, dhBits: 2048 } });
    expect(parseServerKeyExchange(Buffer.from([1, 0, 0x17]), 'ecdhe').ok).toBe(false);
  });

  it('round-trips the SSLv2 SERVER-HELLO', () => {
    const message = buildSslv2ServerHello({ ciphers: [0x0700c0, 0x010080], certificate: Buffer.from('cert') });
    expect(parseSslv2ServerHello(message)).toEqual({
      ok: true,
      value: { sessionIdHit: false, certificateType: 1, version: 2, certificate: Buffer.from('cert'), ciphers: [0x0700c0, 0x010080], connectionId: Buffer.alloc(16, 1) },
    });
    for (let cut = 0; cut < message.length; cut++) expect(parseSslv2ServerHello(message.subarray(0, cut)).ok).toBe(false);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
      expect(typeof parseSslv2ServerHello(bytes).ok).toBe('boolean');
    }));
  });
});

/** Everything a server sends in answer to `hello`, until it has sent its first flight (bounded). */
function capture(port: number, hello: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(hello));
    const stream = new ServerStream();
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks));
    };
    const timer = setTimeout(done, 3000);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (stream.push(chunk).some((event) => event.kind === 'handshake' && event.type === HandshakeType.ServerHelloDone)) done();
    });
    socket.on('error', reject);
    socket.on('end', done);
  });
}

describe('real server answers', () => {
  let dir: TempDir;
  let certificate: TestCertificate;
  let server: RunningServer;
  let answer: Buffer;

  beforeAll(async () => {
    dir = tempDir();
    certificate = makeCertificate(dir.dir, { name: 'answers.test' });
    server = await startNodeTls({ cert: certificate.certPem, key: certificate.keyPem, maxVersion: 'TLSv1.2' });
    (server as unknown as { server: { on(event: string, listener: (...args: unknown[]) => void): void } }).server.on('OCSPRequest', (...args: unknown[]) => (args[2] as (error: null, response: Buffer) => void)(null, Buffer.from('stapled')));
    const hello = buildClientHello({ version: 0x0303, ciphers: [0xc02f, 0xc030, 0x009c], groups: [0x001d, 0x0017], signatureAlgorithms: SIGNATURE_ALGORITHMS, statusRequest: true, renegotiationInfo: true, serverName: 'answers.test' });
    answer = await capture(server.port, hello);
  });
  afterAll(async () => {
    await server?.stop();
    dir?.remove();
  });

  it('parses a Node server’s whole first flight', () => {
    const events = new ServerStream().push(answer);
    const types = events.map((event) => (event.kind === 'handshake' ? event.type : event.kind));
    expect(types).toEqual([HandshakeType.ServerHello, HandshakeType.Certificate, HandshakeType.CertificateStatus, HandshakeType.ServerKeyExchange, HandshakeType.ServerHelloDone]);
    const byType = new Map(events.flatMap((event) => (event.kind === 'handshake' ? [[event.type, event.body] as const] : [])));
    const hello = parseServerHello(byType.get(HandshakeType.ServerHello)!);
    expect(hello.ok && hello.value).toMatchObject({ selectedVersion: 0x0303, cipherSuite: 0xc02f, statusRequest: true });
    expect(hello.ok && hello.value.renegotiationInfo).not.toBeNull();
    const certificates = parseCertificateMessage(byType.get(HandshakeType.Certificate)!);
    expect(certificates.ok && certificates.value[0]!.equals(certificate.der)).toBe(true);
    expect(parseCertificateStatus(byType.get(HandshakeType.CertificateStatus)!)).toEqual({ ok: true, value: { statusType: 1, response: Buffer.from('stapled') } });
    const kx = parseServerKeyExchange(byType.get(HandshakeType.ServerKeyExchange)!, 'ecdhe');
    expect(kx.ok && kx.value.namedGroup).toBe(0x001d);
  });

  it('never throws on any truncation or corruption of it', () => {
    const parseAll = (bytes: Buffer, split: number) => {
      const stream = new ServerStream();
      for (let offset = 0; offset < bytes.length; offset += split) {
        for (const event of stream.push(bytes.subarray(offset, offset + split))) {
          if (event.kind !== 'handshake') continue;
          parseServerHello(event.body);
          parseCertificateMessage(event.body);
          parseCertificateStatus(event.body);
          parseServerKeyExchange(event.body, 'ecdhe');
          parseServerKeyExchange(event.body, 'dhe');
        }
      }
    };
    for (let cut = 0; cut <= answer.length; cut += 7) parseAll(answer.subarray(0, cut), 97);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: answer.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 500 }), (index, value, split) => {
        const corrupted = Buffer.from(answer);
        corrupted[index] = value;
        parseAll(corrupted, split);
      }),
      { numRuns: 300 },
    );
  });
});
