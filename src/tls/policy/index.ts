/**
 * TLS policy: judges a {@link TlsScan} into a {@link TlsAssessment} — a grade in the spirit of SSL
 * Labs, a comparison with a Mozilla server-side TLS profile, and certificate checks. Pure apart
 * from reading the bundled guidelines, Node's CA store and the optional CA file.
 */
import type { TlsAssessment, TlsScan } from '../model.js';
import { assessCertificate } from './certificate.js';
import { gradeScan } from './grade.js';
import type { MozillaProfileName } from './guidelines.js';
import { assessMozilla } from './mozilla.js';

export { assessCertificate, isWeakSignature, matchesSubjectAltNames, parsePemBundle, type CertificateOptions } from './certificate.js';
export { BAND_TOP, cipherStrengthScore, GRADE_ORDER, gradeScan, keyExchangeScore, letterForScore, PROTOCOL_SCORE, type GradeResult } from './grade.js';
export { loadMozillaGuidelines, MOZILLA_PROFILES, MozillaGuidelinesError, mozillaProfile, PROFILE_VERSION, type MozillaGuidelines, type MozillaProfile, type MozillaProfileName } from './guidelines.js';
export { assessMozilla } from './mozilla.js';
export { groupTraits, suiteTraits, type GroupTraits, type SuiteTraits } from './ciphers.js';

export interface AssessOptions {
  /** The time certificates are judged at. */
  now: Date;
  /** Mozilla profile to compare with; `intermediate` when absent. */
  profile?: MozillaProfileName;
  /** PEM bundle of additional trusted roots. */
  caFile?: string;
  /** Name to check the certificate against; the SNI, else the target host, when absent. */
  hostname?: string | null;
}

/** Grade, Mozilla comparison and certificate checks of one scan. */
export function assessScan(scan: TlsScan, options: AssessOptions): TlsAssessment {
  const certificate = assessCertificate(scan, {
    now: options.now,
    ...(options.caFile !== undefined ? { caFile: options.caFile } : {}),
    hostname: options.hostname ?? null,
  });
  const { grade, score, caps } = gradeScan(scan, certificate);
  const mozilla = assessMozilla(scan, options.profile ?? 'intermediate');
  return { grade, score, caps, mozilla, certificate };
}
