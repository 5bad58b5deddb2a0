import { describe, expect, it } from 'vitest';
import { encodePurlSegment, formatPurl, parsePurl } from './purl.js';

describe('parsePurl', () => {
  it('splits type, namespace, name and version, decoding segments', () => {
    expect(parsePurl('pkg:npm/%40angular/core@17.0.0?x=y#p')).toEqual({ type: 'npm', namespace: '@angular', name: 'core', version: '17.0.0' });
    expect(parsePurl('pkg:docker/library/node@sha256:abc')).toEqual({ type: 'docker', namespace: 'library', name: 'node', version: 'sha256:abc' });
    expect(parsePurl('pkg:golang/github.com/caddyserver/caddy/v2')).toEqual({ type: 'golang', namespace: 'github.com/caddyserver/caddy', name: 'v2' });
    expect(parsePurl('pkg:NPM/react')).toEqual({ type: 'npm', name: 'react' });
    expect(parsePurl('pkg:oci/etcd?repository_url=quay.io/coreos')).toEqual({ type: 'oci', name: 'etcd' });
  });

  it('refuses what is not a purl', () => {
    expect(parsePurl('npm/react')).toBeNull();
    expect(parsePurl('pkg:npm/')).toBeNull();
    expect(parsePurl('')).toBeNull();
  });
});

describe('formatPurl', () => {
  it('encodes segments and sorts qualifiers', () => {
    expect(formatPurl({ type: 'npm', namespace: '@angular', name: 'core', version: '17.0.0' })).toBe('pkg:npm/%40angular/core@17.0.0');
    expect(formatPurl({ type: 'docker', namespace: 'org', name: 'app', version: '1.0', qualifiers: { repository_url: 'ghcr.io', arch: '' } })).toBe('pkg:docker/org/app@1.0?repository_url=ghcr.io');
    expect(formatPurl({ type: 'docker', name: 'x', qualifiers: { b: '2', a: 'x/y' } })).toBe('pkg:docker/x?a=x/y&b=2');
    expect(encodePurlSegment('17.0.8+7')).toBe('17.0.8+7');
  });

  it('round-trips', () => {
    for (const purl of ['pkg:npm/%40scope/name@1.2.3', 'pkg:maven/org.springframework.boot/spring-boot@3.1.0', 'pkg:docker/library/node@16-buster']) {
      expect(formatPurl(parsePurl(purl)!)).toBe(purl);
    }
  });
});
