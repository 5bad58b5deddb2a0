/**
 * The dashboard's pages and their URLs (history routing: the server answers index.html for every
 * path that is not an API path or a file). Pure functions, no DOM.
 */

export type Route =
  | { page: 'overview' }
  | { page: 'backlog'; search: string }
  | { page: 'system'; system: string }
  | { page: 'finding'; system: string; fingerprint: string }
  | { page: 'eol' }
  | { page: 'tls'; system: string | null }
  | { page: 'tests'; system: string | null }
  | { page: 'ignores' }
  | { page: 'not-found'; path: string };

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export function parseRoute(pathname: string, search = ''): Route {
  const parts = pathname.split('/').filter((part) => part !== '');
  const segments = parts.map(decode);
  if (segments.some((segment) => segment === null || segment === '')) return { page: 'not-found', path: pathname };
  const [first, second, third, fourth] = segments as string[];
  const n = segments.length;
  if (n === 0) return { page: 'overview' };
  if (n === 1 && first === 'backlog') return { page: 'backlog', search: search.startsWith('?') ? search.slice(1) : search };
  if (n === 1 && first === 'eol') return { page: 'eol' };
  if (n === 1 && first === 'tls') return { page: 'tls', system: null };
  if (n === 1 && first === 'tests') return { page: 'tests', system: null };
  if (n === 1 && first === 'ignores') return { page: 'ignores' };
  if (first === 'systems' && second !== undefined) {
    if (n === 2) return { page: 'system', system: second };
    if (n === 3 && third === 'tls') return { page: 'tls', system: second };
    if (n === 3 && third === 'tests') return { page: 'tests', system: second };
    if (n === 4 && third === 'findings' && fourth !== undefined) return { page: 'finding', system: second, fingerprint: fourth };
  }
  return { page: 'not-found', path: pathname };
}

/**
 * A path segment: percent-encoded, dots included — the server answers a path whose last segment
 * has an extension (`/systems/shop.example`) as a missing file, not with the dashboard.
 */
const enc = (segment: string) => encodeURIComponent(segment).replaceAll('.', '%2E');

export const paths = {
  overview: () => '/',
  backlog: (search = '') => `/backlog${search && !search.startsWith('?') ? `?${search}` : search}`,
  system: (system: string) => `/systems/${enc(system)}`,
  finding: (system: string, fingerprint: string) => `/systems/${enc(system)}/findings/${enc(fingerprint)}`,
  eol: () => '/eol',
  tls: (system?: string) => (system ? `/systems/${enc(system)}/tls` : '/tls'),
  tests: (system?: string) => (system ? `/systems/${enc(system)}/tests` : '/tests'),
  ignores: () => '/ignores',
};

/** The nav entry a route belongs to (for `aria-current`). */
export function section(route: Route): 'overview' | 'backlog' | 'eol' | 'tls' | 'tests' | 'ignores' | null {
  switch (route.page) {
    case 'overview':
    case 'system':
      return 'overview';
    case 'backlog':
    case 'finding':
      return 'backlog';
    case 'eol':
    case 'tls':
    case 'tests':
    case 'ignores':
      return route.page;
    default:
      return null;
  }
}

/** True for a plain left click that the router should handle instead of the browser. */
export function isPlainClick(event: { button: number; metaKey: boolean; ctrlKey: boolean; shiftKey: boolean; altKey: boolean; defaultPrevented: boolean }): boolean {
  return !event.defaultPrevented && event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}
