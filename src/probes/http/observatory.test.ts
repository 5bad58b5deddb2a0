import { describe, expect, it } from 'vitest';
import { assess, collectCookies, type GradeInput, gradeOf, scoreOf } from './observatory.js';

const hardened: Record<string, string[]> = {
  'strict-transport-security': ['max-age=63072000; includeSubDomains; preload'],
  'content-security-policy': ["default-src 'none'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"],
  'x-content-type-options': ['nosniff'],
  'x-frame-options': ['DENY'],
  'referrer-policy': ['strict-origin-when-cross-origin'],
  'permissions-policy': ['camera=()'],
};

const input = (extra: Partial<GradeInput> = {}): GradeInput => ({
  https: true,
  headers: hardened,
  html: null,
  cookies: [],
  tlsVerified: true,
  redirect: { kind: 'to-https', from: 'http://a.example/', firstLocation: 'https://a.example/', note: 'redirects' },
  ...extra,
});

const rules = (a: ReturnType<typeof assess>): string[] => a.issues.map((i) => `${i.rule}${i.evidence ? `:${i.evidence}` : ''}`).sort();
const result = (a: ReturnType<typeof assess>, id: string) => a.tests.find((t) => t.id === id);

describe('score and grade', () => {
  it("follows Observatory's grade table", () => {
    expect([135, 100, 99, 90, 85, 84, 80, 70, 65, 60, 50, 45, 40, 30, 25, 24, 0].map(gradeOf)).toEqual(['A+', 'A+', 'A', 'A', 'A-', 'B+', 'B+', 'B', 'B-', 'C+', 'C', 'C-', 'D+', 'D', 'D-', 'F', 'F']);
  });

  it('gives bonuses only while the score after penalties is 90 or more, and never goes below 0', () => {
    expect(scoreOf([5, 5, -10])).toBe(100);
    expect(scoreOf([5, 5, -15])).toBe(85);
    expect(scoreOf([-25, -20, -20, -20, -20, -5, 5])).toBe(0);
  });
});

describe('assess', () => {
  it('finds nothing on a hardened response and gives every bonus', () => {
    const a = assess(input({ cookies: collectCookies([{ https: true, setCookies: ['__Host-sid=x; Path=/; Secure; HttpOnly; SameSite=Lax'] }]) }));
    expect(a.issues).toEqual([]);
    expect(a.score).toBe(130);
    expect(a.grade).toBe('A+');
    expect(a.tests.every((t) => t.pass)).toBe(true);
  });

  it('finds every rule on a careless response', () => {
    const a = assess(
      input({
        headers: { server: ['nginx/1.18.0'], 'x-powered-by': ['PHP/7.4.3'] },
        cookies: collectCookies([{ https: true, setCookies: ['sessionid=abc', 'theme=dark'] }]),
        tlsVerified: false,
        redirect: { kind: 'missing', from: 'http://a.example/', firstLocation: null, note: 'answers 200' },
      }),
    );
    expect(rules(a)).toEqual([
      'cookie-insecure:sessionid',
      'cookie-insecure:theme',
      'csp-missing',
      'framing-allowed',
      'hsts-missing',
      'no-https-redirect',
      'nosniff-missing',
      'permissions-policy-missing',
      'referrer-policy-missing',
      'version-disclosure:server:nginx',
      'version-disclosure:x-powered-by:php',
    ]);
    expect(a.issues.find((i) => i.evidence === 'sessionid')?.severity).toBe('high');
    expect(a.issues.find((i) => i.evidence === 'theme')?.severity).toBe('medium');
    expect(a.score).toBe(0);
    expect(a.grade).toBe('F');
    expect(a.disclosedComponents.map((c) => [c.product, c.version])).toEqual([
      ['nginx', '1.18.0'],
      ['php', '7.4.3'],
    ]);
  });

  it('grades HSTS: weak, zero, invalid, and ignored over an unverified certificate', () => {
    const weak = assess(input({ headers: { ...hardened, 'strict-transport-security': ['max-age=86400'] } }));
    expect(result(weak, 'strict-transport-security')).toMatchObject({ result: 'hsts-implemented-max-age-less-than-six-months', modifier: -10 });
    expect(weak.issues.map((i) => [i.rule, i.severity])).toEqual([['hsts-weak', 'low']]);
    const zero = assess(input({ headers: { ...hardened, 'strict-transport-security': ['max-age=0'] } }));
    expect(zero.issues.map((i) => [i.rule, i.severity])).toEqual([['hsts-weak', 'medium']]);
    const invalid = assess(input({ headers: { ...hardened, 'strict-transport-security': ['includeSubDomains'] } }));
    expect(invalid.issues.map((i) => [i.rule, i.data.reason])).toEqual([['hsts-missing', 'invalid']]);
    const unverified = assess(input({ tlsVerified: false }));
    expect(result(unverified, 'strict-transport-security')).toMatchObject({ result: 'hsts-invalid-cert', modifier: -20 });
    expect(unverified.issues).toEqual([]);
    const plain = assess(input({ https: false, redirect: null }));
    expect(result(plain, 'strict-transport-security')).toMatchObject({ result: 'hsts-not-implemented-no-https', modifier: -20 });
    expect(plain.issues).toEqual([]);
  });

  it('grades CSP by its worst weakness and reports each weakness', () => {
    const a = assess(input({ headers: { ...hardened, 'content-security-policy': ["default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; object-src 'none'; frame-ancestors 'none'"] } }));
    expect(result(a, 'content-security-policy')).toMatchObject({ result: 'csp-implemented-with-unsafe-inline', modifier: -20 });
    expect(a.issues.map((i) => [i.evidence, i.severity])).toEqual([
      ['script-unsafe-inline', 'high'],
      ['script-unsafe-eval', 'medium'],
      ['base-uri-missing', 'low'],
    ]);
    const reportOnly = assess(input({ headers: { ...hardened, 'content-security-policy': [], 'content-security-policy-report-only': ["default-src 'self'"] } }));
    expect(reportOnly.issues.map((i) => [i.rule, i.data.reportOnly])).toEqual([['csp-missing', true]]);
  });

  it('accepts a CSP <meta> in the HTML', () => {
    const { 'content-security-policy': _, ...rest } = hardened;
    const a = assess(input({ headers: rest, html: `<head><meta http-equiv="Content-Security-Policy" content="default-src 'self'; object-src 'none'; base-uri 'none'"></head>` }));
    expect(result(a, 'content-security-policy')).toMatchObject({ result: 'csp-implemented-with-no-unsafe', modifier: 5, note: 'via <meta>' });
    // frame-ancestors cannot be set in <meta>, X-Frame-Options covers framing.
    expect(rules(a)).toEqual(['csp-unsafe:frame-ancestors-missing']);
    expect(result(a, 'x-frame-options')).toMatchObject({ result: 'x-frame-options-sameorigin-or-deny', pass: true });
  });

  it('grades cookies like Observatory: HSTS softens a missing Secure', () => {
    const cookies = (line: string) => collectCookies([{ https: true, setCookies: [line] }]);
    const sessionNoSecure = assess(input({ cookies: cookies('sessionid=x; HttpOnly; SameSite=Lax') }));
    expect(result(sessionNoSecure, 'cookies')).toMatchObject({ result: 'cookies-session-without-secure-flag-but-protected-by-hsts', modifier: -10 });
    expect(sessionNoSecure.issues.map((i) => i.severity)).toEqual(['medium']);
    const noHttpOnly = assess(input({ cookies: cookies('auth_token=x; Secure; SameSite=Strict') }));
    expect(result(noHttpOnly, 'cookies')).toMatchObject({ result: 'cookies-session-without-httponly-flag', modifier: -30 });
    const noSameSite = assess(input({ cookies: cookies('theme=x; Secure') }));
    expect(result(noSameSite, 'cookies')).toMatchObject({ result: 'cookies-secure-with-httponly-sessions', modifier: 0, pass: true });
    expect(noSameSite.issues.map((i) => [i.rule, i.severity, i.data.missing])).toEqual([['cookie-insecure', 'low', ['SameSite']]]);
    const overHttp = assess(input({ https: false, redirect: null, cookies: collectCookies([{ https: false, setCookies: ['theme=x; SameSite=Lax'] }]) }));
    expect(overHttp.issues.filter((i) => i.rule === 'cookie-insecure')).toEqual([]);
  });

  it('grades the HTTP redirect', () => {
    const kinds = ['to-https', 'no-http', 'off-host', 'initial-not-https', 'not-to-https', 'missing', 'unknown'] as const;
    const out = kinds.map((kind) => {
      const a = assess(input({ redirect: { kind, from: 'http://a.example/', firstLocation: null, note: kind } }));
      return [kind, result(a, 'redirection')?.modifier, a.issues.find((i) => i.rule === 'no-https-redirect')?.severity ?? null];
    });
    expect(out).toEqual([
      ['to-https', 0, null],
      ['no-http', 0, null],
      ['off-host', -5, 'low'],
      ['initial-not-https', -10, 'low'],
      ['not-to-https', -20, 'medium'],
      ['missing', -20, 'medium'],
      ['unknown', 0, null],
    ]);
    expect(result(assess(input({ redirect: null })), 'redirection')).toBeUndefined();
  });

  it('treats ALLOW-FROM as no protection and reads the referrer <meta>', () => {
    const { 'content-security-policy': _, ...rest } = hardened;
    const a = assess(input({ headers: { ...rest, 'content-security-policy': ["default-src 'self'; base-uri 'none'"], 'x-frame-options': ['ALLOW-FROM https://b.example'], 'referrer-policy': [] } }));
    expect(rules(a)).toContain('framing-allowed');
    const meta = assess(input({ headers: { ...hardened, 'referrer-policy': undefined as never }, html: '<meta name="referrer" content="unsafe-url">' }));
    expect(meta.issues.map((i) => [i.rule, i.data.verdict])).toEqual([['referrer-policy-missing', 'unsafe']]);
  });
});
