/**
 * ClientHello messages for probing, SSLv3 to TLS 1.3, and the SSLv2 CLIENT-HELLO. Nothing here
 * completes a handshake: key shares are plausible public values of the right length (real for
 * X25519 and the NIST/brainpool curves, well-formed for ML-KEM), never used afterwards.
 * {@link parseClientHello} reads them back (tests, fake servers).
 */
import { createECDH, randomBytes, randomInt } from 'node:crypto';
import { ByteReader, type Parsed, parseWith, u16, u16List, vector } from './bytes.js';
import { ContentType, encodeHandshake, encodeRecords, encodeSslv2Record, HandshakeType, Version } from './records.js';

export const ExtensionType = {
  ServerName: 0,
  StatusRequest: 5,
  SupportedGroups: 10,
  EcPointFormats: 11,
  SignatureAlgorithms: 13,
  Heartbeat: 15,
  Alpn: 16,
  SignedCertificateTimestamp: 18,
  Padding: 21,
  EncryptThenMac: 22,
  ExtendedMasterSecret: 23,
  SessionTicket: 35,
  SupportedVersions: 43,
  Cookie: 44,
  PskKeyExchangeModes: 45,
  KeyShare: 51,
  RenegotiationInfo: 0xff01,
} as const;

/** Signalling cipher suite values. */
export const SCSV = {
  /** TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746). */
  EmptyRenegotiationInfo: 0x00ff,
  /** TLS_FALLBACK_SCSV (RFC 7507). */
  Fallback: 0x5600,
} as const;

/**
 * Signature algorithms offered: every TLS 1.2/1.3 scheme a server may hold a key for, legacy
 * ones included, so that no suite is refused for want of a signature algorithm.
 */
export const SIGNATURE_ALGORITHMS: readonly number[] = [
  0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x081a, 0x081b, 0x081c, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x0401, 0x0501, 0x0601,
  0x0303, 0x0301, 0x0302, 0x0203, 0x0201, 0x0202, 0x0402, 0x0502, 0x0602, 0x0101, 0x0708, 0x0709, 0x070a, 0x070b,
];

export interface ClientHelloOptions {
  /** legacy_version: 0x0300 (SSLv3) … 0x0303 (TLS 1.2; also for TLS 1.3 with supported_versions). */
  version: number;
  /** Record-layer version; defaults to the hello's version capped at TLS 1.0 (what browsers send). */
  recordVersion?: number;
  ciphers: readonly number[];
  /** Compression methods; `[0]` (null) unless told. */
  compression?: readonly number[];
  random?: Uint8Array;
  sessionId?: Uint8Array;
  /** No extensions block at all (a pure SSLv3 hello). Everything below is ignored. */
  noExtensions?: boolean;
  serverName?: string | null;
  /** supported_groups (and ec_point_formats when any). */
  groups?: readonly number[];
  signatureAlgorithms?: readonly number[];
  /** supported_versions, e.g. `[0x0304]`; absent when empty. */
  supportedVersions?: readonly number[];
  /** Groups to send a key share for (TLS 1.3); `[]` sends an empty key_share to ask for a HelloRetryRequest. */
  keyShares?: readonly number[];
  alpn?: readonly string[];
  /** session_ticket: `true` for an empty one, or the ticket. */
  sessionTicket?: boolean | Uint8Array;
  /** status_request (OCSP stapling). */
  statusRequest?: boolean;
  /** An empty renegotiation_info extension (initial handshake). */
  renegotiationInfo?: boolean;
  extendedMasterSecret?: boolean;
  /** Pad the hello out of the 256–511 byte range some servers choke on (RFC 7685). */
  padding?: boolean;
  /** Extensions appended verbatim: [type, data]. */
  extra?: ReadonlyArray<readonly [number, Uint8Array]>;
}

let cachedShares: Map<number, Buffer> | null = null;

function ecPoint(curve: string): Buffer | null {
  try {
    const ecdh = createECDH(curve);
    return ecdh.generateKeys();
  } catch {
    return null;
  }
}

/** A syntactically valid ML-KEM encapsulation key: k·256 coefficients below q = 3329, then ρ. */
function mlKemKey(k: number): Buffer {
  const out = Buffer.alloc(384 * k + 32);
  for (let i = 0; i < 128 * k; i++) {
    const a = randomInt(3329);
    const b = randomInt(3329);
    out[3 * i] = a & 0xff;
    out[3 * i + 1] = (a >> 8) | ((b & 0x0f) << 4);
    out[3 * i + 2] = b >> 4;
  }
  randomBytes(32).copy(out, 384 * k);
  return out;
}

/** Length in bytes of a key share for `group`, or null for groups that have no TLS 1.3 share. */
export function keyShareLength(group: number): number | null {
  switch (group) {
    case 0x001d:
      return 32;
    case 0x001e:
      return 56;
    case 0x0017:
    case 0x001a:
    case 0x001f:
    case 0x0029:
      return 65;
    case 0x0018:
    case 0x001b:
    case 0x0020:
      return 97;
    case 0x0019:
      return 133;
    case 0x001c:
    case 0x0021:
      return 129;
    case 0x0100:
      return 256;
    case 0x0101:
      return 384;
    case 0x0102:
      return 512;
    case 0x0103:
      return 768;
    case 0x0104:
      return 1024;
    case 0x0200:
      return 800;
    case 0x0201:
      return 1184;
    case 0x0202:
      return 1568;
    case 0x11eb:
    case 0x11ee:
      return 65 + 1184;
    case 0x11ec:
    case 0x6399:
      return 1184 + 32;
    case 0x11ed:
      return 97 + 1568;
    default:
      return null;
  }
}

/** A plausible public key share for `group` (cached: probing never uses the private half). */
export function keyShareFor(group: number): Buffer | null {
  cachedShares ??= new Map();
  const cached = cachedShares.get(group);
  if (cached) return cached;
  const length = keyShareLength(group);
  if (length === null) return null;
  let share: Buffer | null = null;
  switch (group) {
    case 0x0017:
      share = ecPoint('prime256v1');
      break;
    case 0x0018:
      share = ecPoint('secp384r1');
      break;
    case 0x0019:
      share = ecPoint('secp521r1');
      break;
    case 0x001a:
    case 0x001f:
      share = ecPoint('brainpoolP256r1');
      break;
    case 0x001b:
    case 0x0020:
      share = ecPoint('brainpoolP384r1');
      break;
    case 0x001c:
    case 0x0021:
      share = ecPoint('brainpoolP512r1');
      break;
    case 0x0200:
      share = mlKemKey(2);
      break;
    case 0x0201:
      share = mlKemKey(3);
      break;
    case 0x0202:
      share = mlKemKey(4);
      break;
    case 0x11ec:
    case 0x6399:
      share = Buffer.concat([mlKemKey(3), randomBytes(32)]);
      break;
    case 0x11eb:
      share = Buffer.concat([ecPoint('prime256v1') ?? randomBytes(65), mlKemKey(3)]);
      break;
    case 0x11ed:
      share = Buffer.concat([ecPoint('secp384r1') ?? randomBytes(97), mlKemKey(4)]);
      break;
    default:
      break;
  }
  if (share === null || share.length !== length) share = randomBytes(length);
  if (group >= 0x0100 && group <= 0x0104) share[0]! |= 0x40; // a large value below p, never 0 or 1
  cachedShares.set(group, share);
  return share;
}

function extension(type: number, data: Uint8Array): Buffer {
  return Buffer.concat([u16(type), vector(2, data)]);
}

function isIpAddress(name: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.includes(':');
}

function extensionsFor(options: ClientHelloOptions): Buffer[] {
  const out: Buffer[] = [];
  if (options.serverName && !isIpAddress(options.serverName)) {
    const name = Buffer.from(options.serverName, 'ascii');
    out.push(extension(ExtensionType.ServerName, vector(2, Buffer.concat([Buffer.from([0]), vector(2, name)]))));
  }
  if (options.renegotiationInfo) out.push(extension(ExtensionType.RenegotiationInfo, Buffer.from([0])));
  if (options.groups && options.groups.length > 0) {
    out.push(extension(ExtensionType.SupportedGroups, vector(2, u16List(options.groups))));
    out.push(extension(ExtensionType.EcPointFormats, vector(1, Buffer.from([0, 1, 2]))));
  }
  if (options.sessionTicket !== undefined && options.sessionTicket !== false) {
    out.push(extension(ExtensionType.SessionTicket, options.sessionTicket === true ? Buffer.alloc(0) : options.sessionTicket));
  }
  if (options.alpn && options.alpn.length > 0) {
    out.push(extension(ExtensionType.Alpn, vector(2, Buffer.concat(options.alpn.map((name) => vector(1, Buffer.from(name, 'ascii')))))));
  }
  if (options.statusRequest) out.push(extension(ExtensionType.StatusRequest, Buffer.from([1, 0, 0, 0, 0])));
  if (options.extendedMasterSecret) out.push(extension(ExtensionType.ExtendedMasterSecret, Buffer.alloc(0)));
  if (options.signatureAlgorithms && options.signatureAlgorithms.length > 0) {
    out.push(extension(ExtensionType.SignatureAlgorithms, vector(2, u16List(options.signatureAlgorithms))));
  }
  if (options.supportedVersions && options.supportedVersions.length > 0) {
    out.push(extension(ExtensionType.SupportedVersions, vector(1, u16List(options.supportedVersions))));
    out.push(extension(ExtensionType.PskKeyExchangeModes, vector(1, Buffer.from([1]))));
  }
  if (options.keyShares !== undefined) {
    const shares: Buffer[] = [];
    for (const group of options.keyShares) {
      const key = keyShareFor(group);
      if (key) shares.push(Buffer.concat([u16(group), vector(2, key)]));
    }
    out.push(extension(ExtensionType.KeyShare, vector(2, Buffer.concat(shares))));
  }
  for (const [type, data] of options.extra ?? []) out.push(extension(type, data));
  return out;
}

/** The ClientHello handshake body (without the 4-byte handshake header). */
export function buildClientHelloBody(options: ClientHelloOptions): Buffer {
  const random = options.random ?? randomBytes(32);
  if (random.length !== 32) throw new RangeError('random must be 32 bytes');
  const sessionId = options.sessionId ?? Buffer.alloc(0);
  const head = Buffer.concat([
    u16(options.version),
    Buffer.from(random),
    vector(1, sessionId),
    vector(2, u16List(options.ciphers)),
    vector(1, Buffer.from(options.compression ?? [0])),
  ]);
  if (options.noExtensions) return head;
  const extensions = extensionsFor(options);
  if (options.padding) {
    // Handshake header (4) + head + extensions length (2) + extensions: pad 256–511 up to 512.
    const length = 4 + head.length + 2 + extensions.reduce((sum, ext) => sum + ext.length, 0);
    if (length >= 256 && length < 512) extensions.push(extension(ExtensionType.Padding, Buffer.alloc(Math.max(0, 512 - length - 4))));
  }
  return Buffer.concat([head, vector(2, Buffer.concat(extensions))]);
}

/** A complete ClientHello as records, ready to write to the socket. */
export function buildClientHello(options: ClientHelloOptions): Buffer {
  const recordVersion = options.recordVersion ?? Math.min(options.version, Version.TLSv1_0);
  return encodeRecords(ContentType.Handshake, recordVersion, encodeHandshake(HandshakeType.ClientHello, buildClientHelloBody(options)));
}

export interface ParsedExtension {
  type: number;
  data: Buffer;
}

export interface ParsedClientHello {
  version: number;
  random: Buffer;
  sessionId: Buffer;
  ciphers: number[];
  compression: number[];
  extensions: ParsedExtension[];
  serverName: string | null;
  groups: number[];
  supportedVersions: number[];
  /** Groups of the key shares sent (null when there is no key_share extension). */
  keyShares: number[] | null;
  alpn: string[];
  signatureAlgorithms: number[];
  statusRequest: boolean;
  renegotiationInfo: boolean;
  sessionTicket: boolean;
}

function u16s(data: Buffer, lengthBytes: 1 | 2, what: string): number[] {
  const reader = new ByteReader(data, 0, data.length, what);
  const list = reader.vector(lengthBytes, what);
  reader.finish(what);
  if (list.length % 2 !== 0) throw new Error(`${what}: odd length`);
  const out: number[] = [];
  for (let i = 0; i < list.length; i += 2) out.push(list.readUInt16BE(i));
  return out;
}

export function readExtensions(reader: ByteReader, what: string): ParsedExtension[] {
  if (reader.remaining === 0) return [];
  const block = reader.sub(reader.u16('extensions length'), 'extensions');
  const out: ParsedExtension[] = [];
  const seen = new Set<number>();
  while (block.remaining > 0) {
    const type = block.u16('extension type');
    if (seen.has(type)) throw new Error(`${what}: extension ${type} twice`);
    seen.add(type);
    out.push({ type, data: block.vector(2, `extension ${type}`) });
  }
  return out;
}

/** Reads a ClientHello body (tests and fake servers use it; probing never needs it). */
export function parseClientHello(body: Uint8Array): Parsed<ParsedClientHello> {
  return parseWith(() => {
    const reader = new ByteReader(body, 0, body.length, 'ClientHello');
    const version = reader.u16('version');
    const random = reader.bytesOf(32, 'random');
    const sessionId = reader.vector(1, 'session id');
    if (sessionId.length > 32) throw new Error('ClientHello: session id longer than 32 bytes');
    const cipherBytes = reader.vector(2, 'cipher suites');
    if (cipherBytes.length % 2 !== 0) throw new Error('ClientHello: odd cipher suites length');
    const ciphers: number[] = [];
    for (let i = 0; i < cipherBytes.length; i += 2) ciphers.push(cipherBytes.readUInt16BE(i));
    const compression = [...reader.vector(1, 'compression methods')];
    const extensions = readExtensions(reader, 'ClientHello');
    reader.finish();
    const find = (type: number) => extensions.find((ext) => ext.type === type)?.data;
    let serverName: string | null = null;
    const sni = find(ExtensionType.ServerName);
    if (sni) {
      const list = new ByteReader(sni, 0, sni.length, 'server_name');
      const names = list.sub(list.u16('list length'), 'names');
      if (names.u8('name type') === 0) serverName = names.vector(2, 'host name').toString('ascii');
    }
    const alpnData = find(ExtensionType.Alpn);
    const alpn: string[] = [];
    if (alpnData) {
      const outer = new ByteReader(alpnData, 0, alpnData.length, 'ALPN');
      const list = outer.sub(outer.u16('list length'), 'protocols');
      while (list.remaining > 0) alpn.push(list.vector(1, 'protocol').toString('ascii'));
    }
    let keyShares: number[] | null = null;
    const shareData = find(ExtensionType.KeyShare);
    if (shareData) {
      keyShares = [];
      const outer = new ByteReader(shareData, 0, shareData.length, 'key_share');
      const list = outer.sub(outer.u16('list length'), 'shares');
      while (list.remaining > 0) {
        keyShares.push(list.u16('group'));
        list.vector(2, 'key exchange');
      }
    }
    const groups = find(ExtensionType.SupportedGroups);
    const versions = find(ExtensionType.SupportedVersions);
    const sigalgs = find(ExtensionType.SignatureAlgorithms);
    return {
      version,
      random,
      sessionId,
      ciphers,
      compression,
      extensions,
      serverName,
      groups: groups ? u16s(groups, 2, 'supported_groups') : [],
      supportedVersions: versions ? u16s(versions, 1, 'supported_versions') : [],
      keyShares,
      alpn,
      signatureAlgorithms: sigalgs ? u16s(sigalgs, 2, 'signature_algorithms') : [],
      statusRequest: find(ExtensionType.StatusRequest) !== undefined,
      renegotiationInfo: find(ExtensionType.RenegotiationInfo) !== undefined || ciphers.includes(SCSV.EmptyRenegotiationInfo),
      sessionTicket: find(ExtensionType.SessionTicket) !== undefined,
    };
  });
}

/** An SSLv2 CLIENT-HELLO offering `ciphers` (3-byte SSLv2 cipher specs) as an SSLv2 record. */
export function buildSslv2ClientHello(ciphers: readonly number[], challenge: Uint8Array = randomBytes(16)): Buffer {
  const specs = Buffer.alloc(ciphers.length * 3);
  ciphers.forEach((cipher, index) => specs.writeUIntBE(cipher & 0xffffff, index * 3, 3));
  const message = Buffer.concat([
    Buffer.from([1]), // CLIENT-HELLO
    u16(Version.SSLv2),
    u16(specs.length),
    u16(0), // session id
    u16(challenge.length),
    specs,
    Buffer.from(challenge),
  ]);
  return encodeSslv2Record(message);
}

export interface ParsedSslv2ClientHello {
  version: number;
  ciphers: number[];
  challenge: Buffer;
}

/** Reads an SSLv2 CLIENT-HELLO message (record header removed). */
export function parseSslv2ClientHello(message: Uint8Array): Parsed<ParsedSslv2ClientHello> {
  return parseWith(() => {
    const reader = new ByteReader(message, 0, message.length, 'SSLv2 CLIENT-HELLO');
    if (reader.u8('type') !== 1) throw new Error('SSLv2 CLIENT-HELLO: wrong message type');
    const version = reader.u16('version');
    const specsLength = reader.u16('cipher specs length');
    const sessionLength = reader.u16('session id length');
    const challengeLength = reader.u16('challenge length');
    if (specsLength % 3 !== 0) throw new Error('SSLv2 CLIENT-HELLO: cipher specs length not a multiple of 3');
    const specs = reader.bytesOf(specsLength, 'cipher specs');
    reader.bytesOf(sessionLength, 'session id');
    const challenge = reader.bytesOf(challengeLength, 'challenge');
    reader.finish();
    const ciphers: number[] = [];
    for (let i = 0; i < specs.length; i += 3) ciphers.push(specs.readUIntBE(i, 3));
    return { version, ciphers, challenge };
  });
}
