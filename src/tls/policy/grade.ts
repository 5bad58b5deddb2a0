/**
 * A letter grade for a scan, in the spirit of SSL Labs' SSL Server Rating Guide (not SSL Labs
 * itself): a 0–100 score from protocol support (30 %), key exchange (30 %) and cipher strength
 * (40 %), then caps for known weaknesses. Every rule is in readme.md ("Grading"); keep both in step.
 */
import { PROTOCOLS, type CertificateAssessment, type CipherResult, type Grade, type ProtocolName, type TlsScan } from '../model.js';
import { certificateKeyStrength, dhParamBits, ecToRsaBits, groupTraits, suiteTraits, type SuiteTraits } from './ciphers.js';

export interface GradeResult {
  grade: Grade;
  /** 0–100; lowered to the top of the grade's band when a cap applies ({@link BAND_TOP}). */
  score: number;
  /** Every rule that applied, in words, with the grade it caps at. */
  caps: string[];
}

/** Grades from best to worst, T and M (certificate problems) aside. */
export const GRADE_ORDER: readonly Grade[] = ['A+', 'A', 'A-', 'B', 'C', 'D', 'E', 'F'];

/** The highest score each letter can carry; a capped score is lowered to it. T and M carry F's. */
export const BAND_TOP: Record<Grade, number> = { 'A+': 100, A: 100, 'A-': 100, B: 79, C: 64, D: 49, E: 34, F: 19, T: 19, M: 19 };

/** Protocol support: the average of the best and the worst protocol's score. */
export const PROTOCOL_SCORE: Record<ProtocolName, number> = { SSLv2: 0, SSLv3: 80, 'TLSv1.0': 90, 'TLSv1.1': 95, 'TLSv1.2': 100, 'TLSv1.3': 100 };

/** Key exchange strength score for a key or group of `bits` RSA-equivalent bits. */
export function keyExchangeScore(bits: number): number {
  if (bits < 512) return 20;
  if (bits < 1024) return 40;
  if (bits < 2048) return 80;
  if (bits < 4096) return 90;
  return 100;
}

/** Cipher strength score for `bits` bits of effective encryption strength. */
export function cipherStrengthScore(bits: number): number {
  if (bits <= 0) return 0;
  if (bits < 128) return 20;
  if (bits < 256) return 80;
  return 100;
}

/** The letter a score earns before caps. */
export function letterForScore(score: number): Grade {
  if (score >= 80) return 'A';
  if (score >= 65) return 'B';
  if (score >= 50) return 'C';
  if (score >= 35) return 'D';
  if (score >= 20) return 'E';
  return 'F';
}

function rank(grade: Grade): number {
  const index = GRADE_ORDER.indexOf(grade);
  return index < 0 ? GRADE_ORDER.length : index;
}

/** The worse of two letter grades (A+ … F). */
function worse(a: Grade, b: Grade): Grade {
  return rank(a) >= rank(b) ? a : b;
}

interface Suite {
  cipher: CipherResult;
  traits: SuiteTraits;
}

function label(suite: Suite): string {
  return typeof suite.cipher.name === 'string' && suite.cipher.name !== '' ? suite.cipher.name : String(suite.cipher.code);
}

function names(suites: Suite[], limit = 4): string {
  const unique = [...new Set(suites.map(label))];
  return unique.length <= limit ? unique.join(', ') : `${unique.slice(0, limit).join(', ')} and ${unique.length - limit} more`;
}

interface Cap {
  limit: Grade;
  text: string;
}

/**
 * Grades `scan`; `certificate` (from `assessCertificate`) adds the trust rules (T, M). Never
 * throws on a well-typed scan, however odd its contents.
 */
export function gradeScan(scan: TlsScan, certificate: CertificateAssessment | null): GradeResult {
  const supported = PROTOCOLS.filter((protocol) => scan.protocols?.[protocol] === true);
  const suites: Suite[] = (scan.ciphers ?? []).map((cipher) => ({ cipher, traits: suiteTraits(cipher) }));
  const caps: Cap[] = [];
  const minor: string[] = [];

  if (supported.length === 0) {
    return { grade: 'F', score: 0, caps: ['no SSL or TLS protocol could be negotiated → F'] };
  }

  // ── Score ──────────────────────────────────────────────────────────────────────────────────
  const protocolScores = supported.map((protocol) => PROTOCOL_SCORE[protocol]);
  const protocolScore = (Math.max(...protocolScores) + Math.min(...protocolScores)) / 2;

  const leaf = scan.chain?.[0];
  const leafStrength = leaf ? certificateKeyStrength(leaf) : null;
  const dh = dhParamBits(scan);
  const kxScores: number[] = [];
  if (leafStrength !== null) kxScores.push(keyExchangeScore(leafStrength));
  if (dh !== null) kxScores.push(keyExchangeScore(dh));
  const ecBits = (scan.groups ?? [])
    .map(groupTraits)
    .filter((group) => (group.kind === 'ec' || group.kind === 'hybrid') && group.bits !== null)
    .map((group) => group.bits!);
  if (ecBits.length > 0) kxScores.push(keyExchangeScore(ecToRsaBits(Math.min(...ecBits))));
  for (const suite of suites) {
    if (suite.traits.anonymous) kxScores.push(0);
    else if (suite.traits.export) kxScores.push(40);
  }
  // Nothing known about the key exchange: count it as a 2048-bit RSA key would.
  const kxScore = kxScores.length > 0 ? Math.min(...kxScores) : 90;

  const strengths = suites.filter((suite) => suite.traits.bits !== null).map((suite) => cipherStrengthScore(suite.traits.bits!));
  const cipherScore = strengths.length > 0 ? (Math.max(...strengths) + Math.min(...strengths)) / 2 : 0;
  if (suites.length === 0) caps.push({ limit: 'F', text: 'no cipher suite could be enumerated, so cipher strength is unknown' });

  let score = Math.round(0.3 * protocolScore + 0.3 * kxScore + 0.4 * cipherScore);
  score = Math.max(0, Math.min(100, score));

  // ── Caps ───────────────────────────────────────────────────────────────────────────────────
  const has = (protocol: ProtocolName) => supported.includes(protocol);
  const where = (predicate: (traits: SuiteTraits, cipher: CipherResult) => boolean) => suites.filter((suite) => predicate(suite.traits, suite.cipher));

  if (has('SSLv2')) caps.push({ limit: 'F', text: 'SSLv2 supported' });
  const exportSuites = where((traits) => traits.export);
  if (exportSuites.length > 0) caps.push({ limit: 'F', text: `export cipher suites: ${names(exportSuites)}` });
  const nullSuites = where((traits) => traits.nullCipher);
  if (nullSuites.length > 0) caps.push({ limit: 'F', text: `NULL (unencrypted) cipher suites: ${names(nullSuites)}` });
  const anonSuites = where((traits) => traits.anonymous);
  if (anonSuites.length > 0) caps.push({ limit: 'F', text: `anonymous (unauthenticated) cipher suites: ${names(anonSuites)}` });
  const tinySuites = where((traits) => !traits.nullCipher && !traits.export && traits.bits !== null && traits.bits < 112);
  if (tinySuites.length > 0) caps.push({ limit: 'F', text: `cipher suites under 112 bits (single DES, 40–64-bit RC2/RC4): ${names(tinySuites)}` });
  if (leaf && leafStrength !== null && leafStrength < 1024) caps.push({ limit: 'F', text: `certificate key too weak (${leaf.keyType} ${leaf.keyBits ?? '?'} bits, under 1024-bit RSA strength)` });
  if (dh !== null && dh < 1024) caps.push({ limit: 'F', text: `DH parameters of ${dh} bits (under 1024)` });

  if (has('SSLv3')) caps.push({ limit: 'C', text: 'SSLv3 supported' });
  const rc4Or3desModern = where((traits, cipher) => (traits.enc === 'RC4' || traits.enc === '3DES') && (cipher.protocol === 'TLSv1.1' || cipher.protocol === 'TLSv1.2'));
  if (rc4Or3desModern.length > 0) caps.push({ limit: 'C', text: `RC4 or 3DES with TLS 1.1 or later: ${names(rc4Or3desModern)}` });
  const legacyProtocols = supported.filter((protocol) => protocol !== 'TLSv1.3' && protocol !== 'SSLv2');
  if (scan.features?.compression === true) caps.push({ limit: 'C', text: 'TLS compression enabled (CRIME)' });
  if (scan.features?.secureRenegotiation === false && legacyProtocols.length > 0) caps.push({ limit: 'C', text: 'no secure renegotiation (RFC 5746)' });

  const oldTls = supported.filter((protocol) => protocol === 'TLSv1.0' || protocol === 'TLSv1.1');
  if (oldTls.length > 0) caps.push({ limit: 'B', text: `${oldTls.join(' and ')} supported` });
  const rc4 = where((traits) => traits.enc === 'RC4');
  if (rc4.length > 0) caps.push({ limit: 'B', text: `RC4 cipher suites: ${names(rc4)}` });
  const forwardSecret = has('TLSv1.3') || suites.some((suite) => suite.traits.forwardSecrecy);
  if (!forwardSecret && suites.length > 0) caps.push({ limit: 'B', text: 'no forward secrecy (no ECDHE or DHE suite, no TLS 1.3)' });
  const aead = has('TLSv1.3') || suites.some((suite) => suite.traits.aead);
  if (!aead && suites.length > 0) caps.push({ limit: 'B', text: 'no AEAD cipher suite (GCM, CCM, ChaCha20-Poly1305)' });
  if (leaf && leafStrength !== null && leafStrength >= 1024 && leafStrength < 2048) {
    caps.push({ limit: 'B', text: `certificate key under 2048-bit RSA strength (${leaf.keyType} ${leaf.keyBits ?? '?'} bits)` });
  } else if (certificate?.weakKey && !(leafStrength !== null && leafStrength < 1024)) {
    caps.push({ limit: 'B', text: 'weak key in the certificate chain (RSA under 2048 bits, EC under 256 bits, or DSA)' });
  }
  if (dh !== null && dh >= 1024 && dh < 2048) caps.push({ limit: 'B', text: `DH parameters of ${dh} bits (under 2048)` });

  if (!has('TLSv1.3')) minor.push('TLS 1.3 not supported');
  const cbc12 = where((traits, cipher) => cipher.protocol === 'TLSv1.2' && !traits.aead);
  if (cbc12.length > 0) minor.push(`non-AEAD (CBC) suites on TLS 1.2: ${names(cbc12)}`);

  // ── Letter ─────────────────────────────────────────────────────────────────────────────────
  let letter = letterForScore(score);
  for (const cap of caps) letter = worse(letter, cap.limit);
  if (letter === 'A') {
    const allForwardSecret = suites.every((suite) => suite.traits.forwardSecrecy);
    const allAead = suites.every((suite) => suite.traits.aead);
    const onlyModern = supported.every((protocol) => protocol === 'TLSv1.2' || protocol === 'TLSv1.3');
    if (minor.length > 0) letter = 'A-';
    else if (has('TLSv1.3') && allForwardSecret && allAead && onlyModern) letter = 'A+';
  }
  score = Math.min(score, BAND_TOP[letter]);

  const lines = caps.map((cap) => `${cap.text} → max ${cap.limit}`);
  for (const text of minor) lines.push(`${text} → max A-`);

  // ── Certificate (trust) ────────────────────────────────────────────────────────────────────
  if (certificate) {
    const otherwise = letter;
    const trust: string[] = [];
    if (certificate.expired) trust.push(`certificate expired ${-certificate.daysLeft} day(s) ago`);
    if (!certificate.trusted) trust.push(`certificate not trusted: ${certificate.trustError ?? 'unknown reason'}`);
    if (certificate.weakSignature) trust.push('certificate chain signed with MD5 or SHA-1, which clients reject');
    if (trust.length > 0) {
      for (const text of trust) lines.push(`${text} → T (${otherwise} if trust issues are ignored)`);
      letter = 'T';
    }
    if (!certificate.hostnameMatch) {
      lines.push(`certificate does not match the host name → ${letter === 'T' ? 'T' : 'M'} (${otherwise} if trust issues are ignored)`);
      if (letter !== 'T') letter = 'M';
    }
    if (letter === 'T' || letter === 'M') score = Math.min(score, BAND_TOP[letter]);
  }
  return { grade: letter, score, caps: lines };
}
