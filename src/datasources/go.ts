/**
 * Go module proxy (GOPROXY protocol): `GET {base}/{module}/@v/list` (tagged versions, one per
 * line) and `{base}/{module}/@latest` (`{Version, Time}`), module paths and versions case-encoded
 * (`!` + lowercase for each uppercase letter). Publication times come from
 * `{base}/{module}/@v/{version}.info`, fetched only for the newest `infoLimit` versions (default
 * 20); older versions get `published: null`. A module without tags has its `@latest`
 * pseudo-version as its only release. The go.mod of the latest version (`@v/{latest}.mod`) gives
 * the module's `// Deprecated:` message (on every release) and its `retract`ed versions (yanked).
 * 404 and 410 both mean "no such module".
 */
import { z } from 'zod';
import { validate, type Endpoint, type HttpClient } from './http.js';
import type { PackageInfo, RegistrySource, ReleaseInfo } from './registry.js';

export const GO_DEFAULT_BASE = 'https://proxy.golang.org';
export const GO_DEFAULT_INFO_LIMIT = 20;

const SEMVER = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** `@latest` and `@v/{version}.info`. */
export const goInfoSchema = z.object({
  Version: z.string().regex(SEMVER, 'not a Go module version'),
  Time: z.string().nullish(),
});
export type GoInfo = z.infer<typeof goInfoSchema>;

/** Each line of `@v/list`: a canonical semantic version (`v1.2.3`, `v2.0.0+incompatible`). */
export const goVersionListSchema = z.array(z.string().regex(SEMVER, 'not a Go module version'));

/**
 * Case-encoding of the proxy protocol: `github.com/BurntSushi/toml` → `github.com/!burnt!sushi/toml`.
 * One-to-one on module paths and versions, which never contain `!`.
 */
export function escapeModulePath(path: string): string {
  return path.replace(/[A-Z]/g, (letter) => `!${letter.toLowerCase()}`);
}

/** The inverse of {@link escapeModulePath}; null for text no escaping produces (an uppercase letter, a `!` not before a–z). */
export function unescapeModulePath(escaped: string): string | null {
  let out = '';
  for (let i = 0; i < escaped.length; i++) {
    const char = escaped[i] as string;
    if (char >= 'A' && char <= 'Z') return null;
    if (char !== '!') {
      out += char;
      continue;
    }
    const next = escaped[i + 1];
    if (next === undefined || next < 'a' || next > 'z') return null;
    out += next.toUpperCase();
    i++;
  }
  return out;
}

/**
 * A module path the proxy could serve: slash-separated non-empty elements of ASCII letters,
 * digits and `-._~+`, none of them `.` or `..`. (Go's rules are stricter; the proxy judges those.)
 */
export function isModulePath(path: string): boolean {
  if (!/^[A-Za-z0-9._~+\-/]+$/.test(path)) return false;
  return path.split('/').every((element) => element !== '' && element !== '.' && element !== '..');
}

/** Semantic-version order of Go versions (build metadata ignored); invalid versions first, by text. */
export function compareGoVersions(a: string, b: string): number {
  const pa = SEMVER.exec(a);
  const pb = SEMVER.exec(b);
  if (!pa || !pb) return pa ? 1 : pb ? -1 : a < b ? -1 : a > b ? 1 : 0;
  for (let i = 1; i <= 3; i++) {
    const diff = Number(pa[i]) - Number(pb[i]);
    if (diff !== 0) return Math.sign(diff);
  }
  const preA = pa[4];
  const preB = pb[4];
  if (preA === undefined || preB === undefined) return preA === preB ? 0 : preA === undefined ? 1 : -1;
  const idsA = preA.split('.');
  const idsB = preB.split('.');
  for (let i = 0; i < Math.max(idsA.length, idsB.length); i++) {
    const x = idsA[i];
    const y = idsB[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const numX = /^\d+$/.test(x);
    const numY = /^\d+$/.test(y);
    if (numX && numY) {
      const diff = x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
      if (diff !== 0) return Math.sign(diff);
    } else if (numX !== numY) {
      return numX ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}

export interface GoMod {
  /** The module's `// Deprecated:` message, or null. */
  deprecated: string | null;
  /** Retracted intervals, inclusive (`retract v1.0.0` is `[v1.0.0, v1.0.0]`). */
  retracted: Array<[low: string, high: string]>;
}

/**
 * What a go.mod says about the module's upkeep: a `Deprecated:` paragraph in the comments just
 * before the `module` directive or after it on its line, and its `retract` directives.
 */
export function parseGoMod(text: string): GoMod {
  const lines = text.split(/\r?\n/);
  let deprecated: string | null = null;
  const retracted: Array<[string, string]> = [];
  let inRetractBlock = false;
  const comment = (line: string): string | null => {
    const at = line.indexOf('//');
    return at < 0 ? null : line.slice(at + 2).replace(/^ /, '');
  };
  const code = (line: string): string => {
    const at = line.indexOf('//');
    return (at < 0 ? line : line.slice(0, at)).trim();
  };
  const addRetraction = (spec: string): void => {
    const interval = /^\[\s*(\S+?)\s*,\s*(\S+?)\s*\]$/.exec(spec);
    if (interval?.[1] && interval[2]) retracted.push([interval[1], interval[2]]);
    else if (SEMVER.test(spec)) retracted.push([spec, spec]);
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const statement = code(line);
    if (inRetractBlock) {
      if (statement === ')') inRetractBlock = false;
      else if (statement) addRetraction(statement);
      continue;
    }
    if (/^module\s/.test(statement) && deprecated === null) {
      const block: string[] = [];
      for (let j = i - 1; j >= 0; j--) {
        const above = (lines[j] as string).trim();
        if (!above.startsWith('//')) break;
        block.unshift(comment(above) ?? '');
      }
      const trailing = comment(line);
      if (trailing !== null) block.push(trailing);
      deprecated = deprecationParagraph(block);
    } else if (/^retract\s*\($/.test(statement)) {
      inRetractBlock = true;
    } else if (/^retract\s/.test(statement)) {
      addRetraction(statement.slice('retract'.length).trim());
    }
  }
  return { deprecated, retracted };
}

function deprecationParagraph(commentLines: readonly string[]): string | null {
  const paragraphs: string[][] = [[]];
  for (const line of commentLines) {
    if (line.trim() === '') paragraphs.push([]);
    else paragraphs[paragraphs.length - 1]?.push(line.trim());
  }
  for (const paragraph of paragraphs) {
    const first = paragraph[0];
    if (first?.startsWith('Deprecated:')) {
      const message = [first.slice('Deprecated:'.length), ...paragraph.slice(1)].join(' ').trim();
      return message.length > 0 ? message : 'deprecated';
    }
  }
  return null;
}

export interface GoSourceOptions {
  /** `.info` requests for at most this many of the newest versions. Default 20; 0 for none. */
  infoLimit?: number;
}

export function createGoSource(http: HttpClient, endpoint: Endpoint, options: GoSourceOptions = {}): RegistrySource {
  const infoLimit = Math.max(0, Math.floor(options.infoLimit ?? GO_DEFAULT_INFO_LIMIT));
  const get = <T>(url: string, schema: z.ZodType<T>, signal: AbortSignal) => http.getJson(url, schema, { signal, headers: endpoint.headersFor(url) });

  return {
    ecosystem: 'go',
    host: endpoint.host,
    // the proxy is case-sensitive: `github.com/Sirupsen/logrus` and `github.com/sirupsen/logrus` differ
    cacheKey: (name) => name.trim(),
    async lookup(name, signal) {
      const module = name.trim();
      if (!isModulePath(module)) return null;
      const root = `${endpoint.base}/${escapeModulePath(module)}`;
      const listUrl = `${root}/@v/list`;
      const [listText, latest] = await Promise.all([
        http.getText(listUrl, { signal, headers: { Accept: 'text/plain', ...endpoint.headersFor(listUrl) } }),
        get(`${root}/@latest`, goInfoSchema, signal),
      ]);
      if (listText === null) return null;
      const lines = [...new Set(listText.split('\n').map((line) => line.trim()).filter((line) => line.length > 0))];
      const versions = validate(goVersionListSchema, lines, endpoint.host, new URL(listUrl).pathname);
      if (versions.length === 0 && latest !== null) versions.push(latest.Version);

      const newest = [...versions].sort((a, b) => compareGoVersions(b, a)).slice(0, infoLimit);
      const times = new Map<string, string | null>();
      if (latest !== null) times.set(latest.Version, latest.Time ?? null);
      // the go.mod of the latest version says whether the module is deprecated and what is retracted
      const modVersion = latest?.Version ?? newest[0];
      const modUrl = modVersion === undefined ? undefined : `${root}/@v/${escapeModulePath(modVersion)}.mod`;
      const [goMod] = await Promise.all([
        modUrl === undefined ? null : http.getText(modUrl, { signal, headers: { Accept: 'text/plain', ...endpoint.headersFor(modUrl) } }),
        ...newest
          .filter((version) => !times.has(version))
          .map(async (version) => {
            const info = await get(`${root}/@v/${escapeModulePath(version)}.info`, goInfoSchema, signal);
            times.set(version, info?.Time ?? null);
          }),
      ]);
      const { deprecated, retracted } = parseGoMod(typeof goMod === 'string' ? goMod : '');
      const releases: ReleaseInfo[] = versions.map((version) => ({
        version,
        published: times.get(version) ?? null,
        deprecated,
        yanked: retracted.some(([low, high]) => compareGoVersions(low, version) <= 0 && compareGoVersions(version, high) <= 0),
      }));
      return { ecosystem: 'go', name: module, latest: latest?.Version ?? null, releases } satisfies PackageInfo;
    },
  };
}
