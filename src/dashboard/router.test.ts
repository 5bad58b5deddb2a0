import { describe, expect, it } from 'vitest';
import { isPlainClick, parseRoute, paths, section } from './router.ts';

describe('routes', () => {
  it('parse every page', () => {
    expect(parseRoute('/')).toEqual({ page: 'overview' });
    expect(parseRoute('/backlog', '?aspect=security')).toEqual({ page: 'backlog', search: 'aspect=security' });
    expect(parseRoute('/systems/web')).toEqual({ page: 'system', system: 'web' });
    expect(parseRoute('/systems/web/')).toEqual({ page: 'system', system: 'web' });
    expect(parseRoute('/systems/web/findings/abc123')).toEqual({ page: 'finding', system: 'web', fingerprint: 'abc123' });
    expect(parseRoute('/systems/web/tls')).toEqual({ page: 'tls', system: 'web' });
    expect(parseRoute('/systems/web/tests')).toEqual({ page: 'tests', system: 'web' });
    expect(parseRoute('/tls')).toEqual({ page: 'tls', system: null });
    expect(parseRoute('/tests')).toEqual({ page: 'tests', system: null });
    expect(parseRoute('/eol')).toEqual({ page: 'eol' });
    expect(parseRoute('/ignores')).toEqual({ page: 'ignores' });
    expect(parseRoute('/nope')).toEqual({ page: 'not-found', path: '/nope' });
    expect(parseRoute('/systems/%E0%A4%A')).toEqual({ page: 'not-found', path: '/systems/%E0%A4%A' });
  });

  it('round-trip hostile names', () => {
    for (const name of ['web/app', '"><img src=x onerror=alert(1)>', '<script>alert(1)</script>', 'a b?c#d', '日本語', '...', 'shop.example.com']) {
      expect(parseRoute(new URL(paths.system(name), 'http://x').pathname)).toEqual({ page: 'system', system: name });
      expect(parseRoute(new URL(paths.finding(name, 'f'), 'http://x').pathname)).toEqual({ page: 'finding', system: name, fingerprint: 'f' });
      expect(paths.system(name)).not.toMatch(/[<>"# ?]/);
      expect(paths.system(name)).not.toMatch(/\.[^/]*$/);
    }
  });

  it('name the nav section of each page', () => {
    expect(section({ page: 'system', system: 'x' })).toBe('overview');
    expect(section({ page: 'finding', system: 'x', fingerprint: 'y' })).toBe('backlog');
    expect(section({ page: 'tls', system: null })).toBe('tls');
    expect(section({ page: 'not-found', path: '/x' })).toBeNull();
    expect(paths.backlog('a=1')).toBe('/backlog?a=1');
    expect(paths.backlog('?a=1')).toBe('/backlog?a=1');
    expect(paths.backlog()).toBe('/backlog');
  });

  it('leave modified clicks to the browser', () => {
    const click = { button: 0, metaKey: false, ctrlKey: false, shiftKey: false, altKey: false, defaultPrevented: false };
    expect(isPlainClick(click)).toBe(true);
    expect(isPlainClick({ ...click, ctrlKey: true })).toBe(false);
    expect(isPlainClick({ ...click, button: 1 })).toBe(false);
    expect(isPlainClick({ ...click, defaultPrevented: true })).toBe(false);
  });
});
