import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CertificateAssessment, Grade } from '../model.js';
import { suiteTraits } from './ciphers.js';
import { assessCertificate } from './certificate.js';
import { BAND_TOP, cipherStrengthScore, GRADE_ORDER, gradeScan } from './grade.js';
import { MOZILLA_PROFILES } from './guidelines.js';
import { assessScan } from './index.js';
import { assessMozilla } from './mozilla.js';
import { certificateAssessmentArb, scanArb } from './test-support/arbitraries.js';

const BAND_BOTTOM: Record<Grade, number> = { 'A+': 80, A: 80, 'A-': 80, B: 65, C: 50, D: 35, E: 20, F: 0, T: 0, M: 0 };
const NOW = new Date('2026-05-01T12:00:00Z');

function rank(grade: Grade): number {
  return GRADE_ORDER.indexOf(grade);
}

/** Any weakness the grade can hold against a suite. */
function isWeak(name: Parameters<typeof suiteTraits>[0]): boolean {
  const traits = suiteTraits(name);
  return traits.export || traits.nullCipher || traits.anonymous || traits.enc === 'RC4' || traits.enc === '3DES' || (traits.bits !== null && traits.bits < 128) || !traits.forwardSecrecy || !traits.aead;
}

describe('grading properties', () => {
  it('never throws, and the score stays in the letter’s band', () => {
    fc.assert(
      fc.property(scanArb, fc.option(certificateAssessmentArb), (scan, certificate) => {
        const result = gradeScan(scan, certificate);
        expect(Number.isInteger(result.score)).toBe(true);
        expect(result.score).toBeGreaterThanOrEqual(BAND_BOTTOM[result.grade]);
        expect(result.score).toBeLessThanOrEqual(BAND_TOP[result.grade]);
        expect(result.caps.every((cap) => typeof cap === 'string' && cap.length > 0)).toBe(true);
        if (result.grade === 'A+') expect(result.caps).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('Mozilla comparison, certificate checks and the whole assessment never throw on arbitrary scans', () => {
    fc.assert(
      fc.property(scanArb, (scan) => {
        for (const profile of MOZILLA_PROFILES) {
          const result = assessMozilla(scan, profile);
          expect(result.compliant).toBe(result.deviations.length === 0);
        }
        const certificate = assessCertificate(scan, { now: NOW });
        expect(certificate === null).toBe(scan.chain.length === 0);
        const whole = assessScan(scan, { now: NOW, profile: 'old' });
        expect(whole.mozilla.profile).toBe('old');
      }),
      { numRuns: 300 },
    );
  });

  it('removing a weak suite never lowers the grade or the score', () => {
    // Excluded, as the rules say: removing the only forward-secret or the only AEAD suite (a B cap
    // appears), or the one strongest cipher (SSL Labs averages the strongest and the weakest).
    fc.assert(
      fc.property(scanArb, fc.option(certificateAssessmentArb), fc.nat(), (scan, certificate, pick) => {
        fc.pre(scan.ciphers.length > 1);
        const index = pick % scan.ciphers.length;
        const removed = scan.ciphers[index]!;
        fc.pre(isWeak(removed));
        const rest = scan.ciphers.filter((_, i) => i !== index);
        const traits = suiteTraits(removed);
        const restTraits = rest.map(suiteTraits);
        if (traits.forwardSecrecy) fc.pre(restTraits.some((t) => t.forwardSecrecy));
        if (traits.aead) fc.pre(restTraits.some((t) => t.aead));
        if (traits.bits !== null) fc.pre(restTraits.some((t) => t.bits !== null && cipherStrengthScore(t.bits) >= cipherStrengthScore(traits.bits!)));
        const before = gradeScan(scan, certificate);
        const after = gradeScan({ ...scan, ciphers: rest }, certificate);
        if (before.grade === 'T' || before.grade === 'M') {
          expect(after.grade).toBe(before.grade);
        } else {
          expect(rank(after.grade)).toBeLessThanOrEqual(rank(before.grade));
        }
        expect(after.score).toBeGreaterThanOrEqual(before.score);
      }),
      { numRuns: 1000 },
    );
  });

  it('adding SSLv2 gives F (unless a certificate problem gives T or M)', () => {
    const good: CertificateAssessment = { expired: false, daysLeft: 30, hostnameMatch: true, trusted: true, trustError: null, chainInOrder: true, weakKey: false, weakSignature: false };
    fc.assert(
      fc.property(scanArb, fc.option(fc.constant(good)), (scan, certificate) => {
        const result = gradeScan({ ...scan, protocols: { ...scan.protocols, SSLv2: true } }, certificate);
        expect(result.grade).toBe('F');
        expect(result.score).toBeLessThanOrEqual(BAND_TOP.F);
        expect(result.caps).toContain('SSLv2 supported → max F');
      }),
      { numRuns: 300 },
    );
  });

  it('a certificate problem always gives T or M, never a letter', () => {
    fc.assert(
      fc.property(scanArb, certificateAssessmentArb, (scan, certificate) => {
        const problem = certificate.expired || !certificate.trusted || certificate.weakSignature || !certificate.hostnameMatch;
        const result = gradeScan(scan, certificate);
        const protocols = Object.values(scan.protocols).some(Boolean);
        if (!protocols) expect(result.grade).toBe('F');
        else expect(result.grade === 'T' || result.grade === 'M').toBe(problem);
      }),
      { numRuns: 300 },
    );
  });
});
