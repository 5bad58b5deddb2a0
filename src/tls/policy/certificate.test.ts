import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TlsScan } from '../model.js';
import { assessCertificate, isWeakSignature, matchesSubjectAltNames, parsePemBundle } from './certificate.js';
import { certificateInfo, makePki, type Pki } from './test-support/certs.js';
import { leaf, scan } from './test-support/scans.js';

let pki: Pki;
let now: Date;

beforeAll(() => {
  pki = makePki();
  // An hour after the certificates were made: all valid, nothing near expiry.
  now = new Date(new X509Certificate(pki.leafRsa).validFromDate.getTime() + 3_600_000);
});
afterAll(() => pki?.cleanup());

function chainScan(pems: string[], host = 'www.example.test'): Pick<TlsScan, 'chain' | 'target'> {
  return {
    chain: pems.map((pem) => certificateInfo(pem, now)),
    target: { target: `https://${host}`, host, port: 443, sni: host },
  };
}

describe('trust', () => {
  it('follows the chain the server sent up to a root in the configured CA file', () => {
    const result = assessCertificate(chainScan([pki.leafRsa, pki.intermediate]), { now, caFile: pki.caFile });
    expect(result).toEqual({ expired: false, daysLeft: 89, hostnameMatch: true, trusted: true, trustError: null, chainInOrder: true, weakKey: false, weakSignature: false });
  });

  it('does not trust a private root without the CA file', () => {
    const result = assessCertificate(chainScan([pki.leafRsa, pki.intermediate]), { now })!;
    expect(result.trusted).toBe(false);
    expect(result.trustError).toMatch(/^unable to find the issuer of Test Intermediate CA \(O=prodeng tests, CN=Test Root CA\): not sent by the server and not in the trust store$/);
  });

  it('needs the intermediate: a missing one is a trust error', () => {
    const result = assessCertificate(chainScan([pki.leafEc]), { now, caFile: pki.caFile })!;
    expect(result.trusted).toBe(false);
    expect(result.trustError).toContain('unable to find the issuer of www.example.test (O=prodeng tests, CN=Test Intermediate CA)');
  });

  it('still trusts a chain sent out of order, and says it is out of order', () => {
    const result = assessCertificate(chainScan([pki.leafEc, pki.root, pki.intermediate]), { now, caFile: pki.caFile })!;
    expect(result.trusted).toBe(true);
    expect(result.chainInOrder).toBe(false);
    expect(assessCertificate(chainScan([pki.leafEc, pki.intermediate, pki.root]), { now, caFile: pki.caFile })!.chainInOrder).toBe(true);
  });

  it('checks signatures, not only names', () => {
    const result = assessCertificate(chainScan([pki.leafForged, pki.intermediate]), { now, caFile: pki.caFile })!;
    expect(result.trusted).toBe(false);
    expect(result.trustError).toBe("the signature of www.example.test does not verify with its issuer's key");
    // The names line up but the key identifiers do not: not issued by the next one.
    expect(result.chainInOrder).toBe(false);
  });

  it('refuses an issuer that is not a CA', () => {
    const result = assessCertificate(chainScan([pki.leafUnderNotCa, pki.notCa, pki.intermediate]), { now, caFile: pki.caFile })!;
    expect(result.trustError).toBe('Not A CA issued www.example.test but is not a CA certificate');
  });

  it('says a self-signed certificate is not trusted, unless the CA file holds it', () => {
    const result = assessCertificate(chainScan([pki.selfSigned], 'self.example.test'), { now })!;
    expect(result).toMatchObject({ trusted: false, hostnameMatch: true, weakSignature: false });
    expect(result.trustError).toBe('self-signed certificate self.example.test is not in the trust store');
    const pinned = join(pki.dir, 'pinned.pem');
    writeFileSync(pinned, pki.selfSigned);
    expect(assessCertificate(chainScan([pki.selfSigned], 'self.example.test'), { now, caFile: pinned })!.trusted).toBe(true);
  });

  it('reports an expired leaf as expired, and an expired intermediate as a trust error', () => {
    const later = new Date(now.getTime() + 100 * 86_400_000);
    const result = assessCertificate(chainScan([pki.leafRsa, pki.intermediate]), { now: later, caFile: pki.caFile })!;
    expect(result.expired).toBe(true);
    expect(result.daysLeft).toBe(-11);
    expect(result.trusted).toBe(true);
    const muchLater = new Date(now.getTime() + 2000 * 86_400_000);
    const old = assessCertificate(chainScan([pki.leafRsa, pki.intermediate]), { now: muchLater, caFile: pki.caFile })!;
    expect(old.trusted).toBe(false);
    expect(old.trustError).toMatch(/^intermediate Test Intermediate CA expired on \d{4}-/);
  });

  it('says a certificate used before it is valid is not trusted', () => {
    const before = new Date(now.getTime() - 2 * 86_400_000);
    const result = assessCertificate(chainScan([pki.leafRsa, pki.intermediate]), { now: before, caFile: pki.caFile })!;
    expect(result.expired).toBe(false);
    expect(result.trustError).toMatch(/^certificate www.example.test is not valid before /);
  });

  it('explains an unreadable CA file when it matters', () => {
    const result = assessCertificate(chainScan([pki.leafRsa, pki.intermediate]), { now, caFile: join(pki.dir, 'missing.pem') })!;
    expect(result.trustError).toContain('(the CA file');
    expect(result.trustError).toContain('could not be read: ENOENT)');
  });

  it('trusts a certificate of the Node/system store as an anchor', () => {
    const root = tls.rootCertificates.find((pem) => new X509Certificate(pem).publicKey.asymmetricKeyType === 'rsa')!;
    const result = assessCertificate(chainScan([root]), { now, hostname: 'example.invalid' })!;
    expect(result.trusted).toBe(true);
    expect(result.hostnameMatch).toBe(false);
  });

  it('parses PEM bundles with comments and trusted-certificate blocks', () => {
    expect(parsePemBundle(`# a\n${pki.root}\nnoise\n${pki.intermediate}`)).toHaveLength(2);
    expect(parsePemBundle('nothing')).toEqual([]);
  });

  it('returns null without a certificate, and copes with one that does not parse', () => {
    expect(assessCertificate({ chain: [], target: scan().target }, { now })).toBeNull();
    const broken = assessCertificate({ chain: [leaf({ pem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' })], target: scan().target }, { now: new Date('2026-05-01T12:00:00Z') })!;
    expect(broken).toMatchObject({ trusted: false, trustError: 'the certificate could not be parsed', hostnameMatch: true, expired: false, daysLeft: 60 });
  });
});

describe('host name (RFC 6125)', () => {
  it('matches SANs without case, a wildcard only as one left-most label', () => {
    const wild = chainScan([pki.leafWildcard, pki.intermediate]);
    const check = (hostname: string) => assessCertificate(wild, { now, caFile: pki.caFile, hostname })!.hostnameMatch;
    expect(check('a.example.test')).toBe(true);
    expect(check('A.Example.TEST')).toBe(true);
    expect(check('a.example.test.')).toBe(true);
    expect(check('example.test')).toBe(false);
    expect(check('a.b.example.test')).toBe(false);
    expect(check('a.example.org')).toBe(false);
  });

  it('uses the SNI, else the host, when no name is given', () => {
    expect(assessCertificate(chainScan([pki.leafRsa, pki.intermediate], 'example.test'), { now, caFile: pki.caFile })!.hostnameMatch).toBe(true);
    expect(assessCertificate(chainScan([pki.leafRsa, pki.intermediate], 'api.example.test'), { now, caFile: pki.caFile })!.hostnameMatch).toBe(false);
  });

  it('checks IP addresses against IP SANs only', () => {
    const ip = chainScan([pki.leafIp, pki.intermediate]);
    const check = (hostname: string) => assessCertificate(ip, { now, caFile: pki.caFile, hostname })!.hostnameMatch;
    expect(check('192.0.2.10')).toBe(true);
    expect(check('192.0.2.11')).toBe(false);
    expect(check('2001:db8:0:0::10')).toBe(true);
    expect(check('[2001:db8::10]')).toBe(true);
    // The CN is 192.0.2.10 too, but an IP never matches a DNS name or CN.
    expect(assessCertificate(chainScan([pki.leafWildcard]), { now, hostname: '192.0.2.10' })!.hostnameMatch).toBe(false);
  });

  it('ignores the CN when there are SANs, and falls back on it when there are none', () => {
    expect(assessCertificate(chainScan([pki.leafCnMismatch, pki.intermediate]), { now, hostname: 'www.example.test' })!.hostnameMatch).toBe(false);
    expect(assessCertificate(chainScan([pki.leafCnMismatch, pki.intermediate]), { now, hostname: 'other.example.test' })!.hostnameMatch).toBe(true);
    expect(assessCertificate(chainScan([pki.leafCnOnly, pki.intermediate]), { now, hostname: 'legacy.example.test' })!.hostnameMatch).toBe(true);
  });

  it('has a matcher of its own for certificates without PEM', () => {
    const sans = ['DNS:www.example.test', 'DNS:*.api.example.test', 'IP Address:192.0.2.1', 'IP Address:2001:DB8:0:0:0:0:0:1'];
    expect(matchesSubjectAltNames('WWW.example.test', sans)).toBe(true);
    expect(matchesSubjectAltNames('v1.api.example.test', sans)).toBe(true);
    expect(matchesSubjectAltNames('api.example.test', sans)).toBe(false);
    expect(matchesSubjectAltNames('x.v1.api.example.test', sans)).toBe(false);
    expect(matchesSubjectAltNames('192.0.2.1', sans)).toBe(true);
    expect(matchesSubjectAltNames('2001:db8::1', sans)).toBe(true);
    expect(matchesSubjectAltNames('192.0.2.2', sans)).toBe(false);
    expect(matchesSubjectAltNames('a.example.com', ['DNS:*.com'])).toBe(false);
    expect(matchesSubjectAltNames('www.example.com', ['DNS:w*.example.com'])).toBe(false);
    expect(matchesSubjectAltNames('www.example.com', ['DNS:www.example.com, DNS:example.com'])).toBe(true);
    expect(matchesSubjectAltNames('', sans)).toBe(false);
  });
});

describe('weak keys and signatures', () => {
  it('flags RSA under 2048 bits', () => {
    expect(assessCertificate(chainScan([pki.leafRsa1024, pki.intermediate]), { now, caFile: pki.caFile })).toMatchObject({ weakKey: true, trusted: true });
    expect(assessCertificate(chainScan([pki.leafEc, pki.intermediate]), { now, caFile: pki.caFile })).toMatchObject({ weakKey: false });
  });

  it('flags SHA-1 on certificates other than roots', () => {
    expect(assessCertificate(chainScan([pki.leafSha1, pki.intermediate]), { now, caFile: pki.caFile })).toMatchObject({ weakSignature: true, trusted: true });
    expect(isWeakSignature('sha1WithRSAEncryption')).toBe(true);
    expect(isWeakSignature('ecdsa-with-SHA1')).toBe(true);
    expect(isWeakSignature('md5WithRSAEncryption')).toBe(true);
    expect(isWeakSignature('sha256WithRSAEncryption')).toBe(false);
    expect(isWeakSignature('ecdsa-with-SHA384')).toBe(false);
  });

  it('judges synthetic certificates by their reported key', () => {
    const target = scan().target;
    const at = new Date('2026-05-01T12:00:00Z');
    expect(assessCertificate({ chain: [leaf({ keyType: 'EC', keyBits: 224, curve: 'secp224r1' })], target }, { now: at })!.weakKey).toBe(true);
    expect(assessCertificate({ chain: [leaf({ keyType: 'DSA', keyBits: 3072 })], target }, { now: at })!.weakKey).toBe(true);
    expect(assessCertificate({ chain: [leaf({ keyType: 'Ed25519', keyBits: null })], target }, { now: at })!.weakKey).toBe(false);
    expect(assessCertificate({ chain: [leaf({ signatureAlgorithm: 'sha1WithRSAEncryption' })], target }, { now: at })!.weakSignature).toBe(true);
  });
});
