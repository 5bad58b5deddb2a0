import { describe, expect, it } from 'vitest';
import { assessMozilla } from './mozilla.js';
import { exportAndNull, features, GROUPS, leaf, legacyOpenssl, nginxIntermediate, nginxModern, protocols, scan, sslv3Only, suite, suites } from './test-support/scans.js';

describe('Mozilla intermediate (6.0)', () => {
  it('finds nothing to say about nginx configured as Mozilla recommends', () => {
    const result = assessMozilla(nginxIntermediate());
    expect(result).toEqual({ profile: 'intermediate', guidelineVersion: '6.0', compliant: true, deviations: [] });
  });

  it('is the default profile', () => {
    expect(assessMozilla(nginxIntermediate()).profile).toBe('intermediate');
  });

  it('lists every deviation of a legacy OpenSSL server in plain words', () => {
    const { compliant, deviations } = assessMozilla(legacyOpenssl(), 'intermediate');
    expect(compliant).toBe(false);
    expect(deviations).toEqual([
      'offers TLSv1.0, TLSv1.1, which the intermediate profile does not allow (allowed: TLSv1.2, TLSv1.3)',
      'does not offer TLSv1.3, which the intermediate profile enables',
      'TLSv1.2: cipher suites outside the intermediate profile: TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_AES_256_CBC_SHA, TLS_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_3DES_EDE_CBC_SHA, TLS_RSA_WITH_RC4_128_SHA',
      'key exchange groups outside the intermediate profile: secp521r1 (allowed: X25519MLKEM768, X25519, prime256v1, secp384r1)',
      'certificate lifespan of 730 days exceeds the intermediate profile\'s maximum of 366 days',
      'no OCSP stapling; the intermediate profile staples OCSP responses',
      'the server enforces its own cipher order; the intermediate profile lets the client choose',
    ]);
  });

  it('names TLS 1.3 suites, groups, certificate type, curve, signature and RSA size outside the profile', () => {
    const result = assessMozilla(
      scan({
        ciphers: [suite('TLSv1.2', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', true), suite('TLSv1.3', 'TLS_AES_128_GCM_SHA256', true), suite('TLSv1.3', 'TLS_AES_128_CCM_SHA256')],
        groups: [GROUPS.x25519!, GROUPS.x448!, GROUPS.secp224r1!],
        chain: [leaf({ keyType: 'EC', keyBits: 521, curve: 'secp521r1', signatureAlgorithm: 'ecdsa-with-SHA256' })],
      }),
    );
    expect(result.deviations).toEqual([
      'TLSv1.3: TLS 1.3 cipher suites outside the intermediate profile: TLS_AES_128_CCM_SHA256',
      'key exchange groups outside the intermediate profile: x448, secp224r1 (allowed: X25519MLKEM768, X25519, prime256v1, secp384r1)',
      "elliptic curves smaller than the intermediate profile's 256 bits: secp224r1 (224 bits)",
      'certificate curve secp521r1 is not one the intermediate profile allows (prime256v1, secp384r1)',
    ]);
    const rsa = assessMozilla(scan({ ciphers: nginxIntermediate().ciphers, chain: [leaf({ keyBits: 1024, signatureAlgorithm: 'sha1WithRSAEncryption' })] }));
    expect(rsa.deviations).toEqual([
      'certificate signature sha1WithRSAEncryption is not one the intermediate profile allows (sha256WithRSAEncryption, ecdsa-with-SHA256, ecdsa-with-SHA384, ecdsa-with-SHA512)',
      "certificate RSA key of 1024 bits is smaller than the intermediate profile's 2048 bits",
    ]);
    const dsa = assessMozilla(scan({ ciphers: nginxIntermediate().ciphers, chain: [leaf({ keyType: 'DSA', keyBits: 2048, signatureAlgorithm: 'dsa_with_SHA256' })] }));
    expect(dsa.deviations[0]).toBe('certificate key type dsa is not one the intermediate profile allows (ecdsa, rsa)');
  });

  it('reports DH parameters below dh_param_size only when their size is known', () => {
    const dhe = (kx?: string) => suite('TLSv1.2', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', false, kx ? { kx } : {});
    expect(assessMozilla(scan({ ciphers: [dhe('DH(1024)')] }), 'old').deviations).toContain("DH parameters of 1024 bits are smaller than the old profile's 2048 bits");
    expect(assessMozilla(scan({ ciphers: [dhe()] }), 'old').deviations.join('\n')).not.toContain('DH parameters');
  });

  it('says nothing about what the scan could not determine', () => {
    const unknown = nginxIntermediate();
    unknown.serverOrder = null;
    unknown.features = features({ ocspStapling: null });
    expect(assessMozilla(unknown).compliant).toBe(true);
  });
});

describe('Mozilla modern (6.0)', () => {
  it('accepts nginx with the modern configuration', () => {
    expect(assessMozilla(nginxModern(), 'modern')).toEqual({ profile: 'modern', guidelineVersion: '6.0', compliant: true, deviations: [] });
  });

  it('rejects TLS 1.2 and RSA certificates; the protocol deviation covers its suites', () => {
    const { deviations } = assessMozilla(nginxIntermediate(), 'modern');
    expect(deviations).toEqual([
      'offers TLSv1.2, which the modern profile does not allow (allowed: TLSv1.3)',
      'certificate key type rsa is not one the modern profile allows (ecdsa)',
      'certificate signature sha256WithRSAEncryption is not one the modern profile allows (ecdsa-with-SHA256, ecdsa-with-SHA384, ecdsa-with-SHA512)',
    ]);
  });

  it('holds certificates to 90 days', () => {
    const long = nginxModern();
    long.chain = [leaf({ keyType: 'EC', keyBits: 256, curve: 'prime256v1', signatureAlgorithm: 'ecdsa-with-SHA256', lifespan: 180 })];
    expect(assessMozilla(long, 'modern').deviations).toEqual(["certificate lifespan of 180 days exceeds the modern profile's maximum of 90 days"]);
  });
});

describe('Mozilla old (5.8)', () => {
  it('comes from guideline 5.8 and accepts 3DES and CBC but wants server order, TLS 1.3 and RSA', () => {
    const result = assessMozilla(legacyOpenssl(), 'old');
    expect(result.guidelineVersion).toBe('5.8');
    expect(result.deviations).toEqual([
      'does not offer TLSv1.3, which the old profile enables',
      'TLSv1.0: cipher suites outside the old profile: TLS_RSA_WITH_RC4_128_SHA',
      'TLSv1.1: cipher suites outside the old profile: TLS_RSA_WITH_RC4_128_SHA',
      'TLSv1.2: cipher suites outside the old profile: TLS_RSA_WITH_RC4_128_SHA',
      'key exchange groups outside the old profile: secp521r1 (allowed: X25519MLKEM768, X25519, prime256v1, secp384r1)',
      "certificate lifespan of 730 days exceeds the old profile's maximum of 366 days",
      'no OCSP stapling; the old profile staples OCSP responses',
    ]);
    expect(assessMozilla(nginxIntermediate(), 'old').deviations).toEqual([
      'does not offer TLSv1.0, TLSv1.1, which the old profile enables',
      "the server follows the client's cipher order; the old profile enforces the server's",
    ]);
  });

  it('rejects SSLv3 and export/NULL suites even under old', () => {
    expect(assessMozilla(sslv3Only(), 'old').deviations[0]).toBe('offers SSLv3, which the old profile does not allow (allowed: TLSv1.0, TLSv1.1, TLSv1.2, TLSv1.3)');
    expect(assessMozilla(exportAndNull(), 'old').deviations).toContain(
      'TLSv1.0: cipher suites outside the old profile: TLS_RSA_EXPORT_WITH_RC4_40_MD5, TLS_RSA_EXPORT_WITH_DES40_CBC_SHA, TLS_RSA_WITH_NULL_SHA',
    );
  });

  it('matches OpenSSL suite names and SSL_ spellings too', () => {
    const result = assessMozilla(
      scan({
        protocols: protocols('TLSv1.2', 'TLSv1.3'),
        ciphers: [...suites(['TLSv1.2'], ['ECDHE-RSA-AES128-GCM-SHA256', 'DES-CBC3-SHA', 'SSL_RSA_WITH_3DES_EDE_CBC_SHA', 'CAMELLIA128-SHA']), ...suites(['TLSv1.3'], ['TLS_AES_256_GCM_SHA384'])],
        serverOrder: true,
      }),
      'old',
    );
    expect(result.deviations).toContain('TLSv1.2: cipher suites outside the old profile: CAMELLIA128-SHA');
  });
});
