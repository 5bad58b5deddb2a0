import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TlsScan } from '../model.js';
import { assessScan } from './index.js';
import { certificateInfo, makePki, type Pki } from './test-support/certs.js';
import { legacyOpenssl, nginxIntermediate, nginxModern } from './test-support/scans.js';

let pki: Pki;
let now: Date;

beforeAll(() => {
  pki = makePki();
  now = new Date(new X509Certificate(pki.leafRsa).validFromDate.getTime() + 86_400_000);
});
afterAll(() => pki?.cleanup());

function withChain(scan: TlsScan, pems: string[]): TlsScan {
  return { ...scan, chain: pems.map((pem) => certificateInfo(pem, now)) };
}

describe('assessScan', () => {
  it('nginx intermediate with a real chain under a private CA: A+, Mozilla-compliant, trusted', () => {
    const scan = withChain(nginxIntermediate(), [pki.leafRsa, pki.intermediate]);
    expect(assessScan(scan, { now, caFile: pki.caFile })).toEqual({
      grade: 'A+',
      score: 93,
      caps: [],
      mozilla: { profile: 'intermediate', guidelineVersion: '6.0', compliant: true, deviations: [] },
      certificate: { expired: false, daysLeft: 89, hostnameMatch: true, trusted: true, trustError: null, chainInOrder: true, weakKey: false, weakSignature: false },
    });
  });

  it('the same server without the CA file: T, saying it would be A+', () => {
    const result = assessScan(withChain(nginxIntermediate(), [pki.leafRsa, pki.intermediate]), { now });
    expect(result.grade).toBe('T');
    expect(result.score).toBe(19);
    expect(result.caps).toEqual([
      'certificate not trusted: unable to find the issuer of Test Intermediate CA (O=prodeng tests, CN=Test Root CA): not sent by the server and not in the trust store → T (A+ if trust issues are ignored)',
    ]);
    expect(result.certificate?.trusted).toBe(false);
  });

  it('modern nginx with an EC certificate, judged against modern', () => {
    const result = assessScan(withChain(nginxModern(), [pki.leafEc, pki.intermediate]), { now, caFile: pki.caFile, profile: 'modern' });
    expect(result.grade).toBe('A+');
    expect(result.mozilla).toEqual({ profile: 'modern', guidelineVersion: '6.0', compliant: true, deviations: [] });
  });

  it('a wrong host name gives M; an expired certificate T', () => {
    const scan = withChain(nginxIntermediate(), [pki.leafRsa, pki.intermediate]);
    const wrongHost = assessScan(scan, { now, caFile: pki.caFile, hostname: 'shop.example.test' });
    expect(wrongHost.grade).toBe('M');
    expect(wrongHost.caps).toEqual(['certificate does not match the host name → M (A+ if trust issues are ignored)']);
    const later = new Date(now.getTime() + 120 * 86_400_000);
    const expired = assessScan(scan, { now: later, caFile: pki.caFile });
    expect(expired.grade).toBe('T');
    expect(expired.certificate).toMatchObject({ expired: true, daysLeft: -31, trusted: true });
  });

  it('a self-signed certificate on a legacy server: T (C otherwise), with every Mozilla deviation', () => {
    const result = assessScan(withChain(legacyOpenssl(), [pki.selfSigned]), { now, hostname: 'self.example.test', profile: 'old' });
    expect(result.grade).toBe('T');
    expect(result.caps.at(-1)).toBe('certificate not trusted: self-signed certificate self.example.test is not in the trust store → T (C if trust issues are ignored)');
    expect(result.mozilla.guidelineVersion).toBe('5.8');
    expect(result.mozilla.deviations).toContain('TLSv1.2: cipher suites outside the old profile: TLS_RSA_WITH_RC4_128_SHA');
  });

  it('RSA-1024 and SHA-1 leaves: B by key, T by signature', () => {
    const rsa1024 = assessScan(withChain(nginxIntermediate(), [pki.leafRsa1024, pki.intermediate]), { now, caFile: pki.caFile });
    expect(rsa1024.grade).toBe('B');
    expect(rsa1024.certificate?.weakKey).toBe(true);
    expect(rsa1024.mozilla.deviations).toEqual(["certificate RSA key of 1024 bits is smaller than the intermediate profile's 2048 bits"]);
    const sha1 = assessScan(withChain(nginxModern(), [pki.leafSha1, pki.intermediate]), { now, caFile: pki.caFile });
    expect(sha1.grade).toBe('T');
    expect(sha1.caps).toEqual(['certificate chain signed with MD5 or SHA-1, which clients reject → T (A+ if trust issues are ignored)']);
  });

  it('a scan without a certificate has no certificate assessment', () => {
    const result = assessScan({ ...nginxIntermediate(), chain: [] }, { now });
    expect(result.certificate).toBeNull();
    expect(result.grade).toBe('A+');
  });
});
