/**
 * Who may do what, and the headers that keep a browser safe: the bearer token (compared in
 * constant time), CSRF checks on writes, DNS-rebinding protection on loopback, and the security
 * headers every response carries (docs/api.md, "Security").
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';

/** The Content-Security-Policy of every response: nothing inline, nothing from elsewhere. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Two years, with subdomains: what HSTS preload lists and the http probe's top grade ask for. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=63072000; includeSubDomains';

export function securityHeaders(tls: boolean): OutgoingHttpHeaders {
  return {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
    'permissions-policy':
      'accelerometer=(), camera=(), display-capture=(), fullscreen=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()',
    ...(tls ? { 'strict-transport-security': STRICT_TRANSPORT_SECURITY } : {}),
  };
}

/** True for addresses and names that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./i.test(bare);
  return false;
}

/**
 * The token, compared in constant time: both sides are hashed first, so neither the comparison
 * nor an early length mismatch tells anything about the expected token.
 */
export class Token {
  readonly #digest: Buffer;

  constructor(secret: string) {
    this.#digest = createHash('sha256').update(secret, 'utf8').digest();
  }

  matches(candidate: string): boolean {
    return timingSafeEqual(this.#digest, createHash('sha256').update(candidate, 'utf8').digest());
  }

  /** Never shows the secret, whatever logs or inspects the object. */
  toJSON(): string {
    return '[token]';
  }
}

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(request: IncomingMessage): string | null {
  const header = request.headers.authorization;
  if (header === undefined) return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1] ?? null;
}

export interface AccessPolicy {
  token: Token | null;
  /** Reads need the token too (a token is configured and the server is not on loopback only). */
  readsNeedToken: boolean;
  /** Bound to loopback: Host must name a loopback address (DNS rebinding). */
  loopbackOnly: boolean;
}

export type Denial = { status: 401 | 403; code: 'unauthorized' | 'read-only' | 'csrf' | 'forbidden'; message: string };

/**
 * DNS rebinding: a web page whose host name is made to resolve to 127.0.0.1 would be same-origin
 * with a server bound there. A loopback-only server answers only requests whose Host names a
 * loopback address, which such a page cannot send.
 */
export function checkHost(request: IncomingMessage, policy: AccessPolicy): Denial | null {
  if (!policy.loopbackOnly) return null;
  const host = request.headers.host;
  if (host === undefined) return null; // HTTP/1.0 clients (curl -0): no browser sends none.
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '');
  if (isLoopbackHost(name)) return null;
  return {
    status: 403,
    code: 'forbidden',
    message: `Host "${host.slice(0, 100)}" is not a loopback name; this server is bound to loopback and answers only to 127.0.0.1, [::1] or localhost`,
  };
}

/** Reads: allowed unless the policy asks for the token and the request does not carry it. */
export function checkRead(request: IncomingMessage, policy: AccessPolicy): Denial | null {
  if (!policy.readsNeedToken || policy.token === null) return null;
  return checkToken(request, policy.token);
}

function checkToken(request: IncomingMessage, token: Token): Denial | null {
  const given = bearerToken(request);
  if (given === null) return { status: 401, code: 'unauthorized', message: 'send the token as "Authorization: Bearer <token>"' };
  if (!token.matches(given)) return { status: 401, code: 'unauthorized', message: 'the token is not valid' };
  return null;
}

/**
 * Writes: the token, then CSRF. A browser cannot send a cross-site POST with a JSON content type
 * or with an Authorization header without a CORS preflight, which this server never grants; the
 * Origin and Sec-Fetch-Site checks refuse what a browser marks as cross-site anyway.
 */
export function checkWrite(request: IncomingMessage, policy: AccessPolicy, hasBody: boolean): Denial | null {
  if (policy.token === null) {
    return { status: 403, code: 'read-only', message: 'this server is read-only: start prodeng serve with a token (--token-env VAR, default PRODENG_TOKEN) to allow writes' };
  }
  const denied = checkToken(request, policy.token);
  if (denied !== null) return denied;
  if (hasBody) {
    const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') return { status: 403, code: 'csrf', message: 'writes must be sent with "Content-Type: application/json"' };
  }
  // The server's own origin is what the browser asked for (Host); the scheme is not compared, so
  // that a TLS-terminating proxy in front does not break the dashboard.
  const origin = request.headers.origin;
  if (origin !== undefined && originHost(origin) !== (request.headers.host ?? '').toLowerCase()) {
    return { status: 403, code: 'csrf', message: `Origin "${origin.slice(0, 100)}" is not this server (${String(request.headers.host ?? '').slice(0, 100)})` };
  }
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return { status: 403, code: 'csrf', message: `a ${String(site).slice(0, 20)} request cannot write; use the dashboard of this server` };
  }
  return null;
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}
