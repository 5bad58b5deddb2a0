/**
 * Parsers of the response headers (and the few `<meta>` tags) the http probe grades. Every input
 * is whatever a server chose to send: the parsers never throw, they return what they could read
 * and flag the rest as invalid.
 */

/** Response headers as Node gives them with `headersDistinct`: lower-cased names, one value per header line. */
export type HeaderMap = Record<string, string[]>;

const WS = /[\t\n\f\r ]+/;

// ---------------------------------------------------------------------------------------------
// Content-Security-Policy

export interface CspPolicy {
  /** Directive name (lower-cased) → its source expressions as written. The first of duplicates wins. */
  directives: Map<string, string[]>;
  /** `meta` policies ignore `frame-ancestors`, `report-uri` and `sandbox` (CSP3 §6.1). */
  source: 'header' | 'meta';
  /** False when none of its directives is one CSP defines. */
  valid: boolean;
}

const CSP_DIRECTIVES = new Set([
  'base-uri', 'block-all-mixed-content', 'child-src', 'connect-src', 'default-src', 'fenced-frame-src', 'font-src', 'form-action',
  'frame-ancestors', 'frame-src', 'img-src', 'manifest-src', 'media-src', 'navigate-to', 'object-src', 'plugin-types', 'prefetch-src',
  'report-to', 'report-uri', 'require-sri-for', 'require-trusted-types-for', 'sandbox', 'script-src', 'script-src-attr',
  'script-src-elem', 'style-src', 'style-src-attr', 'style-src-elem', 'trusted-types', 'upgrade-insecure-requests', 'webrtc', 'worker-src',
]);
const META_IGNORED = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

/**
 * Parses one serialized CSP list (a header value; several policies are separated by commas, as
 * when duplicate headers are joined). Policies without any directive are dropped, as browsers do.
 */
export function parseCsp(value: string, source: 'header' | 'meta' = 'header'): CspPolicy[] {
  const policies: CspPolicy[] = [];
  for (const serialized of String(value).split(',')) {
    const directives = new Map<string, string[]>();
    for (const part of serialized.split(';')) {
      const tokens = part.trim().split(WS).filter((token) => token !== '');
      const name = tokens[0]?.toLowerCase();
      if (name === undefined || !/^[a-z0-9-]+$/.test(name)) continue;
      if (source === 'meta' && META_IGNORED.has(name)) continue;
      if (!directives.has(name)) directives.set(name, tokens.slice(1));
    }
    if (directives.size === 0) continue;
    policies.push({ directives, source, valid: [...directives.keys()].some((name) => CSP_DIRECTIVES.has(name)) });
  }
  return policies;
}

export type CspWeaknessId =
  | 'script-src-unrestricted'
  | 'script-unsafe-inline'
  | 'script-wildcard'
  | 'script-insecure-scheme'
  | 'script-unsafe-eval'
  | 'object-src-unrestricted'
  | 'object-src-wildcard'
  | 'default-src-wildcard'
  | 'passive-insecure-scheme'
  | 'base-uri-missing'
  | 'frame-ancestors-missing';

export type WeaknessSeverity = 'high' | 'medium' | 'low';

export interface CspWeakness {
  id: CspWeaknessId;
  severity: WeaknessSeverity;
  /** The directive that allows it (the fallback `default-src` when that is what applies), or the missing one. */
  directive: string;
  /** The offending source expressions, when there are any. */
  tokens: string[];
  detail: string;
}

export interface CspEvaluation {
  /** At least one enforced policy (header or `<meta>`); report-only policies do not count. */
  present: boolean;
  /** Policies were sent but none has a directive CSP defines. */
  invalid: boolean;
  /** Weaknesses of the effective policy: those every enforced policy has (policies only restrict further). */
  weaknesses: CspWeakness[];
  /** Some policy has `default-src 'none'`. */
  defaultSrcNone: boolean;
  /** Inline styles are allowed by every policy (Observatory's "unsafe-inline in style-src only"). */
  styleUnsafeInline: boolean;
  /** Some header policy restricts framing with `frame-ancestors` (not `*` or a bare scheme). */
  frameAncestorsRestricts: boolean;
}

const BROAD = new Set(['*', 'https:', 'data:', 'blob:', 'filesystem:']);
const isInsecure = (token: string): boolean => /^(http|ftp|ws):(\/\/|$)/.test(token);
const isNonceOrHash = (token: string): boolean => /^'(nonce-|sha256-|sha384-|sha512-)/.test(token);

function weaknessesOf(policy: CspPolicy): Map<CspWeaknessId, CspWeakness> {
  const out = new Map<CspWeaknessId, CspWeakness>();
  const add = (weakness: CspWeakness): void => void out.set(weakness.id, weakness);
  const d = policy.directives;
  const lower = (name: string): string[] | undefined => d.get(name)?.map((token) => token.toLowerCase());
  const fallback = (name: string): { directive: string; tokens: string[] } | null => {
    const own = lower(name);
    if (own !== undefined) return { directive: name, tokens: own };
    const def = lower('default-src');
    return def === undefined ? null : { directive: 'default-src', tokens: def };
  };

  const script = fallback('script-src');
  if (script === null) {
    add({ id: 'script-src-unrestricted', severity: 'high', directive: 'script-src', tokens: [], detail: 'neither script-src nor default-src restricts scripts' });
  } else {
    const { directive, tokens } = script;
    const strictDynamic = tokens.includes("'strict-dynamic'");
    if (tokens.includes("'unsafe-inline'") && !tokens.some(isNonceOrHash)) {
      add({ id: 'script-unsafe-inline', severity: 'high', directive, tokens: ["'unsafe-inline'"], detail: `${directive} allows inline scripts ('unsafe-inline' without a nonce or hash)` });
    }
    if (!strictDynamic) {
      const broad = tokens.filter((token) => BROAD.has(token));
      if (broad.length > 0) add({ id: 'script-wildcard', severity: 'high', directive, tokens: broad, detail: `${directive} allows scripts from anywhere (${broad.join(' ')})` });
      const insecure = tokens.filter(isInsecure);
      if (insecure.length > 0) add({ id: 'script-insecure-scheme', severity: 'high', directive, tokens: insecure, detail: `${directive} allows scripts over plain HTTP (${insecure.join(' ')})` });
    }
    if (tokens.includes("'unsafe-eval'")) add({ id: 'script-unsafe-eval', severity: 'medium', directive, tokens: ["'unsafe-eval'"], detail: `${directive} allows eval() ('unsafe-eval')` });
  }

  const object = fallback('object-src');
  if (object === null) {
    add({ id: 'object-src-unrestricted', severity: 'medium', directive: 'object-src', tokens: [], detail: 'neither object-src nor default-src restricts plugins (object-src \'none\' is advised)' });
  } else if (!object.tokens.includes("'none'")) {
    const broad = object.tokens.filter((token) => BROAD.has(token) || isInsecure(token));
    if (broad.length > 0) add({ id: 'object-src-wildcard', severity: 'medium', directive: object.directive, tokens: broad, detail: `${object.directive} allows plugins from anywhere (${broad.join(' ')})` });
  }

  const def = lower('default-src');
  if (def !== undefined && d.has('script-src') && d.has('object-src')) {
    const broad = def.filter((token) => BROAD.has(token) || isInsecure(token));
    if (broad.length > 0) add({ id: 'default-src-wildcard', severity: 'low', directive: 'default-src', tokens: broad, detail: `default-src allows any source (${broad.join(' ')}) for the directives that fall back to it` });
  }

  const passive = ['img-src', 'media-src'].flatMap((name) => fallback(name)?.tokens.filter(isInsecure) ?? []);
  if (passive.length > 0) add({ id: 'passive-insecure-scheme', severity: 'low', directive: 'img-src', tokens: [...new Set(passive)], detail: `images or media may load over plain HTTP (${[...new Set(passive)].join(' ')})` });

  if (!d.has('base-uri')) add({ id: 'base-uri-missing', severity: 'low', directive: 'base-uri', tokens: [], detail: "no base-uri: an injected <base> tag can redirect relative script URLs (base-uri 'none' or 'self')" });
  if (policy.source === 'meta' || !d.has('frame-ancestors')) {
    add({ id: 'frame-ancestors-missing', severity: 'low', directive: 'frame-ancestors', tokens: [], detail: "no frame-ancestors (it does not fall back to default-src and cannot be set in <meta>)" });
  }
  return out;
}

/** Judges the enforced policies together: a weakness counts only when every policy has it. */
export function evaluateCsp(policies: readonly CspPolicy[]): CspEvaluation {
  const valid = policies.filter((policy) => policy.valid);
  const perPolicy = valid.map(weaknessesOf);
  const first = perPolicy[0];
  const weaknesses = first === undefined ? [] : [...first.values()].filter((weakness) => perPolicy.every((map) => map.has(weakness.id)));
  const styleUnsafeInline =
    valid.length > 0 &&
    valid.every((policy) => {
      const tokens = (policy.directives.get('style-src') ?? policy.directives.get('default-src'))?.map((t) => t.toLowerCase());
      return tokens === undefined || (tokens.includes("'unsafe-inline'") && !tokens.some(isNonceOrHash));
    });
  return {
    present: valid.length > 0,
    invalid: policies.length > 0 && valid.length === 0,
    weaknesses,
    defaultSrcNone: valid.some((policy) => {
      const tokens = policy.directives.get('default-src')?.map((t) => t.toLowerCase());
      return tokens !== undefined && tokens.length === 1 && tokens[0] === "'none'";
    }),
    styleUnsafeInline,
    frameAncestorsRestricts: valid.some((policy) => {
      if (policy.source !== 'header') return false;
      const tokens = policy.directives.get('frame-ancestors')?.map((t) => t.toLowerCase());
      return tokens !== undefined && !tokens.some((token) => BROAD.has(token) || token === 'http:' || token === 'http://*' || token === 'https://*');
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Strict-Transport-Security (RFC 6797 §6.1)

export interface Hsts {
  /** Browsers honour it: exactly one valid `max-age`, no duplicate directive. */
  valid: boolean;
  maxAge: number | null;
  includeSubDomains: boolean;
  preload: boolean;
  problems: string[];
}

export function parseHsts(value: string): Hsts {
  const result: Hsts = { valid: true, maxAge: null, includeSubDomains: false, preload: false, problems: [] };
  const seen = new Set<string>();
  for (const part of String(value).split(';')) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const eq = trimmed.indexOf('=');
    const name = (eq === -1 ? trimmed : trimmed.slice(0, eq)).trim().toLowerCase();
    let directiveValue = eq === -1 ? null : trimmed.slice(eq + 1).trim();
    if (directiveValue !== null && directiveValue.length >= 2 && directiveValue.startsWith('"') && directiveValue.endsWith('"')) directiveValue = directiveValue.slice(1, -1);
    if (seen.has(name)) {
      result.valid = false;
      result.problems.push(`duplicate directive ${name.slice(0, 40)}`);
      continue;
    }
    seen.add(name);
    if (name === 'max-age') {
      if (directiveValue === null || !/^\d+$/.test(directiveValue)) {
        result.valid = false;
        result.problems.push('max-age is not a number of seconds');
      } else {
        result.maxAge = Math.min(Number(directiveValue), Number.MAX_SAFE_INTEGER);
      }
    } else if (name === 'includesubdomains') {
      result.includeSubDomains = true;
    } else if (name === 'preload') {
      result.preload = true;
    }
  }
  if (!seen.has('max-age')) {
    result.valid = false;
    result.problems.push('no max-age');
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Set-Cookie (RFC 6265bis §5.6): names and flags only, never values.

export interface CookieFlags {
  /** The cookie's name, capped at 128 characters. Its value is never kept. */
  name: string;
  secure: boolean;
  httpOnly: boolean;
  /** The SameSite attribute as sent; `invalid` for an unknown value, null when absent. */
  sameSite: 'strict' | 'lax' | 'none' | 'invalid' | null;
  /** Has Expires or Max-Age (outlives the browser session). */
  persistent: boolean;
  prefix: '__Host-' | '__Secure-' | null;
  /** The name looks like a session or authentication cookie (see SESSION_COOKIE). */
  session: boolean;
  /** The name looks like an anti-CSRF token. */
  antiCsrf: boolean;
}

/** Names that look like session or authentication cookies (Observatory looks for `login` and `sess`). */
export const SESSION_COOKIE = /sess|(^|[_.-])sid($|[_.-])|auth|token|login|jwt|remember/i;
const ANTI_CSRF = /csrf|xsrf/i;

export function parseSetCookie(line: string): CookieFlags | null {
  const text = String(line);
  const semi = text.indexOf(';');
  const pair = semi === -1 ? text : text.slice(0, semi);
  const eq = pair.indexOf('=');
  const name = (eq === -1 ? '' : pair.slice(0, eq)).trim();
  if (name === '' && (eq === -1 ? pair : pair.slice(eq + 1)).trim() === '') return null;
  const flags: CookieFlags = {
    name: name.slice(0, 128),
    secure: false,
    httpOnly: false,
    sameSite: null,
    persistent: false,
    prefix: name.startsWith('__Host-') ? '__Host-' : name.startsWith('__Secure-') ? '__Secure-' : null,
    session: SESSION_COOKIE.test(name),
    antiCsrf: ANTI_CSRF.test(name),
  };
  if (semi === -1) return flags;
  for (const attribute of text.slice(semi + 1).split(';')) {
    const at = attribute.indexOf('=');
    const key = (at === -1 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
    const value = at === -1 ? '' : attribute.slice(at + 1).trim().toLowerCase();
    if (key === 'secure') flags.secure = true;
    else if (key === 'httponly') flags.httpOnly = true;
    else if (key === 'expires' || key === 'max-age') flags.persistent = true;
    else if (key === 'samesite') flags.sameSite = value === 'strict' || value === 'lax' || value === 'none' ? value : 'invalid';
  }
  return flags;
}

// ---------------------------------------------------------------------------------------------
// Server, X-Powered-By and friends: product tokens (RFC 9110 §10.2.4)

export interface ProductToken {
  name: string;
  /** The numeric part of the version (`7.4.3` of `7.4.3-1ubuntu`), or null when none is given. */
  version: string | null;
  /** The token as sent, capped. */
  raw: string;
}

const VERSION = /^v?(\d+(?:\.\d+)*)/i;

/**
 * Reads `product/version` tokens, skipping `(comments)`: `Apache/2.4.41 (Ubuntu) OpenSSL/1.1.1f`
 * gives Apache 2.4.41 and OpenSSL 1.1.1f. Also `Name 1.2` pairs (`Drupal 9 (https://…)`) and
 * Jetty's `Jetty(9.4.43.v20210629)`.
 */
export function parseProductTokens(value: string): ProductToken[] {
  const text = String(value).slice(0, 1024);
  const out: ProductToken[] = [];
  // Strip comments (nested, possibly unbalanced), keeping Jetty's version-in-parentheses form.
  let plain = '';
  let depth = 0;
  let comment = '';
  for (const char of text) {
    if (char === '(') {
      if (depth === 0) comment = '';
      depth++;
      if (depth > 1) comment += char;
    } else if (char === ')' && depth > 0) {
      depth--;
      if (depth === 0) {
        const prev = plain.trimEnd();
        const last = prev.split(WS).pop() ?? '';
        if (prev.length === plain.length && /^jetty$/i.test(last) && VERSION.test(comment.trim())) plain += `/${comment.trim()}`;
        plain += ' ';
      } else comment += char;
    } else if (depth > 0) comment += char;
    else plain += char;
  }
  const tokens = plain.split(WS).filter((token) => token !== '');
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const slash = token.indexOf('/');
    if (slash > 0) {
      const name = token.slice(0, slash);
      const version = VERSION.exec(token.slice(slash + 1))?.[1] ?? null;
      out.push({ name: name.slice(0, 64), version: version?.slice(0, 40) ?? null, raw: token.slice(0, 100) });
      continue;
    }
    if (slash === 0 || !/^[A-Za-z]/.test(token)) continue;
    const next = tokens[i + 1];
    const nextVersion = next === undefined ? null : (/^v?\d+(\.\d+)*$/i.test(next) ? (VERSION.exec(next)?.[1] ?? null) : null);
    if (nextVersion !== null) {
      out.push({ name: token.slice(0, 64), version: nextVersion.slice(0, 40), raw: `${token} ${next}`.slice(0, 100) });
      i++;
    } else {
      out.push({ name: token.slice(0, 64), version: null, raw: token.slice(0, 100) });
    }
  }
  return out;
}

/** Headers whose whole value is a version number, and the product they name. */
export const BARE_VERSION_HEADERS: Readonly<Record<string, string>> = {
  'x-aspnet-version': 'ASP.NET',
  'x-aspnetmvc-version': 'ASP.NET MVC',
  'x-owa-version': 'Outlook Web App',
  'x-mod-pagespeed': 'mod_pagespeed',
  'x-page-speed': 'mod_pagespeed',
};

/** Headers read as product tokens. */
export const PRODUCT_HEADERS = ['server', 'x-powered-by', 'x-generator'] as const;

/** Tokens whose version says nothing about the software (a protocol or specification level). */
const UNINFORMATIVE = new Set(['apache-coyote', 'microsoft-httpapi', 'servlet', 'jsp', 'http', 'https']);

export interface Disclosure {
  header: string;
  name: string;
  version: string;
  raw: string;
}

/** Software versions the headers disclose. */
export function disclosedVersions(headers: HeaderMap): Disclosure[] {
  const out: Disclosure[] = [];
  for (const header of PRODUCT_HEADERS) {
    for (const value of headers[header] ?? []) {
      for (const token of parseProductTokens(value)) {
        if (token.version === null || UNINFORMATIVE.has(token.name.toLowerCase())) continue;
        out.push({ header, name: token.name, version: token.version, raw: token.raw });
      }
    }
  }
  for (const [header, name] of Object.entries(BARE_VERSION_HEADERS)) {
    for (const value of headers[header] ?? []) {
      const version = VERSION.exec(String(value).trim())?.[1];
      if (version !== undefined) out.push({ header, name, version: version.slice(0, 40), raw: String(value).trim().slice(0, 100) });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Referrer-Policy, X-Frame-Options, X-Content-Type-Options

export const SAFE_REFERRER_POLICIES = ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'] as const;
const NEUTRAL_REFERRER_POLICIES = ['no-referrer-when-downgrade'];
const UNSAFE_REFERRER_POLICIES = ['origin', 'origin-when-cross-origin', 'unsafe-url'];

export type ReferrerVerdict = 'safe' | 'neutral' | 'unsafe' | 'invalid';

/** The policy in force is the last token a browser recognises (a comma list allows fallbacks). */
export function parseReferrerPolicy(value: string): { policy: string | null; verdict: ReferrerVerdict } {
  const known = [...SAFE_REFERRER_POLICIES, ...NEUTRAL_REFERRER_POLICIES, ...UNSAFE_REFERRER_POLICIES] as string[];
  const tokens = String(value)
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter((token) => known.includes(token));
  const policy = tokens[tokens.length - 1];
  if (policy === undefined) return { policy: null, verdict: 'invalid' };
  const verdict: ReferrerVerdict = (SAFE_REFERRER_POLICIES as readonly string[]).includes(policy) ? 'safe' : NEUTRAL_REFERRER_POLICIES.includes(policy) ? 'neutral' : 'unsafe';
  return { policy, verdict };
}

/** `DENY` or `SAMEORIGIN` protects; `ALLOW-FROM` is ignored by current browsers; anything else is invalid. */
export function parseFrameOptions(values: readonly string[]): 'deny' | 'sameorigin' | 'allow-from' | 'invalid' {
  const tokens = [...new Set(values.flatMap((value) => String(value).split(',')).map((token) => token.trim().toLowerCase()).filter((token) => token !== ''))];
  if (tokens.length === 1 && (tokens[0] === 'deny' || tokens[0] === 'sameorigin')) return tokens[0];
  if (tokens.length >= 1 && tokens.every((token) => token.startsWith('allow-from'))) return 'allow-from';
  return 'invalid';
}

export function isNosniff(values: readonly string[]): boolean {
  const first = values[0]?.split(',')[0]?.trim().toLowerCase();
  return first === 'nosniff';
}

// ---------------------------------------------------------------------------------------------
// <meta http-equiv="Content-Security-Policy"> and <meta name="referrer"> in the HTML head

export interface MetaPolicies {
  csp: string[];
  referrer: string | null;
}

/** Reads `<meta>` tags before `<body` (browsers honour a CSP `<meta>` only in the head). Linear time. */
export function extractMetaPolicies(html: string): MetaPolicies {
  const out: MetaPolicies = { csp: [], referrer: null };
  const text = String(html);
  const lower = text.toLowerCase();
  const bodyAt = lower.search(/<body[\s>/]/);
  const end = bodyAt === -1 ? text.length : bodyAt;
  let at = 0;
  let tags = 0;
  while (tags < 1000) {
    const start = lower.indexOf('<meta', at);
    if (start === -1 || start >= end) break;
    tags++;
    // The tag ends at the first `>` outside quotes.
    let i = start + 5;
    let quote: string | null = null;
    for (; i < text.length; i++) {
      const c = text[i];
      if (quote !== null) {
        if (c === quote) quote = null;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '>') break;
    }
    if (i >= text.length) break; // a tag cut off (the body was truncated): not a tag
    const attributes = parseAttributes(text.slice(start + 5, i));
    at = i + 1;
    const equiv = attributes.get('http-equiv')?.trim().toLowerCase();
    const content = attributes.get('content');
    if (content === undefined) continue;
    if (equiv === 'content-security-policy') out.csp.push(content);
    else if (attributes.get('name')?.trim().toLowerCase() === 'referrer') out.referrer = content;
  }
  return out;
}

function parseAttributes(text: string): Map<string, string> {
  const attributes = new Map<string, string>();
  const re = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  for (let match = re.exec(text); match !== null; match = re.exec(text)) {
    const name = (match[1] ?? '').toLowerCase();
    if (!attributes.has(name)) attributes.set(name, decodeEntities(match[2] ?? match[3] ?? match[4] ?? ''));
  }
  return attributes;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|quot|apos|amp|lt|gt);/gi, (whole, entity: string) => {
    const e = entity.toLowerCase();
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    if (e === 'amp') return '&';
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    const code = e.startsWith('#x') ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
