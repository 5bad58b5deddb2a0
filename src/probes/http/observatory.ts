/**
 * Grades one HTTP response in the spirit of Mozilla's HTTP Observatory: every site starts at 100,
 * each test adds its modifier (penalties first; bonuses only when the score is still 90 or more),
 * the score never goes below 0, and the grade follows Observatory's table. The same judgement yields
 * the probe's findings (as {@link Issue}s), so score and findings never disagree. Differences from
 * Observatory are listed in the readme.
 */
import type { Severity } from '../../core/model.js';
import {
  type CookieFlags,
  disclosedVersions,
  evaluateCsp,
  extractMetaPolicies,
  type HeaderMap,
  isNosniff,
  parseCsp,
  parseFrameOptions,
  parseHsts,
  parseReferrerPolicy,
  parseSetCookie,
} from './parsers.js';
import { productOf, type DisclosedComponent } from './products.js';
import type { RuleName } from './rules.js';

/** Six months, the least max-age Observatory accepts. */
export const HSTS_MIN_MAX_AGE = 15_552_000;

export interface ObservatoryTest {
  /** The test (`strict-transport-security`, `cookies`…). */
  id: string;
  /** Observatory's result name (`hsts-implemented-max-age-less-than-six-months`). */
  result: string;
  pass: boolean;
  modifier: number;
  note: string;
}

/** What a rule found, before it becomes a finding; `evidence` tells apart findings of one rule on one endpoint. */
export interface Issue {
  rule: RuleName;
  severity: Severity;
  evidence: string;
  title: string;
  message: string;
  data: Record<string, unknown>;
}

/** A cookie as the facts show it: name and flags, never its value. */
export interface CookieFact extends CookieFlags {
  /** Set on a response that came over HTTPS. */
  https: boolean;
}

export type RedirectKind = 'to-https' | 'no-http' | 'off-host' | 'initial-not-https' | 'not-to-https' | 'missing' | 'unknown';

export interface RedirectCheck {
  kind: RedirectKind;
  /** The plain-HTTP URL that was asked. */
  from: string;
  /** Where its first redirect went, if anywhere. */
  firstLocation: string | null;
  note: string;
}

export interface GradeInput {
  /** The graded response came over HTTPS. */
  https: boolean;
  headers: HeaderMap;
  /** The HTML body (up to maxBodyBytes) for `<meta>` policies, or null. */
  html: string | null;
  /** Cookies set along the way (redirects included), last one per name. */
  cookies: CookieFact[];
  tlsVerified: boolean | null;
  /** Null when not checked. */
  redirect: RedirectCheck | null;
}

export interface Assessment {
  score: number;
  grade: string;
  tests: ObservatoryTest[];
  issues: Issue[];
  disclosedComponents: DisclosedComponent[];
}

/** Observatory's grade table: the lowest score of each grade. */
export const GRADES: ReadonlyArray<readonly [number, string]> = [
  [100, 'A+'],
  [90, 'A'],
  [85, 'A-'],
  [80, 'B+'],
  [70, 'B'],
  [65, 'B-'],
  [60, 'C+'],
  [50, 'C'],
  [45, 'C-'],
  [40, 'D+'],
  [30, 'D'],
  [25, 'D-'],
  [0, 'F'],
];

export function gradeOf(score: number): string {
  return GRADES.find(([min]) => score >= min)?.[1] ?? 'F';
}

/** Penalties first; bonuses count only while the score stays at 90 or more (Observatory's rule). */
export function scoreOf(modifiers: readonly number[]): number {
  const penalised = 100 + modifiers.filter((m) => m < 0).reduce((a, b) => a + b, 0);
  const bonus = penalised >= 90 ? modifiers.filter((m) => m > 0).reduce((a, b) => a + b, 0) : 0;
  return Math.max(0, penalised + bonus);
}

const cap = (text: string, length = 200): string => (text.length > length ? `${text.slice(0, length)}…` : text);

export function assess(input: GradeInput): Assessment {
  const tests: ObservatoryTest[] = [];
  const issues: Issue[] = [];
  const test = (id: string, result: string, pass: boolean, modifier: number, note: string): void => void tests.push({ id, result, pass, modifier, note });
  const h = input.headers;
  const meta = input.html === null ? { csp: [], referrer: null } : extractMetaPolicies(input.html);

  // --- Strict-Transport-Security
  const hstsValue = h['strict-transport-security']?.[0];
  const hsts = hstsValue === undefined ? null : parseHsts(hstsValue);
  // Cookies count as protected by HSTS when the HSTS test passes (Observatory's rule).
  const hstsEffective = input.https && hsts !== null && hsts.valid && (hsts.maxAge ?? 0) >= HSTS_MIN_MAX_AGE && input.tlsVerified !== false;
  if (!input.https) {
    test('strict-transport-security', 'hsts-not-implemented-no-https', false, -20, 'the response came over plain HTTP');
  } else if (hsts === null || !hsts.valid) {
    const reason = hsts === null ? 'absent' : 'invalid';
    test('strict-transport-security', hsts === null ? 'hsts-not-implemented' : 'hsts-header-invalid', false, -20, hsts === null ? 'no Strict-Transport-Security header' : `invalid: ${hsts.problems.join(', ')}`);
    issues.push({
      rule: 'hsts-missing',
      severity: 'medium',
      evidence: '',
      title: hsts === null ? 'No Strict-Transport-Security header' : 'Invalid Strict-Transport-Security header',
      message: hsts === null ? 'The HTTPS response sends no Strict-Transport-Security header.' : `Browsers ignore the Strict-Transport-Security header: ${hsts.problems.join(', ')}.`,
      data: { reason, ...(hstsValue === undefined ? {} : { value: cap(hstsValue), problems: hsts?.problems ?? [] }) },
    });
  } else {
    const maxAge = hsts.maxAge ?? 0;
    const details = { maxAge, includeSubDomains: hsts.includeSubDomains, preload: hsts.preload };
    if (input.tlsVerified === false) {
      test('strict-transport-security', 'hsts-invalid-cert', false, -20, 'browsers ignore HSTS sent over a connection whose certificate does not verify');
    } else if (maxAge < HSTS_MIN_MAX_AGE) {
      test('strict-transport-security', 'hsts-implemented-max-age-less-than-six-months', false, -10, `max-age=${maxAge}`);
    } else if (hsts.preload && hsts.includeSubDomains && maxAge >= 31_536_000) {
      test('strict-transport-security', 'hsts-preloaded', true, 5, 'preload-ready (max-age ≥ 1 year, includeSubDomains, preload); the preload list itself is not consulted');
    } else {
      test('strict-transport-security', 'hsts-implemented-max-age-at-least-six-months', true, 0, `max-age=${maxAge}${hsts.includeSubDomains ? '; includeSubDomains' : ''}${hsts.preload ? '; preload' : ''}`);
    }
    if (maxAge < HSTS_MIN_MAX_AGE) {
      issues.push({
        rule: 'hsts-weak',
        severity: maxAge === 0 ? 'medium' : 'low',
        evidence: '',
        title: maxAge === 0 ? 'HSTS max-age=0 turns HSTS off' : `HSTS max-age is ${maxAge} s, under six months`,
        message: maxAge === 0 ? 'Strict-Transport-Security: max-age=0 tells browsers to forget the host\'s HSTS policy.' : `Strict-Transport-Security max-age=${maxAge} is below ${HSTS_MIN_MAX_AGE} s (six months).`,
        data: details,
      });
    }
  }

  // --- Content-Security-Policy
  const headerPolicies = (h['content-security-policy'] ?? []).flatMap((value) => parseCsp(value, 'header'));
  const metaPolicies = meta.csp.flatMap((value) => parseCsp(value, 'meta'));
  const csp = evaluateCsp([...headerPolicies, ...metaPolicies]);
  const reportOnly = (h['content-security-policy-report-only'] ?? []).length > 0;
  const cspSource = headerPolicies.length > 0 ? (metaPolicies.length > 0 ? 'header and <meta>' : 'header') : '<meta>';
  if (!csp.present) {
    test('content-security-policy', csp.invalid ? 'csp-header-invalid' : 'csp-not-implemented', false, -25, csp.invalid ? 'no valid directive' : reportOnly ? 'only Content-Security-Policy-Report-Only (not enforced)' : 'no policy');
    issues.push({
      rule: 'csp-missing',
      severity: 'medium',
      evidence: '',
      title: csp.invalid ? 'Content-Security-Policy has no valid directive' : 'No Content-Security-Policy',
      message: csp.invalid
        ? 'The Content-Security-Policy sent has no directive browsers know, so nothing is restricted.'
        : `No Content-Security-Policy is enforced (header or <meta http-equiv>)${reportOnly ? '; a Report-Only policy only reports' : ''}.`,
      data: { invalid: csp.invalid, reportOnly },
    });
  } else {
    const ids = new Set(csp.weaknesses.map((w) => w.id));
    const unsafe = ['script-src-unrestricted', 'script-unsafe-inline', 'script-wildcard', 'object-src-unrestricted', 'object-src-wildcard'].some((id) => ids.has(id as never));
    const names = csp.weaknesses.filter((w) => w.severity !== 'low').map((w) => w.id).join(', ');
    if (unsafe) test('content-security-policy', 'csp-implemented-with-unsafe-inline', false, -20, names);
    else if (ids.has('script-insecure-scheme')) test('content-security-policy', 'csp-implemented-with-insecure-scheme', false, -20, names);
    else if (ids.has('script-unsafe-eval')) test('content-security-policy', 'csp-implemented-with-unsafe-eval', false, -10, names);
    else if (ids.has('passive-insecure-scheme')) test('content-security-policy', 'csp-implemented-with-insecure-scheme-in-passive-content-only', false, -10, 'images or media over http:');
    else if (csp.styleUnsafeInline) test('content-security-policy', 'csp-implemented-with-unsafe-inline-in-style-src-only', true, 0, `via ${cspSource}; inline styles allowed`);
    else if (csp.defaultSrcNone) test('content-security-policy', 'csp-implemented-with-no-unsafe-default-src-none', true, 10, `via ${cspSource}; default-src 'none'`);
    else test('content-security-policy', 'csp-implemented-with-no-unsafe', true, 5, `via ${cspSource}`);
    for (const weakness of csp.weaknesses) {
      issues.push({
        rule: 'csp-unsafe',
        severity: weakness.severity,
        evidence: weakness.id,
        title: `CSP: ${weakness.detail.split(' (')[0]}`,
        message: `The Content-Security-Policy (${cspSource}): ${weakness.detail}.`,
        data: { weakness: weakness.id, directive: weakness.directive, tokens: weakness.tokens.map((t) => cap(t, 100)).slice(0, 20), source: cspSource },
      });
    }
  }

  // --- X-Content-Type-Options
  const nosniffValues = h['x-content-type-options'] ?? [];
  if (isNosniff(nosniffValues)) {
    test('x-content-type-options', 'x-content-type-options-nosniff', true, 0, 'nosniff');
  } else {
    test('x-content-type-options', nosniffValues.length === 0 ? 'x-content-type-options-not-implemented' : 'x-content-type-options-header-invalid', false, -5, nosniffValues.length === 0 ? 'absent' : `value ${cap(nosniffValues.join(', '), 60)}`);
    issues.push({
      rule: 'nosniff-missing',
      severity: 'low',
      evidence: '',
      title: nosniffValues.length === 0 ? 'No X-Content-Type-Options: nosniff' : 'X-Content-Type-Options is not nosniff',
      message: nosniffValues.length === 0 ? 'The response has no X-Content-Type-Options header.' : `X-Content-Type-Options is "${cap(nosniffValues.join(', '), 60)}", not nosniff.`,
      data: { value: nosniffValues.length === 0 ? null : cap(nosniffValues.join(', '), 100) },
    });
  }

  // --- Framing: CSP frame-ancestors or X-Frame-Options
  const xfoValues = h['x-frame-options'] ?? [];
  const xfo = xfoValues.length === 0 ? null : parseFrameOptions(xfoValues);
  if (csp.frameAncestorsRestricts) {
    test('x-frame-options', 'x-frame-options-implemented-via-csp', true, 5, 'CSP frame-ancestors');
  } else if (xfo === 'deny' || xfo === 'sameorigin') {
    test('x-frame-options', 'x-frame-options-sameorigin-or-deny', true, 0, xfo.toUpperCase());
  } else {
    test('x-frame-options', xfo === null ? 'x-frame-options-not-implemented' : 'x-frame-options-header-invalid', false, -20, xfo === null ? 'no frame-ancestors and no X-Frame-Options' : `X-Frame-Options ${cap(xfoValues.join(', '), 60)}${xfo === 'allow-from' ? ' (ALLOW-FROM is ignored by current browsers)' : ''}`);
    issues.push({
      rule: 'framing-allowed',
      severity: 'medium',
      evidence: '',
      title: 'Any site can frame this page',
      message:
        xfo === null
          ? 'Neither CSP frame-ancestors nor X-Frame-Options restricts framing (clickjacking).'
          : `X-Frame-Options "${cap(xfoValues.join(', '), 60)}" does not restrict framing in current browsers, and CSP has no frame-ancestors.`,
      data: { xFrameOptions: xfoValues.length === 0 ? null : cap(xfoValues.join(', '), 100), frameAncestors: false },
    });
  }

  // --- Referrer-Policy (the header; a <meta name="referrer"> when there is none)
  const referrerValue = h['referrer-policy']?.join(', ') ?? meta.referrer;
  const referrer = referrerValue === null ? null : parseReferrerPolicy(referrerValue);
  if (referrer === null) {
    test('referrer-policy', 'referrer-policy-not-implemented', false, 0, 'absent');
  } else if (referrer.verdict === 'safe') {
    test('referrer-policy', 'referrer-policy-private', true, 5, referrer.policy ?? '');
  } else if (referrer.verdict === 'neutral') {
    test('referrer-policy', 'referrer-policy-no-referrer-when-downgrade', true, 0, referrer.policy ?? '');
  } else {
    test('referrer-policy', referrer.verdict === 'unsafe' ? 'referrer-policy-unsafe' : 'referrer-policy-header-invalid', false, -5, cap(referrerValue ?? '', 60));
  }
  if (referrer === null || referrer.verdict === 'unsafe' || referrer.verdict === 'invalid') {
    issues.push({
      rule: 'referrer-policy-missing',
      severity: 'low',
      evidence: '',
      title: referrer === null ? 'No Referrer-Policy' : `Referrer-Policy is ${referrer.verdict}`,
      message:
        referrer === null
          ? 'No Referrer-Policy: the browser default applies (strict-origin-when-cross-origin in current browsers, full URLs in old ones).'
          : `Referrer-Policy "${cap(referrerValue ?? '', 60)}" is ${referrer.verdict === 'unsafe' ? 'unsafe: it sends the origin or full URL across sites and to plain HTTP' : 'invalid: no value browsers know'}.`,
      data: { value: referrerValue === null ? null : cap(referrerValue, 100), verdict: referrer?.verdict ?? 'absent' },
    });
  }

  // --- Permissions-Policy (prodeng's, not scored)
  const permissions = (h['permissions-policy'] ?? []).join(', ').trim();
  if (permissions !== '') {
    test('permissions-policy', 'permissions-policy-implemented', true, 0, 'present (not scored by Observatory)');
  } else {
    test('permissions-policy', 'permissions-policy-not-implemented', false, 0, `absent${h['feature-policy'] ? ' (only the obsolete Feature-Policy)' : ''} (not scored by Observatory)`);
    issues.push({
      rule: 'permissions-policy-missing',
      severity: 'info',
      evidence: '',
      title: 'No Permissions-Policy',
      message: `The response has no Permissions-Policy header${h['feature-policy'] ? ' (Feature-Policy, its obsolete predecessor, is not read by current browsers)' : ''}.`,
      data: { featurePolicy: h['feature-policy'] !== undefined },
    });
  }

  // --- Cookies
  assessCookies(input, hstsEffective, test, issues);

  // --- Redirection from plain HTTP
  if (input.redirect !== null) assessRedirect(input.redirect, test, issues);

  // --- Version disclosure (prodeng's, not scored)
  const disclosures = disclosedVersions(h);
  const disclosedComponents = disclosures.map(productOf);
  if (disclosures.length === 0) {
    test('version-disclosure', 'version-not-disclosed', true, 0, 'no version in Server, X-Powered-By and similar headers (not scored by Observatory)');
  } else {
    test('version-disclosure', 'version-disclosed', false, 0, `${disclosures.map((d) => d.raw).join(', ')} (not scored by Observatory)`);
    const seen = new Set<string>();
    for (const [i, disclosure] of disclosures.entries()) {
      const evidence = `${disclosure.header}:${disclosure.name.toLowerCase()}`;
      if (seen.has(evidence)) continue;
      seen.add(evidence);
      const component = disclosedComponents[i];
      issues.push({
        rule: 'version-disclosure',
        severity: 'low',
        evidence,
        title: `${headerTitle(disclosure.header)} discloses ${disclosure.name} ${disclosure.version}`,
        message: `The ${headerTitle(disclosure.header)} header says "${cap(disclosure.raw, 100)}".`,
        data: { header: disclosure.header, name: disclosure.name, version: disclosure.version, product: component?.product ?? null },
      });
    }
  }

  const score = scoreOf(tests.map((t) => t.modifier));
  return { score, grade: gradeOf(score), tests, issues, disclosedComponents };
}

function headerTitle(header: string): string {
  return header
    .split('-')
    .map((part) => (part === 'x' ? 'X' : part === 'aspnet' ? 'AspNet' : part === 'aspnetmvc' ? 'AspNetMvc' : `${part.charAt(0).toUpperCase()}${part.slice(1)}`))
    .join('-');
}

type TestFn = (id: string, result: string, pass: boolean, modifier: number, note: string) => void;

function assessCookies(input: GradeInput, hsts: boolean, test: TestFn, issues: Issue[]): void {
  if (input.cookies.length === 0) {
    test('cookies', 'cookies-not-found', true, 0, 'no cookies set');
    return;
  }
  // Observatory reports the worst result over all cookies.
  const results: Array<[string, number]> = [];
  for (const cookie of input.cookies) {
    const missing: string[] = [];
    let severity: Severity = 'low';
    const raise = (to: Severity): void => {
      const order: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
      if (order.indexOf(to) > order.indexOf(severity)) severity = to;
    };
    const secureExpected = cookie.https && cookie.prefix === null;
    if (secureExpected && !cookie.secure) {
      missing.push('Secure');
      if (cookie.session) {
        results.push(hsts ? ['cookies-session-without-secure-flag-but-protected-by-hsts', -10] : ['cookies-session-without-secure-flag', -40]);
        raise(hsts ? 'medium' : 'high');
      } else {
        results.push(hsts ? ['cookies-without-secure-flag-but-protected-by-hsts', -5] : ['cookies-without-secure-flag', -20]);
        raise(hsts ? 'low' : 'medium');
      }
    }
    if (cookie.session && !cookie.httpOnly) {
      missing.push('HttpOnly');
      results.push(['cookies-session-without-httponly-flag', -30]);
      raise('high');
    }
    if (cookie.sameSite === 'invalid') {
      missing.push('SameSite (invalid value)');
      results.push(['cookies-samesite-flag-invalid', -20]);
      raise('medium');
    } else if (cookie.sameSite === null) {
      missing.push('SameSite');
      if (cookie.antiCsrf) {
        results.push(['cookies-anticsrf-without-samesite-flag', -20]);
        raise('medium');
      }
    }
    if (missing.length === 0) continue;
    issues.push({
      rule: 'cookie-insecure',
      severity,
      evidence: cookie.name,
      title: `Cookie ${cap(cookie.name, 60)} without ${missing.join(', ')}`,
      message: `${cookie.session ? 'Session-like cookie' : 'Cookie'} "${cap(cookie.name, 60)}" is set without ${missing.join(', ')}${cookie.https ? '' : ' (over plain HTTP)'}.`,
      data: { cookie: cookie.name, missing, session: cookie.session, secure: cookie.secure, httpOnly: cookie.httpOnly, sameSite: cookie.sameSite, hsts },
    });
  }
  const worst = results.sort((a, b) => a[1] - b[1])[0];
  if (worst !== undefined) {
    test('cookies', worst[0], false, worst[1], `${input.cookies.length} cookie${input.cookies.length === 1 ? '' : 's'}`);
  } else if (input.cookies.every((cookie) => cookie.sameSite !== null)) {
    test('cookies', 'cookies-secure-with-httponly-sessions-and-samesite', true, 5, `${input.cookies.length} cookie${input.cookies.length === 1 ? '' : 's'}, all with SameSite`);
  } else {
    test('cookies', 'cookies-secure-with-httponly-sessions', true, 0, 'some cookies without SameSite');
  }
}

function assessRedirect(redirect: RedirectCheck, test: TestFn, issues: Issue[]): void {
  const table: Record<RedirectKind, [string, boolean, number, Severity | null]> = {
    'to-https': ['redirection-to-https', true, 0, null],
    'no-http': ['redirection-not-needed-no-http', true, 0, null],
    'off-host': ['redirection-off-host-from-http', false, -5, 'low'],
    'initial-not-https': ['redirection-not-to-https-on-initial-redirection', false, -10, 'low'],
    'not-to-https': ['redirection-not-to-https', false, -20, 'medium'],
    missing: ['redirection-missing', false, -20, 'medium'],
    unknown: ['redirection-not-checked', true, 0, null],
  };
  const [result, pass, modifier, severity] = table[redirect.kind];
  test('redirection', result, pass, modifier, redirect.note);
  if (severity === null) return;
  const titles: Record<string, string> = {
    'off-host': 'HTTP redirects to another host before HTTPS',
    'initial-not-https': 'HTTP redirects to plain HTTP first',
    'not-to-https': 'HTTP redirects never reach HTTPS',
    missing: 'Plain HTTP does not redirect to HTTPS',
  };
  issues.push({
    rule: 'no-https-redirect',
    severity,
    evidence: '',
    title: titles[redirect.kind] ?? 'No redirect to HTTPS',
    message: `${redirect.from}: ${redirect.note}.`,
    data: { kind: redirect.kind, from: redirect.from, firstLocation: redirect.firstLocation },
  });
}

/** Cookies from `Set-Cookie` lines of the responses of a chain, last one per name. */
export function collectCookies(responses: ReadonlyArray<{ https: boolean; setCookies: readonly string[] }>): CookieFact[] {
  const byName = new Map<string, CookieFact>();
  for (const response of responses) {
    for (const line of response.setCookies) {
      const flags = parseSetCookie(line);
      if (flags !== null) byName.set(flags.name, { ...flags, https: response.https });
    }
  }
  return [...byName.values()].slice(0, 100);
}
