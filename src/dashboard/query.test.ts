import { describe, expect, it } from 'vitest';
import { apiPath, buildQuery, EMPTY_FILTER, filterFromSearch, filterToSearch, findingsApiUrl, paging, sameSelection, splitList } from './query.ts';

describe('buildQuery', () => {
  it('leaves out empty values and joins lists', () => {
    expect(buildQuery({ a: 1, b: '', c: null, d: undefined, e: false, f: true, g: ['x', 'y'], h: [] })).toBe('?a=1&f=true&g=x%2Cy');
    expect(buildQuery({})).toBe('');
  });

  it('encodes hostile values', () => {
    const query = buildQuery({ q: '"><img src=x onerror=alert(1)>&x=1#frag' });
    expect(new URLSearchParams(query).get('q')).toBe('"><img src=x onerror=alert(1)>&x=1#frag');
    expect(query).not.toMatch(/[<>"#]/);
  });
});

describe('apiPath', () => {
  it('encodes each segment', () => {
    expect(apiPath('systems', 'web/app ?#', 'metrics')).toBe('/api/v1/systems/web%2Fapp%20%3F%23/metrics');
    expect(apiPath('systems', 'a/../b', 'findings', '<x>')).toBe('/api/v1/systems/a%2F..%2Fb/findings/%3Cx%3E');
  });
});

describe('backlog filters', () => {
  it('round-trip through the page URL, leaving defaults out', () => {
    const filter = { ...EMPTY_FILTER, system: ['web', 'api'], aspect: ['security'], severity: 'high' as const, rule: ['todo/marker'], minAgeDays: 30, q: 'retry', status: 'all' as const, sort: 'age' as const, suppressed: true, offset: 100, limit: 25 };
    const search = filterToSearch(filter);
    expect(filterFromSearch(search)).toEqual(filter);
    expect(filterToSearch(EMPTY_FILTER)).toBe('');
    expect(filterFromSearch('')).toEqual(EMPTY_FILTER);
  });

  it('fall back to defaults on invalid values', () => {
    const filter = filterFromSearch('severity=urgent&status=gone&sort=random&offset=-5&limit=abc&minAgeDays=x');
    expect(filter).toEqual(EMPTY_FILTER);
    expect(filterFromSearch('limit=100000').limit).toBe(500);
    expect(filterFromSearch('limit=0').limit).toBe(50);
  });

  it('build the API URL with paging, or without it for exports', () => {
    const filter = { ...EMPTY_FILTER, aspect: ['security', 'tests'], severity: 'medium' as const, offset: 50 };
    expect(findingsApiUrl(filter)).toBe('/api/v1/findings?aspect=security%2Ctests&severity=medium&offset=50&limit=50');
    expect(findingsApiUrl(filter, 'csv')).toBe('/api/v1/findings?aspect=security%2Ctests&severity=medium&format=csv');
    expect(findingsApiUrl({ ...EMPTY_FILTER, status: 'resolved', suppressed: true, sort: 'lastSeen' }, 'markdown')).toBe('/api/v1/findings?status=resolved&suppressed=include&sort=lastSeen&format=markdown');
  });

  it('compare selections without paging', () => {
    expect(sameSelection({ ...EMPTY_FILTER, offset: 50 }, EMPTY_FILTER)).toBe(true);
    expect(sameSelection({ ...EMPTY_FILTER, q: 'x' }, EMPTY_FILTER)).toBe(false);
  });

  it('split lists', () => {
    expect(splitList(' web, api,,web , ')).toEqual(['web', 'api']);
    expect(splitList(null)).toEqual([]);
  });
});

describe('paging', () => {
  it('computes pages and neighbours', () => {
    expect(paging(0, 0, 50)).toEqual({ page: 1, pages: 1, previous: null, next: null, first: 0, last: 0 });
    expect(paging(120, 0, 50)).toEqual({ page: 1, pages: 3, previous: null, next: 50, first: 1, last: 50 });
    expect(paging(120, 100, 50)).toEqual({ page: 3, pages: 3, previous: 50, next: null, first: 101, last: 120 });
    expect(paging(120, 30, 50)).toEqual({ page: 1, pages: 3, previous: 0, next: 80, first: 31, last: 80 });
  });
});
