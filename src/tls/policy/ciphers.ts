/**
 * What a cipher suite, a key exchange group or a certificate key is made of, as far as grading and
 * the Mozilla comparison need: key exchange family, forward secrecy, anonymous/export/NULL,
 * encryption algorithm and effective strength, AEAD or CBC. Read from the suite's name (IANA
 * `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`, SSLv2 `SSL_CK_RC4_128_WITH_MD5`, OpenSSL
 * `ECDHE-RSA-AES128-GCM-SHA256`), falling back on the scanner's `kx`/`enc`/`bits`/`mac` fields
 * for names it does not know.
 */
import type { CertificateInfo, CipherResult, GroupResult, TlsScan } from '../model.js';

export type KeyExchange = 'ECDHE' | 'DHE' | 'RSA' | 'ECDH' | 'DH' | 'PSK' | 'SRP' | 'KRB5' | 'TLS13' | 'NULL' | 'unknown';

export interface SuiteTraits {
  kx: KeyExchange;
  forwardSecrecy: boolean;
  anonymous: boolean;
  export: boolean;
  /** No encryption at all. */
  nullCipher: boolean;
  /** `AES`, `CHACHA20`, `3DES`, `DES`, `RC4`, `RC2`, `IDEA`, `SEED`, `CAMELLIA`, `ARIA`, `SM4`, `NULL`, `unknown`. */
  enc: string;
  aead: boolean;
  cbc: boolean;
  /** Effective encryption strength in bits (3DES counts 112); null when unknown. */
  bits: number | null;
  /** Finite-field DH parameter size when the scanner gave it in `kx` (`DH(2048)`, `DH 1024`). */
  dhBits: number | null;
}

/** Reads a DH size out of a key-exchange description: `DH(2048)`, `DH 1024`, `DHE/2048`, `ffdhe3072`. */
export function dhSizeOf(text: string | undefined): number | null {
  if (!text) return null;
  const match = /(?<![A-Za-z])(?:EDH|DHE?|ffdhe)[\s(:,/_=-]*(\d{3,5})/i.exec(text);
  return match ? Number(match[1]) : null;
}

const ENC_PATTERNS: Array<{ re: RegExp; enc: string; bits: (m: RegExpExecArray) => number | null; aead?: boolean; cbc?: boolean }> = [
  { re: /CHACHA20/, enc: 'CHACHA20', bits: () => 256, aead: true },
  { re: /(?:3DES|DES[-_]CBC3|DES[-_]192[-_]EDE3|EDE3|CBC3)/, enc: '3DES', bits: () => 112, cbc: true },
  // DES40, DES_CBC_40, DES_40_CBC; DES_64_CBC (SSLv2) and DES_CBC are 56 bits
  { re: /DES[-_]?(?:CBC[-_])?40|DES40/, enc: 'DES', bits: () => 40, cbc: true },
  { re: /(?<![A-Z])DES(?![A-Z])/, enc: 'DES', bits: () => 56, cbc: true },
  { re: /RC4(?:[-_](\d+))?/, enc: 'RC4', bits: (m) => (m[1] ? Number(m[1]) : 128) },
  { re: /RC2(?:[-_](?:CBC[-_])?(\d+))?/, enc: 'RC2', bits: (m) => (m[1] ? Number(m[1]) : 128), cbc: true },
  { re: /IDEA/, enc: 'IDEA', bits: () => 128, cbc: true },
  { re: /SEED/, enc: 'SEED', bits: () => 128, cbc: true },
  { re: /SM4/, enc: 'SM4', bits: () => 128 },
  { re: /(AES|CAMELLIA|ARIA)[-_]?(128|256)?/, enc: '', bits: (m) => (m[2] ? Number(m[2]) : null) },
];

function classifyEnc(upper: string, encPart: string, traits: SuiteTraits): void {
  if (/(?:^|[-_])NULL(?:[-_]|$)/.test(encPart) || /^TLS_SHA(256|384)_SHA\1$/.test(upper)) {
    traits.enc = 'NULL';
    traits.nullCipher = true;
    traits.bits = 0;
    return;
  }
  for (const pattern of ENC_PATTERNS) {
    const match = pattern.re.exec(encPart);
    if (!match) continue;
    traits.enc = pattern.enc || (match[1] ?? 'unknown');
    traits.bits = pattern.bits(match);
    const gcmLike = /GCM|CCM|POLY1305|MGM/.test(encPart);
    traits.aead = pattern.aead ?? gcmLike;
    traits.cbc = pattern.cbc ?? (!traits.aead && traits.enc !== 'RC4' && /AES|CAMELLIA|ARIA|SM4|CBC/.test(encPart));
    if (traits.enc === 'AES' && traits.bits === null) traits.bits = /256/.test(encPart) ? 256 : 128;
    return;
  }
}

function keyExchangeOf(tokens: string[], openssl: boolean, traits: SuiteTraits): void {
  const has = (token: string) => tokens.includes(token);
  if (has('ANON') || (openssl && (has('ADH') || has('AECDH')))) traits.anonymous = true;
  if (tokens.some((token) => token.startsWith('EXP'))) traits.export = true;
  const kxTokens = tokens.filter((token) => !token.startsWith('EXP'));
  const first = kxTokens[0] ?? '';
  const second = kxTokens[1] ?? '';
  let kx: KeyExchange;
  if (first === 'ECDHE' || first === 'EECDH') kx = 'ECDHE';
  else if (first === 'DHE' || first === 'EDH') kx = 'DHE';
  else if (first === 'AECDH') kx = 'ECDH';
  else if (first === 'ADH') kx = 'DH';
  else if (first === 'ECDH') kx = 'ECDH';
  else if (first === 'DH') kx = 'DH';
  else if (first === 'PSK' || second === 'PSK') kx = 'PSK';
  else if (first === 'SRP') kx = 'SRP';
  else if (first === 'KRB5') kx = 'KRB5';
  else if (first === 'NULL' && !openssl) kx = 'NULL';
  else if (first === 'RSA' || openssl) kx = 'RSA';
  else kx = 'unknown';
  // ECDHE_PSK and DHE_PSK are ephemeral (matched above); RSA_PSK and PSK are not.
  traits.kx = kx;
  // Anonymous key exchange is ephemeral but unauthenticated: no forward secrecy worth the name.
  traits.forwardSecrecy = (kx === 'ECDHE' || kx === 'DHE') && !traits.anonymous;
}

function fromFields(cipher: CipherResult, traits: SuiteTraits): void {
  const kx = (cipher.kx ?? '').toUpperCase();
  const au = (cipher.au ?? '').toUpperCase();
  const enc = (cipher.enc ?? '').toUpperCase();
  const mac = (cipher.mac ?? '').toUpperCase();
  if (traits.kx === 'unknown' && kx !== '') {
    if (/ANY/.test(kx)) traits.kx = 'TLS13';
    else if (/^(ECDHE|ECDH|EECDH)/.test(kx)) traits.kx = 'ECDHE';
    else if (/^(DHE|EDH|DH)(?![A-Z])/.test(kx)) traits.kx = 'DHE';
    else if (/^RSA/.test(kx)) traits.kx = 'RSA';
    else if (/PSK/.test(kx)) traits.kx = 'PSK';
    traits.forwardSecrecy = traits.kx === 'ECDHE' || traits.kx === 'DHE' || traits.kx === 'TLS13';
  }
  if (/^(NONE|NULL)$/.test(au)) {
    traits.anonymous = true;
    traits.forwardSecrecy = false;
  }
  if (traits.enc === 'unknown' && enc !== '') {
    if (/^(NONE|NULL)/.test(enc)) {
      traits.enc = 'NULL';
      traits.nullCipher = true;
      traits.bits = 0;
    } else {
      const probe: SuiteTraits = { ...traits };
      classifyEnc(enc, enc, probe);
      Object.assign(traits, { enc: probe.enc, bits: probe.bits, aead: probe.aead, cbc: probe.cbc });
      // The scanner's own strength beats a guess from a free-form `enc` (`DES(40)`).
      if (typeof cipher.bits === 'number' && Number.isFinite(cipher.bits)) traits.bits = probe.enc === '3DES' ? Math.min(cipher.bits, 112) : cipher.bits;
    }
  }
  if (mac === 'AEAD') {
    traits.aead = true;
    traits.cbc = false;
  }
  if (traits.bits === null && typeof cipher.bits === 'number' && Number.isFinite(cipher.bits)) {
    traits.bits = traits.enc === '3DES' ? Math.min(cipher.bits, 112) : cipher.bits;
  }
  traits.dhBits ??= dhSizeOf(cipher.kx);
}

/** TLS 1.3 suites (RFC 8446, RFC 8998, RFC 9150), should one be filed under another protocol. */
const TLS13_NAME = /^TLS_(AES_(128|256)_(GCM|CCM(_8)?)_SHA\d+|CHACHA20_POLY1305_SHA\d+|SM4_(GCM|CCM)_SM3|SHA(256|384)_SHA(256|384))$/;

const memo = new Map<string, SuiteTraits>();

/** The traits of one suite as the scanner reported it. */
export function suiteTraits(cipher: CipherResult): SuiteTraits {
  const key = `${cipher.protocol}|${cipher.name}|${cipher.kx ?? ''}|${cipher.au ?? ''}|${cipher.enc ?? ''}|${cipher.bits ?? ''}|${cipher.mac ?? ''}`;
  const cached = memo.get(key);
  if (cached) return cached;
  const traits = classify(cipher);
  if (memo.size > 5000) memo.clear();
  memo.set(key, traits);
  return traits;
}

function classify(cipher: CipherResult): SuiteTraits {
  const traits: SuiteTraits = {
    kx: 'unknown',
    forwardSecrecy: false,
    anonymous: false,
    export: false,
    nullCipher: false,
    enc: 'unknown',
    aead: false,
    cbc: false,
    bits: null,
    dhBits: null,
  };
  const name = typeof cipher.name === 'string' ? cipher.name : '';
  const upper = name.toUpperCase().trim();
  if (cipher.protocol === 'TLSv1.3' || TLS13_NAME.test(upper)) {
    traits.kx = 'TLS13';
    traits.forwardSecrecy = true;
    classifyEnc(upper, upper.replace(/^TLS_/, ''), traits);
    if (traits.enc === 'unknown') fromFields(cipher, traits);
    if (traits.enc !== 'NULL') traits.aead = true;
    traits.cbc = false;
    return traits;
  }
  if (/^(SSL|TLS)_/.test(upper) && upper.includes('_WITH_')) {
    // IANA-style: TLS_<kx>_WITH_<enc>_<mac>; SSLv2: SSL_CK_<enc>_WITH_<mac>, SSL2_…
    const [left, right = ''] = upper.split('_WITH_', 2) as [string, string?];
    const tokens = left.split('_').slice(1);
    if (tokens[0] === 'CK' || /^SSL2_/.test(upper) || cipher.protocol === 'SSLv2') {
      // SSLv2: RSA key exchange; the encryption is in the left part.
      traits.kx = 'RSA';
      if (/EXPORT/.test(left)) traits.export = true;
      classifyEnc(upper, left.replace(/EXPORT\d*/, ''), traits);
      if (traits.export) traits.bits = Math.min(traits.bits ?? 40, 40);
    } else {
      keyExchangeOf(tokens, false, traits);
      if (/EXPORT/.test(right)) traits.export = true;
      classifyEnc(upper, right, traits);
    }
  } else if (/^[A-Z0-9]+(-[A-Z0-9]+)*$/.test(upper) && upper !== '') {
    // OpenSSL: [EXP[1024]-][kx-][au-]enc[-mode]-mac
    const tokens = upper.split('-');
    const kxTokens: string[] = [];
    for (const token of tokens) {
      if (/^(EXP\d*|ECDHE|EECDH|DHE|EDH|ADH|AECDH|ECDH|DH|RSA|DSS|ECDSA|PSK|SRP|KRB5)$/.test(token)) kxTokens.push(token);
      else break;
    }
    keyExchangeOf(kxTokens, true, traits);
    const encPart = tokens.slice(kxTokens.length).join('-');
    classifyEnc(upper, encPart, traits);
    // Not an OpenSSL name after all (GOST, vendor suites): let the scanner's fields speak.
    if (traits.enc === 'unknown' && kxTokens.length === 0) traits.kx = 'unknown';
    if (traits.export && traits.bits !== null) traits.bits = Math.min(traits.bits, tokens.includes('EXP1024') ? 56 : 40);
    if (cipher.protocol === 'SSLv2' && /^(RC4|RC2)/.test(encPart) && traits.export) traits.bits = 40;
  }
  fromFields(cipher, traits);
  return traits;
}

// ── Groups ─────────────────────────────────────────────────────────────────────────────────────

export interface GroupTraits {
  /** Canonical name: `secp256r1`, `x25519`, `X25519MLKEM768`, `ffdhe2048`… */
  name: string;
  kind: 'ec' | 'ff' | 'hybrid' | 'pq' | 'unknown';
  /** Curve size (EC, the classical half of a hybrid) or modulus size (finite field). */
  bits: number | null;
}

const GROUPS_BY_CODE: Record<number, GroupTraits> = {
  0x0001: { name: 'sect163k1', kind: 'ec', bits: 163 },
  0x0002: { name: 'sect163r1', kind: 'ec', bits: 163 },
  0x0003: { name: 'sect163r2', kind: 'ec', bits: 163 },
  0x0004: { name: 'sect193r1', kind: 'ec', bits: 193 },
  0x0005: { name: 'sect193r2', kind: 'ec', bits: 193 },
  0x0006: { name: 'sect233k1', kind: 'ec', bits: 233 },
  0x0007: { name: 'sect233r1', kind: 'ec', bits: 233 },
  0x0008: { name: 'sect239k1', kind: 'ec', bits: 239 },
  0x0009: { name: 'sect283k1', kind: 'ec', bits: 283 },
  0x000a: { name: 'sect283r1', kind: 'ec', bits: 283 },
  0x000b: { name: 'sect409k1', kind: 'ec', bits: 409 },
  0x000c: { name: 'sect409r1', kind: 'ec', bits: 409 },
  0x000d: { name: 'sect571k1', kind: 'ec', bits: 571 },
  0x000e: { name: 'sect571r1', kind: 'ec', bits: 571 },
  0x000f: { name: 'secp160k1', kind: 'ec', bits: 160 },
  0x0010: { name: 'secp160r1', kind: 'ec', bits: 160 },
  0x0011: { name: 'secp160r2', kind: 'ec', bits: 160 },
  0x0012: { name: 'secp192k1', kind: 'ec', bits: 192 },
  0x0013: { name: 'secp192r1', kind: 'ec', bits: 192 },
  0x0014: { name: 'secp224k1', kind: 'ec', bits: 224 },
  0x0015: { name: 'secp224r1', kind: 'ec', bits: 224 },
  0x0016: { name: 'secp256k1', kind: 'ec', bits: 256 },
  0x0017: { name: 'secp256r1', kind: 'ec', bits: 256 },
  0x0018: { name: 'secp384r1', kind: 'ec', bits: 384 },
  0x0019: { name: 'secp521r1', kind: 'ec', bits: 521 },
  0x001a: { name: 'brainpoolP256r1', kind: 'ec', bits: 256 },
  0x001b: { name: 'brainpoolP384r1', kind: 'ec', bits: 384 },
  0x001c: { name: 'brainpoolP512r1', kind: 'ec', bits: 512 },
  0x001d: { name: 'x25519', kind: 'ec', bits: 256 },
  0x001e: { name: 'x448', kind: 'ec', bits: 448 },
  0x001f: { name: 'brainpoolP256r1tls13', kind: 'ec', bits: 256 },
  0x0020: { name: 'brainpoolP384r1tls13', kind: 'ec', bits: 384 },
  0x0021: { name: 'brainpoolP512r1tls13', kind: 'ec', bits: 512 },
  0x0100: { name: 'ffdhe2048', kind: 'ff', bits: 2048 },
  0x0101: { name: 'ffdhe3072', kind: 'ff', bits: 3072 },
  0x0102: { name: 'ffdhe4096', kind: 'ff', bits: 4096 },
  0x0103: { name: 'ffdhe6144', kind: 'ff', bits: 6144 },
  0x0104: { name: 'ffdhe8192', kind: 'ff', bits: 8192 },
  0x0200: { name: 'MLKEM512', kind: 'pq', bits: null },
  0x0201: { name: 'MLKEM768', kind: 'pq', bits: null },
  0x0202: { name: 'MLKEM1024', kind: 'pq', bits: null },
  0x11eb: { name: 'SecP256r1MLKEM768', kind: 'hybrid', bits: 256 },
  0x11ec: { name: 'X25519MLKEM768', kind: 'hybrid', bits: 256 },
  0x11ed: { name: 'SecP384r1MLKEM1024', kind: 'hybrid', bits: 384 },
  0x6399: { name: 'X25519Kyber768Draft00', kind: 'hybrid', bits: 256 },
};

/** Other spellings of the same group (OpenSSL, NIST, Mozilla) → canonical name. */
const GROUP_ALIASES: Record<string, string> = {
  prime256v1: 'secp256r1',
  'p-256': 'secp256r1',
  p256: 'secp256r1',
  'nist p-256': 'secp256r1',
  prime192v1: 'secp192r1',
  'p-192': 'secp192r1',
  'p-224': 'secp224r1',
  'p-384': 'secp384r1',
  p384: 'secp384r1',
  'p-521': 'secp521r1',
  p521: 'secp521r1',
  ecdh_x25519: 'x25519',
  curve25519: 'x25519',
  ecdh_x448: 'x448',
  curve448: 'x448',
};

const GROUPS_BY_NAME = new Map<string, GroupTraits>(Object.values(GROUPS_BY_CODE).map((group) => [group.name.toLowerCase(), group]));

/** Canonical lower-case name for comparisons (`prime256v1` and `secp256r1` are one group). */
export function canonicalGroupName(name: string): string {
  const lower = name.trim().toLowerCase();
  return GROUP_ALIASES[lower] ?? lower;
}

function parseCode(code: string | undefined): number | null {
  if (typeof code !== 'string') return null;
  const match = /^(?:0x)?([0-9a-f]{1,6})$/i.exec(code.trim());
  return match ? Number.parseInt(match[1]!, 16) : null;
}

/** A group's traits by code point first, then by name; unknown groups keep their name. */
export function groupTraits(group: GroupResult): GroupTraits {
  const code = parseCode(group.code);
  if (code !== null && GROUPS_BY_CODE[code]) return GROUPS_BY_CODE[code];
  const name = typeof group.name === 'string' ? group.name : '';
  const known = GROUPS_BY_NAME.get(canonicalGroupName(name));
  if (known) return known;
  const ff = /^ffdhe(\d{4})$/i.exec(name.trim());
  if (ff) return { name: name.trim().toLowerCase(), kind: 'ff', bits: Number(ff[1]) };
  return { name: name.trim(), kind: 'unknown', bits: null };
}

// ── Keys ───────────────────────────────────────────────────────────────────────────────────────

/**
 * Strength of an elliptic-curve size as an RSA modulus of about the same security (NIST SP 800-57
 * part 1, table 2): 160 → 1024, 224 → 2048, 256 → 3072, 384 → 7680, 512 → 15360.
 */
export function ecToRsaBits(bits: number): number {
  if (bits >= 512) return 15360;
  if (bits >= 384) return 7680;
  if (bits >= 256) return 3072;
  if (bits >= 224) return 2048;
  if (bits >= 160) return 1024;
  return 512;
}

/** A certificate key's strength in RSA-equivalent bits; null when its size is not known. */
export function certificateKeyStrength(cert: Pick<CertificateInfo, 'keyType' | 'keyBits' | 'curve'>): number | null {
  switch (cert.keyType) {
    case 'RSA':
    case 'RSA-PSS':
    case 'DSA':
    case 'DH':
      return typeof cert.keyBits === 'number' && cert.keyBits > 0 ? cert.keyBits : null;
    case 'EC': {
      const bits = typeof cert.keyBits === 'number' && cert.keyBits > 0 ? cert.keyBits : curveBits(cert.curve);
      return bits === null ? null : ecToRsaBits(bits);
    }
    case 'Ed25519':
      return ecToRsaBits(256);
    case 'Ed448':
      return ecToRsaBits(448);
    default:
      return null;
  }
}

/** The size of a named curve (`prime256v1` → 256); null when unknown. */
export function curveBits(curve: string | null | undefined): number | null {
  if (!curve) return null;
  const known = GROUPS_BY_NAME.get(canonicalGroupName(curve));
  if (known?.bits) return known.bits;
  const digits = /(\d{3})/.exec(curve);
  return digits ? Number(digits[1]) : null;
}

/**
 * The smallest finite-field DH size the server uses, when known: from a suite's `kx` (`DH(1024)`)
 * or the ffdhe groups it accepts while offering DHE suites. Null when nothing says.
 */
export function dhParamBits(scan: Pick<TlsScan, 'ciphers' | 'groups'>): number | null {
  const sizes: number[] = [];
  let dhe = false;
  for (const cipher of scan.ciphers) {
    const traits = suiteTraits(cipher);
    if (traits.kx === 'DHE' || (traits.kx === 'DH' && traits.anonymous)) dhe = true;
    if (traits.dhBits !== null) sizes.push(traits.dhBits);
  }
  if (dhe) {
    for (const group of scan.groups) {
      const traits = groupTraits(group);
      if (traits.kind === 'ff' && traits.bits !== null) sizes.push(traits.bits);
    }
  }
  return sizes.length > 0 ? Math.min(...sizes) : null;
}

/** Mozilla / prodeng protocol names: Mozilla writes TLS 1.0 as `TLSv1`. */
export function mozillaProtocolName(name: string): string {
  return name === 'TLSv1' ? 'TLSv1.0' : name;
}

/** Suite names compared without case and with SSL_ read as TLS_ (`SSL_RSA_WITH_RC4_128_SHA`). */
export function canonicalSuiteName(name: string): string {
  const upper = name.trim().toUpperCase();
  return upper.startsWith('SSL_') && !upper.startsWith('SSL_CK_') ? `TLS_${upper.slice(4)}` : upper;
}
