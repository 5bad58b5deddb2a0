import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cipherByValue, cipherTable, cipherTableSchema, findTlsDataFile, formatCode, groupByCode, groupTable, parseTable, TlsDataError } from './index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('bundled TLS tables', () => {
  it('are found from src/tls/data, dist/tls/data and dist/bundle', () => {
    const expected = join(ROOT, 'data', 'tls', 'ciphers.json');
    expect(findTlsDataFile('data/tls/ciphers.json')).toBe(expected);
    expect(findTlsDataFile('data/tls/ciphers.json', pathToFileURL(join(ROOT, 'dist', 'tls', 'data', 'index.js')).href)).toBe(expected);
    expect(findTlsDataFile('data/tls/ciphers.json', pathToFileURL(join(ROOT, 'dist', 'bundle', 'main.js')).href)).toBe(expected);
  });

  it('hold every suite and group of the source, with their facts', () => {
    const ciphers = cipherTable();
    expect(ciphers.ciphers).toHaveLength(374);
    expect(ciphers.asOf).toBe('2026-06-25');
    expect(ciphers.license).toMatch(/GPL-2\.0.*IANA/);
    expect(cipherByValue(0xc02f)).toEqual({
      code: '0xC02F',
      value: 0xc02f,
      openssl: 'ECDHE-RSA-AES128-GCM-SHA256',
      iana: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
      protocol: 'TLSv1.2',
      kx: 'ECDH',
      au: 'RSA',
      enc: 'AESGCM',
      bits: 128,
      mac: 'AEAD',
      export: false,
    });
    expect(cipherByValue(0x0700c0, true)).toMatchObject({ code: '0x0700C0', protocol: 'SSLv2', enc: '3DES', bits: 168 });
    expect(cipherByValue(0x0003)).toMatchObject({ export: true, bits: 40 });
    expect(cipherByValue(0xff02)).toMatchObject({ iana: null, openssl: 'GOST-GOST89MAC' });
    expect(cipherByValue(0x1234)).toBeUndefined();
    const groups = groupTable();
    expect(groups.groups).toHaveLength(55);
    expect(groupByCode(0x11ec)).toEqual({ code: '0x11EC', value: 0x11ec, name: 'X25519MLKEM768', pq: true, hybrid: true, ffdhe: false });
    expect(groupByCode(0x0201)).toMatchObject({ pq: true, hybrid: false });
    expect(groupByCode(0x0100)).toMatchObject({ name: 'ffdhe2048', ffdhe: true, pq: false });
    expect(groupByCode(0x001d)).toMatchObject({ name: 'x25519', pq: false, ffdhe: false });
    expect(formatCode(0x2f)).toBe('0x002F');
    expect(formatCode(0x10080, 3)).toBe('0x010080');
  });

  it('match what the build script makes from the source (no drift)', () => {
    const out = mkdtempSync(join(tmpdir(), 'prodeng-tls-data-'));
    try {
      execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-tls-data.ts'), '--out', out], { cwd: ROOT, stdio: 'pipe' });
      for (const file of ['ciphers.json', 'groups.json', 'LICENSE']) {
        expect(readFileSync(join(out, file), 'utf8'), file).toBe(readFileSync(join(ROOT, 'data', 'tls', file), 'utf8'));
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('refuse a table of the wrong shape, naming the problem', () => {
    expect(() => parseTable({ source: 's', asOf: '2026-01-01', license: 'l', ciphers: [{ code: 'C02F' }] }, cipherTableSchema, 'x.json')).toThrow(TlsDataError);
    expect(() => parseTable({}, cipherTableSchema, 'x.json')).toThrow(/x\.json: not a TLS table as prodeng writes it \(source:/);
  });
});
