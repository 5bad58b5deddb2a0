/**
 * A scriptable TLS responder on 127.0.0.1 that answers ClientHellos the way a configured server
 * would — SSLv2 to TLS 1.3, its own cipher order or the client's, groups, compression, secure
 * renegotiation, fallback SCSV, ALPN, OCSP stapling — and can split its answer into tiny records
 * and TCP writes. It never completes a handshake (neither does the scanner): it is for what real
 * servers at hand cannot do (SSLv2, SSLv3, compression, choking on long lists).
 */
import { createServer, type Socket } from 'node:net';
import { parseClientHello, parseSslv2ClientHello, type ParsedClientHello, SCSV } from '../client-hello.js';
import { ContentType, encodeHandshake, encodeRecords, encodeSslv2Record, HandshakeType, ServerStream, Version } from '../records.js';
import { buildCertificateBody, buildCertificateStatusBody, buildServerHelloBody, buildServerKeyExchangeBody, buildSslv2ServerHello } from '../server-messages.js';

export interface FakeTlsPolicy {
  /** Wire versions accepted: 0x0300 … 0x0304. */
  versions: number[];
  /** ≤ 1.2 suites in the server's order. */
  ciphers: number[];
  /** TLS 1.3 suites in the server's order. */
  ciphers13?: number[];
  /** Server order (true) or the client's (false). */
  serverOrder: boolean;
  /** Named groups in the server's order (TLS 1.3 and ECDHE). */
  groups?: number[];
  certificate: Buffer;
  /** SSLv2 cipher specs (3 bytes) accepted; SSLv2 off when absent. */
  sslv2Ciphers?: number[];
  compression?: boolean;
  renegotiationInfo?: boolean;
  fallbackScsv?: boolean;
  alpn?: string[];
  /** A stapled OCSP response to send when asked. */
  ocsp?: Buffer;
  /** Suites per hello beyond which the server resets the connection (a choking server). */
  maxCiphers?: number;
  /** What to do when nothing fits: an alert (default) or closing silently. */
  onFailure?: 'alert' | 'close';
  /** Split the answer into records of this many bytes, each written separately. */
  fragment?: number;
  /** Refuse TLS 1.3 hellos with an empty key_share (illegal_parameter), as a few servers do. */
  rejectEmptyKeyShare?: boolean;
}

/** ECDHE key exchange in the table's naming: kx ECDH. A small fixed set is enough for the fake. */
const ECDHE = new Set([0xc02f, 0xc030, 0xc02b, 0xc02c, 0xc013, 0xc014, 0xc009, 0xc00a, 0xc027, 0xc028, 0xcca8, 0xcca9, 0xc011]);

export interface FakeTlsServer {
  host: string;
  port: number;
  /** ClientHellos received (parsed), for assertions. */
  hellos: ParsedClientHello[];
  connections: number;
  stop(): Promise<void>;
}

function alert(description: number, version: number = Version.TLSv1_2): Buffer {
  return encodeRecords(ContentType.Alert, version, Buffer.from([2, description]));
}

function choose<T>(offered: readonly T[], mine: readonly T[], serverOrder: boolean): T | undefined {
  return serverOrder ? mine.find((value) => offered.includes(value)) : offered.find((value) => mine.includes(value));
}

function answer(policy: FakeTlsPolicy, hello: ParsedClientHello): Buffer | 'close' | 'reset' {
  const fail = (description: number, version?: number) => (policy.onFailure === 'close' ? 'close' : alert(description, version));
  if (policy.maxCiphers !== undefined && hello.ciphers.length > policy.maxCiphers) return 'reset';
  const versions = [...policy.versions].sort((a, b) => b - a);
  const max = versions[0] ?? 0;
  const wants13 = hello.supportedVersions.includes(Version.TLSv1_3);
  if (wants13 && policy.versions.includes(Version.TLSv1_3)) {
    if (policy.rejectEmptyKeyShare && (hello.keyShares ?? []).length === 0) return alert(47);
    const suite = choose(hello.ciphers, policy.ciphers13 ?? [0x1301, 0x1302, 0x1303], policy.serverOrder);
    if (suite === undefined) return fail(40);
    const groups = policy.groups ?? [0x001d];
    const shared = hello.keyShares?.find((group) => groups.includes(group));
    const body = (group: number, retry: boolean) =>
      encodeRecords(
        ContentType.Handshake,
        Version.TLSv1_2,
        encodeHandshake(HandshakeType.ServerHello, buildServerHelloBody({ version: Version.TLSv1_2, cipherSuite: suite, sessionId: hello.sessionId, selectedVersion: Version.TLSv1_3, keyShareGroup: group, helloRetryRequest: retry })),
      );
    if (shared !== undefined) return Buffer.concat([body(shared, false), encodeRecords(ContentType.ChangeCipherSpec, Version.TLSv1_2, Buffer.from([1])), encodeRecords(ContentType.ApplicationData, Version.TLSv1_2, Buffer.alloc(64, 3))]);
    const group = choose(hello.groups, groups, policy.serverOrder);
    if (group === undefined) return fail(40);
    return body(group, true);
  }
  // TLS ≤ 1.2 (and TLS 1.3 clients meeting a server without it).
  const legacy = versions.filter((version) => version <= Version.TLSv1_2);
  const version = legacy.find((candidate) => candidate <= hello.version);
  if (version === undefined) return fail(70, hello.version >= Version.TLSv1_0 ? Version.TLSv1_0 : Version.SSLv3);
  if (policy.fallbackScsv && hello.ciphers.includes(SCSV.Fallback) && hello.version < max) return alert(86, version);
  const groups = policy.groups ?? [0x001d, 0x0017];
  // No supported_groups (an SSLv3 hello): any curve will do, as OpenSSL servers assume.
  const group = hello.groups.length === 0 ? groups[0] : choose(hello.groups, groups, policy.serverOrder);
  const usable = policy.ciphers.filter((suite) => !ECDHE.has(suite) || group !== undefined);
  const suite = choose(hello.ciphers, usable, policy.serverOrder);
  if (suite === undefined) return fail(40, version);
  const alpn = policy.alpn && hello.alpn.length > 0 ? choose(hello.alpn, policy.alpn, true) : undefined;
  if (policy.alpn && hello.alpn.length > 0 && alpn === undefined) return alert(120, version);
  const stapling = policy.ocsp !== undefined && hello.statusRequest;
  const messages = [
    encodeHandshake(
      HandshakeType.ServerHello,
      buildServerHelloBody({
        version,
        cipherSuite: suite,
        compression: policy.compression && hello.compression.includes(1) ? 1 : 0,
        sessionId: Buffer.alloc(32, 9),
        renegotiationInfo: policy.renegotiationInfo !== false && hello.renegotiationInfo && version > Version.SSLv3 ? true : undefined,
        alpn,
        statusRequest: stapling || undefined,
      }),
    ),
    encodeHandshake(HandshakeType.Certificate, buildCertificateBody([policy.certificate])),
  ];
  if (stapling) messages.push(encodeHandshake(HandshakeType.CertificateStatus, buildCertificateStatusBody(policy.ocsp!)));
  if (ECDHE.has(suite) && group !== undefined) messages.push(encodeHandshake(HandshakeType.ServerKeyExchange, buildServerKeyExchangeBody({ namedGroup: group })));
  messages.push(encodeHandshake(HandshakeType.ServerHelloDone, Buffer.alloc(0)));
  return encodeRecords(ContentType.Handshake, version, Buffer.concat(messages), policy.fragment ?? 16384);
}

export async function startFakeTls(policy: FakeTlsPolicy): Promise<FakeTlsServer> {
  const sockets = new Set<Socket>();
  const hellos: ParsedClientHello[] = [];
  const state = { connections: 0 };
  const server = createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const stream = new ServerStream({ sslv2: true, maxHandshakeMessage: 1 << 16 });
    const send = (bytes: Buffer) => {
      if (!policy.fragment) {
        socket.write(bytes);
        return;
      }
      // Tiny TCP writes too: records split across segments.
      for (let offset = 0; offset < bytes.length; offset += policy.fragment) socket.write(bytes.subarray(offset, offset + policy.fragment));
    };
    socket.on('data', (chunk: Buffer) => {
      for (const event of stream.push(chunk)) {
        if (event.kind === 'sslv2') {
          const hello = parseSslv2ClientHello(event.message);
          if (!hello.ok || !policy.sslv2Ciphers) {
            socket.end(alert(70, Version.SSLv3));
            return;
          }
          const ciphers = policy.sslv2Ciphers.filter((cipher) => hello.value.ciphers.includes(cipher));
          send(encodeSslv2Record(buildSslv2ServerHello({ ciphers, certificate: policy.certificate })));
          return;
        }
        if (event.kind === 'handshake' && event.type === HandshakeType.ClientHello) {
          const hello = parseClientHello(event.body);
          if (!hello.ok) {
            socket.end(alert(50));
            return;
          }
          hellos.push(hello.value);
          const reply = answer(policy, hello.value);
          if (reply === 'reset') socket.resetAndDestroy();
          else if (reply === 'close') socket.end();
          else send(reply);
          return;
        }
        if (event.kind === 'error') {
          socket.destroy();
          return;
        }
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    host: '127.0.0.1',
    port: (server.address() as { port: number }).port,
    hellos,
    get connections() {
      return state.connections;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
