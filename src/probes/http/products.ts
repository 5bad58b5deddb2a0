/**
 * Which endoflife.date product a disclosed server or framework is, so a `Server: nginx/1.18.0`
 * can feed end-of-life verdicts. A small table; every product id in it exists in the bundled data
 * (products.test.ts checks).
 */
import type { Disclosure } from './parsers.js';

export interface DisclosedComponent {
  /** endoflife.date product id, or null when the table has none or the version does not tell the release. */
  product: string | null;
  /** The version to judge against `product`'s cycles; the disclosed one except for OpenResty and IIS. */
  version: string;
  /** As disclosed: `nginx`, `PHP`, `Microsoft-IIS`. */
  name: string;
  /** As disclosed (numeric part): `1.18.0`. */
  disclosedVersion: string;
  header: string;
  note?: string;
}

/** Disclosed names (lower-cased) → endoflife.date product id. */
export const DISCLOSED_PRODUCTS: Readonly<Record<string, string>> = {
  nginx: 'nginx',
  apache: 'apache-http-server',
  httpd: 'apache-http-server',
  php: 'php',
  express: 'express',
  jetty: 'eclipse-jetty',
  tomcat: 'tomcat',
  'apache-tomcat': 'tomcat',
  openssl: 'openssl',
  python: 'python',
  cpython: 'python',
  node: 'nodejs',
  'node.js': 'nodejs',
  nodejs: 'nodejs',
  caddy: 'caddy',
  envoy: 'envoy',
  haproxy: 'haproxy',
  traefik: 'traefik',
  squid: 'squid',
  drupal: 'drupal',
  wordpress: 'wordpress',
  joomla: 'joomla',
  'joomla!': 'joomla',
  'next.js': 'nextjs',
  django: 'django',
  ruby: 'ruby',
  rails: 'ruby-on-rails',
};

/** IIS ships with one Windows Server release; IIS 10.0 spans 2016 to 2025 and tells none. */
const IIS_WINDOWS: Readonly<Record<string, string>> = {
  '6.0': '2003-sp2',
  '7.0': '2008-sp2',
  '7.5': '2008-r2-sp1',
  '8.0': '2012',
  '8.5': '2012-r2',
};

export function productOf(disclosure: Disclosure): DisclosedComponent {
  const base = { version: disclosure.version, name: disclosure.name, disclosedVersion: disclosure.version, header: disclosure.header };
  const key = disclosure.name.toLowerCase();
  if (key === 'openresty') {
    // OpenResty 1.21.4.1 is nginx 1.21.4 with modules: its nginx core is what ages.
    const core = disclosure.version.split('.').slice(0, 3).join('.');
    return { ...base, product: 'nginx', version: core, note: `OpenResty ${disclosure.version} bundles nginx ${core}` };
  }
  if (key === 'microsoft-iis') {
    const cycle = IIS_WINDOWS[disclosure.version.split('.').slice(0, 2).join('.')];
    return cycle === undefined
      ? { ...base, product: null, note: `IIS ${disclosure.version} ships with several Windows Server releases` }
      : { ...base, product: 'windows-server', version: cycle, note: `IIS ${disclosure.version} ships with Windows Server ${cycle}` };
  }
  if (key === 'asp.net') {
    // X-AspNet-Version is the CLR version: 4.0.30319 for every .NET Framework 4.x, 2.0.50727 for 2.0 to 3.5.
    return { ...base, product: null, note: 'X-AspNet-Version names the CLR, not the .NET Framework release' };
  }
  return { ...base, product: DISCLOSED_PRODUCTS[key] ?? null };
}
