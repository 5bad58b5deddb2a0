/**
 * Judges the certificate chain a server sent: expiry, host name (RFC 6125), trust (signatures up
 * to a root of the Node/system store or a configured CA file, with node:crypto), order, weak keys
 * and weak signatures. See readme.md ("Certificate checks").
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import * as tls from 'node:tls';
import type { CertificateAssessment, CertificateInfo, TlsScan } from '../model.js';

const DAY_MS = 86_400_000;
const MAX_CHAIN = 10;

export interface CertificateOptions {
  /** The time to judge expiry and validity at. */
  now: Date;
  /** A PEM bundle of additional trusted roots (a private CA), read at each call. */
  caFile?: string;
  /** The name a client would check; null or absent: the SNI, else the target host. */
  hostname?: string | null;
}

function parsePem(pem: string | undefined): X509Certificate | null {
  if (typeof pem !== 'string' || !pem.includes('-----BEGIN')) return null;
  try {
    return new X509Certificate(pem);
  } catch {
    return null;
  }
}

/** Every certificate in a PEM bundle; blocks that do not parse are skipped. */
export function parsePemBundle(text: string): X509Certificate[] {
  const blocks = text.match(/-----BEGIN (?:TRUSTED )?CERTIFICATE-----[\s\S]*?-----END (?:TRUSTED )?CERTIFICATE-----/g) ?? [];
  const out: X509Certificate[] = [];
  for (const block of blocks) {
    const cert = parsePem(block.replace(/(BEGIN|END) TRUSTED CERTIFICATE/g, '$1 CERTIFICATE'));
    if (cert) out.push(cert);
  }
  return out;
}

interface TrustStore {
  bySubject: Map<string, X509Certificate[]>;
  fingerprints: Set<string>;
  all: X509Certificate[];
}

function buildStore(certs: X509Certificate[], base?: TrustStore): TrustStore {
  const bySubject = new Map<string, X509Certificate[]>();
  for (const [subject, list] of base?.bySubject ?? []) bySubject.set(subject, [...list]);
  const fingerprints = new Set(base?.fingerprints);
  const all = [...(base?.all ?? [])];
  for (const cert of certs) {
    if (fingerprints.has(cert.fingerprint256)) continue;
    fingerprints.add(cert.fingerprint256);
    all.push(cert);
    const list = bySubject.get(cert.subject) ?? [];
    list.push(cert);
    bySubject.set(cert.subject, list);
  }
  return { bySubject, fingerprints, all };
}

let defaultStore: TrustStore | null = null;

/** Node's default CA certificates (bundled Mozilla store, plus NODE_EXTRA_CA_CERTS / system store when Node is told to use them). */
function defaultRoots(): TrustStore {
  if (defaultStore) return defaultStore;
  let pems: readonly string[];
  try {
    pems = typeof tls.getCACertificates === 'function' ? tls.getCACertificates('default') : tls.rootCertificates;
  } catch {
    pems = tls.rootCertificates;
  }
  defaultStore = buildStore(pems.map(parsePem).filter((cert): cert is X509Certificate => cert !== null));
  return defaultStore;
}

function merge(base: TrustStore, extra: X509Certificate[]): TrustStore {
  return extra.length === 0 ? base : buildStore(extra, base);
}

function name(cert: X509Certificate): string {
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject);
  return cn ? cn[1]! : cert.subject.replace(/\n/g, ', ');
}

function verifies(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function timeProblem(cert: X509Certificate, now: Date, role: string): string | null {
  if (cert.validFromDate.getTime() > now.getTime()) return `${role} ${name(cert)} is not valid before ${cert.validFromDate.toISOString()}`;
  if (cert.validToDate.getTime() < now.getTime()) return `${role} ${name(cert)} expired on ${cert.validToDate.toISOString()}`;
  return null;
}

/**
 * Builds a path from the leaf to a trusted root: at each step a trusted root that issued the
 * current certificate wins over an intermediate the server sent (so an expired cross-signed root
 * in the chain does not spoil a path that ends earlier). Returns null when trusted, else why not.
 */
function verifyPath(chain: X509Certificate[], store: TrustStore, now: Date, caFileNote: string): string | null {
  const leaf = chain[0]!;
  if (store.fingerprints.has(leaf.fingerprint256)) return null; // pinned in the store or CA file
  // Expiry of the leaf is reported on its own (`expired`); a certificate not yet valid is a trust problem.
  if (leaf.validFromDate.getTime() > now.getTime()) return timeProblem(leaf, now, 'certificate');
  const intermediates = chain.slice(1);
  const used = new Set<string>([leaf.fingerprint256]);
  let current = leaf;
  for (let depth = 0; depth < MAX_CHAIN; depth++) {
    if (depth > 0 && store.fingerprints.has(current.fingerprint256)) return null; // an intermediate the store trusts
    let roots = (store.bySubject.get(current.issuer) ?? []).filter((candidate) => issuedBy(current, candidate));
    // Names that compare equal only after canonicalisation (case, string types): ask OpenSSL.
    if (roots.length === 0) roots = store.all.filter((candidate) => candidate.subject !== current.issuer && issuedBy(current, candidate));
    if (roots.length > 0) {
      // A re-issued root can share its name and key with an expired one: any valid one will do.
      const problems = roots.map((root) => timeProblem(root, now, 'root'));
      return problems.includes(null) ? null : problems[0]!;
    }
    if (issuedBy(current, current)) {
      return depth === 0
        ? `self-signed certificate ${name(current)} is not in the trust store${caFileNote}`
        : `the chain ends at ${name(current)}, a root that is not in the trust store${caFileNote}`;
    }
    const next = intermediates.find((candidate) => !used.has(candidate.fingerprint256) && issuedBy(current, candidate));
    if (!next) {
      const sameName = intermediates.filter((candidate) => !used.has(candidate.fingerprint256) && candidate.subject === current.issuer);
      const signer = sameName.find((candidate) => verifies(current, candidate));
      if (signer && !signer.ca) return `${name(signer)} issued ${name(current)} but is not a CA certificate`;
      if (signer) return `${name(signer)} issued ${name(current)} but may not sign certificates (key usage or key identifier mismatch)`;
      if (sameName.length > 0) return `the signature of ${name(current)} does not verify with its issuer's key`;
      return `unable to find the issuer of ${name(current)} (${current.issuer.replace(/\n/g, ', ')}): not sent by the server and not in the trust store${caFileNote}`;
    }
    if (!next.ca) return `${name(next)} issued ${name(current)} but is not a CA certificate`;
    const problem = timeProblem(next, now, 'intermediate');
    if (problem) return problem;
    used.add(next.fingerprint256);
    current = next;
  }
  return `no trusted root within ${MAX_CHAIN} certificates`;
}

function stripPrefix(entry: string): { kind: 'dns' | 'ip' | 'other'; value: string } {
  const trimmed = entry.trim();
  const match = /^(DNS|IP Address|IP|URI|email|othername|DirName|Registered ID)\s*:\s*(.*)$/i.exec(trimmed);
  if (!match) return { kind: isIP(trimmed) ? 'ip' : 'dns', value: trimmed };
  const tag = match[1]!.toLowerCase();
  if (tag === 'dns') return { kind: 'dns', value: match[2]!.trim() };
  if (tag === 'ip address' || tag === 'ip') return { kind: 'ip', value: match[2]!.trim() };
  return { kind: 'other', value: match[2]!.trim() };
}

function normaliseIp(ip: string): string {
  const trimmed = ip.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(trimmed) !== 6) return trimmed;
  // Expand to 8 groups for comparison.
  const [head = '', tail = ''] = trimmed.includes('::') ? trimmed.split('::', 2) : [trimmed, ''];
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const fill = trimmed.includes('::') ? Array(8 - headGroups.length - tailGroups.length).fill('0') : [];
  return [...headGroups, ...fill, ...tailGroups].map((group) => group.replace(/^0+(?=.)/, '')).join(':');
}

/**
 * RFC 6125 host name matching against DNS names: case-insensitive, a trailing dot ignored, a
 * wildcard only as the whole left-most label and matching exactly one label (`*.example.com`
 * matches `a.example.com`, not `example.com` or `a.b.example.com`; `w*.example.com` matches
 * nothing). IP addresses only against IP address entries.
 */
export function matchesSubjectAltNames(hostname: string, subjectAltNames: string[]): boolean {
  const host = hostname.trim().replace(/\.$/, '').toLowerCase();
  if (host === '') return false;
  const entries = subjectAltNames.flatMap((value) => value.split(/,\s*(?=(?:DNS|IP Address|IP|URI|email|othername|DirName)\s*:)/i)).map(stripPrefix);
  if (isIP(host.replace(/^\[|\]$/g, ''))) {
    const ip = normaliseIp(host);
    return entries.some((entry) => entry.kind === 'ip' && normaliseIp(entry.value) === ip);
  }
  const labels = host.split('.');
  return entries.some((entry) => {
    if (entry.kind !== 'dns') return false;
    const pattern = entry.value.replace(/\.$/, '').toLowerCase();
    const patternLabels = pattern.split('.');
    if (patternLabels.length !== labels.length) return false;
    if (patternLabels[0] === '*') {
      // At least two labels after the wildcard (no `*.com`), and the host's first label non-empty.
      if (patternLabels.length < 3 || labels[0] === '') return false;
      return patternLabels.slice(1).join('.') === labels.slice(1).join('.');
    }
    if (pattern.includes('*')) return false;
    return pattern === host;
  });
}

function hostMatches(hostname: string, leaf: X509Certificate | null, info: CertificateInfo): boolean {
  const bare = hostname.trim().replace(/^\[|\]$/g, '');
  if (leaf) {
    try {
      if (isIP(bare)) return leaf.checkIP(bare) !== undefined;
      return leaf.checkHost(bare.replace(/\.$/, ''), { subject: 'default', wildcards: true, partialWildcards: false, multiLabelWildcards: false, singleLabelSubdomains: false }) !== undefined;
    } catch {
      // fall back on the names the scanner read
    }
  }
  return matchesSubjectAltNames(bare, info.subjectAltNames ?? []);
}

function isWeakKey(info: CertificateInfo): boolean {
  const bits = typeof info.keyBits === 'number' ? info.keyBits : null;
  switch (info.keyType) {
    case 'RSA':
    case 'RSA-PSS':
      return bits !== null && bits < 2048;
    case 'EC':
      return bits !== null && bits < 256;
    case 'DSA':
      return true;
    default:
      return false;
  }
}

/** MD2/MD4/MD5 or SHA-1 (`sha1WithRSAEncryption`, `ecdsa-with-SHA1`, `dsaWithSHA1`). */
export function isWeakSignature(algorithm: string): boolean {
  return /md[245]|sha-?1(?!\d)/i.test(algorithm);
}

function isSelfSigned(info: CertificateInfo, cert: X509Certificate | null): boolean {
  if (cert) {
    try {
      return cert.checkIssued(cert) && cert.verify(cert.publicKey);
    } catch {
      return info.selfSigned === true;
    }
  }
  return info.selfSigned === true;
}

/**
 * Judges `scan.chain` (leaf first). Returns null when the server sent no certificate (an
 * anonymous or failed scan).
 */
export function assessCertificate(scan: Pick<TlsScan, 'chain' | 'target'>, options: CertificateOptions): CertificateAssessment | null {
  const infos = scan.chain ?? [];
  const leafInfo = infos[0];
  if (!leafInfo) return null;
  const now = options.now;
  const parsed = infos.map((info) => parsePem(info.pem));
  const leaf = parsed[0] ?? null;

  const notAfter = leaf ? leaf.validToDate.getTime() : Date.parse(leafInfo.notAfter);
  const expired = Number.isFinite(notAfter) ? notAfter < now.getTime() : leafInfo.daysLeft < 0;
  const daysLeft = Number.isFinite(notAfter) ? Math.floor((notAfter - now.getTime()) / DAY_MS) : leafInfo.daysLeft;

  const hostname = options.hostname ?? scan.target?.sni ?? scan.target?.host ?? '';
  const hostnameMatch = hostname !== '' && hostMatches(hostname, leaf, leafInfo);

  let trusted = false;
  let trustError: string | null = null;
  const certs = parsed.filter((cert): cert is X509Certificate => cert !== null);
  if (!leaf) {
    trustError = 'the certificate could not be parsed';
  } else {
    let extra: X509Certificate[] = [];
    let caFileNote = '';
    if (options.caFile !== undefined) {
      try {
        extra = parsePemBundle(readFileSync(options.caFile, 'utf8'));
        caFileNote = extra.length === 0 ? ` (the CA file ${options.caFile} holds no certificate)` : ` or the CA file`;
      } catch (error) {
        caFileNote = ` (the CA file ${options.caFile} could not be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
      }
    }
    const store = merge(defaultRoots(), extra);
    // Certificates that did not parse are left out of path building; the leaf is first.
    trustError = verifyPath([leaf, ...certs.slice(1)], store, now, caFileNote);
    trusted = trustError === null;
  }

  let chainInOrder = true;
  for (let index = 0; index + 1 < parsed.length; index++) {
    const cert = parsed[index];
    const issuer = parsed[index + 1];
    if (!cert || !issuer) {
      // Unparsable: judge by names.
      if (infos[index]!.issuer !== infos[index + 1]!.subject) chainInOrder = false;
      continue;
    }
    if (!cert.checkIssued(issuer)) chainInOrder = false;
  }

  const weakKey = infos.some((info, index) => (index === 0 || !isSelfSigned(info, parsed[index] ?? null)) && isWeakKey(info));
  const weakSignature = infos.some((info, index) => {
    if (isSelfSigned(info, parsed[index] ?? null)) return false; // a root's (or self-signed leaf's) own signature is never checked
    const algorithm = parsed[index]?.signatureAlgorithm ?? info.signatureAlgorithm ?? '';
    return isWeakSignature(algorithm);
  });

  return { expired, daysLeft, hostnameMatch, trusted, trustError, chainInOrder, weakKey, weakSignature };
}
