/**
 * Alpine (apk) package versions: number{.number}...{letter}{_suffix{number}}...{~hash}{-rN}, compared
 * token by token the way apk-tools (version.c) does:
 *
 * - numbers compare numerically, except that a number after "." with leading zeros is smaller the
 *   more zeros it has ("1.01" < "1.1", "1.001" < "1.01");
 * - one lower-case letter may follow the numbers ("1.2.3b"), and digits may follow it ("5.1p1");
 * - suffixes order _alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p, each with an
 *   optional number; "~hash" is a commit id; "-rN" is the package revision ("-r" alone is "-r0");
 * - when the versions are equal up to where one has a different kind of token, the one that goes on
 *   is newer ("1.2.1" > "1.2", "1.2b" > "1.2") unless it goes on with a pre-release suffix
 *   ("1.2_rc1" < "1.2").
 *
 * Malformed parts follow current apk-tools (3.x): an unreadable part — an upper-case letter, an unknown
 * suffix, anything after "-" other than "rN" at the very end — makes the version older than anything
 * it could be compared with at that point and ends the comparison ("1-ruff" < "1", "1-r-0" < "1-r0",
 * "1-ruff2" = "1--ruff1"); a "." not followed by a digit sorts below every other token but comparison
 * continues after it ("0.r1" < "0r2", "0.8.21.r2" > "0.8.21.r1").
 */
import { cmpDigits, cmpText, defineScheme, hasSpaceOrControl, isDigitCode, safeNumber, stripZeros } from './util.js';

// Token types in apk-tools' order: when two versions first differ in the type of token, the one with
// the higher type is older (so reaching the END first makes a version newer than one that continues).
const DIGIT_OR_ZERO = 0; // a number after "."
const DIGIT = 1;
const LETTER = 2;
const SUFFIX = 3;
const SUFFIX_NO = 4;
const COMMIT_HASH = 5;
const REVISION_NO = 6;
const END = 7;
const EMPTY_DOT = 8; // "." not followed by a digit
const INVALID = 9;

const PRE_SUFFIXES = ['alpha', 'beta', 'pre', 'rc'];
const POST_SUFFIXES = ['cvs', 'svn', 'git', 'hg', 'p'];

interface Token {
  type: number;
  /** Number value (no leading zeros) for numeric tokens, hash text for COMMIT_HASH, else "". */
  text: string;
  /** Letter code; suffix rank (pre-release suffixes negative); -(count) for a run of leading zeros. */
  small: number;
  /** True when `small` holds the value of a numeric token (a run of leading zeros). */
  zeros: boolean;
}

export interface AlpineVersion {
  tokens: Token[];
  /** Whether the whole string follows the apk grammar. */
  strict: boolean;
  preRelease: boolean;
  major: number | null;
}

function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

function isHex(c: number): boolean {
  return isDigitCode(c) || (c >= 97 && c <= 102);
}

function token(type: number, text = '', small = 0, zeros = false): Token {
  return { type, text, small, zeros };
}

/** Splits a version into apk tokens; the list always ends with END or INVALID. */
function tokenize(s: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let type = DIGIT; // the type of the next token
  for (;;) {
    if (i >= s.length) {
      // A separator at the very end still yields its token, with the value 0 ("1-r" is "1-r0").
      if (type === DIGIT_OR_ZERO) tokens.push(token(EMPTY_DOT));
      else if (type === COMMIT_HASH) tokens.push(token(type));
      else if (type !== DIGIT || tokens.length === 0) tokens.push(token(type, '0'));
      tokens.push(token(END));
      return tokens;
    }
    let next = -1;
    const c0 = s.charCodeAt(i);
    if (type === DIGIT_OR_ZERO && c0 === 48) {
      // Leading zeros after a dot: their count, then the rest of the digits as a number.
      let z = 0;
      while (s.charCodeAt(i) === 48) {
        i++;
        z++;
      }
      tokens.push(token(DIGIT_OR_ZERO, '', -z, true));
      next = DIGIT;
    } else if (type === DIGIT_OR_ZERO && !isDigitCode(c0)) {
      tokens.push(token(EMPTY_DOT));
    } else if (type === DIGIT_OR_ZERO || type === DIGIT || type === SUFFIX_NO || type === REVISION_NO) {
      const start = i;
      while (i < s.length && isDigitCode(s.charCodeAt(i))) i++;
      tokens.push(token(type, stripZeros(s.slice(start, i))));
    } else if (type === LETTER) {
      tokens.push(token(LETTER, '', c0));
      i++;
    } else if (type === COMMIT_HASH) {
      const start = i;
      while (i < s.length && isHex(s.charCodeAt(i))) i++;
      tokens.push(token(COMMIT_HASH, s.slice(start, i)));
    } else {
      // SUFFIX: a known name; an unknown one reads as -1 and ends the version.
      const rest = s.slice(i);
      const pre = PRE_SUFFIXES.findIndex((x) => rest.startsWith(x));
      const post = pre === -1 ? POST_SUFFIXES.findIndex((x) => rest.startsWith(x)) : -1;
      if (pre === -1 && post === -1) {
        tokens.push(token(SUFFIX, '', -1), token(INVALID));
        return tokens;
      }
      tokens.push(token(SUFFIX, '', pre !== -1 ? pre - PRE_SUFFIXES.length : post));
      i += (pre !== -1 ? (PRE_SUFFIXES[pre] as string) : (POST_SUFFIXES[post] as string)).length;
    }
    if (next !== -1 && i < s.length) {
      type = next;
      continue;
    }
    if (i >= s.length) {
      tokens.push(token(END));
      return tokens;
    }
    // The type of the next token, from the next character.
    const prev = type;
    const c = s.charCodeAt(i);
    let n = INVALID;
    if ((prev === DIGIT || prev === DIGIT_OR_ZERO) && isLower(c)) n = LETTER;
    else if (prev === LETTER && isDigitCode(c)) n = DIGIT;
    else if (prev === SUFFIX && isDigitCode(c)) n = SUFFIX_NO;
    else if (c === 46 /* . */) {
      n = DIGIT_OR_ZERO;
      i++;
    } else if (c === 95 /* _ */) {
      n = SUFFIX;
      i++;
    } else if (c === 126 /* ~ */) {
      n = COMMIT_HASH;
      i++;
    } else if (c === 45 /* - */ && /^-r\d*$/.test(s.slice(i))) {
      n = REVISION_NO;
      i += 2;
    }
    // Tokens must come in order, except that numbers, letters and suffixes may repeat.
    if (n < prev) {
      const allowed =
        (n === DIGIT_OR_ZERO && prev === DIGIT) ||
        (n === SUFFIX && prev === SUFFIX_NO) ||
        (n === DIGIT && prev === LETTER);
      if (!allowed) n = INVALID;
    }
    if (n === INVALID) {
      tokens.push(token(INVALID));
      return tokens;
    }
    type = n;
  }
}

function compareValue(a: Token, b: Token): number {
  if (a.zeros || b.zeros) {
    // A run of leading zeros is below any number; more zeros is smaller.
    if (a.zeros && b.zeros) return a.small - b.small;
    return a.zeros ? -1 : 1;
  }
  switch (a.type) {
    case LETTER:
    case SUFFIX:
      return a.small - b.small;
    case COMMIT_HASH:
      return cmpText(a.text, b.text);
    case EMPTY_DOT:
      return 0;
    default:
      return cmpDigits(a.text, b.text);
  }
}

export function parseAlpine(version: string): AlpineVersion | null {
  if (version === '' || hasSpaceOrControl(version)) return null;
  const tokens = tokenize(version);
  const lead = /^\d+/.exec(version);
  return {
    tokens,
    strict:
      lead !== null &&
      tokens[tokens.length - 1]?.type === END &&
      !tokens.some((t) => t.type === EMPTY_DOT || (t.type === COMMIT_HASH && t.text === '')),
    preRelease: tokens.some((t) => t.type === SUFFIX && t.small < 0),
    major: lead === null ? null : safeNumber(stripZeros(lead[0])),
  };
}

export function compareAlpine(a: AlpineVersion, b: AlpineVersion): number {
  for (let k = 0; ; k++) {
    const x = a.tokens[k] as Token;
    const y = b.tokens[k] as Token;
    const tx = x.type;
    const ty = y.type;
    if (tx !== ty) {
      // Equal so far: the version that goes on is newer, unless with a pre-release suffix.
      if (tx === SUFFIX && x.small < 0 && ty !== INVALID && ty !== EMPTY_DOT) return -1;
      if (ty === SUFFIX && y.small < 0 && tx !== INVALID && tx !== EMPTY_DOT) return 1;
      return tx > ty ? -1 : 1;
    }
    if (tx === END || tx === INVALID) return 0;
    const r = compareValue(x, y);
    if (r !== 0) return r;
  }
}

/** True when the version follows the apk grammar exactly (apk-tools' "valid"). */
export function isStrictAlpineVersion(version: string): boolean {
  return parseAlpine(version)?.strict === true;
}

export const alpine = defineScheme<AlpineVersion>({
  id: 'alpine',
  parse: parseAlpine,
  compare: compareAlpine,
  // _alpha, _beta, _pre and _rc mark pre-releases.
  isStable: (v) => !v.preRelease,
  major: (v) => v.major,
});
