import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  disclosedVersions,
  evaluateCsp,
  extractMetaPolicies,
  parseCsp,
  parseFrameOptions,
  parseHsts,
  parseProductTokens,
  parseReferrerPolicy,
  parseSetCookie,
} from './parsers.js';

/** Any string, plus strings built from the characters the parsers split on. */
const headerish = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc
    .array(fc.constantFrom(';', ',', '=', '"', "'", '(', ')', '/', ' ', '\t', 'max-age', '1', '9.4', 'Secure', 'script-src', "'unsafe-inline'", '*', 'Jetty', '<meta', '>', 'http-equiv', 'content'), {
      maxLength: 60,
    })
    .map((parts) => parts.join('')),
);

describe('header parsers never throw', () => {
  it('parseCsp and evaluateCsp', () => {
    fc.assert(
      fc.property(headerish, fc.boolean(), (value, meta) => {
        const policies = parseCsp(value, meta ? 'meta' : 'header');
        const evaluation = evaluateCsp(policies);
        expect(evaluation.present).toBe(policies.some((p) => p.valid));
        for (const policy of policies) expect(policy.directives.size).toBeGreaterThan(0);
      }),
    );
  });

  it('parseHsts: a valid policy always has a non-negative safe-integer max-age', () => {
    fc.assert(
      fc.property(headerish, (value) => {
        const hsts = parseHsts(value);
        if (hsts.valid) {
          expect(Number.isSafeInteger(hsts.maxAge)).toBe(true);
          expect(hsts.maxAge).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });

  it('parseHsts round-trips generated policies', () => {
    fc.assert(
      fc.property(fc.nat(), fc.boolean(), fc.boolean(), (maxAge, sub, preload) => {
        const text = [`max-age=${maxAge}`, ...(sub ? ['includeSubDomains'] : []), ...(preload ? ['preload'] : [])].join('; ');
        expect(parseHsts(text)).toEqual({ valid: true, maxAge, includeSubDomains: sub, preload, problems: [] });
      }),
    );
  });

  it('parseSetCookie never keeps the value', () => {
    fc.assert(
      fc.property(headerish, fc.stringMatching(/^[A-Za-z0-9]{12,20}$/), (attributes, secret) => {
        const cookie = parseSetCookie(`name=${secret}; ${attributes}`);
        expect(cookie?.name).toBe('name');
        expect(JSON.stringify(cookie)).not.toContain(secret);
        parseSetCookie(attributes);
      }),
    );
  });

  it('parseProductTokens and disclosedVersions: versions are numeric', () => {
    fc.assert(
      fc.property(headerish, (value) => {
        for (const token of parseProductTokens(value)) if (token.version !== null) expect(token.version).toMatch(/^\d+(\.\d+)*$/);
        for (const d of disclosedVersions({ server: [value], 'x-powered-by': [value], 'x-aspnet-version': [value] })) expect(d.version).toMatch(/^\d+(\.\d+)*$/);
      }),
    );
  });

  it('referrer, frame options and <meta> extraction', () => {
    fc.assert(
      fc.property(headerish, (value) => {
        parseReferrerPolicy(value);
        parseFrameOptions([value, value]);
        const meta = extractMetaPolicies(value);
        expect(Array.isArray(meta.csp)).toBe(true);
      }),
    );
  });
});
