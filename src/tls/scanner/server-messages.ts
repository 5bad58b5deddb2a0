/**
 * What a server answers to a probe: ServerHello (and HelloRetryRequest), Alert, Certificate,
 * CertificateStatus, ServerKeyExchange, ServerHelloDone, and the SSLv2 SERVER-HELLO. Parsers are
 * bounded and return a typed error on garbage; the builders make the same messages (tests and the
 * fake servers they run).
 */
import { ByteReader, type Parsed, parseWith, u16, vector } from './bytes.js';
import { ExtensionType, type ParsedExtension, readExtensions } from './client-hello.js';
import { Version } from './records.js';

/** SHA-256("HelloRetryRequest"): the random of a HelloRetryRequest (RFC 8446 4.1.3). */
export const HELLO_RETRY_REQUEST_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

export interface ServerHello {
  /** legacy_version. */
  version: number;
  /** The version in force: supported_versions when present, else legacy_version. */
  selectedVersion: number;
  random: Buffer;
  sessionId: Buffer;
  cipherSuite: number;
  compression: number;
  extensions: ParsedExtension[];
  isHelloRetryRequest: boolean;
  /** key_share: the group of the server's share, or the group a HelloRetryRequest asks for. */
  keyShareGroup: number | null;
  /** renegotiation_info contents (empty on an initial handshake), or null when absent. */
  renegotiationInfo: Buffer | null;
  alpn: string | null;
  sessionTicket: boolean;
  statusRequest: boolean;
  extendedMasterSecret: boolean;
}

export function parseServerHello(body: Uint8Array): Parsed<ServerHello> {
  return parseWith(() => {
    const reader = new ByteReader(body, 0, body.length, 'ServerHello');
    const version = reader.u16('version');
    if (version >> 8 !== 3) throw new Error(`ServerHello: version 0x${version.toString(16)} is not SSLv3/TLS`);
    const random = reader.bytesOf(32, 'random');
    const sessionId = reader.vector(1, 'session id');
    if (sessionId.length > 32) throw new Error('ServerHello: session id longer than 32 bytes');
    const cipherSuite = reader.u16('cipher suite');
    const compression = reader.u8('compression method');
    const extensions = readExtensions(reader, 'ServerHello');
    reader.finish();
    const isHelloRetryRequest = random.equals(HELLO_RETRY_REQUEST_RANDOM);
    const find = (type: number) => extensions.find((ext) => ext.type === type)?.data;
    let selectedVersion = version;
    const versions = find(ExtensionType.SupportedVersions);
    if (versions) {
      if (versions.length !== 2) throw new Error('ServerHello: supported_versions is not 2 bytes');
      selectedVersion = versions.readUInt16BE(0);
    }
    let keyShareGroup: number | null = null;
    const share = find(ExtensionType.KeyShare);
    if (share) {
      const shareReader = new ByteReader(share, 0, share.length, 'key_share');
      keyShareGroup = shareReader.u16('group');
      if (!isHelloRetryRequest) shareReader.vector(2, 'key exchange');
      shareReader.finish('key_share');
    }
    let renegotiationInfo: Buffer | null = null;
    const reneg = find(ExtensionType.RenegotiationInfo);
    if (reneg) {
      const renegReader = new ByteReader(reneg, 0, reneg.length, 'renegotiation_info');
      renegotiationInfo = renegReader.vector(1, 'renegotiated connection');
      renegReader.finish('renegotiation_info');
    }
    let alpn: string | null = null;
    const alpnData = find(ExtensionType.Alpn);
    if (alpnData) {
      const outer = new ByteReader(alpnData, 0, alpnData.length, 'ALPN');
      const list = outer.sub(outer.u16('list length'), 'protocols');
      alpn = list.vector(1, 'protocol').toString('latin1');
      list.finish('ALPN protocol');
      outer.finish('ALPN');
    }
    return {
      version,
      selectedVersion,
      random,
      sessionId,
      cipherSuite,
      compression,
      extensions,
      isHelloRetryRequest,
      keyShareGroup,
      renegotiationInfo,
      alpn,
      sessionTicket: find(ExtensionType.SessionTicket) !== undefined,
      statusRequest: find(ExtensionType.StatusRequest) !== undefined,
      extendedMasterSecret: find(ExtensionType.ExtendedMasterSecret) !== undefined,
    };
  });
}

export interface ServerHelloOptions {
  version: number;
  cipherSuite: number;
  compression?: number;
  sessionId?: Uint8Array;
  random?: Uint8Array;
  helloRetryRequest?: boolean;
  /** supported_versions (TLS 1.3: 0x0304 with legacy version 0x0303). */
  selectedVersion?: number;
  keyShareGroup?: number;
  renegotiationInfo?: boolean;
  alpn?: string;
  sessionTicket?: boolean;
  statusRequest?: boolean;
  extendedMasterSecret?: boolean;
}

export function buildServerHelloBody(options: ServerHelloOptions): Buffer {
  const extensions: Buffer[] = [];
  const ext = (type: number, data: Uint8Array) => extensions.push(Buffer.concat([u16(type), vector(2, data)]));
  if (options.renegotiationInfo) ext(ExtensionType.RenegotiationInfo, Buffer.from([0]));
  if (options.alpn !== undefined) ext(ExtensionType.Alpn, vector(2, vector(1, Buffer.from(options.alpn, 'latin1'))));
  if (options.sessionTicket) ext(ExtensionType.SessionTicket, Buffer.alloc(0));
  if (options.statusRequest) ext(ExtensionType.StatusRequest, Buffer.alloc(0));
  if (options.extendedMasterSecret) ext(ExtensionType.ExtendedMasterSecret, Buffer.alloc(0));
  if (options.selectedVersion !== undefined) ext(ExtensionType.SupportedVersions, u16(options.selectedVersion));
  if (options.keyShareGroup !== undefined) {
    ext(ExtensionType.KeyShare, options.helloRetryRequest ? u16(options.keyShareGroup) : Buffer.concat([u16(options.keyShareGroup), vector(2, Buffer.alloc(32, 7))]));
  }
  const random = options.helloRetryRequest ? HELLO_RETRY_REQUEST_RANDOM : (options.random ?? Buffer.alloc(32, 0x42));
  const head = Buffer.concat([u16(options.version), Buffer.from(random), vector(1, options.sessionId ?? Buffer.alloc(0)), u16(options.cipherSuite), Buffer.from([options.compression ?? 0])]);
  return extensions.length === 0 ? head : Buffer.concat([head, vector(2, Buffer.concat(extensions))]);
}

export const AlertDescription: Readonly<Record<number, string>> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  21: 'decryption_failed',
  22: 'record_overflow',
  30: 'decompression_failure',
  40: 'handshake_failure',
  41: 'no_certificate',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  60: 'export_restriction',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  100: 'no_renegotiation',
  109: 'missing_extension',
  110: 'unsupported_extension',
  112: 'unrecognized_name',
  113: 'bad_certificate_status_response',
  115: 'unknown_psk_identity',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

export interface Alert {
  level: number;
  description: number;
  /** `handshake_failure`, or `alert 123` for an unknown one. */
  name: string;
}

export function alertName(description: number): string {
  return AlertDescription[description] ?? `alert ${description}`;
}

export function parseAlert(fragment: Uint8Array): Parsed<Alert> {
  return parseWith(() => {
    const reader = new ByteReader(fragment, 0, fragment.length, 'Alert');
    const level = reader.u8('level');
    const description = reader.u8('description');
    reader.finish();
    if (level !== 1 && level !== 2) throw new Error(`Alert: level ${level} is neither warning (1) nor fatal (2)`);
    return { level, description, name: alertName(description) };
  });
}

/** The DER certificates of a Certificate message, leaf first. TLS 1.3 adds a context and per-entry extensions. */
export function parseCertificateMessage(body: Uint8Array, tls13 = false): Parsed<Buffer[]> {
  return parseWith(() => {
    const reader = new ByteReader(body, 0, body.length, 'Certificate');
    if (tls13) reader.vector(1, 'request context');
    const list = reader.sub(reader.u24('certificate list length'), 'certificate list');
    reader.finish();
    const out: Buffer[] = [];
    while (list.remaining > 0) {
      const der = list.vector(3, 'certificate');
      if (der.length === 0) throw new Error('Certificate: empty certificate');
      out.push(der);
      if (tls13) list.vector(2, 'certificate extensions');
    }
    return out;
  });
}

export function buildCertificateBody(certificates: readonly Uint8Array[]): Buffer {
  return vector(3, Buffer.concat(certificates.map((der) => vector(3, der))));
}

export interface CertificateStatus {
  /** 1 = OCSP. */
  statusType: number;
  response: Buffer;
}

export function parseCertificateStatus(body: Uint8Array): Parsed<CertificateStatus> {
  return parseWith(() => {
    const reader = new ByteReader(body, 0, body.length, 'CertificateStatus');
    const statusType = reader.u8('status type');
    const response = reader.vector(3, 'OCSP response');
    reader.finish();
    return { statusType, response };
  });
}

export function buildCertificateStatusBody(response: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([1]), vector(3, response)]);
}

export interface ServerKeyExchange {
  /** ECDHE: the named curve (0x001D…), null for other kinds. */
  namedGroup: number | null;
  /** DHE: bits of the prime p, null for other kinds. */
  dhBits: number | null;
}

/**
 * Reads the start of a ServerKeyExchange: `ecdhe` (named curve) or `dhe` (prime size). The
 * signature after the parameters is not checked.
 */
export function parseServerKeyExchange(body: Uint8Array, kind: 'ecdhe' | 'dhe'): Parsed<ServerKeyExchange> {
  return parseWith(() => {
    const reader = new ByteReader(body, 0, body.length, 'ServerKeyExchange');
    if (kind === 'ecdhe') {
      const curveType = reader.u8('curve type');
      if (curveType !== 3) throw new Error(`ServerKeyExchange: curve type ${curveType} is not named_curve`);
      const namedGroup = reader.u16('named curve');
      reader.vector(1, 'public key');
      return { namedGroup, dhBits: null };
    }
    const prime = reader.vector(2, 'dh_p');
    reader.vector(2, 'dh_g');
    reader.vector(2, 'dh_Ys');
    let first = 0;
    while (first < prime.length && prime[first] === 0) first++;
    const bits = first === prime.length ? 0 : (prime.length - first - 1) * 8 + (32 - Math.clz32(prime[first]!));
    return { namedGroup: null, dhBits: bits };
  });
}

export function buildServerKeyExchangeBody(options: { namedGroup: number } | { dhPrime: Uint8Array }): Buffer {
  const signature = Buffer.concat([u16(0x0401), vector(2, Buffer.alloc(64, 9))]);
  if ('namedGroup' in options) return Buffer.concat([Buffer.from([3]), u16(options.namedGroup), vector(1, Buffer.alloc(32, 5)), signature]);
  return Buffer.concat([vector(2, options.dhPrime), vector(2, Buffer.from([2])), vector(2, Buffer.alloc(options.dhPrime.length, 3)), signature]);
}

export interface Sslv2ServerHello {
  sessionIdHit: boolean;
  certificateType: number;
  version: number;
  certificate: Buffer;
  /** 3-byte SSLv2 cipher specs the server accepts among those offered. */
  ciphers: number[];
  connectionId: Buffer;
}

/** An SSLv2 SERVER-HELLO message (record header removed). */
export function parseSslv2ServerHello(message: Uint8Array): Parsed<Sslv2ServerHello> {
  return parseWith(() => {
    const reader = new ByteReader(message, 0, message.length, 'SSLv2 SERVER-HELLO');
    const type = reader.u8('message type');
    if (type !== 4) throw new Error(`SSLv2: message type ${type} is not SERVER-HELLO (4)`);
    const sessionIdHit = reader.u8('session id hit') !== 0;
    const certificateType = reader.u8('certificate type');
    const version = reader.u16('version');
    if (version !== Version.SSLv2) throw new Error(`SSLv2 SERVER-HELLO: version 0x${version.toString(16)}`);
    const certificateLength = reader.u16('certificate length');
    const specsLength = reader.u16('cipher specs length');
    const connectionIdLength = reader.u16('connection id length');
    if (specsLength % 3 !== 0) throw new Error('SSLv2 SERVER-HELLO: cipher specs length not a multiple of 3');
    const certificate = reader.bytesOf(certificateLength, 'certificate');
    const specs = reader.bytesOf(specsLength, 'cipher specs');
    const connectionId = reader.bytesOf(connectionIdLength, 'connection id');
    reader.finish();
    const ciphers: number[] = [];
    for (let i = 0; i < specs.length; i += 3) ciphers.push(specs.readUIntBE(i, 3));
    return { sessionIdHit, certificateType, version, certificate, ciphers, connectionId };
  });
}

export function buildSslv2ServerHello(options: { ciphers: readonly number[]; certificate: Uint8Array; connectionId?: Uint8Array }): Buffer {
  const specs = Buffer.alloc(options.ciphers.length * 3);
  options.ciphers.forEach((cipher, index) => specs.writeUIntBE(cipher, index * 3, 3));
  const connectionId = options.connectionId ?? Buffer.alloc(16, 1);
  return Buffer.concat([
    Buffer.from([4, 0, 1]),
    u16(Version.SSLv2),
    u16(options.certificate.length),
    u16(specs.length),
    u16(connectionId.length),
    Buffer.from(options.certificate),
    specs,
    Buffer.from(connectionId),
  ]);
}
