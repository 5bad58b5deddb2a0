import { describe, expect, it } from 'vitest';
import {
  disclosedVersions,
  evaluateCsp,
  extractMetaPolicies,
  isNosniff,
  parseCsp,
  parseFrameOptions,
  parseHsts,
  parseProductTokens,
  parseReferrerPolicy,
  parseSetCookie,
} from './parsers.js';

const weaknesses = (header: string, meta: string[] = []): string[] =>
  evaluateCsp([...parseCsp(header, 'header'), ...meta.flatMap((m) => parseCsp(m, 'meta'))])
    .weaknesses.map((w) => w.id)
    .sort();

describe('parseCsp and evaluateCsp', () => {
  it('parses directives, lower-cases names, keeps the first of duplicates and splits policies on commas', () => {
    const [first, second] = parseCsp("Default-Src 'self'; script-src a.example; script-src 'none', img-src *");
    expect(first?.directives.get('default-src')).toEqual(["'self'"]);
    expect(first?.directives.get('script-src')).toEqual(['a.example']);
    expect(second?.directives.get('img-src')).toEqual(['*']);
  });

  it('finds nothing wrong with a strict policy', () => {
    const csp = evaluateCsp(parseCsp("default-src 'none'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"));
    expect(csp).toMatchObject({ present: true, invalid: false, weaknesses: [], defaultSrcNone: true, frameAncestorsRestricts: true });
  });

  it("flags 'unsafe-inline' unless a nonce or hash disables it, and 'unsafe-eval'", () => {
    expect(weaknesses("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'")).toEqual([
      'script-unsafe-eval',
      'script-unsafe-inline',
    ]);
    expect(weaknesses("script-src 'unsafe-inline' 'nonce-abc' 'strict-dynamic'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")).toEqual([]);
  });

  it('flags wildcards and plain http: in script-src, falling back to default-src, unless strict-dynamic', () => {
    expect(weaknesses("default-src * ; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")).toEqual(['script-wildcard']);
    expect(weaknesses("script-src https: data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")).toEqual(['script-wildcard']);
    expect(weaknesses("script-src http://cdn.example; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")).toEqual(['script-insecure-scheme']);
    expect(weaknesses("script-src 'nonce-x' 'strict-dynamic' https:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")).toEqual([]);
  });

  it('flags missing script and object restrictions, base-uri and frame-ancestors', () => {
    expect(weaknesses('img-src *')).toEqual(['base-uri-missing', 'frame-ancestors-missing', 'object-src-unrestricted', 'script-src-unrestricted']);
    expect(weaknesses("script-src 'self'; object-src *; default-src https:; base-uri 'none'; frame-ancestors 'none'")).toEqual(['default-src-wildcard', 'object-src-wildcard']);
    expect(weaknesses("default-src 'self'; img-src http:; base-uri 'none'; frame-ancestors 'none'")).toEqual(['passive-insecure-scheme']);
  });

  it('counts a weakness only when every enforced policy has it, and ignores frame-ancestors in <meta>', () => {
    expect(weaknesses("script-src 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'", ["script-src 'self'"])).toEqual([]);
    expect(weaknesses('', ["default-src 'self'; base-uri 'self'; frame-ancestors 'none'"])).toEqual(['frame-ancestors-missing']);
    const meta = evaluateCsp(parseCsp("default-src 'self'; frame-ancestors 'none'", 'meta'));
    expect(meta.frameAncestorsRestricts).toBe(false);
  });

  it('calls a policy without any known directive invalid, and no policy absent', () => {
    expect(evaluateCsp(parseCsp('foo bar; baz'))).toMatchObject({ present: false, invalid: true });
    expect(evaluateCsp(parseCsp(' ; , '))).toMatchObject({ present: false, invalid: false });
  });
});

describe('parseHsts', () => {
  it('reads max-age, includeSubDomains and preload, quoted or not, in any case', () => {
    expect(parseHsts('max-age=63072000; includeSubDomains; preload')).toEqual({ valid: true, maxAge: 63072000, includeSubDomains: true, preload: true, problems: [] });
    expect(parseHsts('MAX-AGE="31536000"')).toMatchObject({ valid: true, maxAge: 31536000, includeSubDomains: false });
  });

  it('is invalid without a numeric max-age or with a duplicate directive', () => {
    expect(parseHsts('includeSubDomains')).toMatchObject({ valid: false, problems: ['no max-age'] });
    expect(parseHsts('max-age=abc')).toMatchObject({ valid: false });
    expect(parseHsts('max-age=-1')).toMatchObject({ valid: false });
    expect(parseHsts('max-age=1; max-age=2')).toMatchObject({ valid: false });
    expect(parseHsts('max-age=99999999999999999999999').maxAge).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('parseSetCookie', () => {
  it('keeps the name and flags, never the value', () => {
    const cookie = parseSetCookie('sessionid=s3cr3t-value; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=60');
    expect(cookie).toEqual({ name: 'sessionid', secure: true, httpOnly: true, sameSite: 'lax', persistent: true, prefix: null, session: true, antiCsrf: false });
    expect(JSON.stringify(cookie)).not.toContain('s3cr3t');
  });

  it('recognises prefixes, anti-CSRF names, invalid SameSite and cookies without flags', () => {
    expect(parseSetCookie('__Host-id=1; Secure; Path=/')).toMatchObject({ prefix: '__Host-', secure: true });
    expect(parseSetCookie('csrftoken=x; SameSite=sometimes')).toMatchObject({ antiCsrf: true, sameSite: 'invalid' });
    expect(parseSetCookie('theme=dark')).toMatchObject({ name: 'theme', secure: false, httpOnly: false, sameSite: null, session: false, persistent: false });
    expect(parseSetCookie('PHPSESSID=abc')).toMatchObject({ session: true });
    expect(parseSetCookie('connect.sid=abc')).toMatchObject({ session: true });
  });

  it('gives a nameless cookie an empty name and ignores an empty line', () => {
    expect(parseSetCookie('justavalue; Secure')).toMatchObject({ name: '', secure: true });
    expect(parseSetCookie('=; Secure')).toBeNull();
    expect(parseSetCookie('')).toBeNull();
  });
});

describe('parseProductTokens and disclosedVersions', () => {
  it('reads product/version tokens and skips comments', () => {
    expect(parseProductTokens('Apache/2.4.41 (Ubuntu) OpenSSL/1.1.1f mod_wsgi/4.6.8 (nested (comment) here)')).toEqual([
      { name: 'Apache', version: '2.4.41', raw: 'Apache/2.4.41' },
      { name: 'OpenSSL', version: '1.1.1', raw: 'OpenSSL/1.1.1f' },
      { name: 'mod_wsgi', version: '4.6.8', raw: 'mod_wsgi/4.6.8' },
    ]);
    expect(parseProductTokens('nginx')).toEqual([{ name: 'nginx', version: null, raw: 'nginx' }]);
    expect(parseProductTokens('PHP/7.4.3-1ubuntu')).toEqual([{ name: 'PHP', version: '7.4.3', raw: 'PHP/7.4.3-1ubuntu' }]);
  });

  it("reads Jetty's Jetty(version) and Name Version pairs", () => {
    expect(parseProductTokens('Jetty(9.4.43.v20210629)')).toEqual([{ name: 'Jetty', version: '9.4.43', raw: 'Jetty/9.4.43.v20210629' }]);
    expect(parseProductTokens('Drupal 9 (https://www.drupal.org)')).toEqual([{ name: 'Drupal', version: '9', raw: 'Drupal 9' }]);
  });

  it('collects versions from Server, X-Powered-By, X-Generator and bare-version headers, not protocol levels', () => {
    const found = disclosedVersions({
      server: ['nginx/1.18.0'],
      'x-powered-by': ['PHP/7.4.3', 'Servlet/3.1'],
      'x-aspnet-version': ['4.0.30319'],
      'x-generator': ['WordPress 6.2'],
    });
    expect(found.map((d) => `${d.header} ${d.name} ${d.version}`)).toEqual([
      'server nginx 1.18.0',
      'x-powered-by PHP 7.4.3',
      'x-generator WordPress 6.2',
      'x-aspnet-version ASP.NET 4.0.30319',
    ]);
    expect(disclosedVersions({ server: ['cloudflare'], 'x-powered-by': ['Express'] })).toEqual([]);
  });
});

describe('other headers', () => {
  it('takes the last known Referrer-Policy token', () => {
    expect(parseReferrerPolicy('no-referrer, strict-origin-when-cross-origin')).toEqual({ policy: 'strict-origin-when-cross-origin', verdict: 'safe' });
    expect(parseReferrerPolicy('unsafe-url')).toEqual({ policy: 'unsafe-url', verdict: 'unsafe' });
    expect(parseReferrerPolicy('no-referrer-when-downgrade')).toMatchObject({ verdict: 'neutral' });
    expect(parseReferrerPolicy('bogus')).toEqual({ policy: null, verdict: 'invalid' });
  });

  it('reads X-Frame-Options and X-Content-Type-Options', () => {
    expect(parseFrameOptions(['DENY'])).toBe('deny');
    expect(parseFrameOptions(['sameorigin', 'SAMEORIGIN'])).toBe('sameorigin');
    expect(parseFrameOptions(['DENY', 'SAMEORIGIN'])).toBe('invalid');
    expect(parseFrameOptions(['ALLOW-FROM https://a.example'])).toBe('allow-from');
    expect(isNosniff(['NoSniff '])).toBe(true);
    expect(isNosniff(['sniff'])).toBe(false);
    expect(isNosniff([])).toBe(false);
  });
});

describe('extractMetaPolicies', () => {
  it('reads CSP and referrer <meta> tags in the head, decoding entities', () => {
    const html = `<!doctype html><html><head>
      <META HTTP-EQUIV="Content-Security-Policy" CONTENT="default-src 'self'; script-src &#39;self&#39;">
      <meta name=referrer content=no-referrer>
      <meta content='img-src *' http-equiv='content-security-policy'/>
      </head><body><meta http-equiv="Content-Security-Policy" content="ignored"></body></html>`;
    expect(extractMetaPolicies(html)).toEqual({ csp: ["default-src 'self'; script-src 'self'", 'img-src *'], referrer: 'no-referrer' });
  });

  it('copes with a quote that never closes and with no head', () => {
    expect(extractMetaPolicies('<meta http-equiv="content-security-policy" content="x')).toEqual({ csp: [], referrer: null });
    expect(extractMetaPolicies('')).toEqual({ csp: [], referrer: null });
  });
});
