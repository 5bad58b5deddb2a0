/**
 * The pure scanning core of the `todo` probe: one file's bytes in, the TODO-style markers found in
 * its comments out. No I/O, no global state besides caches; safe to call from worker threads.
 *
 * Speed comes from doing almost nothing for most files: one precompiled, case-insensitive regex over
 * a latin1 view of the bytes finds candidate tag words; a file without candidates is done. Only files
 * with candidates are lexed (lexer.ts), and only up to the last candidate. Only the lines that hold a
 * marker are decoded as UTF-8.
 *
 * Matching rules are documented for users in readme.md beside this file.
 */
import { Buffer } from 'node:buffer';
import type { Language } from './languages.js';
import { LANGUAGES_MODULE, getLanguage, languageFor, languageForModeline, languageForShebang } from './languages.js';
import { LEXER_MODULE, LexState, compileLanguage, lexRange } from './lexer.js';

/**
 * The modules whose code decides what a scan finds (in the bundle they are one chunk): the scan
 * cache is keyed by their content, so a new scanner never reuses an old one's answers.
 */
export const SCANNER_MODULES: readonly string[] = [import.meta.url, LEXER_MODULE, LANGUAGES_MODULE];

export interface Marker {
  /** The configured tag it matched, spelled as configured (e.g. `TODO`). */
  tag: string;
  /** 1-based. */
  line: number;
  /** 1-based, in Unicode code points of the decoded line, at the tag's first letter. */
  column: number;
  /** Text after the tag, its owner and punctuation; trimmed, whitespace collapsed, at most 300 chars. */
  text: string;
  /** From `TODO(alice)`, `TODO(@alice)` or `TODO [alice]`. */
  owner?: string;
  /** The comment's part of the line as written, trimmed, at most 300 chars (evidence). */
  comment: string;
}

export interface ScanOptions {
  /** E.g. `['TODO', 'FIXME', 'HACK', 'XXX', 'BUG']`. */
  tags: readonly string[];
}

export type ScanResult =
  | { kind: 'scanned'; language: string; markers: Marker[] }
  | { kind: 'skipped'; reason: 'binary' | 'unsupported-language' | 'generated' }
  /** An internal error of the scanner on this file: reported as a file error, never thrown. */
  | { kind: 'failed'; message: string };

/** Longest marker text and comment evidence, in characters. */
export const MAX_TEXT = 300;
/** A NUL byte in this many first bytes makes a file binary. */
const BINARY_WINDOW = 8192;
/** Bytes of source first decoded for one marker's text (widened up to the maximum when needed). */
const RAW_TEXT_WINDOW = 400;
const MAX_RAW_TEXT_WINDOW = 6400;

const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

// ---------------------------------------------------------------------------------------------
// Tags

interface TagMatcher {
  /**
   * Case-insensitive, without word boundaries, for the latin1 view: a cheap first test that rejects
   * most files (irregexp runs it faster than the whole-word form).
   */
  quick: RegExp;
  /** Length of the longest tag in the latin1 view. */
  longest: number;
  /** Global, case-insensitive, whole-word; for the latin1 view of UTF-8 bytes. */
  bytes: RegExp;
  /** The same, sticky: which tag is at a position a pre-filter found. */
  bytesAt: RegExp;
  /** The same for decoded text. */
  text: RegExp;
  /** Lower-cased spelling (decoded and latin1) to the configured spelling. */
  canonical: Map<string, string>;
}

const matchers = new Map<string, TagMatcher | null>();

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function wordAlternation(tags: readonly string[]): string {
  const sorted = [...tags].sort((a, b) => b.length - a.length);
  // One `\b(?:A|B)\b` group for ordinary word tags: irregexp scans it much faster than `\bA\b|\bB\b`.
  const words = sorted.filter((t) => /^\w(.*\w)?$/s.test(t)).map(escapeRegExp);
  const others = sorted
    .filter((t) => !/^\w(.*\w)?$/s.test(t))
    .map((tag) => {
      // `\b` only where the tag itself begins/ends with a word character (tags like `!!!` work too).
      const head = /^\w/.test(tag) ? '\\b' : '';
      const tail = /\w$/.test(tag) ? '\\b' : '';
      return head + escapeRegExp(tag) + tail;
    });
  if (words.length > 0) others.unshift(`\\b(?:${words.join('|')})\\b`);
  return others.join('|');
}

let lastTags: readonly string[] | undefined;
let lastMatcher: TagMatcher | null = null;

function matcherFor(tags: readonly string[]): TagMatcher | null {
  // A scan passes the same array for every file: skip building the key.
  if (tags === lastTags) return lastMatcher;
  lastMatcher = matcherForKey(tags);
  lastTags = tags;
  return lastMatcher;
}

function matcherForKey(tags: readonly string[]): TagMatcher | null {
  const key = tags.join('\0');
  const cached = matchers.get(key);
  if (cached !== undefined) return cached;
  const unique = new Map<string, string>();
  for (const tag of tags) {
    const t = tag.trim();
    if (t.length > 0 && !unique.has(t.toLowerCase())) unique.set(t.toLowerCase(), t);
  }
  let matcher: TagMatcher | null = null;
  if (unique.size > 0) {
    const spelled = [...unique.values()];
    const asBytes = spelled.map((t) => Buffer.from(t, 'utf8').toString('latin1'));
    const canonical = new Map<string, string>();
    spelled.forEach((t, k) => {
      canonical.set(t.toLowerCase(), t);
      canonical.set(asBytes[k]!.toLowerCase(), t);
    });
    matcher = {
      quick: new RegExp(asBytes.map(escapeRegExp).join('|'), 'gi'),
      longest: Math.max(...asBytes.map((t) => t.length)),
      bytes: new RegExp(wordAlternation(asBytes), 'gi'),
      bytesAt: new RegExp(wordAlternation(asBytes), 'iy'),
      text: new RegExp(wordAlternation(spelled), 'gi'),
      canonical,
    };
  }
  if (matchers.size > 64) matchers.clear();
  matchers.set(key, matcher);
  return matcher;
}

// ---------------------------------------------------------------------------------------------
// Marker extraction

function isWordAscii(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}
function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}
/** Comment punctuation skipped to find where the comment's text starts (`//`, ` * `, `#`, `--`, `;;`...). */
function isDecoration(c: number): boolean {
  return (
    c === 32 || c === 9 || c === 42 || c === 47 || c === 35 || c === 33 || c === 45 || c === 59 || c === 37 ||
    c === 43 || c === 61 || c === 39 || c === 124 || c === 94 || c === 34 || c === 12
  );
}

/** Whether `[p, end)` stands alone between two `|` separators on its line: `| XXX |`. */
function isTableCell(text: string, p: number, end: number, segStart: number, segEnd: number): boolean {
  let before = p - 1;
  while (before >= segStart && isBlank(text.charCodeAt(before))) before--;
  if (before < segStart || text.charCodeAt(before) !== 124) return false;
  let after = end;
  while (after < segEnd && isBlank(text.charCodeAt(after))) after++;
  return after < segEnd && text.charCodeAt(after) === 124;
}

function codePoints(s: string): number {
  let n = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c >= 0xd800 && c <= 0xdbff && k + 1 < s.length) {
      const d = s.charCodeAt(k + 1);
      if (d >= 0xdc00 && d <= 0xdfff) k++;
    }
    n++;
  }
  return n;
}

function cap(s: string, truncated: boolean): string {
  if (s.length > MAX_TEXT) {
    let cut = MAX_TEXT - 1;
    // Do not split a surrogate pair.
    const c = s.charCodeAt(cut - 1);
    if (c >= 0xd800 && c <= 0xdbff) cut--;
    return `${s.slice(0, cut).trimEnd()}…`;
  }
  return truncated && s.length > 0 ? `${s.slice(0, MAX_TEXT - 1).trimEnd()}…` : s;
}

/**
 * Control characters (escape sequences!) must not reach a terminal through a report: they become
 * U+FFFD. Tabs and other whitespace stay (the text collapses them).
 */
function sanitize(s: string): string {
  return s.replace(/[\x00-\x08\x0e-\x1f\x7f-\x9f]/g, '\uFFFD');
}

/** Where text comes from: decoded text itself, or UTF-8 bytes behind a latin1 view. */
interface Source {
  text: string;
  decode(start: number, end: number): string;
  /** Code points in the decoded `[start, end)`. */
  columns(start: number, end: number): number;
}

const NON_ASCII = /[^\x00-\x7f]/;
/**
 * Left over from the tag's own punctuation: `(TODO) x`, `[[[FIXME]]] - x`, `TODO. x`. A stop or
 * comma only when a blank follows: `.5 seconds`, `.gitignore` and `./configure` are the text.
 */
const LEADING_CLOSERS = /^(?:[)\]}>]+[.,;!?]*|[.,;!?]+(?=\s|$))\s*(?:[-:]+\s+)?/;
/**
 * The end of an embedded comment the tag sits in, and what follows it: `<!-- XXX check --> when`
 * in Javadoc, a block comment's end inside a line comment.
 */
const TRAILING_CLOSER = /\s*(?:-->|\*\/).*$/;

function stringSource(text: string): Source {
  return {
    text,
    decode: (a, b) => text.slice(a, b),
    columns: (a, b) => codePoints(text.slice(a, b)),
  };
}

/** Most source is ASCII: its latin1 view is already the decoded text, so skip the decoder. */
function utf8Source(text: string, bytes: Buffer): Source {
  return {
    text,
    decode(a, b) {
      const s = text.slice(a, b);
      return NON_ASCII.test(s) ? utf8.decode(bytes.subarray(a, b)) : s;
    },
    columns(a, b) {
      const s = text.slice(a, b);
      return NON_ASCII.test(s) ? codePoints(utf8.decode(bytes.subarray(a, b))) : b - a;
    },
  };
}

/**
 * A tag in the middle of a comment that is quoted (`'TODO'`, `"FIXME"`) or joined to a word by `-`
 * or `/` (`TODO-style`, `TODO/FIXME`, `non-TODO`, `TODO-1234`) names the tag rather than marking
 * work. (Backtick code spans are handled by the caller, which counts them incrementally.)
 */
/**
 * Whether `p` follows a comment opener written inside the comment (`//`, `/*` or `<!--`, after a
 * blank and before one): the text after it is a comment of its own.
 */
function afterInnerOpener(text: string, p: number, first: number): boolean {
  let b = p;
  while (b > first && isBlank(text.charCodeAt(b - 1))) b--;
  if (b === p || b <= first) return false;
  let opener = 0;
  if (b - 2 >= first && text.charCodeAt(b - 1) === 47 && text.charCodeAt(b - 2) === 47) opener = 2;
  else if (b - 2 >= first && text.charCodeAt(b - 1) === 42 && text.charCodeAt(b - 2) === 47) opener = 2;
  else if (b - 4 >= first && text.startsWith('<!--', b - 4)) opener = 4;
  if (opener === 0) return false;
  // Longer runs of slashes (`////`) are one opener; before it, the start or a blank.
  let a = b - opener;
  while (a > first && text.charCodeAt(a - 1) === 47) a--;
  return a === first || isBlank(text.charCodeAt(a - 1));
}

/** Whether `p` begins a sentence inside the comment: after `.`, `!` or `?` that ends a word, and a blank. */
function startsSentence(text: string, p: number, first: number): boolean {
  let b = p;
  while (b > first && isBlank(text.charCodeAt(b - 1))) b--;
  if (b === p || b - 2 < first) return false;
  const end = text.charCodeAt(b - 1);
  if (end !== 46 && end !== 33 && end !== 63) return false;
  const before = text.charCodeAt(b - 2);
  // `word.` or `word).`; not `...`, `e.g.` is accepted (rare before a tag).
  return isWordAscii(before) || before === 41;
}

function isMention(text: string, p: number, len: number, segStart: number, segEnd: number): boolean {
  const before = p > segStart ? text.charCodeAt(p - 1) : -1;
  const after = p + len < segEnd ? text.charCodeAt(p + len) : -1;
  if ((before === 39 || before === 34) && after === before) return true;
  if ((before === 45 || before === 47) && p - 1 > segStart && isWordAscii(text.charCodeAt(p - 2))) return true;
  if ((after === 45 || after === 47) && p + len + 1 < segEnd && isWordAscii(text.charCodeAt(p + len + 1))) return true;
  return false;
}

class MarkerCollector {
  readonly markers: Marker[] = [];
  private ci = 0;
  // Line cursor: line number at `linePos`, and where that line starts.
  private linePos = 0;
  private nextNewline: number;
  private line = 1;
  private lineStart = 0;
  private lineEndCache = -1;
  private lineEndFor = -1;
  // Column cursor within the current line.
  private colLine = -1;
  private colPos = 0;
  private colCount = 0;
  private readonly hasCR: boolean;
  private readonly src: Source;
  private readonly positions: readonly number[];
  private readonly lengths: readonly number[];
  private readonly canonical: ReadonlyMap<string, string>;

  constructor(
    src: Source,
    positions: readonly number[],
    lengths: readonly number[],
    canonical: ReadonlyMap<string, string>,
  ) {
    this.src = src;
    this.positions = positions;
    this.lengths = lengths;
    this.canonical = canonical;
    this.hasCR = src.text.indexOf('\r') >= 0;
    this.nextNewline = src.text.indexOf('\n');
  }

  readonly onComment = (spanStart: number, contentStart: number, contentEnd: number, spanEnd: number): void => {
    const pos = this.positions;
    let ci = this.ci;
    while (ci < pos.length && pos[ci]! < contentStart) ci++;
    while (ci < pos.length && pos[ci]! < contentEnd) {
      const p = pos[ci]!;
      this.advanceTo(p);
      const lineStart = this.currentLineStart(p);
      const lineEnd = this.currentLineEnd(p);
      const segStart = Math.max(contentStart, lineStart);
      const segEnd = Math.min(contentEnd, lineEnd);
      const first = ci;
      while (ci < pos.length && pos[ci]! < segEnd) ci++;
      this.segment(first, ci, segStart, segEnd, Math.max(spanStart, lineStart), Math.min(spanEnd, lineEnd));
    }
    this.ci = ci;
  };

  /**
   * Moves the line cursor to the line containing `p` (monotonic). Lines are counted as git counts
   * them, by `\n` (`\r\n` is one break, a lone `\r` none), so that a marker's line is the one
   * `git blame`, `grep -n` and a code host show.
   */
  private advanceTo(p: number): void {
    const text = this.src.text;
    if (p < this.linePos) return;
    // `nextNewline` remembers the search past `p`, so a long line is not rescanned per marker.
    while (this.nextNewline >= 0 && this.nextNewline < p) {
      this.line++;
      this.lineStart = this.nextNewline + 1;
      this.nextNewline = text.indexOf('\n', this.lineStart);
    }
    this.linePos = p;
  }

  /**
   * Where the text of `p`'s line starts for segmenting comments: the line's start, or after a lone
   * `\r` on it (which ends a line comment, as the lexer reads it, though it starts no line).
   */
  private currentLineStart(p: number): number {
    if (!this.hasCR) return this.lineStart;
    const text = this.src.text;
    let k = p;
    while (k > this.lineStart && text.charCodeAt(k - 1) !== 13) k--;
    return k;
  }

  /** Where the text of `p`'s line ends: the next line break, a lone `\r` included. */
  private currentLineEnd(p: number): number {
    const text = this.src.text;
    if (this.hasCR) {
      let e = p;
      while (e < text.length && text.charCodeAt(e) !== 10 && text.charCodeAt(e) !== 13) e++;
      return e;
    }
    if (this.lineEndFor === this.lineStart) return this.lineEndCache;
    // advanceTo left `nextNewline` at the first line break at or after `p`.
    const e = this.nextNewline < 0 ? text.length : this.nextNewline;
    this.lineEndFor = this.lineStart;
    this.lineEndCache = e;
    return e;
  }

  private columnAt(p: number): number {
    if (this.colLine !== this.lineStart || p < this.colPos) {
      this.colLine = this.lineStart;
      this.colPos = this.lineStart;
      this.colCount = 0;
    }
    if (p > this.colPos) {
      this.colCount += this.src.columns(this.colPos, p);
      this.colPos = p;
    }
    return this.colCount + 1;
  }

  private segment(from: number, to: number, segStart: number, segEnd: number, evStart: number, evEnd: number): void {
    const text = this.src.text;
    let first = segStart;
    while (first < segEnd && isDecoration(text.charCodeAt(first))) first++;
    let evidence: string | undefined;
    // Backtick code spans seen so far on this segment (counted incrementally: lines can be long),
    // and double quotes: a tag inside a quoted phrase mid-comment is quoted, not a note
    // (`see the other "TODO: opt" suggestions`).
    let ticksTo = segStart;
    let ticks = 0;
    let nextTick = -2;
    let quotes = 0;
    let nextQuote = -2;
    for (let k = from; k < to; k++) {
      const p = this.positions[k]!;
      const len = this.lengths[k]!;
      const found = this.evaluate(p, len, segStart, segEnd, first);
      if (found === null) continue;
      if (!found.atStart) {
        if (isMention(text, p, len, segStart, segEnd)) continue;
        for (; ticksTo < p; ticksTo++) {
          const c = text.charCodeAt(ticksTo);
          if (c === 96) ticks++;
          else if (c === 34) quotes++;
        }
        if (nextTick !== -1 && nextTick < p + len) {
          nextTick = text.indexOf('`', p + len);
          if (nextTick >= segEnd) nextTick = -1;
        }
        if (ticks % 2 === 1 && nextTick >= 0) continue;
        if (quotes % 2 === 1) {
          if (nextQuote !== -1 && nextQuote < p + len) {
            nextQuote = text.indexOf('"', p + len);
            if (nextQuote >= segEnd) nextQuote = -1;
          }
          if (nextQuote >= 0) continue;
        }
      }
      if (evidence === undefined) {
        const rawEnd = Math.min(evEnd, evStart + MAX_RAW_TEXT_WINDOW);
        evidence = cap(sanitize(this.src.decode(evStart, rawEnd)).trim(), rawEnd < evEnd);
      }
      // Decode a small window first; widen it only when collapsing whitespace left too little text.
      let window = RAW_TEXT_WINDOW;
      let rawEnd: number;
      let body: string;
      for (;;) {
        rawEnd = Math.min(segEnd, found.textStart + window);
        body = sanitize(this.src.decode(found.textStart, rawEnd)).replace(/\s+/g, ' ').trim();
        if (rawEnd >= segEnd || body.length > MAX_TEXT || window >= MAX_RAW_TEXT_WINDOW) break;
        window *= 4;
      }
      // Box comments end lines with ` *`; that is decoration, not text. So is the `)` of `(TODO)`.
      if (body.endsWith('*')) body = body.replace(/\s+\*+$/, '');
      // Question and exclamation marks alone still say something: `TODO: ???`, `HACK!!!`.
      if (LEADING_CLOSERS.test(body)) {
        const rest = body.replace(LEADING_CLOSERS, '');
        body = rest.length > 0 || !/[?!]/.test(body) ? rest : body;
      }
      if (TRAILING_CLOSER.test(body)) body = body.replace(TRAILING_CLOSER, '');
      const marker: Marker = {
        tag: found.tag,
        line: this.line,
        column: this.columnAt(p),
        text: cap(body, rawEnd < segEnd),
        comment: evidence,
      };
      if (found.ownerStart >= 0) {
        const owner = sanitize(this.src.decode(found.ownerStart, found.ownerEnd)).trim();
        if (owner.length > 0) marker.owner = owner.slice(0, 100);
      }
      this.markers.push(marker);
      // One marker per comment line: a later tag on the same line is part of this marker's text
      // (`TODO: port the FIXME handling`, `日本語のTODO`), not a second piece of debt.
      return;
    }
  }

  /**
   * Decides whether the tag word at `p` is a marker (see readme.md): upper-case tags anywhere as a
   * word; other spellings only as an explicit marker at the start of the comment's text.
   */
  private evaluate(
    p: number,
    len: number,
    segStart: number,
    segEnd: number,
    first: number,
  ): { tag: string; ownerStart: number; ownerEnd: number; textStart: number; atStart: boolean } | null {
    const text = this.src.text;
    if (p + len > segEnd) return null;
    const occurrence = text.slice(p, p + len);
    const tag = this.canonical.get(occurrence.toLowerCase());
    if (tag === undefined) return null;
    // Written in capitals (or without letters, like `!!!`): a marker anywhere in the comment.
    const upper = occurrence === occurrence.toUpperCase();
    const hasAt = p > segStart && text.charCodeAt(p - 1) === 64;
    let k = p + len;
    // Owner: `TODO(alice)`, `TODO(@alice)`, `TODO [alice]` (after a space, a single word only).
    let ownerStart = -1;
    let ownerEnd = -1;
    {
      let q = k;
      const spaced = q < segEnd && text.charCodeAt(q) === 32;
      if (spaced) q++;
      const open = text.charCodeAt(q);
      if (q < segEnd && (open === 40 || open === 91)) {
        const close = open === 40 ? 41 : 93;
        let r = q + 1;
        while (r < segEnd && r - q <= 100) {
          const c = text.charCodeAt(r);
          if (c === close || c === 40 || c === 41 || c === 91 || c === 93) break;
          r++;
        }
        if (r < segEnd && text.charCodeAt(r) === close) {
          let a = q + 1;
          let b = r;
          while (a < b && isBlank(text.charCodeAt(a))) a++;
          while (b > a && isBlank(text.charCodeAt(b - 1))) b--;
          if (a < b && text.charCodeAt(a) === 64) a++;
          let single = true;
          for (let m = a; m < b; m++) if (isBlank(text.charCodeAt(m))) single = false;
          // `TODO (Babel 8): x` — several words after a space are an owner only before a colon.
          let after = r + 1;
          while (after < segEnd && isBlank(text.charCodeAt(after))) after++;
          const colon = after < segEnd && text.charCodeAt(after) === 58;
          if (a < b && (!spaced || single || colon)) {
            ownerStart = a;
            ownerEnd = b;
            k = r + 1;
          }
        }
      }
    }
    // The start of the comment's text, past decoration and opening brackets (`// (TODO) x`). A
    // tag made of decoration characters (`!!!`) starts inside the decoration run. A comment
    // opener inside the comment starts another (`x; // size // TODO y`, `<!-- XXX check -->` in
    // Javadoc).
    let opening = first;
    while (opening < p && (text.charCodeAt(opening) === 40 || text.charCodeAt(opening) === 91)) opening++;
    const commentStart = (hasAt ? p - 1 : p) <= opening && p >= segStart;
    // (A start after an inner opener still gets the checks for code spans and mentions.)
    const atStart = commentStart || afterInnerOpener(text, hasAt ? p - 1 : p, first);
    let q = k;
    while (q < segEnd && isBlank(text.charCodeAt(q))) q++;
    let punctuated = false;
    if (q < segEnd && text.charCodeAt(q) === 58) {
      punctuated = true;
      while (q < segEnd && text.charCodeAt(q) === 58) q++;
    } else if (q < segEnd && text.charCodeAt(q) === 45 && (q > k || atStart)) {
      // `TODO - x`, `TODO -- x`; but `TODO -1 is wrong` keeps its dash, and in the middle of a
      // comment a dash glued to the tag makes a word (`a XXX- sequence`), not a marker.
      let r = q;
      while (r < segEnd && r - q < 3 && text.charCodeAt(r) === 45) r++;
      if (r >= segEnd || isBlank(text.charCodeAt(r))) {
        punctuated = true;
        q = r;
      }
    }
    // In capitals at the start of a sentence (`Slow. TODO: index it`, `…this.  FIXME That`), a
    // tag opens a note of its own, as at the start of the comment.
    const explicit = hasAt || ownerStart >= 0 || punctuated || (upper && startsSentence(text, hasAt ? p - 1 : p, first));
    // A tag alone in a table cell (`* | XXX | -08:00 |`, a format token in a documented table)
    // names a value; `|` is decoration only to find where a comment's text starts.
    if (!explicit && isTableCell(text, p, k, segStart, segEnd)) return null;
    // A marker opens the comment (`// TODO retry`, `# todo: retry`), or is written as one where
    // it stands (`x++; // wraps, FIXME: check`). A tag used as a word in prose ("the TODO list
    // above", "see HACK below") is not work left undone.
    if (!upper) {
      if (!atStart || !explicit) return null;
    } else if (p > segStart && isWordAscii(text.charCodeAt(p - 1))) {
      return null;
    } else if (!atStart && !explicit) {
      return null;
    }
    return { tag, ownerStart, ownerEnd, textStart: punctuated ? q : k, atStart: commentStart };
  }
}

// ---------------------------------------------------------------------------------------------
// Entry points

function candidates(re: RegExp, text: string, from = 0): { positions: number[]; lengths: number[] } {
  const positions: number[] = [];
  const lengths: number[] = [];
  re.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (!plausible(text, m.index, m[0])) continue;
    positions.push(m.index);
    lengths.push(m[0].length);
  }
  return { positions, lengths };
}

/**
 * {@link candidates} over a UTF-8 file's latin1 text (`offset`: its BOM's bytes), with the tags'
 * places from a pre-filter: the sticky expression only says which tag is at each.
 */
function candidatesFound(matcher: TagMatcher, text: string, finder: TagFinder, offset: number): { positions: number[]; lengths: number[] } {
  const positions: number[] = [];
  const lengths: number[] = [];
  const re = matcher.bytesAt;
  for (let at = finder.first; at >= 0; ) {
    const p = at - offset;
    re.lastIndex = p;
    const m = re.exec(text);
    // The pre-filter answers as the expression does (prefilter.test.ts); should they ever differ,
    // the expression decides (and a scan never loops).
    if (m === null || p < 0) return candidates(matcher.bytes, text);
    if (plausible(text, p, m[0])) {
      positions.push(p);
      lengths.push(m[0].length);
    }
    const after = at + m[0].length;
    at = finder.next(after);
    if (at >= 0 && at < after) return candidates(matcher.bytes, text);
  }
  return { positions, lengths };
}

/**
 * A cheap necessary condition of `evaluate`, checked before any lexing: a tag not written in
 * capitals is a marker only in an explicit form (`@todo`, `todo:`, `todo -`, `todo(owner)`). Prose
 * such as "fix the bug" then costs no lexing at all, which matters on large trees.
 */
function plausible(text: string, index: number, occurrence: string): boolean {
  if (occurrence === occurrence.toUpperCase()) return true;
  if (index > 0 && text.charCodeAt(index - 1) === 64) return true;
  let q = index + occurrence.length;
  while (q < text.length && isBlank(text.charCodeAt(q))) q++;
  const c = text.charCodeAt(q);
  return c === 58 || c === 45 || c === 40 || c === 91;
}

function scanSource(
  src: Source,
  language: Language,
  { positions, lengths }: { positions: number[]; lengths: number[] },
  matcher: TagMatcher,
): Marker[] {
  if (positions.length === 0) return [];
  const collector = new MarkerCollector(src, positions, lengths, matcher.canonical);
  const st = new LexState(src.text, collector.onComment, positions[positions.length - 1]!);
  lexRange(st, compileLanguage(language), 0, src.text.length);
  return collector.markers;
}

/** Scans decoded text (tests, callers with strings). A leading BOM is ignored. */
export function scanText(text: string, language: Language, options: ScanOptions): Marker[] {
  const matcher = matcherFor(options.tags);
  if (matcher === null) return [];
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return scanSource(stringSource(t), language, candidates(matcher.text, t), matcher);
}

const GO_GENERATED = /^\/\/ Code generated .* DO NOT EDIT\.$/;

/** A `// Code generated ... DO NOT EDIT.` line or `@generated` in the first five lines. */
/** How much of a file's start {@link isGenerated} reads. */
const GENERATED_HEAD = 16384;

export function isGenerated(text: string): boolean {
  let headEnd = 0;
  for (let n = 0; n < 5; n++) {
    const nl = text.indexOf('\n', headEnd);
    if (nl < 0 || nl > GENERATED_HEAD) {
      headEnd = Math.min(text.length, GENERATED_HEAD);
      break;
    }
    headEnd = nl + 1;
  }
  const head = text.slice(0, headEnd);
  const hasGo = head.includes('// Code generated ');
  if (!hasGo && !head.includes('@generated')) return false;
  // Lone-CR files: the five lines may be shorter than the head found with `\n`.
  const lines = head.split(/\r\n|\n|\r/, 5);
  return lines.some((line) => line.includes('@generated') || (hasGo && GO_GENERATED.test(line)));
}

/** `.m` is Objective-C or MATLAB/Octave; the name cannot tell, the first lines can. */
/** What only MySQL writes (engines, version comments, dump statements): its strings take `\'`. */
const MYSQL_SIGNS = /\bENGINE\s*=\s*\w|\/\*!\d{5}|\bAUTO_INCREMENT\b|^\s*LOCK TABLES\b|^\s*DELIMITER\s/im;

function refineLanguage(path: string, language: Language, text: string): Language {
  if (language.id === 'sql' && path.toLowerCase().endsWith('.sql') && MYSQL_SIGNS.test(text.slice(0, 16_384))) return getLanguage('mysql') ?? language;
  if (language.id !== 'objective-c' || !path.toLowerCase().endsWith('.m')) return language;
  const head = text.slice(0, 4096);
  if (/^\s*(#import|#include|@interface|@implementation|@protocol|@end|@import)\b/m.test(head)) return language;
  if (/^\s*(%|function\b|classdef\b|clear\b|clc\b|close all\b)/m.test(head)) return getLanguage('matlab') ?? language;
  return language;
}

/**
 * Where a pre-filter (the WebAssembly one, prefilter.ts) found tags as whole words in the bytes
 * being scanned, ignoring case; the scanner's regular expressions then never run over them.
 */
export interface TagFinder {
  /** Offset of the first; -2 when tags occur only inside words (`debug`); -1 when not at all. */
  readonly first: number;
  /** Offset of the first at or after byte offset `from`; negative when there is none. */
  next(from: number): number;
}

/**
 * Scans one file's bytes. Never throws on any input. `language` may be passed when the caller
 * already looked it up by name (a hot path over tens of thousands of files). Without `found` the
 * JavaScript pre-filter decides which files need a closer look.
 */
export function scanFile(path: string, bytes: Uint8Array, options: ScanOptions, language?: Language, found?: TagFinder): ScanResult {
  try {
    return scanFileUnchecked(path, bytes, options, language, found);
  } catch (error) {
    // A bug must not fail a whole scan of thousands of files, nor hide: the file is reported.
    return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}

/** How much of a file's start names its language when its name does not (shebang, modeline). */
const HEAD_BYTES = 1024;

/**
 * What the start of a file whose name tells no language makes of it (`head`: its first bytes, at
 * least {@link HEAD_PROBE_BYTES} of them when it is longer): binary, a script of some language
 * (shebang, modeline), or nothing the scan reads. The scan reads the rest of such a file only
 * when this names a language.
 */
export function classifyHead(head: Uint8Array): 'binary' | 'script' | 'unsupported-language' {
  const b0 = head[0];
  const b1 = head[1];
  const utf16 = b0 === 0xff && b1 === 0xfe ? 'utf-16le' : b0 === 0xfe && b1 === 0xff ? 'utf-16be' : null;
  if (utf16 !== null) return languageForHead(new TextDecoder(utf16).decode(head.subarray(2))) ? 'script' : 'unsupported-language';
  if (head.subarray(0, BINARY_WINDOW).indexOf(0) >= 0) return 'binary';
  const offset = b0 === 0xef && b1 === 0xbb && head[2] === 0xbf ? 3 : 0;
  const text = Buffer.from(head.buffer, head.byteOffset + offset, Math.min(HEAD_BYTES, head.byteLength - offset)).toString('latin1');
  return languageForHead(text) ? 'script' : 'unsupported-language';
}

/** How much of a file {@link classifyHead} needs: the binary test's window. */
export const HEAD_PROBE_BYTES = BINARY_WINDOW;

function languageForHead(head: string): Language | undefined {
  return languageForShebang(head.split(/[\r\n]/, 1)[0] ?? '') ?? languageForModeline(head);
}

/** Languages a shebang may name for a file of the other's extension without changing how it reads. */
const SAME_FAMILY: ReadonlySet<string> = new Set(['javascript', 'typescript']);

/**
 * A shebang names the interpreter whatever the file is called: `update-rc.d` and a `*.t` test
 * starting with `#!/bin/sh` are shell scripts, not D or Perl.
 */
function shebangOverride(byName: Language, bytes: Uint8Array): Language {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 256)).toString('latin1');
  const named = languageForShebang(head.split(/[\r\n]/, 1)[0] ?? '');
  if (named === undefined || named.id === byName.id || (SAME_FAMILY.has(named.id) && SAME_FAMILY.has(byName.id))) return byName;
  return named;
}

/** {@link scanFile} without its safety net (tests use it so that bugs surface). */
export function scanFileUnchecked(path: string, bytes: Uint8Array, options: ScanOptions, known?: Language, found?: TagFinder): ScanResult {
  const b0 = bytes[0];
  const b1 = bytes[1];
  const utf16 = b0 === 0xff && b1 === 0xfe ? 'utf-16le' : b0 === 0xfe && b1 === 0xff ? 'utf-16be' : null;
  /** Bytes of a UTF-8 byte order mark, left out of the text. */
  const offset = utf16 === null && b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let language = known ?? languageFor(path);
  if (utf16 === null && bytes.subarray(0, BINARY_WINDOW).indexOf(0) >= 0) return { kind: 'skipped', reason: 'binary' };
  if (language !== undefined && b0 === 0x23 && b1 === 0x21) language = shebangOverride(language, bytes);
  // The pre-filter reads bytes as they are: a UTF-16 file is left to the expressions.
  const finder = utf16 === null ? found : undefined;
  if (finder !== undefined && finder.first < 0) {
    // No tag as a word anywhere (-1: none at all; -2: only inside words, `debug`): no marker, and
    // the answer needs no string of the file, only its head (language, generated or not).
    const headOf = (length: number) => Buffer.from(bytes.buffer, bytes.byteOffset + offset, Math.min(length, bytes.byteLength - offset)).toString('latin1');
    if (language === undefined) {
      language = languageForHead(headOf(HEAD_BYTES));
      if (language === undefined) return { kind: 'skipped', reason: 'unsupported-language' };
    }
    // As the full scan does once its quick test passes: a generated file is skipped as such.
    if (finder.first === -2 && isGenerated(headOf(GENERATED_HEAD + 1))) return { kind: 'skipped', reason: 'generated' };
    return { kind: 'scanned', language: language.id, markers: [] };
  }
  let src: Source;
  if (utf16 !== null) {
    const text = new TextDecoder(utf16, { fatal: false, ignoreBOM: true }).decode(bytes.subarray(2));
    src = stringSource(text);
  } else {
    const view = Buffer.from(bytes.buffer, bytes.byteOffset + offset, bytes.byteLength - offset);
    const text = view.toString('latin1');
    src = utf8Source(text, view);
  }
  if (language === undefined) {
    language = languageForHead(src.text.slice(0, HEAD_BYTES));
    if (language === undefined) return { kind: 'skipped', reason: 'unsupported-language' };
  }
  const matcher = matcherFor(options.tags);
  if (matcher === null) return { kind: 'scanned', language: language.id, markers: [] };
  let from = 0;
  if (utf16 === null && finder === undefined) {
    matcher.quick.lastIndex = 0;
    // Most files have no tag at all: they are done here, before any other look at their text.
    if (!matcher.quick.test(src.text)) return { kind: 'scanned', language: language.id, markers: [] };
    // No whole-word match can start before the first plain match: resume from there.
    from = Math.max(0, matcher.quick.lastIndex - matcher.longest);
  }
  if (isGenerated(src.text)) return { kind: 'skipped', reason: 'generated' };
  const tags =
    finder !== undefined
      ? candidatesFound(matcher, src.text, finder, offset)
      : candidates(utf16 === null ? matcher.bytes : matcher.text, src.text, from);
  if (tags.positions.length === 0) return { kind: 'scanned', language: language.id, markers: [] };
  language = refineLanguage(path, language, src.text);
  return { kind: 'scanned', language: language.id, markers: scanSource(src, language, tags, matcher) };
}
