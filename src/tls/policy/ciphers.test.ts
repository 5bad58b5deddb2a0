import { describe, expect, it } from 'vitest';
import type { ProtocolName } from '../model.js';
import { canonicalGroupName, certificateKeyStrength, dhParamBits, dhSizeOf, groupTraits, suiteTraits, type SuiteTraits } from './ciphers.js';

function traits(name: string, protocol: ProtocolName = 'TLSv1.2', extra: Record<string, unknown> = {}): SuiteTraits {
  return suiteTraits({ protocol, code: '0x0000', name, preferred: false, ...extra });
}

describe('suite traits', () => {
  const table: Array<[string, ProtocolName, Partial<SuiteTraits>]> = [
    ['TLS_AES_128_GCM_SHA256', 'TLSv1.3', { kx: 'TLS13', forwardSecrecy: true, aead: true, enc: 'AES', bits: 128 }],
    ['TLS_CHACHA20_POLY1305_SHA256', 'TLSv1.3', { kx: 'TLS13', aead: true, enc: 'CHACHA20', bits: 256 }],
    ['TLS_SHA256_SHA256', 'TLSv1.3', { nullCipher: true, bits: 0, aead: false }],
    ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLSv1.2', { kx: 'ECDHE', forwardSecrecy: true, aead: true, cbc: false, bits: 128 }],
    ['TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384', 'TLSv1.2', { kx: 'ECDHE', aead: false, cbc: true, bits: 256 }],
    ['TLS_DHE_RSA_WITH_AES_128_CCM_8', 'TLSv1.2', { kx: 'DHE', forwardSecrecy: true, aead: true }],
    ['TLS_RSA_WITH_AES_128_CBC_SHA', 'TLSv1.0', { kx: 'RSA', forwardSecrecy: false, cbc: true, bits: 128 }],
    ['TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'TLSv1.2', { enc: '3DES', bits: 112, cbc: true }],
    ['TLS_RSA_WITH_RC4_128_SHA', 'SSLv3', { enc: 'RC4', bits: 128, cbc: false, aead: false }],
    ['TLS_RSA_WITH_DES_CBC_SHA', 'TLSv1.0', { enc: 'DES', bits: 56 }],
    ['TLS_RSA_EXPORT_WITH_RC4_40_MD5', 'TLSv1.0', { export: true, enc: 'RC4', bits: 40, kx: 'RSA' }],
    ['TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA', 'TLSv1.0', { export: true, enc: 'DES', bits: 56 }],
    ['TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA', 'TLSv1.0', { export: true, kx: 'DHE', bits: 40 }],
    ['TLS_RSA_WITH_NULL_SHA256', 'TLSv1.2', { nullCipher: true, bits: 0 }],
    ['TLS_NULL_WITH_NULL_NULL', 'TLSv1.0', { nullCipher: true, kx: 'NULL' }],
    ['TLS_DH_anon_WITH_AES_128_CBC_SHA', 'TLSv1.0', { anonymous: true, forwardSecrecy: false }],
    ['TLS_ECDH_anon_WITH_AES_256_CBC_SHA', 'TLSv1.0', { anonymous: true, forwardSecrecy: false }],
    ['TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256', 'TLSv1.2', { kx: 'ECDH', forwardSecrecy: false, aead: true }],
    ['TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256', 'TLSv1.2', { kx: 'ECDHE', forwardSecrecy: true }],
    ['TLS_RSA_PSK_WITH_AES_128_GCM_SHA256', 'TLSv1.2', { kx: 'PSK', forwardSecrecy: false }],
    ['TLS_RSA_WITH_CAMELLIA_256_CBC_SHA', 'TLSv1.2', { enc: 'CAMELLIA', bits: 256, cbc: true }],
    ['TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256', 'TLSv1.2', { enc: 'ARIA', bits: 128, aead: true }],
    ['SSL_RSA_WITH_RC4_128_MD5', 'SSLv3', { enc: 'RC4', bits: 128, kx: 'RSA' }],
    ['SSL_CK_RC4_128_WITH_MD5', 'SSLv2', { enc: 'RC4', bits: 128, export: false }],
    ['SSL_CK_RC4_128_EXPORT40_WITH_MD5', 'SSLv2', { enc: 'RC4', bits: 40, export: true }],
    ['SSL_CK_DES_192_EDE3_CBC_WITH_MD5', 'SSLv2', { enc: '3DES', bits: 112 }],
    ['SSL_CK_DES_64_CBC_WITH_MD5', 'SSLv2', { enc: 'DES', bits: 56 }],
    // OpenSSL names
    ['ECDHE-RSA-AES128-GCM-SHA256', 'TLSv1.2', { kx: 'ECDHE', forwardSecrecy: true, aead: true, bits: 128 }],
    ['ECDHE-ECDSA-CHACHA20-POLY1305', 'TLSv1.2', { kx: 'ECDHE', aead: true, bits: 256 }],
    ['DHE-RSA-AES256-SHA', 'TLSv1.0', { kx: 'DHE', cbc: true, bits: 256 }],
    ['EDH-RSA-DES-CBC3-SHA', 'SSLv3', { kx: 'DHE', enc: '3DES', bits: 112 }],
    ['AES128-SHA', 'TLSv1.0', { kx: 'RSA', forwardSecrecy: false, cbc: true, bits: 128 }],
    ['DES-CBC3-SHA', 'TLSv1.2', { kx: 'RSA', enc: '3DES' }],
    ['RC4-MD5', 'SSLv3', { enc: 'RC4', bits: 128 }],
    ['EXP-RC4-MD5', 'SSLv3', { export: true, bits: 40 }],
    ['EXP1024-DES-CBC-SHA', 'TLSv1.0', { export: true, bits: 56 }],
    ['EXP-EDH-RSA-DES-CBC-SHA', 'TLSv1.0', { export: true, kx: 'DHE', bits: 40 }],
    ['ADH-AES128-SHA', 'TLSv1.0', { anonymous: true, forwardSecrecy: false }],
    ['AECDH-AES256-SHA', 'TLSv1.0', { anonymous: true }],
    ['NULL-SHA', 'TLSv1.0', { nullCipher: true, kx: 'RSA' }],
    ['ECDHE-RSA-NULL-SHA', 'TLSv1.0', { nullCipher: true, kx: 'ECDHE' }],
    ['SEED-SHA', 'TLSv1.0', { enc: 'SEED', bits: 128 }],
    ['IDEA-CBC-SHA', 'TLSv1.0', { enc: 'IDEA', bits: 128 }],
    ['RC2-CBC-MD5', 'SSLv2', { enc: 'RC2', bits: 128 }],
    ['EXP-RC2-CBC-MD5', 'SSLv2', { enc: 'RC2', export: true, bits: 40 }],
    ['SRP-AES-256-CBC-SHA', 'TLSv1.0', { kx: 'SRP', bits: 256 }],
  ];
  it.each(table)('%s (%s)', (name, protocol, expected) => {
    expect(traits(name, protocol)).toMatchObject(expected);
  });

  it('falls back on the scanner fields for names it does not know', () => {
    expect(traits('GOST2012-KUZNYECHIK-KUZNYECHIKOMAC', 'TLSv1.2', { kx: 'ECDHE', au: 'RSA', enc: 'AESGCM(256)', bits: 256, mac: 'AEAD' })).toMatchObject({
      kx: 'ECDHE',
      forwardSecrecy: true,
      aead: true,
      bits: 256,
    });
    expect(traits('0xFEFE', 'TLSv1.0', { kx: 'DH(512)', au: 'None', enc: 'DES(40)', bits: 40 })).toMatchObject({ anonymous: true, dhBits: 512, bits: 40 });
  });
});

describe('groups, keys and DH sizes', () => {
  it('know groups by code point and by name, whatever the spelling', () => {
    expect(groupTraits({ code: '0x11EC', name: 'whatever' })).toMatchObject({ name: 'X25519MLKEM768', kind: 'hybrid' });
    expect(groupTraits({ code: '', name: 'prime256v1' })).toMatchObject({ name: 'secp256r1', bits: 256 });
    expect(groupTraits({ code: 'zz', name: 'ffdhe3072' })).toMatchObject({ kind: 'ff', bits: 3072 });
    expect(groupTraits({ code: '0xABCD', name: 'mystery' })).toMatchObject({ kind: 'unknown', bits: null });
    expect(canonicalGroupName('X25519')).toBe('x25519');
    expect(canonicalGroupName('P-384')).toBe('secp384r1');
  });

  it('read DH sizes from key exchange text and ffdhe groups', () => {
    expect(dhSizeOf('DH(1024)')).toBe(1024);
    expect(dhSizeOf('DHE 2048 bits')).toBe(2048);
    expect(dhSizeOf('ECDH 253')).toBeNull();
    expect(dhSizeOf('ECDH')).toBeNull();
    const base = { protocol: 'TLSv1.2' as const, code: '0x009E', preferred: false };
    expect(dhParamBits({ ciphers: [{ ...base, name: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', kx: 'DH(1024)' }], groups: [] })).toBe(1024);
    expect(dhParamBits({ ciphers: [{ ...base, name: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256' }], groups: [{ code: '0x0100', name: 'ffdhe2048' }] })).toBe(2048);
    // ffdhe groups without a DHE suite are TLS 1.3 groups, not DH parameters of a suite.
    expect(dhParamBits({ ciphers: [{ ...base, name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' }], groups: [{ code: '0x0100', name: 'ffdhe2048' }] })).toBeNull();
    expect(dhParamBits({ ciphers: [{ ...base, name: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256' }], groups: [] })).toBeNull();
  });

  it('count certificate keys in RSA-equivalent bits', () => {
    expect(certificateKeyStrength({ keyType: 'RSA', keyBits: 2048, curve: null })).toBe(2048);
    expect(certificateKeyStrength({ keyType: 'EC', keyBits: 256, curve: 'prime256v1' })).toBe(3072);
    expect(certificateKeyStrength({ keyType: 'EC', keyBits: null, curve: 'secp384r1' })).toBe(7680);
    expect(certificateKeyStrength({ keyType: 'Ed25519', keyBits: null, curve: null })).toBe(3072);
    expect(certificateKeyStrength({ keyType: 'unknown', keyBits: 4096, curve: null })).toBeNull();
  });
});
