/**
 * Builds `data/mozilla-tls/`, the Mozilla server-side TLS guidelines prodeng judges endpoints
 * against, from the copies of mozilla/ssl-config-generator's guideline files in
 * `../shared/data/mozilla-tls/` (`5.8.json`, `6.0.json`, `LICENSE`). Runs on Node 24 directly:
 *
 *   node scripts/build-mozilla-tls.ts [--source DIR] [--out DIR]
 *
 * Normalisation: `version` becomes a string (`"6.0"`, not the number 6), `source`, `asOf` and
 * `license` are added, profiles are written in the order modern, intermediate, old and every
 * profile's keys in alphabetical order; every value is copied as Mozilla publishes it (protocol
 * names stay `TLSv1`, curve names `prime256v1`). Unknown keys are kept. The output is read by
 * `src/tls/policy/guidelines.ts` (zod schema there); keep both in step.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The date both guideline versions were published (CHANGELOG: 5.8.0 and 6.0.0, 2026-04-06). */
const AS_OF = '2026-04-06';
const VERSIONS = ['5.8', '6.0'] as const;
const PROFILE_ORDER = ['modern', 'intermediate', 'old'];
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPOSITORY = 'https://github.com/mozilla/ssl-config-generator';

/** Keys every profile must carry; the policy reads all of them. */
const REQUIRED_KEYS = [
  'certificate_curves',
  'certificate_signatures',
  'certificate_types',
  'ciphers',
  'ciphersuites',
  'dh_param_size',
  'ecdh_param_size',
  'hsts_min_age',
  'maximum_certificate_lifespan',
  'ocsp_staple',
  'recommended_certificate_lifespan',
  'rsa_key_size',
  'server_preferred_order',
  'tls_curves',
  'tls_versions',
];

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = value[key];
  return out;
}

function normalise(version: string, raw: Record<string, unknown>): Record<string, unknown> {
  if (typeof raw.version !== 'number' && typeof raw.version !== 'string') throw new Error(`${version}.json: no version`);
  if (Number(raw.version).toFixed(1) !== version) throw new Error(`${version}.json: says version ${String(raw.version)}`);
  const configurations = raw.configurations as Record<string, Record<string, unknown>> | undefined;
  if (!configurations || typeof configurations !== 'object') throw new Error(`${version}.json: no configurations`);
  const names = Object.keys(configurations).sort((a, b) => {
    const rank = (name: string) => (PROFILE_ORDER.includes(name) ? PROFILE_ORDER.indexOf(name) : PROFILE_ORDER.length);
    return rank(a) - rank(b) || a.localeCompare(b);
  });
  const profiles: Record<string, unknown> = {};
  for (const name of names) {
    const profile = configurations[name]!;
    const missing = REQUIRED_KEYS.filter((key) => !(key in profile));
    if (missing.length > 0) throw new Error(`${version}.json: profile ${name} lacks ${missing.join(', ')}`);
    const ciphers = profile.ciphers as Record<string, unknown>;
    profiles[name] = sortKeys({ ...profile, ciphers: sortKeys(ciphers) });
  }
  return {
    version,
    href: typeof raw.href === 'string' ? raw.href : `https://ssl-config.mozilla.org/guidelines/${version}.json`,
    source: `${REPOSITORY} (src/static/guidelines/${version}.json)`,
    asOf: AS_OF,
    license: 'MPL-2.0, Mozilla (see LICENSE in this folder)',
    configurations: profiles,
  };
}

function writeAtomically(target: string, text: string | Buffer): void {
  const temp = `${target}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, target);
}

function readme(summaries: string[]): string {
  return `# Mozilla server-side TLS guidelines

The recommended TLS configurations prodeng's \`tls\` probe compares endpoints with
(\`src/tls/policy/mozilla.ts\`), as published by Mozilla:

- source: ${REPOSITORY}, files \`src/static/guidelines/5.8.json\` and \`6.0.json\`, also served
  at https://ssl-config.mozilla.org/guidelines/5.8.json and …/6.0.json
- date: **${AS_OF}** (both versions; see the project's CHANGELOG, entries 5.8.0 and 6.0.0)
- license: Mozilla Public License 2.0, in \`LICENSE\` next to this file. The JSON files here are
  normalised copies of the originals (Covered Software under the MPL-2.0); the originals are
  available at the source above.

| file | profiles |
| --- | --- |
${summaries.join('\n')}

prodeng uses \`modern\` and \`intermediate\` from 6.0 and \`old\` from 5.8 (6.0 no longer
publishes an \`old\` profile).

Normalisation by \`scripts/build-mozilla-tls.ts\` (do not edit these files by hand; rerun the
script): \`version\` is a string, \`source\`, \`asOf\` and \`license\` are added, profiles are in the
order modern, intermediate, old and keys in alphabetical order. Values are unchanged: protocol
names are Mozilla's (\`TLSv1\` is TLS 1.0), curve names OpenSSL's (\`prime256v1\` is P-256).
`;
}

function main(): void {
  const sourceDir = resolve(argument('--source') ?? join(ROOT, '..', 'shared', 'data', 'mozilla-tls'));
  const outDir = resolve(argument('--out') ?? join(ROOT, 'data', 'mozilla-tls'));
  mkdirSync(outDir, { recursive: true });
  const summaries: string[] = [];
  for (const version of VERSIONS) {
    const raw = JSON.parse(readFileSync(join(sourceDir, `${version}.json`), 'utf8')) as Record<string, unknown>;
    const data = normalise(version, raw);
    const json = `${JSON.stringify(data, null, 2)}\n`;
    JSON.parse(json); // never write something that does not parse
    writeAtomically(join(outDir, `${version}.json`), json);
    const profiles = Object.keys(data.configurations as Record<string, unknown>);
    summaries.push(`| \`${version}.json\` | ${profiles.join(', ')} |`);
    process.stdout.write(`${join(outDir, `${version}.json`)}: ${profiles.join(', ')}\n`);
  }
  // Copied by content: the source may be read-only, the copy must stay writable for the next run.
  const license = join(outDir, 'LICENSE');
  rmSync(license, { force: true });
  writeFileSync(license, readFileSync(join(sourceDir, 'LICENSE')));
  writeAtomically(join(outDir, 'README.md'), readme(summaries));
}

main();
