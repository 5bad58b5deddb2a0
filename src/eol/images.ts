/**
 * Container image references → components. One reference can name several products: the image's
 * own (`node:16-buster` is Node.js 16), the base OS its tag names (Debian 10 for `buster`), and a
 * runtime named in the tag (`tomcat:9.0-jdk17-temurin-jammy` carries Temurin 17, `wordpress:6.3-php8.1`
 * PHP 8.1). Registry prefixes that mirror Docker Hub (`docker.io/library/`,
 * `public.ecr.aws/docker/library/`, `mirror.gcr.io/`) are dropped; images of other registries keep
 * their host and map only through the table in products.ts.
 */
import type { Component, ComponentKind, SourceRef } from '../probes/versions/model.js';
import { activeEolData, type EolData } from './data.js';
import { javaProductForVendor, kindForProduct, osForCodename, productForImageRepository } from './products.js';
import { formatPurl } from './purl.js';
import { cycleFor, isExactVersion } from './verdict.js';

export interface ImageReference {
  /** The reference as written (trimmed). */
  raw: string;
  /** Registry host, lowercased; null for Docker Hub. */
  registry: string | null;
  /** Path inside the registry (`library/node`, `bitnami/redis`, `org/app`). */
  path: string;
  /** What people call it: `node`, `bitnami/redis`, `ghcr.io/org/app`. */
  repository: string;
  tag: string | null;
  digest: string | null;
}

const HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[A-Za-z0-9=_-]{8,}$/;
const REGISTRY = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:]+\])(?::\d{1,5})?$/;

/** Template syntax (Helm, GitHub Actions, shell, Jinja) that makes a value not a literal reference. */
export function isTemplated(value: string): boolean {
  return value.includes('{{') || value.includes('${') || value.includes('{%') || /\$[A-Za-z_(]/.test(value);
}

/** Parses `[registry/]path[:tag][@digest]`; null when it is not a valid image reference. */
export function parseImageReference(reference: string): ImageReference | null {
  const raw = reference.trim();
  if (raw === '' || raw.length > 512 || /\s/.test(raw)) return null;
  let rest = raw;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return null;
  }
  let tag: string | null = null;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return null;
  }
  const parts = rest.split('/');
  let registry: string | null = null;
  if (parts.length > 1 && (parts[0]!.includes('.') || parts[0]!.includes(':') || parts[0] === 'localhost')) {
    registry = parts.shift()!.toLowerCase();
    if (!REGISTRY.test(registry)) return null;
  }
  if (parts.length === 0 || !parts.every((part) => PATH_COMPONENT.test(part))) return null;
  let path = parts.join('/');
  if (registry !== null && HUB_HOSTS.has(registry)) registry = null;
  if (registry === 'public.ecr.aws' && path.startsWith('docker/library/')) {
    registry = null;
    path = path.slice('docker/'.length);
  }
  if (registry === 'mirror.gcr.io') registry = null;
  if (registry === null && !path.includes('/')) path = `library/${path}`;
  const repository = registry !== null ? `${registry}/${path}` : path.startsWith('library/') ? path.slice('library/'.length) : path;
  return { raw, registry, path, repository, tag, digest };
}

/** One product found in an image reference. */
export interface ImagePart {
  kind: ComponentKind;
  name: string;
  product: string | null;
  cycle: string | null;
  /** Exact version when the tag names one (`16.20.1`, `15.4.0`). */
  version: string | null;
  /** The tag or tag part as written when no exact version is known (`16-buster`, `buster`, `latest`). */
  constraint: string | null;
}

export interface ImageResolution {
  image: ImageReference;
  /** The image itself first, then the OS and runtimes its name or tag names. */
  parts: ImagePart[];
}

export interface ImageOptions {
  data?: EolData;
  now?: Date;
}

interface Context {
  data: EolData;
  now: Date;
}

const OS_NAMES: Readonly<Record<string, string>> = { 'alpine-linux': 'alpine' };

function osName(product: string): string {
  return OS_NAMES[product] ?? product;
}

function cycleOf(product: string | null, text: string, context: Context): string | null {
  return product === null ? null : cycleFor(product, text, context);
}

function osPart(product: string, cycleText: string | null, constraint: string, context: Context): ImagePart {
  const cycle = cycleText === null ? null : cycleFor(product, cycleText, context);
  return { kind: 'os', name: osName(product), product, cycle, version: null, constraint };
}

const VERSION_TOKEN = /^v?\d+(?:\.\d+)*$/;

/**
 * The base OS a tag names: `buster`, `slim-bookworm`, `jammy`, `alpine3.14`, `debian-11`,
 * `ubuntu22.04`, `al2023`, `ubi8`, `centos7`, `oraclelinux8`, `ltsc2022`…
 */
function osFromTokens(tokens: readonly string[], context: Context): ImagePart | null {
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    const next = tokens[index + 1];
    const numericNext = next !== undefined && VERSION_TOKEN.test(next) ? next : null;
    let match: RegExpExecArray | null;
    const codename = osForCodename(token, context.data);
    if (codename) return { kind: 'os', name: codename.product, product: codename.product, cycle: codename.cycle, version: null, constraint: token };
    if ((match = /^alpine(\d+\.\d+(?:\.\d+)?)?$/.exec(token))) {
      const version = match[1] ?? numericNext;
      return osPart('alpine-linux', version, match[1] || !numericNext ? token : `${token}-${numericNext}`, context);
    }
    if (token === 'sid') return osPart('debian', null, token, context);
    if ((match = /^debian(\d+)?$/.exec(token))) {
      const version = match[1] ?? numericNext;
      return osPart('debian', version, match[1] || !numericNext ? token : `${token}-${numericNext}`, context);
    }
    if ((match = /^ubuntu(\d{2}\.\d{2}|\d{4})?$/.exec(token))) {
      let version = match[1] ?? numericNext;
      if (version && /^\d{4}$/.test(version)) version = `${version.slice(0, 2)}.${version.slice(2)}`;
      return osPart('ubuntu', version, match[1] || !numericNext ? token : `${token}-${numericNext}`, context);
    }
    if ((match = /^(?:al|amazonlinux)(2|2023)?$/.exec(token)) && (match[1] || token === 'amazonlinux')) {
      return osPart('amazon-linux', match[1] ?? numericNext, token, context);
    }
    if ((match = /^ubi(\d+)(?:\.\d+)?$/.exec(token)) || (match = /^rhel(\d+)$/.exec(token))) return osPart('rhel', match[1]!, token, context);
    if ((match = /^centos(\d+)$/.exec(token))) return osPart('centos', match[1]!, token, context);
    if ((match = /^stream(\d+)$/.exec(token))) return osPart('centos-stream', match[1]!, token, context);
    if ((match = /^(?:oraclelinux|ol)(\d+)$/.exec(token))) return osPart('oracle-linux', match[1]!, token, context);
    if (token === 'oracle' || token === 'oraclelinux') return osPart('oracle-linux', numericNext, token, context);
    if ((match = /^(?:rockylinux|rocky)(\d+)$/.exec(token))) return osPart('rocky-linux', match[1]!, token, context);
    if ((match = /^almalinux(\d+)$/.exec(token))) return osPart('almalinux', match[1]!, token, context);
    if ((match = /^fedora(\d+)$/.exec(token))) return osPart('fedora', match[1]!, token, context);
    if (token === 'windowsservercore' || token === 'servercore' || token === 'nanoserver') {
      const product = token === 'nanoserver' ? 'windows-nano-server' : 'windows-server';
      const ltsc = next !== undefined ? /^ltsc(\d{4})$/.exec(next) : null;
      return osPart(product, ltsc ? ltsc[1]! : next ?? null, next ? `${token}-${next}` : token, context);
    }
  }
  return null;
}

const JAVA_VENDOR_TOKENS: Readonly<Record<string, string>> = {
  temurin: 'temurin',
  corretto: 'corretto',
  amazoncorretto: 'corretto',
  sapmachine: 'sapmachine',
  semeru: 'semeru',
  zulu: 'zulu',
  liberica: 'liberica',
  graalvm: 'graalvm',
  openjdk: 'openjdk',
};

/** A Java runtime a tag names (`jdk17`, `jre-17`, `eclipse-temurin-17`, `openjdk-11`, `amazoncorretto-21`). */
function javaFromTokens(tokens: readonly string[], context: Context): ImagePart | null {
  let version: string | null = null;
  let written = '';
  let vendor: string | null = null;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    const next = tokens[index + 1];
    if (Object.hasOwn(JAVA_VENDOR_TOKENS, token)) vendor ??= JAVA_VENDOR_TOKENS[token]!;
    if (version !== null) continue;
    const glued = /^(?:jdk|jre|java|openjdk|temurin|corretto)(\d+)$/.exec(token);
    if (glued) {
      version = glued[1]!;
      written = token;
    } else if (/^(?:jdk|jre|java|openjdk|temurin|corretto|amazoncorretto|sapmachine|semeru|zulu|liberica)$/.test(token) && next && /^\d+$/.test(next)) {
      version = next;
      written = `${token}-${next}`;
    }
  }
  if (version === null) return null;
  const product = javaProductForVendor(vendor);
  return { kind: 'runtime', name: 'java', product, cycle: cycleOf(product, version, context), version: null, constraint: written };
}

/** Other runtimes a tag names: `php8.1` (wordpress), `python3.11` (airflow), `node18` (cypress). */
function runtimesFromTokens(tokens: readonly string[], skip: string | null, context: Context): ImagePart[] {
  const parts: ImagePart[] = [];
  const seen = new Set<string>();
  for (const token of tokens) {
    const match = /^(php|python|node|ruby)(\d+(?:\.\d+)*)$/.exec(token);
    if (!match) continue;
    const product = match[1] === 'node' ? 'nodejs' : match[1]!;
    if (product === skip || seen.has(product)) continue;
    seen.add(product);
    parts.push({ kind: 'runtime', name: match[1]!, product, cycle: cycleOf(product, match[2]!, context), version: null, constraint: token });
  }
  return parts;
}

const LEADING_WORDS = new Set(['open', 'jdk', 'jre', 'release', 'version']);

/** The image's own part from its tag: version or constraint, and the cycle. */
function mainPart(image: ImageReference, product: string | null, tokens: readonly string[], context: Context): ImagePart {
  const kind: ComponentKind = product === null ? 'middleware' : kindForProduct(product, context.data);
  const part: ImagePart = { kind, name: image.repository, product, cycle: null, version: null, constraint: null };
  if (image.tag === null) {
    part.constraint = image.digest ?? 'latest';
    return part;
  }
  // `open-17-jre` (IBM Semeru), `jdk-21`: a word before the version.
  const head = (LEADING_WORDS.has(tokens[0] ?? '') && VERSION_TOKEN.test(tokens[1] ?? '') ? tokens[1] : tokens[0]) ?? '';
  if (head === 'latest') {
    part.constraint = image.tag;
    return part;
  }
  part.cycle = cycleOf(product, head, context);
  const version = head.replace(/^v(?=\d)/, '');
  if (VERSION_TOKEN.test(head) && isExactVersion(product, version, context.data)) part.version = version;
  else part.constraint = image.tag;
  return part;
}

const UBI_RUNTIMES: Readonly<Record<string, string>> = {
  nodejs: 'nodejs',
  python: 'python',
  ruby: 'ruby',
  php: 'php',
  openjdk: 'red-hat-build-of-openjdk',
  dotnet: 'dotnet',
  'go-toolset': 'go',
};

const DEVCONTAINER_PRODUCTS: Readonly<Record<string, string>> = {
  'javascript-node': 'nodejs',
  'typescript-node': 'nodejs',
  python: 'python',
  go: 'go',
  java: 'microsoft-build-of-openjdk',
  ruby: 'ruby',
  php: 'php',
  rust: 'rust',
  dotnet: 'dotnet',
};

const MSSQL_YEARS: Readonly<Record<string, string>> = { '2017': '14.0', '2019': '15.0', '2022': '16.0', '2025': '17.0' };

/** `39` → `3.9`, `311` → `3.11`, `18` → `18` for runtimes whose image names drop the dot. */
function undotted(product: string, digits: string): string {
  if ((product === 'python' || product === 'ruby' || product === 'php') && /^\d{2,3}$/.test(digits)) return `${digits[0]}.${digits.slice(1)}`;
  if (product === 'dotnet' && /^\d{2}$/.test(digits)) return `${digits[0]}.${digits[1]}`;
  return digits;
}

/** Images whose name, not only their tag, carries versions. */
function special(image: ImageReference, tokens: readonly string[], context: Context): ImagePart[] | null {
  const { registry, path } = image;
  let match: RegExpExecArray | null;
  if (registry === 'gcr.io' && (match = /^distroless\/([a-z]+?)(\d+)?(?:-base)?(?:-debian(\d+))?$/.exec(path))) {
    const [, language, languageVersion, debian] = match;
    const os = debian ? osPart('debian', debian, `debian${debian}`, context) : null;
    const runtime =
      language === 'nodejs' ? 'nodejs' : language === 'python' ? 'python' : language === 'java' ? javaProductForVendor(null) : null;
    if (runtime === null) {
      if (!os) return [mainPart(image, null, tokens, context)];
      return [{ ...os, name: image.repository, constraint: image.tag ?? os.constraint }];
    }
    const main: ImagePart = {
      kind: 'runtime',
      name: image.repository,
      product: runtime,
      cycle: languageVersion ? cycleOf(runtime, languageVersion, context) : null,
      version: null,
      constraint: image.tag ?? 'latest',
    };
    return os ? [main, os] : [main];
  }
  if ((registry === 'registry.access.redhat.com' || registry === 'registry.redhat.io') && (match = /^(ubi\d+)(?:\/(.+))?$/.exec(path))) {
    const rhel = match[1]!.slice(3);
    const os = osPart('rhel', rhel, match[1]!, context);
    const runtime = match[2] ? /^(nodejs|python|ruby|php|openjdk|dotnet|go-toolset)-(\d+)/.exec(match[2]) : null;
    if (!runtime) return [{ ...os, name: image.repository, constraint: image.tag ?? 'latest' }];
    const product = UBI_RUNTIMES[runtime[1]!]!;
    const version = undotted(product, runtime[2]!);
    return [
      { kind: 'runtime', name: image.repository, product, cycle: cycleOf(product, version, context), version: null, constraint: image.tag ?? 'latest' },
      os,
    ];
  }
  if (registry === 'mcr.microsoft.com' && (match = /^(?:vscode\/)?devcontainers\/([a-z-]+)$/.exec(path))) {
    // Tags: `1-20-bullseye` (image major, then the runtime's version), `3.11`, `jammy`, `ubuntu-22.04`.
    const rest = tokens.length > 1 && /^\d$/.test(tokens[0]!) && /^\d/.test(tokens[1]!) ? tokens.slice(1) : tokens;
    const product = DEVCONTAINER_PRODUCTS[match[1]!] ?? null;
    const os = osFromTokens(rest, context);
    if (product === null) {
      if (os && match[1] === 'base') return [{ ...os, name: image.repository, constraint: image.tag ?? 'latest' }];
      return os ? [mainPart(image, null, rest, context), os] : [mainPart(image, null, rest, context)];
    }
    const head = rest[0] ?? '';
    const main: ImagePart = {
      kind: kindForProduct(product, context.data),
      name: image.repository,
      product,
      cycle: VERSION_TOKEN.test(head) ? cycleOf(product, head, context) : null,
      version: null,
      constraint: image.tag ?? 'latest',
    };
    return os ? [main, os] : [main];
  }
  if (registry === 'mcr.microsoft.com' && path === 'mssql/server') {
    const main = mainPart(image, 'mssqlserver', tokens, context);
    const year = tokens[0];
    if (year && Object.hasOwn(MSSQL_YEARS, year)) main.cycle = cycleOf('mssqlserver', MSSQL_YEARS[year]!, context);
    const os = osFromTokens(tokens.slice(1), context);
    return os ? [main, os] : [main];
  }
  if (registry === 'mcr.microsoft.com' && /^windows\/(servercore|server|nanoserver)$/.test(path)) {
    const product = path.endsWith('nanoserver') ? 'windows-nano-server' : 'windows-server';
    const main = mainPart(image, product, tokens, context);
    const ltsc = /^ltsc(\d{4})$/.exec(tokens[0] ?? '');
    if (ltsc) main.cycle = cycleOf(product, ltsc[1]!, context);
    return [main];
  }
  return null;
}

/**
 * The products an image reference names, or null when it is not a valid reference. Never throws.
 *
 * @example resolveImage('node:16-buster').parts
 * // [{ kind: 'runtime', name: 'node', product: 'nodejs', cycle: '16', constraint: '16-buster' },
 * //  { kind: 'os', name: 'debian', product: 'debian', cycle: '10', constraint: 'buster' }]
 */
export function resolveImage(reference: string, options: ImageOptions = {}): ImageResolution | null {
  const image = parseImageReference(reference);
  if (!image) return null;
  const context: Context = { data: options.data ?? activeEolData(), now: options.now ?? new Date() };
  const tokens = (image.tag ?? '').toLowerCase().split(/[-_]/).filter((token) => token !== '');
  const specialParts = special(image, tokens, context);
  if (specialParts) return { image, parts: specialParts };

  const product = productForImageRepository(image.repository, context.data);
  const main = mainPart(image, product, tokens, context);
  const parts: ImagePart[] = [main];
  const category = product === null ? null : context.data.products[product]?.category;
  if (category !== 'os') {
    // The head token is the image's own version or keyword; the OS comes after it (or is the whole tag: `bookworm`).
    const os = osFromTokens(VERSION_TOKEN.test(tokens[0] ?? '') ? tokens.slice(1) : tokens, context);
    if (os) parts.push(os);
  }
  if (category !== 'lang') {
    // A JDK image's own tag (`17-jdk-jammy`) is not a second Java.
    const java = javaFromTokens(tokens.slice(1), context);
    if (java) parts.push(java);
  }
  parts.push(...runtimesFromTokens(tokens.slice(1), product, context));
  return { image, parts };
}

/** The purl of an image (`pkg:docker/library/node@16-buster`, with `repository_url` off Docker Hub). */
export function imagePurl(image: ImageReference): string {
  const segments = image.path.split('/');
  const name = segments.pop()!;
  return formatPurl({
    type: 'docker',
    ...(segments.length > 0 ? { namespace: segments.join('/') } : {}),
    name,
    ...(image.tag ?? image.digest ? { version: (image.tag ?? image.digest)! } : {}),
    ...(image.registry !== null ? { qualifiers: { repository_url: image.registry } } : {}),
  });
}

export interface ImageComponentOptions extends ImageOptions {
  dev?: boolean;
}

/**
 * Components for an image reference written at `source`: the image's own, then its OS and any
 * runtime its tag names. Empty for an invalid reference (callers report it) and for `scratch`.
 */
export function imageComponents(reference: string, source: SourceRef, options: ImageComponentOptions = {}): Component[] {
  if (reference.trim().toLowerCase() === 'scratch') return [];
  const resolution = resolveImage(reference, options);
  if (!resolution) return [];
  return resolution.parts.map((part, index) => {
    const component: Component = {
      kind: part.kind,
      name: part.name,
      version: part.version,
      ecosystem: null,
      direct: true,
      dev: options.dev ?? false,
      source: { ...source },
    };
    if (part.version === null && part.constraint !== null) component.constraint = part.constraint;
    if (part.product !== null) component.product = part.product;
    if (part.cycle !== null) component.cycle = part.cycle;
    if (index === 0) component.purl = imagePurl(resolution.image);
    return component;
  });
}
