/**
 * Realistic scans for the policy tests, as the scanner would report real servers: nginx with
 * Mozilla's intermediate and modern configurations, a legacy OpenSSL 1.0 server, an SSLv3-only
 * appliance, an export/NULL-suite relic. Certificates are synthetic (no PEM) unless a test puts
 * real ones in.
 */
import type { CertificateInfo, CipherResult, GroupResult, ProtocolName, TlsFeatures, TlsScan } from '../../model.js';

/** IANA code points of the suites the fixtures use. */
const CODES: Record<string, string> = {
  TLS_AES_128_GCM_SHA256: '0x1301',
  TLS_AES_256_GCM_SHA384: '0x1302',
  TLS_CHACHA20_POLY1305_SHA256: '0x1303',
  TLS_AES_128_CCM_SHA256: '0x1304',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: '0xC02B',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: '0xC02F',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: '0xC02C',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: '0xC030',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: '0xCCA9',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: '0xCCA8',
  TLS_DHE_RSA_WITH_AES_128_GCM_SHA256: '0x009E',
  TLS_DHE_RSA_WITH_AES_256_GCM_SHA384: '0x009F',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256: '0xC027',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384: '0xC028',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: '0xC013',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: '0xC014',
  TLS_DHE_RSA_WITH_AES_128_CBC_SHA: '0x0033',
  TLS_DHE_RSA_WITH_AES_256_CBC_SHA: '0x0039',
  TLS_RSA_WITH_AES_128_GCM_SHA256: '0x009C',
  TLS_RSA_WITH_AES_256_GCM_SHA384: '0x009D',
  TLS_RSA_WITH_AES_128_CBC_SHA: '0x002F',
  TLS_RSA_WITH_AES_256_CBC_SHA: '0x0035',
  TLS_RSA_WITH_AES_128_CBC_SHA256: '0x003C',
  TLS_RSA_WITH_CAMELLIA_128_CBC_SHA: '0x0041',
  TLS_RSA_WITH_SEED_CBC_SHA: '0x0096',
  TLS_RSA_WITH_3DES_EDE_CBC_SHA: '0x000A',
  TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA: '0xC012',
  TLS_RSA_WITH_RC4_128_SHA: '0x0005',
  TLS_RSA_WITH_RC4_128_MD5: '0x0004',
  TLS_ECDHE_RSA_WITH_RC4_128_SHA: '0xC011',
  TLS_RSA_WITH_DES_CBC_SHA: '0x0009',
  TLS_RSA_EXPORT_WITH_RC4_40_MD5: '0x0003',
  TLS_RSA_EXPORT_WITH_DES40_CBC_SHA: '0x0008',
  TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA: '0x0014',
  TLS_RSA_WITH_NULL_SHA: '0x0002',
  TLS_RSA_WITH_NULL_MD5: '0x0001',
  TLS_DH_anon_WITH_AES_128_CBC_SHA: '0x0034',
  TLS_ECDH_anon_WITH_AES_128_CBC_SHA: '0xC018',
  SSL_CK_RC4_128_WITH_MD5: '0x010080',
  SSL_CK_RC4_128_EXPORT40_WITH_MD5: '0x020080',
  SSL_CK_DES_192_EDE3_CBC_WITH_MD5: '0x0700C0',
};

export function suite(protocol: ProtocolName, name: string, preferred = false, extra: Partial<CipherResult> = {}): CipherResult {
  return { protocol, code: CODES[name] ?? '0x0000', name, preferred, ...extra };
}

/** The same suites on several protocols, the first preferred on each. */
export function suites(protocols: ProtocolName[], names: string[]): CipherResult[] {
  return protocols.flatMap((protocol) => names.map((name, index) => suite(protocol, name, index === 0)));
}

export const GROUPS: Record<string, GroupResult> = {
  X25519MLKEM768: { code: '0x11EC', name: 'X25519MLKEM768' },
  x25519: { code: '0x001D', name: 'x25519' },
  secp256r1: { code: '0x0017', name: 'secp256r1' },
  secp384r1: { code: '0x0018', name: 'secp384r1' },
  secp521r1: { code: '0x0019', name: 'secp521r1' },
  x448: { code: '0x001E', name: 'x448' },
  ffdhe2048: { code: '0x0100', name: 'ffdhe2048' },
  sect163k1: { code: '0x0001', name: 'sect163k1' },
  secp224r1: { code: '0x0015', name: 'secp224r1' },
};

export const SCAN_TIME = new Date('2026-05-01T12:00:00Z');

function isoDaysFrom(base: Date, days: number): string {
  return new Date(base.getTime() + days * 86_400_000).toISOString();
}

/** A synthetic leaf certificate (no PEM): issued 30 days before the scan, valid `lifespan` days. */
export function leaf(overrides: Partial<CertificateInfo> & { lifespan?: number } = {}): CertificateInfo {
  const { lifespan = 90, ...rest } = overrides;
  const notBefore = isoDaysFrom(SCAN_TIME, -30);
  const notAfter = isoDaysFrom(SCAN_TIME, lifespan - 30);
  return {
    subject: 'CN=www.example.test',
    issuer: 'C=US\nO=Let\'s Encrypt\nCN=R12',
    serialNumber: '04A1B2C3D4E5F6',
    notBefore,
    notAfter,
    daysLeft: lifespan - 30,
    keyType: 'RSA',
    keyBits: 2048,
    curve: null,
    signatureAlgorithm: 'sha256WithRSAEncryption',
    subjectAltNames: ['DNS:www.example.test', 'DNS:example.test'],
    selfSigned: false,
    fingerprintSha256: 'AA:BB',
    pem: '',
    ...rest,
  };
}

export function features(overrides: Partial<TlsFeatures> = {}): TlsFeatures {
  return {
    compression: false,
    secureRenegotiation: true,
    fallbackScsv: true,
    sessionIdResumption: true,
    sessionTicketResumption: true,
    alpn: ['h2', 'http/1.1'],
    ocspStapling: true,
    ...overrides,
  };
}

export function protocols(...enabled: ProtocolName[]): Record<ProtocolName, boolean> {
  return {
    SSLv2: enabled.includes('SSLv2'),
    SSLv3: enabled.includes('SSLv3'),
    'TLSv1.0': enabled.includes('TLSv1.0'),
    'TLSv1.1': enabled.includes('TLSv1.1'),
    'TLSv1.2': enabled.includes('TLSv1.2'),
    'TLSv1.3': enabled.includes('TLSv1.3'),
  };
}

export function scan(overrides: Partial<TlsScan> = {}): TlsScan {
  return {
    target: { target: 'https://www.example.test', host: 'www.example.test', port: 443, sni: 'www.example.test' },
    ip: '192.0.2.10',
    protocols: protocols('TLSv1.2', 'TLSv1.3'),
    ciphers: [],
    serverOrder: false,
    groups: [],
    features: features(),
    chain: [leaf()],
    handshakeMs: 12,
    scanMs: 900,
    errors: [],
    ...overrides,
  };
}

const TLS13 = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];

/** nginx with Mozilla's intermediate configuration (6.0), an RSA 2048 certificate. */
export function nginxIntermediate(): TlsScan {
  return scan({
    ciphers: [
      ...suites(['TLSv1.2'], ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256']),
      ...suites(['TLSv1.3'], TLS13),
    ],
    groups: [GROUPS.X25519MLKEM768!, GROUPS.x25519!, GROUPS.secp256r1!, GROUPS.secp384r1!],
  });
}

/** nginx with Mozilla's modern configuration: TLS 1.3 only, an ECDSA P-256 certificate. */
export function nginxModern(): TlsScan {
  return scan({
    protocols: protocols('TLSv1.3'),
    ciphers: suites(['TLSv1.3'], TLS13),
    groups: [GROUPS.X25519MLKEM768!, GROUPS.x25519!, GROUPS.secp256r1!, GROUPS.secp384r1!],
    chain: [leaf({ keyType: 'EC', keyBits: 256, curve: 'prime256v1', signatureAlgorithm: 'ecdsa-with-SHA256' })],
  });
}

/** An OpenSSL 1.0.2-era server: TLS 1.0–1.2, CBC, 3DES and RC4, its own cipher order, a two-year certificate. */
export function legacyOpenssl(): TlsScan {
  const names = [
    'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
    'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
    'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
    'TLS_RSA_WITH_AES_256_CBC_SHA',
    'TLS_RSA_WITH_AES_128_CBC_SHA',
    'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
    'TLS_RSA_WITH_RC4_128_SHA',
  ];
  return scan({
    protocols: protocols('TLSv1.0', 'TLSv1.1', 'TLSv1.2'),
    ciphers: [
      ...suites(['TLSv1.0', 'TLSv1.1'], names.filter((name) => !name.includes('GCM'))),
      ...suites(['TLSv1.2'], names),
    ],
    serverOrder: true,
    groups: [GROUPS.secp256r1!, GROUPS.secp384r1!, GROUPS.secp521r1!],
    features: features({ ocspStapling: false, alpn: ['http/1.1'] }),
    chain: [leaf({ lifespan: 730 })],
  });
}

/** An appliance that only speaks SSLv3. */
export function sslv3Only(): TlsScan {
  return scan({
    protocols: protocols('SSLv3'),
    ciphers: suites(['SSLv3'], ['TLS_RSA_WITH_RC4_128_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_256_CBC_SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA']),
    serverOrder: true,
    groups: [],
    features: features({ ocspStapling: false, secureRenegotiation: false, alpn: [] }),
  });
}

/** A relic offering export and NULL suites on TLS 1.0. */
export function exportAndNull(): TlsScan {
  return scan({
    protocols: protocols('TLSv1.0'),
    ciphers: suites(['TLSv1.0'], ['TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_EXPORT_WITH_RC4_40_MD5', 'TLS_RSA_EXPORT_WITH_DES40_CBC_SHA', 'TLS_RSA_WITH_NULL_SHA']),
    serverOrder: true,
    features: features({ ocspStapling: false }),
  });
}
