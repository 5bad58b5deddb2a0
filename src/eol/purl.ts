/** Package URLs (https://github.com/package-url/purl-spec), as far as product mapping needs them. */

export interface ParsedPurl {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * `pkg:npm/%40angular/core@17.0.0?x=y#sub` → { type: npm, namespace: @angular, name: core,
 * version: 17.0.0 }; null when the text is not a purl. Qualifiers and subpath are dropped.
 */
export function parsePurl(purl: string): ParsedPurl | null {
  const match = /^pkg:\/*([a-zA-Z][a-zA-Z0-9.+-]*)\/([^?#]+)/.exec(purl.trim());
  if (!match) return null;
  let path = match[2]!;
  let version: string | undefined;
  const at = path.lastIndexOf('@');
  // An `@` in the last segment after its first character separates the version (`%40` scopes are encoded).
  if (at > 0 && !path.slice(at).includes('/') && path[at - 1] !== '/') {
    version = decode(path.slice(at + 1));
    path = path.slice(0, at);
  }
  const segments = path
    .split('/')
    .filter((segment) => segment !== '')
    .map(decode);
  const name = segments.pop();
  if (!name) return null;
  const out: ParsedPurl = { type: match[1]!.toLowerCase(), name };
  if (segments.length > 0) out.namespace = segments.join('/');
  if (version) out.version = version;
  return out;
}

/** Percent-encodes one purl path segment (keeps the characters the spec allows unencoded). */
export function encodePurlSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/%2B/g, '+').replace(/%3A/g, ':');
}

/** Forms `pkg:type/namespace/name@version`, each part encoded. */
export function formatPurl(purl: ParsedPurl & { qualifiers?: Record<string, string> }): string {
  const path = [...(purl.namespace ? purl.namespace.split('/') : []), purl.name].map(encodePurlSegment).join('/');
  let out = `pkg:${purl.type}/${path}`;
  if (purl.version) out += `@${encodePurlSegment(purl.version)}`;
  const qualifiers = Object.entries(purl.qualifiers ?? {}).filter(([, value]) => value !== '');
  if (qualifiers.length > 0) {
    out += `?${qualifiers
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => `${key}=${encodeURIComponent(value).replace(/%2F/g, '/').replace(/%3A/g, ':')}`)
      .join('&')}`;
  }
  return out;
}
