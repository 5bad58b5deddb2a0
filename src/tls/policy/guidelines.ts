/**
 * Mozilla's server-side TLS guidelines (MPL-2.0), bundled as `data/mozilla-tls/5.8.json` and
 * `6.0.json` (built by `scripts/build-mozilla-tls.ts`). `modern` and `intermediate` come from 6.0,
 * `old` from 5.8, the last version that publishes it.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export type MozillaProfileName = 'modern' | 'intermediate' | 'old';
export const MOZILLA_PROFILES: readonly MozillaProfileName[] = ['modern', 'intermediate', 'old'];

/** Which guideline version each profile is taken from. */
export const PROFILE_VERSION: Record<MozillaProfileName, string> = { modern: '6.0', intermediate: '6.0', old: '5.8' };

const names = z.array(z.string().min(1));
const size = z.number().int().positive().nullable();

export const mozillaProfileSchema = z.object({
  /** OpenSSL curve names (`prime256v1`, `secp384r1`) allowed for ECDSA certificates. */
  certificate_curves: names,
  /** OpenSSL signature algorithm names (`sha256WithRSAEncryption`, `ecdsa-with-SHA256`). */
  certificate_signatures: names,
  /** `rsa`, `ecdsa`. */
  certificate_types: names,
  /** TLS 1.2 and older suites, IANA and OpenSSL names, in the recommended order. */
  ciphers: z.object({ iana: names, openssl: names }),
  /** TLS 1.3 suites (IANA names). */
  ciphersuites: names,
  dh_param_size: size,
  ecdh_param_size: size,
  hsts_min_age: z.number().int().nonnegative(),
  /** Days. */
  maximum_certificate_lifespan: z.number().int().positive(),
  ocsp_staple: z.boolean(),
  oldest_clients: names,
  recommended_certificate_lifespan: size,
  rsa_key_size: size,
  server_preferred_order: z.boolean(),
  /** Key exchange groups (`X25519MLKEM768`, `X25519`, `prime256v1`, `secp384r1`). */
  tls_curves: names,
  /** Mozilla's names: `TLSv1` is TLS 1.0. */
  tls_versions: z.array(z.enum(['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'])),
});

export const mozillaGuidelinesSchema = z.object({
  version: z.string().regex(/^\d+\.\d+$/),
  href: z.string().min(1),
  source: z.string().min(1),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  license: z.string().min(1),
  configurations: z.object({
    modern: mozillaProfileSchema.optional(),
    intermediate: mozillaProfileSchema.optional(),
    old: mozillaProfileSchema.optional(),
  }),
});

export type MozillaProfile = z.infer<typeof mozillaProfileSchema>;
export type MozillaGuidelines = z.infer<typeof mozillaGuidelinesSchema>;

/** The bundled guideline files are missing or do not have the expected shape (a packaging bug). */
export class MozillaGuidelinesError extends Error {
  readonly code = 'mozilla-guidelines';
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'MozillaGuidelinesError';
  }
}

export const GUIDELINES_RELATIVE_DIR = 'data/mozilla-tls';

/**
 * Finds `data/mozilla-tls/<version>.json` by looking in the module's folder and up to 4 levels
 * above it: works from `src/tls/policy/` (tests; three levels), `dist/tls/policy/` and
 * `dist/bundle/`.
 */
export function findGuidelinesFile(version: string, fromUrl: string = import.meta.url): string | null {
  let dir = dirname(fileURLToPath(fromUrl));
  for (let level = 0; level <= 4; level++) {
    const candidate = join(dir, GUIDELINES_RELATIVE_DIR, `${version}.json`);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here; go up
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

/** Parses and validates one guideline file's text. Throws {@link MozillaGuidelinesError}. */
export function parseMozillaGuidelines(text: string, path: string): MozillaGuidelines {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MozillaGuidelinesError(`${path}: not JSON (${(error as Error).message})`, path);
  }
  const parsed = mozillaGuidelinesSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new MozillaGuidelinesError(`${path}: not Mozilla TLS guidelines as prodeng bundles them (${issues})`, path);
  }
  return parsed.data;
}

const cache = new Map<string, MozillaGuidelines>();

/** The bundled guidelines of one version (`5.8`, `6.0`), read once. */
export function loadMozillaGuidelines(version: string): MozillaGuidelines {
  const cached = cache.get(version);
  if (cached) return cached;
  const path = findGuidelinesFile(version);
  if (path === null) {
    throw new MozillaGuidelinesError(`${GUIDELINES_RELATIVE_DIR}/${version}.json not found near ${fileURLToPath(import.meta.url)}`, `${GUIDELINES_RELATIVE_DIR}/${version}.json`);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new MozillaGuidelinesError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, path);
  }
  const data = parseMozillaGuidelines(text, path);
  if (data.version !== version) throw new MozillaGuidelinesError(`${path}: says version ${data.version}, expected ${version}`, path);
  cache.set(version, data);
  return data;
}

export interface ResolvedProfile {
  name: MozillaProfileName;
  /** The guideline version it comes from (`6.0`, `5.8`). */
  version: string;
  profile: MozillaProfile;
}

/** A profile from the version prodeng uses for it ({@link PROFILE_VERSION}). */
export function mozillaProfile(name: MozillaProfileName): ResolvedProfile {
  const version = PROFILE_VERSION[name];
  const guidelines = loadMozillaGuidelines(version);
  const profile = guidelines.configurations[name];
  if (!profile) {
    throw new MozillaGuidelinesError(`${GUIDELINES_RELATIVE_DIR}/${version}.json has no ${name} profile`, `${GUIDELINES_RELATIVE_DIR}/${version}.json`);
  }
  return { name, version, profile };
}
