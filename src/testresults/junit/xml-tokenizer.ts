/**
 * A small streaming XML tokenizer: text goes in chunk by chunk (`write`), element events come out
 * to a handler as soon as each tag is complete. Memory stays bounded by one chunk plus one tag
 * (tags are capped, see {@link XmlTokenizerOptions.maxTagLength}); comments, CDATA sections,
 * processing instructions, the DOCTYPE and text content are consumed incrementally, whatever their
 * size.
 *
 * What it checks: tags are balanced and properly nested, one root element, nothing but whitespace
 * outside it, names and attribute syntax (both quote styles, no duplicates).
 * What it does not do, on purpose:
 * - the DOCTYPE is skipped, never interpreted: no external entity is fetched and no custom entity
 *   is expanded (a "billion laughs" document stays the size it is); a reference to an undeclared
 *   entity is kept as the literal text `&name;`;
 * - a stray `&` that starts no reference, or a raw `<` inside a quoted attribute value, is kept as
 *   is (some test tools write them unescaped);
 * - text is decoded (entities, numeric character references) only when the handler wants it.
 */

export interface XmlHandler {
  /** `attributes` is a fresh object without prototype; values are decoded and normalised. */
  open(name: string, attributes: Record<string, string>, selfClosing: boolean): void;
  /** Called for every element, after its content (right after `open` for `<x/>`). */
  close(name: string): void;
  /** Whether the handler wants the text at the current position (checked before each piece). */
  readonly wantsText: boolean;
  /** Decoded character data (entities resolved; CDATA as is). May come in several pieces. */
  text(text: string): void;
}

export interface XmlTokenizerOptions {
  /** Longest start or end tag, attributes included (default 1 MiB characters). */
  maxTagLength?: number;
}

/** A well-formedness error, at a 1-based line and column (columns count UTF-16 code units). */
export class XmlError extends Error {
  override readonly name = 'XmlError';
  readonly line: number;
  readonly column: number;
  readonly reason: string;

  constructor(reason: string, line: number, column: number) {
    super(`${line}:${column}: ${reason}`);
    this.reason = reason;
    this.line = line;
    this.column = column;
  }
}

const TEXT = 0;
const COMMENT = 1;
const CDATA = 2;
const PI = 3;
const DOCTYPE = 4;

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

export const DEFAULT_MAX_TAG_LENGTH = 1 << 20;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && c !== 0xfeff && c !== 0xfffd);
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0xb7;
}

function isName(name: string): boolean {
  if (name.length === 0 || !isNameStart(name.charCodeAt(0))) return false;
  for (let i = 1; i < name.length; i++) if (!isNameChar(name.charCodeAt(i))) return false;
  return true;
}

const ENTITY = /&(?:#([0-9]{1,8})|#x([0-9a-fA-F]{1,8})|(lt|gt|amp|apos|quot));/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

function codePoint(value: number): string {
  if (value === 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return '\uFFFD';
  return String.fromCodePoint(value);
}

/**
 * Resolves the five predefined entities and numeric character references; anything else (custom
 * entities, a stray `&`) stays literal. Invalid code points (NUL, surrogates, beyond U+10FFFF)
 * become U+FFFD.
 */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (_match, decimal: string | undefined, hex: string | undefined, named: string | undefined) => {
    if (decimal !== undefined) return codePoint(Number.parseInt(decimal, 10));
    if (hex !== undefined) return codePoint(Number.parseInt(hex, 16));
    return NAMED[named ?? ''] ?? '';
  });
}

export class XmlTokenizer {
  readonly #handler: XmlHandler;
  readonly #maxTag: number;
  #buf = '';
  #pos = 0;
  #state = TEXT;
  /** Line (1-based) and column (0-based) of `#buf[0]`. */
  #lineBase = 1;
  #colBase = 0;
  /** Where the token being read starts, for error positions. */
  #tokenStart = 0;
  readonly #stack: string[] = [];
  #rootSeen = false;
  #rootClosed = false;
  #dtdDepth = 0;
  #dtdQuote = 0;
  #dtdComment = false;
  #ended = false;

  constructor(handler: XmlHandler, options: XmlTokenizerOptions = {}) {
    this.#handler = handler;
    this.#maxTag = options.maxTagLength ?? DEFAULT_MAX_TAG_LENGTH;
  }

  /** Names of the open elements, outermost first. */
  get openElements(): readonly string[] {
    return this.#stack;
  }

  write(chunk: string): void {
    if (this.#ended) throw new Error('XmlTokenizer: write() after end()');
    if (chunk.length === 0) return;
    this.#discardConsumed();
    this.#buf = this.#buf.length === 0 ? chunk : this.#buf + chunk;
    this.#run(false);
  }

  /** Signals the end of input; throws when the document is incomplete. */
  end(): void {
    if (this.#ended) return;
    this.#run(true);
    this.#ended = true;
    const rest = this.#buf.length - this.#pos;
    if (this.#state !== TEXT) {
      const what = ['', 'a comment (<!-- without -->)', 'a CDATA section (<![CDATA[ without ]]>)', 'a processing instruction (<? without ?>)', 'the DOCTYPE'][this.#state];
      this.fail(`unexpected end of file inside ${what}`, this.#buf.length);
    }
    if (rest > 0) this.fail('unexpected end of file inside a tag', this.#buf.length);
    if (this.#stack.length > 0) {
      const open = this.#stack.map((name) => `<${name}>`).join(' > ');
      this.fail(`unexpected end of file: the file is truncated (still open: ${open})`, this.#buf.length);
    }
    if (!this.#rootSeen) this.fail('no element found: the file is empty or holds only whitespace, comments or declarations', this.#buf.length);
  }

  /** Throws an XmlError at `index` of the buffer (default: the start of the current token). */
  fail(reason: string, index: number = this.#tokenStart): never {
    const { line, column } = this.#position(index);
    throw new XmlError(reason, line, column);
  }

  #position(index: number): { line: number; column: number } {
    const at = Math.min(Math.max(0, index), this.#buf.length);
    let line = this.#lineBase;
    let lastNewline = -1;
    for (let i = this.#buf.indexOf('\n'); i !== -1 && i < at; i = this.#buf.indexOf('\n', i + 1)) {
      line++;
      lastNewline = i;
    }
    const column = lastNewline === -1 ? this.#colBase + at + 1 : at - lastNewline;
    return { line, column };
  }

  /** Drops what was consumed, keeping the line/column bookkeeping. */
  #discardConsumed(): void {
    const pos = this.#pos;
    if (pos === 0) return;
    const buf = this.#buf;
    let lastNewline = -1;
    let lines = 0;
    for (let i = buf.indexOf('\n'); i !== -1 && i < pos; i = buf.indexOf('\n', i + 1)) {
      lines++;
      lastNewline = i;
    }
    if (lastNewline === -1) this.#colBase += pos;
    else {
      this.#lineBase += lines;
      this.#colBase = pos - lastNewline - 1;
    }
    this.#buf = pos === buf.length ? '' : buf.slice(pos);
    this.#tokenStart = Math.max(0, this.#tokenStart - pos);
    this.#pos = 0;
  }

  #run(final: boolean): void {
    const buf = this.#buf;
    const len = buf.length;
    let pos = this.#pos;
    outer: while (pos < len) {
      switch (this.#state) {
        case TEXT: {
          const lt = buf.indexOf('<', pos);
          if (lt === -1) {
            pos = this.#text(pos, len, !final);
            break outer;
          }
          if (lt > pos) this.#text(pos, lt, false);
          pos = lt;
          this.#tokenStart = lt;
          const next = this.#markup(lt, final);
          if (next === -1) {
            if (len - lt > this.#maxTag) this.fail(`a tag longer than ${this.#maxTag} characters (or a "<" that starts no tag)`);
            break outer;
          }
          pos = next;
          break;
        }
        case COMMENT:
        case PI: {
          const terminator = this.#state === COMMENT ? '-->' : '?>';
          const end = buf.indexOf(terminator, pos);
          if (end === -1) {
            pos = Math.max(pos, len - terminator.length + 1);
            break outer;
          }
          pos = end + terminator.length;
          this.#state = TEXT;
          break;
        }
        case CDATA: {
          const end = buf.indexOf(']]>', pos);
          if (end === -1) {
            const stop = Math.max(pos, len - 2);
            if (stop > pos && this.#handler.wantsText) this.#handler.text(buf.slice(pos, stop));
            pos = stop;
            break outer;
          }
          if (end > pos && this.#handler.wantsText) this.#handler.text(buf.slice(pos, end));
          pos = end + 3;
          this.#state = TEXT;
          break;
        }
        case DOCTYPE: {
          pos = this.#doctype(pos, len, final);
          if (this.#state === DOCTYPE) break outer;
          break;
        }
      }
    }
    this.#pos = pos;
  }

  /** Handles text in [from, to); returns where consumption stopped (an incomplete reference waits). */
  #text(from: number, to: number, more: boolean): number {
    const buf = this.#buf;
    if (this.#stack.length === 0) {
      for (let i = from; i < to; i++) {
        const c = buf.charCodeAt(i);
        if (isSpace(c) || c === 0xfeff) continue;
        this.#tokenStart = i;
        if (this.#rootClosed) this.fail('text after the root element');
        this.fail(this.#rootSeen ? 'text outside the root element' : 'text before the first element: this is not an XML document');
      }
      return to;
    }
    if (!this.#handler.wantsText) return to;
    let stop = to;
    if (more) {
      // A reference cut by the chunk boundary (`&am` + `p;`) waits for the rest.
      const amp = buf.lastIndexOf('&', to - 1);
      if (amp >= from && to - amp < 12 && buf.indexOf(';', amp) === -1) stop = amp;
    }
    if (stop > from) this.#handler.text(decodeEntities(buf.slice(from, stop)));
    return stop;
  }

  /** At a `<`: reads one tag or enters a section; returns the new position, or -1 for "need more". */
  #markup(lt: number, final: boolean): number {
    const buf = this.#buf;
    const len = buf.length;
    if (lt + 1 >= len) {
      if (final) this.fail('unexpected end of file after "<"');
      return -1;
    }
    const c1 = buf.charCodeAt(lt + 1);
    if (c1 === SLASH) {
      const gt = buf.indexOf('>', lt + 2);
      if (gt === -1) return final ? this.fail('unexpected end of file inside an end tag') : -1;
      this.#endTag(lt, gt);
      return gt + 1;
    }
    if (c1 === BANG) {
      if (len - lt < 9 && !final) return -1;
      if (buf.startsWith('<!--', lt)) {
        this.#state = COMMENT;
        return lt + 4;
      }
      if (buf.startsWith('<![CDATA[', lt)) {
        if (this.#stack.length === 0) this.fail('a CDATA section outside the root element');
        this.#state = CDATA;
        return lt + 9;
      }
      if (buf.startsWith('<!DOCTYPE', lt)) {
        if (this.#rootSeen) this.fail('a DOCTYPE after the root element');
        this.#state = DOCTYPE;
        this.#dtdDepth = 0;
        this.#dtdQuote = 0;
        this.#dtdComment = false;
        return lt + 9;
      }
      this.fail('"<!" starts neither a comment, a CDATA section nor a DOCTYPE');
    }
    if (c1 === QUESTION) {
      this.#state = PI;
      return lt + 2;
    }
    // A start tag: find its ">" outside quoted attribute values.
    let quote = 0;
    let gt = -1;
    for (let i = lt + 1; i < len; i++) {
      const c = buf.charCodeAt(i);
      if (quote !== 0) {
        if (c === quote) quote = 0;
      } else if (c === GT) {
        gt = i;
        break;
      } else if (c === DQUOTE || c === SQUOTE) quote = c;
      else if (c === LT) this.fail('"<" inside a tag', i);
    }
    if (gt === -1) return final ? this.fail('unexpected end of file inside a tag') : -1;
    this.#startTag(lt, gt);
    return gt + 1;
  }

  #endTag(lt: number, gt: number): void {
    const buf = this.#buf;
    let end = gt;
    while (end > lt + 2 && isSpace(buf.charCodeAt(end - 1))) end--;
    const name = buf.slice(lt + 2, end);
    if (!isName(name)) this.fail(`invalid end tag </${name.slice(0, 40)}>`);
    const open = this.#stack.pop();
    if (open === undefined) this.fail(`end tag </${name}> without a matching start tag`);
    if (open !== name) {
      this.#stack.push(open);
      this.fail(`end tag </${name}> does not match the open element <${open}>`);
    }
    this.#handler.close(name);
    if (this.#stack.length === 0) this.#rootClosed = true;
  }

  #startTag(lt: number, gt: number): void {
    const buf = this.#buf;
    let end = gt;
    const selfClosing = buf.charCodeAt(gt - 1) === SLASH && gt - 1 > lt;
    if (selfClosing) end = gt - 1;
    let i = lt + 1;
    while (i < end && !isSpace(buf.charCodeAt(i))) i++;
    const name = buf.slice(lt + 1, i);
    if (!isName(name)) this.fail(name.length === 0 ? 'a "<" that starts no tag' : `invalid element name <${name.slice(0, 40)}>`);
    if (this.#stack.length === 0) {
      if (this.#rootClosed) this.fail(`a second root element <${name}>: the document already ended`);
      this.#rootSeen = true;
    }

    const attributes: Record<string, string> = Object.create(null) as Record<string, string>;
    for (;;) {
      const before = i;
      while (i < end && isSpace(buf.charCodeAt(i))) i++;
      if (i >= end) break;
      if (i === before) this.fail(`missing whitespace before an attribute in <${name}>`, i);
      const nameStart = i;
      while (i < end) {
        const c = buf.charCodeAt(i);
        if (c === EQUALS || isSpace(c)) break;
        i++;
      }
      const attribute = buf.slice(nameStart, i);
      if (!isName(attribute)) this.fail(`invalid attribute name "${attribute.slice(0, 40)}" in <${name}>`, nameStart);
      while (i < end && isSpace(buf.charCodeAt(i))) i++;
      if (buf.charCodeAt(i) !== EQUALS || i >= end) this.fail(`attribute "${attribute}" of <${name}> has no value`, nameStart);
      i++;
      while (i < end && isSpace(buf.charCodeAt(i))) i++;
      const quote = buf.charCodeAt(i);
      if (i >= end || (quote !== DQUOTE && quote !== SQUOTE)) this.fail(`the value of attribute "${attribute}" of <${name}> is not quoted`, i);
      const close = buf.indexOf(quote === DQUOTE ? '"' : "'", i + 1);
      if (close === -1 || close >= end) this.fail(`unterminated value of attribute "${attribute}" of <${name}>`, i);
      let value = buf.slice(i + 1, close);
      if (attribute in attributes) this.fail(`duplicate attribute "${attribute}" in <${name}>`, nameStart);
      // Attribute-value normalisation: literal tabs and line breaks read as spaces (before
      // references are resolved, so that `&#10;` stays a line break).
      if (/[\t\n\r]/.test(value)) value = value.replace(/\r\n|[\t\n\r]/g, ' ');
      value = decodeEntities(value);
      attributes[attribute] = value;
      i = close + 1;
    }

    if (!selfClosing) this.#stack.push(name);
    this.#handler.open(name, attributes, selfClosing);
    if (selfClosing) {
      this.#handler.close(name);
      if (this.#stack.length === 0) this.#rootClosed = true;
    }
  }

  /**
   * Skips the DOCTYPE (internal subset included: bracket depth, quoted literals, comments); never
   * interprets it. Returns where it stopped; the state stays DOCTYPE until the closing `>`.
   */
  #doctype(from: number, len: number, final: boolean): number {
    const buf = this.#buf;
    let i = from;
    while (i < len) {
      if (this.#dtdComment) {
        const end = buf.indexOf('-->', i);
        if (end === -1) return Math.max(i, len - 2);
        this.#dtdComment = false;
        i = end + 3;
        continue;
      }
      const c = buf.charCodeAt(i);
      if (this.#dtdQuote !== 0) {
        if (c === this.#dtdQuote) this.#dtdQuote = 0;
      } else if (c === DQUOTE || c === SQUOTE) this.#dtdQuote = c;
      else if (c === LBRACKET) this.#dtdDepth++;
      else if (c === RBRACKET) this.#dtdDepth--;
      else if (c === LT && this.#dtdDepth > 0) {
        if (len - i < 4 && !final) return i;
        if (buf.startsWith('<!--', i)) {
          this.#dtdComment = true;
          i += 4;
          continue;
        }
      } else if (c === GT && this.#dtdDepth <= 0) {
        this.#state = TEXT;
        return i + 1;
      }
      i++;
    }
    return len;
  }
}
