/** fast-check arbitraries for scans: realistic suite and group names mixed with garbage. */
import fc from 'fast-check';
import { PROTOCOLS, type CertificateAssessment, type CertificateInfo, type CipherResult, type GroupResult, type TlsScan } from '../../model.js';

export const SUITE_NAMES = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_CCM_8_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
  'TLS_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_RSA_WITH_AES_256_CBC_SHA',
  'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA',
  'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA',
  'TLS_RSA_WITH_RC4_128_SHA',
  'TLS_ECDHE_RSA_WITH_RC4_128_SHA',
  'TLS_RSA_WITH_DES_CBC_SHA',
  'TLS_RSA_EXPORT_WITH_RC4_40_MD5',
  'TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA',
  'TLS_RSA_WITH_NULL_SHA',
  'TLS_DH_anon_WITH_AES_128_CBC_SHA',
  'SSL_CK_RC4_128_WITH_MD5',
  'SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'DHE-RSA-AES256-SHA',
  'DES-CBC3-SHA',
  'RC4-MD5',
  'EXP-RC4-MD5',
  'ADH-AES128-SHA',
  'NULL-SHA',
];

const GROUP_POOL: GroupResult[] = [
  { code: '0x11EC', name: 'X25519MLKEM768' },
  { code: '0x001D', name: 'x25519' },
  { code: '0x0017', name: 'secp256r1' },
  { code: '0x0018', name: 'secp384r1' },
  { code: '0x0019', name: 'secp521r1' },
  { code: '0x0100', name: 'ffdhe2048' },
  { code: '0x0001', name: 'sect163k1' },
  { code: '0x0015', name: 'secp224r1' },
];

export const cipherArb: fc.Arbitrary<CipherResult> = fc.record(
  {
    protocol: fc.constantFrom(...PROTOCOLS),
    code: fc.oneof(fc.constant('0xC02F'), fc.string({ maxLength: 8 })),
    name: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...SUITE_NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 40 }) }),
    preferred: fc.boolean(),
    kx: fc.constantFrom('ECDH', 'DH', 'DH(512)', 'DH(1024)', 'DH(2048)', 'RSA', 'any', ''),
    au: fc.constantFrom('RSA', 'ECDSA', 'None', 'any'),
    enc: fc.constantFrom('AESGCM(128)', 'AES(256)', '3DES(168)', 'RC4(128)', 'None', 'DES(40)', ''),
    bits: fc.oneof(fc.integer({ min: -5, max: 300 }), fc.constant(Number.NaN)),
    mac: fc.constantFrom('AEAD', 'SHA1', 'SHA256', 'MD5'),
  },
  { requiredKeys: ['protocol', 'code', 'name', 'preferred'] },
);

export const groupArb: fc.Arbitrary<GroupResult> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...GROUP_POOL) },
  { weight: 1, arbitrary: fc.record({ code: fc.string({ maxLength: 8 }), name: fc.string({ maxLength: 20 }) }) },
);

const dateArb = fc.oneof(
  fc.date({ min: new Date('1990-01-01'), max: new Date('2060-01-01'), noInvalidDate: true }).map((date) => date.toISOString()),
  fc.string({ maxLength: 12 }),
);

export const certificateInfoArb: fc.Arbitrary<CertificateInfo> = fc.record({
  subject: fc.string({ maxLength: 30 }),
  issuer: fc.string({ maxLength: 30 }),
  serialNumber: fc.string({ maxLength: 10 }),
  notBefore: dateArb,
  notAfter: dateArb,
  daysLeft: fc.integer({ min: -10_000, max: 10_000 }),
  keyType: fc.constantFrom('RSA', 'RSA-PSS', 'EC', 'Ed25519', 'Ed448', 'DSA', 'DH', 'unknown'),
  keyBits: fc.option(fc.integer({ min: 0, max: 16_384 })),
  curve: fc.option(fc.constantFrom('prime256v1', 'secp384r1', 'secp521r1', 'secp224r1', 'brainpoolP256r1', '???')),
  signatureAlgorithm: fc.constantFrom('sha256WithRSAEncryption', 'ecdsa-with-SHA256', 'sha1WithRSAEncryption', 'md5WithRSAEncryption', ''),
  subjectAltNames: fc.array(fc.oneof(fc.constantFrom('DNS:www.example.test', 'DNS:*.example.test', 'IP Address:192.0.2.1'), fc.string({ maxLength: 20 })), { maxLength: 4 }),
  selfSigned: fc.boolean(),
  fingerprintSha256: fc.string({ maxLength: 10 }),
  pem: fc.constantFrom('', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', 'garbage'),
});

const nullableBool = fc.option(fc.boolean());

export const scanArb: fc.Arbitrary<TlsScan> = fc.record({
  target: fc.record({
    target: fc.constant('https://www.example.test'),
    host: fc.constantFrom('www.example.test', '192.0.2.1', 'a.example.test', ''),
    port: fc.constant(443),
    sni: fc.option(fc.constantFrom('www.example.test', 'other.test')),
  }),
  ip: fc.constant('192.0.2.1'),
  protocols: fc.record({
    SSLv2: fc.boolean(),
    SSLv3: fc.boolean(),
    'TLSv1.0': fc.boolean(),
    'TLSv1.1': fc.boolean(),
    'TLSv1.2': fc.boolean(),
    'TLSv1.3': fc.boolean(),
  }),
  ciphers: fc.array(cipherArb, { maxLength: 12 }),
  serverOrder: nullableBool,
  groups: fc.array(groupArb, { maxLength: 5 }),
  features: fc.record({
    compression: nullableBool,
    secureRenegotiation: nullableBool,
    fallbackScsv: nullableBool,
    sessionIdResumption: nullableBool,
    sessionTicketResumption: nullableBool,
    alpn: fc.array(fc.constantFrom('h2', 'http/1.1')),
    ocspStapling: nullableBool,
  }),
  chain: fc.array(certificateInfoArb, { maxLength: 3 }),
  handshakeMs: fc.option(fc.integer({ min: 0, max: 10_000 })),
  scanMs: fc.integer({ min: 0, max: 100_000 }),
  errors: fc.array(fc.string({ maxLength: 20 }), { maxLength: 2 }),
});

export const certificateAssessmentArb: fc.Arbitrary<CertificateAssessment> = fc.record({
  expired: fc.boolean(),
  daysLeft: fc.integer({ min: -1000, max: 1000 }),
  hostnameMatch: fc.boolean(),
  trusted: fc.boolean(),
  trustError: fc.option(fc.string({ maxLength: 20 })),
  chainInOrder: fc.boolean(),
  weakKey: fc.boolean(),
  weakSignature: fc.boolean(),
});
