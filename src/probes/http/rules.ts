import type { RuleMeta } from '../../core/model.js';

const HELP = 'https://github.com/prodeng/prodeng/blob/main/src/probes/http/readme.md';

/** The rule names of the probe (without the `http/` prefix), in report order. */
export const RULE_NAMES = [
  'hsts-missing',
  'hsts-weak',
  'csp-missing',
  'csp-unsafe',
  'nosniff-missing',
  'framing-allowed',
  'referrer-policy-missing',
  'permissions-policy-missing',
  'cookie-insecure',
  'no-https-redirect',
  'version-disclosure',
] as const;
export type RuleName = (typeof RULE_NAMES)[number];

export const ruleId = (name: RuleName): string => `http/${name}`;

export const RULES: RuleMeta[] = [
  {
    id: ruleId('hsts-missing'),
    title: 'No HTTP Strict Transport Security',
    description: 'An HTTPS response has no valid Strict-Transport-Security header (absent, or without a numeric max-age, or with a duplicate directive): browsers may still be talked into plain HTTP.',
    defaultSeverity: 'medium',
    remediation: 'Send `Strict-Transport-Security: max-age=31536000; includeSubDomains` on every HTTPS response (add `preload` once every subdomain serves HTTPS).',
    helpUri: HELP,
  },
  {
    id: ruleId('hsts-weak'),
    title: 'HSTS max-age shorter than six months',
    description: 'Strict-Transport-Security has a max-age below 15552000 seconds (6 months). Low; medium for max-age=0, which tells browsers to forget HSTS.',
    defaultSeverity: 'low',
    remediation: 'Raise max-age to at least 15552000, better 31536000 (one year), once HTTPS works everywhere.',
    helpUri: HELP,
  },
  {
    id: ruleId('csp-missing'),
    title: 'No Content-Security-Policy',
    description: 'Neither a Content-Security-Policy header nor a `<meta http-equiv>` policy is enforced (a Report-Only policy does not count), or none of its directives is valid.',
    defaultSeverity: 'medium',
    remediation: "Start from `Content-Security-Policy: default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`, tried first as Content-Security-Policy-Report-Only.",
    helpUri: HELP,
  },
  {
    id: ruleId('csp-unsafe'),
    title: 'Content-Security-Policy allows unsafe sources',
    description:
      "One finding per weakness of the enforced policy: scripts unrestricted, 'unsafe-inline' without nonce or hash, wildcards (*, https:, data:) or plain http: in script-src (high); 'unsafe-eval', object-src unrestricted or wildcard (medium); default-src wildcard, passive content over http:, missing base-uri or frame-ancestors (low).",
    defaultSeverity: 'medium',
    remediation: "Use nonces or hashes with 'strict-dynamic' instead of 'unsafe-inline' and host lists; set object-src 'none', base-uri 'none' (or 'self') and frame-ancestors.",
    helpUri: HELP,
  },
  {
    id: ruleId('nosniff-missing'),
    title: 'No X-Content-Type-Options: nosniff',
    description: 'The response lacks `X-Content-Type-Options: nosniff` (or has another value), so browsers may guess a script or style out of any content.',
    defaultSeverity: 'low',
    remediation: 'Send `X-Content-Type-Options: nosniff` on every response.',
    helpUri: HELP,
  },
  {
    id: ruleId('framing-allowed'),
    title: 'Page can be framed by any site',
    description: 'Neither CSP `frame-ancestors` nor `X-Frame-Options: DENY|SAMEORIGIN` restricts framing (ALLOW-FROM is ignored by current browsers): clickjacking.',
    defaultSeverity: 'medium',
    remediation: "Send `Content-Security-Policy: frame-ancestors 'none'` (or 'self'), and `X-Frame-Options: DENY` for older browsers.",
    helpUri: HELP,
  },
  {
    id: ruleId('referrer-policy-missing'),
    title: 'No safe Referrer-Policy',
    description: 'No Referrer-Policy (header or `<meta name="referrer">`), or an unsafe or invalid one (origin, origin-when-cross-origin, unsafe-url): full URLs may leak to other sites.',
    defaultSeverity: 'low',
    remediation: 'Send `Referrer-Policy: strict-origin-when-cross-origin` (or no-referrer, same-origin, strict-origin).',
    helpUri: HELP,
  },
  {
    id: ruleId('permissions-policy-missing'),
    title: 'No Permissions-Policy',
    description: 'The response has no Permissions-Policy header restricting powerful browser features (camera, geolocation…) for the page and its frames. Not scored by Observatory.',
    defaultSeverity: 'info',
    remediation: 'Send a Permissions-Policy that disables what the site does not use, e.g. `Permissions-Policy: camera=(), microphone=(), geolocation=()`.',
    helpUri: HELP,
  },
  {
    id: ruleId('cookie-insecure'),
    title: 'Cookie without Secure, HttpOnly or SameSite',
    description:
      'One finding per cookie name. High: a session-like cookie (name with sess, sid, auth, token, login, jwt, remember) without Secure on HTTPS and no HSTS, or without HttpOnly. Medium: another cookie without Secure on HTTPS (low with HSTS), or an invalid SameSite. Low: only SameSite missing.',
    defaultSeverity: 'medium',
    remediation: 'Set `Secure` on every cookie served over HTTPS, `HttpOnly` on session cookies, and `SameSite=Lax` (or Strict); prefer the `__Host-` prefix for session cookies.',
    helpUri: HELP,
  },
  {
    id: ruleId('no-https-redirect'),
    title: 'Plain HTTP does not redirect to HTTPS',
    description:
      'The plain-HTTP URL of the endpoint answers without redirecting, or its redirects never reach HTTPS (medium); or the first redirect goes to plain HTTP or to another host before HTTPS (low: HSTS cannot be set for the host on the first hop).',
    defaultSeverity: 'medium',
    remediation: 'Answer every plain-HTTP request with a 301 to the same host and path over HTTPS.',
    helpUri: HELP,
  },
  {
    id: ruleId('version-disclosure'),
    title: 'Server discloses software versions',
    description: 'Server, X-Powered-By, X-Generator, X-AspNet-Version or a similar header names a product with its version (`nginx/1.18.0`, `PHP/7.4.3`), telling attackers which vulnerabilities to try. One finding per header and product.',
    defaultSeverity: 'low',
    remediation: 'Hide versions: `server_tokens off` (nginx), `ServerTokens Prod` (Apache), `expose_php = Off` (PHP), `app.disable("x-powered-by")` (Express), `enableVersionHeader="false"` (ASP.NET).',
    helpUri: HELP,
  },
];
