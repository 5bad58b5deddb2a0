/**
 * Builds `data/tls/ciphers.json` and `data/tls/groups.json`, the cipher-suite and named-group
 * tables the TLS scanner ships, from testssl.sh's `etc/cipher-mapping.txt` and
 * `etc/curves-mapping.txt` in `../shared/data/tls/`, and copies their license next to them.
 * Runs on Node 24 directly:
 *
 *   node scripts/build-tls-data.ts [--source DIR] [--out DIR]
 *
 * The output format is `src/tls/data/index.ts`'s schema; keep both in step. The facts (code
 * points, names, key exchange, cipher, MAC) are the IANA TLS registry's; the files come from
 * testssl.sh (GPL-2.0).
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const AS_OF = '2026-06-25';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = 'testssl/testssl.sh etc/cipher-mapping.txt and etc/curves-mapping.txt (facts from the IANA TLS parameters registry)';
const LICENSE = 'GPL-2.0 file from testssl.sh (see LICENSE); the code points and names are the IANA registry\'s';

type MinProtocol = 'SSLv2' | 'SSLv3' | 'TLSv1' | 'TLSv1.2' | 'TLSv1.3';

interface Cipher {
  code: string;
  value: number;
  openssl: string;
  iana: string | null;
  protocol: MinProtocol;
  kx: string;
  au: string;
  enc: string;
  bits: number;
  mac: string;
  export: boolean;
}

interface Group {
  code: string;
  value: number;
  name: string;
  pq: boolean;
  hybrid: boolean;
  ffdhe: boolean;
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const PROTOCOLS = new Set<string>(['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.2', 'TLSv1.3']);
const CIPHER_LINE = /^\s*(0x[0-9a-f]{2}(?:,0x[0-9a-f]{2}){1,2})\s+-\s+(\S+)\s+(\S+)\s+(\S+)\s+Kx=(\S+)\s+Au=(\S+)\s+Enc=(\S+)\s+Mac=(\S+)(?:\s+(export))?\s*$/i;
const GROUP_LINE = /^\s*(0x[0-9a-f]{2}),(0x[0-9a-f]{2})\s+-\s+(\S+)\s+(\S+)\s*$/i;

function hex(value: number, digits: number): string {
  return `0x${value.toString(16).toUpperCase().padStart(digits, '0')}`;
}

export function parseCipherMapping(text: string): Cipher[] {
  const out: Cipher[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const match = CIPHER_LINE.exec(line);
    if (!match) throw new Error(`cipher-mapping.txt:${index + 1}: unexpected line ${JSON.stringify(line)}`);
    const [, bytesText, openssl, iana, protocol, kx, au, encText, mac, exportFlag] = match as unknown as string[];
    if (!PROTOCOLS.has(protocol!)) throw new Error(`cipher-mapping.txt:${index + 1}: unknown protocol ${protocol}`);
    const bytes = bytesText!.split(',').map((byte) => Number.parseInt(byte, 16));
    const value = bytes.reduce((sum, byte) => sum * 256 + byte, 0);
    const code = hex(value, bytes.length * 2);
    if (seen.has(code)) throw new Error(`cipher-mapping.txt:${index + 1}: ${code} twice`);
    seen.add(code);
    const enc = /^([^(]+)(?:\((\d+)\))?$/.exec(encText!);
    if (!enc) throw new Error(`cipher-mapping.txt:${index + 1}: unexpected Enc=${encText}`);
    out.push({
      code,
      value,
      openssl: openssl!,
      iana: iana === '-' ? null : iana!,
      protocol: protocol as MinProtocol,
      kx: kx!,
      au: au!,
      enc: enc[1]!,
      bits: enc[2] === undefined ? 0 : Number(enc[2]),
      mac: mac!,
      export: exportFlag !== undefined,
    });
  });
  return out;
}

export function parseCurvesMapping(text: string): Group[] {
  const out: Group[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const match = GROUP_LINE.exec(line);
    if (!match) throw new Error(`curves-mapping.txt:${index + 1}: unexpected line ${JSON.stringify(line)}`);
    const value = Number.parseInt(match[1]!, 16) * 256 + Number.parseInt(match[2]!, 16);
    // The second column is OpenSSL's name (NULL for 0), the third the IANA/TPM name.
    const name = match[3] === 'NULL' ? match[4]! : match[3]!;
    const pq = /MLKEM|Kyber/i.test(name);
    out.push({
      code: hex(value, 4),
      value,
      name,
      pq,
      hybrid: pq && /x25519|secp|curveSM2/i.test(name),
      ffdhe: value >= 0x0100 && value <= 0x01ff,
    });
  });
  return out;
}

function writeAtomically(path: string, text: string): void {
  JSON.parse(text); // never write something that does not parse
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}

function table(header: Record<string, unknown>, key: string, rows: unknown[]): string {
  // One entry a line: readable diffs, still compact.
  return `${JSON.stringify(header).slice(0, -1)},${JSON.stringify(key)}:[\n${rows.map((row) => JSON.stringify(row)).join(',\n')}\n]}\n`;
}

function main(): void {
  const sourceDir = resolve(argument('--source') ?? join(ROOT, '..', 'shared', 'data', 'tls'));
  const outDir = resolve(argument('--out') ?? join(ROOT, 'data', 'tls'));
  const ciphers = parseCipherMapping(readFileSync(join(sourceDir, 'cipher-mapping.txt'), 'utf8'));
  const groups = parseCurvesMapping(readFileSync(join(sourceDir, 'curves-mapping.txt'), 'utf8'));
  const header = { source: SOURCE, asOf: AS_OF, license: LICENSE };
  mkdirSync(outDir, { recursive: true });
  writeAtomically(join(outDir, 'ciphers.json'), table(header, 'ciphers', ciphers));
  writeAtomically(join(outDir, 'groups.json'), table(header, 'groups', groups));
  const license = join(outDir, 'LICENSE');
  rmSync(license, { force: true });
  writeFileSync(license, readFileSync(join(sourceDir, 'LICENSE')));
  process.stdout.write(`${outDir}: ${ciphers.length} cipher suites, ${groups.length} groups (as of ${AS_OF})\n`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
