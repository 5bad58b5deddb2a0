import { describe, expect, it } from 'vitest';
import type { CertificateAssessment } from '../model.js';
import { BAND_TOP, cipherStrengthScore, gradeScan, keyExchangeScore, letterForScore } from './grade.js';
import { exportAndNull, features, GROUPS, leaf, legacyOpenssl, nginxIntermediate, nginxModern, protocols, scan, sslv3Only, suite, suites } from './test-support/scans.js';

const GOOD_CERT: CertificateAssessment = {
  expired: false,
  daysLeft: 60,
  hostnameMatch: true,
  trusted: true,
  trustError: null,
  chainInOrder: true,
  weakKey: false,
  weakSignature: false,
};

describe('score components', () => {
  it('follow the SSL Labs rating guide tables', () => {
    expect([256, 511, 512, 1023, 1024, 2047, 2048, 4095, 4096].map(keyExchangeScore)).toEqual([20, 20, 40, 40, 80, 80, 90, 90, 100]);
    expect([0, 40, 112, 127, 128, 255, 256].map(cipherStrengthScore)).toEqual([0, 20, 20, 20, 80, 80, 100]);
    expect([100, 80, 79, 65, 64, 50, 49, 35, 34, 20, 19, 0].map(letterForScore)).toEqual(['A', 'A', 'B', 'B', 'C', 'C', 'D', 'D', 'E', 'E', 'F', 'F']);
  });
});

describe('realistic servers', () => {
  it('nginx with Mozilla intermediate: A+ (TLS 1.2 + 1.3, ECDHE, AEAD only)', () => {
    // protocol (100+100)/2 → 30, key exchange RSA 2048 → 90 → 27, ciphers (80+100)/2 → 36
    expect(gradeScan(nginxIntermediate(), GOOD_CERT)).toEqual({ grade: 'A+', score: 93, caps: [] });
  });

  it('nginx with Mozilla modern: A+', () => {
    expect(gradeScan(nginxModern(), GOOD_CERT)).toEqual({ grade: 'A+', score: 93, caps: [] });
  });

  it('a 4096-bit RSA key and only 256-bit suites on P-384 score 100', () => {
    const strong = scan({
      ciphers: [...suites(['TLSv1.2'], ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384']), ...suites(['TLSv1.3'], ['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'])],
      groups: [GROUPS.secp384r1!],
      chain: [leaf({ keyBits: 4096 })],
    });
    expect(gradeScan(strong, GOOD_CERT)).toEqual({ grade: 'A+', score: 100, caps: [] });
  });

  it('legacy OpenSSL with TLS 1.0, 3DES and RC4: C, the score lowered to the top of C', () => {
    const result = gradeScan(legacyOpenssl(), GOOD_CERT);
    expect(result.grade).toBe('C');
    expect(result.score).toBe(64);
    expect(result.caps).toEqual([
      'RC4 or 3DES with TLS 1.1 or later: TLS_RSA_WITH_3DES_EDE_CBC_SHA, TLS_RSA_WITH_RC4_128_SHA → max C',
      'TLSv1.0 and TLSv1.1 supported → max B',
      'RC4 cipher suites: TLS_RSA_WITH_RC4_128_SHA → max B',
      'TLS 1.3 not supported → max A-',
      'non-AEAD (CBC) suites on TLS 1.2: TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_AES_256_CBC_SHA, TLS_RSA_WITH_AES_128_CBC_SHA and 2 more → max A-',
    ]);
  });

  it('SSLv3 only: C', () => {
    const result = gradeScan(sslv3Only(), GOOD_CERT);
    expect(result.grade).toBe('C');
    expect(result.caps).toContain('SSLv3 supported → max C');
    expect(result.caps).toContain('no secure renegotiation (RFC 5746) → max C');
    expect(result.caps).toContain('no forward secrecy (no ECDHE or DHE suite, no TLS 1.3) → max B');
    expect(result.caps).toContain('no AEAD cipher suite (GCM, CCM, ChaCha20-Poly1305) → max B');
  });

  it('export and NULL suites: F', () => {
    const result = gradeScan(exportAndNull(), GOOD_CERT);
    expect(result.grade).toBe('F');
    expect(result.score).toBe(BAND_TOP.F);
    expect(result.caps.slice(0, 2)).toEqual([
      'export cipher suites: TLS_RSA_EXPORT_WITH_RC4_40_MD5, TLS_RSA_EXPORT_WITH_DES40_CBC_SHA → max F',
      'NULL (unencrypted) cipher suites: TLS_RSA_WITH_NULL_SHA → max F',
    ]);
  });
});

describe('caps', () => {
  const base = nginxIntermediate;
  const grade = (changes: Parameters<typeof scan>[0], cert: CertificateAssessment | null = GOOD_CERT) => gradeScan({ ...base(), ...changes }, cert);

  it('SSLv2 → F', () => {
    const result = grade({ protocols: protocols('SSLv2', 'TLSv1.2', 'TLSv1.3') });
    expect(result.grade).toBe('F');
    expect(result.caps[0]).toBe('SSLv2 supported → max F');
  });

  it('anonymous suites → F', () => {
    const result = grade({ ciphers: [...base().ciphers, suite('TLSv1.2', 'TLS_ECDH_anon_WITH_AES_128_CBC_SHA')] });
    expect(result.grade).toBe('F');
    expect(result.caps[0]).toBe('anonymous (unauthenticated) cipher suites: TLS_ECDH_anon_WITH_AES_128_CBC_SHA → max F');
  });

  it('single DES → F', () => {
    expect(grade({ ciphers: [...base().ciphers, suite('TLSv1.2', 'TLS_RSA_WITH_DES_CBC_SHA')] }).grade).toBe('F');
  });

  it('RSA key under 1024 bits → F; under 2048 → B', () => {
    expect(grade({ chain: [leaf({ keyBits: 768 })] }).caps).toContain('certificate key too weak (RSA 768 bits, under 1024-bit RSA strength) → max F');
    const rsa1024 = grade({ chain: [leaf({ keyBits: 1024 })] }, { ...GOOD_CERT, weakKey: true });
    expect(rsa1024.grade).toBe('B');
    expect(rsa1024.score).toBe(79);
    expect(rsa1024.caps).toEqual(['certificate key under 2048-bit RSA strength (RSA 1024 bits) → max B']);
  });

  it('a weak key elsewhere in the chain → B', () => {
    expect(grade({}, { ...GOOD_CERT, weakKey: true })).toMatchObject({ grade: 'B', caps: ['weak key in the certificate chain (RSA under 2048 bits, EC under 256 bits, or DSA) → max B'] });
  });

  it('DH parameters under 1024 bits → F; under 2048 → B', () => {
    const dhe = (size: number) => [...base().ciphers, suite('TLSv1.2', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', false, { kx: `DH(${size})` })];
    expect(grade({ ciphers: dhe(512) }).caps).toContain('DH parameters of 512 bits (under 1024) → max F');
    expect(grade({ ciphers: dhe(1024) })).toMatchObject({ grade: 'B', caps: ['DH parameters of 1024 bits (under 2048) → max B'] });
    expect(grade({ ciphers: dhe(2048) }).grade).toBe('A+');
  });

  it('TLS 1.0 or 1.1 → B', () => {
    expect(grade({ protocols: protocols('TLSv1.1', 'TLSv1.2', 'TLSv1.3') })).toMatchObject({ grade: 'B', score: 79, caps: ['TLSv1.1 supported → max B'] });
  });

  it('RC4 on TLS 1.0 only → B; RC4 or 3DES on TLS 1.1+ → C', () => {
    const tls10 = grade({ protocols: protocols('TLSv1.0', 'TLSv1.2', 'TLSv1.3'), ciphers: [...base().ciphers, suite('TLSv1.0', 'TLS_ECDHE_RSA_WITH_RC4_128_SHA')] });
    expect(tls10.grade).toBe('B');
    const tls12 = grade({ ciphers: [...base().ciphers, suite('TLSv1.2', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA')] });
    expect(tls12.grade).toBe('C');
  });

  it('no forward secrecy → B; no AEAD → B', () => {
    const staticRsa = grade({ protocols: protocols('TLSv1.2'), ciphers: suites(['TLSv1.2'], ['TLS_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_256_GCM_SHA384']) });
    expect(staticRsa.grade).toBe('B');
    expect(staticRsa.caps).toContain('no forward secrecy (no ECDHE or DHE suite, no TLS 1.3) → max B');
    const cbcOnly = grade({ protocols: protocols('TLSv1.2'), ciphers: suites(['TLSv1.2'], ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384']) });
    expect(cbcOnly.grade).toBe('B');
    expect(cbcOnly.caps).toContain('no AEAD cipher suite (GCM, CCM, ChaCha20-Poly1305) → max B');
  });

  it('compression and missing secure renegotiation → C', () => {
    expect(grade({ features: features({ compression: true }) }).grade).toBe('C');
    expect(grade({ features: features({ secureRenegotiation: false }) }).grade).toBe('C');
    // TLS 1.3 has no renegotiation: nothing to hold against a TLS 1.3-only server.
    expect(gradeScan({ ...nginxModern(), features: features({ secureRenegotiation: false }) }, GOOD_CERT).grade).toBe('A+');
  });
});

describe('A+, A, A-', () => {
  it('A- without TLS 1.3, or with CBC suites on TLS 1.2', () => {
    const noTls13 = gradeScan(scan({ protocols: protocols('TLSv1.2'), ciphers: nginxIntermediate().ciphers.filter((c) => c.protocol === 'TLSv1.2') }), GOOD_CERT);
    expect(noTls13).toEqual({ grade: 'A-', score: 93, caps: ['TLS 1.3 not supported → max A-'] });
    const cbc = gradeScan({ ...nginxIntermediate(), ciphers: [...nginxIntermediate().ciphers, suite('TLSv1.2', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA')] }, GOOD_CERT);
    expect(cbc).toEqual({ grade: 'A-', score: 93, caps: ['non-AEAD (CBC) suites on TLS 1.2: TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA → max A-'] });
  });

  it('A (not A+) when some suite lacks forward secrecy', () => {
    const mixed = gradeScan({ ...nginxIntermediate(), ciphers: [...nginxIntermediate().ciphers, suite('TLSv1.2', 'TLS_RSA_WITH_AES_256_GCM_SHA384')] }, GOOD_CERT);
    expect(mixed).toEqual({ grade: 'A', score: 93, caps: [] });
  });
});

describe('certificate problems', () => {
  it('expired, untrusted or SHA-1 → T, saying what the grade would be otherwise', () => {
    expect(gradeScan(nginxIntermediate(), { ...GOOD_CERT, expired: true, daysLeft: -3 })).toEqual({
      grade: 'T',
      score: 19,
      caps: ['certificate expired 3 day(s) ago → T (A+ if trust issues are ignored)'],
    });
    const untrusted = gradeScan(legacyOpenssl(), { ...GOOD_CERT, trusted: false, trustError: 'self-signed certificate www.example.test is not in the trust store' });
    expect(untrusted.grade).toBe('T');
    expect(untrusted.caps.at(-1)).toBe('certificate not trusted: self-signed certificate www.example.test is not in the trust store → T (C if trust issues are ignored)');
    expect(gradeScan(nginxIntermediate(), { ...GOOD_CERT, weakSignature: true }).grade).toBe('T');
  });

  it('host name mismatch alone → M; with a trust problem → T', () => {
    expect(gradeScan(nginxIntermediate(), { ...GOOD_CERT, hostnameMatch: false })).toEqual({
      grade: 'M',
      score: 19,
      caps: ['certificate does not match the host name → M (A+ if trust issues are ignored)'],
    });
    expect(gradeScan(nginxIntermediate(), { ...GOOD_CERT, hostnameMatch: false, trusted: false, trustError: 'x' }).grade).toBe('T');
  });

  it('without a certificate assessment, trust is not judged', () => {
    expect(gradeScan(nginxIntermediate(), null).grade).toBe('A+');
  });
});

describe('scans with little in them', () => {
  it('no protocol → F with score 0', () => {
    expect(gradeScan(scan({ protocols: protocols(), ciphers: [] }), null)).toEqual({ grade: 'F', score: 0, caps: ['no SSL or TLS protocol could be negotiated → F'] });
  });

  it('protocols but no suites → F, saying why', () => {
    expect(gradeScan(scan({ ciphers: [] }), null).caps[0]).toBe('no cipher suite could be enumerated, so cipher strength is unknown → max F');
  });
});
