/**
 * Real certificates for the policy tests, made with the `openssl` command in a temporary folder:
 * a root CA, an intermediate, leaves signed by it (RSA, EC, RSA-1024, SHA-1, wildcard, IP,
 * CN-only), a self-signed one. Validity is in days from the moment they are made; tests move
 * `now` to judge expiry, never the clock.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CertificateInfo } from '../../model.js';

export interface Pki {
  dir: string;
  /** PEM bundle file holding the root. */
  caFile: string;
  root: string;
  intermediate: string;
  leafRsa: string;
  leafEc: string;
  leafRsa1024: string;
  leafSha1: string;
  leafWildcard: string;
  leafIp: string;
  leafCnOnly: string;
  /** SAN `other.example.test`, CN `www.example.test`. */
  leafCnMismatch: string;
  /** Signed by the intermediate's name but with another key. */
  leafForged: string;
  selfSigned: string;
  /** An intermediate without CA:TRUE, and a leaf it signed. */
  notCa: string;
  leafUnderNotCa: string;
  cleanup(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function key(dir: string, name: string, kind: 'rsa2048' | 'rsa1024' | 'ec256'): void {
  const args = kind === 'ec256' ? ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1'] : ['genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${kind === 'rsa1024' ? 1024 : 2048}`];
  openssl(dir, [...args, '-out', `${name}.key`]);
}

function sign(dir: string, name: string, subject: string, issuer: string, extensions: string[], options: { days?: number; digest?: string; keyName?: string } = {}): string {
  openssl(dir, ['req', '-new', '-key', `${options.keyName ?? name}.key`, '-subj', subject, '-out', `${name}.csr`]);
  writeFileSync(join(dir, `${name}.ext`), `${extensions.join('\n')}\n`);
  openssl(dir, [
    'x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.pem`, '-CAkey', `${issuer}.key`, '-set_serial', String(Math.floor(Math.random() * 1e9)),
    '-days', String(options.days ?? 90), `-${options.digest ?? 'sha256'}`, '-extfile', `${name}.ext`, '-out', `${name}.pem`,
  ]);
  return readFileSync(join(dir, `${name}.pem`), 'utf8');
}

function selfSign(dir: string, name: string, subject: string, extensions: string[], days: number): string {
  openssl(dir, ['req', '-x509', '-key', `${name}.key`, '-subj', subject, '-days', String(days), '-sha256', ...extensions.flatMap((ext) => ['-addext', ext]), '-out', `${name}.pem`]);
  return readFileSync(join(dir, `${name}.pem`), 'utf8');
}

const LEAF = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth'];
const CA = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'];

export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'prodeng-tls-policy-'));
  key(dir, 'root', 'ec256');
  const root = selfSign(dir, 'root', '/O=prodeng tests/CN=Test Root CA', CA, 3650);
  key(dir, 'intermediate', 'ec256');
  const intermediate = sign(dir, 'intermediate', '/O=prodeng tests/CN=Test Intermediate CA', 'root', CA, { days: 1825 });
  key(dir, 'leaf-rsa', 'rsa2048');
  const leafRsa = sign(dir, 'leaf-rsa', '/CN=www.example.test', 'intermediate', [...LEAF, 'subjectAltName=DNS:www.example.test,DNS:example.test']);
  key(dir, 'leaf-ec', 'ec256');
  const leafEc = sign(dir, 'leaf-ec', '/CN=www.example.test', 'intermediate', [...LEAF, 'subjectAltName=DNS:www.example.test']);
  key(dir, 'leaf-1024', 'rsa1024');
  const leafRsa1024 = sign(dir, 'leaf-1024', '/CN=www.example.test', 'intermediate', [...LEAF, 'subjectAltName=DNS:www.example.test']);
  const leafSha1 = sign(dir, 'leaf-sha1', '/CN=www.example.test', 'intermediate', [...LEAF, 'subjectAltName=DNS:www.example.test'], { digest: 'sha1', keyName: 'leaf-ec' });
  const leafWildcard = sign(dir, 'leaf-wild', '/CN=*.example.test', 'intermediate', [...LEAF, 'subjectAltName=DNS:*.example.test'], { keyName: 'leaf-ec' });
  const leafIp = sign(dir, 'leaf-ip', '/CN=192.0.2.10', 'intermediate', [...LEAF, 'subjectAltName=IP:192.0.2.10,IP:2001:db8::10'], { keyName: 'leaf-ec' });
  const leafCnOnly = sign(dir, 'leaf-cn', '/CN=legacy.example.test', 'intermediate', LEAF, { keyName: 'leaf-ec' });
  const leafCnMismatch = sign(dir, 'leaf-cnm', '/CN=www.example.test', 'intermediate', [...LEAF, 'subjectAltName=DNS:other.example.test'], { keyName: 'leaf-ec' });
  // Same issuer name as the intermediate, another key: names chain, signatures do not.
  key(dir, 'forger', 'ec256');
  selfSign(dir, 'forger', '/O=prodeng tests/CN=Test Intermediate CA', CA, 365);
  const leafForged = sign(dir, 'leaf-forged', '/CN=www.example.test', 'forger', [...LEAF, 'subjectAltName=DNS:www.example.test'], { keyName: 'leaf-ec' });
  key(dir, 'self', 'rsa2048');
  const selfSigned = selfSign(dir, 'self', '/CN=self.example.test', ['subjectAltName=DNS:self.example.test'], 30);
  key(dir, 'notca', 'ec256');
  const notCa = sign(dir, 'notca', '/O=prodeng tests/CN=Not A CA', 'intermediate', LEAF, { days: 365 });
  const leafUnderNotCa = sign(dir, 'leaf-notca', '/CN=www.example.test', 'notca', [...LEAF, 'subjectAltName=DNS:www.example.test'], { keyName: 'leaf-ec' });
  const caFile = join(dir, 'ca-bundle.pem');
  writeFileSync(caFile, `# private CA\n${root}`);
  return {
    dir,
    caFile,
    root,
    intermediate,
    leafRsa,
    leafEc,
    leafRsa1024,
    leafSha1,
    leafWildcard,
    leafIp,
    leafCnOnly,
    leafCnMismatch,
    leafForged,
    selfSigned,
    notCa,
    leafUnderNotCa,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

const KEY_TYPES: Record<string, CertificateInfo['keyType']> = { rsa: 'RSA', 'rsa-pss': 'RSA-PSS', ec: 'EC', ed25519: 'Ed25519', ed448: 'Ed448', dsa: 'DSA', dh: 'DH' };
const CURVE_BITS: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521 };

/** What the scanner would report for a PEM certificate, `scanTime` being when it looked. */
export function certificateInfo(pem: string, scanTime: Date): CertificateInfo {
  const cert = new X509Certificate(pem);
  const keyType = KEY_TYPES[cert.publicKey.asymmetricKeyType ?? ''] ?? 'unknown';
  const details = cert.publicKey.asymmetricKeyDetails ?? {};
  const curve = details.namedCurve ?? null;
  const keyBits = details.modulusLength ?? (curve ? (CURVE_BITS[curve] ?? null) : null);
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    serialNumber: cert.serialNumber,
    notBefore: cert.validFromDate.toISOString(),
    notAfter: cert.validToDate.toISOString(),
    daysLeft: Math.floor((cert.validToDate.getTime() - scanTime.getTime()) / 86_400_000),
    keyType,
    keyBits,
    curve,
    signatureAlgorithm: cert.signatureAlgorithm ?? 'unknown',
    subjectAltNames: cert.subjectAltName ? cert.subjectAltName.split(', ') : [],
    selfSigned: cert.checkIssued(cert) && cert.verify(cert.publicKey),
    fingerprintSha256: cert.fingerprint256,
    pem,
  };
}
