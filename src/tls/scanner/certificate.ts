/**
 * Certificates as the scan reports them: {@link certificateInfo} turns a DER certificate into the
 * contract's CertificateInfo with node:crypto's X509Certificate, plus a tiny DER read for the
 * signature algorithm where Node does not expose it (before Node 24).
 */
import { X509Certificate } from 'node:crypto';
import type { CertificateInfo } from '../model.js';
import { type Parsed, WireError } from './bytes.js';

const SIGNATURE_OIDS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.10040.4.3': 'dsaWithSHA1',
  '2.16.840.1.101.3.4.3.1': 'dsa_with_SHA224',
  '2.16.840.1.101.3.4.3.2': 'dsa_with_SHA256',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
  '1.2.156.10197.1.501': 'SM2-with-SM3',
};

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

function readTlv(der: Uint8Array, offset: number, limit: number): Tlv {
  if (offset + 2 > limit) throw new WireError('DER: truncated header');
  const tag = der[offset]!;
  let length = der[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > limit) throw new WireError('DER: bad length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[start + i]!;
    start += count;
  }
  if (start + length > limit) throw new WireError('DER: truncated value');
  return { tag, start, end: start + length };
}

function oidText(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new WireError('DER: empty OID');
  const parts: number[] = [];
  const first = bytes[0]!;
  parts.push(first < 80 ? Math.floor(first / 40) : 2, first < 80 ? first % 40 : first - 80);
  let value = 0;
  for (let i = 1; i < bytes.length; i++) {
    value = value * 128 + (bytes[i]! & 0x7f);
    if ((bytes[i]! & 0x80) === 0) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/** The OID of a certificate's signatureAlgorithm (the outer one), read from DER. */
export function signatureAlgorithmOid(der: Uint8Array): Parsed<string> {
  try {
    const certificate = readTlv(der, 0, der.length);
    if (certificate.tag !== 0x30) throw new WireError('DER: certificate is not a SEQUENCE');
    const tbs = readTlv(der, certificate.start, certificate.end);
    if (tbs.tag !== 0x30) throw new WireError('DER: tbsCertificate is not a SEQUENCE');
    const algorithm = readTlv(der, tbs.end, certificate.end);
    if (algorithm.tag !== 0x30) throw new WireError('DER: signatureAlgorithm is not a SEQUENCE');
    const oid = readTlv(der, algorithm.start, algorithm.end);
    if (oid.tag !== 0x06) throw new WireError('DER: signatureAlgorithm has no OID');
    return { ok: true, value: oidText(der.subarray(oid.start, oid.end)) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

export function signatureAlgorithmName(oid: string): string {
  return SIGNATURE_OIDS[oid] ?? oid;
}

/** `DNS:a, DNS:"b, c", IP Address:1.2.3.4` → entries, commas inside quotes kept. */
export function splitAltNames(text: string | undefined): string[] {
  if (!text) return [];
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '"' && text[i - 1] !== '\\') quoted = !quoted;
    if (char === ',' && !quoted) {
      if (current.trim() !== '') out.push(current.trim());
      current = '';
      continue;
    }
    current += char;
  }
  if (current.trim() !== '') out.push(current.trim());
  return out;
}

const CURVE_BITS: Readonly<Record<string, number>> = {
  prime192v1: 192,
  prime256v1: 256,
  secp224r1: 224,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
};

function curveBits(curve: string): number | null {
  const known = CURVE_BITS[curve];
  if (known !== undefined) return known;
  const digits = /(\d{3})/.exec(curve);
  return digits ? Number(digits[1]) : null;
}

function keyFacts(certificate: X509Certificate): Pick<CertificateInfo, 'keyType' | 'keyBits' | 'curve'> {
  try {
    const key = certificate.publicKey;
    const details = key.asymmetricKeyDetails ?? {};
    switch (key.asymmetricKeyType) {
      case 'rsa':
        return { keyType: 'RSA', keyBits: details.modulusLength ?? null, curve: null };
      case 'rsa-pss':
        return { keyType: 'RSA-PSS', keyBits: details.modulusLength ?? null, curve: null };
      case 'dsa':
        return { keyType: 'DSA', keyBits: details.modulusLength ?? null, curve: null };
      case 'dh':
        return { keyType: 'DH', keyBits: details.modulusLength ?? null, curve: null };
      case 'ec': {
        const curve = details.namedCurve ?? null;
        return { keyType: 'EC', keyBits: curve === null ? null : curveBits(curve), curve };
      }
      case 'ed25519':
        return { keyType: 'Ed25519', keyBits: 256, curve: null };
      case 'ed448':
        return { keyType: 'Ed448', keyBits: 456, curve: null };
      default:
        return { keyType: 'unknown', keyBits: null, curve: null };
    }
  } catch {
    return { keyType: 'unknown', keyBits: null, curve: null };
  }
}

function isoDate(date: Date | undefined, text: string): string {
  const value = date ?? new Date(text);
  return Number.isNaN(value.getTime()) ? text : value.toISOString();
}

/** A DER certificate as the scan reports it; a typed error when Node cannot read it. */
export function certificateInfo(der: Uint8Array, now: Date = new Date()): Parsed<CertificateInfo> {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(der);
  } catch (error) {
    return { ok: false, error: `certificate: not readable (${(error as Error).message})` };
  }
  try {
    const withNewFields = certificate as X509Certificate & { signatureAlgorithm?: string; validFromDate?: Date; validToDate?: Date };
    let signatureAlgorithm = withNewFields.signatureAlgorithm;
    if (!signatureAlgorithm) {
      const oid = signatureAlgorithmOid(der);
      signatureAlgorithm = oid.ok ? signatureAlgorithmName(oid.value) : 'unknown';
    }
    const notAfterDate = withNewFields.validToDate ?? new Date(certificate.validTo);
    let selfSigned = false;
    try {
      selfSigned = certificate.checkIssued(certificate) && certificate.verify(certificate.publicKey);
    } catch {
      selfSigned = false;
    }
    return {
      ok: true,
      value: {
        subject: certificate.subject.split('\n').filter(Boolean).join(', '),
        issuer: certificate.issuer.split('\n').filter(Boolean).join(', '),
        serialNumber: certificate.serialNumber.toUpperCase(),
        notBefore: isoDate(withNewFields.validFromDate, certificate.validFrom),
        notAfter: isoDate(withNewFields.validToDate, certificate.validTo),
        daysLeft: Math.floor((notAfterDate.getTime() - now.getTime()) / 86_400_000),
        ...keyFacts(certificate),
        signatureAlgorithm,
        subjectAltNames: splitAltNames(certificate.subjectAltName),
        selfSigned,
        fingerprintSha256: certificate.fingerprint256,
        pem: certificate.toString(),
      },
    };
  } catch (error) {
    return { ok: false, error: `certificate: ${(error as Error).message}` };
  }
}
