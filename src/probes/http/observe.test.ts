import { describe, expect, it } from 'vitest';
import type { Chain, Outcome } from './client.js';
import { classifyRedirect, endpointKey, httpUrlFor, redactUrl } from './observe.js';

const timings = { lookupMs: null, connectMs: 1, tlsMs: null, ttfbMs: 2, totalMs: 3 };
const answer = (status: number, url = 'http://a.example/'): Outcome => ({ kind: 'response', url, status, headers: {}, body: null, bodyBytes: 0, truncated: false, bodyError: null, timings, tls: null });
const refused: Outcome = { kind: 'error', url: 'http://a.example/', error: 'refused', code: 'ECONNREFUSED', message: 'refused', timings, tls: null };
const hop = (url: string, location: string) => ({ url, status: 301, location, tls: null, setCookies: [] });
const sameHost = (url: URL): boolean => url.hostname === 'a.example';

describe('classifyRedirect', () => {
  it('passes a first redirect to HTTPS on the same host, and no plain HTTP at all unless it was configured', () => {
    const toHttps: Chain = { hops: [hop('http://a.example/', 'https://a.example/')], final: answer(200, 'https://a.example/'), finalUrl: 'https://a.example/', stop: null };
    expect(classifyRedirect('http://a.example/', toHttps, sameHost, false)).toMatchObject({ kind: 'to-https', firstLocation: 'https://a.example/' });
    const none: Chain = { hops: [], final: refused, finalUrl: 'http://a.example/', stop: null };
    expect(classifyRedirect('http://a.example/', none, sameHost, false)).toMatchObject({ kind: 'no-http' });
    expect(classifyRedirect('http://a.example/', none, sameHost, true)).toMatchObject({ kind: 'unknown' });
  });

  it('tells a missing redirect, one off-host, one via plain HTTP and one that never reaches HTTPS', () => {
    const missing: Chain = { hops: [], final: answer(200), finalUrl: 'http://a.example/', stop: null };
    expect(classifyRedirect('http://a.example/', missing, sameHost, false).kind).toBe('missing');
    const offHost: Chain = { hops: [hop('http://a.example/', 'https://b.example/')], final: answer(301), finalUrl: 'http://a.example/', stop: { reason: 'off-host', location: 'https://b.example/' } };
    expect(classifyRedirect('http://a.example/', offHost, sameHost, false).kind).toBe('off-host');
    const viaHttp: Chain = { hops: [hop('http://a.example/', 'http://a.example/x'), hop('http://a.example/x', 'https://a.example/x')], final: answer(200), finalUrl: 'https://a.example/x', stop: null };
    expect(classifyRedirect('http://a.example/', viaHttp, sameHost, false).kind).toBe('initial-not-https');
    const never: Chain = { hops: [hop('http://a.example/', 'http://a.example/x')], final: answer(200), finalUrl: 'http://a.example/x', stop: null };
    expect(classifyRedirect('http://a.example/', never, sameHost, false).kind).toBe('not-to-https');
  });
});

describe('URLs', () => {
  it('drops credentials, fragments and query values from what is shown', () => {
    expect(redactUrl(new URL('https://user:pass@a.example:8443/p?token=abc#x'))).toBe('https://a.example:8443/p?…');
    expect(redactUrl(new URL('https://a.example'))).toBe('https://a.example/');
  });

  it('keys findings by origin, plus the path when it is not /', () => {
    expect(endpointKey(new URL('https://a.example/'))).toBe('https://a.example');
    expect(endpointKey(new URL('https://a.example:443/health?x=1'))).toBe('https://a.example/health');
  });

  it('asks the same host and path on port 80 unless a plain-HTTP URL is configured for the origin', () => {
    expect(httpUrlFor(new URL('https://u:p@a.example:8443/p?q=1'), {})).toEqual({ url: 'http://a.example/p?q=1', configured: false });
    expect(httpUrlFor(new URL('https://a.example:8443/p'), { 'https://a.example:8443': 'http://a.example:8080/' })).toEqual({ url: 'http://a.example:8080/', configured: true });
  });
});
