/**
 * Builds the dashboard that `prodeng serve` serves into dist/dashboard/:
 *
 *   index.html                 no inline script or style (the server's CSP allows 'self' only)
 *   assets/app-<hash>.js       src/dashboard/main.tsx and Preact, bundled and minified by rolldown
 *   assets/app-<hash>.css      src/dashboard/styles.css, comments and blank space removed
 *   assets/icon-<hash>.svg     the favicon
 *   licenses.txt               the licences of the bundled third-party code (Preact, MIT)
 *
 * Hashed names can be cached forever; index.html must not be. Prints each file's size and gzip
 * size (the budget is 100 KB gzip in all). `node scripts/build-dashboard.ts [OUT_DIR]`.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'rolldown';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src', 'dashboard');
const out = resolve(process.argv[2] ?? join(root, 'dist', 'dashboard'));
const BUDGET_GZIP = 100 * 1024;

const hash = (content: string | Uint8Array) => createHash('sha256').update(content).digest('hex').slice(0, 10);

/** Removes comments and the blank space around punctuation; strings and url() are left alone. */
export function minifyCss(css: string): string {
  const parts: string[] = [];
  // Split into quoted strings (kept) and the rest (squeezed).
  const pattern = /("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')/g;
  let last = 0;
  const squeeze = (text: string) =>
    text
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\s+/g, ' ')
      .replace(/\s*([{};,>])\s*/g, '$1')
      .replace(/:\s+/g, ':')
      .replace(/;}/g, '}');
  for (const match of css.matchAll(pattern)) {
    parts.push(squeeze(css.slice(last, match.index)), match[0]);
    last = match.index + match[0].length;
  }
  parts.push(squeeze(css.slice(last)));
  return parts.join('').trim();
}

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b57d0"/><path d="M6 22l6-7 5 4 8-10" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/></svg>\n`;

function indexHtml(files: { js: string; css: string; icon: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>prodeng</title>
<link rel="icon" href="/assets/${files.icon}" type="image/svg+xml">
<link rel="stylesheet" href="/assets/${files.css}">
<script type="module" src="/assets/${files.js}"></script>
</head>
<body>
<div id="app"></div>
<noscript><p>The prodeng dashboard needs JavaScript. The same data is in the JSON API under /api/v1/ and in the prodeng command line.</p><p lang="ja">prodeng のダッシュボードには JavaScript が必要です。同じデータは JSON API (/api/v1/) と prodeng コマンドで見られます。</p></noscript>
</body>
</html>
`;
}

export async function buildDashboard(outDir: string = out): Promise<{ files: { name: string; bytes: number; gzip: number }[]; gzipTotal: number }> {
  const assetDir = join(outDir, 'assets');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(assetDir, { recursive: true });

  const result = await build({
    input: join(source, 'main.tsx'),
    platform: 'browser',
    tsconfig: join(source, 'tsconfig.json'),
    transform: { target: 'es2022' },
    logLevel: 'warn',
    write: true,
    output: {
      dir: assetDir,
      format: 'esm',
      entryFileNames: 'app-[hash].js',
      chunkFileNames: 'chunk-[hash].js',
      minify: true,
      sourcemap: false,
      comments: false,
    },
  });
  const entry = result.output.find((chunk) => chunk.type === 'chunk' && chunk.isEntry);
  if (!entry) throw new Error('rolldown produced no entry chunk');

  const css = minifyCss(readFileSync(join(source, 'styles.css'), 'utf8'));
  const cssName = `app-${hash(css)}.css`;
  writeFileSync(join(assetDir, cssName), css);
  const iconName = `icon-${hash(ICON)}.svg`;
  writeFileSync(join(assetDir, iconName), ICON);
  writeFileSync(join(outDir, 'index.html'), indexHtml({ js: entry.fileName, css: cssName, icon: iconName }));
  const preact = JSON.parse(readFileSync(join(root, 'node_modules', 'preact', 'package.json'), 'utf8')) as { version: string };
  writeFileSync(join(outDir, 'licenses.txt'), `The prodeng dashboard bundles Preact ${preact.version}:\n\n${readFileSync(join(root, 'node_modules', 'preact', 'LICENSE'), 'utf8')}`);

  const files: { name: string; bytes: number; gzip: number }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const content = readFileSync(path);
        files.push({ name: relative(outDir, path), bytes: content.length, gzip: gzipSync(content, { level: 9 }).length });
      }
    }
  };
  walk(outDir);
  return { files, gzipTotal: files.reduce((sum, file) => sum + file.gzip, 0) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { files, gzipTotal } = await buildDashboard(out);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  for (const file of files) console.log(`dashboard  ${file.name.padEnd(28)} ${kb(file.bytes).padStart(9)}  gzip ${kb(file.gzip).padStart(8)}`);
  console.log(`dashboard  total gzip ${kb(gzipTotal)} (budget ${kb(BUDGET_GZIP)}) → ${relative(process.cwd(), out) || '.'}`);
  if (gzipTotal > BUDGET_GZIP) {
    console.error(`dashboard: ${kb(gzipTotal)} gzip is over the budget of ${kb(BUDGET_GZIP)}`);
    process.exitCode = 1;
  }
}

