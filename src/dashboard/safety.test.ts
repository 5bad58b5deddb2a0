/**
 * The dashboard renders repository text (TODO text, file names, authors, package names) as text
 * only. These checks read the dashboard's own source: no HTML parsing sink, no inline style
 * (the server's CSP is `style-src 'self'`), no code from strings.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(tsx?|css|html)$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = sources(here).map((path) => ({ name: relative(here, path), text: readFileSync(path, 'utf8') }));

describe('dashboard source', () => {
  it('is found', () => {
    expect(files.map((f) => f.name)).toEqual(expect.arrayContaining(['app.tsx', 'main.tsx', 'styles.css', 'pages/overview.tsx']));
  });

  const forbidden: [string, RegExp][] = [
    ['innerHTML', /innerHTML/],
    ['outerHTML', /outerHTML/],
    ['dangerouslySetInnerHTML', /dangerouslySetInnerHTML/],
    ['insertAdjacentHTML', /insertAdjacentHTML/],
    ['document.write', /document\.write/],
    ['DOMParser', /DOMParser/],
    ['createContextualFragment', /createContextualFragment/],
    ['srcdoc', /srcdoc/i],
    ['eval', /\beval\s*\(/],
    ['new Function', /new\s+Function\s*\(/],
    ['string timers', /set(Timeout|Interval)\(\s*['"`]/],
    ['inline style props', /\bstyle=\{/],
    ['inline style attributes', /\bstyle="/],
    ['style elements', /<style\b/],
    ['javascript: URLs', /javascript:/i],
  ];
  for (const [what, pattern] of forbidden) {
    it(`uses no ${what}`, () => {
      const hits = files.filter((file) => pattern.test(file.text)).map((file) => file.name);
      expect(hits).toEqual([]);
    });
  }

  it('loads nothing from another origin', () => {
    const hits = files.filter((file) => /\b(https?:)?\/\/(?!www\.w3\.org\/2000\/svg)[a-z0-9.-]+\.[a-z]{2,}/i.test(file.text.replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, ''))).map((file) => file.name);
    expect(hits).toEqual([]);
  });
});
