/**
 * Making repository-controlled text (titles, paths, authors, probe errors, branch names) inert in
 * each output medium. Anything a repository contains is hostile until escaped: a TODO comment can
 * hold terminal escape sequences, Markdown that pings people or loads images, or bidi controls
 * that make a path read differently from what it is.
 */

const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * C0/C1 controls and DEL (terminal escape sequences start with ESC or CSI), line/paragraph
 * separators, and the bidi embedding/override/isolate controls used in "Trojan Source" text.
 */
const UNSAFE_CLASS = '[\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]';
const UNSAFE_CHARACTERS = new RegExp(UNSAFE_CLASS, 'gu');
const HAS_UNSAFE_CHARACTER = new RegExp(UNSAFE_CLASS, 'u');

function visibleEscape(char: string): string {
  const named = NAMED_ESCAPES[char];
  if (named !== undefined) return named;
  const codePoint = char.codePointAt(0) ?? 0;
  return codePoint <= 0xff
    ? `\\x${codePoint.toString(16).padStart(2, '0')}`
    : `\\u${codePoint.toString(16).padStart(4, '0')}`;
}

/**
 * Replaces every control or bidi character with a visible escape (`\x1b`, `\n`, `\u202e`) so the
 * text prints on one line and cannot move the cursor, recolour, retitle or reorder the terminal.
 */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, visibleEscape);
}

/** True when `text` holds nothing {@link escapeControls} would change. */
export function isInert(text: string): boolean {
  return !HAS_UNSAFE_CHARACTER.test(text);
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Escapes text for one cell of a GitHub-flavoured Markdown table (or any inline position), so it
 * renders as the literal characters:
 *
 * - line breaks become spaces (a cell is one line; a newline would end the table) and other
 *   controls become visible escapes;
 * - `&`, `<`, `>` become entities, so no HTML tag or entity survives;
 * - Markdown punctuation (`\`, `` ` ``, `*`, `_`, `~`, `[`, `]`, `|`, `$`, `!`, `#`) is
 *   backslash-escaped: no code span, emphasis, link, image, math or cell break;
 * - a word joiner goes after `@` and after `#` before a digit, so `TODO(@alice)` neither notifies
 *   alice nor does `#123` cross-reference an issue every time the comment is posted.
 */
export function escapeMarkdownInline(text: string): string {
  const oneLine = escapeControls(text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' '));
  return oneLine
    .replace(/[&<>]/g, (char) => HTML_ENTITIES[char] ?? char)
    .replace(/[\\`*_~[\]|$!#]/g, (char) => `\\${char}`)
    .replace(/@(?=[\p{L}\p{N}_-])/gu, '@\u2060')
    .replace(/#(?=\d)/g, '#\u2060');
}
