/**
 * A generic, table-driven comment lexer. It walks the text once and reports every comment it
 * passes as offsets (`spanStart, contentStart, contentEnd, spanEnd`); strings are skipped. It never
 * builds tokens or allocates per character: a per-language regex of the few "interesting" ASCII
 * characters jumps from one to the next in native code, and only those characters reach the
 * hand-written handlers (charCode loops) through a 128-entry dispatch table.
 *
 * The text may be a latin1 view of UTF-8 bytes (one char per byte): every syntax character is ASCII,
 * so offsets are byte offsets and no decoding is needed to lex. Non-ASCII characters are never
 * syntax here.
 *
 * Linear time is a requirement (files can be one 5 MB line): forward searches go through
 * {@link LexState.find}, which remembers its last answer per token so that repeated searches for an
 * absent closer do not rescan the rest of the file each time.
 */
import type { BlockCommentRule, Language, LexerMode, LineCommentRule, Position, StringRule } from './languages.js';
import { getLanguage } from './languages.js';

/** This module's own file (the scan cache is keyed by the scanner's code). */
export const LEXER_MODULE = import.meta.url;

/** Receives each comment: the span with its delimiters and the content without them. */
export type CommentSink = (spanStart: number, contentStart: number, contentEnd: number, spanEnd: number) => void;

interface Handler {
  /** Higher is tried first among handlers of the same first character (longer tokens win). */
  order: number;
  /** Returns the offset after the construct, or -1 when it does not start at `i`. */
  lex(st: LexState, i: number, end: number): number;
}

interface CompiledString {
  rule: StringRule;
  close: string;
  /** 1 for characters that need attention inside the string body. */
  special: Uint8Array;
  escape: number;
  /** The letter that, escaped, skips the blanks and line breaks after it (-1: none). */
  skipSpace: number;
  closeCode: number;
  closeEscapes: string | null;
  interpolation: readonly { open: string; code: number; doubled: boolean; bracketOpen: number; bracketClose: number }[];
  /** Multi-line, no escapes, no interpolation: the closer can be found with indexOf. */
  simple: boolean;
}

interface Frame {
  str: CompiledString;
  open: number;
  close: number;
  depth: number;
}

type Pending = { kind: 'heredoc'; id: string; indent: boolean; php: boolean } | { kind: 'indent'; parent: number };

/**
 * What lexRange does at an interesting character, decided per language so that most hits cost no
 * call. (Plain constants rather than a `const enum`, which isolated-module tools handle unevenly.)
 */
const Dispatch = {
  None: 0,
  /** Call the handlers. */
  Always: 1,
  /** Call them only at the start of a word (letters opening `r"..."`, `q{...}`, `REM`). */
  WordStart: 2,
  /** A bracket that matters only inside an interpolation (`}` of `${...}`). */
  InInterpolation: 3,
  /** A bracket counted for Python's statement depth, inline. */
  Depth: 4,
} as const;

export interface CompiledLanguage {
  language: Language;
  /** A {@link Dispatch} value per ASCII character. */
  table: Uint8Array;
  /**
   * Finds the next interesting character. irregexp skips uninteresting runs in native code several
   * times faster than a JS charCode loop, which matters because lexing is the probe's hot path.
   * `scanCode` leaves out brackets that only matter inside an interpolation.
   */
  scanCode: RegExp;
  scanInterpolation: RegExp;
  dispatch: (Handler[] | undefined)[];
  regexKeywords: ReadonlySet<string>;
  regexMultiline: boolean;
  statementNewlines: boolean;
  colonSymbols: boolean;
}

/** What decides whether a `/` or `%` opens a literal (see {@link inValuePosition}). */
type ValueRules = Pick<CompiledLanguage, 'regexKeywords' | 'statementNewlines' | 'colonSymbols'>;

export class LexState {
  readonly text: string;
  readonly hasCR: boolean;
  /** Lexing stops once it passes this offset (the last candidate marker). */
  limit: number;
  readonly sink: CommentSink;
  frames: Frame[] = [];
  /** Frames below this index belong to an enclosing (embedding) lexRange call. */
  frameBase = 0;
  pending: Pending[] = [];
  /** Bracket depth, for Python's "first token of a statement". */
  depth = 0;
  /** Set by a handler that ends the current embedded region (PHP `?>`). */
  exit = false;
  embedDepth = 0;
  /** Characters that failed regex-literal guesses may still scan (see the regex handler). */
  regexBudget: number;
  lastCommentStart = -1;
  lastCommentEnd = -1;
  private readonly memo = new Map<string, [number, number]>();
  /** Per scan regex: a search from `[0]` found its next hit at `[1]` (-1: none); see lexRange. */
  readonly hits = new Map<RegExp, [number, number]>();
  private nlFrom = -1;
  private nlAt = -1;

  constructor(text: string, sink: CommentSink, limit = Number.MAX_SAFE_INTEGER) {
    this.text = text;
    this.hasCR = text.indexOf('\r') >= 0;
    this.regexBudget = 2 * text.length + 65536;
    this.sink = sink;
    this.limit = limit;
  }

  /** `text.indexOf(token, from)`, remembering the answer so later searches never rescan past it. */
  find(token: string, from: number): number {
    const m = this.memo.get(token);
    if (m !== undefined && m[0] <= from && (m[1] < 0 || m[1] >= from)) return m[1];
    const at = this.text.indexOf(token, from);
    if (m === undefined) this.memo.set(token, [from, at]);
    else {
      m[0] = from;
      m[1] = at;
    }
    return at;
  }

  /** Case-insensitive {@link find} for an ASCII token given in lower case (`</script`). */
  findCI(lowerToken: string, from: number): number {
    const key = `\0ci${lowerToken}`;
    const m = this.memo.get(key);
    if (m !== undefined && m[0] <= from && (m[1] < 0 || m[1] >= from)) return m[1];
    const re = new RegExp(lowerToken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), 'gi');
    re.lastIndex = from;
    const found = re.exec(this.text);
    const at = found === null ? -1 : found.index;
    this.memo.set(key, [from, at]);
    return at;
  }

  /** Offset of the line break at or after `from` (or `end`). */
  lineEnd(from: number, end: number): number {
    if (!this.hasCR) {
      let at: number;
      if (this.nlFrom >= 0 && this.nlFrom <= from && (this.nlAt < 0 || this.nlAt >= from)) at = this.nlAt;
      else {
        at = this.text.indexOf('\n', from);
        this.nlFrom = from;
        this.nlAt = at;
      }
      return at < 0 || at > end ? end : at;
    }
    const text = this.text;
    for (let p = from; p < end; p++) {
      const c = text.charCodeAt(p);
      if (c === 10 || c === 13) return p;
    }
    return end;
  }
}

// ---------------------------------------------------------------------------------------------
// Character classes

function isWordAscii(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}
/** Identifier character, counting any non-ASCII character as a letter. */
function isWord(c: number): boolean {
  return isWordAscii(c) || c >= 128;
}
function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}
function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}
function isEol(c: number): boolean {
  return c === 10 || c === 13;
}
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}
/** Haskell's symbol characters: a dash run followed by one of these is an operator, not a comment. */
function isHaskellSymbol(c: number): boolean {
  return '!#$%&*+./<=>?@\\^|~:'.includes(String.fromCharCode(c));
}

function skipBreak(text: string, e: number): number {
  return text.charCodeAt(e) === 13 && text.charCodeAt(e + 1) === 10 ? e + 2 : e + 1;
}

function lineStartOf(text: string, i: number): number {
  let k = i;
  while (k > 0 && !isEol(text.charCodeAt(k - 1))) k--;
  return k;
}

function startsWithCI(text: string, lower: string, i: number): boolean {
  if (i + lower.length > text.length) return false;
  for (let k = 0; k < lower.length; k++) {
    let c = text.charCodeAt(i + k);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lower.charCodeAt(k)) return false;
  }
  return true;
}

function positionOk(text: string, i: number, at: Position): boolean {
  if (i === 0) return true;
  const prev = text.charCodeAt(i - 1);
  switch (at) {
    case 'anywhere':
      return true;
    case 'column-1':
      return isEol(prev);
    case 'after-space':
      return isSpace(prev);
    case 'word-start':
      // Shell metacharacters end a word; `$#`, `${#x}` and `a#b` are not comments.
      return isSpace(prev) || prev === 59 || prev === 124 || prev === 38 || prev === 40 || prev === 41 || prev === 60 || prev === 62;
    case 'line-start': {
      let k = i - 1;
      while (k >= 0 && isBlank(text.charCodeAt(k))) k--;
      return k < 0 || isEol(text.charCodeAt(k));
    }
  }
}

function emit(st: LexState, spanStart: number, contentStart: number, contentEnd: number, spanEnd: number): void {
  st.lastCommentStart = spanStart;
  st.lastCommentEnd = spanEnd;
  st.sink(spanStart, contentStart, Math.max(contentStart, contentEnd), spanEnd);
}

// ---------------------------------------------------------------------------------------------
// Comments

function lineCommentHandler(rule: LineCommentRule): Handler {
  const token = rule.token;
  const lower = token.toLowerCase();
  const at = rule.at ?? 'anywhere';
  const ignoreCase = rule.ignoreCase === true;
  const { notAfter, notBefore, endsAt } = rule;
  return {
    order: token.length,
    lex(st, i, end) {
      const text = st.text;
      if (ignoreCase ? !startsWithCI(text, lower, i) : !text.startsWith(token, i)) return -1;
      if (i + token.length > end) return -1;
      if (at !== 'anywhere' && !positionOk(text, i, at)) return -1;
      if (notAfter !== undefined && i > 0 && notAfter.includes(text.charAt(i - 1))) return -1;
      if (rule.onlyAfter !== undefined && !afterOneOf(text, i, rule.onlyAfter)) return -1;
      let k = i + token.length;
      if (rule.symbolRun === true) {
        while (k < end && text.charCodeAt(k) === 45) k++;
        if (k < end && isHaskellSymbol(text.charCodeAt(k))) return -1;
      }
      if (notBefore !== undefined && k < end && notBefore.includes(text.charAt(k))) return -1;
      if (rule.wordEnd === true && k < end && !isSpace(text.charCodeAt(k))) return -1;
      let e: number;
      if (endsAt !== undefined) {
        const c0 = endsAt.charCodeAt(0);
        e = k;
        while (e < end) {
          const c = text.charCodeAt(e);
          if (c === 10 || c === 13 || (c === c0 && text.startsWith(endsAt, e))) break;
          e++;
        }
      } else e = st.lineEnd(k, end);
      if (rule.continues === true) {
        while (e < end && e > k && text.charCodeAt(e - 1) === 92) e = st.lineEnd(skipBreak(text, e), end);
      }
      emit(st, i, i + token.length, e, e);
      return e;
    },
  };
}

function blockCommentHandler(rule: BlockCommentRule): Handler {
  const { open, close, notBefore } = rule;
  const at = rule.at ?? 'anywhere';
  const nested = rule.nested === true;
  const openCode = open.charCodeAt(0);
  const closeCode = close.charCodeAt(0);
  // A closer written as `\n=end` means "at the start of a line"; the rest of that line is comment too.
  const closeAtLineStart = close.startsWith('\n');
  return {
    order: open.length,
    lex(st, i, end) {
      const text = st.text;
      if (!text.startsWith(open, i)) return -1;
      if (at !== 'anywhere' && !positionOk(text, i, at)) return -1;
      const k = i + open.length;
      if (notBefore !== undefined && k < end && notBefore.includes(text.charAt(k))) return -1;
      if (!nested) {
        const c = st.find(close, k);
        if (c < 0 || c + close.length > end) {
          emit(st, i, k, end, end);
          return end;
        }
        let spanEnd = c + close.length;
        if (closeAtLineStart) spanEnd = st.lineEnd(spanEnd, end);
        emit(st, i, k, c, spanEnd);
        return spanEnd;
      }
      let depth = 1;
      let p = k;
      while (p < end) {
        const c = text.charCodeAt(p);
        if (c === closeCode && text.startsWith(close, p)) {
          p += close.length;
          if (--depth === 0) {
            emit(st, i, k, p - close.length, p);
            return p;
          }
          continue;
        }
        if (c === openCode && text.startsWith(open, p)) {
          depth++;
          p += open.length;
          continue;
        }
        p++;
      }
      emit(st, i, k, end, end);
      return end;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Strings

function compileString(rule: StringRule): CompiledString {
  const special = new Uint8Array(128);
  const mark = (ch: string): void => {
    const c = ch.charCodeAt(0);
    if (c < 128) special[c] = 1;
  };
  mark(rule.close);
  if (rule.escape !== undefined) mark(rule.escape);
  if (rule.multiline !== true) {
    special[10] = 1;
    special[13] = 1;
  }
  const interpolation = (rule.interpolation ?? []).map((ip) => {
    mark(ip.open);
    return {
      open: ip.open,
      code: ip.open.charCodeAt(0),
      doubled: ip.doubled === true,
      bracketOpen: ip.open.charCodeAt(ip.open.length - 1),
      bracketClose: ip.close.charCodeAt(0),
    };
  });
  return {
    rule,
    close: rule.close,
    special,
    escape: rule.escape === undefined ? -1 : rule.escape.charCodeAt(0),
    skipSpace: rule.skipSpaceEscape === undefined ? -1 : rule.skipSpaceEscape.charCodeAt(0),
    closeCode: rule.close.charCodeAt(0),
    closeEscapes: rule.closeEscapes ?? null,
    interpolation,
    simple:
      rule.escape === undefined && interpolation.length === 0 && rule.closeEscapes === undefined && rule.multiline === true,
  };
}

/**
 * Skips a string body from `p`. Returns the offset after the closer; or, when an interpolation
 * (`${`) opens, pushes a frame and returns the offset after its opener so code is lexed there.
 * An unterminated single-line string ends at its line end, a multi-line one at `end`.
 */
function scanString(st: LexState, s: CompiledString, from: number, end: number): number {
  const text = st.text;
  if (s.simple) {
    const at = st.find(s.close, from);
    return at < 0 || at + s.close.length > end ? end : at + s.close.length;
  }
  const special = s.special;
  const multiline = s.rule.multiline === true;
  let p = from;
  while (p < end) {
    const c = text.charCodeAt(p);
    if (c >= 128 || special[c] === 0) {
      p++;
      continue;
    }
    if (s.interpolation.length > 0) {
      let opened = -1;
      let literal = false;
      for (const ip of s.interpolation) {
        if (c === ip.code && ip.doubled && text.charCodeAt(p + 1) === c) {
          literal = true;
          break;
        }
        if (c === ip.code && text.startsWith(ip.open, p)) {
          st.frames.push({ str: s, open: ip.bracketOpen, close: ip.bracketClose, depth: 0 });
          opened = p + ip.open.length;
          break;
        }
      }
      if (opened >= 0) return opened;
      if (literal) {
        p += 2;
        continue;
      }
    }
    if (c === s.escape) {
      if (text.charCodeAt(p + 1) === s.skipSpace) {
        p += 2;
        while (p < end && isSpace(text.charCodeAt(p))) p++;
        continue;
      }
      p += text.charCodeAt(p + 1) === 13 && text.charCodeAt(p + 2) === 10 ? 3 : 2;
      continue;
    }
    if (c === s.closeCode && text.startsWith(s.close, p)) {
      p += s.close.length;
      if (s.closeEscapes !== null && p < end && s.closeEscapes.includes(text.charAt(p))) {
        p++;
        continue;
      }
      return p;
    }
    if (!multiline && isEol(c)) return p;
    p++;
  }
  return end;
}

function isCharLiteral(text: string, i: number, end: number): boolean {
  const c1 = text.charCodeAt(i + 1);
  if (c1 === 92) {
    for (let k = i + 3; k < end && k <= i + 12; k++) {
      const c = text.charCodeAt(k);
      if (c === 39) return true;
      if (isEol(c)) return false;
    }
    return false;
  }
  if (c1 === 39 || isEol(c1) || i + 2 >= end) return false;
  if (text.charCodeAt(i + 2) === 39) return true;
  // A multi-byte character (UTF-8 bytes in the latin1 view, or a surrogate pair).
  if (c1 >= 128) {
    for (let k = i + 3; k <= i + 5 && k < end; k++) if (text.charCodeAt(k) === 39) return true;
  }
  return false;
}

/** Python: is the string at `i` the first token of a statement (so a docstring or bare string)? */
function isStatementStart(st: LexState, i: number): boolean {
  if (st.depth > 0) return false;
  const text = st.text;
  let k = i - 1;
  let letters = 0;
  while (k >= 0 && letters < 3 && isLetter(text.charCodeAt(k))) {
    k--;
    letters++;
  }
  if (k >= 0 && isWord(text.charCodeAt(k))) return false;
  while (k >= 0 && isBlank(text.charCodeAt(k))) k--;
  if (k < 0) return true;
  const c = text.charCodeAt(k);
  if (isEol(c)) {
    let m = k - 1;
    if (c === 10 && m >= 0 && text.charCodeAt(m) === 13) m--;
    return m < 0 || text.charCodeAt(m) !== 92;
  }
  return c === 59 || c === 58;
}

function stringHandler(rule: StringRule): Handler {
  const s = compileString(rule);
  const { open, notAfter } = rule;
  const at = rule.at ?? 'anywhere';
  return {
    order: open.length,
    lex(st, i, end) {
      const text = st.text;
      if (!text.startsWith(open, i)) return -1;
      if (i > 0) {
        const prev = text.charCodeAt(i - 1);
        if (rule.notAfterWord === true && isWord(prev)) return -1;
        if (notAfter !== undefined && notAfter.includes(text.charAt(i - 1))) return -1;
      }
      if (at !== 'anywhere' && !positionOk(text, i, at)) return -1;
      if (rule.onlyAfter !== undefined && !afterOneOf(text, i, rule.onlyAfter)) return -1;
      if (rule.charLiteral === true && !isCharLiteral(text, i, end)) return -1;
      const bodyStart = i + open.length;
      if (rule.docstring === true && isStatementStart(st, i)) {
        const r = scanString(st, s, bodyStart, end);
        const closeAt = r - s.close.length;
        const closed = closeAt >= bodyStart && text.startsWith(s.close, closeAt);
        emit(st, i, bodyStart, closed ? closeAt : r, r);
        return r;
      }
      return scanString(st, s, bodyStart, end);
    },
  };
}

/** Brackets: Python's statement depth, and the end of an interpolation (`}` of `${...}`). */
const bracketHandler: Handler = {
  order: -1,
  lex(st, i, end) {
    const c = st.text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) st.depth++;
    else if (st.depth > 0) st.depth--;
    const n = st.frames.length;
    if (n > st.frameBase) {
      const f = st.frames[n - 1]!;
      if (c === f.open) f.depth++;
      else if (c === f.close) {
        if (f.depth === 0) {
          st.frames.pop();
          return scanString(st, f.str, i + 1, end);
        }
        f.depth--;
      }
    }
    return i + 1;
  },
};

// ---------------------------------------------------------------------------------------------
// Heredocs and indented bodies: noted when the opener is seen, skipped at the next line break.

/** Line breaks: bodies of heredocs (and the like) opened on the line; data sections (`__END__`). */
function newlineHandler(dataSections: readonly string[]): Handler {
  return {
    order: -1,
    lex(st, i, end) {
      const text = st.text;
      let p = skipBreak(text, i);
      if (st.pending.length > 0) {
        const list = st.pending;
        st.pending = [];
        for (const pd of list) p = skipBody(st, pd, p, end);
        p = Math.min(p, end);
      }
      for (const token of dataSections) {
        if (text.startsWith(token, p) && (p + token.length >= end || isEol(text.charCodeAt(p + token.length)))) return end;
      }
      return p;
    },
  };
}

function skipBody(st: LexState, pd: Pending, from: number, end: number): number {
  const text = st.text;
  let p = from;
  if (pd.kind === 'indent') {
    // YAML: the body is every line indented more than its parent, the first such line setting the
    // indentation; blank lines belong to it.
    let indent = -1;
    let bodyEnd = from;
    while (p < end) {
      const e = st.lineEnd(p, end);
      let q = p;
      while (q < e && text.charCodeAt(q) === 32) q++;
      let r = q;
      while (r < e && isBlank(text.charCodeAt(r))) r++;
      const next = e < end ? skipBreak(text, e) : end;
      if (r < e) {
        const n = q - p;
        if (indent < 0) {
          if (n <= pd.parent) break;
          indent = n;
        } else if (n < indent) break;
        bodyEnd = next;
      }
      p = next;
    }
    return indent < 0 ? from : Math.max(bodyEnd, from);
  }
  while (p < end) {
    const e = st.lineEnd(p, end);
    const next = e < end ? skipBreak(text, e) : end;
    let s = p;
    if (pd.indent) while (s < e && isBlank(text.charCodeAt(s))) s++;
    if (text.startsWith(pd.id, s)) {
      let k = s + pd.id.length;
      if (pd.php) {
        if (k >= e || !isWordAscii(text.charCodeAt(k))) return k;
      } else {
        while (k < e && isBlank(text.charCodeAt(k))) k++;
        if (k === e) return next;
      }
    }
    p = next;
  }
  return end;
}

type HeredocStyle = 'shell' | 'ruby' | 'perl' | 'php' | 'hcl';

function heredocHandler(style: HeredocStyle): Handler {
  return {
    order: 2,
    lex(st, i, end) {
      const text = st.text;
      if (text.charCodeAt(i + 1) !== 60 || (i > 0 && text.charCodeAt(i - 1) === 60)) return -1;
      let k = i + 2;
      let indent = false;
      if (style === 'php') {
        if (text.charCodeAt(k) !== 60) return -1;
        k++;
        indent = true;
        while (k < end && isBlank(text.charCodeAt(k))) k++;
      } else {
        if (text.charCodeAt(k) === 60) return -1; // bash here-string `<<<`
        const c = text.charCodeAt(k);
        if (c === 45 && style !== 'perl') {
          indent = true;
          k++;
        } else if (c === 126 && (style === 'ruby' || style === 'perl')) {
          indent = true;
          k++;
        }
        if (style === 'hcl') indent = true;
        if (style === 'shell') while (k < end && isBlank(text.charCodeAt(k))) k++;
      }
      let id: string;
      const q = text.charCodeAt(k);
      if (q === 39 || q === 34 || (q === 96 && style === 'ruby')) {
        let r = k + 1;
        while (r < end && r - k < 256 && text.charCodeAt(r) !== q && !isEol(text.charCodeAt(r))) r++;
        if (text.charCodeAt(r) !== q) return -1;
        id = text.slice(k + 1, r);
        k = r + 1;
      } else {
        if (q === 92 && style === 'shell') k++;
        const c0 = text.charCodeAt(k);
        if (!(isLetter(c0) || c0 === 95)) return -1;
        // Ruby's bare `<<ID` needs an upper-case id; `a <<b` is a shift.
        if (style === 'ruby' && !indent && !((c0 >= 65 && c0 <= 90) || c0 === 95)) return -1;
        let r = k;
        while (r < end && isWordAscii(text.charCodeAt(r))) r++;
        id = text.slice(k, r);
        k = r;
      }
      if (id.length === 0) return -1;
      st.pending.push({ kind: 'heredoc', id, indent, php: style === 'php' });
      return k;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Regex literals and quote-like operators

function prevSignificant(st: LexState, i: number): number {
  const text = st.text;
  let k = i - 1;
  for (;;) {
    while (k >= 0 && isSpace(text.charCodeAt(k))) k--;
    if (k >= 0 && k === st.lastCommentEnd - 1 && st.lastCommentStart <= k) {
      k = st.lastCommentStart - 1;
      continue;
    }
    return k;
  }
}

/** After these a `/` starts a regex (or a Ruby `%(...)` a literal), not a division. */
const REGEX_PRECEDERS = new Set([...'(,=:[!&|?{};+-*%<>~^'].map((c) => c.charCodeAt(0)));

function inValuePosition(st: LexState, i: number, rules: ValueRules): boolean {
  const text = st.text;
  // Ruby's `:%` and `:/` are symbols (`alias_method :%, :at`), unless the colon ends a hash key
  // or keyword argument (`a:%w[x]`) or is half of `::`.
  if (rules.colonSymbols && i > 0 && text.charCodeAt(i - 1) === 58) {
    const before = i > 1 ? text.charCodeAt(i - 2) : NaN;
    if (!isWordAscii(before) && before !== 58) return false;
  }
  const k = prevSignificant(st, i);
  if (k < 0) return true;
  const c = text.charCodeAt(k);
  // Where a line break ends the statement, a `/` first on its line starts one: a literal.
  if (rules.statementNewlines && c !== 92 && firstOnLine(text, i)) return true;
  if (isWordAscii(c)) {
    let s = k;
    while (s > 0 && k - s < 12 && isWordAscii(text.charCodeAt(s - 1))) s--;
    return rules.regexKeywords.has(text.slice(s, k + 1)) && (s === 0 || text.charCodeAt(s - 1) !== 46);
  }
  return REGEX_PRECEDERS.has(c);
}

/** Whether `i` is first on its line, or follows one of `chars` with only blanks between. */
function afterOneOf(text: string, i: number, chars: string): boolean {
  let k = i - 1;
  while (k >= 0 && isBlank(text.charCodeAt(k))) k--;
  return k < 0 || isEol(text.charCodeAt(k)) || chars.includes(text.charAt(k));
}

/** Whether only blanks precede offset `i` on its line. */
function firstOnLine(text: string, i: number): boolean {
  let k = i - 1;
  while (k >= 0 && isBlank(text.charCodeAt(k))) k--;
  return k < 0 || isEol(text.charCodeAt(k));
}

function regexHandler(cl: ValueRules & { regexMultiline: boolean }): Handler {
  return {
    order: 1,
    lex(st, i, end) {
      const text = st.text;
      if (!inValuePosition(st, i, cl)) return -1;
      let inClass = false;
      let k = i + 1;
      // A failed guess scans to the line end; a budget keeps a long line of them (`=/[=/[...`)
      // linear: once spent, only short regex literals are recognised.
      const limit = Math.min(end, i + (st.regexBudget > 0 ? MAX_REGEX_LENGTH : SHORT_REGEX_LENGTH));
      // Perl and Ruby regexes may span lines (`/^ … # comment … /x`): then only a blank line ends
      // a failed guess, so that a lone `/` cannot swallow the rest of the file; and a guess that
      // crossed a line must end with the `x` flag, or it was a division (`$h{sum} / $n; # TODO`)
      // that met the next regex's slash.
      const multiline = cl.regexMultiline;
      let crossed = false;
      while (k < limit) {
        const c = text.charCodeAt(k);
        if (isEol(c)) {
          const next = c === 13 && text.charCodeAt(k + 1) === 10 ? k + 2 : k + 1;
          if (!multiline || isBlankLineAt(text, next, limit)) {
            st.regexBudget -= k - i;
            return -1;
          }
          crossed = true;
        }
        if (c === 92) {
          if (!multiline && isEol(text.charCodeAt(k + 1))) {
            st.regexBudget -= k - i;
            return -1;
          }
          k += 2;
          continue;
        }
        if (inClass) {
          if (c === 93) inClass = false;
        } else if (c === 91) inClass = true;
        else if (c === 47) {
          k++;
          const flags = k;
          while (k < end && isWordAscii(text.charCodeAt(k))) k++;
          if (crossed && !text.slice(flags, k).includes('x')) {
            st.regexBudget -= k - i;
            return -1;
          }
          return k;
        }
        k++;
      }
      st.regexBudget -= k - i;
      return -1;
    },
  };
}

/** Whether the line starting at `k` is empty or only blanks (looking no further than `limit`). */
function isBlankLineAt(text: string, k: number, limit: number): boolean {
  while (k < limit) {
    const c = text.charCodeAt(k);
    if (isEol(c)) return true;
    if (!isSpace(c)) return false;
    k++;
  }
  return true;
}

const MAX_REGEX_LENGTH = 16384;
const SHORT_REGEX_LENGTH = 256;

const PAIRS: Record<number, number> = { 40: 41, 91: 93, 123: 125, 60: 62 };

/**
 * Skips `d...d` or a bracket pair starting with the delimiter at `k`; brackets nest unless
 * `nesting` is false (Elixir's sigils end at the first unescaped closer: `~r{a{b}`).
 */
function scanDelimited(st: LexState, k: number, end: number, escape: number, nesting = true): number {
  const text = st.text;
  const open = text.charCodeAt(k);
  const close = PAIRS[open] ?? open;
  const nests = nesting && close !== open;
  let depth = 0;
  let p = k + 1;
  while (p < end) {
    const c = text.charCodeAt(p);
    if (c === escape) {
      p += 2;
      continue;
    }
    if (c === close) {
      if (depth === 0) return p + 1;
      depth--;
    } else if (nests && c === open) depth++;
    p++;
  }
  return end;
}

function isDelimiter(c: number): boolean {
  return !(Number.isNaN(c) || isWord(c) || isSpace(c));
}

function rubyPercentHandler(cl: ValueRules): Handler {
  return {
    order: 1,
    lex(st, i, end) {
      const text = st.text;
      let k = i + 1;
      const letter = 'qQwWiIrsx'.includes(text.charAt(k)) && text.charAt(k) !== '';
      if (letter) k++;
      if (k >= end) return -1;
      const d = text.charCodeAt(k);
      if (!isDelimiter(d)) return -1;
      if (!letter && (d === 61 || !inValuePosition(st, i, cl))) return -1;
      if (letter && i > 0 && isWord(text.charCodeAt(i - 1))) return -1;
      let p = scanDelimited(st, k, end, 92);
      while (p < end && isLetter(text.charCodeAt(p))) p++;
      return p;
    },
  };
}

const PERL_QUOTE_OPS = new Set(['q', 'qq', 'qw', 'qr', 'm', 's', 'tr', 'y']);

const perlQuoteHandler: Handler = {
  order: 1,
  lex(st, i, end) {
    const text = st.text;
    if (i > 0) {
      const prev = text.charCodeAt(i - 1);
      // Sigils, method calls (`->s`), file tests (`-s`), identifiers and escapes (`\s` of a regex
      // this lexer did not recognise) are not quote operators.
      if (isWord(prev) || prev === 36 || prev === 64 || prev === 37 || prev === 38 || prev === 42 || prev === 45 || prev === 92) return -1;
      if (prev === 62 && i > 1 && text.charCodeAt(i - 2) === 45) return -1;
    }
    let k = i;
    while (k < end && k - i < 3 && isWordAscii(text.charCodeAt(k))) k++;
    if (k - i > 2) return -1;
    const op = text.slice(i, k);
    if (!PERL_QUOTE_OPS.has(op)) return -1;
    const d = text.charCodeAt(k);
    if (k >= end || !isDelimiter(d)) return -1;
    // `;`, `=>`, closing brackets: a bareword like a hash key, not a quote; so is `,` followed by
    // a space (`(s, 1)`), while `m,^/,` is a match.
    if (d === 59 || d === 61 || d === 41 || d === 93 || d === 125 || d === 62) return -1;
    if (d === 44 && (k + 1 >= end || isSpace(text.charCodeAt(k + 1)))) return -1;
    let p = scanDelimited(st, k, end, 92);
    if (op === 's' || op === 'tr' || op === 'y') {
      if (PAIRS[d] !== undefined) {
        while (p < end && isSpace(text.charCodeAt(p))) p++;
        if (p < end && isDelimiter(text.charCodeAt(p))) p = scanDelimited(st, p, end, 92);
      } else p = scanDelimited(st, p - 1, end, 92);
    }
    while (p < end && isLetter(text.charCodeAt(p))) p++;
    return p;
  },
};

const elixirSigilHandler: Handler = {
  order: 1,
  lex(st, i, end) {
    const text = st.text;
    let k = i + 1;
    const c = text.charCodeAt(k);
    if (c >= 97 && c <= 122) k++;
    else if (c >= 65 && c <= 90) {
      while (k < end && ((text.charCodeAt(k) >= 65 && text.charCodeAt(k) <= 90) || (text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57))) k++;
    } else return -1;
    const d = text.charCodeAt(k);
    if (!'/|"\'([{<'.includes(String.fromCharCode(d)) || k >= end) return -1;
    let p: number;
    const triple = String.fromCharCode(d).repeat(3);
    if ((d === 34 || d === 39) && text.startsWith(triple, k)) {
      const at = st.find(triple, k + 3);
      p = at < 0 || at > end ? end : at + 3;
    } else p = scanDelimited(st, k, end, 92, false);
    while (p < end && isLetter(text.charCodeAt(p))) p++;
    return p;
  },
};

/**
 * Markdown fenced code blocks: a line that starts (after any indentation: list items indent them)
 * with three or more backticks or tildes opens one, and a line of at least as many of the same
 * character, alone on its line, closes it; unclosed, it runs to the end. A backtick run followed
 * by more backticks on its line is a code span, not a fence.
 */
const markdownFenceHandler: Handler = {
  order: 3,
  lex(st, i, end) {
    const text = st.text;
    const c = text.charCodeAt(i);
    if (!firstOnLine(text, i)) return -1;
    let k = i;
    while (k < end && text.charCodeAt(k) === c) k++;
    const run = k - i;
    if (run < 3) return -1;
    const lineEnd = st.lineEnd(k, end);
    if (c === 96 && text.indexOf('`', k) >= 0 && text.indexOf('`', k) < lineEnd) return -1;
    const fence = text.slice(i, i + 3);
    for (let at = st.find(fence, lineEnd); at >= 0 && at < end; at = st.find(fence, at + 1)) {
      if (!firstOnLine(text, at)) continue;
      let q = at;
      while (q < end && text.charCodeAt(q) === c) q++;
      if (q - at < run) {
        at = q;
        continue;
      }
      const closeEnd = st.lineEnd(q, end);
      let r = q;
      while (r < closeEnd && isBlank(text.charCodeAt(r))) r++;
      if (r === closeEnd) return closeEnd;
      at = q;
    }
    return end;
  },
};

// ---------------------------------------------------------------------------------------------
// Raw strings with custom delimiters

function findOrEnd(st: LexState, token: string, from: number, end: number): number {
  const at = st.find(token, from);
  return at < 0 || at + token.length > end ? end : at + token.length;
}

const cppRawHandler: Handler = {
  order: 2,
  lex(st, i, end) {
    const text = st.text;
    if (text.charCodeAt(i + 1) !== 34) return -1;
    let s = i;
    while (s > 0 && i - s <= 2 && isWordAscii(text.charCodeAt(s - 1))) s--;
    if (s > 0 && isWordAscii(text.charCodeAt(s - 1))) return -1;
    const prefix = text.slice(s, i);
    if (!(prefix === '' || prefix === 'u8' || prefix === 'u' || prefix === 'U' || prefix === 'L')) return -1;
    let k = i + 2;
    while (k < end && k - (i + 2) <= 16) {
      const c = text.charCodeAt(k);
      if (c === 40 || isSpace(c) || c === 41 || c === 92 || c === 34) break;
      k++;
    }
    if (text.charCodeAt(k) !== 40) return -1;
    return findOrEnd(st, `)${text.slice(i + 2, k)}"`, k + 1, end);
  },
};

const rustRawHandler: Handler = {
  order: 2,
  lex(st, i, end) {
    const text = st.text;
    if (i > 0 && isWord(text.charCodeAt(i - 1))) return -1;
    let k = i;
    const c = text.charCodeAt(k);
    if (c === 98 || c === 99) k++; // b"..." / c"..." are plain strings; only br / cr are raw
    if (text.charCodeAt(k) !== 114) return -1;
    k++;
    let hashes = 0;
    while (text.charCodeAt(k) === 35) {
      hashes++;
      k++;
    }
    if (text.charCodeAt(k) !== 34) return -1;
    return findOrEnd(st, `"${'#'.repeat(hashes)}`, k + 1, end);
  },
};

const csharpRawHandler: Handler = {
  order: 3,
  lex(st, i, end) {
    const text = st.text;
    let n = 0;
    while (text.charCodeAt(i + n) === 34) n++;
    if (n < 3) return -1;
    return findOrEnd(st, '"'.repeat(n), i + n, end);
  },
};

const swiftRawHandler: Handler = {
  order: 2,
  lex(st, i, end) {
    const text = st.text;
    let k = i;
    while (text.charCodeAt(k) === 35) k++;
    if (text.charCodeAt(k) !== 34) return -1;
    const hashes = '#'.repeat(k - i);
    const quotes = text.startsWith('"""', k) ? '"""' : '"';
    return findOrEnd(st, quotes + hashes, k + quotes.length, end);
  },
};

/** `[[`, `[==[` at `i`: returns the closer (`]]`, `]==]`) or undefined. */
function longBracketCloser(text: string, i: number): string | undefined {
  if (text.charCodeAt(i) !== 91) return undefined;
  let k = i + 1;
  while (text.charCodeAt(k) === 61) k++;
  if (text.charCodeAt(k) !== 91) return undefined;
  return `]${'='.repeat(k - i - 1)}]`;
}

const longBracketStringHandler: Handler = {
  order: 2,
  lex(st, i, end) {
    const close = longBracketCloser(st.text, i);
    if (close === undefined) return -1;
    return findOrEnd(st, close, i + close.length, end);
  },
};

function longBracketCommentHandler(prefix: string): Handler {
  return {
    order: prefix.length + 2,
    lex(st, i, end) {
      const text = st.text;
      if (!text.startsWith(prefix, i)) return -1;
      const open = i + prefix.length;
      const close = longBracketCloser(text, open);
      if (close === undefined) return -1;
      const k = open + close.length;
      const at = st.find(close, k);
      if (at < 0 || at + close.length > end) {
        emit(st, i, k, end, end);
        return end;
      }
      emit(st, i, k, at, at + close.length);
      return at + close.length;
    },
  };
}

/**
 * PostgreSQL's `$$…$$` and `$tag$…$tag$`. They hold function bodies and `DO` blocks far more often
 * than text, and in PL/pgSQL (or SQL) their `--` and block comments are the team's notes: the
 * body is lexed as SQL. It ends at the first closing tag, whatever the body holds (dollar quotes
 * have no escapes), so a misread body cannot run past it.
 */
function sqlDollarHandler(languageId: string): Handler {
  return {
    order: 1,
    lex(st, i, end) {
      const text = st.text;
      if (i > 0 && isWord(text.charCodeAt(i - 1))) return -1;
      let k = i + 1;
      const c = text.charCodeAt(k);
      if (c !== 36 && !(isLetter(c) || c === 95)) return -1;
      while (k < end && isWordAscii(text.charCodeAt(k))) k++;
      if (text.charCodeAt(k) !== 36) return -1;
      const tag = text.slice(i, k + 1);
      const close = st.find(tag, k + 1);
      const bodyEnd = close < 0 || close + tag.length > end ? end : close;
      lexEmbedded(st, languageId, k + 1, bodyEnd);
      return bodyEnd === end ? end : bodyEnd + tag.length;
    },
  };
}

const ocamlQuotedHandler: Handler = {
  order: 2,
  lex(st, i, end) {
    const text = st.text;
    let k = i + 1;
    while (k < end && ((text.charCodeAt(k) >= 97 && text.charCodeAt(k) <= 122) || text.charCodeAt(k) === 95)) k++;
    if (text.charCodeAt(k) !== 124) return -1;
    return findOrEnd(st, `|${text.slice(i + 1, k)}}`, k + 1, end);
  },
};

// ---------------------------------------------------------------------------------------------
// Comment-like regions that need more than delimiters

const perlPodHandler: Handler = {
  order: 1,
  lex(st, i, end) {
    const text = st.text;
    if (!positionOk(text, i, 'column-1') || !isLetter(text.charCodeAt(i + 1))) return -1;
    const at = st.find('\n=cut', i);
    const stop = at < 0 || at >= end ? end : at;
    emitPodParagraphs(st, i, stop);
    return stop === end ? end : st.lineEnd(at + 1, end);
  },
};

/**
 * POD's paragraphs, each as a comment, except verbatim ones (first line indented): those are code
 * examples (`    TODO: { local $TODO = … }` in Test::More's documentation), not notes.
 */
function emitPodParagraphs(st: LexState, start: number, stop: number): void {
  const text = st.text;
  let p = start;
  while (p < stop) {
    // A paragraph ends at a blank line.
    let q = p;
    for (;;) {
      const eol = st.lineEnd(q, stop);
      if (eol >= stop) {
        q = stop;
        break;
      }
      // Past this one line break (\n, \r\n or \r) to the next line.
      const next = text.charCodeAt(eol) === 13 && text.charCodeAt(eol + 1) === 10 ? eol + 2 : eol + 1;
      q = eol;
      if (next >= stop || isBlankLineAt(text, next, stop)) break;
      q = next;
    }
    if (!isBlank(text.charCodeAt(p))) emit(st, p, p, q, q);
    // Past the blank lines to the next paragraph.
    p = q;
    while (p < stop && isSpace(text.charCodeAt(p))) {
      if (isEol(text.charCodeAt(p))) {
        p++;
        continue;
      }
      // Blanks at the start of a line belong to the next (verbatim) paragraph.
      let r = p;
      while (r < stop && isBlank(text.charCodeAt(r))) r++;
      if (r < stop && !isEol(text.charCodeAt(r))) break;
      p = r;
    }
  }
}

const yamlBlockScalarHandler: Handler = {
  order: 1,
  lex(st, i, end) {
    const text = st.text;
    // Only in value position: after `key:`, `- `, `? ` or an anchor/tag that follows them.
    let k = i - 1;
    for (;;) {
      while (k >= 0 && isBlank(text.charCodeAt(k))) k--;
      if (k < 0 || isEol(text.charCodeAt(k))) return -1;
      const c = text.charCodeAt(k);
      if (c === 58 || c === 45 || c === 63) break;
      let s = k;
      while (s > 0 && k - s < 256 && !isSpace(text.charCodeAt(s - 1))) s--;
      const first = text.charCodeAt(s);
      if (first !== 38 && first !== 33) return -1;
      k = s - 1;
    }
    let p = i + 1;
    while (p < end && (text.charCodeAt(p) === 45 || text.charCodeAt(p) === 43 || (text.charCodeAt(p) >= 48 && text.charCodeAt(p) <= 57))) p++;
    while (p < end && isBlank(text.charCodeAt(p))) p++;
    if (p < end && !isEol(text.charCodeAt(p)) && text.charCodeAt(p) !== 35) return -1;
    const ls = lineStartOf(text, i);
    let indent = 0;
    while (text.charCodeAt(ls + indent) === 32) indent++;
    st.pending.push({ kind: 'indent', parent: indent });
    return p;
  },
};

const rstCommentHandler: Handler = {
  order: 2,
  lex(st, i, end) {
    const text = st.text;
    if (!text.startsWith('..', i) || !positionOk(text, i, 'line-start')) return -1;
    const k = i + 2;
    if (k < end && !isSpace(text.charCodeAt(k))) return -1;
    let s = k;
    while (s < end && isBlank(text.charCodeAt(s))) s++;
    const e = st.lineEnd(s, end);
    if (s < e) {
      const c0 = text.charCodeAt(s);
      // Targets `.. _x:`, substitutions `.. |x|`, footnotes/citations `.. [1]` are markup, not comments.
      if (c0 === 95 || c0 === 124 || c0 === 91) return e;
      let w = s;
      while (w < e && (isWordAscii(text.charCodeAt(w)) || text.charCodeAt(w) === 45 || text.charCodeAt(w) === 46 || text.charCodeAt(w) === 58)) {
        if (text.startsWith('::', w)) return e; // a directive
        w++;
      }
    }
    const base = i - lineStartOf(text, i);
    let spanEnd = e;
    let p = e < end ? skipBreak(text, e) : end;
    while (p < end) {
      const le = st.lineEnd(p, end);
      let q = p;
      while (q < le && isBlank(text.charCodeAt(q))) q++;
      if (q < le) {
        if (q - p <= base) break;
        spanEnd = le;
      }
      p = le < end ? skipBreak(text, le) : end;
    }
    emit(st, i, k, spanEnd, spanEnd);
    return spanEnd;
  },
};

// ---------------------------------------------------------------------------------------------
// Markup: tags, and languages embedded in <script>, <style>, <?php ?> and frontmatter

function lexEmbedded(st: LexState, languageId: string, start: number, end: number): number {
  const language = getLanguage(languageId);
  if (language === undefined || st.embedDepth >= 3) return end;
  const savedBase = st.frameBase;
  const savedPending = st.pending;
  st.frameBase = st.frames.length;
  st.pending = [];
  st.embedDepth++;
  const r = lexRange(st, compileLanguage(language), start, end);
  st.embedDepth--;
  st.frames.length = st.frameBase;
  st.frameBase = savedBase;
  st.pending = savedPending;
  st.exit = false;
  return r;
}

/** After the tag name: skips attributes (quoted values may contain `>` or `<!--`) to after `>`. */
function skipTag(st: LexState, from: number, end: number): number {
  const text = st.text;
  let k = from;
  while (k < end) {
    const c = text.charCodeAt(k);
    if (c === 62) return k + 1;
    if (c === 34 || c === 39) {
      const q = st.find(c === 34 ? '"' : "'", k + 1);
      if (q < 0 || q >= end) return k + 1;
      k = q + 1;
      continue;
    }
    if (c === 60) return k;
    k++;
  }
  return end;
}

const SCRIPT_LANGS: Record<string, string> = {
  ts: 'typescript', tsx: 'typescript', typescript: 'typescript', 'text/typescript': 'typescript',
  'application/typescript': 'typescript', jsx: 'javascript', js: 'javascript', coffee: 'coffeescript',
  'text/coffeescript': 'coffeescript', 'application/json': 'json', 'application/ld+json': 'json',
  importmap: 'json', speculationrules: 'json',
};
const STYLE_LANGS: Record<string, string> = {
  scss: 'scss', sass: 'sass', less: 'less', stylus: 'stylus', styl: 'stylus', postcss: 'css', css: 'css',
};

function embeddedLanguage(host: Language, script: boolean, attrs: string): string | undefined {
  const lang = /\blang\s*=\s*["']?([\w+./-]+)/i.exec(attrs)?.[1]?.toLowerCase();
  const type = /\btype\s*=\s*["']?([\w+./-]+)/i.exec(attrs)?.[1]?.toLowerCase();
  if (!script) return STYLE_LANGS[lang ?? ''] ?? host.embedded?.style;
  const named = SCRIPT_LANGS[lang ?? ''] ?? SCRIPT_LANGS[type ?? ''];
  if (named !== undefined) return named;
  // Client-side templates hold markup, not code.
  if (type !== undefined && /template|html|handlebars|mustache|x-tmpl/.test(type)) return host.id;
  return host.embedded?.script;
}

function markupHandler(host: Language): Handler {
  const php = host.embedded?.php;
  return {
    order: 1,
    lex(st, i, end) {
      const text = st.text;
      const n1 = text.charCodeAt(i + 1);
      if (n1 === 63 && php !== undefined) {
        let k = i + 2;
        if (startsWithCI(text, 'php', k)) k += 3;
        else if (text.charCodeAt(k) === 61) k++;
        else if (startsWithCI(text, 'xml', k)) return skipTag(st, k, end);
        return lexEmbedded(st, php, k, end);
      }
      if (n1 === 33) {
        if (text.startsWith('<![CDATA[', i)) return findOrEnd(st, ']]>', i + 9, end);
        return skipTag(st, i + 2, end);
      }
      if (n1 === 47) return skipTag(st, i + 2, end);
      if (!isLetter(n1)) return -1;
      let k = i + 1;
      while (k < end && (isWordAscii(text.charCodeAt(k)) || text.charCodeAt(k) === 45 || text.charCodeAt(k) === 58)) k++;
      const nameLength = k - i - 1;
      const script = nameLength === 6 && startsWithCI(text, 'script', i + 1);
      const style = nameLength === 5 && startsWithCI(text, 'style', i + 1);
      const tagEnd = skipTag(st, k, end);
      if (!(script || style) || text.charCodeAt(tagEnd - 1) !== 62 || text.charCodeAt(tagEnd - 2) === 47) return tagEnd;
      const closeAt = st.findCI(script ? '</script' : '</style', tagEnd);
      const contentEnd = closeAt < 0 || closeAt > end ? end : closeAt;
      const attrs = text.slice(k, Math.min(tagEnd - 1, k + 2000));
      const inner = embeddedLanguage(host, script, attrs);
      if (inner !== undefined) lexEmbedded(st, inner, tagEnd, contentEnd);
      return contentEnd;
    },
  };
}

function frontmatterHandler(host: Language): Handler {
  return {
    order: 3,
    lex(st, i, end) {
      const text = st.text;
      const inner = host.embedded?.frontmatter;
      if (i !== 0 || inner === undefined || !text.startsWith('---', 0)) return -1;
      const e = st.lineEnd(3, end);
      for (let k = 3; k < e; k++) if (!isBlank(text.charCodeAt(k))) return -1;
      const close = st.find('\n---', e);
      const contentEnd = close < 0 || close > end ? end : close + 1;
      lexEmbedded(st, inner, e, contentEnd);
      return contentEnd >= end ? end : st.lineEnd(contentEnd, end);
    },
  };
}

const phpCloseHandler: Handler = {
  order: 2,
  lex(st, i) {
    if (st.text.charCodeAt(i + 1) !== 62) return -1;
    st.exit = true;
    return i + 2;
  },
};

const codeEscapeHandler: Handler = {
  order: 10,
  lex(_st, i, end) {
    return Math.min(i + 2, end);
  },
};

// ---------------------------------------------------------------------------------------------
// Compilation

const compiled = new WeakMap<Language, CompiledLanguage>();

function modeHandlers(mode: LexerMode, language: Language, cl: CompiledLanguage): [string, Handler][] {
  switch (mode) {
    case 'regex':
      return [['/', regexHandler(cl)]];
    case 'cpp-raw-string':
      return [['R', cppRawHandler]];
    case 'rust-raw-string':
      return [['r', rustRawHandler], ['b', rustRawHandler], ['c', rustRawHandler]];
    case 'csharp-raw-string':
      return [['"', csharpRawHandler]];
    case 'swift-raw-string':
      return [['#', swiftRawHandler]];
    case 'long-bracket-string':
      return [['[', longBracketStringHandler]];
    case 'lua-long-comment':
      return [['-', longBracketCommentHandler('--')]];
    case 'cmake-bracket-comment':
      return [['#', longBracketCommentHandler('#')]];
    case 'shell-heredoc':
      return [['<', heredocHandler('shell')]];
    case 'ruby-heredoc':
      return [['<', heredocHandler('ruby')]];
    case 'perl-heredoc':
      return [['<', heredocHandler('perl')]];
    case 'php-heredoc':
      return [['<', heredocHandler('php')]];
    case 'hcl-heredoc':
      return [['<', heredocHandler('hcl')]];
    case 'ruby-percent':
      return [['%', rubyPercentHandler(cl)]];
    case 'perl-quote':
      return [...'qmsty'].map((c): [string, Handler] => [c, perlQuoteHandler]);
    case 'elixir-sigil':
      return [['~', elixirSigilHandler]];
    case 'markdown-fence':
      return [['`', markdownFenceHandler], ['~', markdownFenceHandler]];
    case 'perl-pod':
      return [['=', perlPodHandler]];
    case 'yaml-block-scalar':
      return [['|', yamlBlockScalarHandler], ['>', yamlBlockScalarHandler]];
    case 'rst-comment':
      return [['.', rstCommentHandler]];
    case 'sql-dollar-quote':
      return [['$', sqlDollarHandler(language.id)]];
    case 'ocaml-quoted-string':
      return [['{', ocamlQuotedHandler]];
    case 'markup':
      return [['<', markupHandler(language)]];
    case 'frontmatter':
      return [['-', frontmatterHandler(language)]];
    case 'php-close':
      return [['?', phpCloseHandler]];
  }
}

const NEEDS_NEWLINE: ReadonlySet<LexerMode> = new Set([
  'shell-heredoc', 'ruby-heredoc', 'perl-heredoc', 'php-heredoc', 'hcl-heredoc', 'yaml-block-scalar',
]);

function scanRegex(table: Uint8Array, interpolation: boolean): RegExp {
  let chars = '';
  let letters = '';
  for (let code = 0; code < 128; code++) {
    const t = table[code]!;
    if (t === Dispatch.None || (t === Dispatch.InInterpolation && !interpolation)) continue;
    const hex = `\\x${code.toString(16).padStart(2, '0')}`;
    if (t === Dispatch.WordStart) letters += hex;
    else chars += hex;
  }
  const parts: string[] = [];
  if (chars.length > 0) parts.push(`[${chars}]`);
  // Letters matter only at a word start; `\b` lets irregexp skip the rest of every word.
  if (letters.length > 0) parts.push(`\\b[${letters}]`);
  return new RegExp(parts.length > 0 ? parts.join('|') : '$^', 'g');
}

/** Builds (once per language object) the dispatch table the lexer runs on. */
export function compileLanguage(language: Language): CompiledLanguage {
  const cached = compiled.get(language);
  if (cached !== undefined) return cached;
  const cl: CompiledLanguage = {
    language,
    table: new Uint8Array(128),
    scanCode: /$^/g,
    scanInterpolation: /$^/g,
    dispatch: new Array<Handler[] | undefined>(128).fill(undefined),
    regexKeywords: new Set(language.regexKeywords ?? []),
    regexMultiline: language.regexMultiline === true,
    statementNewlines: language.statementNewlines === true,
    colonSymbols: language.colonSymbols === true,
  };
  const entries: [string, Handler][] = [];
  for (const rule of language.lineComments ?? []) {
    const h = lineCommentHandler(rule);
    entries.push([rule.token[0]!, h]);
    if (rule.ignoreCase === true) {
      entries.push([rule.token[0]!.toUpperCase(), h], [rule.token[0]!.toLowerCase(), h]);
    }
  }
  for (const rule of language.blockComments ?? []) entries.push([rule.open[0]!, blockCommentHandler(rule)]);
  for (const rule of language.strings ?? []) entries.push([rule.open[0]!, stringHandler(rule)]);
  for (const mode of language.modes ?? []) entries.push(...modeHandlers(mode, language, cl));
  if (language.codeEscape !== undefined) entries.push([language.codeEscape, codeEscapeHandler]);
  const strings = language.strings ?? [];
  const docstrings = strings.some((s) => s.docstring === true);
  const interpolations = strings.flatMap((s) => s.interpolation ?? []);
  if (docstrings) for (const c of '()[]{}') entries.push([c, bracketHandler]);
  for (const ip of interpolations) entries.push([ip.open.slice(-1), bracketHandler], [ip.close, bracketHandler]);
  if ((language.modes ?? []).some((m) => NEEDS_NEWLINE.has(m)) || language.dataSections !== undefined) {
    const handler = newlineHandler(language.dataSections ?? []);
    entries.push(['\n', handler], ['\r', handler]);
  }
  for (const [ch, handler] of entries) {
    const code = ch.charCodeAt(0);
    if (code >= 128) continue;
    const list = cl.dispatch[code] ?? [];
    if (!list.includes(handler)) list.push(handler);
    cl.dispatch[code] = list;
  }
  for (let code = 0; code < 128; code++) {
    const list = cl.dispatch[code];
    if (list === undefined) continue;
    list.sort((a, b) => b.order - a.order);
    // Cheap pre-checks done inline by lexRange, so most characters cost no call (see Dispatch).
    if (list.length === 1 && list[0] === bracketHandler) {
      cl.table[code] = docstrings && interpolations.length === 0 ? Dispatch.Depth : Dispatch.InInterpolation;
      if (docstrings && interpolations.length > 0) cl.table[code] = Dispatch.Always;
    } else if (isLetter(code)) cl.table[code] = Dispatch.WordStart;
    else cl.table[code] = Dispatch.Always;
  }
  cl.scanCode = scanRegex(cl.table, false);
  cl.scanInterpolation = scanRegex(cl.table, true);
  compiled.set(language, cl);
  return cl;
}

/**
 * Lexes `[start, end)` of `st.text`, reporting comments to `st.sink`. Stops early once past
 * `st.limit`. Returns where it stopped (after the token that made an embedded region exit).
 */
export function lexRange(st: LexState, cl: CompiledLanguage, start: number, end: number): number {
  const text = st.text;
  const table = cl.table;
  const dispatch = cl.dispatch;
  const stop = Math.min(end, st.limit + 1);
  let i = start;
  while (i < stop) {
    const re = st.frames.length > st.frameBase ? cl.scanInterpolation : cl.scanCode;
    // Embedded regions (many <script> blocks) must not each rescan a long hit-free tail: remember
    // where the next hit was and reuse it while it still lies ahead.
    const memo = st.hits.get(re);
    let at: number;
    if (memo !== undefined && memo[0] <= i && (memo[1] < 0 || memo[1] >= stop)) at = memo[1];
    else {
      re.lastIndex = i;
      at = re.test(text) ? re.lastIndex - 1 : -1;
    }
    if (at < 0 || at >= stop) {
      st.hits.set(re, [i, at]);
      return stop;
    }
    i = at;
    const c = text.charCodeAt(i);
    const t = table[c]!;
    if (t !== Dispatch.Always) {
      if (t === Dispatch.WordStart) {
        if (i > 0 && isWord(text.charCodeAt(i - 1))) {
          i++;
          continue;
        }
      } else if (t === Dispatch.InInterpolation) {
        if (st.frames.length <= st.frameBase) {
          i++;
          continue;
        }
      } else if (t === Dispatch.Depth) {
        if (c === 40 || c === 91 || c === 123) st.depth++;
        else if (st.depth > 0) st.depth--;
        i++;
        continue;
      }
    }
    const handlers = dispatch[c]!;
    let next = -1;
    for (let k = 0; k < handlers.length; k++) {
      next = handlers[k]!.lex(st, i, end);
      if (next >= 0) break;
    }
    if (st.exit) return next;
    i = next > i ? next : i + 1;
  }
  return i;
}
