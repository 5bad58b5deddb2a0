/**
 * The cipher-suite and named-group tables the TLS scanner offers from and names results with:
 * `data/tls/ciphers.json` and `data/tls/groups.json`, built by `scripts/build-tls-data.ts` from
 * testssl.sh's mapping files (facts from the IANA TLS registry; see `data/tls/README.md`).
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const header = {
  source: z.string().min(1),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  license: z.string().min(1),
};

export const cipherSchema = z.object({
  /** `0xC02F`; SSLv2 suites have 3 bytes: `0x0700C0`. */
  code: z.string().regex(/^0x(?:[0-9A-F]{4}|[0-9A-F]{6})$/),
  value: z.number().int().min(0).max(0xffffff),
  openssl: z.string().min(1),
  iana: z.string().min(1).nullable(),
  /** The lowest protocol the suite exists in. */
  protocol: z.enum(['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.2', 'TLSv1.3']),
  kx: z.string().min(1),
  au: z.string().min(1),
  enc: z.string().min(1),
  bits: z.number().int().min(0),
  mac: z.string().min(1),
  export: z.boolean(),
});

export const groupSchema = z.object({
  /** supported_groups code point, `0x001D`. */
  code: z.string().regex(/^0x[0-9A-F]{4}$/),
  value: z.number().int().min(0).max(0xffff),
  name: z.string().min(1),
  /** Post-quantum (ML-KEM, Kyber), alone or in a hybrid. */
  pq: z.boolean(),
  /** A classical group combined with a post-quantum KEM (X25519MLKEM768). */
  hybrid: z.boolean(),
  /** A finite-field Diffie-Hellman group of RFC 7919. */
  ffdhe: z.boolean(),
});

export const cipherTableSchema = z.object({ ...header, ciphers: z.array(cipherSchema).min(1) });
export const groupTableSchema = z.object({ ...header, groups: z.array(groupSchema).min(1) });

export type CipherSuite = z.infer<typeof cipherSchema>;
export type NamedGroup = z.infer<typeof groupSchema>;
export type CipherTable = z.infer<typeof cipherTableSchema>;
export type GroupTable = z.infer<typeof groupTableSchema>;

export const CIPHERS_RELATIVE_PATH = 'data/tls/ciphers.json';
export const GROUPS_RELATIVE_PATH = 'data/tls/groups.json';

/** A bundled table cannot be read or does not have the expected shape (a packaging bug). */
export class TlsDataError extends Error {
  readonly code = 'tls-data';
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'TlsDataError';
  }
}

/**
 * Finds a bundled file by looking in the module's folder and up to 4 levels above it: works from
 * `src/tls/data/` (tests), `dist/tls/data/` (compiled) and `dist/bundle/` (bundled).
 */
export function findTlsDataFile(relative: string, fromUrl: string = import.meta.url): string | null {
  let dir = dirname(fileURLToPath(fromUrl));
  for (let level = 0; level <= 4; level++) {
    const candidate = join(dir, relative);
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

function readTable<T>(relative: string, schema: z.ZodType<T>): T {
  const path = findTlsDataFile(relative);
  if (path === null) throw new TlsDataError(`${relative} not found near ${fileURLToPath(import.meta.url)}`, relative);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new TlsDataError(`${path}: cannot read (${(error as Error).message})`, path);
  }
  return parseTable(json, schema, path);
}

/** Validates a table. Throws {@link TlsDataError} naming the first problems. */
export function parseTable<T>(json: unknown, schema: z.ZodType<T>, path: string): T {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new TlsDataError(`${path}: not a TLS table as prodeng writes it (${issues})`, path);
  }
  return parsed.data;
}

let ciphers: CipherTable | null = null;
let groups: GroupTable | null = null;
let cipherByCode: Map<string, CipherSuite> | null = null;
let groupByValue: Map<number, NamedGroup> | null = null;

/** The bundled cipher table (read and validated once). */
export function cipherTable(): CipherTable {
  ciphers ??= readTable(CIPHERS_RELATIVE_PATH, cipherTableSchema);
  return ciphers;
}

/** The bundled named-group table (read and validated once). */
export function groupTable(): GroupTable {
  groups ??= readTable(GROUPS_RELATIVE_PATH, groupTableSchema);
  return groups;
}

/** Formats a code point as the tables do: `0xC02F`, or `0x0700C0` for SSLv2 (3 bytes). */
export function formatCode(value: number, bytes: 2 | 3 = 2): string {
  return `0x${value.toString(16).toUpperCase().padStart(bytes * 2, '0')}`;
}

/** A TLS suite (2-byte code point) or an SSLv2 suite (`sslv2: true`, 3 bytes) from the table. */
export function cipherByValue(value: number, sslv2 = false): CipherSuite | undefined {
  cipherByCode ??= new Map(cipherTable().ciphers.map((cipher) => [cipher.code, cipher]));
  return cipherByCode.get(formatCode(value, sslv2 ? 3 : 2));
}

export function groupByCode(value: number): NamedGroup | undefined {
  groupByValue ??= new Map(groupTable().groups.map((group) => [group.value, group]));
  return groupByValue.get(value);
}
