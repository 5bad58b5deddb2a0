import { X509Certificate } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateInfo, signatureAlgorithmName, signatureAlgorithmOid, splitAltNames } from './certificate.js';
import { makeCertificate, type TempDir, tempDir } from './test-support/servers.js';

let dir: TempDir;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir?.remove());

describe('certificateInfo', () => {
  it('describes an RSA self-signed certificate', () => {
    const certificate = makeCertificate(dir.dir, { name: 'rsa.test', days: 10, san: ['DNS:rsa.test', 'DNS:www.rsa.test', 'IP:127.0.0.1'] });
    const now = new Date();
    const info = certificateInfo(certificate.der, now);
    if (!info.ok) throw new Error(info.error);
    const x509 = new X509Certificate(certificate.der);
    expect(info.value).toMatchObject({
      subject: 'CN=rsa.test',
      issuer: 'CN=rsa.test',
      keyType: 'RSA',
      keyBits: 2048,
      curve: null,
      signatureAlgorithm: 'sha256WithRSAEncryption',
      subjectAltNames: ['DNS:rsa.test', 'DNS:www.rsa.test', 'IP Address:127.0.0.1'],
      selfSigned: true,
      fingerprintSha256: x509.fingerprint256,
      serialNumber: x509.serialNumber.toUpperCase(),
    });
    expect(info.value.daysLeft).toBeGreaterThanOrEqual(9);
    expect(info.value.daysLeft).toBeLessThanOrEqual(10);
    expect(info.value.notAfter).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(info.value.pem).toContain('-----BEGIN CERTIFICATE-----');
    // Expired, seen from a later clock.
    const later = certificateInfo(certificate.der, new Date(now.getTime() + 40 * 86_400_000));
    expect(later.ok && later.value.daysLeft).toBeLessThan(0);
  });

  it('describes EC and Ed25519 keys, and a certificate signed by a CA', () => {
    const ec = certificateInfo(makeCertificate(dir.dir, { key: 'ec:secp384r1' }).der);
    expect(ec.ok && ec.value).toMatchObject({ keyType: 'EC', keyBits: 384, curve: 'secp384r1', signatureAlgorithm: 'ecdsa-with-SHA256' });
    const p256 = certificateInfo(makeCertificate(dir.dir, { key: 'ec:prime256v1' }).der);
    expect(p256.ok && p256.value).toMatchObject({ keyType: 'EC', keyBits: 256, curve: 'prime256v1' });
    const ed = certificateInfo(makeCertificate(dir.dir, { key: 'ed25519' }).der);
    expect(ed.ok && ed.value).toMatchObject({ keyType: 'Ed25519', signatureAlgorithm: 'ED25519' });
    const ca = makeCertificate(dir.dir, { name: 'Test CA' });
    const leaf = certificateInfo(makeCertificate(dir.dir, { name: 'leaf.test', ca, key: 'rsa:1024' }).der);
    expect(leaf.ok && leaf.value).toMatchObject({ subject: 'CN=leaf.test', issuer: 'CN=Test CA', selfSigned: false, keyBits: 1024 });
  });

  it('reads the signature algorithm from DER the way Node names it', () => {
    for (const key of ['rsa:2048', 'ec:prime256v1', 'ed25519']) {
      const der = makeCertificate(dir.dir, { key }).der;
      const oid = signatureAlgorithmOid(der);
      if (!oid.ok) throw new Error(oid.error);
      const node = new X509Certificate(der) as X509Certificate & { signatureAlgorithmOid?: string; signatureAlgorithm?: string };
      if (node.signatureAlgorithmOid) expect(oid.value).toBe(node.signatureAlgorithmOid);
      if (node.signatureAlgorithm) expect(signatureAlgorithmName(oid.value)).toBe(node.signatureAlgorithm);
    }
    expect(signatureAlgorithmName('1.2.3.4')).toBe('1.2.3.4');
  });

  it('gives a typed error for garbage and truncations, never a throw', () => {
    const der = makeCertificate(dir.dir).der;
    for (const cut of [0, 1, 10, 100, der.length - 1]) {
      expect(certificateInfo(der.subarray(0, cut)).ok).toBe(false);
      expect(typeof signatureAlgorithmOid(der.subarray(0, cut)).ok).toBe('boolean');
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(certificateInfo(bytes).ok).toBe(false);
        expect(typeof signatureAlgorithmOid(bytes).ok).toBe('boolean');
      }),
      { numRuns: 200 },
    );
  });

  it('splits alt names, keeping quoted commas', () => {
    expect(splitAltNames('DNS:a.test, DNS:"b, c", IP Address:::1')).toEqual(['DNS:a.test', 'DNS:"b, c"', 'IP Address:::1']);
    expect(splitAltNames(undefined)).toEqual([]);
  });
});
