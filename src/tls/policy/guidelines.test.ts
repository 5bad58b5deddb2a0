import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { findGuidelinesFile, loadMozillaGuidelines, mozillaProfile, MozillaGuidelinesError, parseMozillaGuidelines } from './guidelines.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SHARED = join(ROOT, '..', 'shared', 'data', 'mozilla-tls');

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('bundled Mozilla guidelines', () => {
  it('are found from src/tls/policy, dist/tls/policy and dist/bundle', () => {
    const expected = join(ROOT, 'data', 'mozilla-tls', '6.0.json');
    expect(findGuidelinesFile('6.0')).toBe(expected);
    expect(findGuidelinesFile('6.0', pathToFileURL(join(ROOT, 'dist', 'tls', 'policy', 'guidelines.js')).href)).toBe(expected);
    expect(findGuidelinesFile('6.0', pathToFileURL(join(ROOT, 'dist', 'bundle', 'main.js')).href)).toBe(expected);
    expect(findGuidelinesFile('9.9')).toBeNull();
  });

  it('load and validate, with source, date and license', () => {
    const v60 = loadMozillaGuidelines('6.0');
    expect(v60.version).toBe('6.0');
    expect(v60.asOf).toBe('2026-04-06');
    expect(v60.source).toContain('mozilla/ssl-config-generator');
    expect(v60.license).toContain('MPL-2.0');
    expect(Object.keys(v60.configurations)).toEqual(['modern', 'intermediate']);
    expect(Object.keys(loadMozillaGuidelines('5.8').configurations)).toEqual(['modern', 'intermediate', 'old']);
    expect(readFileSync(join(ROOT, 'data', 'mozilla-tls', 'LICENSE'), 'utf8')).toContain('Mozilla Public License Version 2.0');
    expect(readFileSync(join(ROOT, 'data', 'mozilla-tls', 'README.md'), 'utf8')).toContain('2026-04-06');
  });

  it('takes modern and intermediate from 6.0 and old from 5.8', () => {
    const intermediate = mozillaProfile('intermediate');
    expect(intermediate.version).toBe('6.0');
    expect(intermediate.profile.tls_versions).toEqual(['TLSv1.2', 'TLSv1.3']);
    expect(intermediate.profile.tls_curves).toContain('X25519MLKEM768');
    expect(intermediate.profile.rsa_key_size).toBe(2048);
    expect(mozillaProfile('modern').profile.ciphers.iana).toEqual([]);
    const old = mozillaProfile('old');
    expect(old.version).toBe('5.8');
    expect(old.profile.tls_versions).toEqual(['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']);
    expect(old.profile.ciphers.iana).toContain('TLS_RSA_WITH_3DES_EDE_CBC_SHA');
    expect(old.profile.server_preferred_order).toBe(true);
  });

  it('rejects what is not guideline data', () => {
    expect(() => parseMozillaGuidelines('{', 'x.json')).toThrow(MozillaGuidelinesError);
    expect(() => parseMozillaGuidelines('{"version":"6.0"}', 'x.json')).toThrow(/not Mozilla TLS guidelines/);
    const text = readFileSync(join(ROOT, 'data', 'mozilla-tls', '6.0.json'), 'utf8').replace('"ocsp_staple": true', '"ocsp_staple": "yes"');
    expect(() => parseMozillaGuidelines(text, 'x.json')).toThrow(/ocsp_staple/);
  });

  it.runIf(existsSync(join(SHARED, '6.0.json')))('are exactly what the build script makes from the published files', () => {
    const out = mkdtempSync(join(tmpdir(), 'prodeng-mozilla-tls-'));
    temps.push(out);
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-mozilla-tls.ts'), '--source', SHARED, '--out', out], { stdio: 'pipe' });
    for (const file of ['5.8.json', '6.0.json', 'LICENSE', 'README.md']) {
      expect(readFileSync(join(out, file), 'utf8'), file).toBe(readFileSync(join(ROOT, 'data', 'mozilla-tls', file), 'utf8'));
    }
    // Values are copied, not reinterpreted.
    for (const version of ['5.8', '6.0']) {
      const original = JSON.parse(readFileSync(join(SHARED, `${version}.json`), 'utf8')) as { configurations: unknown };
      expect(parseMozillaGuidelines(readFileSync(join(out, `${version}.json`), 'utf8'), version).configurations).toEqual(original.configurations);
    }
  });
});
