/**
 * Query strings: the API's parameters, and the backlog's filters kept in the page's URL so that a
 * filtered backlog can be bookmarked and shared. Pure functions, no DOM.
 */
import { SEVERITIES, type Severity } from './types.ts';

export type QueryValue = string | number | boolean | null | undefined | readonly string[];

/** `?a=1&b=x%2Cy` from the non-empty values (lists joined with commas), or `''` when none. */
export function buildQuery(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '' || value === false) continue;
    if (Array.isArray(value)) {
      if (value.length > 0) search.set(key, value.join(','));
    } else {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** An API path with its parameters: `apiPath('systems', name, 'metrics')` → `/api/v1/systems/<name>/metrics`. */
export function apiPath(...segments: string[]): string {
  return `/api/v1/${segments.map((segment) => encodeURIComponent(segment)).join('/')}`;
}

export const SORTS = ['priority', 'age', 'severity', 'lastSeen'] as const;
export type Sort = (typeof SORTS)[number];
export const STATUSES = ['open', 'resolved', 'all'] as const;
export type StatusFilter = (typeof STATUSES)[number];
export const PAGE_SIZES = [25, 50, 100, 200] as const;
export const DEFAULT_LIMIT = 50;

export interface BacklogFilter {
  system: string[];
  aspect: string[];
  /** At or above; empty for every severity. */
  severity: Severity | '';
  rule: string[];
  minAgeDays: number | null;
  q: string;
  status: StatusFilter;
  sort: Sort;
  suppressed: boolean;
  offset: number;
  limit: number;
}

export const EMPTY_FILTER: BacklogFilter = {
  system: [],
  aspect: [],
  severity: '',
  rule: [],
  minAgeDays: null,
  q: '',
  status: 'open',
  sort: 'priority',
  suppressed: false,
  offset: 0,
  limit: DEFAULT_LIMIT,
};

/** Splits a comma-separated list, trimming, dropping empty items and duplicates. */
export function splitList(value: string | null | undefined): string[] {
  if (!value) return [];
  const items: string[] = [];
  for (const item of value.split(',')) {
    const trimmed = item.trim();
    if (trimmed && !items.includes(trimmed)) items.push(trimmed);
  }
  return items;
}

function nonNegativeInt(value: string | null, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === null || !/^\d+$/.test(value.trim())) return fallback;
  return Math.min(max, Number(value));
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** The backlog's filters from a page URL's query string (unknown or invalid values fall back to the defaults). */
export function filterFromSearch(search: string | URLSearchParams): BacklogFilter {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const limit = nonNegativeInt(params.get('limit'), DEFAULT_LIMIT, 500);
  const minAge = params.get('minAgeDays');
  return {
    system: splitList(params.get('system')),
    aspect: splitList(params.get('aspect')),
    severity: oneOf<Severity | ''>(params.get('severity'), SEVERITIES, ''),
    rule: splitList(params.get('rule')),
    minAgeDays: minAge !== null && /^\d+$/.test(minAge.trim()) ? Number(minAge) : null,
    q: params.get('q')?.trim() ?? '',
    status: oneOf(params.get('status'), STATUSES, 'open'),
    sort: oneOf(params.get('sort'), SORTS, 'priority'),
    suppressed: params.get('suppressed') === 'include',
    offset: nonNegativeInt(params.get('offset'), 0),
    limit: limit === 0 ? DEFAULT_LIMIT : limit,
  };
}

/** The parameters of a filter that differ from the defaults, shared by the page URL and the API. */
function filterParams(filter: BacklogFilter): Record<string, QueryValue> {
  return {
    system: filter.system,
    aspect: filter.aspect,
    severity: filter.severity,
    rule: filter.rule,
    minAgeDays: filter.minAgeDays,
    q: filter.q.trim(),
    status: filter.status === 'open' ? null : filter.status,
    suppressed: filter.suppressed ? 'include' : null,
    sort: filter.sort === 'priority' ? null : filter.sort,
  };
}

/** The page URL's query string of a filter (defaults left out). */
export function filterToSearch(filter: BacklogFilter): string {
  return buildQuery({
    ...filterParams(filter),
    offset: filter.offset > 0 ? filter.offset : null,
    limit: filter.limit !== DEFAULT_LIMIT ? filter.limit : null,
  });
}

/** The API URL of one page of the backlog, or of the whole export in CSV or Markdown. */
export function findingsApiUrl(filter: BacklogFilter, format?: 'csv' | 'markdown'): string {
  const paging = format ? { format } : { offset: filter.offset, limit: filter.limit };
  return `${apiPath('findings')}${buildQuery({ ...filterParams(filter), ...paging })}`;
}

/** True when two filters select the same findings (paging aside). */
export function sameSelection(a: BacklogFilter, b: BacklogFilter): boolean {
  return JSON.stringify(filterParams(a)) === JSON.stringify(filterParams(b));
}

/** Paging of `total` results: the current page (1-based), the number of pages, the previous and next offsets. */
export function paging(total: number, offset: number, limit: number): { page: number; pages: number; previous: number | null; next: number | null; first: number; last: number } {
  const pages = Math.max(1, Math.ceil(total / limit));
  const page = Math.min(pages, Math.floor(offset / limit) + 1);
  return {
    page,
    pages,
    previous: offset > 0 ? Math.max(0, offset - limit) : null,
    next: offset + limit < total ? offset + limit : null,
    first: total === 0 ? 0 : offset + 1,
    last: Math.min(total, offset + limit),
  };
}
